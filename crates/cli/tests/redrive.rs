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
