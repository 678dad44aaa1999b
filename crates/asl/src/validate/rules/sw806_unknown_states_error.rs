//! SW806 unknown-states-error (warning): an `ErrorEquals` name in the reserved `States.`
//! namespace that Step Functions never raises.
//!
//! **What**: a name starting with `States.` that is not one of the predefined errors
//! (`States.ALL`, `States.Timeout`, `States.TaskFailed`, …; `States.Http.…` names are accepted).
//!
//! **Why**: "Errors … States.ALL, States.DataLimitExceeded, States.ExceedToleratedFailureThreshold,
//! States.HeartbeatTimeout, States.Http.Socket, States.IntrinsicFailure, States.ItemReaderFailed,
//! States.NoChoiceMatched, States.ParameterPathFailure, States.Permissions,
//! States.ResultPathMatchFailure, States.ResultWriterFailed, States.Runtime, States.TaskFailed,
//! States.Timeout, States.BranchFailed, States.QueryEvaluationError" (AWS guide, Handling errors
//! in Step Functions workflows; the States Language reserves the `States.` prefix). A misspelt
//! name such as `States.Timout` silently never matches.
//!
//! **Example**: `"ErrorEquals": ["States.Timout"]` — did you mean "States.Timeout"?
//!
//! **Fix**: use the predefined name.

use serde_json::Value;

use crate::object::Members;
use crate::validate::{Context, Rule, RuleInfo, Sink, suggest};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW806",
        name: "unknown-states-error",
        fix: "Use one of the predefined States.* error names (or a name outside the States. namespace).",
    },
    check,
};

/// The errors Step Functions raises in the reserved namespace.
const PREDEFINED: &[&str] = &[
    "States.ALL",
    "States.DataLimitExceeded",
    "States.ExceedToleratedFailureThreshold",
    "States.HeartbeatTimeout",
    "States.Http.Socket",
    "States.IntrinsicFailure",
    "States.ItemReaderFailed",
    "States.NoChoiceMatched",
    "States.ParameterPathFailure",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ResultWriterFailed",
    "States.Runtime",
    "States.TaskFailed",
    "States.Timeout",
    "States.BranchFailed",
    "States.QueryEvaluationError",
];

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        for list in ["Retry", "Catch"] {
            let Some(items) = view.field(list).and_then(Value::as_array) else { continue };
            for (i, item) in items.iter().enumerate() {
                let Some(errors) = item.member("ErrorEquals").and_then(Value::as_array) else {
                    continue;
                };
                for (j, error) in errors.iter().enumerate() {
                    let Some(name) = error.as_str() else { continue };
                    if name.starts_with("States.")
                        && !name.starts_with("States.Http.")
                        && !PREDEFINED.contains(&name)
                    {
                        out.warning(
                            "SW806",
                            format!(
                                "\"{name}\" is not a predefined error{}",
                                suggest(name, PREDEFINED.iter().copied())
                            ),
                            format!("{}/{i}/ErrorEquals/{j}", view.at(list)),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn misspelt_states_errors_are_flagged() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":5,"Next":"Done",
                "Retry":[{"ErrorEquals":["States.Timout","MyError","States.Http.StatusCode.404"]}]}"#,
        );
        assert_eq!(paths(&text, "SW806"), vec!["/States/A/Retry/0/ErrorEquals/0"]);
        let parsed = crate::parse(&text);
        let d = parsed.diagnostics.iter().find(|d| d.code == "SW806").expect("reported");
        assert!(d.message.contains("did you mean \"States.Timeout\""), "{}", d.message);
    }
}
