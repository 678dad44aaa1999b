//! SW800 task-without-timeout (warning): a Task with no timeout.
//!
//! **What**: a Task with neither `TimeoutSeconds` nor `TimeoutSecondsPath`.
//!
//! **Why**: "If you don't specify TimeoutSeconds, the default is 99999999 seconds … a task that
//! never responds keeps the execution waiting for over a year" (AWS guide, Best practices:
//! "Use timeouts to avoid stuck executions"). AWS accepts the definition, so this is a warning.
//!
//! **Example**: `{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}`.
//!
//! **Fix**: add `"TimeoutSeconds": <seconds>`.

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW800",
        name: "task-without-timeout",
        fix: "Add TimeoutSeconds so a task that never answers cannot hold the execution for a year.",
    },
    check,
};

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Task) {
            continue;
        }
        if view.field("TimeoutSeconds").is_none() && view.field("TimeoutSecondsPath").is_none() {
            out.warning(
                "SW800",
                format!(
                    "Task \"{}\" has no TimeoutSeconds: it may wait up to 99999999 seconds",
                    view.name
                ),
                view.pointer.clone(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn a_task_without_timeout_is_flagged() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Next":"Done"}"#,
        );
        assert_eq!(paths(&text, "SW800"), vec!["/States/A"]);
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSecondsPath":"$.t","Next":"Done"}"#,
        );
        assert!(paths(&text, "SW800").is_empty());
    }
}
