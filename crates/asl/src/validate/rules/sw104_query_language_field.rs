//! SW104 query-language-field: a field of one query language in a state of the other.
//!
//! **What**: `Parameters`, `ResultSelector`, `ResultPath`, `InputPath`, `OutputPath`, `Result`
//! and the `…Path` variants in a JSONata state; `Arguments`, `Output` and `Items` in a JSONPath
//! state; in Catch, `ResultPath` under JSONata and `Output` under JSONPath.
//!
//! **Why**: "After selecting JSONata, your workflow fields will be reduced from five JSONPath
//! fields (InputPath, Parameters, ResultSelector, ResultPath, and OutputPath) to only two
//! fields: Arguments and Output" (AWS guide, Transforming data with JSONata). AWS refuses the
//! mix: "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the
//! 'JSONata' QueryLanguage" (measured, floci-io/floci#2968, #3733).
//!
//! **Example**: `{"QueryLanguage": "JSONata", "Type": "Pass", "Parameters": {...}, "End": true}`.
//!
//! **Fix**: use the field of the state's language (`Arguments`/`Output` for JSONata), or change
//! the state's `QueryLanguage`.

use serde_json::Value;

use crate::fields::{CATCHER_FIELDS, Only};
use crate::model::QueryLanguage;
use crate::object::Members;
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW104",
        name: "query-language-field",
        fix: "Use the field of the state's query language, or change its QueryLanguage.",
    },
    check,
};

fn refused(only: Only, language: QueryLanguage) -> bool {
    !only.allows(language)
}

fn message(field: &str, language: QueryLanguage) -> String {
    let other = match language {
        QueryLanguage::JsonPath => "JSONata",
        QueryLanguage::Jsonata => "JSONPath",
    };
    format!(
        "the QueryLanguage is {}, but field \"{field}\" is only supported for {other}",
        language.as_str()
    )
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        let Some(object) = view.object() else { continue };
        for (field, _, spec) in cx.fields(view) {
            let Some(spec) = spec else { continue };
            if refused(spec.only, view.language) {
                out.error("SW104", message(field, view.language), view.at(field));
            }
        }
        let Some(catchers) = object.member("Catch").and_then(Value::as_array) else { continue };
        for (i, catcher) in catchers.iter().enumerate() {
            let Some(catcher) = catcher.as_object() else { continue };
            for field in catcher.keys() {
                let Some((_, only)) = CATCHER_FIELDS.iter().find(|(n, _)| n == field) else {
                    continue;
                };
                if refused(*only, view.language) {
                    out.error(
                        "SW104",
                        message(field, view.language),
                        format!("{}/Catch/{i}/{field}", view.pointer),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn jsonpath_fields_in_jsonata_states_are_refused() {
        let text = one_state(
            r#"{"Type":"Pass","QueryLanguage":"JSONata","Parameters":{"a":1},"Next":"Done"}"#,
        );
        assert_eq!(paths(&text, "SW104"), vec!["/States/A/Parameters"]);
        let text = one_state(r#"{"Type":"Pass","Output":{"a":1},"Next":"Done"}"#);
        assert_eq!(paths(&text, "SW104"), vec!["/States/A/Output"]);
    }

    #[test]
    fn each_language_with_its_fields_passes() {
        let text = one_state(
            r#"{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}","Next":"Done"}"#,
        );
        assert!(paths(&text, "SW104").is_empty());
    }
}
