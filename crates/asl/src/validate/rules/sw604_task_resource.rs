//! SW604 task-resource: a Task `Resource` that is not an ARN, or `Credentials` without a role.
//!
//! **What**: a `Resource` that does not have the shape `arn:<partition>:<service>:<region>:
//! <account>:<resource>` (e.g. a bare function name), or one that is written as a JSONata
//! expression; a `Credentials` object without `RoleArn` (or `RoleArn.$` in JSONPath states).
//!
//! **Why**: "The Resource field MUST be a URI that uniquely identifies the specific task to
//! execute" (States Language specification, Task state); Step Functions expects an ARN — a
//! Lambda function, an activity, or an `arn:aws:states:::<service>:<action>` integration
//! (AWS guide, Integrating services) — and refuses others at CreateStateMachine
//! (`INVALID_RESOURCE`, e.g. "Resource: createToken" in
//! serverless-operations/serverless-step-functions#36). `Credentials` takes a `RoleArn`
//! (AWS guide, Accessing resources in other accounts).
//!
//! A `${Name}` placeholder is accepted: SAM, CloudFormation and CDK replace these
//! "definition substitutions" with ARNs before the definition reaches AWS.
//!
//! **Example**: `"Resource": "my-function"`.
//!
//! **Fix**: use the function's ARN, or the integration ARN with `FunctionName` in the
//! arguments.

use serde_json::Value;

use crate::object::Members;
use crate::validate::paths::is_jsonata;
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW604",
        name: "task-resource",
        fix: "Use an ARN: a Lambda function, an activity, or arn:aws:states:::<service>:<action>; give Credentials a RoleArn.",
    },
    check,
};

/// `arn:partition:service:region:account:resource`, with a partition, a service and a resource.
pub(crate) fn is_arn(resource: &str) -> bool {
    let mut parts = resource.splitn(6, ':');
    let mut next = || parts.next();
    let (Some("arn"), Some(partition), Some(service), Some(_), Some(_), Some(rest)) =
        (next(), next(), next(), next(), next(), next())
    else {
        return false;
    };
    !partition.is_empty()
        && !service.is_empty()
        && !rest.is_empty()
        && !resource.chars().any(char::is_whitespace)
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Task) {
            continue;
        }
        if let Some(resource) = view.field("Resource").and_then(Value::as_str) {
            if is_jsonata(resource) {
                out.error(
                    "SW604",
                    "Resource cannot be a JSONata expression: it is fixed when the state machine is created",
                    view.at("Resource"),
                );
            } else if !is_arn(resource) && !resource.contains("${") {
                out.error(
                    "SW604",
                    format!("Resource \"{resource}\" is not an ARN"),
                    view.at("Resource"),
                );
            }
        }
        if let Some(credentials) = view.field("Credentials").and_then(Value::as_object) {
            if !credentials.has("RoleArn") && !credentials.has("RoleArn.$") {
                out.error("SW604", "Credentials needs \"RoleArn\"", view.at("Credentials"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_arn;
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn arns_are_recognised() {
        assert!(is_arn("arn:aws:states:::lambda:invoke"));
        assert!(is_arn("arn:aws:states:::aws-sdk:s3:getObject"));
        assert!(is_arn("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST"));
        assert!(is_arn("arn:aws-cn:states:cn-north-1:123456789012:activity:a"));
        assert!(!is_arn("createToken"));
        assert!(!is_arn("arn:aws:lambda"));
    }

    #[test]
    fn a_bare_name_and_credentials_without_role_are_refused() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"createToken","TimeoutSeconds":5,"Next":"Done"}"#,
        );
        assert_eq!(paths(&text, "SW604"), vec!["/States/A/Resource"]);
        let text = one_state(
            r#"{"Type":"Task","Resource":"${WorkerArn}","TimeoutSeconds":5,"Next":"Done"}"#,
        );
        assert!(paths(&text, "SW604").is_empty(), "definition substitutions are accepted");
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":5,"Credentials":{},"Next":"Done"}"#,
        );
        assert_eq!(paths(&text, "SW604"), vec!["/States/A/Credentials"]);
    }
}
