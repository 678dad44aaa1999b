//! SW400 choice-rule: a Choice rule that is not exactly one well-formed condition.
//!
//! **What**: in JSONPath states, a rule with no operator or more than one (`And`, `Or`, `Not`,
//! or one comparison such as `StringEquals`, `NumericLessThanPath`, `IsPresent`); a comparison
//! without `Variable`; an operand of the wrong type (`NumericEquals: "3"`); `And`/`Or` that are
//! not non-empty arrays of rules; `Not` that is not a rule; an unknown field in a rule; an
//! empty `Choices`. In JSONata states, a rule without `Condition`, or with JSONPath operators.
//!
//! **Why**: "A Choice Rule MUST have exactly one field which is a comparison operator or a
//! Boolean operator" and "Choices … MUST be a non-empty array" (States Language specification);
//! "JSONata rules use Condition" (AWS guide, Choice workflow state). AWS refuses other rules.
//!
//! **Example**: `{"Variable": "$.n", "NumericEquals": 1, "NumericLessThan": 5, "Next": "A"}`.
//!
//! **Fix**: split the rule, or combine comparisons with `And`/`Or`.

use serde_json::{Map, Value};

use crate::fields::{COMPARISONS, TYPE_TESTS, is_choice_operator};
use crate::model::QueryLanguage;
use crate::object::{Members, Step, Trail, join};
use crate::source_map::escape;
use crate::validate::{Context, Rule, RuleInfo, Sink, suggest, type_name};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW400",
        name: "choice-rule",
        fix: "Give each rule exactly one operator (combine several with And/Or); JSONata rules use Condition.",
    },
    check,
};

const RULE_FIELDS: &[&str] =
    &["Variable", "Next", "Comment", "Assign", "Output", "And", "Or", "Not", "Condition"];

fn check(cx: &Context<'_>, out: &mut Sink) {
    // Pointers are written only for what is reported; the trail and the stack are reused
    // from state to state.
    let mut trail = Trail::default();
    let mut stack: Vec<(&Value, usize)> = Vec::new();
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Choice) {
            continue;
        }
        let Some(rules) = view.field("Choices").and_then(Value::as_array) else { continue };
        if rules.is_empty() {
            out.error("SW400", "Choices must hold at least one rule", view.at("Choices"));
        }
        trail.clear();
        let choices = trail.push(None, Step::Key("Choices"));
        for (i, rule) in rules.iter().enumerate() {
            stack.push((rule, trail.push(Some(choices), Step::Index(i))));
        }
        while let Some((rule, at)) = stack.pop() {
            let here = Here { trail: &trail, base: &view.pointer, at };
            let Some(object) = rule.as_object() else {
                out.error(
                    "SW400",
                    format!("a Choice rule must be an object, not {}", type_name(rule)),
                    here.pointer(),
                );
                continue;
            };
            match view.language {
                QueryLanguage::Jsonata => jsonata_rule(object, &here, out),
                QueryLanguage::JsonPath => {
                    let nested = jsonpath_rule(object, &here, out);
                    if let Some((key, items)) = nested {
                        let operand = trail.push(Some(at), Step::Key(key));
                        match items {
                            Nested::Rules(items) => {
                                for (i, item) in items.iter().enumerate() {
                                    stack.push((item, trail.push(Some(operand), Step::Index(i))));
                                }
                            }
                            Nested::Rule(inner) => stack.push((inner, operand)),
                        }
                    }
                }
            }
        }
    }
}

/// Where a rule is: its place in the trail of its state's Choices.
struct Here<'t, 'v> {
    trail: &'t Trail<'v>,
    base: &'t str,
    at: usize,
}

impl Here<'_, '_> {
    fn pointer(&self) -> String {
        self.trail.pointer(self.base, self.at)
    }

    fn member(&self, key: &str) -> String {
        join(&self.pointer(), key)
    }
}

/// The rules nested in a rule: `And`/`Or`'s array, or `Not`'s rule.
enum Nested<'v> {
    Rules(&'v [Value]),
    Rule(&'v Value),
}

fn jsonata_rule(object: &Map<String, Value>, here: &Here<'_, '_>, out: &mut Sink) {
    match object.member("Condition") {
        None => out.error("SW400", "a JSONata Choice rule needs \"Condition\"", here.pointer()),
        Some(Value::String(_) | Value::Bool(_)) => {}
        Some(other) => out.error(
            "SW400",
            format!(
                "Condition must be a JSONata expression or a boolean, not {}",
                type_name(other)
            ),
            here.member("Condition"),
        ),
    }
    for key in object.keys() {
        if key == "Variable"
            || key == "And"
            || key == "Or"
            || key == "Not"
            || is_choice_operator(key)
        {
            out.error(
                "SW400",
                format!("\"{key}\" belongs to JSONPath Choice rules; JSONata rules use Condition"),
                here.member(key),
            );
        }
    }
}

/// Checks a JSONPath rule; returns the rules nested in it, under their operator, when it is
/// `And`, `Or` or `Not` with the right operand.
fn jsonpath_rule<'v>(
    object: &'v Map<String, Value>,
    here: &Here<'_, '_>,
    out: &mut Sink,
) -> Option<(&'static str, Nested<'v>)> {
    let mut operators = object
        .keys()
        .filter(|k| matches!(k.as_str(), "And" | "Or" | "Not") || is_choice_operator(k));
    let (first, second) = (operators.next(), operators.next());
    for key in object.keys() {
        if !RULE_FIELDS.contains(&key.as_str()) && !is_choice_operator(key) {
            let known =
                COMPARISONS.iter().chain(TYPE_TESTS).copied().chain(RULE_FIELDS.iter().copied());
            out.error(
                "SW400",
                format!("unknown field \"{key}\" in a Choice rule{}", suggest(key, known)),
                here.member(key),
            );
        }
    }
    if object.has("Condition") {
        out.error(
            "SW400",
            "\"Condition\" belongs to JSONata Choice rules; JSONPath rules use Variable and an operator",
            here.member("Condition"),
        );
    }
    let operator = match (first, second) {
        (None, _) => {
            if !object.has("Condition") {
                out.error(
                    "SW400",
                    "a Choice rule needs one comparison or And/Or/Not",
                    here.pointer(),
                )
            }
            return None;
        }
        (Some(operator), None) => operator.as_str(),
        (Some(_), Some(second)) => {
            let n = 2 + operators.count();
            out.error(
                "SW400",
                format!("a Choice rule has exactly one operator, this one has {n}; combine them with And or Or"),
                format!("{}/{}", here.pointer(), escape(second)),
            );
            return None;
        }
    };
    let operand = object.member(operator)?;
    let operand_at = || here.member(operator);
    match operator {
        "And" | "Or" => match operand.as_array() {
            Some(items) if !items.is_empty() => {
                let key = if operator == "And" { "And" } else { "Or" };
                return Some((key, Nested::Rules(items)));
            }
            _ => out.error(
                "SW400",
                format!("{operator} must be a non-empty array of rules"),
                operand_at(),
            ),
        },
        "Not" => return Some(("Not", Nested::Rule(operand))),
        _ => {
            if !object.member("Variable").is_some_and(Value::is_string) {
                out.error(
                    "SW400",
                    format!("a {operator} comparison needs \"Variable\""),
                    here.pointer(),
                );
            }
            let expected = if operator.ends_with("Path")
                || operator.starts_with("String")
                || operator.starts_with("Timestamp")
            {
                ("a string", operand.is_string())
            } else if operator.starts_with("Numeric") {
                ("a number", operand.is_number())
            } else {
                ("a boolean", operand.is_boolean())
            };
            let timestamp = operator.starts_with("Timestamp") && !operator.ends_with("Path");
            if let (true, Some(stamp)) = (timestamp, operand.as_str()) {
                if !super::sw600_wait_time::is_timestamp(stamp) {
                    out.error(
                        "SW400",
                        format!("{operator} takes an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z), not \"{stamp}\""),
                        operand_at(),
                    );
                }
            }
            if !expected.1 {
                out.error(
                    "SW400",
                    format!("{operator} takes {}, not {}", expected.0, type_name(operand)),
                    operand_at(),
                );
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    fn choice(rule: &str) -> String {
        format!(
            r#"{{"StartAt":"C","States":{{"C":{{"Type":"Choice","Choices":[{rule}],"Default":"D"}},"D":{{"Type":"Succeed"}}}}}}"#
        )
    }

    #[test]
    fn two_operators_missing_variable_and_wrong_operands_are_refused() {
        let text = choice(r#"{"Variable":"$.n","NumericEquals":1,"NumericLessThan":5,"Next":"D"}"#);
        assert_eq!(paths(&text, "SW400"), vec!["/States/C/Choices/0/NumericLessThan"]);
        let text = choice(r#"{"NumericEquals":"1","Next":"D"}"#);
        assert_eq!(
            paths(&text, "SW400"),
            vec!["/States/C/Choices/0", "/States/C/Choices/0/NumericEquals"]
        );
        let text = choice(r#"{"And":[],"Next":"D"}"#);
        assert_eq!(paths(&text, "SW400"), vec!["/States/C/Choices/0/And"]);
        let text = choice(r#"{"Variable":"$.s","StringEqual":"x","Next":"D"}"#);
        assert_eq!(
            paths(&text, "SW400"),
            vec!["/States/C/Choices/0", "/States/C/Choices/0/StringEqual"]
        );
    }

    #[test]
    fn timestamps_must_be_rfc_3339() {
        let text = choice(r#"{"Variable":"$.t","TimestampLessThan":"2026-01-01","Next":"D"}"#);
        assert_eq!(paths(&text, "SW400"), vec!["/States/C/Choices/0/TimestampLessThan"]);
        let text =
            choice(r#"{"Variable":"$.t","TimestampLessThan":"2026-01-01T00:00:00Z","Next":"D"}"#);
        assert!(paths(&text, "SW400").is_empty());
    }

    #[test]
    fn nested_rules_are_checked() {
        let text = choice(r#"{"Not":{"Or":[{"Variable":"$.a","IsNull":"yes"}]},"Next":"D"}"#);
        assert_eq!(paths(&text, "SW400"), vec!["/States/C/Choices/0/Not/Or/0/IsNull"]);
        let text = choice(
            r#"{"And":[{"Variable":"$.a","IsPresent":true},{"Not":{"Variable":"$.b","StringMatches":"x*"}}],"Next":"D"}"#,
        );
        assert!(paths(&text, "SW400").is_empty());
    }

    #[test]
    fn jsonata_rules_need_a_condition() {
        let text = r#"{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice",
            "Choices":[{"Condition":"{% $states.input.n > 1 %}","Next":"D"},{"Variable":"$.n","IsNull":true,"Next":"D"}],
            "Default":"D"},"D":{"Type":"Succeed"}}}"#;
        assert_eq!(
            paths(text, "SW400"),
            vec![
                "/States/C/Choices/1",
                "/States/C/Choices/1/IsNull",
                "/States/C/Choices/1/Variable"
            ]
        );
    }
}
