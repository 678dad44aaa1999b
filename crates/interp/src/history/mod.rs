//! History events shaped like the AWS `GetExecutionHistory` response (`API_HistoryEvent`).
//!
//! A run records its events compactly ([`History`]) and they take this shape when read. Events
//! hold payloads as shared [`Data`] and are serialized only when asked
//! ([`HistoryEvent::to_json`]): recording an event never copies a payload. In the AWS shape,
//! `input`/`output`/`parameters` are *strings* holding JSON text, and `timestamp` is seconds since
//! the epoch with millisecond fraction (the wire format of the API).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::Data;
use crate::errors::Failure;

mod log;

pub(crate) use log::Body;
pub use log::History;

/// One history event.
#[derive(Debug, Clone)]
pub struct HistoryEvent {
    /// Sequential, from 1.
    pub id: u64,
    /// The event before it (0 for the first).
    pub previous_event_id: u64,
    /// Logical time, milliseconds since the epoch.
    pub timestamp_ms: i64,
    /// The AWS event type, e.g. `PassStateEntered`.
    pub event_type: &'static str,
    /// The per-type details.
    pub details: Details,
}

/// How a task resource appears in task events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskResource {
    /// e.g. `lambda`.
    pub resource_type: Arc<str>,
    /// e.g. `invoke`.
    pub resource: Arc<str>,
}

/// `TaskScheduled` details (boxed: the rarer large variants keep every event small).
#[derive(Debug, Clone)]
pub struct TaskScheduled {
    /// The resource, split.
    pub resource: TaskResource,
    /// The region.
    pub region: Arc<str>,
    /// The effective parameters.
    pub parameters: Data,
    /// `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
    /// `HeartbeatSeconds`.
    pub heartbeat_seconds: Option<u64>,
}

/// `ActivityScheduled` details (boxed, like [`TaskScheduled`]).
#[derive(Debug, Clone)]
pub struct ActivityScheduled {
    /// The activity ARN.
    pub resource: Arc<str>,
    /// The effective parameters.
    pub input: Data,
    /// `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
    /// `HeartbeatSeconds`.
    pub heartbeat_seconds: Option<u64>,
}

/// The per-type details object.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub enum Details {
    None,
    ExecutionStarted {
        input: Data,
        role_arn: Arc<str>,
        state_machine_arn: Arc<str>,
    },
    ExecutionSucceeded {
        output: Data,
    },
    ExecutionFailed(Failure),
    ExecutionAborted(Failure),
    ExecutionTimedOut(Failure),
    /// `executionRedrivenEventDetails`: how many times the execution has been redriven.
    ExecutionRedriven {
        count: u64,
    },
    /// An event of an earlier attempt of a redriven execution, kept as it was recorded (its
    /// whole JSON object; `id` and `previousEventId` come from the event).
    Recorded(Box<Value>),
    StateEntered {
        name: Arc<str>,
        input: Data,
    },
    StateExited {
        name: Arc<str>,
        output: Data,
        /// The variables the state assigned (`assignedVariables`), when it has an `Assign`.
        assigned: Option<Box<crate::value::Object>>,
    },
    TaskScheduled(Box<TaskScheduled>),
    TaskStarted {
        resource: TaskResource,
    },
    TaskSubmitted {
        resource: TaskResource,
        output: Data,
    },
    TaskSucceeded {
        resource: TaskResource,
        output: Data,
    },
    TaskFailed {
        resource: TaskResource,
        failure: Box<Failure>,
    },
    TaskTimedOut {
        resource: TaskResource,
        failure: Box<Failure>,
    },
    LambdaFunctionScheduled {
        resource: Arc<str>,
        input: Data,
        timeout_seconds: Option<u64>,
    },
    LambdaFunctionSucceeded {
        output: Data,
    },
    LambdaFunctionFailed(Failure),
    LambdaFunctionTimedOut(Failure),
    ActivityScheduled(Box<ActivityScheduled>),
    ActivityStarted {
        worker_name: Arc<str>,
    },
    ActivitySucceeded {
        output: Data,
    },
    ActivityFailed(Failure),
    ActivityTimedOut(Failure),
    MapStateStarted {
        length: usize,
    },
    MapIteration {
        name: Arc<str>,
        index: usize,
    },
    MapRunStarted {
        map_run_arn: Arc<str>,
    },
    /// A redrive of an existing Map Run (`mapRunRedrivenEventDetails`).
    MapRunRedriven {
        map_run_arn: Arc<str>,
        redrive_count: u64,
    },
    MapRunFailed(Failure),
    /// A JSONata expression of a JSONata state failed (`evaluationFailedEventDetails`:
    /// state, error, cause, location).
    EvaluationFailed {
        state: Arc<str>,
        location: Arc<str>,
        failure: Box<Failure>,
    },
}

fn text(v: &crate::value::Payload) -> Value {
    Value::String(v.to_string())
}

fn failure_obj(f: &Failure) -> Value {
    let mut m = Map::new();
    if let Some(e) = &f.error {
        m.insert("error".into(), Value::String(e.clone()));
    }
    if let Some(c) = &f.cause {
        m.insert("cause".into(), Value::String(c.clone()));
    }
    Value::Object(m)
}

fn with_resource(r: &TaskResource, mut m: Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("resourceType".into(), Value::from(&*r.resource_type));
    out.insert("resource".into(), Value::from(&*r.resource));
    out.append(&mut m);
    Value::Object(out)
}

impl HistoryEvent {
    /// The AWS JSON shape of the event.
    pub fn to_json(&self) -> Value {
        if let Details::Recorded(v) = &self.details {
            let mut v = (**v).clone();
            v["id"] = Value::from(self.id);
            v["previousEventId"] = Value::from(self.previous_event_id);
            return v;
        }
        let mut m = Map::new();
        m.insert("timestamp".into(), json!(self.timestamp_ms as f64 / 1000.0));
        m.insert("type".into(), Value::from(self.event_type));
        m.insert("id".into(), Value::from(self.id));
        m.insert("previousEventId".into(), Value::from(self.previous_event_id));
        if let Some((key, details)) = self.details_json() {
            m.insert(key.into(), details);
        }
        Value::Object(m)
    }

    fn details_json(&self) -> Option<(&'static str, Value)> {
        let untruncated = || json!({"truncated": false});
        Some(match &self.details {
            Details::None | Details::Recorded(_) => return None,
            Details::ExecutionRedriven { count } => {
                ("executionRedrivenEventDetails", json!({"redriveCount": count}))
            }
            Details::ExecutionStarted { input, role_arn, state_machine_arn: _ } => (
                "executionStartedEventDetails",
                json!({"input": text(input), "inputDetails": untruncated(), "roleArn": &**role_arn}),
            ),
            Details::ExecutionSucceeded { output } => (
                "executionSucceededEventDetails",
                json!({"output": text(output), "outputDetails": untruncated()}),
            ),
            Details::ExecutionFailed(f) => ("executionFailedEventDetails", failure_obj(f)),
            Details::ExecutionAborted(f) => ("executionAbortedEventDetails", failure_obj(f)),
            Details::ExecutionTimedOut(f) => ("executionTimedOutEventDetails", failure_obj(f)),
            Details::StateEntered { name, input } => (
                "stateEnteredEventDetails",
                json!({"name": &**name, "input": text(input), "inputDetails": untruncated()}),
            ),
            Details::StateExited { name, output, assigned } => {
                let mut m = Map::new();
                m.insert("name".into(), Value::from(&**name));
                m.insert("output".into(), text(output));
                m.insert("outputDetails".into(), untruncated());
                if let Some(vars) = assigned {
                    // Each value as JSON text, like `output`.
                    let texts: Map<String, Value> = vars
                        .iter()
                        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                        .collect();
                    m.insert("assignedVariables".into(), Value::Object(texts));
                    m.insert("assignedVariablesDetails".into(), untruncated());
                }
                ("stateExitedEventDetails", Value::Object(m))
            }
            Details::TaskScheduled(d) => {
                let TaskScheduled {
                    resource,
                    region,
                    parameters,
                    timeout_seconds,
                    heartbeat_seconds,
                } = &**d;
                let mut m = Map::new();
                m.insert("region".into(), Value::from(&**region));
                m.insert("parameters".into(), text(parameters));
                if let Some(t) = timeout_seconds {
                    m.insert("timeoutInSeconds".into(), Value::from(*t));
                }
                if let Some(h) = heartbeat_seconds {
                    m.insert("heartbeatInSeconds".into(), Value::from(*h));
                }
                ("taskScheduledEventDetails", with_resource(resource, m))
            }
            Details::TaskStarted { resource } => {
                ("taskStartedEventDetails", with_resource(resource, Map::new()))
            }
            Details::TaskSubmitted { resource, output } => {
                let mut m = Map::new();
                m.insert("output".into(), text(output));
                m.insert("outputDetails".into(), untruncated());
                ("taskSubmittedEventDetails", with_resource(resource, m))
            }
            Details::TaskSucceeded { resource, output } => {
                let mut m = Map::new();
                m.insert("output".into(), text(output));
                m.insert("outputDetails".into(), untruncated());
                ("taskSucceededEventDetails", with_resource(resource, m))
            }
            Details::TaskFailed { resource, failure } => {
                let Value::Object(m) = failure_obj(failure) else { return None };
                ("taskFailedEventDetails", with_resource(resource, m))
            }
            Details::TaskTimedOut { resource, failure } => {
                let Value::Object(m) = failure_obj(failure) else { return None };
                ("taskTimedOutEventDetails", with_resource(resource, m))
            }
            Details::LambdaFunctionScheduled { resource, input, timeout_seconds } => {
                let mut v = json!({"resource": &**resource, "input": text(input), "inputDetails": untruncated()});
                if let (Some(t), Value::Object(m)) = (timeout_seconds, &mut v) {
                    m.insert("timeoutInSeconds".into(), Value::from(*t));
                }
                ("lambdaFunctionScheduledEventDetails", v)
            }
            Details::LambdaFunctionSucceeded { output } => (
                "lambdaFunctionSucceededEventDetails",
                json!({"output": text(output), "outputDetails": untruncated()}),
            ),
            Details::LambdaFunctionFailed(f) => {
                ("lambdaFunctionFailedEventDetails", failure_obj(f))
            }
            Details::LambdaFunctionTimedOut(f) => {
                ("lambdaFunctionTimedOutEventDetails", failure_obj(f))
            }
            Details::ActivityScheduled(d) => {
                let ActivityScheduled { resource, input, timeout_seconds, heartbeat_seconds } =
                    &**d;
                let mut v = json!({"resource": &**resource, "input": text(input), "inputDetails": untruncated()});
                if let Value::Object(m) = &mut v {
                    if let Some(t) = timeout_seconds {
                        m.insert("timeoutInSeconds".into(), Value::from(*t));
                    }
                    if let Some(h) = heartbeat_seconds {
                        m.insert("heartbeatInSeconds".into(), Value::from(*h));
                    }
                }
                ("activityScheduledEventDetails", v)
            }
            Details::ActivityStarted { worker_name } => {
                ("activityStartedEventDetails", json!({"workerName": &**worker_name}))
            }
            Details::ActivitySucceeded { output } => (
                "activitySucceededEventDetails",
                json!({"output": text(output), "outputDetails": untruncated()}),
            ),
            Details::ActivityFailed(f) => ("activityFailedEventDetails", failure_obj(f)),
            Details::ActivityTimedOut(f) => ("activityTimedOutEventDetails", failure_obj(f)),
            Details::MapStateStarted { length } => {
                ("mapStateStartedEventDetails", json!({"length": length}))
            }
            Details::MapIteration { name, index } => {
                let key = match self.event_type {
                    "MapIterationStarted" => "mapIterationStartedEventDetails",
                    "MapIterationSucceeded" => "mapIterationSucceededEventDetails",
                    "MapIterationFailed" => "mapIterationFailedEventDetails",
                    _ => "mapIterationAbortedEventDetails",
                };
                (key, json!({"name": &**name, "index": index}))
            }
            Details::MapRunStarted { map_run_arn } => {
                ("mapRunStartedEventDetails", json!({"mapRunArn": &**map_run_arn}))
            }
            Details::MapRunRedriven { map_run_arn, redrive_count } => (
                "mapRunRedrivenEventDetails",
                json!({"mapRunArn": &**map_run_arn, "redriveCount": redrive_count}),
            ),
            Details::MapRunFailed(f) => ("mapRunFailedEventDetails", failure_obj(f)),
            Details::EvaluationFailed { state, location, failure } => {
                let mut m = match failure_obj(failure) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                m.insert("location".into(), Value::from(&**location));
                m.insert("state".into(), Value::from(&**state));
                ("evaluationFailedEventDetails", Value::Object(m))
            }
        })
    }
}

/// Formats logical milliseconds as the context object does: `2019-03-26T20:14:13.192Z`.
pub fn iso_millis(ms: i64) -> String {
    use chrono::{Datelike, Timelike};
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.timestamp_subsec_millis()
        ),
        None => "1970-01-01T00:00:00.000Z".to_owned(),
    }
}
