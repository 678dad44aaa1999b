//! SW110 variable-name: an `Assign` key that is not a valid variable name.
//!
//! **What**: a variable named `states` (reserved), a name that does not start with a letter or
//! `_` or continues with other than letters, digits and `_`, or a name longer than 80
//! characters. In JSONPath states the `.$` suffix of a key is not part of the name.
//!
//! **Why**: "Step Functions defines a single reserved variable called `$states`" and variable
//! names follow the Unicode identifier rules (UAX #31: an ID_Start character, then ID_Continue
//! characters), at most 80 characters (AWS guide, Passing data between states with variables).
//! This rule approximates ID_Start/ID_Continue with Unicode letters, digits and `_`.
//!
//! **Example**: `"Assign": {"states": 1, "my-var": 2}`.
//!
//! **Fix**: rename the variable.

use super::sw803_undefined_variable::variables;
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW110",
        name: "variable-name",
        fix: "Name variables like identifiers (a letter or _, then letters, digits or _), at most 80 characters, not \"states\".",
    },
    check,
};

/// Why `name` is not a valid variable name, if it is not.
pub(crate) fn invalid(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => Some("a variable name cannot be empty"),
        _ if name == "states" => Some("$states is reserved by Step Functions"),
        Some(first) if !(first.is_alphabetic() || first == '_') => {
            Some("a variable name starts with a letter or _")
        }
        _ if !chars.all(|c| c.is_alphanumeric() || c == '_') => {
            Some("a variable name holds only letters, digits and _")
        }
        _ if name.chars().count() > 80 => Some("a variable name has at most 80 characters"),
        _ => None,
    }
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    // The assignments SW802 and SW803 also read: each `Assign` key, its `.$` stripped.
    for (name, pointer) in &variables(cx).assigned {
        if let Some(why) = invalid(name) {
            out.error("SW110", format!("invalid variable name \"{name}\": {why}"), pointer.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::invalid;
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn names_follow_identifier_rules() {
        for ok in ["x", "_tmp", "orderId2", "prénom"] {
            assert_eq!(invalid(ok), None, "{ok}");
        }
        for bad in ["states", "2x", "my-var", "a b", ""] {
            assert!(invalid(bad).is_some(), "{bad}");
        }
        assert!(invalid(&"x".repeat(81)).is_some());
    }

    #[test]
    fn reserved_and_malformed_names_are_refused() {
        let text = one_state(
            r#"{"Type":"Pass","Assign":{"states":1,"ok.$":"$.a","my-var":2},"Next":"Done"}"#,
        );
        assert_eq!(
            paths(&text, "SW110"),
            vec!["/States/A/Assign/my-var", "/States/A/Assign/states"]
        );
    }

    #[test]
    fn choice_rules_and_catchers_assign_too() {
        let text = r#"{"StartAt":"T","States":{
            "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"C",
                 "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"1st":1},"Next":"C"}]},
            "C":{"Type":"Choice","Default":"T",
                 "Choices":[{"Variable":"$.a","IsNull":true,"Assign":{"a-b.$":"$.a"},"Next":"T"}]}}}"#;
        assert_eq!(
            paths(text, "SW110"),
            vec!["/States/C/Choices/0/Assign/a-b.$", "/States/T/Catch/0/Assign/1st"]
        );
    }
}
