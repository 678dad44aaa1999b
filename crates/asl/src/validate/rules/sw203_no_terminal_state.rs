//! SW203 no-terminal-state: a machine that can never end.
//!
//! **What**: a machine (top level, branch, processor) none of whose states is a Succeed, a Fail
//! or has `"End": true`.
//!
//! **Why**: an execution of such a machine could only loop forever. AWS refuses it at
//! CreateStateMachine ("a workflow with no terminal state", measured in floci-io/floci#2735);
//! asl-validator reports it too.
//!
//! **Example**: `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}`.
//!
//! **Fix**: end some path with `"End": true`, a Succeed or a Fail state.

use crate::object::join;
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW203",
        name: "no-terminal-state",
        fix: "End a path with \"End\": true, a Succeed state or a Fail state.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for machine in cx.machines() {
        if machine.states.is_empty() || !machine.invalid_states.is_empty() {
            continue;
        }
        let terminal = machine.states.values().any(|s| s.end || s.state_type.is_terminal());
        if !terminal {
            out.error(
                "SW203",
                "no state of this machine ends it: add \"End\": true, a Succeed or a Fail state",
                join(&machine.pointer, "States"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::paths;

    #[test]
    fn a_loop_without_end_is_refused() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}"#;
        assert_eq!(paths(text, "SW203"), vec!["/States"]);
    }

    #[test]
    fn an_end_anywhere_passes() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#;
        assert!(paths(text, "SW203").is_empty());
    }
}
