//! Workflow variables beyond the case format: the `assignedVariables` shape of StateExited
//! events (AWS API Reference, `StateExitedEventDetails`) and the trace the debugger shows.

use serde_json::{Value, json};
use stepwise_interp::{Options, Ports, Status, run};

fn exited(events: &Value, state: &str) -> Value {
    events
        .as_array()
        .expect("events")
        .iter()
        .find(|e| {
            e["type"].as_str().is_some_and(|t| t.ends_with("StateExited"))
                && e["stateExitedEventDetails"]["name"] == state
        })
        .map(|e| e["stateExitedEventDetails"].clone())
        .expect("the state exited")
}

#[test]
fn state_exited_carries_assigned_variables_as_json_text() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"n": 1, "s": "t", "o.$": "$.o"}, "Next": "B"},
        "B": {"Type": "Pass", "End": true}}});
    let exec = run(&definition, json!({"o": {"k": [1, 2]}}), Options::default(), Ports::default())
        .expect("compiles");
    assert_eq!(exec.status, Status::Succeeded, "{:?}", exec.failure);
    let events = exec.events_json();
    let a = exited(&events, "A");
    assert_eq!(
        a["assignedVariables"],
        json!({"n": "1", "s": "\"t\"", "o": "{\"k\":[1,2]}"}),
        "each value is JSON text, like output"
    );
    assert_eq!(a["assignedVariablesDetails"], json!({"truncated": false}));
    let b = exited(&events, "B");
    assert!(b.get("assignedVariables").is_none(), "a state without Assign has none: {b}");
    assert!(b.get("assignedVariablesDetails").is_none());
}

#[test]
fn catcher_assign_is_what_the_caught_state_reports() {
    let definition = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Assign": {"fromState": 1},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err.$": "$.Error"},
                         "Next": "H"}], "End": true},
        "H": {"Type": "Pass", "End": true}}});
    let mocks = stepwise_interp::mock::MockConfig::parse(&json!({
        "StateMachines": {"sm": {"TestCases": {"t": {"T": "M"}}}},
        "MockedResponses": {"M": {"0": {"Throw": {"Error": "Boom", "Cause": "c"}}}}
    }))
    .expect("mocks");
    let ports =
        Ports { tasks: Box::new(mocks.invoker("sm", "t").expect("case")), ..Ports::default() };
    let options = Options { state_machine_name: "sm".into(), ..Options::default() };
    let exec = run(&definition, json!({}), options, ports).expect("compiles");
    assert_eq!(exec.status, Status::Succeeded, "{:?}", exec.failure);
    let t = exited(&exec.events_json(), "T");
    assert_eq!(t["assignedVariables"], json!({"err": "\"Boom\""}));
}

#[test]
fn trace_records_assignments_and_the_variables_before_and_after() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"a": 1, "b": 2}, "Next": "Swap"},
        "Swap": {"Type": "Pass", "Assign": {"a.$": "$b", "b.$": "$a"}, "Next": "Plain"},
        "Plain": {"Type": "Pass", "End": true}}});
    let exec = run(&definition, json!({}), Options::default(), Ports::default()).expect("compiles");
    assert_eq!(exec.status, Status::Succeeded, "{:?}", exec.failure);
    let swap = exec.traces.iter().find(|t| &*t.state == "Swap").expect("visited").to_json();
    assert_eq!(swap["assignedVariables"], json!({"a": 2, "b": 1}));
    assert_eq!(swap["variablesBefore"], json!({"a": 1, "b": 2}));
    assert_eq!(swap["variablesAfter"], json!({"a": 2, "b": 1}));
    let plain = exec.traces.iter().find(|t| &*t.state == "Plain").expect("visited").to_json();
    assert!(plain.get("assignedVariables").is_none());
}

#[test]
fn result_path_naming_a_variable_is_refused_when_compiling() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "ResultPath": "$x", "End": true}}});
    let e = run(&definition, json!({}), Options::default(), Ports::default()).expect_err("refused");
    assert_eq!(e.pointer, "/States/A/ResultPath");
}

#[test]
fn variables_do_not_leak_between_runs_of_one_plan() {
    let definition = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$seen", "IsPresent": true, "Next": "Again"}],
              "Default": "First", "Assign": {"seen": true}},
        "First": {"Type": "Pass", "Result": "first", "End": true},
        "Again": {"Type": "Pass", "Result": "again", "End": true}}});
    // `$seen` is undefined in a fresh run: the Choice fails with States.Runtime every time.
    let plan = stepwise_interp::compile(&definition).expect("compiles");
    for _ in 0..2 {
        let exec = stepwise_interp::run_plan(
            &plan,
            stepwise_interp::Data::from(json!({})),
            Options::default(),
            Ports::default(),
        );
        assert_eq!(exec.status, Status::Failed);
        assert_eq!(exec.failure.and_then(|f| f.error).as_deref(), Some("States.Runtime"));
    }
}
