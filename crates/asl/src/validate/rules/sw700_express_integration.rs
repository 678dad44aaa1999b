//! SW700 express-integration: an integration pattern Express workflows do not support.
//!
//! **What**: with `--type EXPRESS`, a Task whose `Resource` uses "Run a Job" (`.sync`,
//! `.sync:2`), "Wait for a Callback with a Task Token" (`.waitForTaskToken`), or an activity
//! (`arn:aws:states:<region>:<account>:activity:<name>`).
//!
//! **Why**: the AWS guide, "Choosing workflow type": Express workflows support the
//! request-response pattern only; "Express Workflows do not support job-run (.sync) or callback
//! (.waitForTaskToken) service integration patterns" and do not support activities. AWS refuses
//! such definitions for EXPRESS state machines.
//!
//! **Example**: `"Resource": "arn:aws:states:::ecs:runTask.sync"` in an Express workflow.
//!
//! **Fix**: use a Standard workflow, or the request-response form of the integration.

use serde_json::Value;

use crate::validate::{Context, Rule, RuleInfo, Sink, WorkflowType};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW700",
        name: "express-integration",
        fix: "Use a STANDARD workflow, or the request-response form of the integration.",
    },
    check,
};

/// Why an Express workflow cannot use this resource, if it cannot.
pub(crate) fn express_refuses(resource: &str) -> Option<&'static str> {
    if resource.ends_with(".sync") || resource.contains(".sync:") {
        Some("the job-run (.sync) integration pattern")
    } else if resource.ends_with(".waitForTaskToken") {
        Some("the callback (.waitForTaskToken) integration pattern")
    } else if resource.starts_with("arn:") && resource.split(':').nth(5) == Some("activity") {
        Some("activities")
    } else {
        None
    }
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    if cx.options.workflow_type != WorkflowType::Express {
        return;
    }
    for view in cx.states() {
        let Some(resource) = view.field("Resource").and_then(Value::as_str) else { continue };
        if let Some(what) = express_refuses(resource) {
            out.error(
                "SW700",
                format!("Express workflows do not support {what}"),
                view.at("Resource"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::WorkflowType;
    use crate::validate::test_support::{diagnostics_for, one_state};

    fn codes(resource: &str, workflow_type: WorkflowType) -> usize {
        let text = one_state(&format!(
            r#"{{"Type":"Task","Resource":"{resource}","TimeoutSeconds":5,"Next":"Done"}}"#
        ));
        diagnostics_for(&text, workflow_type).iter().filter(|(c, _)| c == "SW700").count()
    }

    #[test]
    fn sync_callbacks_and_activities_are_refused_for_express_only() {
        for resource in [
            "arn:aws:states:::ecs:runTask.sync",
            "arn:aws:states:::states:startExecution.sync:2",
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "arn:aws:states:us-east-1:123456789012:activity:review",
        ] {
            assert_eq!(codes(resource, WorkflowType::Express), 1, "{resource}");
            assert_eq!(codes(resource, WorkflowType::Standard), 0, "{resource}");
        }
        assert_eq!(codes("arn:aws:states:::sqs:sendMessage", WorkflowType::Express), 0);
    }
}
