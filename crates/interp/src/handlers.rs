//! Local task handlers: a command the user configured and trusts answers a Task state.
//!
//! The command runs through `sh -c` with the task input (the effective parameters) as JSON on
//! stdin and `STEPWISE_STATE`, `STEPWISE_RESOURCE` and `STEPWISE_INVOCATION` in its environment.
//! Exit status 0: stdout is the task result (JSON; empty output is `null`). Any other status: the
//! task fails; when stdout holds `{"Error": ..., "Cause": ...}` that is the error, otherwise the
//! error is `States.TaskFailed` with stderr as the cause. A state without a handler is left to the
//! next backend ([`crate::ports::Chain`]).

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::errors::{Failure, TASK_FAILED};
use crate::ports::{TaskAnswer, TaskInvoker, TaskOutcome, TaskRequest, Unanswered};

/// Commands by Task state name.
#[derive(Debug, Clone, Default)]
pub struct CommandHandlers {
    by_state: HashMap<String, String>,
}

impl CommandHandlers {
    /// Adds (or replaces) the command for a state.
    pub fn insert(&mut self, state: impl Into<String>, command: impl Into<String>) {
        self.by_state.insert(state.into(), command.into());
    }

    /// Parses `STATE=COMMAND`.
    pub fn parse_spec(&mut self, spec: &str) -> Result<(), String> {
        let (state, command) = spec
            .split_once('=')
            .filter(|(s, c)| !s.is_empty() && !c.is_empty())
            .ok_or_else(|| format!("expected STATE=COMMAND, got {spec:?}"))?;
        self.insert(state, command);
        Ok(())
    }
}

impl TaskInvoker for CommandHandlers {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let Some(command) = self.by_state.get(request.state_name) else {
            return Err(Unanswered(format!("no local handler for state {:?}", request.state_name)));
        };
        let failed = |cause: String| TaskAnswer {
            outcome: TaskOutcome::Failed(Failure::new(TASK_FAILED, cause)),
            duration_ms: 0,
        };
        let child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .env("STEPWISE_STATE", request.state_name)
            .env("STEPWISE_RESOURCE", request.resource)
            .env("STEPWISE_INVOCATION", request.invocation.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => return Ok(failed(format!("cannot start handler {command:?}: {e}"))),
        };
        if let Some(mut stdin) = child.stdin.take() {
            // A handler that ignores its input may close stdin early; that is not an error.
            let _ = stdin.write_all(request.input.to_string().as_bytes());
        }
        let out = match child.wait_with_output() {
            Ok(o) => o,
            Err(e) => return Ok(failed(format!("handler {command:?} failed: {e}"))),
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        if out.status.success() {
            let text = stdout.trim();
            if text.is_empty() {
                return Ok(TaskAnswer {
                    outcome: TaskOutcome::Succeeded(Value::Null),
                    duration_ms: 0,
                });
            }
            return Ok(match serde_json::from_str(text) {
                Ok(v) => TaskAnswer { outcome: TaskOutcome::Succeeded(v), duration_ms: 0 },
                Err(e) => failed(format!("handler {command:?} printed invalid JSON: {e}")),
            });
        }
        if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(stdout.trim()) {
            if let Some(error) = m.get("Error").and_then(Value::as_str) {
                let cause = m.get("Cause").and_then(Value::as_str).map(str::to_owned);
                return Ok(TaskAnswer {
                    outcome: TaskOutcome::Failed(Failure { error: Some(error.to_owned()), cause }),
                    duration_ms: 0,
                });
            }
        }
        Ok(failed(String::from_utf8_lossy(&out.stderr).trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(input: &crate::value::Payload) -> TaskRequest<'_> {
        TaskRequest { state_name: "T", resource: "r", input, invocation: 0, task_token: None }
    }

    #[test]
    fn a_handler_reads_the_input_on_stdin_and_answers_on_stdout() {
        let mut h = CommandHandlers::default();
        h.insert("T", "cat");
        let input = crate::value::Payload::from(json!({"a": 1}));
        let answer = h.invoke(&request(&input)).expect("handled");
        assert_eq!(answer.outcome, TaskOutcome::Succeeded(json!({"a": 1})));
    }

    #[test]
    fn a_failing_handler_reports_its_error_object() {
        let mut h = CommandHandlers::default();
        h.insert("T", r#"echo '{"Error":"Custom","Cause":"nope"}'; exit 3"#);
        let answer = h.invoke(&request(&crate::value::Payload::Null)).expect("handled");
        assert_eq!(answer.outcome, TaskOutcome::Failed(Failure::new("Custom", "nope")));
    }

    #[test]
    fn states_without_a_handler_are_left_to_the_next_backend() {
        let mut h = CommandHandlers::default();
        assert!(h.invoke(&request(&crate::value::Payload::Null)).is_err());
    }
}
