//! SW105 unknown-state-type: `Type` is not one of the eight state types.
//!
//! **What**: a `Type` other than Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map.
//!
//! **Why**: the specification lists exactly these types; AWS refuses any other at
//! CreateStateMachine. Type names are case-sensitive (`pass` is refused).
//!
//! **Example**: `{"Type": "Tsk", ...}` — did you mean "Task"?
//!
//! **Fix**: use one of the eight type names.

use serde_json::Value;

use crate::model::StateType;
use crate::validate::{Context, Rule, RuleInfo, Sink, suggest};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW105",
        name: "unknown-state-type",
        fix: "Use Pass, Task, Choice, Wait, Succeed, Fail, Parallel or Map.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        let Some(kind) = view.field("Type").and_then(Value::as_str) else { continue };
        if StateType::parse(kind).is_none() {
            let hint = suggest(kind, StateType::ALL.iter().map(|t| t.as_str()));
            let hint = if hint.is_empty() {
                StateType::ALL
                    .iter()
                    .find(|t| t.as_str().eq_ignore_ascii_case(kind))
                    .map(|t| format!("; did you mean \"{}\"?", t.as_str()))
                    .unwrap_or_default()
            } else {
                hint
            };
            out.error("SW105", format!("unknown state type \"{kind}\"{hint}"), view.at("Type"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn unknown_types_are_reported() {
        assert_eq!(
            paths(&one_state(r#"{"Type":"Tsk","Next":"Done"}"#), "SW105"),
            vec!["/States/A/Type"]
        );
        let parsed = crate::parse(&one_state(r#"{"Type":"pass","Next":"Done"}"#));
        let d = parsed.diagnostics.iter().find(|d| d.code == "SW105").expect("reported");
        assert!(d.message.contains("\"Pass\""), "{}", d.message);
    }

    #[test]
    fn references_to_a_state_of_unknown_type_are_not_dangling() {
        let text = one_state(r#"{"Type":"Tsk","Next":"Done"}"#);
        assert!(paths(&text, "SW200").is_empty());
    }
}
