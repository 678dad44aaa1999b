//! Manual task answers and callbacks: the last task backend, for the UI.
//!
//! [`ManualTasks`] is a [`TaskInvoker`] that hands each invocation to the holder of the
//! [`ManualHandle`] as a [`PendingTask`] (with its task token for `.waitForTaskToken` resources)
//! and blocks until an [`Answer`] arrives: the equivalent of `SendTaskSuccess` /
//! `SendTaskFailure`, or a timeout. An answer carries how long the task took in logical time, so
//! `TimeoutSeconds` / `HeartbeatSeconds` apply as with any backend (`States.Timeout`,
//! `States.HeartbeatTimeout`). When the handle is dropped the invocation is left unanswered.

use std::sync::mpsc::{Receiver, Sender, channel};

use serde_json::Value;

use crate::errors::Failure;
use crate::ports::{TaskAnswer, TaskInvoker, TaskOutcome, TaskRequest, Unanswered};

/// A task waiting for an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingTask {
    /// The Task state.
    pub state_name: String,
    /// Its resource ARN.
    pub resource: String,
    /// The effective parameters.
    pub input: Value,
    /// 0-based invocation number of the state.
    pub invocation: u64,
    /// The task token (`$$.Task.Token`) of a callback task.
    pub task_token: Option<String>,
}

/// How the user (or a local API client) completes a pending task.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `SendTaskSuccess` with this output, after `after_seconds` of logical time.
    Success {
        /// The task result.
        output: Value,
        /// Logical seconds the task took.
        after_seconds: u64,
    },
    /// `SendTaskFailure` with this error and cause.
    Failure {
        /// The error name.
        error: String,
        /// The cause.
        cause: Option<String>,
        /// Logical seconds the task took.
        after_seconds: u64,
    },
    /// `SendTaskHeartbeat`, `after_seconds` after the task started; the task keeps waiting.
    /// HeartbeatSeconds then counts from the last heartbeat.
    Heartbeat {
        /// Logical seconds since the task started.
        after_seconds: u64,
    },
    /// No answer and no heartbeat for `after_seconds` (longer than TimeoutSeconds or
    /// HeartbeatSeconds makes the task time out).
    Silence {
        /// Logical seconds of silence.
        after_seconds: u64,
    },
}

/// The backend half; put it last in a [`crate::ports::Chain`].
pub struct ManualTasks {
    pending: Sender<PendingTask>,
    answers: Receiver<Answer>,
}

/// The UI half.
pub struct ManualHandle {
    /// Tasks waiting for an answer arrive here.
    pub pending: Receiver<PendingTask>,
    /// Send the answer to the oldest pending task here.
    pub answers: Sender<Answer>,
}

/// A manual backend pair.
pub fn manual() -> (ManualTasks, ManualHandle) {
    let (ptx, prx) = channel();
    let (atx, arx) = channel();
    (ManualTasks { pending: ptx, answers: arx }, ManualHandle { pending: prx, answers: atx })
}

impl TaskInvoker for ManualTasks {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let pending = PendingTask {
            state_name: request.state_name.to_owned(),
            resource: request.resource.to_owned(),
            input: request.input.to_value(),
            invocation: request.invocation,
            task_token: request.task_token.map(str::to_owned),
        };
        let gone = || Unanswered("nobody is answering tasks manually".into());
        self.pending.send(pending).map_err(|_| gone())?;
        let ms = |s: u64| s.saturating_mul(1000);
        // Heartbeats: the longest stretch without one decides HeartbeatSeconds.
        let (mut last_beat, mut longest_gap, mut beats) = (0u64, 0u64, false);
        loop {
            let (outcome, after_seconds) = match self.answers.recv().map_err(|_| gone())? {
                Answer::Heartbeat { after_seconds } => {
                    let at = after_seconds.max(last_beat);
                    longest_gap = longest_gap.max(at - last_beat);
                    last_beat = at;
                    beats = true;
                    continue;
                }
                Answer::Success { output, after_seconds } => {
                    (TaskOutcome::Succeeded(output), after_seconds)
                }
                Answer::Failure { error, cause, after_seconds } => {
                    (TaskOutcome::Failed(Failure { error: Some(error), cause }), after_seconds)
                }
                // Silence is only ever a timeout: the engine compares it with the task's limits.
                Answer::Silence { after_seconds } => (
                    TaskOutcome::Failed(Failure::new(
                        crate::errors::TIMEOUT,
                        "The task sent no answer or heartbeat in time.",
                    )),
                    after_seconds,
                ),
            };
            let silence = longest_gap.max(after_seconds.saturating_sub(last_beat));
            return Ok(TaskAnswer {
                outcome,
                duration_ms: ms(after_seconds),
                silence_ms: beats.then(|| ms(silence)),
            });
        }
    }
}
