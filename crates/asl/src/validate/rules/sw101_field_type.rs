//! SW101 field-type: a known field holds the wrong kind of JSON value.
//!
//! **What**: `Next` that is not a string, `End` that is not a boolean, `Retry` that is not an
//! array, `TimeoutSeconds` that is not an integer (or a JSONata expression in a JSONata state),
//! and so on for every field of the language.
//!
//! **Why**: the specification gives each field a type ("Next … MUST be a string", "End … a
//! boolean", "Retry … an array of objects") and AWS refuses other types at CreateStateMachine
//! with `SCHEMA_VALIDATION_FAILED`.
//!
//! **Example**: `"End": "true"` (a string, not a boolean).
//!
//! **Fix**: write the value with the type the field takes.

use serde_json::Value;

use crate::model::QueryLanguage;
use crate::object::{Members, join, join_index};
use crate::validate::{Context, Rule, RuleInfo, Sink, type_name};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW101",
        name: "field-type",
        fix: "Write the value with the JSON type the field takes.",
    },
    check,
};

#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bool,
    Obj,
    Arr,
    StrOrNull,
    /// A non-negative integer, or a JSONata expression in a JSONata state.
    Int,
    /// A number, or a JSONata expression in a JSONata state.
    Num,
    /// An object, or a JSONata expression in a JSONata state.
    ObjOrExpr,
    /// An array, or a JSONata expression in a JSONata state.
    ArrOrExpr,
    Any,
}

fn state_kind(field: &str) -> Kind {
    match field {
        "Type"
        | "Comment"
        | "QueryLanguage"
        | "Next"
        | "Resource"
        | "Default"
        | "Timestamp"
        | "Error"
        | "Cause"
        | "Label"
        | "TimeoutSecondsPath"
        | "HeartbeatSecondsPath"
        | "SecondsPath"
        | "TimestampPath"
        | "ErrorPath"
        | "CausePath"
        | "ItemsPath"
        | "MaxConcurrencyPath"
        | "ToleratedFailurePercentagePath"
        | "ToleratedFailureCountPath" => Kind::Str,
        "End" => Kind::Bool,
        "InputPath" | "OutputPath" | "ResultPath" => Kind::StrOrNull,
        "Parameters" | "ResultSelector" | "ItemReader" | "ItemBatcher" | "ResultWriter"
        | "Credentials" | "Assign" | "ItemProcessor" | "Iterator" => Kind::Obj,
        "Arguments" | "ItemSelector" => Kind::ObjOrExpr,
        "Retry" | "Catch" | "Choices" | "Branches" => Kind::Arr,
        "Items" => Kind::ArrOrExpr,
        "TimeoutSeconds"
        | "HeartbeatSeconds"
        | "Seconds"
        | "MaxConcurrency"
        | "ToleratedFailureCount" => Kind::Int,
        "ToleratedFailurePercentage" => Kind::Num,
        _ => Kind::Any,
    }
}

fn fits(value: &Value, kind: Kind, language: QueryLanguage) -> Option<&'static str> {
    let expression = language == QueryLanguage::Jsonata
        && value.as_str().is_some_and(crate::validate::paths::is_jsonata);
    let ok = match kind {
        Kind::Str => value.is_string(),
        Kind::Bool => value.is_boolean(),
        Kind::Obj => value.is_object(),
        Kind::Arr => value.is_array(),
        Kind::StrOrNull => value.is_string() || value.is_null(),
        Kind::Int => value.as_u64().is_some() || value.as_i64().is_some() || expression,
        Kind::Num => value.is_number() || expression,
        Kind::ObjOrExpr => value.is_object() || expression,
        Kind::ArrOrExpr => value.is_array() || expression,
        Kind::Any => true,
    };
    if ok {
        return None;
    }
    Some(match kind {
        Kind::Str => "a string",
        Kind::Bool => "a boolean",
        Kind::Obj => "an object",
        Kind::Arr => "an array",
        Kind::StrOrNull => "a string or null",
        Kind::Int => "an integer",
        Kind::Num => "a number",
        Kind::ObjOrExpr => "an object or a JSONata expression",
        Kind::ArrOrExpr => "an array or a JSONata expression",
        Kind::Any => "any value",
    })
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    for machine in cx.machines() {
        let Some(object) = cx.machine_object(machine) else { continue };
        for (field, value) in object {
            let kind = match field.as_str() {
                "StartAt" | "Comment" | "Version" | "QueryLanguage" => Kind::Str,
                "States" | "ProcessorConfig" => Kind::Obj,
                "TimeoutSeconds" => Kind::Int,
                _ => Kind::Any,
            };
            if let Some(expected) = fits(value, kind, QueryLanguage::JsonPath) {
                out.error(
                    "SW101",
                    format!("\"{field}\" must be {expected}, not {}", type_name(value)),
                    join(&machine.pointer, field),
                );
            }
        }
    }
    for view in cx.states() {
        let Some(object) = view.object() else { continue };
        for (field, value) in object {
            if let Some(expected) = fits(value, state_kind(field), view.language) {
                out.error(
                    "SW101",
                    format!("\"{field}\" must be {expected}, not {}", type_name(value)),
                    view.at(field),
                );
            }
        }
        for list in ["Retry", "Catch", "Branches"] {
            let Some(items) = object.member(list).and_then(Value::as_array) else { continue };
            for (i, item) in items.iter().enumerate() {
                let at = || join_index(&view.at(list), i);
                let Some(item) = item.as_object() else {
                    out.error("SW101", format!("each {list} entry must be an object"), at());
                    continue;
                };
                for (field, value) in item {
                    let kind = match field.as_str() {
                        "ErrorEquals" => Kind::Arr,
                        "Next" | "JitterStrategy" | "Comment" => Kind::Str,
                        "ResultPath" => Kind::StrOrNull,
                        "Assign" => Kind::Obj,
                        "IntervalSeconds" | "MaxAttempts" | "MaxDelaySeconds" => Kind::Int,
                        "BackoffRate" => Kind::Num,
                        _ => Kind::Any,
                    };
                    let kind = if list == "Branches" { Kind::Any } else { kind };
                    if let Some(expected) = fits(value, kind, QueryLanguage::JsonPath) {
                        out.error(
                            "SW101",
                            format!("\"{field}\" must be {expected}, not {}", type_name(value)),
                            join(&at(), field),
                        );
                    }
                }
                if let Some(errors) = item.member("ErrorEquals").and_then(Value::as_array) {
                    for (j, error) in errors.iter().enumerate() {
                        if !error.is_string() {
                            out.error(
                                "SW101",
                                "error names in ErrorEquals must be strings",
                                format!("{}/ErrorEquals/{j}", at()),
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn wrong_types_are_reported_at_the_field() {
        assert_eq!(
            paths(&one_state(r#"{"Type":"Pass","Next":"Done","End":"true"}"#), "SW101"),
            vec!["/States/A/End"]
        );
        assert_eq!(paths(r#"{"StartAt":1,"States":{}}"#, "SW101"), vec!["/StartAt"]);
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Done",
                "TimeoutSeconds":"10","Retry":[{"ErrorEquals":[1]}]}"#,
        );
        assert_eq!(
            paths(&text, "SW101"),
            vec!["/States/A/Retry/0/ErrorEquals/0", "/States/A/TimeoutSeconds"]
        );
    }

    #[test]
    fn jsonata_expressions_are_accepted_for_numbers_in_jsonata_states() {
        let text = one_state(
            r#"{"Type":"Wait","QueryLanguage":"JSONata","Seconds":"{% $states.input.n %}","Next":"Done"}"#,
        );
        assert!(paths(&text, "SW101").is_empty());
    }
}
