//! `stepwise run DEFINITION --redrive PREVIOUS.json`: redriving what `stepwise run --json`
//! printed for an unsuccessful execution (developer guide, "Restarting state machine executions
//! with redrive in Step Functions").

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-redrive-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `Charge` fails in test case `fails` and succeeds in `works`.
fn write_machine(dir: &Path) -> PathBuf {
    let def = dir.join("order.asl.json");
    let machine = json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
    std::fs::write(&def, machine.to_string()).expect("write");
    let mocks = json!({
        "StateMachines": {"order": {"TestCases": {
            "fails": {"Charge": "Boom"}, "works": {"Charge": "Paid"}}}},
        "MockedResponses": {
            "Boom": {"0": {"Throw": {"Error": "Card.Declined", "Cause": "no funds"}}},
            "Paid": {"0": {"Return": {"paid": true}}}}
    });
    std::fs::write(dir.join("mocks.json"), mocks.to_string()).expect("write");
    def
}

fn stepwise(dir: &Path, def: &Path, case: &str, redrive: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stepwise"));
    cmd.arg("run").arg(def).arg("--json");
    cmd.arg("--mock-config").arg(dir.join("mocks.json")).arg("--test-case").arg(case);
    if let Some(previous) = redrive {
        cmd.arg("--redrive").arg(previous);
    }
    cmd.output().expect("the binary runs")
}

fn record(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// Runs the machine once with test case `case` and keeps its `--json` record in
/// `previous-run.json`: the directory, the definition, the record's path and the run.
fn first_attempt(name: &str, case: &str) -> (PathBuf, PathBuf, PathBuf, Output) {
    let dir = temp_dir(name);
    let def = write_machine(&dir);
    let first = stepwise(&dir, &def, case, None);
    let previous = dir.join("previous-run.json");
    std::fs::write(&previous, &first.stdout).expect("write");
    (dir, def, previous, first)
}

#[test]
fn a_failed_run_is_redriven_from_its_json_record() {
    let (dir, def, previous, first) = first_attempt("failed", "fails");
    let first = record(&first);
    assert_eq!(first["status"], "FAILED");

    let again = record(&stepwise(&dir, &def, "works", Some(&previous)));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(again["status"], "SUCCEEDED", "{again}");
    assert_eq!(again["output"], json!({"paid": true}));
    let events = again["events"].as_array().expect("events");
    let n = first["events"].as_array().expect("events").len();
    assert_eq!(events[..n], first["events"].as_array().expect("events")[..], "history kept");
    assert_eq!(events[n]["type"], "ExecutionRedriven");
    assert_eq!(events[n]["executionRedrivenEventDetails"]["redriveCount"], 1);
    assert_eq!(events[n + 1]["stateEnteredEventDetails"]["name"], "Charge", "Prepare not rerun");
}

#[test]
fn a_succeeded_run_is_refused_with_aws_reason() {
    let (dir, def, previous, _) = first_attempt("succeeded", "works");
    let out = stepwise(&dir, &def, "works", Some(&previous));
    let _ = std::fs::remove_dir_all(&dir);
    assert_ne!(out.status.code(), Some(0), "a refused redrive is a usage error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Execution is SUCCEEDED and cannot be redriven"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout");
}

#[test]
fn a_failed_distributed_map_redrives_only_its_failed_children() {
    // Developer guide, "Redriving Map Runs": redriving the parent workflow redrives "all the
    // unsuccessful child workflow executions in the Map Run". The mock answers by invocation:
    // the first attempt's children get "a", Boom, "c"; the redrive's test case has one answer,
    // so re-running more than the failed child would fail.
    let dir = temp_dir("distributed");
    let def = dir.join("each.asl.json");
    let machine = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work", "States": {"Work": {"Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}});
    std::fs::write(&def, machine.to_string()).expect("write");
    let mocks = json!({
        "StateMachines": {"each": {"TestCases": {"flaky": {"Work": "Flaky"}, "once": {"Work": "B"}}}},
        "MockedResponses": {
            "Flaky": {"0": {"Return": "a"}, "1": {"Throw": {"Error": "Boom"}}, "2": {"Return": "c"}},
            "B": {"0": {"Return": "b"}}}
    });
    std::fs::write(dir.join("mocks.json"), mocks.to_string()).expect("write");
    let input = dir.join("input.json");
    std::fs::write(&input, "[1, 2, 3]").expect("write");
    let run = |case: &str, redrive: Option<&Path>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_stepwise"));
        cmd.arg("run").arg(&def).arg("--json");
        cmd.arg("--mock-config").arg(dir.join("mocks.json")).arg("--test-case").arg(case);
        match redrive {
            Some(previous) => cmd.arg("--redrive").arg(previous),
            None => cmd.arg("--input-file").arg(&input),
        };
        cmd.output().expect("the binary runs")
    };
    let first = run("flaky", None);
    let previous = dir.join("previous-run.json");
    std::fs::write(&previous, &first.stdout).expect("write");
    let first = record(&first);
    assert_eq!(first["status"], "FAILED");
    assert_eq!(first["mapRuns"][0]["executionCounts"]["failed"], 1);

    let again = record(&run("once", Some(&previous)));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(again["status"], "SUCCEEDED", "{again}");
    assert_eq!(again["output"], json!(["a", "b", "c"]));
    let redriven = again["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["type"] == "MapRunRedriven")
        .expect("a MapRunRedriven event");
    assert_eq!(redriven["mapRunRedrivenEventDetails"]["redriveCount"], 1);
    assert_eq!(again["mapRuns"][0]["executionCounts"]["succeeded"], 3);
    assert_eq!(again["mapRuns"][0]["redriveCount"], 1);
}
