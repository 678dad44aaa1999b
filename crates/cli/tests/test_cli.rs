//! `stepwise test` through the built binary: test cases of a mock configuration (AWS Step
//! Functions Local format) against an expectations file, the readable report, the exit code and
//! the JUnit XML.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn temp_dir(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("stepwise-test-cmd-{}-{n}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, file: &str, v: &Value) -> PathBuf {
    let p = dir.join(file);
    std::fs::write(&p, serde_json::to_string_pretty(v).expect("json")).expect("write");
    p
}

/// A Task that may fail and is caught, so the mocks decide the path.
fn definition() -> Value {
    json!({
        "StartAt": "Charge",
        "States": {
            "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
                "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refused"}],
                "Next": "Done"},
            "Done": {"Type": "Succeed"},
            "Refused": {"Type": "Fail", "Error": "PaymentRefused", "Cause": "the card was refused"}
        }
    })
}

fn mocks() -> Value {
    json!({
        "StateMachines": {"orders": {"TestCases": {
            "HappyPath": {"Charge": "ChargeOk"},
            "RetryThenOk": {"Charge": "BusyThenOk"},
            "Refused": {"Charge": "ChargeRefused"}
        }}},
        "MockedResponses": {
            "ChargeOk": {"0": {"Return": {"charged": 42}}},
            "BusyThenOk": {"0": {"Throw": {"Error": "Busy", "Cause": "try later"}}, "1": {"Return": {"charged": 7}}},
            "ChargeRefused": {"0": {"Throw": {"Error": "CardDeclined", "Cause": "no funds"}}}
        }
    })
}

fn stepwise(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .arg("test")
        .args(args)
        .output()
        .expect("run stepwise")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn every_test_case_meets_its_expectations() {
    let dir = temp_dir("pass");
    let def = write(&dir, "orders.asl.json", &definition());
    let mock = write(&dir, "MockConfigFile.json", &mocks());
    // Found by default beside the mock configuration.
    write(
        &dir,
        "MockConfigFile.expect.json",
        &json!({
            "Input": {"order": 1},
            "TestCases": {
                "HappyPath": {"Status": "SUCCEEDED", "Output": {"charged": 42}, "Path": ["Charge", "Done"]},
                "RetryThenOk": {"Status": "SUCCEEDED", "Output": {"charged": 7}},
                "Refused": {"Status": "FAILED", "Error": "PaymentRefused", "CauseRegex": "^the card", "Path": ["Charge", "Refused"]}
            }
        }),
    );
    let junit = dir.join("junit.xml");
    let out = stepwise(&[
        def.as_os_str(),
        "--mock-config".as_ref(),
        mock.as_os_str(),
        "--junit".as_ref(),
        junit.as_os_str(),
    ]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("PASS  HappyPath"), "{t}");
    assert!(t.contains("PASS  Refused"), "{t}");
    assert!(t.contains("3 passed, 0 failed"), "{t}");
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<testsuite name=\"orders\" tests=\"3\" failures=\"0\""), "{xml}");
    assert!(xml.contains("<testcase name=\"RetryThenOk\" classname=\"orders\""), "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
}

#[test]
fn unmet_expectations_fail_with_a_readable_report_and_junit_failures() {
    let dir = temp_dir("fail");
    let def = write(&dir, "orders.asl.json", &definition());
    let mock = write(&dir, "mocks.json", &mocks());
    let expect = write(
        &dir,
        "elsewhere.json",
        &json!({
            "StateMachine": "orders",
            "TestCases": {
                "HappyPath": {"Status": "SUCCEEDED", "Output": {"charged": 41}},
                "Refused": {"Status": "FAILED", "Error": "CardDeclined", "CauseRegex": "timeout <&>"},
                "Ghost": {"Status": "SUCCEEDED"}
            }
        }),
    );
    let junit = dir.join("out.xml");
    let out = stepwise(&[
        def.as_os_str(),
        "--mock-config".as_ref(),
        mock.as_os_str(),
        "--expectations".as_ref(),
        expect.as_os_str(),
        "--junit".as_ref(),
        junit.as_os_str(),
    ]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("FAIL  HappyPath"), "{t}");
    assert!(t.contains("output: expected {\"charged\":41}, got {\"charged\":42}"), "{t}");
    assert!(t.contains("error: expected \"CardDeclined\", got \"PaymentRefused\""), "{t}");
    assert!(t.contains("does not match /timeout <&>/"), "{t}");
    assert!(t.contains("FAIL  RetryThenOk") && t.contains("no expectations"), "{t}");
    assert!(t.contains("FAIL  Ghost"), "an expectation for an unknown test case fails: {t}");
    assert!(t.contains("0 passed, 4 failed"), "{t}");
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(xml.contains("failures=\"4\""), "{xml}");
    assert!(xml.contains("timeout &lt;&amp;&gt;"), "escaped: {xml}");
}

#[test]
fn a_malformed_expectations_file_is_a_located_usage_error() {
    let dir = temp_dir("bad");
    let def = write(&dir, "orders.asl.json", &definition());
    let mock = write(&dir, "MockConfigFile.json", &mocks());
    write(
        &dir,
        "MockConfigFile.expect.json",
        &json!({"TestCases": {"HappyPath": {"Status": "DONE"}}}),
    );
    let out = stepwise(&[def.as_os_str(), "--mock-config".as_ref(), mock.as_os_str()]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("/TestCases/HappyPath/Status"), "{t}");
}

#[test]
fn the_help_documents_the_expectations_format() {
    let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(["test", "--help"])
        .output()
        .expect("run stepwise");
    let t = text(&out);
    assert!(
        t.contains("EXPECTATIONS FILE") && t.contains("CauseRegex") && t.contains("--junit"),
        "{t}"
    );
}
