//! Every template in assets/templates validates with no diagnostics at all and runs locally out
//! of the box: each test case of its mock configuration ends as its template.json expects.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn templates() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/templates");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("assets/templates exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
}

fn stepwise(args: &[&str]) -> (i32, Value, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_stepwise")).args(args).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (output.status.code().unwrap_or(-1), json, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn every_template_validates_cleanly_and_every_test_case_ends_as_expected() {
    let folders = templates();
    assert!(folders.len() >= 8, "the gallery has at least the eight issue #5 asks for");
    let mut failures = Vec::new();
    for folder in &folders {
        let id = folder.file_name().expect("name").to_string_lossy().into_owned();
        let file = |suffix: &str| folder.join(format!("{id}.{suffix}")).display().to_string();
        let (definition, mocks) = (file("asl.json"), file("mocks.json"));

        let (code, report, _) = stepwise(&["validate", &definition, "--json"]);
        let diagnostics = report["diagnostics"].as_array().cloned().unwrap_or_default();
        if code != 0 || !diagnostics.is_empty() {
            failures.push(format!("{id}: validate exited {code} with {diagnostics:?}"));
        }

        let meta: Value = serde_json::from_str(
            &std::fs::read_to_string(folder.join("template.json")).expect("template.json"),
        )
        .expect("template.json is JSON");
        assert!(meta["name"].is_string() && meta["description"].is_string(), "{id}: meta");
        let cases = meta["testCases"].as_object().expect("testCases");
        assert!(!cases.is_empty(), "{id}: at least one test case");
        for (case, expected) in cases {
            let input = match expected.get("input") {
                Some(custom) => {
                    let path = std::env::temp_dir()
                        .join(format!("stepwise-template-{id}-{case}-{}.json", std::process::id()));
                    std::fs::write(&path, custom.to_string()).expect("write input");
                    path.display().to_string()
                }
                None => file("input.json"),
            };
            let args = [
                "run",
                &definition,
                "--input-file",
                &input,
                "--mock-config",
                &mocks,
                "--test-case",
                case,
                "--json",
            ];
            let (code, run, stderr) = stepwise(&args);
            let matches = code == 0
                && run["status"] == expected["status"]
                && (expected.get("error").is_none() || run["error"] == expected["error"]);
            if !matches {
                failures.push(format!(
                    "{id}/{case}: expected {expected}, got exit {code}: status {} error {} {stderr}",
                    run["status"], run["error"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "templates that do not hold:\n{}", failures.join("\n"));
}
