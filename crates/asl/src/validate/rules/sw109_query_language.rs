//! SW109 query-language: an invalid `QueryLanguage`.
//!
//! **What**: a `QueryLanguage` other than `JSONPath` or `JSONata`; a state set to `JSONPath`
//! in a machine whose top level is `JSONata`.
//!
//! **Why**: the AWS guide: QueryLanguage is "JSONPath" (the default) or "JSONata", set at the
//! top level and optionally per state. AWS refuses a JSONPath state under a JSONata machine:
//! "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"
//! (measured, floci-io/floci#2968).
//!
//! **Example**: `{"QueryLanguage": "JSONata", ..., "States": {"A": {"QueryLanguage":
//! "JSONPath", ...}}}`.
//!
//! **Fix**: use `JSONPath` or `JSONata`; convert the state to JSONata or remove the top-level
//! setting.

use serde_json::Value;

use crate::model::QueryLanguage;
use crate::object::Members;
use crate::validate::{Context, Rule, RuleInfo, Sink, suggest};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW109",
        name: "query-language",
        fix: "Use \"JSONPath\" or \"JSONata\"; a JSONata machine cannot hold JSONPath states.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let mut check_value = |value: Option<&Value>, at: &dyn Fn() -> String| {
        if let Some(name) = value.and_then(Value::as_str) {
            if QueryLanguage::parse(name).is_none() {
                let hint = suggest(name, ["JSONPath", "JSONata"]);
                out.error("SW109", format!("unknown QueryLanguage \"{name}\"{hint}"), at());
            }
        }
    };
    check_value(cx.root.member("QueryLanguage"), &|| "/QueryLanguage".to_owned());
    let views = cx.states();
    for view in views {
        check_value(view.field("QueryLanguage"), &|| view.at("QueryLanguage"));
    }
    if cx.definition.query_language == Some(QueryLanguage::Jsonata) {
        for view in views {
            if view.field("QueryLanguage").and_then(Value::as_str) == Some("JSONPath") {
                out.error(
                    "SW109",
                    "QueryLanguage cannot be JSONPath when the whole state machine is JSONata",
                    view.at("QueryLanguage"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn jsonpath_under_jsonata_and_unknown_names_are_refused() {
        let text = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
            "A":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}"#;
        assert_eq!(paths(text, "SW109"), vec!["/States/A/QueryLanguage"]);
        let text =
            r#"{"QueryLanguage":"JsonPath","StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#;
        assert_eq!(paths(text, "SW109"), vec!["/QueryLanguage"]);
    }

    #[test]
    fn jsonata_under_jsonpath_passes() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONata","End":true}}}"#;
        assert!(paths(text, "SW109").is_empty());
    }
}
