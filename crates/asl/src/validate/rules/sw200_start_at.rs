//! SW200 unknown-start-at: `StartAt` names no state of its machine.
//!
//! **What**: the top level's, a branch's or a processor's `StartAt` is not a key of the same
//! machine's `States`.
//!
//! **Why**: "StartAt … MUST exactly match one of names of the States fields" (States Language
//! specification); AWS refuses it (`MISSING_TRANSITION_TARGET`).
//!
//! **Example**: `{"StartAt": "Frist", "States": {"First": ...}}` — did you mean "First"?
//!
//! **Fix**: name an existing state (names are case-sensitive).

use crate::object::join;
use crate::validate::{Context, Rule, RuleInfo, Sink, suggest};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW200",
        name: "unknown-start-at",
        fix: "Set StartAt to the name of a state of the same machine.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for machine in cx.machines() {
        let Some(start) = &machine.start_at else { continue };
        if !machine.has_state(start) {
            let names = machine.states.keys().map(String::as_str);
            out.error(
                "SW200",
                format!(
                    "StartAt \"{start}\" is not a state of this machine{}",
                    suggest(start, names)
                ),
                join(&machine.pointer, "StartAt"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn a_misspelt_start_is_reported_with_a_suggestion() {
        let text = r#"{"StartAt":"Frist","States":{"First":{"Type":"Succeed"}}}"#;
        assert_eq!(paths(text, "SW200"), vec!["/StartAt"]);
        let d = crate::parse(text).diagnostics.into_iter().find(|d| d.code == "SW200");
        assert!(d.is_some_and(|d| d.message.contains("did you mean \"First\"")));
    }

    #[test]
    fn an_existing_start_passes() {
        assert!(paths(r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}"#, "SW200").is_empty());
    }
}
