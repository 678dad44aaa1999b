//! The data-flow simulator for one state: the state runs alone, as AWS's TestState API runs it,
//! on an input the user types or takes from an execution, with the task's answer given.
//!
//! The state is wrapped in a machine of its own (its language, its name, and a `Succeed` stand-in
//! for every state it may go to), run by the interpreter with the trace recorded, and stopped as
//! soon as the state's visit ends; its trace is the answer. So every stage is computed by the
//! interpreter's own code, never re-implemented here.
//!
//! Like TestState (AWS Step Functions API Reference, `TestState`: "status: SUCCEEDED | FAILED |
//! RETRIABLE | CAUGHT_ERROR"; `InspectionErrorDetails`: catchIndex, retryIndex,
//! retryBackoffIntervalSeconds), the state runs once: an error a `Retry` would retry is reported
//! as RETRIABLE with the retrier's index and first backoff interval instead of being retried,
//! and an error a `Catch` handles is CAUGHT_ERROR with the catcher's index and its next state.

use serde_json::{Map, Value, json};
use stepwise_interp::errors::error_equals_matches;
use stepwise_interp::ports::{
    Observer, TaskAnswer, TaskInvoker, TaskOutcome, TaskRequest, Unanswered,
};
use stepwise_interp::trace::StateTrace;
use stepwise_interp::{Failure, Options, Ports};

use crate::run::{refused, trace_view};
use crate::wire::{ApiError, SimulatedTask, TestStateResult};

/// What to run: the state (its name and JSON as the simulator holds it, edits included), the
/// query language in force for it, the input, and the task's answer.
pub(crate) struct Simulation<'a> {
    pub name: &'a str,
    pub state: &'a Value,
    pub query_language: &'a str,
    pub input: &'a str,
    pub task: &'a SimulatedTask,
}

/// Runs the state once and reports each stage, the status and where it would go next.
pub(crate) fn test_state(simulation: &Simulation<'_>) -> Result<TestStateResult, ApiError> {
    let Simulation { name, state, query_language, input, task } = *simulation;
    if !state.is_object() {
        return Err(refused(format!("{name} is not a JSON object")));
    }
    let input: Value = serde_json::from_str(input)
        .map_err(|err| refused(format!("the input is not JSON: {err}")))?;
    if let SimulatedTask::Result { json } = task {
        serde_json::from_str::<Value>(json)
            .map_err(|err| refused(format!("the task result is not JSON: {err}")))?;
    }
    let machine = machine_of(name, state, query_language);
    let plan = stepwise_interp::compile(&machine).map_err(|err| {
        // Pointers inside the wrapper machine name the state as the document does.
        let inside = err.pointer.strip_prefix(&format!("/States/{}", escape(name))).unwrap_or("");
        refused(format!("{name} cannot run: {inside}: {}", err.message).replace(": :", ":"))
    })?;
    let options = Options {
        execution_name: "simulation".to_owned(),
        record_trace: true,
        ..Options::default()
    };
    let ports = Ports {
        tasks: Box::new(Answer(task.clone())),
        observer: Box::new(FirstVisit { name: name.to_owned(), done: false }),
        ..Ports::default()
    };
    let execution = stepwise_interp::run_plan(&plan, input.into(), options, ports);
    let trace = execution
        .traces
        .iter()
        .find(|t| &*t.state == name)
        .ok_or_else(|| refused(format!("{name} did not run")))?;
    Ok(result_of(name, state, trace))
}

/// The machine that runs `state` alone: `Succeed` stand-ins for its targets, no `Retry` (one
/// attempt, as TestState makes).
fn machine_of(name: &str, state: &Value, query_language: &str) -> Value {
    let mut alone = state.clone();
    if let Some(fields) = alone.as_object_mut() {
        fields.remove("Retry");
    }
    let mut states = Map::new();
    for target in targets(state) {
        states.insert(target.to_owned(), json!({ "Type": "Succeed" }));
    }
    states.insert(name.to_owned(), alone);
    json!({ "QueryLanguage": query_language, "StartAt": name, "States": states })
}

/// Every state name `state` may go to: Next, Default, each Choice rule's and catcher's Next.
fn targets(state: &Value) -> Vec<&str> {
    fn next(v: &Value) -> Option<&str> {
        v.get("Next").and_then(Value::as_str)
    }
    let rules = ["Choices", "Catch"]
        .into_iter()
        .flat_map(|list| state.get(list).and_then(Value::as_array).into_iter().flatten());
    let mut names: Vec<&str> = rules.filter_map(next).collect();
    names.extend(next(state));
    names.extend(state.get("Default").and_then(Value::as_str));
    names
}

/// Escapes a state name as one JSON Pointer segment.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The TestState-shaped answer for the state's visit.
fn result_of(name: &str, state: &Value, trace: &StateTrace) -> TestStateResult {
    let view = trace_view(trace);
    let pretty = |value: Value| serde_json::to_string_pretty(&value).unwrap_or_default();
    let output = trace.output.as_ref().map(|o| pretty(o.to_value()));
    let mut result = TestStateResult {
        status: "SUCCEEDED".to_owned(),
        output,
        next_state: trace.next_state.as_deref().map(str::to_owned),
        error: view.error,
        cause: view.cause,
        stages: view.stages,
        catch_index: None,
        retry_index: None,
        retry_backoff_interval_seconds: None,
    };
    let Some(failure) = &trace.error else { return result };
    result.catch_index = matching(state, "Catch", failure).map(|(index, _)| index);
    if let Some((index, retrier)) = matching(state, "Retry", failure)
        .filter(|(_, retrier)| retrier.get("MaxAttempts").and_then(Value::as_u64) != Some(0))
    {
        // The first retry waits IntervalSeconds (default 1), capped by MaxDelaySeconds.
        let interval = retrier.get("IntervalSeconds").and_then(Value::as_u64).unwrap_or(1);
        let cap = retrier.get("MaxDelaySeconds").and_then(Value::as_u64).unwrap_or(u64::MAX);
        result.status = "RETRIABLE".to_owned();
        result.retry_index = Some(index);
        result.retry_backoff_interval_seconds = Some(interval.min(cap) as u32);
        result.next_state = Some(name.to_owned());
        result.catch_index = None;
        result.output = None;
    } else if result.catch_index.is_some() {
        result.status = "CAUGHT_ERROR".to_owned();
    } else {
        result.status = "FAILED".to_owned();
        result.next_state = None;
        result.output = None;
    }
    result
}

/// The first retrier or catcher of the state whose ErrorEquals matches the failure.
fn matching<'v>(state: &'v Value, list: &str, failure: &Failure) -> Option<(u32, &'v Value)> {
    let entries = state.get(list)?.as_array()?;
    entries.iter().enumerate().find_map(|(index, entry)| {
        let names: Vec<String> = entry
            .get("ErrorEquals")?
            .as_array()?
            .iter()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect();
        error_equals_matches(&names, failure).then_some((index as u32, entry))
    })
}

/// Answers every task invocation with what the user gave.
struct Answer(SimulatedTask);

impl TaskInvoker for Answer {
    fn invoke(&mut self, _: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let outcome = match &self.0 {
            SimulatedTask::Result { json } => match serde_json::from_str(json) {
                Ok(value) => TaskOutcome::Succeeded(value),
                Err(err) => return Err(Unanswered(format!("the task result is not JSON: {err}"))),
            },
            SimulatedTask::Error { error, cause } => {
                TaskOutcome::Failed(Failure::new(error.clone(), cause.clone()))
            }
        };
        Ok(TaskAnswer { outcome, duration_ms: 0, silence_ms: None })
    }
}

/// Stops the run once the state's own visit has ended: its successors are stand-ins.
struct FirstVisit {
    name: String,
    done: bool,
}

impl Observer for FirstVisit {
    fn on_trace(&mut self, trace: &StateTrace) {
        self.done |= *trace.state == *self.name;
    }

    fn stopped(&mut self) -> bool {
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(state: Value, input: &str, task: SimulatedTask) -> TestStateResult {
        run_in("JSONPath", state, input, task)
    }

    fn run_in(language: &str, state: Value, input: &str, task: SimulatedTask) -> TestStateResult {
        let simulation =
            Simulation { name: "S", state: &state, query_language: language, input, task: &task };
        test_state(&simulation).expect("the state runs")
    }

    fn answer(json: &str) -> SimulatedTask {
        SimulatedTask::Result { json: json.to_owned() }
    }

    fn throw(error: &str) -> SimulatedTask {
        SimulatedTask::Error { error: error.to_owned(), cause: "it broke".to_owned() }
    }

    fn stage(result: &TestStateResult, name: &str) -> Value {
        let stage = result.stages.iter().find(|s| s.name == name);
        serde_json::from_str(&stage.unwrap_or_else(|| panic!("no {name} stage")).value).unwrap()
    }

    /// Developer guide, "Processing input and output in Step Functions": InputPath → Parameters →
    /// task → ResultSelector → ResultPath → OutputPath, each stage shown as TestState's
    /// inspection data names it.
    #[test]
    fn a_task_shows_every_stage_of_its_pipeline() {
        let state = serde_json::json!({
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "InputPath": "$.order",
            "Parameters": { "id.$": "$.id" },
            "ResultSelector": { "total.$": "$.Payload.total" },
            "ResultPath": "$.priced",
            "OutputPath": "$.priced",
            "Next": "Ship"
        });
        let result = run(
            state,
            r#"{"order": {"id": 7, "items": 2}}"#,
            answer(r#"{"Payload": {"total": 42}}"#),
        );
        assert_eq!(result.status, "SUCCEEDED");
        assert_eq!(result.next_state.as_deref(), Some("Ship"));
        assert_eq!(stage(&result, "afterInputPath"), serde_json::json!({"id": 7, "items": 2}));
        assert_eq!(stage(&result, "afterParameters"), serde_json::json!({"id": 7}));
        assert_eq!(stage(&result, "result"), serde_json::json!({"Payload": {"total": 42}}));
        assert_eq!(stage(&result, "afterResultSelector"), serde_json::json!({"total": 42}));
        // ResultPath places the result into the state's raw input, not the InputPath selection.
        assert_eq!(
            stage(&result, "afterResultPath"),
            serde_json::json!({"order": {"id": 7, "items": 2}, "priced": {"total": 42}})
        );
        assert_eq!(stage(&result, "output"), serde_json::json!({"total": 42}));
        let output: Value = serde_json::from_str(result.output.as_deref().unwrap()).unwrap();
        assert_eq!(output, serde_json::json!({"total": 42}));
    }

    /// API Reference, TestState: "CAUGHT_ERROR" and InspectionErrorDetails.catchIndex, "the
    /// array index of the Catch which handled the exception"; the catcher's ResultPath puts the
    /// error output into the input (developer guide, "Handling errors").
    #[test]
    fn a_caught_error_names_its_catcher_and_next_state() {
        let state = serde_json::json!({
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Catch": [
                { "ErrorEquals": ["Other"], "Next": "Elsewhere" },
                { "ErrorEquals": ["Oops"], "ResultPath": "$.error", "Next": "Recover" }
            ]
        });
        let result = run(state, r#"{"a": 1}"#, throw("Oops"));
        assert_eq!(result.status, "CAUGHT_ERROR");
        assert_eq!(result.catch_index, Some(1));
        assert_eq!(result.next_state.as_deref(), Some("Recover"));
        assert_eq!(result.error.as_deref(), Some("Oops"));
        let output: Value = serde_json::from_str(result.output.as_deref().unwrap()).unwrap();
        assert_eq!(
            output,
            serde_json::json!({"a": 1, "error": {"Error": "Oops", "Cause": "it broke"}})
        );
    }

    /// API Reference, TestState: "RETRIABLE" with InspectionErrorDetails.retryIndex and
    /// retryBackoffIntervalSeconds; the state runs once, it is not retried. Developer guide,
    /// "Retrying after an error": IntervalSeconds defaults to 1, MaxDelaySeconds caps it, and a
    /// retrier with MaxAttempts 0 never retries; only the first retrier whose ErrorEquals
    /// names the error applies.
    #[test]
    fn an_error_a_retrier_matches_is_retriable_once() {
        let state = serde_json::json!({
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Retry": [
                { "ErrorEquals": ["Never"], "MaxAttempts": 0 },
                { "ErrorEquals": ["Other"] },
                { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxDelaySeconds": 10 }
            ],
            "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Recover" }]
        });
        let result = run(state.clone(), "{}", throw("Oops"));
        assert_eq!(result.status, "RETRIABLE");
        assert_eq!(result.retry_index, Some(2));
        assert_eq!(result.retry_backoff_interval_seconds, Some(10));
        assert_eq!(result.next_state.as_deref(), Some("S"));
        assert_eq!(result.output, None);
        let never = run(state, "{}", throw("Never"));
        assert_eq!((never.status.as_str(), never.catch_index), ("CAUGHT_ERROR", Some(0)));
    }

    /// API Reference, TestState: nextState "doesn't contain a value" when the state fails.
    #[test]
    fn an_unhandled_error_fails_with_no_next_state() {
        let state = serde_json::json!({
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "After"
        });
        let result = run(state, "{}", throw("Oops"));
        assert_eq!(result.status, "FAILED");
        assert_eq!(result.next_state, None);
        assert_eq!(
            (result.error.as_deref(), result.cause.as_deref()),
            (Some("Oops"), Some("it broke"))
        );
    }

    /// States Language, Choice State: the first rule that matches names the next state;
    /// Default when none matches.
    #[test]
    fn a_choice_names_the_branch_its_input_takes() {
        let state = serde_json::json!({
            "Type": "Choice",
            "Choices": [{ "Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big" }],
            "Default": "Small"
        });
        let big = run(state.clone(), r#"{"n": 11}"#, answer("{}"));
        assert_eq!(big.next_state.as_deref(), Some("Big"));
        let small = run(state, r#"{"n": 3}"#, answer("{}"));
        assert_eq!(small.next_state.as_deref(), Some("Small"));
    }

    /// Developer guide, "Transforming data with JSONata": Arguments and Output are templates over
    /// `$states.input` and `$states.result`.
    #[test]
    fn a_jsonata_state_shows_its_arguments_and_output() {
        let state = serde_json::json!({
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
            "Arguments": { "id": "{% $states.input.order.id %}" },
            "Output": "{% $states.result.total * 2 %}"
        });
        let result = run_in("JSONata", state, r#"{"order": {"id": 5}}"#, answer(r#"{"total": 4}"#));
        assert_eq!(result.status, "SUCCEEDED");
        assert_eq!(stage(&result, "afterArguments"), serde_json::json!({"id": 5}));
        assert_eq!(stage(&result, "output"), serde_json::json!(8));
    }

    #[test]
    fn a_state_going_to_itself_runs_once() {
        let state = serde_json::json!({ "Type": "Pass", "Result": 1, "Next": "S" });
        let result = run(state, "{}", answer("{}"));
        assert_eq!(result.next_state.as_deref(), Some("S"));
        assert_eq!(stage(&result, "output"), serde_json::json!(1));
    }

    #[test]
    fn bad_input_and_bad_fields_are_refused_with_their_place() {
        let state = serde_json::json!({ "Type": "Pass", "End": true });
        let task = answer("{}");
        let simulation = Simulation {
            name: "S",
            state: &state,
            query_language: "JSONPath",
            input: "{",
            task: &task,
        };
        let err = test_state(&simulation).unwrap_err();
        assert!(err.message.starts_with("the input is not JSON: EOF"), "{}", err.message);
        let broken = serde_json::json!({ "Type": "Pass", "InputPath": "$.[", "End": true });
        let simulation = Simulation { state: &broken, input: "{}", ..simulation };
        let err = test_state(&simulation).unwrap_err();
        assert!(err.message.starts_with("S cannot run: /InputPath"), "{}", err.message);
        let bad_result = answer("nope");
        let simulation = Simulation { state: &state, task: &bad_result, ..simulation };
        let err = test_state(&simulation).unwrap_err();
        assert!(err.message.starts_with("the task result is not JSON"), "{}", err.message);
    }
}
