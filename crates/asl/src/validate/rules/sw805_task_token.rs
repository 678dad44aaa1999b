//! SW805 callback-without-token (warning): a `.waitForTaskToken` Task that never passes the
//! task token on.
//!
//! **What**: a Task whose `Resource` ends in `.waitForTaskToken` and whose `Parameters` (JSONPath)
//! or `Arguments` (JSONata) never mention `$$.Task.Token` / `$states.context.Task.Token`.
//!
//! **Why**: "Wait for a Callback with Task Token: … pass a task token … the workflow pauses until
//! the task token is returned with SendTaskSuccess or SendTaskFailure" (AWS guide, Service
//! integration patterns). Without the token nobody can resume the execution: it waits until its
//! timeout.
//!
//! **Example**: `{"Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
//! "Parameters": {"QueueUrl": "…", "MessageBody.$": "$"}}`.
//!
//! **Fix**: pass the token, e.g. `"TaskToken.$": "$$.Task.Token"`.

use serde_json::Value;

use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW805",
        name: "callback-without-token",
        fix: "Pass the task token on: \"TaskToken.$\": \"$$.Task.Token\" (JSONata: {% $states.context.Task.Token %}).",
    },
    check,
};

/// Whether a payload template mentions the task token anywhere (iteratively).
fn mentions_token(value: &Value) -> bool {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(s) if s.contains("$$.Task.Token") || s.contains("context.Task.Token") => {
                return true;
            }
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    false
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        let Some(resource) = view.field("Resource").and_then(Value::as_str) else { continue };
        if !resource.ends_with(".waitForTaskToken") {
            continue;
        }
        let passes =
            ["Parameters", "Arguments"].iter().any(|f| view.field(f).is_some_and(mentions_token));
        if !passes {
            out.warning(
                "SW805",
                format!("callback Task \"{}\" never passes its task token on", view.name),
                view.at("Resource"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn a_callback_without_the_token_is_flagged() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","TimeoutSeconds":60,
                "Parameters":{"QueueUrl":"q","MessageBody.$":"$"},"Next":"Done"}"#,
        );
        assert_eq!(paths(&text, "SW805"), vec!["/States/A/Resource"]);
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","TimeoutSeconds":60,
                "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"Next":"Done"}"#,
        );
        assert!(paths(&text, "SW805").is_empty());
    }
}
