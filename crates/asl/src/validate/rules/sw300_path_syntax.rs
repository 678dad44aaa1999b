//! SW300 path-syntax: a JSONPath path that does not parse.
//!
//! **What**: `InputPath`, `OutputPath`, a Choice `Variable` or `…Path` operand, or a `.$` value
//! of a payload template (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`) that is not
//! a path starting with `$` (input), `$$` (context object) or `$name` (a variable).
//!
//! **Why**: "a path is a string beginning with $ that you can use to identify components within
//! JSON text" (AWS guide, Using JSONPath paths); "the value of a field ending in .$ must be a
//! path or an intrinsic function". AWS refuses other values at CreateStateMachine
//! (`INVALID_JSON_PATH`).
//!
//! **Example**: `"InputPath": "input.order"`.
//!
//! **Fix**: start the path with `$` (e.g. `$.input.order`).

use crate::validate::paths::{check_path, is_intrinsic};
use crate::validate::{Context, Role, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW300",
        name: "path-syntax",
        fix: "Write a JSONPath path: \"$\", \"$.field\", \"$['field']\", \"$$.Context\" or \"$variable\".",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        for field in cx.path_fields(view) {
            let checked = match field.role {
                Role::NotAString => {
                    out.error(
                        "SW300",
                        "a field ending in \".$\" takes a path or an intrinsic function, as a string",
                        cx.pointer_of(view, field),
                    );
                    false
                }
                Role::Path => true,
                Role::PathOrIntrinsic => !is_intrinsic(field.text),
                Role::Reference | Role::ReferenceOrIntrinsic => false,
            };
            if !checked {
                continue;
            }
            if let Err(problem) = check_path(field.text, false) {
                out.error_at(
                    "SW300",
                    format!("invalid path \"{}\": {}", field.text, problem.message),
                    cx.pointer_of(view, field),
                    problem.offset,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn paths_without_dollar_are_refused() {
        let text = one_state(
            r#"{"Type":"Pass","InputPath":"a.b","Parameters":{"x.$":"y","z.$":3},"Next":"Done"}"#,
        );
        assert_eq!(
            paths(&text, "SW300"),
            vec!["/States/A/InputPath", "/States/A/Parameters/x.$", "/States/A/Parameters/z.$"]
        );
    }

    #[test]
    fn nested_paths_are_named_by_their_whole_pointer() {
        // Payload templates nest objects and arrays; Choice rules nest And/Or/Not and assign.
        let text = r#"{"StartAt":"A","States":{
            "A":{"Type":"Pass","Parameters":{"o":{"l":[1,{"p/q.$":"x"}]}},"Next":"C"},
            "C":{"Type":"Choice","Default":"A","Choices":[{"And":[
                {"Variable":"y","IsNull":true},{"Not":{"Variable":"z","IsNull":true}}],
                "Assign":{"v.$":"w"},"Next":"A"}]}}}"#;
        assert_eq!(
            paths(text, "SW300"),
            vec![
                "/States/A/Parameters/o/l/1/p~1q.$",
                "/States/C/Choices/0/And/0/Variable",
                "/States/C/Choices/0/And/1/Not/Variable",
                "/States/C/Choices/0/Assign/v.$",
            ]
        );
    }

    #[test]
    fn input_context_and_variable_paths_pass() {
        let text = one_state(
            r#"{"Type":"Pass","InputPath":"$.a[?(@.b)]","Parameters":{"x.$":"$$.Execution.Id","y.$":"$v"},"Next":"Done"}"#,
        );
        assert!(paths(&text, "SW300").is_empty());
    }
}
