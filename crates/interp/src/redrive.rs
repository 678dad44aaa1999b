//! Redriving an execution: continuing a FAILED, TIMED_OUT or ABORTED execution from where it
//! stopped, as AWS's `RedriveExecution` does (developer guide, "Restarting state machine
//! executions with redrive in Step Functions").
//!
//! "When you redrive an execution, Step Functions continues the failed execution from the
//! unsuccessful step and uses the same input. Step Functions preserves the results and execution
//! history of the successful steps, which are not rerun". The redriven [`Execution`]'s history is
//! the earlier attempt's, kept as it was, then an `ExecutionRedriven` event
//! (`executionRedrivenEventDetails.redriveCount`), then the events of the re-run.
//!
//! What is re-entered is read from the earlier history, machine by machine: in each machine (the
//! top level, a Parallel branch, a Map iteration) the last state entered without exiting is
//! entered again with the input it had (the Fail state "Reenters the Fail state and fails
//! again", a Choice "Reevaluates the Choice state rules"), after the variables the machine's
//! earlier states assigned (`assignedVariables`) are restored. A Parallel "Reschedules and
//! redrives only those branches that failed or aborted" and an Inline Map "only those iterations
//! that failed or aborted": a branch or iteration that succeeded keeps its output, one that
//! stopped inside is redriven the same way, one that never started runs from its start; after a
//! `States.DataLimitExceeded` failure the whole state is rerun. A Distributed Map redrives its
//! Map Run: "redrive all the unsuccessful child workflow executions in the Map Run", read from
//! the record's `mapRuns` (children's histories are not in the parent's; [`crate::map_run`]).
//! Retries start again from zero, and the execution's `TimeoutSeconds` counts from the redrive.
//!
//! Matching events to states relies on state names being unique in the whole machine (SW107,
//! "State names MUST be unique within the scope of the whole state machine"); a Map iteration's
//! events are those that descend (by `previousEventId`) from its `MapIterationStarted` event.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use crate::dataflow::Assignments;
use crate::dataflow::PathField;
use crate::errors::{self, Failure};
use crate::execution::{Inner, Redo, RedriveFrom, Redriven, Resume, execute};
use crate::history::{Details, HistoryEvent};
use crate::map_run::MapRun;
use crate::states::{Catcher, Kind, Machine};
use crate::{Data, Execution, Options, Ports, Status};

/// How long after it ends an execution can be redriven ("the redrivable period of 14 days").
pub const REDRIVABLE_PERIOD_MS: i64 = 14 * 24 * 60 * 60 * 1000;

/// The longest an execution may stay open ("the maximum open time of one year").
pub const MAX_OPEN_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// 2023-11-15T00:00:00Z: "Executions that you started prior to this date aren't eligible for
/// redrive."
pub const REDRIVE_LAUNCH_MS: i64 = 1_700_006_400_000;

/// Why an execution cannot be redriven.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedriveError {
    /// AWS's `ExecutionNotRedrivable`, with the `redriveStatusReason` DescribeExecution gives.
    NotRedrivable(String),
    /// The record of the earlier run is not one this interpreter can continue.
    InvalidRecord(String),
}

impl std::fmt::Display for RedriveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedriveError::NotRedrivable(reason) => write!(f, "ExecutionNotRedrivable: {reason}"),
            RedriveError::InvalidRecord(why) => write!(f, "not a run record to redrive: {why}"),
        }
    }
}

impl std::error::Error for RedriveError {}

/// A finished execution as `stepwise run --json` prints it: its status and its history in the
/// `GetExecutionHistory` shape (shared/conformance/FORMAT.md).
#[derive(Debug, Clone)]
pub struct PreviousRun {
    status: Status,
    error: Option<String>,
    events: Vec<Value>,
    /// Its Map Runs with their children (`mapRuns`), when a Distributed Map ran.
    map_runs: Vec<MapRun>,
}

impl PreviousRun {
    /// Reads `{"status": ..., "error": ..., "events": [...], "mapRuns": [...]}` (`mapRuns`
    /// optional: [`MapRun::to_json`]).
    pub fn from_json(run: &Value) -> Result<PreviousRun, RedriveError> {
        let invalid = |why: &str| RedriveError::InvalidRecord(why.to_owned());
        let status = match run.get("status").and_then(Value::as_str) {
            Some("SUCCEEDED") => Status::Succeeded,
            Some("FAILED") => Status::Failed,
            Some("TIMED_OUT") => Status::TimedOut,
            Some("ABORTED") => Status::Aborted,
            Some("RUNNING") => {
                return Err(RedriveError::NotRedrivable(
                    "Execution is RUNNING and cannot be redriven".into(),
                ));
            }
            _ => return Err(invalid("\"status\" is not an execution status")),
        };
        let events = run.get("events").and_then(Value::as_array).ok_or(invalid("no \"events\""))?;
        for (i, e) in events.iter().enumerate() {
            if e.get("id").and_then(Value::as_u64) != Some(i as u64 + 1)
                || static_type(e.get("type").and_then(Value::as_str).unwrap_or_default()).is_none()
            {
                return Err(invalid(&format!("event {} is not a history event", i + 1)));
            }
        }
        if events.first().and_then(|e| e.get("type")) != Some(&Value::from("ExecutionStarted")) {
            return Err(invalid("the history does not start with ExecutionStarted"));
        }
        let error = run.get("error").and_then(Value::as_str).map(str::to_owned);
        let map_runs = match run.get("mapRuns").and_then(Value::as_array) {
            Some(runs) => runs
                .iter()
                .map(|r| MapRun::from_json(r).map_err(|why| invalid(&format!("mapRuns: {why}"))))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        Ok(PreviousRun { status, error, events: events.clone(), map_runs })
    }

    fn timestamp_ms(e: &Value) -> i64 {
        e.get("timestamp").and_then(Value::as_f64).map_or(0, |s| (s * 1000.0).round() as i64)
    }

    /// The execution input, from `ExecutionStarted`.
    fn input(&self) -> Result<Data, RedriveError> {
        let text = self.events[0]
            .pointer("/executionStartedEventDetails/input")
            .and_then(Value::as_str)
            .unwrap_or("{}");
        Data::parse(text).map_err(|e| RedriveError::InvalidRecord(format!("input: {e}")))
    }

    /// The redrive's time, or why AWS would refuse it (`redriveStatusReason`s of
    /// DescribeExecution; the eligibility list of the developer guide).
    fn redrive_time(&self, options: &Options) -> Result<i64, RedriveError> {
        let refuse = |reason: &str| Err(RedriveError::NotRedrivable(reason.to_owned()));
        if options.express {
            // API_RedriveExecution: "This API action is not supported by EXPRESS state machines."
            return refuse("RedriveExecution is not supported by EXPRESS state machines");
        }
        if self.status == Status::Succeeded {
            return refuse("Execution is SUCCEEDED and cannot be redriven");
        }
        let last = self.events.last().and_then(|e| e.get("type")).and_then(Value::as_str);
        if !matches!(last, Some("ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted")) {
            return refuse("Execution is RUNNING and cannot be redriven");
        }
        // "The execution event history count is less than 24,999", so that the
        // ExecutionRedriven event and at least one more fit under the 25,000 limit.
        if self.events.len() + 1 >= options.limits.max_history_events {
            return refuse("Execution history event limit exceeded");
        }
        let started = Self::timestamp_ms(&self.events[0]);
        if started < REDRIVE_LAUNCH_MS {
            return refuse("Execution was started before the launch of RedriveExecution");
        }
        let ended = self.events.last().map_or(started, Self::timestamp_ms);
        let at = options.start_time_ms.max(ended);
        if at - ended > REDRIVABLE_PERIOD_MS {
            return refuse("Execution redrivable period exceeded");
        }
        if at - started > MAX_OPEN_MS {
            return refuse("Execution has exceeded the max execution time");
        }
        Ok(at)
    }

    /// Whether [`redrive`] would continue this run of `plan` with `options`, or AWS's reason
    /// not to (so a caller can refuse before starting anything).
    pub fn check(&self, plan: &Machine, options: &Options) -> Result<(), RedriveError> {
        self.redrive_time(options)?;
        self.input()?;
        where_to_resume(plan, self).map(|_| ())
    }

    /// How many times the execution has been redriven before.
    fn redrive_count(&self) -> u64 {
        self.events.iter().filter(|e| e["type"] == "ExecutionRedriven").count() as u64
    }
}

/// Redrives `previous`, an unsuccessful execution of `plan`. The redrive happens at the earlier
/// attempt's end, or at `options.start_time_ms` when that is later; `$$.Execution.StartTime`
/// stays the original start.
pub fn redrive(
    plan: &Machine,
    previous: &PreviousRun,
    mut options: Options,
    ports: Ports,
) -> Result<Execution, RedriveError> {
    let at_ms = previous.redrive_time(&options)?;
    let input = previous.input()?;
    let from = match where_to_resume(plan, previous)? {
        Redo::Fresh => RedriveFrom::Start,
        Redo::Keep(out) => RedriveFrom::Finished(out),
        Redo::Resume(r) => RedriveFrom::State(r),
    };
    let history = previous
        .events
        .iter()
        .map(|e| HistoryEvent {
            id: e["id"].as_u64().unwrap_or_default(),
            previous_event_id: e["previousEventId"].as_u64().unwrap_or_default(),
            timestamp_ms: PreviousRun::timestamp_ms(e),
            event_type: static_type(e["type"].as_str().unwrap_or_default()).unwrap_or("Unknown"),
            details: Details::Recorded(Box::new(e.clone())),
        })
        .collect();
    options.start_time_ms = PreviousRun::timestamp_ms(&previous.events[0]);
    let count = previous.redrive_count() + 1;
    Ok(execute(
        plan,
        input,
        options,
        ports,
        Some(Redriven {
            previous: history,
            count,
            at_ms,
            from,
            map_runs: previous.map_runs.clone(),
        }),
    ))
}

/// Where the top-level machine picks up.
fn where_to_resume(plan: &Machine, previous: &PreviousRun) -> Result<Redo, RedriveError> {
    let mut seen = HashSet::new();
    let mut unique = true;
    each_name(plan, &mut |n| unique &= seen.insert(n.clone()));
    if !unique {
        return Err(RedriveError::InvalidRecord(
            "state names are not unique in the machine, so its history cannot be matched to its states".into(),
        ));
    }
    let h = History::new(&previous.events, &previous.map_runs);
    let rerun_whole = previous.error.as_deref() == Some(errors::DATA_LIMIT_EXCEEDED);
    let all: Vec<usize> = (0..previous.events.len()).collect();
    h.machine(&all, plan, rerun_whole)
}

/// Calls `f` with every state name of `m`, nested machines included.
fn each_name(m: &Machine, f: &mut impl FnMut(&Arc<str>)) {
    for s in &m.states {
        f(&s.name);
        match &s.kind {
            Kind::Parallel(p) => p.branches.iter().for_each(|b| each_name(b, f)),
            Kind::Map(map) => each_name(&map.processor, f),
            _ => {}
        }
    }
}

/// The earlier history, indexed for matching.
struct History<'a> {
    events: &'a [Value],
    map_runs: &'a [MapRun],
    /// Event id → the positions of the events whose `previousEventId` it is.
    children: HashMap<u64, Vec<usize>>,
}

/// One visit of a state in one machine's events.
struct Visit<'a> {
    state: usize,
    /// Position in the machine's view.
    at: usize,
    entered: &'a Value,
    exited: Option<&'a Value>,
}

fn invalid_payload(e: impl std::fmt::Display) -> RedriveError {
    RedriveError::InvalidRecord(format!("a recorded payload is not JSON: {e}"))
}

impl<'a> History<'a> {
    fn new(events: &'a [Value], map_runs: &'a [MapRun]) -> History<'a> {
        let mut children: HashMap<u64, Vec<usize>> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            children.entry(e["previousEventId"].as_u64().unwrap_or_default()).or_default().push(i);
        }
        History { events, map_runs, children }
    }

    fn kind(&self, i: usize) -> &'a str {
        self.events[i]["type"].as_str().unwrap_or_default()
    }

    /// The state (or, for Map iteration events, the Map state) an event names.
    fn name(&self, i: usize) -> Option<&'a str> {
        let details = self.events[i].as_object()?.iter().find(|(k, _)| k.ends_with("Details"))?.1;
        details.get("name").and_then(Value::as_str)
    }

    /// What the earlier attempt did in machine `m`, whose events are `view` (positions, in order).
    fn machine(
        &self,
        view: &[usize],
        m: &Machine,
        rerun_whole: bool,
    ) -> Result<Redo, RedriveError> {
        let index: HashMap<&str, usize> =
            m.states.iter().enumerate().map(|(i, s)| (&*s.name, i)).collect();
        let mut visits: Vec<Visit<'a>> = Vec::new();
        for (at, &i) in view.iter().enumerate() {
            let Some(&state) = self.name(i).and_then(|n| index.get(n)) else { continue };
            let kind = self.kind(i);
            if kind.ends_with("StateEntered") {
                visits.push(Visit { state, at, entered: &self.events[i], exited: None });
            } else if kind.ends_with("StateExited")
                && let Some(v) =
                    visits.last_mut().filter(|v| v.state == state && v.exited.is_none())
            {
                v.exited = Some(&self.events[i]);
            }
        }
        let Some(last) = visits.last() else { return Ok(Redo::Fresh) };
        let mut assigned = Vec::new();
        for v in &visits[..visits.len() - 1] {
            if let Some(exited) = v.exited {
                assigned.extend(assignments(exited)?);
            }
        }
        let payload = |e: &Value, pointer: &str| {
            Data::parse(e.pointer(pointer).and_then(Value::as_str).unwrap_or("null"))
                .map_err(invalid_payload)
        };
        let state = &m.states[last.state];
        let input = payload(last.entered, "/stateEnteredEventDetails/input")?;
        let Some(exited) = last.exited else {
            let inner = self.inner(view, last, state, rerun_whole)?;
            return Ok(Redo::Resume(Resume { state: last.state, input, assigned, inner }));
        };
        // The machine stopped between states (a timeout or abort right after an exit).
        if matches!(state.kind, Kind::Choice { .. }) {
            return Ok(Redo::Resume(Resume { state: last.state, input, assigned, inner: None }));
        }
        let output = payload(exited, "/stateExitedEventDetails/output")?;
        assigned.extend(assignments(exited)?);
        let next = match self.catcher_taken(exited, state, &output) {
            Some(catcher) => Some(catcher.next),
            None => state.next,
        };
        Ok(match next {
            Some(next) => {
                Redo::Resume(Resume { state: next, input: output, assigned, inner: None })
            }
            None => Redo::Keep(output),
        })
    }

    /// The Catcher a Task, Parallel or Map state exited through, when it exited with a caught
    /// error rather than its result: the state's outcome event before the exit was no success
    /// (`TaskFailed`, `ParallelStateFailed`, … or none, for an error before the task ran), and
    /// the error is the one that event names or, failing that, the `Error` the Catcher wrote at
    /// its ResultPath. The first Catcher whose ErrorEquals matches it is the one that fired.
    fn catcher_taken<'s>(
        &self,
        exited: &Value,
        state: &'s crate::states::State,
        output: &Data,
    ) -> Option<&'s Catcher> {
        let catchers = match &state.kind {
            Kind::Task(t) => &t.handling.catch,
            Kind::Parallel(p) => &p.handling.catch,
            Kind::Map(m) => &m.handling.catch,
            _ => return None,
        };
        if catchers.is_empty() {
            return None;
        }
        let before = exited["previousEventId"].as_u64().unwrap_or_default();
        let outcome = self.events.iter().find(|e| e["id"].as_u64() == Some(before));
        let outcome_type = outcome.and_then(|e| e["type"].as_str()).unwrap_or_default();
        if outcome_type.ends_with("Succeeded") {
            return None;
        }
        let named = outcome.and_then(|e| {
            let details = e.as_object()?.iter().find(|(k, _)| k.ends_with("Details"))?.1;
            details.get("error").and_then(Value::as_str).map(str::to_owned)
        });
        let matches = |c: &Catcher, error: &str| {
            let failure = Failure { error: Some(error.to_owned()), cause: None };
            errors::error_equals_matches(&c.error_equals, &failure)
        };
        catchers.iter().find(|c| match &named {
            Some(error) => matches(c, error),
            None => {
                let written = match &c.result_path {
                    PathField::Root => Some(output.clone()),
                    PathField::Null => None,
                    PathField::Path(p) => p.select(output),
                };
                written
                    .and_then(|w| w.get("Error").and_then(|e| e.as_str().map(str::to_owned)))
                    .is_some_and(|error| matches(c, &error))
            }
        })
    }

    /// The branches or iterations of a re-entered Parallel or Inline Map state.
    fn inner(
        &self,
        view: &[usize],
        visit: &Visit<'a>,
        state: &crate::states::State,
        rerun_whole: bool,
    ) -> Result<Option<Inner>, RedriveError> {
        if rerun_whole {
            return Ok(None);
        }
        let after = &view[visit.at + 1..];
        match &state.kind {
            Kind::Parallel(p) => {
                let mut out = Vec::with_capacity(p.branches.len());
                for branch in &p.branches {
                    let mut names = HashSet::new();
                    each_name(branch, &mut |n| {
                        names.insert(n.clone());
                    });
                    let branch_view: Vec<usize> = after
                        .iter()
                        .copied()
                        .filter(|&i| self.name(i).is_some_and(|n| names.contains(n)))
                        .collect();
                    out.push(self.machine(&branch_view, branch, false)?);
                }
                Ok(Some(Inner::Branches(out)))
            }
            Kind::Map(map) if map.distributed.is_none() => {
                let mut out: Vec<Redo> = Vec::new();
                for &i in after {
                    if self.kind(i) != "MapIterationStarted" || self.name(i) != Some(&state.name) {
                        continue;
                    }
                    let Some(index) = self.events[i]
                        .pointer("/mapIterationStartedEventDetails/index")
                        .and_then(Value::as_u64)
                        .map(|n| n as usize)
                    else {
                        continue;
                    };
                    if out.len() <= index {
                        out.resize(index + 1, Redo::Fresh);
                    }
                    out[index] = self.machine(
                        &self.iteration(i, &state.name, index),
                        &map.processor,
                        false,
                    )?;
                }
                Ok(Some(Inner::Branches(out)))
            }
            // The Map Run this visit started or redrove last: redriven with its children. One
            // never started starts afresh ("redriving the parent workflow starts the Map Run for
            // the first time"), as does one whose children the record lacks.
            Kind::Map(_) => {
                let arn =
                    self.descendants(view[visit.at], |_| false).into_iter().rev().find_map(|i| {
                        let details = match self.kind(i) {
                            "MapRunStarted" => "mapRunStartedEventDetails",
                            "MapRunRedriven" => "mapRunRedrivenEventDetails",
                            _ => return None,
                        };
                        self.events[i][details]["mapRunArn"].as_str()
                    });
                let run = arn.and_then(|arn| self.map_runs.iter().find(|r| r.arn == arn));
                Ok(run.map(|r| Inner::MapRun(r.clone())))
            }
            _ => Ok(None),
        }
    }

    /// The events of one Map iteration: those descending from its `MapIterationStarted` event,
    /// up to (not including) the event that ends the iteration.
    fn iteration(&self, started: usize, map: &str, index: usize) -> Vec<usize> {
        let ends = |i: usize| {
            matches!(
                self.kind(i),
                "MapIterationSucceeded" | "MapIterationFailed" | "MapIterationAborted"
            ) && self.name(i) == Some(map)
                && self.events[i].as_object().is_some_and(|o| {
                    o.iter().any(|(k, d)| {
                        k.ends_with("Details")
                            && d.get("index").and_then(Value::as_u64) == Some(index as u64)
                    })
                })
        };
        self.descendants(started, ends)
    }

    /// The events that descend (by `previousEventId`) from event `from`, in order, not
    /// following any event `stop` accepts (nor including it).
    fn descendants(&self, from: usize, stop: impl Fn(usize) -> bool) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![from];
        while let Some(i) = stack.pop() {
            let id = self.events[i]["id"].as_u64().unwrap_or_default();
            for &c in self.children.get(&id).into_iter().flatten() {
                if !stop(c) {
                    out.push(c);
                    stack.push(c);
                }
            }
        }
        out.sort_unstable();
        out
    }
}

/// The `assignedVariables` of a `...StateExited` event (each value is JSON text).
fn assignments(exited: &Value) -> Result<Option<Assignments>, RedriveError> {
    let Some(vars) =
        exited.pointer("/stateExitedEventDetails/assignedVariables").and_then(Value::as_object)
    else {
        return Ok(None);
    };
    let mut pairs = Vec::with_capacity(vars.len());
    for (name, text) in vars {
        let value = Data::parse(text.as_str().unwrap_or("null")).map_err(invalid_payload)?;
        pairs.push((Arc::from(name.as_str()), value));
    }
    Assignments::new(pairs).map(Some).map_err(|e| RedriveError::InvalidRecord(e.to_string()))
}

/// The `HistoryEventType` values of the Step Functions API, as static text.
fn static_type(name: &str) -> Option<&'static str> {
    const TYPES: &[&str] = &[
        "ActivityFailed",
        "ActivityScheduled",
        "ActivityScheduleFailed",
        "ActivityStarted",
        "ActivitySucceeded",
        "ActivityTimedOut",
        "ChoiceStateEntered",
        "ChoiceStateExited",
        "EvaluationFailed",
        "ExecutionAborted",
        "ExecutionFailed",
        "ExecutionRedriven",
        "ExecutionStarted",
        "ExecutionSucceeded",
        "ExecutionTimedOut",
        "FailStateEntered",
        "LambdaFunctionFailed",
        "LambdaFunctionScheduled",
        "LambdaFunctionScheduleFailed",
        "LambdaFunctionStarted",
        "LambdaFunctionStartFailed",
        "LambdaFunctionSucceeded",
        "LambdaFunctionTimedOut",
        "MapIterationAborted",
        "MapIterationFailed",
        "MapIterationStarted",
        "MapIterationSucceeded",
        "MapRunAborted",
        "MapRunFailed",
        "MapRunRedriven",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateAborted",
        "MapStateEntered",
        "MapStateExited",
        "MapStateFailed",
        "MapStateStarted",
        "MapStateSucceeded",
        "ParallelStateAborted",
        "ParallelStateEntered",
        "ParallelStateExited",
        "ParallelStateFailed",
        "ParallelStateStarted",
        "ParallelStateSucceeded",
        "PassStateEntered",
        "PassStateExited",
        "SucceedStateEntered",
        "SucceedStateExited",
        "TaskFailed",
        "TaskScheduled",
        "TaskStarted",
        "TaskStartFailed",
        "TaskStateAborted",
        "TaskStateEntered",
        "TaskStateExited",
        "TaskSubmitFailed",
        "TaskSubmitted",
        "TaskSucceeded",
        "TaskTimedOut",
        "WaitStateAborted",
        "WaitStateEntered",
        "WaitStateExited",
    ];
    TYPES.iter().find(|t| **t == name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn started() -> Value {
        json!({"id": 1, "previousEventId": 0, "timestamp": 1704067200.0, "type": "ExecutionStarted",
            "executionStartedEventDetails": {"input": "{\"a\":1}"}})
    }

    #[test]
    fn a_record_needs_a_status_and_a_history_from_execution_started() {
        let ok = PreviousRun::from_json(&json!({"status": "FAILED", "events": [started()]}))
            .expect("a record");
        assert_eq!(ok.input().expect("input").to_string(), "{\"a\":1}");
        // DescribeExecution's redriveStatusReason for an open execution.
        assert_eq!(
            PreviousRun::from_json(&json!({"status": "RUNNING", "events": []})).err(),
            Some(RedriveError::NotRedrivable("Execution is RUNNING and cannot be redriven".into()))
        );
        let no_events = PreviousRun::from_json(&json!({"status": "FAILED"}));
        assert!(matches!(no_events, Err(RedriveError::InvalidRecord(_))));
        let odd_type = json!({"status": "FAILED", "events": [{"id": 1, "type": "Nope"}]});
        assert!(matches!(PreviousRun::from_json(&odd_type), Err(RedriveError::InvalidRecord(_))));
    }

    #[test]
    fn an_execution_started_before_the_launch_of_redrive_is_refused() {
        let mut old = started();
        old["timestamp"] = json!(1_600_000_000.0);
        let failed = json!({"id": 2, "previousEventId": 1, "timestamp": 1_600_000_000.0,
            "type": "ExecutionFailed"});
        let record = PreviousRun::from_json(&json!({"status": "FAILED", "events": [old, failed]}))
            .expect("a record");
        assert_eq!(
            record.redrive_time(&Options::default()).err(),
            Some(RedriveError::NotRedrivable(
                "Execution was started before the launch of RedriveExecution".into()
            ))
        );
    }

    #[test]
    fn a_history_without_a_terminal_event_is_still_running() {
        let record = PreviousRun::from_json(&json!({"status": "FAILED", "events": [started()]}))
            .expect("a record");
        assert_eq!(
            record.redrive_time(&Options::default()).err(),
            Some(RedriveError::NotRedrivable("Execution is RUNNING and cannot be redriven".into()))
        );
    }
}
