//! SW804 choice-without-default (warning): a Choice state without `Default`.
//!
//! **What**: a Choice with no `Default` transition.
//!
//! **Why**: "If no Choice Rules match and no Default is provided, the interpreter raises
//! States.NoChoiceMatched" (States Language specification, Choice state) — the execution fails.
//! AWS accepts the definition, so this is a warning.
//!
//! **Example**: `{"Type": "Choice", "Choices": [...]}`.
//!
//! **Fix**: add `"Default": "<state>"`.

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW804",
        name: "choice-without-default",
        fix: "Add a Default so that an unmatched input does not fail with States.NoChoiceMatched.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Choice) {
            continue;
        }
        if view.field("Default").is_none() {
            out.warning(
                "SW804",
                format!("Choice \"{}\" has no Default: unmatched input fails with States.NoChoiceMatched", view.name),
                view.pointer.clone(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn a_choice_without_default_is_flagged() {
        let text = r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"D"}]},"D":{"Type":"Succeed"}}}"#;
        assert_eq!(paths(text, "SW804"), vec!["/States/C"]);
    }
}
