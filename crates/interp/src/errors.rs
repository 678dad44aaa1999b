//! ASL errors as values: the predefined `States.*` names and the [`Failure`] every state can
//! end with. How `ErrorEquals` matches a name lives here too, because Retry and Catch share it.

use serde_json::{Map, Value};

/// Matches any error name except `States.Runtime` and `States.DataLimitExceeded`.
pub const ALL: &str = "States.ALL";
/// Matches any error name except `States.Timeout` (and the two terminal ones).
pub const TASK_FAILED: &str = "States.TaskFailed";
/// Uncatchable: a payload above the size quota.
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
/// Uncatchable: the execution could not process something (bad path, bad type...).
pub const RUNTIME: &str = "States.Runtime";
/// A Task ran longer than TimeoutSeconds, or the execution ran longer than its TimeoutSeconds.
pub const TIMEOUT: &str = "States.Timeout";
/// A Task did not heartbeat within HeartbeatSeconds.
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
/// A Choice state matched no rule and has no Default.
pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
/// A `.$` field of Parameters named a path that is not in the input.
pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
/// ResultPath could not be applied to the state input.
pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
/// An intrinsic function failed.
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
/// A Parallel branch failed.
pub const BRANCH_FAILED: &str = "States.BranchFailed";
/// A Map state failed more items than tolerated.
pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
/// Insufficient privileges (never raised locally; kept for ErrorEquals).
pub const PERMISSIONS: &str = "States.Permissions";
/// A Distributed Map could not read its items (ItemReader is not supported locally yet).
pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
/// A Distributed Map could not write its results (ResultWriter is not supported locally yet).
pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
/// A JSONata expression failed (JSONata states are not executable yet).
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
/// An HTTP Task timed out (HTTP Tasks are answered by backends like any Task).
pub const HTTP_SOCKET: &str = "States.Http.Socket";

/// Every predefined error name, for validators and UIs.
pub const PREDEFINED: &[&str] = &[
    ALL,
    DATA_LIMIT_EXCEEDED,
    EXCEED_TOLERATED_FAILURE_THRESHOLD,
    HEARTBEAT_TIMEOUT,
    HTTP_SOCKET,
    INTRINSIC_FAILURE,
    ITEM_READER_FAILED,
    NO_CHOICE_MATCHED,
    PARAMETER_PATH_FAILURE,
    PERMISSIONS,
    QUERY_EVALUATION_ERROR,
    RESULT_PATH_MATCH_FAILURE,
    RESULT_WRITER_FAILED,
    RUNTIME,
    TASK_FAILED,
    TIMEOUT,
    BRANCH_FAILED,
];

/// How a state (or the execution) ended when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The error name, e.g. `States.TaskFailed` or a name a task threw.
    pub error: Option<String>,
    /// The human-readable cause, when there is one.
    pub cause: Option<String>,
}

impl Failure {
    /// A failure with both fields.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Failure {
        Failure { error: Some(error.into()), cause: Some(cause.into()) }
    }

    /// The error name or the empty string.
    pub fn error_name(&self) -> &str {
        self.error.as_deref().unwrap_or("")
    }

    /// The error object a Catcher's ResultPath receives: `{"Error": ..., "Cause": ...}`.
    pub fn to_error_output(&self) -> Value {
        let mut m = Map::new();
        if let Some(e) = &self.error {
            m.insert("Error".into(), Value::String(e.clone()));
        }
        if let Some(c) = &self.cause {
            m.insert("Cause".into(), Value::String(c.clone()));
        }
        Value::Object(m)
    }

    /// [`Failure::to_error_output`] as a payload.
    pub fn to_error_payload(&self) -> crate::value::Payload {
        crate::value::Payload::from(self.to_error_output())
    }

    /// Whether Retry/Catch may handle it at all.
    pub fn is_terminal(&self) -> bool {
        matches!(self.error.as_deref(), Some(RUNTIME | DATA_LIMIT_EXCEEDED))
    }
}

/// Whether an `ErrorEquals` list matches `error`.
///
/// AWS: `States.ALL` matches any error name, but cannot catch `States.Runtime` or
/// `States.DataLimitExceeded`; `States.TaskFailed` matches any error except `States.Timeout`.
pub fn error_equals_matches(names: &[String], failure: &Failure) -> bool {
    let error = failure.error_name();
    names.iter().any(|n| {
        if n == error {
            return !failure.is_terminal() || n != ALL;
        }
        match n.as_str() {
            ALL => !failure.is_terminal(),
            TASK_FAILED => !failure.is_terminal() && error != TIMEOUT,
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn states_all_catches_everything_but_terminal_errors() {
        let all = names(&["States.ALL"]);
        assert!(error_equals_matches(&all, &Failure::new("Custom", "x")));
        assert!(error_equals_matches(&all, &Failure::new(TIMEOUT, "x")));
        assert!(!error_equals_matches(&all, &Failure::new(RUNTIME, "x")));
        assert!(!error_equals_matches(&all, &Failure::new(DATA_LIMIT_EXCEEDED, "x")));
    }

    #[test]
    fn task_failed_is_a_wildcard_except_for_timeout() {
        let tf = names(&["States.TaskFailed"]);
        assert!(error_equals_matches(&tf, &Failure::new("Lambda.Unknown", "x")));
        assert!(!error_equals_matches(&tf, &Failure::new(TIMEOUT, "x")));
    }
}
