//! The interpreter's ports: how Task states are answered ([`TaskInvoker`]), how time passes
//! ([`Clock`]) and how a debugger watches and steers an execution ([`Observer`]).
//!
//! The engine keeps *logical* time itself (milliseconds since the epoch, advanced by Wait states,
//! retry intervals and task durations); the clock only decides whether wall time passes too. That
//! is what makes the default virtual clock deterministic, and it is why the interpreter never
//! reads the wall clock: the origin of logical time is an option of the run.

use serde_json::Value;

use crate::value::Payload;

use crate::errors::Failure;
use crate::history::HistoryEvent;

/// One Task invocation as the backend sees it.
#[derive(Debug, Clone)]
pub struct TaskRequest<'a> {
    /// The Task state's name.
    pub state_name: &'a str,
    /// The Resource ARN.
    pub resource: &'a str,
    /// The effective parameters (after InputPath and Parameters).
    pub input: &'a Payload,
    /// 0-based invocation number of this state in the execution (retries count).
    pub invocation: u64,
    /// `$$.Task.Token` for `.waitForTaskToken` resources.
    pub task_token: Option<&'a str>,
}

/// How a Task invocation ended.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskOutcome {
    /// The task returned a result.
    Succeeded(Value),
    /// The task threw an error (a `TaskFailed` event, subject to Retry and Catch).
    Failed(Failure),
}

/// What a backend answers: the outcome and how long the task took (logical milliseconds).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskAnswer {
    /// The outcome.
    pub outcome: TaskOutcome,
    /// Simulated duration; a duration above TimeoutSeconds becomes `States.Timeout`.
    pub duration_ms: u64,
    /// The longest stretch without a heartbeat (`SendTaskHeartbeat`), for a backend that
    /// heartbeats; `None` counts the whole duration. Above HeartbeatSeconds it becomes
    /// `States.HeartbeatTimeout`.
    pub silence_ms: Option<u64>,
}

/// Why no backend could answer (not a task failure: a configuration problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unanswered(pub String);

/// A task backend. Backends are tried in order: the mock test case, then local handlers, then a
/// manual answer; the first that answers wins ([`Chain`]).
pub trait TaskInvoker {
    /// Answers an invocation, or says it has no answer.
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered>;
}

/// Tries backends in order.
pub struct Chain(pub Vec<Box<dyn TaskInvoker>>);

impl TaskInvoker for Chain {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let mut reasons = Vec::new();
        for backend in &mut self.0 {
            match backend.invoke(request) {
                Ok(answer) => return Ok(answer),
                Err(Unanswered(why)) => reasons.push(why),
            }
        }
        Err(Unanswered(if reasons.is_empty() {
            "no task backend is configured".into()
        } else {
            reasons.join("; ")
        }))
    }
}

/// A backend with no answers (tasks fail with a clear message).
pub struct NoTasks;

impl TaskInvoker for NoTasks {
    fn invoke(&mut self, _: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        Err(Unanswered("no mock configuration or task handler is configured".into()))
    }
}

/// Whether wall time passes while logical time advances.
pub trait Clock {
    /// Called when logical time moves from `from_ms` to `to_ms` (a Wait, a retry interval).
    fn advance(&mut self, from_ms: i64, to_ms: i64);
}

/// The default: waits take no wall time.
#[derive(Debug, Default, Clone, Copy)]
pub struct VirtualClock;

impl Clock for VirtualClock {
    fn advance(&mut self, _: i64, _: i64) {}
}

/// Real time scaled by a factor (1.0 = real time, 0.1 = ten times faster).
#[derive(Debug, Clone, Copy)]
pub struct ScaledRealClock(pub f64);

impl Clock for ScaledRealClock {
    fn advance(&mut self, from_ms: i64, to_ms: i64) {
        let ms = ((to_ms - from_ms).max(0) as f64 * self.0) as u64;
        if ms > 0 {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
    }
}

/// What a debugger wants the engine to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Go on.
    Continue,
    /// Stop now: the execution ends ABORTED.
    Abort,
}

/// A debugger hook: sees every event as it is recorded and may stop the execution before any
/// state. Pausing, stepping and breakpoints are built on `before_state` by blocking in it (a
/// UI-side implementation waits on a channel there); the default does nothing.
pub trait Observer {
    /// Called before a state runs (`depth` 0 is the top level; branches and iterations are deeper).
    fn before_state(&mut self, _state: &str, _input: &Payload, _depth: usize) -> Control {
        Control::Continue
    }
    /// Called for every history event as it is recorded.
    fn on_event(&mut self, _event: &HistoryEvent) {}
    /// Whether [`Observer::on_event`] wants the events: when not, a run never renders an event
    /// in the AWS shape while it runs (the history stays compact until it is read).
    fn watches_events(&self) -> bool {
        true
    }
    /// Whether [`Observer::before_state`] and [`Observer::stopped`] are to be asked at each
    /// state: when not, a run skips both calls at every visit.
    fn watches_states(&self) -> bool {
        true
    }
    /// Called with the data-flow trace of each state visit as it ends (when traces are recorded).
    fn on_trace(&mut self, _trace: &crate::trace::StateTrace) {}
    /// Whether the execution has been told to stop. Asked after each state's work and when a
    /// task backend gave up (a manual answer the UI will never send): a stopped execution then
    /// ends ABORTED at once, not FAILED and not after its next state.
    fn stopped(&mut self) -> bool {
        false
    }
}

/// The observer that does nothing.
pub struct NoObserver;

impl Observer for NoObserver {
    fn watches_events(&self) -> bool {
        false
    }
    fn watches_states(&self) -> bool {
        false
    }
}
