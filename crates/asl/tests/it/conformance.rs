//! Runs every validation case of tests/conformance/validate (shared/conformance/FORMAT.md):
//! an invalid case passes when some error diagnostic points at or inside one of its
//! expected_paths; a valid case passes when there is no error diagnostic.

use serde_json::Value;
use stepwise_asl::{Format, Options, Severity, WorkflowType, check};

use crate::{files, tests_dir};

fn inside(path: &str, expected: &str) -> bool {
    path == expected || path.starts_with(&format!("{expected}/")) || expected.is_empty()
}

#[test]
fn every_validation_case_holds() {
    let dir = tests_dir().join("conformance/validate");
    let cases = files(&dir, &[".json"]);
    assert!(cases.len() >= 50, "expected the validation corpus in {}", dir.display());
    let mut failures = Vec::new();
    for file in &cases {
        let text = std::fs::read_to_string(file).expect("a readable case");
        let case: Value = serde_json::from_str(&text).expect("a JSON case");
        let name = file.strip_prefix(&dir).unwrap_or(file).display().to_string();
        for field in ["name", "definition", "type", "expected_valid", "expected_paths", "source"] {
            assert!(case.get(field).is_some(), "{name}: the case has no \"{field}\"");
        }
        let definition = serde_json::to_string_pretty(&case["definition"]).expect("serialises");
        let workflow_type = case["type"].as_str().and_then(WorkflowType::parse).expect("a type");
        let parsed = check(&definition, Format::Json, &Options { workflow_type });
        let errors: Vec<_> =
            parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        let expected_valid = case["expected_valid"].as_bool().expect("a boolean");
        let expected: Vec<&str> = case["expected_paths"]
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let ok = if expected_valid {
            errors.is_empty()
        } else {
            errors.iter().any(|d| expected.iter().any(|e| inside(&d.path, e)))
        };
        if !ok {
            let got: Vec<String> =
                errors.iter().map(|d| format!("{} {} {}", d.code, d.path, d.message)).collect();
            failures.push(format!(
                "{name}: expected {} at {expected:?}, got errors {got:#?}",
                if expected_valid { "valid" } else { "an error" }
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
