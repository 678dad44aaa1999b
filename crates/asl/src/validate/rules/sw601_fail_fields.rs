//! SW601 fail-fields: a Fail state with both `Error` and `ErrorPath`, or `Cause` and `CausePath`.
//!
//! **What**: the static and the path form of the same Fail field together.
//!
//! **Why**: "A Fail state … can have either Error or ErrorPath, and either Cause or CausePath,
//! but not both" (AWS guide, Fail workflow state); AWS refuses the pair ("There should only be
//! one of the following fields").
//!
//! **Example**: `{"Type": "Fail", "Error": "E", "ErrorPath": "$.error"}`.
//!
//! **Fix**: keep one of the two.

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW601",
        name: "fail-fields",
        fix: "Keep either Error or ErrorPath, and either Cause or CausePath.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Fail) {
            continue;
        }
        for (plain, path) in [("Error", "ErrorPath"), ("Cause", "CausePath")] {
            if view.field(plain).is_some() && view.field(path).is_some() {
                out.error(
                    "SW601",
                    format!("a Fail state takes {plain} or {path}, not both"),
                    view.at(path),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn both_forms_are_refused_one_passes() {
        let text = r#"{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","ErrorPath":"$.e","Cause":"c"}}}"#;
        assert_eq!(paths(text, "SW601"), vec!["/States/F/ErrorPath"]);
        let text =
            r#"{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}}}"#;
        assert!(paths(text, "SW601").is_empty());
    }
}
