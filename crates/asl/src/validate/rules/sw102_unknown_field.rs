//! SW102 unknown-field: a field the States Language does not have.
//!
//! **What**: a key of a machine, state, retrier or catcher that no part of the language defines
//! (typically a typo: `Coment`, `Nxt`). The field is kept in the text and in the parsed value;
//! only the typed model does not read it.
//!
//! **Why**: AWS validates definitions against a closed schema and refuses additional properties
//! at CreateStateMachine: `SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /States/A`
//! (measured behaviour, e.g. floci-io/floci#2735; asl-validator reports `additionalProperties`).
//!
//! **Example**: `{"Type": "Pass", "Coment": "x", "End": true}`.
//!
//! **Fix**: correct the spelling, or remove the field.

use serde_json::{Map, Value};

use crate::fields::{
    self, BRANCH_FIELDS, CATCHER_FIELDS, PROCESSOR_FIELDS, RETRIER_FIELDS, TOP_FIELDS,
};
use crate::object::{Members, join, join_index};
use crate::validate::{Context, Rule, RuleInfo, Sink, suggest};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW102",
        name: "unknown-field",
        fix: "Correct the field's spelling or remove it.",
    },
    check,
};

/// Reports the members of `object` that are not among `known`.
fn report(object: &Map<String, Value>, known: &[&str], at: &str, out: &mut Sink) {
    for field in object.keys() {
        if !known.contains(&field.as_str()) {
            report_field(field, known, at, out);
        }
    }
}

/// Reports the member `field` of the object at `at`, with the closest of `names`.
fn report_field(field: &str, names: &[&str], at: &str, out: &mut Sink) {
    out.error(
        "SW102",
        format!("unknown field \"{field}\"{}", suggest(field, names.iter().copied())),
        join(at, field),
    );
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    for machine in cx.machines() {
        let Some(object) = cx.machine_object(machine) else { continue };
        let known = if machine.pointer.is_empty() {
            TOP_FIELDS
        } else if machine.pointer.ends_with("/ItemProcessor") {
            PROCESSOR_FIELDS
        } else {
            BRANCH_FIELDS
        };
        report(object, known, &machine.pointer, out);
        if let Some(config) = object.member("ProcessorConfig").and_then(Value::as_object) {
            report(
                config,
                &["Mode", "ExecutionType"],
                &join(&machine.pointer, "ProcessorConfig"),
                out,
            );
        }
    }
    let state_fields: Vec<&str> = fields::STATE_FIELDS.iter().map(|f| f.name).collect();
    for view in cx.states() {
        let Some(object) = view.object() else { continue };
        for (field, _, spec) in cx.fields(view) {
            if spec.is_none() {
                report_field(field, &state_fields, &view.pointer, out);
            }
        }
        for (list, known) in [("Retry", RETRIER_FIELDS), ("Catch", CATCHER_FIELDS)] {
            let Some(items) = object.member(list).and_then(Value::as_array) else { continue };
            let names: Vec<&str> = known.iter().map(|(n, _)| *n).collect();
            for (i, item) in items.iter().enumerate() {
                let Some(item) = item.as_object() else { continue };
                if item.keys().any(|k| !names.contains(&k.as_str())) {
                    report(item, &names, &join_index(&view.at(list), i), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{diagnostics, one_state, paths};

    #[test]
    fn typos_are_reported_with_a_suggestion() {
        let text = one_state(r#"{"Type":"Pass","Coment":"x","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW102"), vec!["/States/A/Coment"]);
        let parsed = crate::parse(&text);
        let d = parsed.diagnostics.iter().find(|d| d.code == "SW102").expect("reported");
        assert!(d.message.contains("did you mean \"Comment\""), "{}", d.message);
        assert_eq!(
            paths(r#"{"StartAt":"A","Colour":1,"States":{"A":{"Type":"Succeed"}}}"#, "SW102"),
            vec!["/Colour"]
        );
    }

    #[test]
    fn known_fields_pass() {
        assert!(
            diagnostics(&one_state(r#"{"Type":"Pass","Comment":"x","Next":"Done"}"#)).is_empty()
        );
    }
}
