use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::{Catcher, ChoiceRule, Definition, Diagnostic, Position, Range, State, StateType};

/// The result of [`parse`]: the order-preserving value, the model recovered from it, and what is
/// wrong. `definition` is `None` only when the text is not JSON at all.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub value: Option<Value>,
    pub definition: Option<Definition>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses ASL JSON text. Never fails and never panics: problems become diagnostics.
pub fn parse(text: &str) -> Parsed {
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            // serde_json reports one-based line and column; ours are zero-based.
            let at = Position {
                line: err.line().saturating_sub(1) as u32,
                column: err.column().saturating_sub(1) as u32,
            };
            let mut diagnostic = Diagnostic::error("SW000", format!("invalid JSON: {err}"), "");
            diagnostic.range = Range { start: at, end: at };
            return Parsed { value: None, definition: None, diagnostics: vec![diagnostic] };
        }
    };
    let mut diagnostics = Vec::new();
    let definition = match value.as_object() {
        Some(object) => Some(machine(object, String::new(), &mut diagnostics)),
        None => {
            diagnostics.push(Diagnostic::error(
                "SW001",
                "a state machine must be a JSON object",
                "",
            ));
            None
        }
    };
    Parsed { value: Some(value), definition, diagnostics }
}

fn machine(object: &Map<String, Value>, pointer: String, out: &mut Vec<Diagnostic>) -> Definition {
    let start_at = object.get("StartAt").and_then(Value::as_str).map(str::to_owned);
    if start_at.is_none() {
        out.push(Diagnostic::error("SW002", "missing \"StartAt\"", pointer.clone()));
    }
    let mut states = IndexMap::new();
    match object.get("States").and_then(Value::as_object) {
        Some(map) => {
            for (name, body) in map {
                let state_pointer = format!("{pointer}/States/{}", escape(name));
                match body.as_object() {
                    Some(body) => {
                        if let Some(state) = state(name, body, state_pointer, out) {
                            states.insert(name.clone(), state);
                        }
                    }
                    None => out.push(Diagnostic::error(
                        "SW003",
                        format!("state \"{name}\" must be a JSON object"),
                        state_pointer,
                    )),
                }
            }
        }
        None => out.push(Diagnostic::error("SW002", "missing \"States\" object", pointer.clone())),
    }
    Definition {
        pointer,
        start_at,
        comment: object.get("Comment").and_then(Value::as_str).map(str::to_owned),
        states,
    }
}

fn state(
    name: &str,
    body: &Map<String, Value>,
    pointer: String,
    out: &mut Vec<Diagnostic>,
) -> Option<State> {
    let type_name = body.get("Type").and_then(Value::as_str).unwrap_or("");
    let Some(state_type) = StateType::parse(type_name) else {
        out.push(Diagnostic::error(
            "SW004",
            format!("state \"{name}\" has an unknown Type \"{type_name}\""),
            format!("{pointer}/Type"),
        ));
        return None;
    };
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let choices = body
        .get("Choices")
        .and_then(Value::as_array)
        .map(|rules| {
            rules
                .iter()
                .map(|rule| ChoiceRule {
                    next: rule.get("Next").and_then(Value::as_str).map(str::to_owned),
                    label: choice_label(rule),
                })
                .collect()
        })
        .unwrap_or_default();
    let catch = body
        .get("Catch")
        .and_then(Value::as_array)
        .map(|catchers| {
            catchers
                .iter()
                .map(|catcher| Catcher {
                    error_equals: catcher
                        .get("ErrorEquals")
                        .and_then(Value::as_array)
                        .map(|names| {
                            names.iter().filter_map(Value::as_str).map(str::to_owned).collect()
                        })
                        .unwrap_or_default(),
                    next: catcher.get("Next").and_then(Value::as_str).map(str::to_owned),
                })
                .collect()
        })
        .unwrap_or_default();
    let branches = body
        .get("Branches")
        .and_then(Value::as_array)
        .map(|branches| {
            branches
                .iter()
                .enumerate()
                .filter_map(|(i, branch)| {
                    Some(machine(branch.as_object()?, format!("{pointer}/Branches/{i}"), out))
                })
                .collect()
        })
        .unwrap_or_default();
    let item_processor = ["ItemProcessor", "Iterator"].iter().find_map(|key| {
        let inner = body.get(*key)?.as_object()?;
        Some(machine(inner, format!("{pointer}/{key}"), out))
    });
    Some(State {
        name: name.to_owned(),
        pointer,
        state_type,
        next: text("Next"),
        end: body.get("End").and_then(Value::as_bool).unwrap_or(false),
        choices,
        default: text("Default"),
        catch,
        branches,
        item_processor,
    })
}

/// A short, readable form of a Choice rule's condition, for edge labels.
fn choice_label(rule: &Value) -> String {
    const OPERATORS: &[(&str, &str)] = &[
        ("StringEquals", "=="),
        ("NumericEquals", "=="),
        ("BooleanEquals", "=="),
        ("TimestampEquals", "=="),
        ("StringLessThan", "<"),
        ("NumericLessThan", "<"),
        ("TimestampLessThan", "<"),
        ("StringGreaterThan", ">"),
        ("NumericGreaterThan", ">"),
        ("TimestampGreaterThan", ">"),
        ("StringLessThanEquals", "<="),
        ("NumericLessThanEquals", "<="),
        ("TimestampLessThanEquals", "<="),
        ("StringGreaterThanEquals", ">="),
        ("NumericGreaterThanEquals", ">="),
        ("TimestampGreaterThanEquals", ">="),
        ("StringMatches", "matches"),
    ];
    let Some(object) = rule.as_object() else { return String::from("?") };
    if let Some(condition) = object.get("Condition").and_then(Value::as_str) {
        return condition.to_owned();
    }
    let variable = object.get("Variable").and_then(Value::as_str).unwrap_or("");
    for (key, value) in object {
        let (operator, is_path) = match key.strip_suffix("Path") {
            Some(base) if base != "Is" => (base, true),
            _ => (key.as_str(), false),
        };
        if let Some((_, symbol)) = OPERATORS.iter().find(|(name, _)| *name == operator) {
            let operand =
                if is_path { value.as_str().unwrap_or("").to_owned() } else { value.to_string() };
            return format!("{variable} {symbol} {operand}");
        }
        if let Some(test) = key.strip_prefix("Is") {
            let negation = if value == &Value::Bool(false) { "not " } else { "" };
            return format!("{variable} {negation}{}", test.to_lowercase());
        }
        match key.as_str() {
            "And" | "Or" => {
                let parts: Vec<String> = value
                    .as_array()
                    .map(|rules| rules.iter().map(choice_label).collect())
                    .unwrap_or_default();
                let joiner = if key == "And" { " && " } else { " || " };
                return format!("({})", parts.join(joiner));
            }
            "Not" => return format!("!({})", choice_label(value)),
            _ => {}
        }
    }
    String::from("?")
}

/// Escapes one JSON Pointer reference token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_json_is_located_not_fatal() {
        let parsed = parse("{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}");
        assert!(parsed.definition.is_none());
        let diagnostic = &parsed.diagnostics[0];
        assert_eq!(diagnostic.range.start.line, 2, "the comma on the third line is the problem");
    }

    #[test]
    fn nested_machines_keep_their_pointers() {
        let parsed = parse(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
               "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}}}"#,
        );
        let definition = parsed.definition.expect("valid JSON gives a definition");
        let branch = &definition.states["P"].branches[0];
        assert_eq!(branch.pointer, "/States/P/Branches/0");
        assert_eq!(branch.states["A"].pointer, "/States/P/Branches/0/States/A");
    }

    #[test]
    fn choice_rules_get_readable_labels() {
        let rule = serde_json::json!({"Variable": "$.kind", "StringEquals": "book", "Next": "B"});
        assert_eq!(choice_label(&rule), "$.kind == \"book\"");
        let rule =
            serde_json::json!({"Not": {"Variable": "$.n", "NumericGreaterThanPath": "$.max"}});
        assert_eq!(choice_label(&rule), "!($.n > $.max)");
    }
}
