//! SW100 required-field: a field the language requires is missing.
//!
//! **What**: a machine (top level, Parallel branch, Map processor) without `StartAt` or `States`;
//! a state without `Type`; a Task without `Resource`; a Choice without `Choices`; a Parallel
//! without `Branches`; a Map without `ItemProcessor` (or the legacy `Iterator`); a retrier or
//! catcher without `ErrorEquals`; a catcher without `Next`; a Parallel with no branch.
//!
//! **Why**: the States Language specification: "A State Machine MUST have an object field named
//! States" and "a string field named StartAt"; "All states MUST have a Type field"; the Task
//! state "MUST have a Resource field"; "A Catcher MUST contain … ErrorEquals … and Next". AWS
//! refuses such definitions at CreateStateMachine (`SCHEMA_VALIDATION_FAILED`).
//!
//! **Example**: `{"StartAt": "A", "States": {"A": {"Type": "Task", "End": true}}}`.
//!
//! **Fix**: add the field.

use serde_json::Value;

use crate::object::{Members, join};
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo { code: "SW100", name: "required-field", fix: "Add the missing field." },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for machine in cx.machines() {
        let Some(object) = cx.machine_object(machine) else { continue };
        for field in ["StartAt", "States"] {
            if !object.has(field) {
                let what =
                    if machine.pointer.is_empty() { "a state machine" } else { "a nested machine" };
                out.error("SW100", format!("{what} needs \"{field}\""), machine.pointer.clone());
            }
        }
    }
    for view in cx.states() {
        let Some(object) = view.object() else {
            out.error(
                "SW100",
                format!("state \"{}\" must be an object", view.name),
                view.pointer.clone(),
            );
            continue;
        };
        let Some(kind) = object.member("Type").and_then(Value::as_str) else {
            if !object.has("Type") {
                out.error(
                    "SW100",
                    format!("state \"{}\" needs a \"Type\"", view.name),
                    view.pointer.clone(),
                );
            }
            continue;
        };
        let required: &[&str] = match kind {
            "Task" => &["Resource"],
            "Choice" => &["Choices"],
            "Parallel" => &["Branches"],
            _ => &[],
        };
        for field in required {
            if !object.has(field) {
                out.error(
                    "SW100",
                    format!("a {kind} state needs \"{field}\""),
                    view.pointer.clone(),
                );
            }
        }
        if object.member("Branches").and_then(Value::as_array).is_some_and(Vec::is_empty) {
            out.error(
                "SW100",
                "Branches needs at least one branch",
                join(&view.pointer, "Branches"),
            );
        }
        if kind == "Map" && !object.has("ItemProcessor") && !object.has("Iterator") {
            out.error("SW100", "a Map state needs \"ItemProcessor\"", view.pointer.clone());
        }
        for (list, needs_next) in [("Retry", false), ("Catch", true)] {
            let Some(items) = object.member(list).and_then(Value::as_array) else { continue };
            for (i, item) in items.iter().enumerate() {
                let Some(item) = item.as_object() else { continue };
                let at = || format!("{}/{list}/{i}", view.pointer);
                if !item.has("ErrorEquals") {
                    out.error("SW100", format!("each {list} entry needs \"ErrorEquals\""), at());
                }
                if needs_next && !item.has("Next") {
                    out.error("SW100", "each Catch entry needs \"Next\"", at());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn missing_fields_are_reported_where_they_belong() {
        assert_eq!(paths(r#"{"States":{}}"#, "SW100"), vec![""]);
        assert_eq!(
            paths(&one_state(r#"{"Type":"Task","Next":"Done"}"#), "SW100"),
            vec!["/States/A"]
        );
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","Next":"Done",
                "Catch":[{"ErrorEquals":["States.ALL"]}]}"#,
        );
        assert_eq!(paths(&text, "SW100"), vec!["/States/A/Catch/0"]);
        let text = one_state(r#"{"Type":"Parallel","Branches":[],"Next":"Done"}"#);
        assert_eq!(paths(&text, "SW100"), vec!["/States/A/Branches"]);
    }

    #[test]
    fn complete_states_pass() {
        assert!(paths(&one_state(r#"{"Type":"Pass","Next":"Done"}"#), "SW100").is_empty());
    }
}
