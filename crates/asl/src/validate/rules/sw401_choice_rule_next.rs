//! SW401 choice-rule-next: `Next` missing on a top-level Choice rule, or present on a nested one.
//!
//! **What**: a rule of `Choices` without `Next`; a rule inside `And`, `Or` or `Not` with `Next`.
//!
//! **Why**: "Each Choice Rule in the Choices array … MUST have a Next field"; "Choice Rules
//! nested in And, Or and Not … MUST NOT contain Next" (States Language specification, Choice
//! state). AWS refuses both.
//!
//! **Example**: `{"Variable": "$.ok", "BooleanEquals": true}` at the top of `Choices`.
//!
//! **Fix**: add `Next` to the top-level rule; move a nested rule's `Next` to its top-level rule.

use serde_json::Value;

use crate::object::{Members, Step, Trail, join};
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW401",
        name: "choice-rule-next",
        fix: "Top-level Choice rules need Next; rules nested in And/Or/Not must not have it.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    // Pointers are written only for what is reported; the trail and the stack are reused
    // from state to state.
    let mut trail = Trail::default();
    let mut stack: Vec<(&Value, usize, bool)> = Vec::new();
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Choice) {
            continue;
        }
        let Some(rules) = view.field("Choices").and_then(Value::as_array) else { continue };
        trail.clear();
        let choices = trail.push(None, Step::Key("Choices"));
        for (i, rule) in rules.iter().enumerate() {
            stack.push((rule, trail.push(Some(choices), Step::Index(i)), true));
        }
        while let Some((rule, at, top)) = stack.pop() {
            let Some(object) = rule.as_object() else { continue };
            match (top, object.has("Next")) {
                (true, false) => out.error(
                    "SW401",
                    "a Choice rule needs \"Next\"",
                    trail.pointer(&view.pointer, at),
                ),
                (false, true) => out.error(
                    "SW401",
                    "a rule nested in And, Or or Not must not have \"Next\"",
                    join(&trail.pointer(&view.pointer, at), "Next"),
                ),
                _ => {}
            }
            for key in ["And", "Or"] {
                if let Some(items) = object.member(key).and_then(Value::as_array) {
                    let list = trail.push(Some(at), Step::Key(key));
                    for (i, item) in items.iter().enumerate() {
                        stack.push((item, trail.push(Some(list), Step::Index(i)), false));
                    }
                }
            }
            if let Some(inner) = object.member("Not") {
                stack.push((inner, trail.push(Some(at), Step::Key("Not")), false));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn next_is_required_at_the_top_and_refused_inside() {
        let text = r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Default":"D","Choices":[
            {"Variable":"$.a","IsNull":true},
            {"Not":{"Variable":"$.a","IsNull":true,"Next":"D"},"Next":"D"}]},"D":{"Type":"Succeed"}}}"#;
        assert_eq!(
            paths(text, "SW401"),
            vec!["/States/C/Choices/0", "/States/C/Choices/1/Not/Next"]
        );
    }

    #[test]
    fn nested_rules_are_named_by_their_whole_pointer() {
        let text = r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Default":"D","Choices":[
            {"Variable":"$.a","IsNull":true,"Next":"D"},
            {"And":[{"Variable":"$.a","IsNull":true},
                    {"Or":[{"Variable":"$.b","IsNull":true,"Next":"D"}]}],"Next":"D"}]},
            "D":{"Type":"Succeed"}}}"#;
        assert_eq!(paths(text, "SW401"), vec!["/States/C/Choices/1/And/1/Or/0/Next"]);
    }
}
