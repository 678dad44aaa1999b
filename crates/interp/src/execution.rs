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

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

use crate::Data;
use crate::dataflow::{
    Env, EvalError, Lazy, PathField, Template, apply_result_path, apply_selection_path, json_size,
    result_path_bound, selection_bound,
};
use crate::errors::{self, Failure, error_equals_matches};
use crate::history::{Details, HistoryEvent, TaskResource, entered_type, exited_type, iso_millis};
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
}

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
    pub events: Vec<HistoryEvent>,
    /// Data-flow trace, one entry per state visit (when recorded).
    pub traces: Vec<StateTrace>,
    /// The execution ARN.
    pub execution_arn: String,
}

impl Execution {
    /// The names of the top-level and nested states entered, in order.
    pub fn path_taken(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| match &e.details {
                Details::StateEntered { name, .. } => Some(name.to_string()),
                _ => None,
            })
            .collect()
    }

    /// `{"events": [...]}` in the AWS shape.
    pub fn events_json(&self) -> Value {
        Value::Array(self.events.iter().map(HistoryEvent::to_json).collect())
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
    Ok(run_plan(&plan, Arc::new(input), options, ports))
}

/// Runs an already compiled plan (compile once, run many times).
pub fn run_plan(plan: &Machine, input: Data, options: Options, ports: Ports) -> Execution {
    let sm_arn = format!(
        "arn:aws:states:{}:{}:stateMachine:{}",
        options.region, options.account, options.state_machine_name
    );
    let exec_arn = format!(
        "arn:aws:states:{}:{}:execution:{}:{}",
        options.region, options.account, options.state_machine_name, options.execution_name
    );
    let info = Arc::new(ExecInfo {
        input: input.clone(),
        context_execution: json!({
            "Id": exec_arn,
            "Name": options.execution_name,
            "RoleArn": options.role_arn,
            "StartTime": iso_millis(options.start_time_ms),
            "RedriveCount": 0,
        }),
        context_state_machine: json!({"Id": sm_arn, "Name": options.state_machine_name}),
    });
    let mut r = Runner {
        rng: RefCell::new(ChaCha8Rng::seed_from_u64(options.seed)),
        deadline: plan.timeout_seconds.map(|s| options.start_time_ms.saturating_add(secs_ms(s))),
        opts: options,
        ports,
        events: Vec::new(),
        traces: Vec::new(),
        invocations: HashMap::new(),
        info,
        region: Arc::from(""),
        cursor: 0,
    };
    r.region = Arc::from(r.opts.region.as_str());
    let mut now = r.opts.start_time_ms;
    r.emit(
        now,
        "ExecutionStarted",
        Details::ExecutionStarted {
            input: input.clone(),
            role_arn: Arc::from(r.opts.role_arn.as_str()),
            state_machine_arn: Arc::from(sm_arn.as_str()),
        },
    );
    let outcome = if json_size(&input) > r.opts.limits.max_payload_bytes {
        Err(Stop::Failed(Failure::new(
            errors::DATA_LIMIT_EXCEEDED,
            "The execution input exceeds the maximum number of bytes service limit.",
        )))
    } else {
        let size = json_size(&input);
        r.run_machine(plan, input, &mut now, 0, Some(size))
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
    let events = in_time_order(r.events, &mut traces);
    Execution { status, output, failure, events, traces, execution_arn: exec_arn }
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
    context_execution: Value,
    context_state_machine: Value,
}

/// Per-visit facts the context object exposes.
struct Visit {
    name: Arc<str>,
    /// Upper bound of the raw input's serialized size, when known.
    input_bound: Option<usize>,
    /// Set by the state: upper bound (or exact size) of its output, when known.
    output_bound: Option<usize>,
    entered_ms: i64,
    entered_id: u64,
    retry_count: u64,
    task_token: Option<String>,
}

/// The whole context object, `Execution.Input` included (for Choice rules and Fail paths).
fn full_context(info: &ExecInfo, visit: &Visit) -> Value {
    let mut v = build_context(info, visit, None, None);
    if let Some(Value::Object(exec)) = v.get_mut("Execution") {
        exec.insert("Input".into(), (*info.input).clone());
    }
    v
}

/// The context object without `Execution.Input` (see [`Lazy::without_input`]).
fn build_context(
    info: &ExecInfo,
    visit: &Visit,
    map_item: Option<(usize, &Value)>,
    section: Option<&str>,
) -> Value {
    // Only the top-level section a path needs is built (`$$.State.Name` needs no Execution).
    let want = |key: &str| section.is_none_or(|s| s == key);
    let mut m = Map::new();
    if want("Execution") {
        m.insert("Execution".into(), info.context_execution.clone());
    }
    if want("State") {
        m.insert(
            "State".into(),
            json!({"EnteredTime": iso_millis(visit.entered_ms), "Name": &*visit.name, "RetryCount": visit.retry_count}),
        );
    }
    if want("StateMachine") {
        m.insert("StateMachine".into(), info.context_state_machine.clone());
    }
    if let Some(t) = visit.task_token.as_ref().filter(|_| want("Task")) {
        m.insert("Task".into(), json!({"Token": t}));
    }
    if let Some((i, v)) = map_item.filter(|_| want("Map")) {
        m.insert("Map".into(), json!({"Item": {"Index": i, "Value": v}}));
    }
    Value::Object(m)
}

struct Runner {
    opts: Options,
    ports: Ports,
    events: Vec<HistoryEvent>,
    traces: Vec<StateTrace>,
    invocations: HashMap<Arc<str>, u64>,
    rng: RefCell<ChaCha8Rng>,
    info: Arc<ExecInfo>,
    deadline: Option<i64>,
    region: Arc<str>,
    /// The last event of the current thread of execution: the next event's previousEventId.
    cursor: u64,
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

fn missing_field(path: &str, field: Option<&str>, input: &Value) -> String {
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
    input: &Value,
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
    }
}

fn task_resource(resource: &str) -> (TaskFlavour, TaskResource) {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let service = parts.get(2).copied().unwrap_or("");
    let rest = parts.get(5).copied().unwrap_or("");
    let flavour = if service == "lambda" && rest.starts_with("function:") {
        TaskFlavour::Lambda
    } else if service == "states" && rest.starts_with("activity:") {
        TaskFlavour::Activity
    } else {
        TaskFlavour::Service
    };
    let (ty, res) = match rest.rsplit_once(':') {
        Some((t, r)) if flavour == TaskFlavour::Service => (t, r),
        _ => (service, rest),
    };
    (flavour, TaskResource { resource_type: Arc::from(ty), resource: Arc::from(res) })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskFlavour {
    Service,
    Lambda,
    Activity,
}

impl Runner {
    fn emit(&mut self, t: i64, event_type: &'static str, details: Details) -> u64 {
        let id = self.events.len() as u64 + 1;
        let ev = HistoryEvent {
            id,
            previous_event_id: self.cursor,
            timestamp_ms: t,
            event_type,
            details,
        };
        self.cursor = id;
        self.ports.observer.on_event(&ev);
        self.events.push(ev);
        id
    }

    fn advance(&mut self, now: &mut i64, to: i64) {
        if to > *now {
            self.ports.clock.advance(*now, to);
            *now = to;
        }
    }

    fn check_size(&self, v: &Value, what: impl FnOnce() -> String) -> Result<(), Failure> {
        if json_size(v) > self.opts.limits.max_payload_bytes {
            return Err(Failure::new(errors::DATA_LIMIT_EXCEEDED, what()));
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
        loop {
            let state = &m.states[idx];
            if self.ports.observer.before_state(&state.name, &input, depth) == Control::Abort {
                return Err(Stop::Aborted);
            }
            if self.deadline.is_some_and(|d| *now >= d) {
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
            let entered_id = self.emit(
                *now,
                entered_type(state.kind.type_name()),
                Details::StateEntered { name: state.name.clone(), input: input.clone() },
            );
            let mut visit = Visit {
                name: state.name.clone(),
                input_bound: bound,
                output_bound: None,
                entered_ms: *now,
                entered_id,
                retry_count: 0,
                task_token: None,
            };
            let mut trace = StateTrace {
                state: state.name.clone(),
                entered_event_id: entered_id,
                input: Some(input.clone()),
                ..StateTrace::default()
            };
            let result = self.run_state(state, &input, now, &mut visit, &mut trace, depth);
            if self.deadline.is_some_and(|d| *now > d) {
                self.record(trace);
                return Err(Stop::TimedOut);
            }
            match result {
                Ok((output, next)) => {
                    if !matches!(state.kind, Kind::Fail { .. }) {
                        self.emit(
                            *now,
                            exited_type(state.kind.type_name()),
                            Details::StateExited {
                                name: state.name.clone(),
                                output: output.clone(),
                            },
                        );
                    }
                    trace.output = Some(output.clone());
                    trace.next_state = next.map(|n| m.states[n].name.clone());
                    self.record(trace);
                    match next {
                        Some(n) => {
                            idx = n;
                            input = output;
                            bound = visit.output_bound;
                        }
                        None => return Ok(output),
                    }
                }
                Err(stop) => {
                    if let Stop::Failed(f) = &stop {
                        trace.error = Some(f.clone());
                    }
                    self.record(trace);
                    return Err(stop);
                }
            }
        }
    }

    fn record(&mut self, trace: StateTrace) {
        if self.opts.record_trace {
            self.traces.push(trace);
        }
    }

    /// Runs one state; `Ok((output, next))`, `next == None` ends the machine successfully.
    fn run_state(
        &mut self,
        state: &State,
        input: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut StateTrace,
        depth: usize,
    ) -> Result<(Data, Option<usize>), Stop> {
        // Fail has no InputPath; everything else applies it first.
        if let Kind::Fail { error, cause } = &state.kind {
            let error = self.text(error.as_ref(), input, visit).map_err(Stop::Failed)?;
            let cause = self.text(cause.as_ref(), input, visit).map_err(Stop::Failed)?;
            return Err(Stop::Failed(Failure { error, cause }));
        }
        let effective = match apply_selection_path(&state.input_path, input) {
            Ok(None) => input.clone(),
            Ok(Some(v)) => Arc::new(v),
            Err(msg) => return Err(Stop::Failed(runtime(visit, &msg))),
        };
        trace.after_input_path = Some(effective.clone());
        let (after_result_path, next) = match &state.kind {
            Kind::Pass { parameters, result, result_path } => {
                let value = match parameters {
                    Some(t) => {
                        let v = self.eval_template(t, &effective, visit, None, false)?;
                        let v = Arc::new(v);
                        trace.after_parameters = Some(v.clone());
                        v
                    }
                    None => effective.clone(),
                };
                let result = match result {
                    Some(r) => Arc::new(r.clone()),
                    None => value,
                };
                trace.result = Some(result.clone());
                let merged =
                    self.result_path(result_path, input, result, visit).map_err(Stop::Failed)?;
                (merged, state.next)
            }
            Kind::Succeed => (effective.clone(), None),
            Kind::Choice { choices, default, uses_context } => {
                let context =
                    if *uses_context { full_context(&self.info, visit) } else { Value::Null };
                let mut chosen = None;
                for (rule, next) in choices {
                    match rule.eval(&effective, &context) {
                        Ok(true) => {
                            chosen = Some(*next);
                            break;
                        }
                        Ok(false) => {}
                        Err(path) => {
                            return Err(Stop::Failed(runtime(
                                visit,
                                &format!(
                                    "Invalid path '{path}': The choice state's condition path references an invalid value."
                                ),
                            )));
                        }
                    }
                }
                match chosen.or(*default) {
                    Some(n) => (effective.clone(), Some(n)),
                    None => {
                        return Err(Stop::Failed(Failure::new(
                            errors::NO_CHOICE_MATCHED,
                            "No Matches!",
                        )));
                    }
                }
            }
            Kind::Wait(w) => {
                let until = self.wait_target(w, &effective, *now, visit).map_err(Stop::Failed)?;
                // A wait that outlasts the execution's TimeoutSeconds ends at the deadline (a real
                // clock must not sleep past it).
                if let Some(d) = self.deadline.filter(|d| until > *d) {
                    self.advance(now, d);
                    return Err(Stop::TimedOut);
                }
                self.advance(now, until);
                (effective.clone(), state.next)
            }
            Kind::Task(task) => {
                match self.with_retry(
                    state,
                    &task.handling,
                    input,
                    &effective,
                    now,
                    visit,
                    trace,
                    |r, now, visit, trace| {
                        r.task_attempt(state, task, &effective, now, visit, trace)
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
                    input,
                    &effective,
                    now,
                    visit,
                    trace,
                    |r, now, visit, trace| {
                        r.parallel_attempt(state, p, &effective, now, visit, trace, depth)
                    },
                )? {
                    Handled::Done(v) => (v, state.next),
                    Handled::Caught(v, n) => (v, Some(n)),
                }
            }
            Kind::Map(m) => {
                match self.with_retry(
                    state,
                    &m.handling,
                    input,
                    &effective,
                    now,
                    visit,
                    trace,
                    |r, now, visit, trace| {
                        r.map_attempt(state, m, &effective, now, visit, trace, depth)
                    },
                )? {
                    Handled::Done(v) => (v, state.next),
                    Handled::Caught(v, n) => (v, Some(n)),
                }
            }
            Kind::Fail { .. } => return Err(Stop::Failed(Failure { error: None, cause: None })),
        };
        trace.after_result_path = Some(after_result_path.clone());
        let output = match apply_selection_path(&state.output_path, &after_result_path) {
            Ok(None) => after_result_path,
            Ok(Some(v)) => Arc::new(v),
            Err(msg) => return Err(Stop::Failed(runtime(visit, &msg))),
        };
        // The 256 KiB check serializes only when no cheap upper bound proves the output small.
        let bound = self.output_bound(state, visit.input_bound);
        let limit = self.opts.limits.max_payload_bytes;
        visit.output_bound = if Arc::ptr_eq(&output, input) {
            visit.input_bound
        } else if bound.is_some_and(|b| b <= limit) {
            bound
        } else {
            let size = json_size(&output);
            if size > limit {
                return Err(Stop::Failed(Failure::new(
                    errors::DATA_LIMIT_EXCEEDED,
                    format!(
                        "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                        state.name
                    ),
                )));
            }
            Some(size)
        };
        Ok((output, next))
    }

    /// An upper bound of a state's output size from its input's, for the states whose stages are
    /// all bounded (Pass, Choice, Wait, Succeed); `None` otherwise.
    fn output_bound(&self, state: &State, input_bound: Option<usize>) -> Option<usize> {
        let effective = selection_bound(&state.input_path, input_bound?);
        let after_result_path = match &state.kind {
            Kind::Pass { parameters, result, result_path } => {
                let result_bound = match (result, parameters) {
                    (Some(r), _) => Some(json_size(r)),
                    (None, Some(t)) => effective.and_then(|b| t.size_bound(b)),
                    (None, None) => effective,
                };
                result_path_bound(result_path, input_bound, result_bound)
            }
            Kind::Choice { .. } | Kind::Wait(_) | Kind::Succeed => effective,
            _ => None,
        }?;
        selection_bound(&state.output_path, after_result_path)
    }

    fn text(
        &self,
        t: Option<&Text>,
        input: &Value,
        visit: &Visit,
    ) -> Result<Option<String>, Failure> {
        let Some(t) = t else { return Ok(None) };
        let v = match t {
            Text::Literal(s) => return Ok(Some(s.clone())),
            Text::Path(p, ctx) => {
                let ctx_value;
                let root = if *ctx {
                    ctx_value = full_context(&self.info, visit);
                    &ctx_value
                } else {
                    input
                };
                p.select(root).ok_or_else(|| {
                    runtime(
                        visit,
                        &format!(
                            "Invalid path '{}' : No results for path: {}",
                            p.as_str(),
                            p.normalized()
                        ),
                    )
                })?
            }
            Text::Intrinsic(i) => {
                let info = self.info.clone();
                let build = |section: Option<&str>| build_context(&info, visit, None, section);
                let lazy = Lazy::without_input(&build, &info.input);
                i.eval(&Env { input, context: &lazy, rng: &self.rng })
                    .map_err(|e| eval_failure(e, visit, input, false))?
            }
        };
        match v {
            Value::String(s) => Ok(Some(s)),
            other => Err(runtime(
                visit,
                &format!("The value of ErrorPath/CausePath must be a string, not {other}"),
            )),
        }
    }

    fn wait_target(
        &self,
        w: &Wait,
        input: &Value,
        now: i64,
        visit: &Visit,
    ) -> Result<i64, Failure> {
        Ok(match w {
            Wait::Seconds(s) => now.saturating_add(secs_ms(*s)),
            Wait::Timestamp(ms, _) => *ms,
            Wait::SecondsPath(p) => {
                let v = p.select_ref(input).ok_or_else(|| {
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
                let v = p.select_ref(input).ok_or_else(|| {
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

    fn eval_template(
        &self,
        t: &Template,
        input: &Value,
        visit: &Visit,
        map_item: Option<(usize, &Value)>,
        parameter_path_failure: bool,
    ) -> Result<Value, Stop> {
        let info = self.info.clone();
        let build = |section: Option<&str>| build_context(&info, visit, map_item, section);
        let lazy = Lazy::without_input(&build, &info.input);
        t.eval(&Env { input, context: &lazy, rng: &self.rng })
            .map_err(|e| Stop::Failed(eval_failure(e, visit, input, parameter_path_failure)))
    }

    fn result_path(
        &self,
        field: &PathField,
        raw_input: &Data,
        result: Data,
        visit: &Visit,
    ) -> Result<Data, Failure> {
        let _ = visit;
        match field {
            PathField::Root => Ok(result),
            PathField::Null => Ok(raw_input.clone()),
            PathField::Path(p) => {
                let result = Arc::try_unwrap(result).unwrap_or_else(|a| (*a).clone());
                apply_result_path(field, raw_input, result).map(Arc::new).ok_or_else(|| {
                    Failure::new(
                        errors::RESULT_PATH_MATCH_FAILURE,
                        format!(
                            "Unable to apply ResultPath '{}' to input '{}'",
                            p.as_str(),
                            raw_input
                        ),
                    )
                })
            }
        }
    }

    /// ResultSelector → ResultPath for Task, Parallel and Map.
    fn finish(
        &mut self,
        handling: &Handling,
        raw_input: &Data,
        result: Data,
        visit: &Visit,
        trace: &mut StateTrace,
    ) -> Result<Data, Stop> {
        trace.result = Some(result.clone());
        let selected = match &handling.result_selector {
            Some(t) => {
                let v = Arc::new(self.eval_template(t, &result, visit, None, false)?);
                trace.after_result_selector = Some(v.clone());
                v
            }
            None => result,
        };
        self.result_path(&handling.result_path, raw_input, selected, visit).map_err(Stop::Failed)
    }

    /// Runs attempts with Retry, then Catch. `attempt` returns the value after ResultPath.
    #[allow(clippy::too_many_arguments)]
    fn with_retry(
        &mut self,
        state: &State,
        handling: &Handling,
        raw_input: &Data,
        _effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut StateTrace,
        mut attempt: impl FnMut(
            &mut Runner,
            &mut i64,
            &mut Visit,
            &mut StateTrace,
        ) -> Result<Data, Stop>,
    ) -> Result<Handled, Stop> {
        // Backoff grows with every use of a retrier; MaxAttempts is counted per error name
        // within the retrier (the ErrorA/ErrorB/ErrorC example of the States Language spec and
        // the developer guide's "Complex retry scenarios").
        let mut counts = vec![0u64; handling.retry.len()];
        let mut per_error: HashMap<(usize, String), u64> = HashMap::new();
        loop {
            let failure = match attempt(self, now, visit, trace) {
                Ok(v) => return Ok(Handled::Done(v)),
                Err(Stop::Failed(f)) => f,
                Err(other) => return Err(other),
            };
            if failure.is_terminal() {
                return Err(Stop::Failed(failure));
            }
            if let Some(i) =
                handling.retry.iter().position(|r| error_equals_matches(&r.error_equals, &failure))
            {
                let r = &handling.retry[i];
                let used = per_error.entry((i, failure.error_name().to_owned())).or_insert(0);
                if *used < r.max_attempts {
                    *used += 1;
                    let delay = self.retry_delay(r, counts[i]);
                    counts[i] += 1;
                    visit.retry_count += 1;
                    let to = now.saturating_add(delay);
                    self.advance(now, to);
                    if self.deadline.is_some_and(|d| *now >= d) {
                        return Err(Stop::TimedOut);
                    }
                    continue;
                }
            }
            return match self.catch(state, &handling.catch, raw_input, &failure, visit) {
                Some(Ok((v, n))) => {
                    trace.error = Some(failure);
                    Ok(Handled::Caught(v, n))
                }
                Some(Err(f)) => Err(Stop::Failed(f)),
                None => Err(Stop::Failed(failure)),
            };
        }
    }

    fn retry_delay(&self, r: &Retrier, attempt: u64) -> i64 {
        let mut secs = r.interval_seconds * r.backoff_rate.powi(attempt.min(1000) as i32);
        if let Some(max) = r.max_delay_seconds {
            secs = secs.min(max);
        }
        if r.jitter_full {
            let f: f64 = self.rng.borrow_mut().random();
            secs *= f;
        }
        // `as` saturates for floats, so an absurd backoff cannot overflow logical time.
        (secs * 1000.0).round() as i64
    }

    fn catch(
        &self,
        _state: &State,
        catchers: &[Catcher],
        raw_input: &Data,
        failure: &Failure,
        visit: &Visit,
    ) -> Option<Result<(Data, usize), Failure>> {
        let c = catchers.iter().find(|c| error_equals_matches(&c.error_equals, failure))?;
        let out =
            self.result_path(&c.result_path, raw_input, Arc::new(failure.to_error_output()), visit);
        Some(out.map(|v| (v, c.next)))
    }

    fn resolve_seconds(
        &self,
        s: Option<&Seconds>,
        input: &Value,
        visit: &Visit,
    ) -> Result<Option<u64>, Failure> {
        match s {
            None => Ok(None),
            Some(Seconds::Fixed(n)) => Ok(Some(*n)),
            Some(Seconds::Path(p)) => {
                let v = p.select_ref(input).ok_or_else(|| {
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

    fn task_attempt(
        &mut self,
        state: &State,
        task: &Task,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut StateTrace,
    ) -> Result<Data, Stop> {
        let raw_input = trace.input.clone().unwrap_or_else(|| effective.clone());
        if task.resource.ends_with(".waitForTaskToken") && visit.task_token.is_none() {
            let mut bytes = [0u8; 16];
            self.rng.borrow_mut().fill(&mut bytes);
            visit.task_token = Some(bytes.iter().map(|b| format!("{b:02x}")).collect());
        }
        let params = match &task.handling.parameters {
            Some(t) => Arc::new(self.eval_template(t, effective, visit, None, true)?),
            None => effective.clone(),
        };
        trace.after_parameters = Some(params.clone());
        if let Some(c) = &task.credentials {
            self.eval_template(c, effective, visit, None, true)?;
        }
        self.check_size(&params, || {
            format!(
                "The input of state '{}' exceeds the maximum number of bytes service limit.",
                state.name
            )
        })
        .map_err(Stop::Failed)?;
        let timeout =
            self.resolve_seconds(task.timeout.as_ref(), effective, visit).map_err(Stop::Failed)?;
        let heartbeat = self
            .resolve_seconds(task.heartbeat.as_ref(), effective, visit)
            .map_err(Stop::Failed)?;
        let (flavour, resource) = task_resource(&task.resource);
        let arn: Arc<str> = Arc::from(task.resource.as_str());
        match flavour {
            TaskFlavour::Service => {
                self.emit(
                    *now,
                    "TaskScheduled",
                    Details::TaskScheduled {
                        resource: resource.clone(),
                        region: self.region.clone(),
                        parameters: params.clone(),
                        timeout_seconds: timeout,
                        heartbeat_seconds: heartbeat,
                    },
                );
                self.emit(*now, "TaskStarted", Details::TaskStarted { resource: resource.clone() });
            }
            TaskFlavour::Lambda => {
                self.emit(
                    *now,
                    "LambdaFunctionScheduled",
                    Details::LambdaFunctionScheduled {
                        resource: arn.clone(),
                        input: params.clone(),
                        timeout_seconds: timeout,
                    },
                );
                self.emit(*now, "LambdaFunctionStarted", Details::None);
            }
            TaskFlavour::Activity => {
                self.emit(
                    *now,
                    "ActivityScheduled",
                    Details::ActivityScheduled {
                        resource: arn.clone(),
                        input: params.clone(),
                        timeout_seconds: timeout,
                        heartbeat_seconds: heartbeat,
                    },
                );
                self.emit(
                    *now,
                    "ActivityStarted",
                    Details::ActivityStarted { worker_name: Arc::from("stepwise-local") },
                );
            }
        }
        let n = {
            let c = self.invocations.entry(state.name.clone()).or_insert(0);
            let n = *c;
            *c += 1;
            n
        };
        let answer = self.ports.tasks.invoke(&TaskRequest {
            state_name: &state.name,
            resource: &task.resource,
            input: &params,
            invocation: n,
            task_token: visit.task_token.as_deref(),
        });
        let TaskAnswer { outcome, duration_ms } = match answer {
            Ok(a) => a,
            Err(why) => {
                let f = Failure::new(
                    errors::RUNTIME,
                    format!(
                        "Stepwise has no answer for invocation {n} of Task state '{}' ({}): {}. Add a mocked response for it; Stepwise never calls AWS.",
                        state.name, task.resource, why.0
                    ),
                );
                self.task_failed_event(flavour, &resource, *now, &f, false);
                return Err(Stop::Failed(f));
            }
        };
        let limit_ms = timeout.unwrap_or(99_999_999).saturating_mul(1000);
        let hb_ms = heartbeat.map(|h| h.saturating_mul(1000));
        if duration_ms > limit_ms || hb_ms.is_some_and(|h| duration_ms > h) {
            let (error, took) = if duration_ms > limit_ms {
                (errors::TIMEOUT, limit_ms)
            } else {
                (errors::HEARTBEAT_TIMEOUT, hb_ms.unwrap_or(limit_ms))
            };
            let to = now.saturating_add(i64::try_from(took).unwrap_or(i64::MAX));
            self.advance(now, to);
            let f = Failure { error: Some(error.into()), cause: None };
            self.task_failed_event(flavour, &resource, *now, &f, true);
            return Err(Stop::Failed(f));
        }
        let to = now.saturating_add(i64::try_from(duration_ms).unwrap_or(i64::MAX));
        self.advance(now, to);
        match outcome {
            TaskOutcome::Succeeded(v) => {
                let out = Arc::new(v);
                // `.sync` integrations record TaskSubmitted once the job is started; a mock gives
                // only the final result, which stands in for the submit response here.
                let sync = task.resource.ends_with(".sync") || task.resource.ends_with(".sync:2");
                if flavour == TaskFlavour::Service && sync {
                    self.emit(
                        *now,
                        "TaskSubmitted",
                        Details::TaskSubmitted { resource: resource.clone(), output: out.clone() },
                    );
                }
                let ev = match flavour {
                    TaskFlavour::Service => (
                        "TaskSucceeded",
                        Details::TaskSucceeded { resource: resource.clone(), output: out.clone() },
                    ),
                    TaskFlavour::Lambda => (
                        "LambdaFunctionSucceeded",
                        Details::LambdaFunctionSucceeded { output: out.clone() },
                    ),
                    TaskFlavour::Activity => {
                        ("ActivitySucceeded", Details::ActivitySucceeded { output: out.clone() })
                    }
                };
                self.emit(*now, ev.0, ev.1);
                if let Err(f) = self.check_size(&out, || {
                    format!(
                        "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                        task.resource
                    )
                }) {
                    return Err(Stop::Failed(f));
                }
                self.finish(&task.handling, &raw_input, out, visit, trace)
            }
            TaskOutcome::Failed(f) => {
                let timed_out = f.error.as_deref() == Some(errors::TIMEOUT);
                self.task_failed_event(flavour, &resource, *now, &f, timed_out);
                Err(Stop::Failed(f))
            }
        }
    }

    fn task_failed_event(
        &mut self,
        flavour: TaskFlavour,
        resource: &TaskResource,
        now: i64,
        f: &Failure,
        timed_out: bool,
    ) {
        let (ty, d) = match (flavour, timed_out) {
            (TaskFlavour::Service, false) => (
                "TaskFailed",
                Details::TaskFailed { resource: resource.clone(), failure: f.clone() },
            ),
            (TaskFlavour::Service, true) => (
                "TaskTimedOut",
                Details::TaskTimedOut { resource: resource.clone(), failure: f.clone() },
            ),
            (TaskFlavour::Lambda, false) => {
                ("LambdaFunctionFailed", Details::LambdaFunctionFailed(f.clone()))
            }
            (TaskFlavour::Lambda, true) => {
                ("LambdaFunctionTimedOut", Details::LambdaFunctionTimedOut(f.clone()))
            }
            (TaskFlavour::Activity, false) => {
                ("ActivityFailed", Details::ActivityFailed(f.clone()))
            }
            (TaskFlavour::Activity, true) => {
                ("ActivityTimedOut", Details::ActivityTimedOut(f.clone()))
            }
        };
        self.emit(now, ty, d);
    }

    #[allow(clippy::too_many_arguments)]
    fn parallel_attempt(
        &mut self,
        _state: &State,
        p: &Parallel,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut StateTrace,
        depth: usize,
    ) -> Result<Data, Stop> {
        let raw_input = trace.input.clone().unwrap_or_else(|| effective.clone());
        let branch_input = match &p.handling.parameters {
            Some(t) => {
                let v = Arc::new(self.eval_template(t, effective, visit, None, false)?);
                trace.after_parameters = Some(v.clone());
                v
            }
            None => effective.clone(),
        };
        let fork = self.emit(*now, "ParallelStateStarted", Details::None);
        let start = *now;
        let mut end = start;
        let mut outputs = Vec::with_capacity(p.branches.len());
        for branch in &p.branches {
            // Every branch continues from ParallelStateStarted, as concurrent branches do.
            self.cursor = fork;
            let mut t = start;
            match self.run_machine(branch, branch_input.clone(), &mut t, depth + 1, None) {
                Ok(out) => {
                    end = end.max(t);
                    outputs.push(Arc::try_unwrap(out).unwrap_or_else(|a| (*a).clone()));
                }
                Err(Stop::Failed(f)) => {
                    *now = end.max(t);
                    self.emit(*now, "ParallelStateFailed", Details::None);
                    return Err(Stop::Failed(f));
                }
                Err(other) => {
                    *now = end.max(t);
                    if matches!(other, Stop::Aborted) {
                        self.emit(*now, "ParallelStateAborted", Details::None);
                    }
                    return Err(other);
                }
            }
        }
        *now = end;
        self.cursor = self.events.len() as u64;
        self.emit(*now, "ParallelStateSucceeded", Details::None);
        self.finish(&p.handling, &raw_input, Arc::new(Value::Array(outputs)), visit, trace)
    }

    #[allow(clippy::too_many_arguments)]
    fn map_attempt(
        &mut self,
        state: &State,
        m: &MapState,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut StateTrace,
        depth: usize,
    ) -> Result<Data, Stop> {
        let raw_input = trace.input.clone().unwrap_or_else(|| effective.clone());
        let items_value = match &m.items_path {
            PathField::Path(p) => match p.select_ref(effective) {
                Some(v) => std::borrow::Cow::Borrowed(v),
                None => {
                    return Err(Stop::Failed(runtime(
                        visit,
                        &format!(
                            "Invalid path '{}' : No results for path: {}",
                            p.as_str(),
                            p.normalized()
                        ),
                    )));
                }
            },
            _ => std::borrow::Cow::Borrowed(&**effective),
        };
        let Value::Array(items) = &*items_value else {
            return Err(Stop::Failed(runtime(
                visit,
                &format!("Map state input must be a JSON array (ItemsPath); got: {}", items_value),
            )));
        };
        let items = items.clone();
        let max_concurrency = self
            .resolve_seconds(m.max_concurrency.as_ref(), effective, visit)
            .map_err(Stop::Failed)?
            .unwrap_or(0);
        let tolerated_count = self
            .resolve_seconds(m.tolerated_count.as_ref(), effective, visit)
            .map_err(Stop::Failed)?;
        let tolerated_pct = match &m.tolerated_percentage {
            None => None,
            Some(PercentOrPath::Fixed(f)) => Some(*f),
            Some(PercentOrPath::Path(p)) => {
                Some(p.select_ref(effective).and_then(Value::as_f64).ok_or_else(|| {
                    Stop::Failed(runtime(
                        visit,
                        &format!(
                            "ToleratedFailurePercentagePath '{}' must point to a number",
                            p.as_str()
                        ),
                    ))
                })?)
            }
        };
        let tolerant = tolerated_count.is_some() || tolerated_pct.is_some();
        let fork =
            self.emit(*now, "MapStateStarted", Details::MapStateStarted { length: items.len() });
        let start = *now;
        // Logical-time slots: with no limit every iteration starts at the state's start.
        let bounded = max_concurrency > 0 && (max_concurrency as usize) < items.len();
        let slots = if bounded { max_concurrency as usize } else { 0 };
        let mut slot_free =
            std::collections::BinaryHeap::from(vec![std::cmp::Reverse(start); slots]);
        let mut end = start;
        let mut outputs = Vec::with_capacity(items.len());
        let mut failed = 0usize;
        let mut first_failure = None;
        for (i, item) in items.iter().enumerate() {
            let item_input = match &m.item_selector {
                Some(t) => {
                    Arc::new(self.eval_template(t, effective, visit, Some((i, item)), false)?)
                }
                None => Arc::new(item.clone()),
            };
            self.cursor = fork;
            let mut t = match slot_free.pop() {
                Some(std::cmp::Reverse(free)) => free,
                None => start,
            };
            self.emit(
                t,
                "MapIterationStarted",
                Details::MapIteration { name: state.name.clone(), index: i },
            );
            match self.run_machine(&m.processor, item_input, &mut t, depth + 1, None) {
                Ok(out) => {
                    self.emit(
                        t,
                        "MapIterationSucceeded",
                        Details::MapIteration { name: state.name.clone(), index: i },
                    );
                    outputs.push(Arc::try_unwrap(out).unwrap_or_else(|a| (*a).clone()));
                }
                Err(Stop::Failed(f)) => {
                    self.emit(
                        t,
                        "MapIterationFailed",
                        Details::MapIteration { name: state.name.clone(), index: i },
                    );
                    failed += 1;
                    if !tolerant {
                        *now = end.max(t);
                        self.emit(*now, "MapStateFailed", Details::None);
                        return Err(Stop::Failed(f));
                    }
                    outputs.push(f.to_error_output());
                    first_failure.get_or_insert(f);
                }
                Err(other) => {
                    self.emit(
                        t,
                        "MapIterationAborted",
                        Details::MapIteration { name: state.name.clone(), index: i },
                    );
                    *now = end.max(t);
                    self.emit(*now, "MapStateAborted", Details::None);
                    return Err(other);
                }
            }
            if bounded {
                slot_free.push(std::cmp::Reverse(t));
            }
            end = end.max(t);
        }
        *now = end;
        if tolerant && failed > 0 {
            let over_count = tolerated_count.is_some_and(|c| failed as u64 > c);
            let over_pct =
                tolerated_pct.is_some_and(|p| (failed as f64) * 100.0 / (items.len() as f64) > p);
            if over_count || over_pct {
                self.emit(*now, "MapStateFailed", Details::None);
                return Err(Stop::Failed(Failure::new(
                    errors::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                    format!(
                        "The number of failed items ({failed} of {}) exceeded the tolerated failure threshold.",
                        items.len()
                    ),
                )));
            }
        }
        self.cursor = self.events.len() as u64;
        self.emit(*now, "MapStateSucceeded", Details::None);
        self.finish(&m.handling, &raw_input, Arc::new(Value::Array(outputs)), visit, trace)
    }
}

enum Handled {
    Done(Data),
    Caught(Data, usize),
}

/// Orders events by timestamp (stable: emission order breaks ties) and renumbers them, so ids
/// ascend with time as in GetExecutionHistory even though concurrent branches were run one after
/// the other. previousEventId keeps pointing at the causal predecessor.
fn in_time_order(mut events: Vec<HistoryEvent>, traces: &mut [StateTrace]) -> Vec<HistoryEvent> {
    if events.windows(2).all(|w| w[0].timestamp_ms <= w[1].timestamp_ms) {
        return events;
    }
    events.sort_by_key(|e| e.timestamp_ms);
    let mut new_id = vec![0u64; events.len() + 1];
    for (i, e) in events.iter().enumerate() {
        if let Some(slot) = new_id.get_mut(e.id as usize) {
            *slot = i as u64 + 1;
        }
    }
    for (i, e) in events.iter_mut().enumerate() {
        e.id = i as u64 + 1;
        e.previous_event_id = new_id.get(e.previous_event_id as usize).copied().unwrap_or(0);
    }
    for t in traces {
        t.entered_event_id = new_id.get(t.entered_event_id as usize).copied().unwrap_or(0);
    }
    events
}

/// Seconds to milliseconds without overflow.
fn secs_ms(s: u64) -> i64 {
    i64::try_from(s).unwrap_or(i64::MAX).saturating_mul(1000)
}
