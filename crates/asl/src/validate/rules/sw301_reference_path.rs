//! SW301 reference-path: a field that takes a reference path holds something more.
//!
//! **What**: `ResultPath` (state or catcher), `ItemsPath`, and the `…Path` forms of number and
//! time fields (`TimeoutSecondsPath`, `SecondsPath`, `TimestampPath`, `MaxConcurrencyPath`,
//! `ToleratedFailure…Path`, `ItemBatcher`/`ReaderConfig` `…Path`) with wildcards, filters,
//! slices, unions or deep scans; and Fail `ErrorPath`/`CausePath` that are neither a reference
//! path nor an intrinsic function. `ResultPath` must start at the input (`$`), and the `…Path`
//! number and time fields cannot read the context object (`$$`) — only `ItemsPath` can.
//!
//! **Why**: "A reference path is a path whose syntax is limited in such a way that it can
//! identify only a single node in a JSON structure: you can access object fields using only dot
//! (.) and square bracket ([ ]) notation; the operators @ .. , : ? * aren't supported" (AWS
//! guide, Using JSONPath paths). AWS refuses them: "Value is not a Reference Path" (measured,
//! floci-io/floci#3733).
//!
//! **Example**: `"ResultPath": "$.items[*].result"`.
//!
//! **Fix**: point at one node: `$.result`, `$.items[0].result`.

use crate::validate::paths::{check_path, is_intrinsic};
use crate::validate::{Context, Role, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW301",
        name: "reference-path",
        fix: "Use a reference path that selects one node: $.a.b, $['a'], $.list[0].",
    },
    check,
};

/// Roots a reference field refuses: `ResultPath` writes into the state input, so it starts at `$`
/// (not the context object `$$`, not a variable); the other `…Path` fields read the input or a
/// variable but not the context object — only `ItemsPath` may (measured, floci-io/floci#3733).
fn root_refused(field: &str, path: &str) -> Option<&'static str> {
    let context = path.starts_with("$$");
    let variable = crate::validate::paths::path_variable(path).is_some();
    match field {
        "ResultPath" if context || variable => {
            Some("ResultPath places the result in the state input: it starts with \"$\"")
        }
        "ItemsPath" | "ErrorPath" | "CausePath" => None,
        _ if context => Some("this field cannot read the context object ($$); only ItemsPath can"),
        _ => None,
    }
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        for field in cx.path_fields(view) {
            let checked = match field.role {
                Role::Reference => true,
                Role::ReferenceOrIntrinsic => !is_intrinsic(field.text),
                Role::Path | Role::PathOrIntrinsic | Role::NotAString => false,
            };
            if !checked {
                continue;
            }
            if let Err(problem) = check_path(field.text, true) {
                out.error_at(
                    "SW301",
                    format!("\"{}\" is not a reference path: {}", field.text, problem.message),
                    cx.pointer_of(view, field),
                    problem.offset,
                );
            } else if let Some(why) = root_refused(field.key, field.text) {
                out.error(
                    "SW301",
                    format!("\"{}\": {why}", field.text),
                    cx.pointer_of(view, field),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn wildcards_and_filters_are_refused_in_result_path() {
        let text = one_state(r#"{"Type":"Pass","ResultPath":"$.a[*]","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW301"), vec!["/States/A/ResultPath"]);
        let text = one_state(r#"{"Type":"Pass","ResultPath":"$..a","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW301"), vec!["/States/A/ResultPath"]);
    }

    #[test]
    fn result_path_starts_at_the_input_and_number_paths_refuse_the_context() {
        let text = one_state(r#"{"Type":"Pass","ResultPath":"$$.Execution.Id","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW301"), vec!["/States/A/ResultPath"]);
        let text = one_state(r#"{"Type":"Pass","ResultPath":"$v.x","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW301"), vec!["/States/A/ResultPath"]);
        let text =
            one_state(r#"{"Type":"Wait","SecondsPath":"$$.Execution.Input.n","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW301"), vec!["/States/A/SecondsPath"]);
        let text = one_state(
            r#"{"Type":"Map","ItemsPath":"$$.Execution.Input.items","Next":"Done",
                "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}}"#,
        );
        assert!(paths(&text, "SW301").is_empty(), "ItemsPath may read the context object");
    }

    #[test]
    fn catchers_and_item_readers_are_named_by_their_whole_pointer() {
        // A catcher's ResultPath starts at the input too; ReaderConfig's MaxItemsPath refuses
        // the context object like the other number paths.
        let text = r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
                "ReaderConfig":{"InputType":"JSON","MaxItemsPath":"$$.Execution.Input.n"}},
            "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}},
            "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"},
                     {"ErrorEquals":["X"],"ResultPath":"$$.Execution.Id","Next":"F"}]},
            "F":{"Type":"Fail"}}}"#;
        assert_eq!(
            paths(text, "SW301"),
            vec!["/States/M/Catch/1/ResultPath", "/States/M/ItemReader/ReaderConfig/MaxItemsPath"]
        );
    }

    #[test]
    fn single_node_paths_and_null_pass() {
        let text = one_state(r#"{"Type":"Pass","ResultPath":"$.a['b'][0]","Next":"Done"}"#);
        assert!(paths(&text, "SW301").is_empty());
        let text = one_state(r#"{"Type":"Pass","ResultPath":null,"Next":"Done"}"#);
        assert!(paths(&text, "SW301").is_empty());
    }
}
