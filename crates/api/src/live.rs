//! Live runs: each execution runs on its own thread while the UI follows and steers it.
//!
//! A run's thread executes the workflow with the interpreter's step-by-step [`debugger`] as its
//! observer and, after the mocks, the [`manual`] backend for callback tasks (`.waitForTaskToken`)
//! and activities: such a task parks the thread on a channel until the UI answers it. The session
//! keeps the controlling halves in a [`LiveRun`]: [`LiveRun::pump`] drains what the execution
//! reported (history events, traces, pauses, waiting tasks) into the state `poll_run` returns,
//! so the whole lifecycle is testable without a window or Tauri events.
//!
//! Time: the instant clock is the interpreter's virtual clock; real and scaled clocks sleep
//! through Wait states and retry intervals in short slices, so a Stop is not held up by a long
//! Wait. A task answered by hand took as long as it waited in wall time (scaled), and that time
//! is not slept again.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;
use stepwise_interp::debugger::{self, Command, Update};
use stepwise_interp::history::Details;
use stepwise_interp::manual::{self, Answer, ManualTasks, PendingTask};
use stepwise_interp::ports::{
    Chain, Clock, TaskAnswer, TaskInvoker, TaskRequest, Unanswered, VirtualClock,
};
use stepwise_interp::redrive::PreviousRun;
use stepwise_interp::states::Machine;
use stepwise_interp::{Data, Ports};

use crate::run::{Prepared, mark_running, merge_visit, refused, trace_view};
use crate::wire::{
    ApiError, DebugAction, ErrorCode, ExecutionView, PauseView, PendingTaskView, RunClock,
    RunProgress, StateRunView, TaskReply, UsageView,
};

/// The most events one report carries.
const EVENTS_PER_REPORT: usize = 2_000;

/// One run, live or ended, as the session holds it.
pub(crate) struct LiveRun {
    pub(crate) document_id: u32,
    /// Its row in the execution history, until the end is recorded.
    pub(crate) stored: Option<i64>,
    pub(crate) name: String,
    commands: Sender<Command>,
    updates: Receiver<Update>,
    /// Dropped on Stop, which wakes a task waiting for an answer.
    answers: Option<Sender<Answer>>,
    waiting: Receiver<PendingTask>,
    worker: Option<JoinHandle<ExecutionView>>,
    stop: Arc<AtomicBool>,
    /// Wall milliseconds the clock need not sleep again (a task answered by hand).
    credit_ms: Arc<AtomicU64>,
    /// Logical seconds per wall second; `None` for the instant clock.
    speed: Option<f64>,
    events: Vec<Value>,
    states: Vec<StateRunView>,
    paused: Option<PauseView>,
    last_state: Option<String>,
    pending: Vec<Waiting>,
    /// TimeoutSeconds and HeartbeatSeconds of the task scheduled last (its pending task follows).
    limits: (Option<u64>, Option<u64>),
    breakpoints: BTreeSet<String>,
    /// The target of "Run to here", a breakpoint until the next pause.
    run_to: Option<String>,
    pub(crate) result: Option<ExecutionView>,
}

impl std::fmt::Debug for LiveRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveRun")
            .field("document_id", &self.document_id)
            .field("name", &self.name)
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

/// A task waiting for an answer, and since when (wall time).
struct Waiting {
    view: PendingTaskView,
    since: Instant,
    last_heartbeat: Instant,
    timeout_seconds: Option<u64>,
    heartbeat_seconds: Option<u64>,
}

/// What a run needs to start.
pub(crate) struct Start {
    pub(crate) document_id: u32,
    pub(crate) name: String,
    pub(crate) stored: Option<i64>,
    pub(crate) plan: Machine,
    pub(crate) prepared: Prepared,
    pub(crate) clock: RunClock,
    pub(crate) start_paused: bool,
    pub(crate) breakpoints: BTreeSet<String>,
    /// Continue this earlier, unsuccessful run instead of starting afresh (RedriveExecution).
    pub(crate) redrive: Option<Redrive>,
}

/// An earlier run to continue: its record for the interpreter and the view the panel had of it,
/// so the redriven run is shown with its earlier history and states from the start.
pub(crate) struct Redrive {
    pub(crate) previous: PreviousRun,
    pub(crate) earlier: ExecutionView,
}

impl LiveRun {
    /// Starts the execution on its own thread.
    pub(crate) fn start(start: Start) -> LiveRun {
        let Start {
            document_id,
            name,
            stored,
            plan,
            prepared,
            clock,
            start_paused,
            breakpoints,
            redrive,
        } = start;
        let (earlier_events, earlier_states) = match &redrive {
            Some(r) => (r.earlier.events.clone(), r.earlier.states.clone()),
            None => (Vec::new(), Vec::new()),
        };
        let (observer, handle) = debugger::debugger(start_paused, breakpoints.clone());
        let (manual_tasks, manual_handle) = manual::manual();
        let stop = Arc::new(AtomicBool::new(false));
        let credit_ms = Arc::new(AtomicU64::new(0));
        let speed = match clock {
            RunClock::Instant => None,
            RunClock::RealTime => Some(1.0),
            RunClock::Scaled { speed } if speed > 0.0 && speed.is_finite() => Some(speed),
            RunClock::Scaled { .. } => None,
        };
        let live_clock = speed.map(|speed| LiveClock {
            wall_per_logical: 1.0 / speed,
            stop: stop.clone(),
            credit_ms: credit_ms.clone(),
        });
        let Prepared { input, mocks, options } = prepared;
        let worker = std::thread::spawn(move || {
            let mut backends: Vec<Box<dyn TaskInvoker>> = Vec::new();
            if let Some(mocks) = mocks {
                backends.push(Box::new(mocks));
            }
            backends.push(Box::new(Callbacks(manual_tasks)));
            let clock: Box<dyn Clock> = match live_clock {
                Some(clock) => Box::new(clock),
                None => Box::new(VirtualClock),
            };
            let ports =
                Ports { tasks: Box::new(Chain(backends)), clock, observer: Box::new(observer) };
            match redrive {
                None => {
                    let execution =
                        stepwise_interp::run_plan(&plan, Data::from(input), options, ports);
                    crate::run::view(&execution)
                }
                // Checked before the run started; a refusal here still ends as a failed run.
                Some(r) => {
                    match stepwise_interp::redrive::redrive(&plan, &r.previous, options, ports) {
                        Ok(execution) => crate::run::view(&execution),
                        Err(err) => ExecutionView {
                            status: "FAILED".to_owned(),
                            error: Some("ExecutionNotRedrivable".to_owned()),
                            cause: Some(err.to_string()),
                            ..r.earlier
                        },
                    }
                }
            }
        });
        LiveRun {
            document_id,
            stored,
            name,
            commands: handle.commands,
            updates: handle.updates,
            answers: Some(manual_handle.answers),
            waiting: manual_handle.pending,
            worker: Some(worker),
            stop,
            credit_ms,
            speed,
            events: earlier_events,
            states: earlier_states,
            paused: None,
            last_state: None,
            pending: Vec::new(),
            limits: (None, None),
            breakpoints,
            run_to: None,
            result: None,
        }
    }

    /// Takes in what the execution reported since the last call.
    pub(crate) fn pump(&mut self) {
        // Checked first: once the thread has ended, every update it sent is in the channel.
        let finished = self.worker.as_ref().is_some_and(JoinHandle::is_finished);
        while let Ok(update) = self.updates.try_recv() {
            match update {
                Update::Event(event) => {
                    match &event.details {
                        Details::StateEntered { name, .. } => mark_running(&mut self.states, name),
                        Details::TaskScheduled(t) => {
                            self.limits = (t.timeout_seconds, t.heartbeat_seconds);
                        }
                        Details::ActivityScheduled(a) => {
                            self.limits = (a.timeout_seconds, a.heartbeat_seconds);
                        }
                        _ => {}
                    }
                    self.events.push(event.to_json());
                }
                Update::Trace(trace) => {
                    let view = trace_view(&trace);
                    self.last_state = Some(view.name.clone());
                    merge_visit(&mut self.states, view);
                }
                Update::Paused { state, input, .. } => {
                    if self.run_to.take().is_some() {
                        let _ =
                            self.commands.send(Command::SetBreakpoints(self.breakpoints.clone()));
                    }
                    self.paused = Some(PauseView {
                        state,
                        input: pretty(&input),
                        last_state: self.last_state.clone(),
                    });
                }
            }
        }
        while let Ok(task) = self.waiting.try_recv() {
            let id = task
                .task_token
                .clone()
                .unwrap_or_else(|| format!("activity:{}:{}", task.state_name, task.invocation));
            let view = PendingTaskView {
                id,
                state_name: task.state_name,
                resource: task.resource,
                task_token: task.task_token,
                input: pretty(&task.input),
                heartbeats: 0,
            };
            let now = Instant::now();
            let (timeout_seconds, heartbeat_seconds) = std::mem::take(&mut self.limits);
            self.pending.push(Waiting {
                view,
                since: now,
                last_heartbeat: now,
                timeout_seconds,
                heartbeat_seconds,
            });
        }
        self.time_out_waiting_tasks();
        if !finished {
            return;
        }
        let Some(worker) = self.worker.take() else { return };
        let mut view = worker.join().unwrap_or_else(|_| crashed());
        view.name.clone_from(&self.name);
        self.states = view.states.clone();
        self.paused = None;
        self.pending.clear();
        self.result = Some(view);
    }

    /// RUNNING, PAUSED or the final status.
    fn status(&self) -> String {
        match (&self.result, &self.paused) {
            (Some(result), _) => result.status.clone(),
            (None, Some(_)) => "PAUSED".to_owned(),
            (None, None) => "RUNNING".to_owned(),
        }
    }

    /// What happened after event `since` (call [`LiveRun::pump`] first).
    ///
    /// A report carries at most [`EVENTS_PER_REPORT`] events, so a long run reaches the UI in
    /// pieces it can take in between two frames. A caller following the run gets the result
    /// once it has every event, without the events again when they are the ones it has.
    pub(crate) fn progress(&self, run_id: u32, since: u32) -> RunProgress {
        let total = self.events.len();
        let start = usize::try_from(since).unwrap_or(usize::MAX).min(total);
        let end = total.min(start + EVENTS_PER_REPORT);
        let following = since > 0;
        let mut result = if following && end < total { None } else { self.result.clone() };
        let mut result_events_streamed = false;
        if let Some(view) = result.as_mut()
            && following
            && view.events == self.events
        {
            view.events = Vec::new();
            result_events_streamed = true;
        }
        RunProgress {
            run_id,
            status: self.status(),
            events: self.events[start..end].to_vec(),
            last_event_id: u32::try_from(end).unwrap_or(u32::MAX),
            states: self.states.clone(),
            paused: self.paused.clone(),
            pending: self.pending.iter().map(|w| w.view.clone()).collect(),
            result,
            events_left: u32::try_from(total - end).unwrap_or(u32::MAX),
            result_events_streamed,
        }
    }

    /// Applies a debugger action.
    pub(crate) fn control(&mut self, action: DebugAction) {
        if self.result.is_some() {
            return;
        }
        let send = |command| {
            let _ = self.commands.send(command);
        };
        match action {
            DebugAction::Continue => send(Command::Continue),
            DebugAction::Step => send(Command::Step),
            DebugAction::StepOver => send(Command::StepOver),
            DebugAction::Pause => {
                send(Command::Pause);
                return;
            }
            DebugAction::Stop => {
                self.stop.store(true, Ordering::SeqCst);
                send(Command::Stop);
                // A task waiting for an answer gets none: the execution ends ABORTED.
                self.answers = None;
            }
            DebugAction::RunTo { state } => {
                let mut with_target = self.breakpoints.clone();
                with_target.insert(state.clone());
                send(Command::SetBreakpoints(with_target));
                send(Command::Continue);
                self.run_to = Some(state);
            }
            DebugAction::SetBreakpoints { states } => {
                self.breakpoints = states.into_iter().collect();
                let mut all = self.breakpoints.clone();
                all.extend(self.run_to.clone());
                send(Command::SetBreakpoints(all));
                return;
            }
        }
        self.paused = None;
    }

    /// Answers the task waiting under `task_id`.
    pub(crate) fn answer(&mut self, task_id: &str, reply: TaskReply) -> Result<(), ApiError> {
        let index =
            self.pending.iter().position(|w| w.view.id == task_id).ok_or_else(|| ApiError {
                code: ErrorCode::UnknownExecution,
                message: format!("no task waits for an answer under {task_id}"),
            })?;
        let waited = self.pending[index].since.elapsed();
        // Under a real or scaled clock a task took as long as it waited, in logical seconds.
        let after_seconds = self.speed.map_or(0, |speed| (waited.as_secs_f64() * speed) as u64);
        let answer = match reply {
            TaskReply::Heartbeat => {
                self.pending[index].view.heartbeats += 1;
                self.pending[index].last_heartbeat = Instant::now();
                Answer::Heartbeat { after_seconds }
            }
            TaskReply::Success { output } => {
                let output: Value = serde_json::from_str(&output)
                    .map_err(|err| refused(format!("the output is not JSON: {err}")))?;
                Answer::Success { output, after_seconds }
            }
            TaskReply::Failure { error, cause } => Answer::Failure { error, cause, after_seconds },
        };
        let done = !matches!(answer, Answer::Heartbeat { .. });
        if done {
            if let Some(speed) = self.speed {
                let slept = (after_seconds as f64 * 1000.0 / speed) as u64;
                self.credit_ms.store(slept, Ordering::SeqCst);
            }
            self.pending.remove(index);
        }
        let gone = || refused("the run no longer takes answers".into());
        self.answers.as_ref().ok_or_else(gone)?.send(answer).map_err(|_| gone())
    }

    /// Under a real or scaled clock, a task waiting longer than its TimeoutSeconds, or longer than
    /// HeartbeatSeconds since its last heartbeat, is told so (the engine then fails it with
    /// States.Timeout or States.HeartbeatTimeout). Checked whenever the run is polled.
    fn time_out_waiting_tasks(&mut self) {
        let Some(speed) = self.speed else { return };
        let logical = |since: Instant| since.elapsed().as_secs_f64() * speed;
        let Some(index) = self.pending.iter().position(|w| {
            w.timeout_seconds.is_some_and(|t| logical(w.since) > t as f64)
                || w.heartbeat_seconds.is_some_and(|h| logical(w.last_heartbeat) > h as f64)
        }) else {
            return;
        };
        let waiting = self.pending.remove(index);
        let after_seconds = logical(waiting.since).ceil() as u64;
        let slept = waiting.since.elapsed().as_millis().try_into().unwrap_or(u64::MAX);
        self.credit_ms.store(slept, Ordering::SeqCst);
        if let Some(answers) = &self.answers {
            let _ = answers.send(Answer::Silence { after_seconds });
        }
    }

    /// Stops the run if it is live and waits for its thread to end (the channels are unbounded,
    /// so the thread never waits on the session).
    pub(crate) fn stop_and_wait(&mut self) {
        self.control(DebugAction::Stop);
        if let Some(worker) = self.worker.as_ref() {
            while !worker.is_finished() {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        self.pump();
    }
}

/// The manual backend for callback tasks and activities only; other tasks need a mock.
struct Callbacks(ManualTasks);

impl TaskInvoker for Callbacks {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let activity = request.resource.starts_with("arn:aws:states:")
            && request.resource.contains(":activity:");
        if request.task_token.is_none() && !activity {
            return Err(Unanswered(
                "no mock answers it, and only callback tasks (.waitForTaskToken) and activities \
                 wait for an answer"
                    .into(),
            ));
        }
        self.0.invoke(request)
    }
}

/// Real time, optionally scaled, in slices that a Stop cuts short.
struct LiveClock {
    wall_per_logical: f64,
    stop: Arc<AtomicBool>,
    credit_ms: Arc<AtomicU64>,
}

impl Clock for LiveClock {
    fn advance(&mut self, from_ms: i64, to_ms: i64) {
        let wanted = ((to_ms - from_ms).max(0) as f64 * self.wall_per_logical) as u64;
        let mut left = wanted.saturating_sub(self.credit_ms.swap(0, Ordering::SeqCst));
        while left > 0 && !self.stop.load(Ordering::SeqCst) {
            let slice = left.min(50);
            std::thread::sleep(Duration::from_millis(slice));
            left -= slice;
        }
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The result of a run whose thread panicked (a bug in Stepwise, never the workflow's fault).
fn crashed() -> ExecutionView {
    ExecutionView {
        id: None,
        name: String::new(),
        status: "FAILED".to_owned(),
        output: None,
        error: Some("Stepwise.InternalError".to_owned()),
        cause: Some("the interpreter stopped unexpectedly; please report it".to_owned()),
        states: Vec::new(),
        events: Vec::new(),
        usage: UsageView { state_transitions: 0, duration_ms: 0.0 },
        map_runs: None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use serde_json::json;

    use super::EVENTS_PER_REPORT;
    use crate::Session;
    use crate::wire::{
        AnswerTask, ApplyText, ControlRun, DebugAction, DocumentRef, ErrorCode, LaunchDocument,
        PollRun, RedriveRun, RunClock, RunProgress, StartRun, StateRunStatus, TaskReply,
    };

    /// A session with `definition` open (and an in-memory history).
    fn open(definition: serde_json::Value) -> (Session, u32) {
        let mut session = Session::new(None);
        session.set_store(stepwise_store::Store::in_memory().expect("store"));
        let document_id =
            session.launch_document(LaunchDocument {}).expect("launch").head.document_id;
        let text = serde_json::to_string_pretty(&definition).expect("json");
        session.apply_text(ApplyText { document_id, text }).expect("text");
        (session, document_id)
    }

    /// A run of `document_id` on `input`: instant clock, not paused, no breakpoints, Standard.
    fn run_of(document_id: u32, input: String) -> StartRun {
        StartRun {
            name: None,
            document_id,
            input,
            test_case: None,
            clock: RunClock::Instant,
            start_paused: false,
            express: false,
            lift_limits: false,
            breakpoints: Vec::new(),
        }
    }

    /// A redrive of recorded run `id` of `document_id`: instant clock, not paused.
    fn redrive_of(document_id: u32, id: u32) -> RedriveRun {
        RedriveRun {
            document_id,
            id,
            test_case: None,
            clock: RunClock::Instant,
            start_paused: false,
            breakpoints: Vec::new(),
        }
    }

    fn start(session: &mut Session, document_id: u32, paused: bool, breakpoints: &[&str]) -> u32 {
        let request = StartRun {
            start_paused: paused,
            breakpoints: breakpoints.iter().map(|b| (*b).to_owned()).collect(),
            ..run_of(document_id, r#"{"order": 7}"#.to_owned())
        };
        session.start_run(request).expect("starts").run_id
    }

    /// Polls until `done` holds (or five seconds pass).
    fn until(
        session: &mut Session,
        run_id: u32,
        done: impl Fn(&RunProgress) -> bool,
    ) -> RunProgress {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let progress = session.poll_run(PollRun { run_id, since_event_id: 0 }).expect("poll");
            if done(&progress) {
                return progress;
            }
            assert!(Instant::now() < deadline, "gave up waiting; last progress: {progress:#?}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn paused_at(state: &'static str) -> impl Fn(&RunProgress) -> bool {
        move |p| p.paused.as_ref().is_some_and(|at| at.state == state)
    }

    fn ended(p: &RunProgress) -> bool {
        p.result.is_some()
    }

    fn control(session: &mut Session, run_id: u32, action: DebugAction) -> RunProgress {
        session.control_run(ControlRun { run_id, action, since_event_id: 0 }).expect("control")
    }

    fn status_of(progress: &RunProgress, state: &str) -> Option<StateRunStatus> {
        progress.states.iter().find(|s| s.name == state).map(|s| s.status)
    }

    fn three_passes() -> serde_json::Value {
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.a", "Next": "B"},
            "B": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Pass", "End": true}}})
    }

    fn callback() -> serde_json::Value {
        json!({"StartAt": "Approve", "States": {
            "Approve": {
                "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.why", "Next": "Denied"}],
                "Next": "Approved"},
            "Approved": {"Type": "Pass", "End": true},
            "Denied": {"Type": "Pass", "End": true}}})
    }

    #[test]
    fn a_run_started_paused_steps_state_by_state_showing_each_pipeline_then_continues() {
        let (mut session, doc) = open(three_passes());
        let run = start(&mut session, doc, true, &[]);
        let first = until(&mut session, run, paused_at("A"));
        assert_eq!(first.status, "PAUSED");
        assert_eq!(first.paused.as_ref().and_then(|p| p.last_state.clone()), None);
        assert!(first.paused.as_ref().is_some_and(|p| p.input.contains("\"order\": 7")));

        control(&mut session, run, DebugAction::Step);
        let second = until(&mut session, run, paused_at("B"));
        assert_eq!(second.paused.as_ref().and_then(|p| p.last_state.clone()).as_deref(), Some("A"));
        assert_eq!(status_of(&second, "A"), Some(StateRunStatus::Succeeded));
        assert_eq!(status_of(&second, "B"), None, "B has not run yet");
        let a = second.states.iter().find(|s| s.name == "A").expect("A ran");
        let stages: Vec<&str> = a.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(stages, ["input", "afterInputPath", "result", "afterResultPath", "output"]);

        control(&mut session, run, DebugAction::Continue);
        let end = until(&mut session, run, ended);
        assert_eq!(end.status, "SUCCEEDED");
        assert_eq!(end.states.len(), 3);
        let result = end.result.expect("result");
        assert_eq!(
            result.events.last().map(|e| e["type"].clone()),
            Some(json!("ExecutionSucceeded"))
        );
        let history = session.list_executions(DocumentRef { document_id: doc }).expect("history");
        assert_eq!(history.len(), 1, "the run is kept in the execution history");
        assert_eq!(history[0].status, "SUCCEEDED");
        assert_eq!(result.id, Some(history[0].id));
    }

    #[test]
    fn events_arrive_as_they_happen_and_only_once() {
        let (mut session, doc) = open(three_passes());
        let run = start(&mut session, doc, false, &["C"]);
        let at_c = until(&mut session, run, paused_at("C"));
        let types: Vec<&str> = at_c.events.iter().filter_map(|e| e["type"].as_str()).collect();
        assert_eq!(types.first(), Some(&"ExecutionStarted"));
        assert_eq!(types.last(), Some(&"PassStateExited"), "B has exited, C not entered");
        let since = at_c.last_event_id;
        let later = session
            .control_run(ControlRun {
                run_id: run,
                action: DebugAction::Continue,
                since_event_id: since,
            })
            .expect("continue");
        assert!(later.events.iter().all(|e| e["id"].as_u64() > Some(u64::from(since))));
    }

    #[test]
    fn a_breakpoint_pauses_before_its_state_and_stop_ends_the_run_aborted() {
        let (mut session, doc) = open(three_passes());
        let run = start(&mut session, doc, false, &["B"]);
        let at_b = until(&mut session, run, paused_at("B"));
        assert_eq!(at_b.status, "PAUSED");
        let stopped = control(&mut session, run, DebugAction::Stop);
        assert_eq!(stopped.status, "ABORTED");
        let result = stopped.result.clone().expect("ended");
        assert_eq!(
            result.events.last().map(|e| e["type"].clone()),
            Some(json!("ExecutionAborted"))
        );
        assert_eq!(status_of(&stopped, "A"), Some(StateRunStatus::Succeeded));
        let history = session.list_executions(DocumentRef { document_id: doc }).expect("history");
        assert_eq!(history[0].status, "ABORTED");
    }

    #[test]
    fn run_to_here_pauses_at_the_target_once_and_keeps_the_real_breakpoints() {
        let (mut session, doc) = open(three_passes());
        let run = start(&mut session, doc, true, &[]);
        until(&mut session, run, paused_at("A"));
        control(&mut session, run, DebugAction::RunTo { state: "C".into() });
        let at_c = until(&mut session, run, paused_at("C"));
        assert_eq!(status_of(&at_c, "B"), Some(StateRunStatus::Succeeded), "B ran on the way");
        control(&mut session, run, DebugAction::Continue);
        assert_eq!(until(&mut session, run, ended).status, "SUCCEEDED");
    }

    #[test]
    fn a_callback_task_waits_with_its_token_until_send_success() {
        let (mut session, doc) = open(callback());
        let run = start(&mut session, doc, false, &[]);
        let waiting = until(&mut session, run, |p| !p.pending.is_empty());
        assert_eq!(waiting.status, "RUNNING");
        assert_eq!(status_of(&waiting, "Approve"), Some(StateRunStatus::Running));
        let task = &waiting.pending[0];
        let token = task.task_token.clone().expect("a callback has a token");
        assert_eq!(task.id, token);
        assert!(task.input.contains(&token), "the token reached the message: {}", task.input);

        let beat = AnswerTask {
            run_id: run,
            task_id: token.clone(),
            reply: TaskReply::Heartbeat,
            since_event_id: 0,
        };
        let after_beat = session.answer_task(beat).expect("heartbeat");
        assert_eq!(after_beat.pending[0].heartbeats, 1, "a heartbeat keeps the task waiting");

        let success = AnswerTask {
            run_id: run,
            task_id: token,
            reply: TaskReply::Success { output: r#"{"approved": true}"#.into() },
            since_event_id: 0,
        };
        session.answer_task(success).expect("answer");
        let end = until(&mut session, run, ended);
        assert_eq!(end.status, "SUCCEEDED");
        assert!(end.pending.is_empty());
        assert_eq!(status_of(&end, "Approved"), Some(StateRunStatus::Succeeded));
        let output = end.result.and_then(|r| r.output).expect("output");
        assert!(output.contains("\"approved\": true"), "{output}");
    }

    /// Developer guide, "Restarting state machine executions with redrive": the execution
    /// continues from the unsuccessful step with the same input, the successful steps are not
    /// rerun, and the history gains an ExecutionRedriven event; it stays one execution.
    #[test]
    fn a_failed_run_is_redriven_from_the_failed_step_as_the_same_execution() {
        let (mut session, doc) = open(json!({"StartAt": "Prepare", "States": {
            "Prepare": {"Type": "Pass", "Result": 1, "ResultPath": "$.prepared", "Next": "Approve"},
            "Approve": {"Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                "End": true}}}));
        let answer = |session: &mut Session, run: u32, reply: TaskReply| {
            let waiting = until(session, run, |p| !p.pending.is_empty());
            let task_id = waiting.pending[0].id.clone();
            session.answer_task(AnswerTask { run_id: run, task_id, reply, since_event_id: 0 })
        };
        let run = start(&mut session, doc, false, &[]);
        let failure = TaskReply::Failure { error: "Busy".into(), cause: None };
        answer(&mut session, run, failure).expect("fails");
        let failed = until(&mut session, run, ended);
        assert_eq!(failed.status, "FAILED");
        let id = failed.result.as_ref().and_then(|r| r.id).expect("recorded");
        let earlier_events = failed.result.as_ref().map_or(0, |r| r.events.len());

        let redrive = |id| redrive_of(doc, id);
        let redriven = session.redrive_run(redrive(id)).expect("redrives");
        assert_eq!(status_of(&redriven, "Prepare"), Some(StateRunStatus::Succeeded), "kept");
        let run = redriven.run_id;
        answer(&mut session, run, TaskReply::Success { output: "{}".into() }).expect("answers");
        let end = until(&mut session, run, ended);
        assert_eq!(end.status, "SUCCEEDED");
        let result = end.result.expect("result");
        let types: Vec<&str> = result.events.iter().filter_map(|e| e["type"].as_str()).collect();
        assert_eq!(types[earlier_events], "ExecutionRedriven");
        assert_eq!(types.iter().filter(|t| **t == "PassStateEntered").count(), 1, "not rerun");
        let history = session.list_executions(DocumentRef { document_id: doc }).expect("history");
        assert_eq!(history.len(), 1, "one execution");
        assert_eq!((history[0].id, history[0].status.as_str()), (id, "SUCCEEDED"));

        // API Reference, RedriveExecution: a SUCCEEDED execution is not redrivable.
        let err = session.redrive_run(redrive(id)).expect_err("succeeded");
        assert!(err.message.contains("SUCCEEDED and cannot be redriven"), "{}", err.message);
        assert_eq!(session.redrive_run(redrive(99)).unwrap_err().code, ErrorCode::UnknownExecution);
    }

    /// Developer guide, "Redriving Map Runs": redriving the parent workflow redrives "all the
    /// unsuccessful child workflow executions in the Map Run"; the app's redrive reads the Map
    /// Run's children from the recorded run.
    #[test]
    fn a_redriven_distributed_map_reruns_only_its_failed_children() {
        let (mut session, doc) = open(json!({"StartAt": "Each", "States": {"Each": {
            "Type": "Map", "ItemsPath": "$.items", "End": true,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Approve", "States": {"Approve": {"Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                    "End": true}}}}}}));
        let mut answered = Vec::new();
        let mut answer = |session: &mut Session, run: u32, reply: TaskReply| {
            let fresh = |p: &RunProgress| {
                p.pending.iter().find(|t| !answered.contains(&(run, t.id.clone()))).cloned()
            };
            let task = fresh(&until(session, run, |p| fresh(p).is_some())).expect("waiting");
            answered.push((run, task.id.clone()));
            let answer = AnswerTask { run_id: run, task_id: task.id, reply, since_event_id: 0 };
            session.answer_task(answer).expect("answered");
        };
        let ok = |v: &str| TaskReply::Success { output: v.into() };
        let request = run_of(doc, r#"{"items": [1, 2, 3]}"#.to_owned());
        let run = session.start_run(request).expect("starts").run_id;
        answer(&mut session, run, ok("\"one\""));
        answer(&mut session, run, TaskReply::Failure { error: "Busy".into(), cause: None });
        answer(&mut session, run, ok("\"three\""));
        let failed = until(&mut session, run, ended);
        assert_eq!(failed.status, "FAILED");
        let id = failed.result.as_ref().and_then(|r| r.id).expect("recorded");

        let run = session.redrive_run(redrive_of(doc, id)).expect("redrives").run_id;
        answer(&mut session, run, ok("\"two\""));
        let end = until(&mut session, run, ended);
        assert_eq!(end.status, "SUCCEEDED");
        assert_eq!(answered.len(), 4, "one child ran again");
        let result = end.result.expect("result");
        let output: serde_json::Value =
            serde_json::from_str(result.output.as_deref().expect("output")).expect("json");
        assert_eq!(output, json!(["one", "two", "three"]));
        let types: Vec<&str> = result.events.iter().filter_map(|e| e["type"].as_str()).collect();
        assert!(types.contains(&"MapRunRedriven"), "{types:?}");
    }

    /// Developer guide, "Standard and Express workflow types": Express workflows do not support
    /// the .waitForTaskToken integration pattern; run as Express, such a workflow is refused.
    #[test]
    fn an_express_run_refuses_a_callback_task() {
        let (mut session, doc) = open(callback());
        let request = StartRun { express: true, ..run_of(doc, "{}".into()) };
        let err = session.start_run(request).expect_err("refused");
        assert_eq!(err.code, ErrorCode::RunRefused);
        assert!(
            err.message.starts_with("fix the definition first as an Express workflow"),
            "{}",
            err.message
        );
    }

    /// Service quotas: a Standard execution's history holds at most 25,000 events; the run
    /// panel can lift that limit for a local run (a 7,000-item inline Map of one Pass writes 28,000).
    #[test]
    fn lifting_the_limits_lets_a_long_history_finish() {
        let items: Vec<u32> = (0..7_000).collect();
        let (mut session, doc) = open(json!({"StartAt": "Each", "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": null,
                "ItemProcessor": {"StartAt": "Touch", "States": {
                    "Touch": {"Type": "Pass", "Result": 1, "End": true}}},
                "End": true}}}));
        let request = |lift_limits| StartRun {
            lift_limits,
            ..run_of(doc, json!({ "items": items }).to_string())
        };
        let run = session.start_run(request(false)).expect("starts").run_id;
        let capped = until(&mut session, run, ended);
        assert_eq!(capped.status, "FAILED", "the history limit ends it");
        let run = session.start_run(request(true)).expect("starts").run_id;
        let lifted = until(&mut session, run, ended);
        assert_eq!(lifted.status, "SUCCEEDED");
        assert!(lifted.result.expect("result").events.len() > 25_000);
    }

    /// A long run reaches a follower in reports of at most EVENTS_PER_REPORT events, and its
    /// final history is not sent again when it is what was reported.
    #[test]
    fn a_long_run_is_reported_in_pieces_and_its_history_is_not_sent_twice() {
        let items: Vec<u32> = (0..3_000).collect();
        let (mut session, doc) = open(json!({"StartAt": "Each", "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": null,
                "ItemProcessor": {"StartAt": "Touch", "States": {
                    "Touch": {"Type": "Pass", "End": true}}},
                "End": true}}}));
        let request = run_of(doc, json!({ "items": items }).to_string());
        let run = session.start_run(request).expect("starts").run_id;
        let whole = until(&mut session, run, ended);
        let history = whole.result.as_ref().expect("result").events.clone();
        assert!(history.len() > 3 * EVENTS_PER_REPORT, "{} events", history.len());
        // A follower that has the first event asks for the rest, one report at a time.
        let (mut since, mut streamed, mut last) = (1, vec![history[0].clone()], None);
        for _ in 0..100 {
            let report =
                session.poll_run(PollRun { run_id: run, since_event_id: since }).expect("poll");
            assert!(report.events.len() <= EVENTS_PER_REPORT);
            streamed.extend(report.events.iter().cloned());
            since = report.last_event_id;
            if report.result.is_some() {
                last = Some(report);
                break;
            }
            assert!(report.events_left > 0, "no result yet, so more events are ready");
        }
        let last = last.expect("the result came");
        assert!(last.result_events_streamed, "the history was not sent twice");
        assert!(last.result.expect("result").events.is_empty());
        assert_eq!(streamed, history);
    }

    #[test]
    fn send_failure_takes_the_catch_path() {
        let (mut session, doc) = open(callback());
        let run = start(&mut session, doc, false, &[]);
        let waiting = until(&mut session, run, |p| !p.pending.is_empty());
        let failure = AnswerTask {
            run_id: run,
            task_id: waiting.pending[0].id.clone(),
            reply: TaskReply::Failure { error: "Rejected".into(), cause: Some("no stock".into()) },
            since_event_id: 0,
        };
        session.answer_task(failure).expect("answer");
        let end = until(&mut session, run, ended);
        assert_eq!(end.status, "SUCCEEDED");
        assert_eq!(status_of(&end, "Approve"), Some(StateRunStatus::Caught));
        assert_eq!(status_of(&end, "Denied"), Some(StateRunStatus::Succeeded));
        assert_eq!(status_of(&end, "Approved"), None);
    }

    #[test]
    fn stop_while_a_callback_waits_aborts_and_unknown_tasks_are_refused() {
        let (mut session, doc) = open(callback());
        let run = start(&mut session, doc, false, &[]);
        until(&mut session, run, |p| !p.pending.is_empty());
        let wrong = AnswerTask {
            run_id: run,
            task_id: "not-a-token".into(),
            reply: TaskReply::Heartbeat,
            since_event_id: 0,
        };
        assert!(session.answer_task(wrong).is_err());
        let stopped = control(&mut session, run, DebugAction::Stop);
        assert_eq!(stopped.status, "ABORTED");
        assert_eq!(status_of(&stopped, "Approve"), Some(StateRunStatus::Cancelled));
    }

    #[test]
    fn a_task_that_is_neither_mocked_nor_a_callback_fails_as_before() {
        let (mut session, doc) = open(json!({"StartAt": "Call", "States": {"Call": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}));
        let run = start(&mut session, doc, false, &[]);
        let end = until(&mut session, run, ended);
        assert_eq!(end.status, "FAILED");
        assert!(end.pending.is_empty());
    }

    #[test]
    fn a_scaled_clock_waits_in_wall_time_and_a_new_run_replaces_the_live_one() {
        let (mut session, doc) = open(json!({"StartAt": "Nap", "States": {
            "Nap": {"Type": "Wait", "Seconds": 3600, "End": true}}}));
        let request = |clock| StartRun {
            name: None,
            document_id: doc,
            input: "{}".into(),
            test_case: None,
            clock,
            start_paused: false,
            express: false,
            lift_limits: false,
            breakpoints: Vec::new(),
        };
        // An hour at 10× is six minutes: still running when a new run replaces it.
        let slow = session.start_run(request(RunClock::Scaled { speed: 10.0 })).expect("start");
        std::thread::sleep(Duration::from_millis(50));
        let progress = session.poll_run(PollRun { run_id: slow.run_id, since_event_id: 0 });
        assert_eq!(progress.expect("poll").status, "RUNNING");
        let fast = session.start_run(request(RunClock::Instant)).expect("start");
        assert!(session.poll_run(PollRun { run_id: slow.run_id, since_event_id: 0 }).is_err());
        assert_eq!(until(&mut session, fast.run_id, ended).status, "SUCCEEDED");
        let history = session.list_executions(DocumentRef { document_id: doc }).expect("history");
        let statuses: Vec<&str> = history.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses.len(), 2);
        assert!(statuses.contains(&"ABORTED") && statuses.contains(&"SUCCEEDED"), "{statuses:?}");
    }

    // Under a real or scaled clock a waiting callback times out in (scaled) wall time, as on AWS.
    #[test]
    fn under_a_scaled_clock_a_waiting_callback_times_out_and_its_catch_runs() {
        let (mut session, doc) = open(json!({"StartAt": "Approve", "States": {
            "Approve": {
                "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
                "TimeoutSeconds": 30,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Too late"}],
                "End": true},
            "Too late": {"Type": "Pass", "End": true}}}));
        let request = StartRun {
            name: None,
            document_id: doc,
            input: "{}".into(),
            test_case: None,
            // 30 s at 1000× is 30 ms.
            clock: RunClock::Scaled { speed: 1000.0 },
            start_paused: false,
            express: false,
            lift_limits: false,
            breakpoints: Vec::new(),
        };
        let run = session.start_run(request).expect("start").run_id;
        let end = until(&mut session, run, ended);
        assert_eq!(status_of(&end, "Approve"), Some(StateRunStatus::Caught));
        assert_eq!(status_of(&end, "Too late"), Some(StateRunStatus::Succeeded));
        let events = end.result.expect("ended").events;
        assert!(events.iter().any(|e| e["type"] == "TaskTimedOut"), "{events:#?}");
    }
}
