//! SW202 unreachable-state: no path from `StartAt` leads to the state.
//!
//! **What**: a state no transition (`Next`, Choice rules, `Default`, `Catch`) reaches from its
//! machine's `StartAt`.
//!
//! **Why**: AWS refuses unreachable states at CreateStateMachine:
//! `MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2` (quoted from
//! AWS in localstack/localstack#12487); asl-validator and the AWS Toolkit report them too.
//!
//! **Example**: `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}`.
//!
//! **Fix**: transition to the state from another one, or remove it.

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW202",
        name: "unreachable-state",
        fix: "Transition to the state from a reachable state, or remove it.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for machine in cx.machines() {
        let Some(start) = &machine.start_at else { continue };
        if !machine.states.contains_key(start) {
            continue; // SW200 says why; everything would look unreachable.
        }
        // Seen states by index in the machine: one lookup per transition.
        let mut seen = vec![false; machine.states.len()];
        let mut stack = vec![start.as_str()];
        while let Some(name) = stack.pop() {
            let Some((i, _, state)) = machine.states.get_full(name) else { continue };
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            stack.extend(state.targets());
        }
        for ((name, state), seen) in machine.states.iter().zip(seen) {
            if !seen {
                out.error(
                    "SW202",
                    format!("state \"{name}\" is not reachable from \"{start}\""),
                    state.pointer.clone(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn a_state_without_incoming_transitions_is_unreachable() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}"#;
        assert_eq!(paths(text, "SW202"), vec!["/States/B"]);
    }

    #[test]
    fn states_reached_only_by_catch_are_reachable() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
            "TimeoutSeconds":5,"End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"B"}]},"B":{"Type":"Fail"}}}"#;
        assert!(paths(text, "SW202").is_empty());
    }
}
