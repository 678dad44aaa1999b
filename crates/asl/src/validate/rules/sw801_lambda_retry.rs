//! SW801 lambda-without-retry (warning): a Lambda invoke that does not retry transient errors.
//!
//! **What**: a Task invoking Lambda (`arn:aws:states:::lambda:invoke…` or a function ARN) with
//! no retrier for `Lambda.ServiceException`, `Lambda.AWSLambdaException`,
//! `Lambda.SdkClientException`, `Lambda.TooManyRequestsException`, `States.TaskFailed` or
//! `States.ALL`.
//!
//! **Why**: "As a best practice, … proactively handle transient service exceptions in your
//! Lambda functions by retrying Lambda.ServiceException, Lambda.AWSLambdaException,
//! Lambda.SdkClientException" (AWS guide, Handling transient Lambda service exceptions); the
//! console's Lambda template adds this retrier.
//!
//! **Example**: a Lambda Task with no `Retry`.
//!
//! **Fix**: add a retrier for the transient Lambda errors.

use serde_json::Value;

use crate::object::Members;
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW801",
        name: "lambda-without-retry",
        fix: "Retry Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException and Lambda.TooManyRequestsException.",
    },
    check,
};

const TRANSIENT: &[&str] = &[
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "States.TaskFailed",
    "States.ALL",
];

fn is_lambda(resource: &str) -> bool {
    resource.starts_with("arn:aws:states:::lambda:invoke")
        || (resource.starts_with("arn:") && resource.split(':').nth(2) == Some("lambda"))
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        let Some(resource) = view.field("Resource").and_then(Value::as_str) else { continue };
        if !is_lambda(resource) {
            continue;
        }
        let retried = view
            .field("Retry")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.member("ErrorEquals").and_then(Value::as_array))
            .flatten()
            .any(|e| e.as_str().is_some_and(|e| TRANSIENT.contains(&e)));
        if !retried {
            out.warning(
                "SW801",
                format!("Lambda Task \"{}\" does not retry transient Lambda errors", view.name),
                view.at("Resource"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn lambda_tasks_need_a_transient_retrier() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"Next":"Done"}"#,
        );
        assert_eq!(paths(&text, "SW801"), vec!["/States/A/Resource"]);
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","TimeoutSeconds":5,"Next":"Done",
                "Retry":[{"ErrorEquals":["Lambda.ServiceException"]}]}"#,
        );
        assert!(paths(&text, "SW801").is_empty());
    }
}
