//! `stepwise validate` through the binary: the --json contract of shared/conformance/FORMAT.md,
//! the exit codes and the compiler-style output.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// Writes `text` to a file of this name in a directory of its own under the system temp dir.
fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-cli-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stepwise")).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_output_holds_to_the_contract_and_errors_exit_1() {
    let path = write(
        "broken.asl.json",
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"},\n    \"Done\": {\"Type\": \"Succeed\"}\n  }\n}\n",
    );
    let (code, stdout, _) = run(&["validate", path.to_str().expect("utf-8 path"), "--json"]);
    assert_eq!(code, 1, "an error exits 1");
    let out: Value = serde_json::from_str(stdout.trim()).expect("one JSON object");
    let object = out.as_object().expect("an object");
    assert_eq!(object.keys().collect::<Vec<_>>(), vec!["diagnostics"], "exactly {{diagnostics}}");
    let first = &out["diagnostics"][0];
    let keys: Vec<&String> = first.as_object().expect("an object").keys().collect();
    assert_eq!(keys, vec!["severity", "code", "message", "path", "range"]);
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "SW201");
    assert_eq!(first["path"], "/States/A/Next");
    assert_eq!(first["range"]["start"], serde_json::json!({"line": 3, "column": 34}));
    assert_eq!(first["range"]["end"], serde_json::json!({"line": 3, "column": 37}));
}

#[test]
fn warnings_only_exit_0_and_yaml_is_read() {
    let path = write(
        "ok.asl.yaml",
        "StartAt: T\nStates:\n  T:\n    Type: Task\n    Resource: arn:aws:states:::sqs:sendMessage\n    End: true\n",
    );
    let (code, stdout, _) = run(&["validate", path.to_str().expect("utf-8 path"), "--json"]);
    assert_eq!(code, 0, "{stdout}");
    let out: Value = serde_json::from_str(stdout.trim()).expect("JSON");
    let diagnostics = out["diagnostics"].as_array().expect("an array");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["severity"], "warning");
    assert_eq!(diagnostics[0]["code"], "SW800");
}

#[test]
fn express_refuses_sync_integrations() {
    let path = write(
        "sync.asl.json",
        r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::ecs:runTask.sync","TimeoutSeconds":60,"End":true}}}"#,
    );
    let path = path.to_str().expect("utf-8 path");
    assert_eq!(run(&["validate", path, "--json"]).0, 0);
    let (code, stdout, _) = run(&["validate", path, "--type", "EXPRESS", "--json"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("\"SW700\""), "{stdout}");
    assert_eq!(run(&["validate", path, "--type", "BOTH"]).0, 2, "a usage error");
}

#[test]
fn the_default_output_reads_like_a_compiler() {
    let path = write(
        "typo.asl.json",
        "{\"StartAt\": \"Frist\", \"States\": {\"First\": {\"Type\": \"Succeed\"}}}\n",
    );
    let (code, stdout, _) = run(&["validate", path.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    assert!(stdout.contains("error[SW200]: StartAt \"Frist\" is not a state of this machine; did you mean \"First\"?"), "{stdout}");
    assert!(stdout.contains("typo.asl.json:1:13"), "{stdout}");
    assert!(stdout.contains("1 | {\"StartAt\": \"Frist\""), "{stdout}");
    assert!(stdout.contains("  |             ^^^^^^^"), "{stdout}");
    assert!(stdout.contains("= help:"), "{stdout}");
}

#[test]
fn binary_garbage_is_a_diagnostic_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("stepwise-cli-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("garbage.asl.json");
    std::fs::write(&path, [0xff_u8, 0xfe, 0x00, 0x12, 0x80]).expect("written");
    let (code, stdout, _) = run(&["validate", path.to_str().expect("utf-8 path"), "--json"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("\"SW005\""), "{stdout}");
}
