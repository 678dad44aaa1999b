//! SW302 intrinsic-function: an intrinsic function call that AWS cannot evaluate.
//!
//! **What**: an unknown `States.*` name, a malformed call (quotes, parentheses, commas), the
//! wrong number of arguments, more than ten nested calls, or `States.JsonMerge` with a deep-merge
//! flag other than `false`.
//!
//! **Why**: the AWS guide, "Intrinsic functions for JSONPath states", lists the functions and
//! their arguments (e.g. `States.ArrayRange(start, end, step)`, `States.MathRandom(start, end[,
//! seed])`, "States.JsonMerge … the boolean flag must be false"; "you can nest up to 10
//! intrinsic functions"). AWS refuses other calls at CreateStateMachine.
//!
//! **Example**: `"id.$": "States.UUID(1)"`.
//!
//! **Fix**: correct the name or the arguments.

use crate::validate::paths::{check_intrinsic, is_intrinsic};
use crate::validate::{Context, Role, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW302",
        name: "intrinsic-function",
        fix: "Correct the function name, its arguments or their number (see the AWS intrinsic functions guide).",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        for field in cx.path_fields(view) {
            let may_call = matches!(field.role, Role::PathOrIntrinsic | Role::ReferenceOrIntrinsic);
            if !may_call || !is_intrinsic(field.text) {
                continue;
            }
            if let Err(problem) = check_intrinsic(field.text) {
                out.error_at(
                    "SW302",
                    format!("{} (at character {})", problem.message, problem.offset + 1),
                    cx.pointer_of(view, field),
                    problem.offset,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn bad_calls_are_refused() {
        let text = one_state(
            r#"{"Type":"Pass","Parameters":{"a.$":"States.UUID(1)","b.$":"States.Nope()","c.$":"States.Format('x'"},"Next":"Done"}"#,
        );
        assert_eq!(
            paths(&text, "SW302"),
            vec![
                "/States/A/Parameters/a.$",
                "/States/A/Parameters/b.$",
                "/States/A/Parameters/c.$"
            ]
        );
    }

    #[test]
    fn good_calls_pass() {
        let text = one_state(
            r#"{"Type":"Pass","Parameters":{"a.$":"States.Format('{} {}', $.a, States.ArrayLength($.b))"},"Next":"Done"}"#,
        );
        assert!(paths(&text, "SW302").is_empty());
    }
}
