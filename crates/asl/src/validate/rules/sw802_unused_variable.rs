//! SW802 unused-variable (warning): a variable is assigned and never read.
//!
//! **What**: a name in an `Assign` (of a state, a Choice rule or a catcher) that no path,
//! intrinsic argument or JSONata expression of the machine reads.
//!
//! **Why**: assigning costs payload (up to 256 KiB per state, AWS guide "Passing data between
//! states with variables") and an unread variable usually means a typo in the name read
//! elsewhere. AWS accepts it, so this is a warning.
//!
//! **Example**: `"Assign": {"total": 1}` and nothing reads `$total`.
//!
//! **Fix**: read the variable, or stop assigning it.

use crate::validate::{Context, Rule, RuleInfo, Sink};

use super::sw803_undefined_variable::variables;

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW802",
        name: "unused-variable",
        fix: "Read the variable ($name) somewhere, or remove it from Assign.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let variables = variables(cx);
    let read: std::collections::HashSet<&str> =
        variables.read.iter().map(|(name, _)| name.as_str()).collect();
    for (name, pointer) in &variables.assigned {
        if !read.contains(name.as_str()) {
            out.warning(
                "SW802",
                format!("variable ${name} is assigned but never read"),
                pointer.clone(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn an_unread_assignment_is_flagged() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"x":1,"y":2},"Next":"B"},
            "B":{"Type":"Pass","Parameters":{"v.$":"$x"},"End":true}}}"#;
        assert_eq!(paths(text, "SW802"), vec!["/States/A/Assign/y"]);
    }
}
