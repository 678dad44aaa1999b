//! SW108 next-or-end: a state that neither transitions nor ends, or does both.
//!
//! **What**: a Pass, Task, Wait, Parallel or Map state without `Next` and without
//! `"End": true`, or with both.
//!
//! **Why**: "Any state except for Choice, Succeed, and Fail MAY have a field named End … Every
//! state other than these MUST have either a Next or an End field, but not both" (States
//! Language specification, "Transitions"); AWS refuses it at CreateStateMachine.
//!
//! **Example**: `{"Type": "Pass"}`.
//!
//! **Fix**: add `"Next": "<state>"` or `"End": true`.

use serde_json::Value;

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW108",
        name: "next-or-end",
        fix: "Give the state exactly one of \"Next\" or \"End\": true.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        let Some(state) = view.state else { continue };
        if !state.state_type.has_transition() {
            continue;
        }
        let next = view.field("Next").is_some();
        let end = view.field("End").and_then(Value::as_bool).unwrap_or(false);
        match (next, end) {
            (true, true) => out.error(
                "SW108",
                format!("state \"{}\" has both \"Next\" and \"End\"", view.name),
                view.at("End"),
            ),
            (false, false) => out.error(
                "SW108",
                format!("state \"{}\" needs \"Next\" or \"End\": true", view.name),
                view.pointer.clone(),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn neither_or_both_are_refused() {
        assert_eq!(paths(&one_state(r#"{"Type":"Pass"}"#), "SW108"), vec!["/States/A"]);
        assert_eq!(
            paths(&one_state(r#"{"Type":"Pass","Next":"Done","End":true}"#), "SW108"),
            vec!["/States/A/End"]
        );
    }

    #[test]
    fn one_of_them_passes() {
        assert!(paths(&one_state(r#"{"Type":"Pass","Next":"Done"}"#), "SW108").is_empty());
    }
}
