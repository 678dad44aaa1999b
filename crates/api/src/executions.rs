//! Executions as files, and execution names.
//!
//! An exported run is one JSON file: the definition it ran, its input, its history shaped like
//! AWS GetExecutionHistory's answer (`events` at the top level, so the file also reads as one),
//! and Stepwise's per-state views (the data-flow stages). Importing reads such a file back, or
//! a plain GetExecutionHistory answer from AWS (`aws stepfunctions get-execution-history`),
//! whose per-state views are rebuilt from its events: each state's input and output, and how it
//! fared.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use stepwise_store::Record;

use crate::run::{mark_running, merge_visit, refused, usage};
use crate::wire::{ApiError, ExecutionView, StageView, StateRunStatus, StateRunView};

/// What the `format` field of an exported run says.
const FORMAT: &str = "stepwise-execution";

/// An exported run, as written to disk.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExecutionFile {
    format: String,
    version: u32,
    name: String,
    status: String,
    started_ms: i64,
    ended_ms: Option<i64>,
    /// The definition it ran; absent for runs recorded before definitions were kept.
    definition: Option<Value>,
    input: Value,
    /// The history, as GetExecutionHistory returns it.
    events: Vec<Value>,
    /// The per-state views (the history is in `events`, not repeated here).
    view: ExecutionView,
}

/// A run read from a file.
#[derive(Debug)]
pub(crate) struct Imported {
    /// The definition it ran (pretty JSON text), when the file has it.
    pub definition: Option<String>,
    /// What the canvas and the run panel show.
    pub view: ExecutionView,
}

/// The file of a recorded run; a run still going (no result yet) cannot be exported.
pub(crate) fn export(record: &Record) -> Result<Vec<u8>, ApiError> {
    let name = &record.summary.name;
    let text = record
        .result
        .as_deref()
        .ok_or_else(|| refused(format!("{name} has not ended: only a finished run is exported")))?;
    let mut view: ExecutionView = serde_json::from_str(text)
        .map_err(|err| refused(format!("{name} is unreadable in the history: {err}")))?;
    let events = std::mem::take(&mut view.events);
    let parse = |text: &str| serde_json::from_str(text).unwrap_or(Value::String(text.to_owned()));
    let file = ExecutionFile {
        format: FORMAT.to_owned(),
        version: 1,
        name: name.clone(),
        status: record.summary.status.clone(),
        started_ms: record.summary.started_ms,
        ended_ms: record.summary.ended_ms,
        definition: record.definition.as_deref().map(parse),
        input: parse(&record.input),
        events,
        view,
    };
    let mut bytes = serde_json::to_vec_pretty(&file).map_err(|err| refused(err.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Reads an exported run or an AWS GetExecutionHistory answer; anything else is refused with
/// what was expected.
pub(crate) fn import(text: &str, file_name: &str) -> Result<Imported, ApiError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|err| refused(format!("{file_name} is not JSON: {err}")))?;
    if value.get("format").and_then(Value::as_str) == Some(FORMAT) {
        let file: ExecutionFile = serde_json::from_value(value)
            .map_err(|err| refused(format!("{file_name} is not a readable Stepwise run: {err}")))?;
        let mut view = file.view;
        view.id = None;
        view.events = file.events;
        let definition =
            file.definition.map(|d| serde_json::to_string_pretty(&d).unwrap_or_default());
        return Ok(Imported { definition, view });
    }
    let Some(Value::Array(events)) = value.get("events") else {
        return Err(refused(format!(
            "{file_name} is neither a Stepwise run nor an AWS GetExecutionHistory answer \
             (no \"events\" list)"
        )));
    };
    let events = events
        .iter()
        .enumerate()
        .map(|(index, event)| normalized(event, index))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|err| refused(format!("{file_name}: {err}")))?;
    let stem = file_name.split('.').next().unwrap_or(file_name);
    Ok(Imported { definition: None, view: view_of_history(stem, events) })
}

/// One AWS event as Stepwise keeps events: `timestamp` in seconds since the epoch (the AWS CLI
/// prints ISO 8601 text; the API's JSON has numbers), `id` and `type` required.
fn normalized(event: &Value, index: usize) -> Result<Value, String> {
    let at = || format!("events[{index}]");
    let mut event =
        event.as_object().cloned().ok_or_else(|| format!("{} is not an object", at()))?;
    if !event.get("id").is_some_and(Value::is_u64) {
        return Err(format!("{} has no numeric \"id\"", at()));
    }
    if !event.get("type").is_some_and(Value::is_string) {
        return Err(format!("{} has no \"type\"", at()));
    }
    if let Some(Value::String(text)) = event.get("timestamp") {
        let nanos = stepwise_interp::states::choice::parse_timestamp(text)
            .ok_or_else(|| format!("{}.timestamp \"{text}\" is not an ISO 8601 time", at()))?;
        event.insert("timestamp".into(), Value::from(nanos as f64 / 1e9));
    }
    Ok(Value::Object(event))
}

/// The run panel's view of a history that has no Stepwise trace: status, output and error from
/// the execution's last event, and per state its last visit's input and output.
fn view_of_history(name: &str, events: Vec<Value>) -> ExecutionView {
    let by_id: std::collections::HashMap<u64, &Value> =
        events.iter().filter_map(|e| Some((e["id"].as_u64()?, e))).collect();
    let mut states: Vec<StateRunView> = Vec::new();
    // The input and error of each state's visit in progress, by name.
    let mut open: Map<String, Value> = Map::new();
    let mut status = "RUNNING";
    let (mut output, mut error, mut cause) = (None, None, None);
    for event in &events {
        let kind = event["type"].as_str().unwrap_or_default();
        let details = details_of(event);
        let text = |field: &str| details.and_then(|d| d[field].as_str()).map(str::to_owned);
        if let Some(name) = details.and_then(|d| d["name"].as_str()) {
            if kind.ends_with("StateEntered") {
                mark_running(&mut states, name);
                open.insert(name.to_owned(), serde_json::json!({ "input": text("input") }));
                continue;
            }
            if kind.ends_with("StateExited") {
                let visit = open.remove(name).unwrap_or_default();
                let failure = visit.get("error");
                let mut stages = vec![stage("input", visit["input"].as_str())];
                stages.push(stage("output", text("output").as_deref()));
                merge_visit(
                    &mut states,
                    StateRunView {
                        name: name.to_owned(),
                        status: if failure.is_some() {
                            StateRunStatus::Caught
                        } else {
                            StateRunStatus::Succeeded
                        },
                        visits: 1,
                        stages: stages.into_iter().flatten().collect(),
                        error: failure.and_then(|f| f["error"].as_str()).map(str::to_owned),
                        cause: failure.and_then(|f| f["cause"].as_str()).map(str::to_owned),
                    },
                );
                continue;
            }
        }
        match kind {
            "ExecutionSucceeded" => {
                status = "SUCCEEDED";
                output = text("output").map(|o| pretty(&o));
            }
            "ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted" => {
                status = match kind {
                    "ExecutionFailed" => "FAILED",
                    "ExecutionTimedOut" => "TIMED_OUT",
                    _ => "ABORTED",
                };
                (error, cause) = (text("error"), text("cause"));
            }
            _ if kind.ends_with("Failed") || kind.ends_with("TimedOut") => {
                // A failure belongs to the state whose visit its chain of events comes from.
                if let Some(state) = entered_before(event, &by_id)
                    && let Some(visit) = open.get_mut(&state)
                {
                    visit["error"] =
                        serde_json::json!({ "error": text("error"), "cause": text("cause") });
                }
            }
            _ => {}
        }
    }
    // Visits that never exited: failed with the run, or cut off when it was stopped.
    for (name, visit) in open {
        let Some(view) = states.iter_mut().find(|s| s.name == name) else { continue };
        view.stages = stage("input", visit["input"].as_str()).into_iter().collect();
        view.status = match status {
            "ABORTED" => StateRunStatus::Cancelled,
            "RUNNING" => StateRunStatus::Running,
            _ => StateRunStatus::Failed,
        };
        let failure = visit.get("error");
        view.error = failure.and_then(|f| f["error"].as_str()).map(str::to_owned).or(error.clone());
        view.cause = failure.and_then(|f| f["cause"].as_str()).map(str::to_owned).or(cause.clone());
    }
    let usage = usage(&events);
    ExecutionView {
        id: None,
        name: name.to_owned(),
        status: status.to_owned(),
        output,
        error,
        cause,
        states,
        events,
        usage,
        map_runs: None,
    }
}

/// The event's `…EventDetails` object, if it has one.
fn details_of(event: &Value) -> Option<&Value> {
    let object = event.as_object()?;
    object.iter().find(|(key, _)| key.ends_with("EventDetails")).map(|(_, value)| value)
}

/// The name of the state whose StateEntered event `event` follows in its chain.
fn entered_before(event: &Value, by_id: &std::collections::HashMap<u64, &Value>) -> Option<String> {
    let mut current = event;
    // The chain is followed at most once per event: a cycle in a bad file cannot hang it.
    for _ in 0..by_id.len() {
        let previous = by_id.get(&current["previousEventId"].as_u64()?)?;
        let kind = previous["type"].as_str()?;
        if kind.ends_with("StateEntered") {
            return details_of(previous)?["name"].as_str().map(str::to_owned);
        }
        current = previous;
    }
    None
}

fn stage(name: &str, value: Option<&str>) -> Option<StageView> {
    Some(StageView { name: name.to_owned(), value: pretty(value?) })
}

/// JSON text pretty-printed; text that is not JSON as it is.
fn pretty(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_owned())
}

/// Checks an execution name as StartExecution does (API Reference, StartExecution, `name`:
/// 1–80 characters; no white space, brackets `< > { } [ ]`, wildcards `? *`, special characters
/// `" # % \ ^ | ~ ` $ & , ; : /`, or control characters).
pub(crate) fn check_name(name: &str) -> Result<(), String> {
    let length = name.chars().count();
    if !(1..=80).contains(&length) {
        return Err(format!("an execution name has 1 to 80 characters, not {length}"));
    }
    let forbidden = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)
    };
    match name.chars().find(|c| forbidden(*c)) {
        Some(c) => Err(format!("an execution name cannot contain {c:?}")),
        None => Ok(()),
    }
}
