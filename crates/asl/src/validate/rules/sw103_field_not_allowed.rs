//! SW103 field-not-allowed: a field of the language on a state type that does not have it.
//!
//! **What**: e.g. `Retry` or `Catch` on a Pass, `TimeoutSeconds` on a Wait, `Next` on a Choice,
//! `Seconds` on a Task.
//!
//! **Why**: each state type has its own set of fields in the specification, and AWS refuses the
//! others: "AWS refuses a field on any state type that does not support it, with the same
//! `SCHEMA_VALIDATION_FAILED` code and the same `Field '<name>' is not supported` message"
//! (measured, floci-io/floci#2735: `Catch`/`Retry` only on Task, Parallel and Map;
//! `TimeoutSeconds` only on Task).
//!
//! **Example**: `{"Type": "Pass", "Retry": [...], "End": true}`.
//!
//! **Fix**: remove the field, or change the state to a type that has it.

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW103",
        name: "field-not-allowed",
        fix: "Remove the field, or use a state type that has it.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        let Some(state) = view.state else { continue };
        for (field, _, spec) in cx.fields(view) {
            let Some(spec) = spec else { continue };
            if !spec.types.contains(&state.state_type) {
                out.error(
                    "SW103",
                    format!(
                        "field \"{field}\" is not supported by {} states",
                        state.state_type.as_str()
                    ),
                    view.at(field),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn retry_on_pass_and_next_on_choice_are_refused() {
        let text =
            one_state(r#"{"Type":"Pass","Next":"Done","Retry":[{"ErrorEquals":["States.ALL"]}]}"#);
        assert_eq!(paths(&text, "SW103"), vec!["/States/A/Retry"]);
        let text = one_state(r#"{"Type":"Succeed","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW103"), vec!["/States/A/Next"]);
    }

    #[test]
    fn task_fields_on_a_task_pass() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":5,"Next":"Done"}"#,
        );
        assert!(paths(&text, "SW103").is_empty());
    }
}
