//! SW201 unknown-transition-target: `Next`, `Default`, a Choice rule's `Next` or a catcher's
//! `Next` names no state of the same machine.
//!
//! **What**: a transition to a name that is not a state, or to a state of another machine
//! (into or out of a Parallel branch or a Map processor).
//!
//! **Why**: "The value of Next MUST exactly match the name of a state"; "A state in a Parallel
//! state branch … MUST NOT have a Next field that targets a field outside of that States field"
//! (States Language specification). AWS refuses both: `MISSING_TRANSITION_TARGET: Missing
//! 'Next' target: pass3 at /States/pass1/Next` (quoted from AWS in localstack/localstack#12487).
//!
//! **Example**: `"Next": "Sned"` when the state is `Send`.
//!
//! **Fix**: name an existing state of the same machine.

use crate::validate::{Context, Rule, RuleInfo, Sink, suggest};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW201",
        name: "unknown-transition-target",
        fix: "Name an existing state of the same machine (transitions cannot cross into or out of branches).",
    },
    check,
};

/// "Did you mean" costs a comparison with every state: offer it for the first hundred only, so
/// a machine with thousands of dangling transitions stays fast.
const MAX_SUGGESTIONS: usize = 100;

fn check(cx: &Context<'_>, out: &mut Sink) {
    let machines = cx.machines();
    let mut suggested = 0;
    for machine in machines {
        for state in machine.states.values() {
            // Pointers are written only for a state with a missing target.
            if state.targets().all(|t| machine.has_state(t)) {
                continue;
            }
            for (target, at) in state.transitions() {
                if machine.has_state(target) {
                    continue;
                }
                let elsewhere = machines.iter().any(|m| m.has_state(target));
                let message = if elsewhere {
                    format!(
                        "\"{target}\" is a state of another machine: transitions cannot cross into or out of a Parallel branch or a Map processor"
                    )
                } else if suggested < MAX_SUGGESTIONS {
                    suggested += 1;
                    let names = machine.states.keys().map(String::as_str);
                    format!("no state is named \"{target}\"{}", suggest(target, names))
                } else {
                    format!("no state is named \"{target}\"")
                };
                out.error("SW201", message, at);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn every_kind_of_transition_is_checked() {
        let text = r#"{"StartAt":"C","States":{
            "C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"Nope1"}],"Default":"Nope2"},
            "T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Next":"Nope3",
                 "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Nope4"}]}}}"#;
        assert_eq!(
            paths(text, "SW201"),
            vec![
                "/States/C/Choices/0/Next",
                "/States/C/Default",
                "/States/T/Catch/0/Next",
                "/States/T/Next"
            ]
        );
    }

    #[test]
    fn leaving_a_branch_is_refused() {
        let text = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"After","Branches":[
            {"StartAt":"B","States":{"B":{"Type":"Pass","Next":"After"}}}]},"After":{"Type":"Succeed"}}}"#;
        assert_eq!(paths(text, "SW201"), vec!["/States/P/Branches/0/States/B/Next"]);
    }
}
