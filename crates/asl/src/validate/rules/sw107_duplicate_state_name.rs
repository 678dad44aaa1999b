//! SW107 duplicate-state-name: two states with the same name anywhere in the machine.
//!
//! **What**: a name used by two states, in different Parallel branches or Map processors or
//! between a nested machine and the top level. (Twice in the same `States` object is a duplicate
//! JSON key, SW003.)
//!
//! **Why**: "State names MUST be unique within the scope of the whole state machine" (States
//! Language specification); AWS refuses with
//! `DUPLICATE_STATE_NAME: Duplicate State name` (quoted in cfn-lint#3616).
//!
//! **Example**: two branches of a Parallel that both name a state `Work`.
//!
//! **Fix**: rename one of them.

use std::collections::HashMap;

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW107",
        name: "duplicate-state-name",
        fix: "Rename one of the states: names are unique across the whole state machine.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    let views = cx.states();
    let mut first: HashMap<&str, &str, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(views.len(), Default::default());
    for view in views {
        let earlier = *first.entry(view.name).or_insert(&view.pointer);
        if earlier != view.pointer {
            out.error(
                "SW107",
                format!("duplicate state name \"{}\" (first used at {earlier})", view.name),
                view.pointer.clone(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn the_same_name_in_two_branches_is_refused() {
        let text = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"W","States":{"W":{"Type":"Succeed"}}},
            {"StartAt":"W","States":{"W":{"Type":"Succeed"}}}]}}}"#;
        assert_eq!(paths(text, "SW107"), vec!["/States/P/Branches/1/States/W"]);
    }

    #[test]
    fn distinct_names_pass() {
        let text = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"W1","States":{"W1":{"Type":"Succeed"}}},
            {"StartAt":"W2","States":{"W2":{"Type":"Succeed"}}}]}}}"#;
        assert!(paths(text, "SW107").is_empty());
    }
}
