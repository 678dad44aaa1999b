//! Running a compiled [`Machine`]: the state lifecycle, Retry/Catch, Parallel branches and Map
//! iterations, history and trace recording.
//!
//! Lifecycle of one state visit: `before_state` hook → `...StateEntered` → InputPath → the
//! state's own work (Parameters, task, branches...) with Retry and Catch around it →
//! ResultSelector → ResultPath → OutputPath → `...StateExited` → next state. A failure that no
//! Catcher handles ends the enclosing machine; at the top level it becomes `ExecutionFailed`.
//!
//! Parallel branches and Map iterations run one after the other on the caller's thread; logical
//! time makes them concurrent: every branch starts at the state's start time, and the state ends
//! at the latest branch end (Map iterations are packed into `MaxConcurrency` slots).

mod branches;
mod jsonata;
mod plain_pass;
mod quick_visit;
mod retry_catch;
mod s3_inventory;
mod task;

use plain_pass::FieldPass;
use quick_visit::QuickVisit;
use retry_catch::Handled;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::value::{Object, Payload};

use crate::Data;
use crate::dataflow::{
    Assignments, Env, EvalError, Lazy, PathField, Template, Variables, apply_selection_path,
    json_size, no_results, result_path_bound, select_field, selection_bound,
};
use crate::errors::{self, Failure, error_equals_matches};
use crate::history::{Body, Details, History, HistoryEvent, TaskResource, iso_millis};
use crate::map_run::MapRun;
use crate::ports::{
    Clock, Control, NoObserver, NoTasks, Observer, TaskAnswer, TaskInvoker, TaskOutcome,
    TaskRequest, VirtualClock,
};
use crate::states::{
    Catcher, CompileError, Handling, Kind, Machine, MapState, Parallel, PercentOrPath, Retrier,
    Seconds, State, Task, Text, Wait, compile,
};
use crate::trace::StateTrace;

/// AWS's limits, as settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest state input/output/task result, in bytes of JSON text (AWS: 256 KiB).
    pub max_payload_bytes: usize,
    /// Most history events in one execution (AWS: 25,000).
    pub max_history_events: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_payload_bytes: 256 * 1024, max_history_events: 25_000 }
    }
}

/// Everything about a run that is not the definition or the input.
#[derive(Debug, Clone)]
pub struct Options {
    /// `$$.StateMachine.Name`.
    pub state_machine_name: String,
    /// `$$.Execution.Name`.
    pub execution_name: String,
    /// Region used in ARNs and task events.
    pub region: String,
    /// Account used in ARNs.
    pub account: String,
    /// `$$.Execution.RoleArn`.
    pub role_arn: String,
    /// Logical start time, milliseconds since the epoch (the only notion of "now").
    pub start_time_ms: i64,
    /// Seed of the random source (jitter, MathRandom without seed, UUID, task tokens).
    pub seed: u64,
    /// Limits.
    pub limits: Limits,
    /// Whether to record the data-flow trace.
    pub record_trace: bool,
    /// The local directory standing in for Amazon S3 in Distributed Map `ItemReader`s:
    /// `s3://BUCKET/KEY` is read from `<s3_root>/BUCKET/KEY`. `None`: item readers fail with
    /// `States.ItemReaderFailed`.
    pub s3_root: Option<std::path::PathBuf>,
    /// An Express workflow: it runs for at most five minutes (developer guide, "Choosing
    /// workflow type in Step Functions" and the Express quotas), then times out as the
    /// execution's `TimeoutSeconds` would make it.
    pub express: bool,
}

/// How long an Express execution may run, in seconds.
pub const EXPRESS_MAX_SECONDS: u64 = 300;

impl Default for Options {
    fn default() -> Self {
        Options {
            state_machine_name: "StateMachine".into(),
            execution_name: "execution".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            role_arn: "arn:aws:iam::123456789012:role/service-role/StepwiseLocalRole".into(),
            // 2024-01-01T00:00:00Z: a fixed origin keeps runs reproducible.
            start_time_ms: 1_704_067_200_000,
            seed: 0,
            limits: Limits::default(),
            record_trace: true,
            s3_root: None,
            express: false,
        }
    }
}

/// The backends of a run.
pub struct Ports {
    /// Answers Task states.
    pub tasks: Box<dyn TaskInvoker>,
    /// Lets wall time pass (or not).
    pub clock: Box<dyn Clock>,
    /// Watches and steers.
    pub observer: Box<dyn Observer>,
}

impl Default for Ports {
    fn default() -> Self {
        Ports {
            tasks: Box::new(NoTasks),
            clock: Box::new(VirtualClock),
            observer: Box::new(NoObserver),
        }
    }
}

/// Terminal status, as `DescribeExecution` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// SUCCEEDED.
    Succeeded,
    /// FAILED.
    Failed,
    /// TIMED_OUT.
    TimedOut,
    /// ABORTED.
    Aborted,
}

impl Status {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// A finished execution.
#[derive(Debug, Clone)]
pub struct Execution {
    /// Terminal status.
    pub status: Status,
    /// Output when SUCCEEDED.
    pub output: Option<Data>,
    /// Error and cause when FAILED / TIMED_OUT / ABORTED.
    pub failure: Option<Failure>,
    /// History, in order.
    pub events: History,
    /// Data-flow trace, one entry per state visit (when recorded).
    pub traces: Vec<StateTrace>,
    /// The execution ARN.
    pub execution_arn: String,
    /// Its Distributed Maps' Map Runs (earlier attempts' included), with their children.
    pub map_runs: Vec<MapRun>,
}

impl Execution {
    /// The names of the top-level and nested states entered, in order.
    pub fn path_taken(&self) -> Vec<String> {
        self.events.entered_states().map(|name| name.to_string()).collect()
    }

    /// The output as a `serde_json::Value` (when SUCCEEDED).
    pub fn output_value(&self) -> Option<Value> {
        self.output.as_ref().map(Payload::to_value)
    }

    /// `{"events": [...]}` in the AWS shape.
    pub fn events_json(&self) -> Value {
        self.events.to_json()
    }

    /// The run record `stepwise run --json` prints (shared/conformance/FORMAT.md): `status`,
    /// `output` when SUCCEEDED, `error` and `cause` when given, `events`, and `mapRuns` when a
    /// Distributed Map ran (this interpreter's addition, [`MapRun::to_json`]); what
    /// [`crate::redrive::PreviousRun::from_json`] reads back.
    pub fn record_json(&self) -> Value {
        let mut out = serde_json::Map::new();
        out.insert("status".into(), Value::from(self.status.as_str()));
        if let Some(o) = self.output_value() {
            out.insert("output".into(), o);
        }
        if let Some(f) = &self.failure {
            if let Some(e) = &f.error {
                out.insert("error".into(), Value::from(e.as_str()));
            }
            if let Some(c) = &f.cause {
                out.insert("cause".into(), Value::from(c.as_str()));
            }
        }
        out.insert("events".into(), self.events_json());
        if !self.map_runs.is_empty() {
            out.insert("mapRuns".into(), self.map_runs.iter().map(MapRun::to_json).collect());
        }
        Value::Object(out)
    }
}

/// Compiles and runs a definition.
pub fn run(
    definition: &Value,
    input: Value,
    options: Options,
    ports: Ports,
) -> Result<Execution, CompileError> {
    let plan = compile(definition)?;
    Ok(run_plan(&plan, Payload::from(input), options, ports))
}

/// Runs an already compiled plan (compile once, run many times).
pub fn run_plan(plan: &Machine, input: Data, options: Options, ports: Ports) -> Execution {
    execute(plan, input, options, ports, None)
}

/// Runs a plan from its start, or (redriven) from where an earlier attempt stopped.
pub(crate) fn execute(
    plan: &Machine,
    input: Data,
    options: Options,
    ports: Ports,
    redriven: Option<Redriven>,
) -> Execution {
    let sm_arn = format!(
        "arn:aws:states:{}:{}:stateMachine:{}",
        options.region, options.account, options.state_machine_name
    );
    let exec_arn = format!(
        "arn:aws:states:{}:{}:execution:{}:{}",
        options.region, options.account, options.state_machine_name, options.execution_name
    );
    let mut context_execution = serde_json::json!({
        "Id": exec_arn,
        "Name": options.execution_name,
        "RoleArn": options.role_arn,
        "StartTime": iso_millis(options.start_time_ms),
        "RedriveCount": 0,
    });
    if let Some(r) = &redriven {
        context_execution["RedriveCount"] = Value::from(r.count);
        context_execution["RedriveTime"] = Value::from(iso_millis(r.at_ms));
    }
    // A redrive resets the execution's TimeoutSeconds: its clock starts again at the redrive.
    let clock_start = redriven.as_ref().map_or(options.start_time_ms, |r| r.at_ms);
    let info = std::rc::Rc::new(ExecInfo {
        input: input.clone(),
        context_execution: Payload::from(context_execution),
        context_state_machine: Payload::from(
            serde_json::json!({"Id": sm_arn, "Name": options.state_machine_name}),
        ),
        entered_text: RefCell::new((0, Payload::Null)),
        keys: ContextKeys::default(),
    });
    let events_capacity = expected_events(plan, options.limits.max_history_events);
    let watch_events = ports.observer.watches_events();
    let watch_states = ports.observer.watches_states();
    let mut r = Runner {
        rng: RefCell::new(ChaCha8Rng::seed_from_u64(options.seed)),
        deadline: match (plan.timeout_seconds, options.express) {
            (Some(s), true) => Some(s.min(EXPRESS_MAX_SECONDS)),
            (None, true) => Some(EXPRESS_MAX_SECONDS),
            (s, false) => s,
        }
        .map(|s| clock_start.saturating_add(secs_ms(s))),
        opts: options,
        ports,
        events: History::new(plan.names.clone(), events_capacity),
        watch_events,
        watch_states,
        traces: Vec::new(),
        invocations: HashMap::new(),
        info,
        region: Arc::from(""),
        cursor: 0,
        bounds_enabled: true,
        last_bound: None,
        vars: Variables::new(),
        evaluation_failures: RefCell::new(Vec::new()),
        resume: None,
        resume_inner: None,
        map_runs: Vec::new(),
    };
    r.bounds_enabled =
        json_size(&r.info.context_execution) + json_size(&r.info.context_state_machine) <= 4 * 1024;
    r.region = Arc::from(r.opts.region.as_str());
    let mut now = clock_start;
    // With the payload limit lifted nothing is checked, so the input is not measured either.
    let limit = r.opts.limits.max_payload_bytes;
    let size = (limit != usize::MAX).then(|| json_size(&input));
    let outcome = if let Some(redriven) = redriven {
        r.cursor = redriven.previous.len() as u64;
        for event in redriven.previous {
            let body = event.details.into();
            r.events.push(event.previous_event_id, event.timestamp_ms, event.event_type, body);
        }
        r.emit(now, "ExecutionRedriven", Details::ExecutionRedriven { count: redriven.count });
        r.map_runs = redriven.map_runs;
        match redriven.from {
            RedriveFrom::Finished(out) => Ok(out),
            RedriveFrom::Start => r.run_machine(plan, input, &mut now, 0, size),
            RedriveFrom::State(resume) => {
                r.resume = Some(resume);
                r.run_machine(plan, input, &mut now, 0, None)
            }
        }
    } else {
        r.emit(now, "ExecutionStarted", started(&r.opts, &input, &sm_arn));
        if size.is_some_and(|size| size > limit) {
            Err(Stop::Failed(Failure::new(
                errors::DATA_LIMIT_EXCEEDED,
                "The execution input exceeds the maximum number of bytes service limit.",
            )))
        } else {
            r.run_machine(plan, input, &mut now, 0, size)
        }
    };
    let (status, output, failure) = match outcome {
        Ok(out) => {
            r.emit(now, "ExecutionSucceeded", Details::ExecutionSucceeded { output: out.clone() });
            (Status::Succeeded, Some(out), None)
        }
        Err(Stop::Failed(f)) => {
            r.emit(now, "ExecutionFailed", Details::ExecutionFailed(f.clone()));
            (Status::Failed, None, Some(f))
        }
        Err(Stop::TimedOut) => {
            let f = Failure::new(errors::TIMEOUT, "The execution timed out (TimeoutSeconds).");
            let at = r.deadline.unwrap_or(now);
            r.emit(at, "ExecutionTimedOut", Details::ExecutionTimedOut(f.clone()));
            (Status::TimedOut, None, Some(f))
        }
        Err(Stop::Aborted) => {
            let f = Failure { error: None, cause: Some("Stopped from the debugger.".into()) };
            r.emit(now, "ExecutionAborted", Details::ExecutionAborted(f.clone()));
            (Status::Aborted, None, Some(f))
        }
    };
    let mut traces = r.traces;
    let mut events = r.events;
    events.put_in_time_order(&mut traces);
    Execution {
        status,
        output,
        failure,
        events,
        traces,
        execution_arn: exec_arn,
        map_runs: r.map_runs,
    }
}

/// The `ExecutionStarted` details of a run.
fn started(opts: &Options, input: &Data, sm_arn: &str) -> Details {
    Details::ExecutionStarted {
        input: input.clone(),
        role_arn: Arc::from(opts.role_arn.as_str()),
        state_machine_arn: Arc::from(sm_arn),
    }
}

/// What a redriven execution continues from (built by [`crate::redrive`]).
pub(crate) struct Redriven {
    /// The earlier attempts' history, kept as it was.
    pub(crate) previous: Vec<HistoryEvent>,
    /// `redriveCount` of the `ExecutionRedriven` event and `$$.Execution.RedriveCount`.
    pub(crate) count: u64,
    /// When the redrive happens (logical milliseconds): `$$.Execution.RedriveTime`.
    pub(crate) at_ms: i64,
    /// Where the top-level machine picks up.
    pub(crate) from: RedriveFrom,
    /// The earlier attempts' Map Runs.
    pub(crate) map_runs: Vec<MapRun>,
}

/// Where a redriven machine picks up.
pub(crate) enum RedriveFrom {
    /// No state had been entered: run from `StartAt`.
    Start,
    /// A state to re-enter (with what it needs, see [`Resume`]).
    State(Resume),
    /// Every state had finished (the execution stopped after its last state): this output.
    Finished(Data),
}

/// Re-entering one machine (top level, Parallel branch or Map iteration) at a state.
#[derive(Debug, Clone)]
pub(crate) struct Resume {
    /// The state to enter.
    pub(crate) state: usize,
    /// Its input, as the earlier attempt entered it.
    pub(crate) input: Data,
    /// The `Assign`s of the states that exited before it in this machine, in order: they rebuild
    /// the machine's variable scope.
    pub(crate) assigned: Vec<Assignments>,
    /// For a Parallel or Map state: what its branches, iterations or Map Run did before.
    pub(crate) inner: Option<Inner>,
}

/// What a re-entered Parallel or Map state continues.
#[derive(Debug, Clone)]
pub(crate) enum Inner {
    /// A Parallel's branches or an Inline Map's iterations, in order.
    Branches(Vec<Redo>),
    /// A Distributed Map's Map Run, redriven.
    MapRun(MapRun),
}

/// One Parallel branch or Map iteration of a redriven state.
#[derive(Debug, Clone)]
pub(crate) enum Redo {
    /// It succeeded: its output is kept and it is not run again.
    Keep(Data),
    /// It stopped inside: re-enter it there.
    Resume(Resume),
    /// It never started: run it from its start.
    Fresh,
}

/// The trace of one state visit, only when the run records traces (no allocation, no reference
/// counted otherwise).
struct Tracer {
    data: Option<Box<StateTrace>>,
}

impl Tracer {
    fn new(record: bool, state: &Arc<str>, entered_id: u64, input: &Data) -> Tracer {
        let data =
            record.then(|| Box::new(StateTrace::new(state.clone(), entered_id, input.clone())));
        Tracer { data }
    }

    fn put(&mut self, f: impl FnOnce(&mut StateTrace)) {
        if let Some(t) = self.data.as_deref_mut() {
            f(t);
        }
    }
}

/// Why a machine stopped early.
#[derive(Debug)]
enum Stop {
    Failed(Failure),
    TimedOut,
    Aborted,
}

struct ExecInfo {
    /// `$$.Execution.Input`, kept out of `context_execution` so it is never copied per state.
    input: Data,
    context_execution: Payload,
    context_state_machine: Payload,
    /// The last `$$.State.EnteredTime` text: under the virtual clock many visits share a time.
    entered_text: RefCell<(i64, Payload)>,
    /// Context-object keys, allocated once per execution.
    keys: ContextKeys,
}

/// The keys of the context object's per-visit sections.
struct ContextKeys {
    execution: Arc<str>,
    state: Arc<str>,
    state_machine: Arc<str>,
    task: Arc<str>,
    map: Arc<str>,
    entered_time: Arc<str>,
    name: Arc<str>,
    retry_count: Arc<str>,
    token: Arc<str>,
    item: Arc<str>,
    index: Arc<str>,
    value: Arc<str>,
}

impl Default for ContextKeys {
    fn default() -> ContextKeys {
        ContextKeys {
            execution: Arc::from("Execution"),
            state: Arc::from("State"),
            state_machine: Arc::from("StateMachine"),
            task: Arc::from("Task"),
            map: Arc::from("Map"),
            entered_time: Arc::from("EnteredTime"),
            name: Arc::from("Name"),
            retry_count: Arc::from("RetryCount"),
            token: Arc::from("Token"),
            item: Arc::from("Item"),
            index: Arc::from("Index"),
            value: Arc::from("Value"),
        }
    }
}

impl ExecInfo {
    fn entered_time(&self, ms: i64) -> Payload {
        let mut cache = self.entered_text.borrow_mut();
        if cache.0 != ms || cache.1.is_null() {
            *cache = (ms, Payload::from(iso_millis(ms)));
        }
        cache.1.clone()
    }
}

/// Per-visit facts the context object exposes (the name borrowed from the plan: a visit
/// counts no reference).
struct Visit<'a> {
    name: &'a Arc<str>,
    /// Upper bound of the raw input's serialized size, when known.
    input_bound: Option<usize>,
    /// Set by the state: upper bound (or exact size) of its output, when known.
    output_bound: Option<usize>,
    /// Set by Parallel and Map: upper bound of the value after ResultPath, from the branches'
    /// output bounds (so their joined result need not be measured).
    after_result_path_bound: Option<usize>,
    entered_ms: i64,
    entered_id: u64,
    retry_count: u64,
    task_token: Option<String>,
    /// What the state's (or the catching Catcher's) `Assign` evaluated to; applied when the
    /// state exits.
    assigned: Option<Assignments>,
    /// Set by the state: its output is its input, passed on (so its exit may share its
    /// entry's payload instead of counting a reference).
    passed_input_on: bool,
}

impl<'a> Visit<'a> {
    /// The facts of a visit to state `name` entered at `entered_ms` as event `entered_id`, on
    /// an input whose size bound is `input_bound`.
    #[inline(always)]
    fn new(
        name: &'a Arc<str>,
        input_bound: Option<usize>,
        entered_ms: i64,
        entered_id: u64,
    ) -> Visit<'a> {
        Visit {
            name,
            input_bound,
            output_bound: None,
            after_result_path_bound: None,
            entered_ms,
            entered_id,
            retry_count: 0,
            task_token: None,
            assigned: None,
            passed_input_on: false,
        }
    }
}

/// The whole context object, `Execution.Input` included (for Choice rules and Fail paths).
fn full_context(info: &ExecInfo, visit: &Visit) -> Payload {
    let mut v = build_context(info, visit, None, None);
    if let Payload::Object(root) = &mut v
        && let Some(Payload::Object(exec)) = Arc::make_mut(root).get_mut("Execution")
    {
        Arc::make_mut(exec).insert(Arc::from("Input"), info.input.clone());
    }
    v
}

/// The most read leaves of the context object, without building it (see [`Lazy::with_leaf`]);
/// `None` for every other path.
fn context_leaf(
    info: &ExecInfo,
    visit: &Visit,
    map_item: Option<(usize, &Payload)>,
    names: &[&str],
) -> Option<Payload> {
    match names {
        ["State", "Name"] => Some(Payload::String((*visit.name).clone())),
        ["State", "EnteredTime"] => Some(info.entered_time(visit.entered_ms)),
        ["State", "RetryCount"] => Some(Payload::from(visit.retry_count)),
        ["Map", "Item", "Index"] => map_item.map(|(i, _)| Payload::from(i)),
        ["Map", "Item", "Value"] => map_item.map(|(_, v)| v.clone()),
        _ => None,
    }
}

/// The context object without `Execution.Input` (see [`Lazy::without_input`]).
fn build_context(
    info: &ExecInfo,
    visit: &Visit,
    map_item: Option<(usize, &Payload)>,
    section: Option<&str>,
) -> Payload {
    // Only the top-level section a path needs is built (`$$.State.Name` needs no Execution).
    let want = |key: &str| section.is_none_or(|s| s == key);
    let k = &info.keys;
    let obj = |fields: &[(&Arc<str>, Payload)]| {
        Payload::object(fields.iter().map(|(k, v)| (Arc::clone(k), v.clone())).collect::<Object>())
    };
    let mut m = Object::with_capacity(3);
    if want("Execution") {
        m.insert(k.execution.clone(), info.context_execution.clone());
    }
    if want("State") {
        let state = obj(&[
            (&k.entered_time, info.entered_time(visit.entered_ms)),
            (&k.name, Payload::String((*visit.name).clone())),
            (&k.retry_count, Payload::from(visit.retry_count)),
        ]);
        m.insert(k.state.clone(), state);
    }
    if want("StateMachine") {
        m.insert(k.state_machine.clone(), info.context_state_machine.clone());
    }
    if let Some(t) = visit.task_token.as_ref().filter(|_| want("Task")) {
        m.insert(k.task.clone(), obj(&[(&k.token, Payload::from(t.as_str()))]));
    }
    if let Some((i, v)) = map_item.filter(|_| want("Map")) {
        let item = obj(&[(&k.index, Payload::from(i)), (&k.value, v.clone())]);
        m.insert(k.map.clone(), obj(&[(&k.item, item)]));
    }
    Payload::object(m)
}

struct Runner {
    opts: Options,
    ports: Ports,
    events: History,
    /// Whether the observer looks at events (else they are never rendered while running).
    watch_events: bool,
    /// Whether the observer is asked before and after each state (else the calls are skipped).
    watch_states: bool,
    traces: Vec<StateTrace>,
    invocations: HashMap<Arc<str>, u64>,
    rng: RefCell<ChaCha8Rng>,
    info: std::rc::Rc<ExecInfo>,
    deadline: Option<i64>,
    region: Arc<str>,
    /// The last event of the current thread of execution: the next event's previousEventId.
    cursor: u64,
    /// Size bounds assume the context object's small sections are small; absurdly long names
    /// given as options switch bounds off (every output is then measured exactly).
    bounds_enabled: bool,
    /// Upper bound of the output of the machine `run_machine` last finished successfully.
    last_bound: Option<usize>,
    /// The workflow variables, one scope per open Parallel branch or Map iteration.
    vars: Variables,
    /// JSONata evaluation failures not yet in the history: each is written as an
    /// `EvaluationFailed` event just before the next event (see `emit`).
    evaluation_failures: RefCell<Vec<jsonata::EvaluationFailure>>,
    /// Redrive: where the next machine to start picks up instead of its `StartAt`.
    resume: Option<Resume>,
    /// Redrive: what the re-entered Parallel or Map state's branches, iterations or Map Run
    /// did before.
    resume_inner: Option<Inner>,
    /// The Map Runs so far, earlier attempts' included.
    map_runs: Vec<MapRun>,
}

/// The cause prefix AWS gives runtime errors of a state.
fn runtime(visit: &Visit, message: &str) -> Failure {
    Failure::new(
        errors::RUNTIME,
        format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
            visit.name, visit.entered_id, message
        ),
    )
}

/// Maps a variable limit error to the state's failure (`States.DataLimitExceeded`).
fn limit_failure(e: crate::dataflow::vars::LimitError) -> Failure {
    Failure::new(errors::DATA_LIMIT_EXCEEDED, e.to_string())
}

/// Maps a path read outside templates (InputPath, SecondsPath, ItemsPath...) to its failure.
fn field_failure(e: EvalError, visit: &Visit, path: &crate::dataflow::Path) -> Failure {
    match e {
        EvalError::UndefinedVariable { name, path, field } => {
            runtime(visit, &EvalError::undefined_variable_message(&name, &path, field.as_deref()))
        }
        EvalError::Failure(f) => f,
        EvalError::MissingPath { .. } => runtime(visit, &no_results(path)),
    }
}

fn missing_field(path: &str, field: Option<&str>, input: &Payload) -> String {
    format!(
        "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
        path,
        field.unwrap_or("?"),
        input
    )
}

/// Maps an evaluation error in a template stage to the state's failure.
fn eval_failure(
    e: EvalError,
    visit: &Visit,
    input: &Payload,
    parameter_path_failure: bool,
) -> Failure {
    match e {
        EvalError::MissingPath { path, field } => {
            let msg = missing_field(&path, field.as_deref(), input);
            if parameter_path_failure {
                Failure::new(errors::PARAMETER_PATH_FAILURE, msg)
            } else {
                runtime(visit, &msg)
            }
        }
        EvalError::Failure(f) => f,
        EvalError::UndefinedVariable { name, path, field } => {
            runtime(visit, &EvalError::undefined_variable_message(&name, &path, field.as_deref()))
        }
    }
}

impl Runner {
    fn emit(&mut self, t: i64, event_type: &'static str, details: Details) -> u64 {
        self.emit_body(t, event_type, details.into())
    }

    /// Records a state's entry (see [`Runner::emit_body`]). Inlined into both visit paths (the
    /// general one and a plain Pass's), like the exit: a call each costs more than they do.
    #[inline(always)]
    fn emit_entered(&mut self, t: i64, state: &State, input: &Data) -> u64 {
        if !self.evaluation_failures.get_mut().is_empty() {
            self.emit_evaluation_failures(t);
        }
        let id =
            self.events.push_entered(self.cursor, t, state.kind.entered_event(), state.id, input);
        self.observe(id)
    }

    /// Records a state's exit that assigned no variables (see [`Runner::emit_body`]).
    #[inline(always)]
    fn emit_exited(
        &mut self,
        t: i64,
        event_type: &'static str,
        state: &State,
        output: &Data,
        passed_input_on: bool,
    ) -> u64 {
        if !self.evaluation_failures.get_mut().is_empty() {
            self.emit_evaluation_failures(t);
        }
        let id =
            self.events.push_exited(self.cursor, t, event_type, state.id, output, passed_input_on);
        self.observe(id)
    }

    /// Records an event (the compact form of the hot ones: state entries and exits, Map
    /// iterations) after the current one; returns its id.
    fn emit_body(&mut self, t: i64, event_type: &'static str, body: Body) -> u64 {
        if !self.evaluation_failures.get_mut().is_empty() {
            self.emit_evaluation_failures(t);
        }
        let id = self.events.push(self.cursor, t, event_type, body);
        self.observe(id)
    }

    /// Records a Map iteration's event (`MapIterationStarted`, …) of Map `state`.
    #[inline(always)]
    fn emit_map_iteration(&mut self, t: i64, event_type: &'static str, state: u32, index: usize) {
        if !self.evaluation_failures.get_mut().is_empty() {
            self.emit_evaluation_failures(t);
        }
        let id = self.events.push_map_iteration(self.cursor, t, event_type, state, index);
        self.observe(id);
    }

    /// Makes the event just recorded the current one and shows it to the observer (rendered
    /// only when the observer watches events).
    fn observe(&mut self, id: u64) -> u64 {
        self.cursor = id;
        if self.watch_events
            && let Some(event) = self.events.last()
        {
            self.ports.observer.on_event(&event);
        }
        id
    }

    fn advance(&mut self, now: &mut i64, to: i64) {
        if to > *now {
            self.ports.clock.advance(*now, to);
            *now = to;
        }
    }

    fn check_size(&self, v: &Payload, what: impl FnOnce() -> String) -> Result<(), Failure> {
        if json_size(v) > self.opts.limits.max_payload_bytes {
            return Err(Failure::new(errors::DATA_LIMIT_EXCEEDED, what()));
        }
        Ok(())
    }

    /// The checks before every state visit: the execution's timeout, the history's length.
    #[inline(always)]
    fn check_visit(&self, now: i64) -> Result<(), Stop> {
        if self.deadline.is_some_and(|d| now >= d) {
            return Err(Stop::TimedOut);
        }
        if self.events.len() >= self.opts.limits.max_history_events {
            return Err(Stop::Failed(Failure::new(
                errors::RUNTIME,
                format!(
                    "The execution reached the maximum number of history events ({}).",
                    self.opts.limits.max_history_events
                ),
            )));
        }
        Ok(())
    }

    fn run_machine(
        &mut self,
        m: &Machine,
        input: Data,
        now: &mut i64,
        depth: usize,
        mut bound: Option<usize>,
    ) -> Result<Data, Stop> {
        let mut idx = m.start;
        let mut input = input;
        if let Some(r) = self.resume.take() {
            idx = r.state;
            input = r.input;
            for a in &r.assigned {
                self.vars.apply(a);
            }
            self.resume_inner = r.inner;
        }
        loop {
            let state = &m.states[idx];
            if self.watch_states
                && self.ports.observer.before_state(&state.name, &input, depth) == Control::Abort
            {
                return Err(Stop::Aborted);
            }
            self.check_visit(*now)?;
            // Nobody watches the visit's stages: some states need no Visit (see quick_visit.rs).
            if !self.watch_states
                && !self.opts.record_trace
                && let Some(quick) = QuickVisit::of(state)
            {
                let (output, next, output_bound) = match quick {
                    QuickVisit::PlainPass(pass) => match (FieldPass::of(state, pass), input) {
                        (Some(field), Payload::Object(object)) => {
                            self.run_field_passes(m, state, field, object, *now, bound)?
                        }
                        (_, input) => {
                            let (output, output_bound) =
                                self.run_plain_pass(state, pass, input, *now, bound)?;
                            (output, state.next, output_bound)
                        }
                    },
                    QuickVisit::ParametersPass(parameters, result_path) => {
                        let stages = (parameters, result_path);
                        let (output, output_bound) =
                            self.run_parameters_pass(state, stages, input, *now, bound)?;
                        (output, state.next, output_bound)
                    }
                    QuickVisit::Choice(rules, default) => {
                        let (output, next) =
                            self.run_plain_choice(state, (rules, default), input, *now, bound)?;
                        (output, Some(next), bound)
                    }
                };
                match next {
                    Some(n) => {
                        idx = n;
                        input = output;
                        bound = output_bound;
                        continue;
                    }
                    None => {
                        self.last_bound = output_bound;
                        return Ok(output);
                    }
                }
            }
            let entered_id = self.emit_entered(*now, state, &input);
            let mut visit = Visit::new(&state.name, bound, *now, entered_id);
            let mut trace = Tracer::new(self.opts.record_trace, &state.name, entered_id, &input);
            // The state may take the input (a Pass writing into it with ResultPath, a Choice
            // passing it on): its entry event shares it with the previous exit, so nothing
            // else needs this reference.
            let result = self.run_state(state, &mut input, now, &mut visit, &mut trace, depth);
            // Stopped while the state ran (a long Wait under a real clock): it does not exit.
            if self.watch_states && self.ports.observer.stopped() {
                self.record(trace);
                return Err(Stop::Aborted);
            }
            if self.deadline.is_some_and(|d| *now > d) {
                self.record(trace);
                return Err(Stop::TimedOut);
            }
            match result {
                Ok((output, next)) => {
                    let assigned = visit.assigned.take().map(|a| {
                        if trace.data.is_some() {
                            let before = self.vars.visible();
                            self.vars.apply(&a);
                            let after = self.vars.visible();
                            trace.put(|t| {
                                t.assigned = Some(a.to_object());
                                t.variables_before = Some(before);
                                t.variables_after = Some(after);
                            });
                        } else {
                            self.vars.apply(&a);
                        }
                        Box::new(a.to_object())
                    });
                    if let Some(exited) = state.kind.exited_event() {
                        match assigned {
                            None => {
                                self.emit_exited(
                                    *now,
                                    exited,
                                    state,
                                    &output,
                                    visit.passed_input_on,
                                );
                            }
                            Some(assigned) => {
                                let body = Body::from(Details::StateExited {
                                    name: state.name.clone(),
                                    output: output.clone(),
                                    assigned: Some(assigned),
                                });
                                self.emit_body(*now, exited, body);
                            }
                        }
                    }
                    trace.put(|t| t.output = Some(output.clone()));
                    trace.put(|t| t.next_state = next.map(|n| m.states[n].name.clone()));
                    self.record(trace);
                    match next {
                        Some(n) => {
                            idx = n;
                            input = output;
                            bound = visit.output_bound;
                        }
                        None => {
                            self.last_bound = visit.output_bound;
                            return Ok(output);
                        }
                    }
                }
                Err(stop) => {
                    if let Stop::Failed(f) = &stop {
                        trace.put(|t| t.error = Some(f.clone()));
                    }
                    self.record(trace);
                    return Err(stop);
                }
            }
        }
    }

    #[inline(always)]
    fn record(&mut self, trace: Tracer) {
        if let Some(t) = trace.data {
            self.ports.observer.on_trace(&t);
            self.traces.push(*t);
        }
    }

    /// Runs one state; `Ok((output, next))`, `next == None` ends the machine successfully.
    fn run_state(
        &mut self,
        state: &State,
        input: &mut Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
        depth: usize,
    ) -> Result<(Data, Option<usize>), Stop> {
        if let Some(j) = &state.jsonata
            && let Some((output, next)) =
                self.run_jsonata_simple(state, j, input, now, visit, trace)?
        {
            visit.output_bound = if output.ptr_eq(input) {
                visit.input_bound
            } else {
                self.checked_output_size(state, &output, visit.output_bound)?
            };
            if let Some(a) = &visit.assigned {
                self.vars.check_total(a).map_err(|e| Stop::Failed(limit_failure(e)))?;
            }
            return Ok((output, next));
        }
        // Fail has no InputPath; everything else applies it first.
        if let Kind::Fail { error, cause } = &state.kind {
            let error = self.text(error.as_ref(), input, visit).map_err(Stop::Failed)?;
            let cause = self.text(cause.as_ref(), input, visit).map_err(Stop::Failed)?;
            return Err(Stop::Failed(Failure { error, cause }));
        }
        // `None` when InputPath keeps the whole input (the usual case): it is borrowed, no
        // reference counted.
        let selected = match &state.input_path {
            PathField::Root => None,
            field => match apply_selection_path(field, input, Some(&self.vars)) {
                Ok(selected) => selected,
                Err(msg) => return Err(Stop::Failed(runtime(visit, &msg))),
            },
        };
        let raw: &Data = input;
        let effective: &Data = selected.as_ref().unwrap_or(raw);
        // Whether the state took the input (moved it into its output instead of counting
        // another reference), and whether the output before OutputPath is that very input.
        let mut taken = false;
        let mut passed_on = false;
        trace.put(|t| t.after_input_path = Some(effective.clone()));
        // Bound once and changed in place by OutputPath: a second binding made the optimizer
        // copy the payload just written, reading it back before the stores had landed.
        let (mut output, next) = match &state.kind {
            Kind::Pass { parameters, result, result_path, .. } => {
                let value = match parameters {
                    Some(t) => {
                        let v = self.eval_template(t, effective, visit, None, false)?;
                        trace.put(|t| t.after_parameters = Some(v.clone()));
                        Some(v)
                    }
                    None => None,
                };
                let result = match (result, value) {
                    (Some(r), _) => r.clone(),
                    (None, Some(v)) => v,
                    (None, None) => effective.clone(),
                };
                trace.put(|t| t.result = Some(result.clone()));
                // Pass: `$` in Assign is the state's result (Result or Parameters' output).
                self.evaluate_assign(state.assign.as_ref(), &result, visit)?;
                taken = true;
                passed_on = matches!(result_path, PathField::Null);
                let merged = self
                    .result_path(result_path, std::mem::take(input), result)
                    .map_err(Stop::Failed)?;
                (merged, state.next)
            }
            Kind::Succeed => {
                (taken, passed_on) = (selected.is_none(), selected.is_none());
                (selected.unwrap_or_else(|| std::mem::take(input)), None)
            }
            Kind::Choice { choices, default, uses_context } => {
                let context =
                    if *uses_context { full_context(&self.info, visit) } else { Payload::Null };
                let mut chosen = None;
                for c in choices {
                    match c.rule.eval(effective, &context, Some(&self.vars)) {
                        Ok(true) => {
                            chosen = Some(c);
                            break;
                        }
                        Ok(false) => {}
                        Err(message) => return Err(Stop::Failed(runtime(visit, &message))),
                    }
                }
                // The matching rule's Assign, or the state's own when Default is taken; `$` is
                // the state's input after InputPath.
                let (next, assign) = match chosen {
                    Some(c) => (Some(c.next), c.assign.as_ref()),
                    None => (*default, state.assign.as_ref()),
                };
                if next.is_some() {
                    self.evaluate_assign(assign, effective, visit)?;
                }
                match next {
                    Some(n) => {
                        (taken, passed_on) = (selected.is_none(), selected.is_none());
                        (selected.unwrap_or_else(|| std::mem::take(input)), Some(n))
                    }
                    None => {
                        return Err(Stop::Failed(Failure::new(
                            errors::NO_CHOICE_MATCHED,
                            "No Matches!",
                        )));
                    }
                }
            }
            Kind::Wait(w) => {
                let until = self.wait_target(w, effective, *now, visit).map_err(Stop::Failed)?;
                // A wait that outlasts the execution's TimeoutSeconds ends at the deadline (a real
                // clock must not sleep past it).
                if let Some(d) = self.deadline.filter(|d| until > *d) {
                    self.advance(now, d);
                    return Err(Stop::TimedOut);
                }
                self.advance(now, until);
                self.evaluate_assign(state.assign.as_ref(), effective, visit)?;
                (taken, passed_on) = (selected.is_none(), selected.is_none());
                (selected.unwrap_or_else(|| std::mem::take(input)), state.next)
            }
            Kind::Task(task) => {
                match self.with_retry(
                    state,
                    &task.handling,
                    raw,
                    effective,
                    now,
                    visit,
                    trace,
                    |r, now, visit, trace| {
                        r.task_attempt(state, task, raw, effective, now, visit, trace)
                    },
                )? {
                    Handled::Done(v) => (v, state.next),
                    Handled::Caught(v, n) => (v, Some(n)),
                }
            }
            Kind::Parallel(p) => {
                match self.with_retry(
                    state,
                    &p.handling,
                    raw,
                    effective,
                    now,
                    visit,
                    trace,
                    |r, now, visit, trace| {
                        r.parallel_attempt(state, p, raw, effective, now, visit, trace, depth)
                    },
                )? {
                    Handled::Done(v) => (v, state.next),
                    Handled::Caught(v, n) => {
                        visit.after_result_path_bound = None;
                        (v, Some(n))
                    }
                }
            }
            Kind::Map(m) => {
                match self.with_retry(
                    state,
                    &m.handling,
                    raw,
                    effective,
                    now,
                    visit,
                    trace,
                    |r, now, visit, trace| {
                        r.map_attempt(state, m, raw, effective, now, visit, trace, depth)
                    },
                )? {
                    Handled::Done(v) => (v, state.next),
                    Handled::Caught(v, n) => {
                        visit.after_result_path_bound = None;
                        (v, Some(n))
                    }
                }
            }
            Kind::Fail { .. } => return Err(Stop::Failed(Failure { error: None, cause: None })),
        };
        trace.put(|t| t.after_result_path = Some(output.clone()));
        if !matches!(state.output_path, PathField::Root) {
            match apply_selection_path(&state.output_path, &output, Some(&self.vars)) {
                Ok(None) => {}
                Ok(Some(v)) => output = v,
                Err(msg) => return Err(Stop::Failed(runtime(visit, &msg))),
            }
        }
        let output_is_input = if taken {
            passed_on && matches!(state.output_path, PathField::Root)
        } else {
            output.ptr_eq(input)
        };
        visit.passed_input_on = output_is_input;
        visit.output_bound = self.checked_output_bound(
            state,
            &output,
            output_is_input,
            visit.input_bound,
            visit.after_result_path_bound,
        )?;
        if let Some(a) = &visit.assigned {
            self.vars.check_total(a).map_err(|e| Stop::Failed(limit_failure(e)))?;
        }
        Ok((output, next))
    }

    /// Evaluates an `Assign` template with `$` = `value` against the variables of state entry
    /// and keeps the values for the state's exit (replacing any pending ones). A state without
    /// `Assign` assigns nothing.
    #[inline(always)]
    fn evaluate_assign(
        &self,
        assign: Option<&Template>,
        value: &Payload,
        visit: &mut Visit,
    ) -> Result<(), Stop> {
        visit.assigned = match assign {
            None => None,
            Some(t) => Some(self.assignments(t, value, visit)?),
        };
        Ok(())
    }

    /// The values of an `Assign` template (see [`Runner::evaluate_assign`]).
    fn assignments(
        &self,
        t: &Template,
        value: &Payload,
        visit: &Visit,
    ) -> Result<Assignments, Stop> {
        let v = self.eval_template(t, value, visit, None, false)?;
        Assignments::from_payload(&v).map_err(|e| Stop::Failed(limit_failure(e)))
    }

    /// Runs a Parallel branch or a Map iteration in a scope of its own.
    fn run_scoped(
        &mut self,
        m: &Machine,
        input: Data,
        now: &mut i64,
        depth: usize,
        bound: Option<usize>,
        reads_outer: bool,
    ) -> Result<Data, Stop> {
        self.vars.enter(reads_outer);
        let out = self.run_machine(m, input, now, depth, bound);
        self.vars.leave();
        out
    }

    /// Upper bound of the size after InputPath, when known (branches and iterations start with
    /// it or with a part of it).
    fn effective_bound(&self, state: &State, visit: &Visit) -> Option<usize> {
        if !self.bounds_enabled {
            return None;
        }
        visit.input_bound.and_then(|b| selection_bound(&state.input_path, b))
    }

    /// The size bound of a state's output (its input's when it passed its input on), checked
    /// against the payload limit.
    #[inline(always)]
    fn checked_output_bound(
        &self,
        state: &State,
        output: &Data,
        output_is_input: bool,
        input_bound: Option<usize>,
        after_result_path_bound: Option<usize>,
    ) -> Result<Option<usize>, Stop> {
        if output_is_input {
            return Ok(input_bound);
        }
        let bound = self.output_bound(state, input_bound, after_result_path_bound);
        self.checked_output_size(state, output, bound)
    }

    /// `bound`, or the exact size of `output`, checked against the payload limit: the 256 KiB
    /// check serializes the output only when no cheap upper bound (`bound`) proves it small.
    #[inline(always)]
    fn checked_output_size(
        &self,
        state: &State,
        output: &Data,
        bound: Option<usize>,
    ) -> Result<Option<usize>, Stop> {
        let limit = self.opts.limits.max_payload_bytes;
        if bound.is_some_and(|b| b <= limit) {
            return Ok(bound);
        }
        if limit == usize::MAX {
            // The limit is lifted: nothing to check, so nothing to serialize.
            return Ok(None);
        }
        let size = json_size(output);
        if size > limit {
            return Err(output_too_large(state));
        }
        Ok(Some(size))
    }

    /// An upper bound of a state's output size from its input's, for the states whose stages are
    /// all bounded (Pass, Choice, Wait, Succeed), and for Parallel and Map from the bound after
    /// ResultPath their branches gave; `None` otherwise.
    fn output_bound(
        &self,
        state: &State,
        input_bound: Option<usize>,
        after_result_path_bound: Option<usize>,
    ) -> Option<usize> {
        if !self.bounds_enabled {
            return None;
        }
        let effective = selection_bound(&state.input_path, input_bound?);
        let after_result_path = match &state.kind {
            Kind::Pass { parameters, result, result_size, result_path, .. } => {
                let result_bound = match (result, parameters) {
                    (Some(_), _) => Some(*result_size),
                    (None, Some(t)) => effective.and_then(|b| t.size_bound(b)),
                    (None, None) => effective,
                };
                result_path_bound(result_path, input_bound, result_bound)
            }
            Kind::Choice { .. } | Kind::Wait(_) | Kind::Succeed => effective,
            Kind::Parallel(_) | Kind::Map(_) => after_result_path_bound,
            _ => None,
        }?;
        selection_bound(&state.output_path, after_result_path)
    }

    fn text(
        &self,
        t: Option<&Text>,
        input: &Payload,
        visit: &Visit,
    ) -> Result<Option<String>, Failure> {
        let Some(t) = t else { return Ok(None) };
        let v = match t {
            Text::Literal(s) => return Ok(Some(s.clone())),
            Text::Path(p, ctx) => {
                let found = if *ctx {
                    p.select(&full_context(&self.info, visit))
                } else {
                    select_field(p, input, Some(&self.vars))
                        .map_err(|e| field_failure(e, visit, p))?
                };
                found.ok_or_else(|| runtime(visit, &no_results(p)))?
            }
            Text::Intrinsic(i) => {
                let info = self.info.clone();
                let build = |section: Option<&str>| build_context(&info, visit, None, section);
                let lazy = Lazy::without_input(&build, &info.input);
                i.eval(&Env { input, context: &lazy, rng: &self.rng, variables: Some(&self.vars) })
                    .map_err(|e| eval_failure(e, visit, input, false))?
            }
        };
        match v {
            Payload::String(s) => Ok(Some(s.to_string())),
            other => Err(runtime(
                visit,
                &format!("The value of ErrorPath/CausePath must be a string, not {other}"),
            )),
        }
    }

    fn wait_target(
        &self,
        w: &Wait,
        input: &Payload,
        now: i64,
        visit: &Visit,
    ) -> Result<i64, Failure> {
        Ok(match w {
            Wait::Seconds(s) => now.saturating_add(secs_ms(*s)),
            Wait::Timestamp(ms, _) => *ms,
            Wait::SecondsPath(p) => {
                let root = self.path_root(p, input, visit)?;
                let v = p.select_ref(root).ok_or_else(|| {
                    runtime(
                        visit,
                        &format!(
                            "Invalid path '{}' : No results for path: {}",
                            p.as_str(),
                            p.normalized()
                        ),
                    )
                })?;
                let s = v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64)).ok_or_else(|| {
                    runtime(visit, &format!("The SecondsPath parameter does not reference a valid integer value: {v}"))
                })?;
                now.saturating_add(secs_ms(s))
            }
            Wait::TimestampPath(p) => {
                let root = self.path_root(p, input, visit)?;
                let v = p.select_ref(root).ok_or_else(|| {
                    runtime(
                        visit,
                        &format!(
                            "Invalid path '{}' : No results for path: {}",
                            p.as_str(),
                            p.normalized()
                        ),
                    )
                })?;
                let ns = v.as_str().and_then(crate::states::choice::parse_timestamp).ok_or_else(|| {
                    runtime(visit, &format!("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {v}"))
                })?;
                (ns / 1_000_000) as i64
            }
        })
    }

    /// The value a path field reads from: the input, or the variable it names.
    fn path_root<'v>(
        &'v self,
        p: &crate::dataflow::Path,
        input: &'v Payload,
        visit: &Visit,
    ) -> Result<&'v Payload, Failure> {
        crate::dataflow::path_root(p, input, Some(&self.vars))
            .map_err(|e| field_failure(e, visit, p))
    }

    fn eval_template(
        &self,
        t: &Template,
        input: &Payload,
        visit: &Visit,
        map_item: Option<(usize, &Payload)>,
        parameter_path_failure: bool,
    ) -> Result<Payload, Stop> {
        let info: &ExecInfo = &self.info;
        let build = |section: Option<&str>| build_context(info, visit, map_item, section);
        let leaf = |names: &[&str]| context_leaf(info, visit, map_item, names);
        let lazy = Lazy::without_input(&build, &info.input).with_leaf(&leaf);
        t.eval(&Env { input, context: &lazy, rng: &self.rng, variables: Some(&self.vars) })
            .map_err(|e| Stop::Failed(eval_failure(e, visit, input, parameter_path_failure)))
    }

    /// Applies ResultPath; the raw input is taken by value, so a state done with its input
    /// (a Pass) writes into it without counting another reference.
    /// Inlined into each state visit: returned through memory, the written value was read back
    /// in pieces the write had not finished (a store-forwarding stall per state).
    #[inline(always)]
    fn result_path(
        &self,
        field: &PathField,
        raw_input: Data,
        result: Data,
    ) -> Result<Data, Failure> {
        match field {
            PathField::Root => Ok(result),
            PathField::Null => Ok(raw_input),
            PathField::Path(p) => {
                // `$.name` into an object, what Path::set would do, without the output passing
                // through memory it had just written in pieces (read back whole, the pieces
                // could not be forwarded from the stores: a stall per state).
                let mut out = match (p.single_name(), raw_input) {
                    (Some(key), Payload::Object(map)) => {
                        return Ok(Payload::Object(crate::value::set_field(map, key, result)));
                    }
                    (_, other) => other,
                };
                // A write that fails leaves the input as it was, for the message.
                match p.set(&mut out, result) {
                    Ok(()) => Ok(out),
                    Err(_) => Err(result_path_failure(p, &out)),
                }
            }
        }
    }

    /// ResultSelector → ResultPath for Task, Parallel and Map (the JSONata pipeline for JSONata
    /// states). `result_bound` is an upper bound
    /// of the result's size, when known; the bound after ResultPath goes to the visit.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        state: &State,
        handling: &Handling,
        raw_input: &Data,
        result: Data,
        result_bound: Option<usize>,
        visit: &mut Visit,
        trace: &mut Tracer,
    ) -> Result<Data, Stop> {
        // JSONata states: Assign and Output with `$states.result` instead of the JSONPath stages.
        if let Some(j) = &state.jsonata {
            return self.jsonata_finish(j, raw_input, result, visit, trace);
        }
        let assign = state.assign.as_ref();
        trace.put(|t| t.result = Some(result.clone()));
        let (selected, selected_bound) = match &handling.result_selector {
            Some(t) => {
                let v = self.eval_template(t, &result, visit, None, false)?;
                trace.put(|t| t.after_result_selector = Some(v.clone()));
                (v, result_bound.and_then(|b| t.size_bound(b)))
            }
            None => (result, result_bound),
        };
        // Task, Parallel, Map: `$` in Assign is the result after ResultSelector.
        self.evaluate_assign(assign, &selected, visit)?;
        visit.after_result_path_bound =
            result_path_bound(&handling.result_path, visit.input_bound, selected_bound);
        self.result_path(&handling.result_path, raw_input.clone(), selected).map_err(Stop::Failed)
    }

    fn resolve_seconds(
        &self,
        s: Option<&Seconds>,
        input: &Payload,
        visit: &Visit,
    ) -> Result<Option<u64>, Failure> {
        match s {
            None => Ok(None),
            Some(Seconds::Fixed(n)) => Ok(Some(*n)),
            Some(Seconds::Path(p)) => {
                let root = self.path_root(p, input, visit)?;
                let v = p.select_ref(root).ok_or_else(|| {
                    runtime(
                        visit,
                        &format!(
                            "Invalid path '{}' : No results for path: {}",
                            p.as_str(),
                            p.normalized()
                        ),
                    )
                })?;
                v.as_u64().map(Some).ok_or_else(|| {
                    runtime(
                        visit,
                        &format!(
                            "The value at path '{}' must be a positive integer, not {v}",
                            p.as_str()
                        ),
                    )
                })
            }
        }
    }
}

/// Room for the events of a run that visits every state once (two events per state visit, plus
/// the execution's and each Map/Parallel's own), within the history limit: most runs then never
/// grow the event vector. The plan's names count every state, nested ones included, so this
/// costs no walk of the plan.
fn expected_events(plan: &Machine, limit: usize) -> usize {
    plan.names.len().saturating_mul(2).saturating_add(16).min(limit).min(1 << 16)
}

/// `States.DataLimitExceeded`: the state's output is larger than the payload limit.
#[cold]
fn output_too_large(state: &State) -> Stop {
    Stop::Failed(Failure::new(
        errors::DATA_LIMIT_EXCEEDED,
        format!(
            "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
            state.name
        ),
    ))
}

/// `States.ResultPathMatchFailure`: ResultPath `p` cannot be written inside `input`.
#[cold]
fn result_path_failure(p: &crate::dataflow::Path, input: &Data) -> Failure {
    Failure::new(
        errors::RESULT_PATH_MATCH_FAILURE,
        format!("Unable to apply ResultPath '{}' to input '{}'", p.as_str(), input),
    )
}

/// Seconds to milliseconds without overflow.
fn secs_ms(s: u64) -> i64 {
    i64::try_from(s).unwrap_or(i64::MAX).saturating_mul(1000)
}
