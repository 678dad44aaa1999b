//! Redriving unsuccessful executions (developer guide, "Restarting state machine executions with
//! redrive in Step Functions"; API reference, RedriveExecution and DescribeExecution's
//! `redriveStatusReason`): the first attempt fails with a mocked task error, the redrive answers
//! the task and continues from the point of failure.

use serde_json::{Value, json};
use stepwise_interp::mock::MockConfig;
use stepwise_interp::redrive::{PreviousRun, RedriveError, redrive};
use stepwise_interp::{Execution, Options, Ports, Status, compile, run};

/// Ports whose Task states named in `tasks` return (`Some`) or throw `Boom` (`None`), at every
/// invocation.
fn ports(tasks: &[(&str, Option<Value>)]) -> Ports {
    let mut cases = serde_json::Map::new();
    let mut responses = serde_json::Map::new();
    for (i, (state, answer)) in tasks.iter().enumerate() {
        let name = format!("R{i}");
        cases.insert((*state).into(), Value::from(name.as_str()));
        let response = match answer {
            Some(v) => json!({"Return": v}),
            None => json!({"Throw": {"Error": "Boom", "Cause": "the task failed"}}),
        };
        responses.insert(name, json!({"0-99": response}));
    }
    let config = MockConfig::parse(&json!({
        "StateMachines": {"sm": {"TestCases": {"t": cases}}},
        "MockedResponses": responses
    }))
    .expect("valid mocks");
    Ports { tasks: Box::new(config.invoker("sm", "t").expect("test case")), ..Ports::default() }
}

fn options() -> Options {
    Options { state_machine_name: "sm".into(), ..Options::default() }
}

fn first_attempt(definition: &Value, input: Value, tasks: &[(&str, Option<Value>)]) -> Execution {
    run(definition, input, options(), ports(tasks)).expect("compiles")
}

fn redriven(
    definition: &Value,
    previous: &Execution,
    tasks: &[(&str, Option<Value>)],
) -> Result<Execution, RedriveError> {
    let plan = compile(definition).expect("compiles");
    let record = PreviousRun::from_json(&previous.record_json())?;
    redrive(&plan, &record, options(), ports(tasks))
}

fn types(exec: &Execution) -> Vec<&str> {
    exec.events.iter().map(|e| e.event_type).collect()
}

/// The names of the states entered after the `ExecutionRedriven` event.
fn entered_after_redrive(exec: &Execution) -> Vec<String> {
    let events = exec.events_json();
    let all = events.as_array().expect("events");
    let start =
        all.iter().rposition(|e| e["type"] == "ExecutionRedriven").expect("a redriven history");
    all[start..]
        .iter()
        .filter_map(|e| e["stateEnteredEventDetails"]["name"].as_str().map(str::to_owned))
        .collect()
}

fn pass_then_task() -> Value {
    json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.prepared",
            "Assign": {"stage": "prepared"}, "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "ResultPath": "$.charge", "Next": "Report"},
        "Report": {"Type": "Pass", "End": true, "Parameters": {
            "count.$": "$$.Execution.RedriveCount", "time.$": "$$.Execution.RedriveTime",
            "started.$": "$$.Execution.StartTime", "stage.$": "$stage", "charge.$": "$.charge"}}
    }})
}

#[test]
fn a_failed_task_is_rerun_and_the_states_before_it_are_not() {
    // "If your workflow execution fails at the Task state, and you redrive the execution, the
    // execution reschedules and then reruns the Task state"; "Step Functions preserves the
    // results and execution history of the successful steps, which are not rerun".
    let def = pass_then_task();
    let first = first_attempt(&def, json!({"order": 7}), &[("Charge", None)]);
    assert_eq!(first.status, Status::Failed);
    let again = redriven(&def, &first, &[("Charge", Some(json!({"paid": true})))])
        .expect("a FAILED execution is redrivable");
    assert_eq!(again.status, Status::Succeeded, "{:?}", again.failure);
    // The earlier history is kept, then ExecutionRedriven, then the re-run.
    let n = first.events.len();
    let (before, after) = (first.events_json(), again.events_json());
    assert_eq!(before.as_array().expect("events")[..], after.as_array().expect("events")[..n]);
    assert_eq!(types(&again)[n], "ExecutionRedriven");
    let redriven_event = &again.events_json()[n];
    assert_eq!(redriven_event["executionRedrivenEventDetails"]["redriveCount"], 1);
    assert_eq!(redriven_event["previousEventId"], n as u64);
    assert_eq!(entered_after_redrive(&again), ["Charge", "Report"], "Prepare is not rerun");
    // The Task state is re-entered with the input it had.
    let entered = |e: &Execution| {
        e.events_json()
            .as_array()
            .expect("events")
            .iter()
            .filter(|e| e["stateEnteredEventDetails"]["name"] == "Charge")
            .map(|e| e["stateEnteredEventDetails"]["input"].clone())
            .collect::<Vec<_>>()
    };
    let inputs = entered(&again);
    assert_eq!(inputs.len(), 2, "entered once per attempt");
    assert_eq!(inputs[0], inputs[1], "the failed state is re-entered with its original input");
    let out = again.output_value().expect("output");
    assert_eq!(out["charge"], json!({"paid": true}));
    assert_eq!(out["stage"], "prepared", "variables the earlier states assigned are restored");
}

#[test]
fn the_context_object_gives_redrive_count_and_time() {
    // Context object: "RedriveCount": Number, "RedriveTime": "Format: ISO 8601"; "RedriveTime
    // Context object is only available if you've redriven an execution".
    let def = pass_then_task();
    let first = first_attempt(&def, json!({}), &[("Charge", None)]);
    let second = redriven(&def, &first, &[("Charge", None)]).expect("redrivable");
    assert_eq!(second.status, Status::Failed);
    let third = redriven(&def, &second, &[("Charge", Some(json!(1)))]).expect("redrivable again");
    let out = third.output_value().expect("output");
    assert_eq!(out["count"], 2, "the second redrive");
    assert_eq!(out["started"], "2024-01-01T00:00:00.000Z", "StartTime stays the original");
    assert!(out["time"].as_str().is_some_and(|t| t.ends_with('Z')), "{out}");
    let counts: Vec<u64> = third
        .events_json()
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["executionRedrivenEventDetails"]["redriveCount"].as_u64())
        .collect();
    assert_eq!(counts, [1, 2]);
}

#[test]
fn aws_refusals_are_modelled() {
    let done = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let ok = first_attempt(&done, json!({}), &[]);
    assert_eq!(ok.status, Status::Succeeded);
    let refused = redriven(&done, &ok, &[]).expect_err("SUCCEEDED is not redrivable");
    assert_eq!(
        refused,
        RedriveError::NotRedrivable("Execution is SUCCEEDED and cannot be redriven".into())
    );
    let def = pass_then_task();
    let failed = first_attempt(&def, json!({}), &[("Charge", None)]);
    let plan = compile(&def).expect("compiles");
    let record = PreviousRun::from_json(&failed.record_json()).expect("a record");
    // "This API action is not supported by EXPRESS state machines."
    let express = Options { express: true, ..options() };
    assert!(matches!(
        redrive(&plan, &record, express, Ports::default()),
        Err(RedriveError::NotRedrivable(r)) if r.contains("EXPRESS")
    ));
    // "The workflow execution hasn't exceeded the redrivable period of 14 days."
    let late = Options {
        start_time_ms: Options::default().start_time_ms + 15 * 24 * 3600 * 1000,
        ..options()
    };
    assert_eq!(
        redrive(&plan, &record, late, Ports::default()).err(),
        Some(RedriveError::NotRedrivable("Execution redrivable period exceeded".into()))
    );
    // "The execution event history count is less than 24,999."
    let mut small = options();
    small.limits.max_history_events = failed.events.len();
    assert_eq!(
        redrive(&plan, &record, small, Ports::default()).err(),
        Some(RedriveError::NotRedrivable("Execution history event limit exceeded".into()))
    );
}

#[test]
fn a_fail_state_is_reentered_and_fails_again() {
    // Redrive behavior of individual states, Fail: "Reenters the Fail state and fails again."
    let def = json!({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Next": "F"},
        "F": {"Type": "Fail", "Error": "Nope", "Cause": "always"}}});
    let first = first_attempt(&def, json!({}), &[]);
    let again = redriven(&def, &first, &[]).expect("redrivable");
    assert_eq!(again.status, Status::Failed);
    assert_eq!(again.failure.and_then(|f| f.error).as_deref(), Some("Nope"));
}

#[test]
fn a_timed_out_execution_gets_its_timeout_afresh() {
    // "When you redrive an execution, the state machine level timeout, if defined, is reset to 0."
    let def = json!({"TimeoutSeconds": 60, "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 50, "Next": "X"},
        "X": {"Type": "Wait", "Seconds": 50, "End": true}}});
    let first = first_attempt(&def, json!({}), &[]);
    assert_eq!(first.status, Status::TimedOut);
    let again = redriven(&def, &first, &[]).expect("TIMED_OUT is redrivable");
    assert_eq!(again.status, Status::Succeeded, "{:?}", again.failure);
    assert_eq!(entered_after_redrive(&again), ["X"], "the Wait that finished is not rerun");
}

#[test]
fn only_the_failed_parallel_branch_is_rerun() {
    // Parallel: "Reschedules and redrives only those branches that failed or aborted."
    let def = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true,
    "Branches": [
        {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "Result": "left", "End": true}}},
        {"StartAt": "RightPrep", "States": {
            "RightPrep": {"Type": "Pass", "Result": "prep", "Next": "Right"},
            "Right": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
    ]}}});
    let first = first_attempt(&def, json!({}), &[("Right", None)]);
    assert_eq!(first.status, Status::Failed);
    let again = redriven(&def, &first, &[("Right", Some(json!("right")))]).expect("redrivable");
    assert_eq!(again.status, Status::Succeeded, "{:?}", again.failure);
    assert_eq!(again.output_value(), Some(json!(["left", "right"])));
    assert_eq!(
        entered_after_redrive(&again),
        ["Both", "Right"],
        "the Parallel is re-entered; Left and RightPrep are not rerun"
    );
    let right_input = again
        .events_json()
        .as_array()
        .expect("events")
        .iter()
        .rev()
        .find(|e| e["stateEnteredEventDetails"]["name"] == "Right")
        .map(|e| e["stateEnteredEventDetails"]["input"].clone());
    assert_eq!(right_input, Some(json!("\"prep\"")), "Right gets what RightPrep gave it");
}

#[test]
fn only_the_unsuccessful_inline_map_iterations_are_rerun() {
    // Inline Map: "Reschedules and redrives only those iterations that failed or aborted."
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Check",
            "States": {"Check": {"Type": "Choice",
                "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Work"}],
                "Default": "Done"},
                "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true},
                "Done": {"Type": "Pass", "End": true}}}}}});
    let first = first_attempt(&def, json!([1, 2, 3]), &[("Work", None)]);
    assert_eq!(first.status, Status::Failed);
    let again = redriven(&def, &first, &[("Work", Some(json!("two")))]).expect("redrivable");
    assert_eq!(again.status, Status::Succeeded, "{:?}", again.failure);
    assert_eq!(again.output_value(), Some(json!([1, "two", 3])));
    // Iteration 0 succeeded and is kept; iteration 1 is redriven at Work (its Choice had exited);
    // iteration 2 never started and runs from its start.
    assert_eq!(entered_after_redrive(&again), ["Each", "Work", "Check", "Done"]);
    let started: Vec<u64> = again
        .events_json()
        .as_array()
        .expect("events")
        .iter()
        .skip(first.events.len())
        .filter_map(|e| e["mapIterationStartedEventDetails"]["index"].as_u64())
        .collect();
    assert_eq!(started, [1, 2]);
}

#[test]
fn a_parallel_inside_a_map_iteration_is_redriven_branch_by_branch() {
    // Both rules at once: only the failed iteration, and inside it only the failed branch.
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
    "MaxConcurrency": 1,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Fork", "States": {
        "Fork": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Wait1", "States": {"Wait1": {"Type": "Wait", "Seconds": 5, "End": true}}},
            {"StartAt": "Pick", "States": {
                "Pick": {"Type": "Choice", "Default": "Easy",
                    "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "Hard"}]},
                "Easy": {"Type": "Pass", "End": true},
                "Hard": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
        ]}}}}}});
    let first = first_attempt(&def, json!([0, 1, 2]), &[("Hard", None)]);
    assert_eq!(first.status, Status::Failed);
    let again = redriven(&def, &first, &[("Hard", Some(json!("done")))]).expect("redrivable");
    assert_eq!(again.status, Status::Succeeded, "{:?}", again.failure);
    assert_eq!(again.output_value(), Some(json!([[0, 0], [1, "done"], [2, 2]])));
    assert_eq!(
        entered_after_redrive(&again),
        ["Each", "Fork", "Hard", "Fork", "Wait1", "Pick", "Easy"],
        "iteration 0 kept; in iteration 1 only the branch of Hard; iteration 2 from its start"
    );
}

#[test]
fn jsonata_states_read_the_redrive_count_and_their_variables() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"who": "{% $states.input.name %}"}, "Next": "Call"},
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Say"},
        "Say": {"Type": "Pass", "End": true,
            "Output": "{% {'who': $who, 'redrives': $states.context.Execution.RedriveCount} %}"}}});
    let first = first_attempt(&def, json!({"name": "ada"}), &[("Call", None)]);
    assert_eq!(first.status, Status::Failed);
    let again = redriven(&def, &first, &[("Call", Some(json!({})))]).expect("redrivable");
    assert_eq!(again.output_value(), Some(json!({"who": "ada", "redrives": 1})));
}

/// Stops the execution (ABORTED) before the named state runs.
struct AbortBefore(&'static str);

impl stepwise_interp::ports::Observer for AbortBefore {
    fn before_state(
        &mut self,
        state: &str,
        _input: &stepwise_interp::value::Payload,
        _depth: usize,
    ) -> stepwise_interp::ports::Control {
        if state == self.0 {
            stepwise_interp::ports::Control::Abort
        } else {
            stepwise_interp::ports::Control::Continue
        }
    }
}

#[test]
fn a_run_stopped_right_after_a_catch_resumes_at_the_catchers_next_state() {
    // RedriveExecution "continues the failed execution from the unsuccessful step" and does not
    // rerun the successful ones. Charge ended through its Catcher ("When the error name appears
    // in the value of a catcher's ErrorEquals field, the state machine transitions to the state
    // named in the Next field", developer guide, error handling), so the step that never ran is
    // that Catcher's Next, entered with the Catcher's output.
    let def = json!({"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Catch": [
                {"ErrorEquals": ["Other"], "Next": "Report"},
                {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}],
            "Next": "Report"},
        "Recover": {"Type": "Pass", "End": true},
        "Report": {"Type": "Pass", "Result": "reported", "End": true}}});
    let mut ports = ports(&[("Charge", None)]);
    ports.observer = Box::new(AbortBefore("Recover"));
    let first = run(&def, json!({"order": 7}), options(), ports).expect("compiles");
    assert_eq!(first.status, Status::Aborted);
    let again = redriven(&def, &first, &[]).expect("ABORTED is redrivable");
    assert_eq!(again.status, Status::Succeeded, "{:?}", again.failure);
    assert_eq!(entered_after_redrive(&again), ["Recover"], "not Charge's own Next");
    assert_eq!(
        again.output_value(),
        Some(json!({"order": 7, "error": {"Error": "Boom", "Cause": "the task failed"}}))
    );
}

#[test]
fn a_caught_parallel_is_matched_to_its_catcher_by_the_error_it_wrote() {
    // As above, for a Parallel whose failure event names no error: the Catcher is the one whose
    // ErrorEquals matches the `Error` it wrote at its ResultPath.
    let def = json!({"StartAt": "Fan", "States": {
        "Fan": {"Type": "Parallel", "Next": "Report",
            "Branches": [{"StartAt": "No", "States": {
                "No": {"Type": "Fail", "Error": "Nope", "Cause": "always"}}}],
            "Catch": [
                {"ErrorEquals": ["Other"], "ResultPath": "$.error", "Next": "Report"},
                {"ErrorEquals": ["Nope"], "ResultPath": "$.error", "Next": "Recover"}]},
        "Recover": {"Type": "Pass", "End": true},
        "Report": {"Type": "Pass", "End": true}}});
    let ports = Ports { observer: Box::new(AbortBefore("Recover")), ..Ports::default() };
    let first = run(&def, json!({}), options(), ports).expect("compiles");
    assert_eq!(first.status, Status::Aborted);
    let again = redriven(&def, &first, &[]).expect("ABORTED is redrivable");
    assert_eq!(entered_after_redrive(&again), ["Recover"]);
    assert_eq!(again.output_value(), Some(json!({"error": {"Error": "Nope", "Cause": "always"}})));
}
