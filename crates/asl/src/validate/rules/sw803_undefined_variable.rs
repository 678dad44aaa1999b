//! SW803 undefined-variable (warning): a variable is read but never assigned.
//!
//! **What**: a `$name` in a JSONPath path, an intrinsic argument or a JSONata expression when no
//! `Assign` in the machine assigns `name` (`$states` and JSONata's own functions and local
//! bindings excepted).
//!
//! **Why**: reading a variable no state assigned fails the execution at run time
//! (`States.Runtime`, AWS guide "Passing data between states with variables"); the check is a
//! warning because it does not follow paths (a variable assigned on one branch only is not
//! reported).
//!
//! **Example**: `"Parameters": {"id.$": "$orderId"}` with no `Assign` of `orderId`.
//!
//! **Fix**: assign the variable in an earlier state, or correct its name.

use serde_json::Value;

use crate::model::QueryLanguage;
use crate::source_map::escape;
use crate::validate::paths::{check_intrinsic, check_jsonata, is_intrinsic, path_variable};
use crate::validate::{
    Context, Role, Rule, RuleInfo, Sink, Variables, jsonata_strings, path_fields,
};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW803",
        name: "undefined-variable",
        fix: "Assign the variable in an earlier state (Assign), or correct its name.",
    },
    check,
};

/// Every assigned variable name with the pointer of its `Assign` key.
pub(crate) fn assignments(cx: &Context<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |assign: Option<&Value>, at: String| {
        if let Some(map) = assign.and_then(Value::as_object) {
            for key in map.keys() {
                let name = key.strip_suffix(".$").unwrap_or(key);
                out.push((name.to_owned(), format!("{at}/{}", escape(key))));
            }
        }
    };
    for view in cx.states() {
        add(view.field("Assign"), view.at("Assign"));
        for list in ["Choices", "Catch"] {
            let Some(items) = view.field(list).and_then(Value::as_array) else { continue };
            for (i, item) in items.iter().enumerate() {
                add(item.get("Assign"), format!("{}/{i}/Assign", view.at(list)));
            }
        }
    }
    out
}

/// Every variable read, with the pointer of the string that reads it.
pub(crate) fn reads(cx: &Context<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for view in cx.states() {
        match view.language {
            QueryLanguage::JsonPath => {
                for field in path_fields(view) {
                    let intrinsic =
                        matches!(field.role, Role::PathOrIntrinsic | Role::ReferenceOrIntrinsic)
                            && is_intrinsic(field.text);
                    if intrinsic {
                        for name in check_intrinsic(field.text).unwrap_or_default() {
                            out.push((name, field.pointer.clone()));
                        }
                    } else if !field.pointer.ends_with("/ResultPath") {
                        if let Some(name) = path_variable(field.text) {
                            out.push((name.to_owned(), field.pointer.clone()));
                        }
                    }
                }
            }
            QueryLanguage::Jsonata => {
                for (pointer, text) in jsonata_strings(view) {
                    for name in check_jsonata(text).unwrap_or_default() {
                        out.push((name, pointer.clone()));
                    }
                }
            }
        }
    }
    out
}

/// The machine's variables, computed once per validation and shared with SW802.
pub(crate) fn variables<'c>(cx: &'c Context<'_>) -> &'c Variables {
    cx.variables.get_or_init(|| Variables { assigned: assignments(cx), read: reads(cx) })
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    let variables = variables(cx);
    let assigned: std::collections::HashSet<&str> =
        variables.assigned.iter().map(|(name, _)| name.as_str()).collect();
    for (name, pointer) in &variables.read {
        if !assigned.contains(name.as_str()) {
            out.warning(
                "SW803",
                format!("variable ${name} is read but no state assigns it"),
                pointer.clone(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn reads_without_assignment_are_flagged_in_both_languages() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"v.$":"$orderId"},"Next":"B"},
            "B":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $total + $states.input.n %}","End":true}}}"#;
        assert_eq!(paths(text, "SW803"), vec!["/States/A/Parameters/v.$", "/States/B/Output"]);
    }

    #[test]
    fn assigned_variables_pass() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"total":1},"Next":"B"},
            "B":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $total %}","End":true}}}"#;
        assert!(paths(text, "SW803").is_empty());
    }
}
