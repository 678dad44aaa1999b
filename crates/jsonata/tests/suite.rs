//! The official JSONata test suite, run against this engine.
//!
//! The suite (over 1,600 cases: expression, input, expected result or error code) ships inside
//! the `jsonata-rs` crate's source under `tests/testsuite`, both its `groups` and the cases that
//! crate skips. `cargo xtask test` fetches that crate's source with cargo and points
//! `STEPWISE_JSONATA_SUITE` at the folder; without it this test looks in the cargo registry.
//! It prints the pass count and fails below the bar set in docs/decisions/0009.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::Value as Json;
use stepwise_jsonata::{Bindings, Expression, Host, Limits, Value};
use stepwise_value::Payload;

/// The share of the suite that must pass (decision 0009).
const REQUIRED_PASS_RATE: f64 = 0.98;

fn suite_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("STEPWISE_JSONATA_SUITE") {
        return Some(PathBuf::from(dir));
    }
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| Path::new(&h).join(".cargo")))
        .ok()?;
    let registry = home.join("registry/src");
    for index in std::fs::read_dir(registry).ok()?.flatten() {
        let candidate = index.path().join("jsonata-rs-0.3.4/tests/testsuite");
        if candidate.is_dir() {
            return Some(candidate);
        }
    }
    None
}

struct Outcome {
    name: String,
    passed: bool,
    detail: String,
}

fn numbers_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || ((x - y).abs() <= 1e-12 * x.abs().max(y.abs()))
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| numbers_equal(p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| numbers_equal(v, w)))
        }
        _ => a == b,
    }
}

fn unordered_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().all(|p| y.iter().any(|q| numbers_equal(p, q)))
        }
        _ => numbers_equal(a, b),
    }
}

fn run_case(dir: &Path, file: &Path, case: &Json) -> (bool, String) {
    let expr = match (case.get("expr"), case.get("expr-file")) {
        (Some(Json::String(e)), _) => e.clone(),
        (_, Some(Json::String(f))) => {
            std::fs::read_to_string(file.parent().unwrap_or(dir).join(f)).unwrap_or_default()
        }
        _ => return (false, "no expression".into()),
    };
    let input: Option<Payload> = match case.get("dataset") {
        Some(Json::String(name)) => {
            let text = std::fs::read_to_string(dir.join("datasets").join(format!("{name}.json")))
                .unwrap_or_default();
            Payload::parse(&text).ok()
        }
        _ => case.get("data").map(Payload::from),
    };
    let mut bindings = Bindings::default();
    if let Some(Json::Object(b)) = case.get("bindings") {
        for (k, v) in b {
            bindings.json(k, &Payload::from(v));
        }
    }
    let mut limits = Limits::default();
    if let Some(d) = case.get("depth").and_then(Json::as_u64) {
        limits.max_depth = d as usize;
    }
    if let Some(t) = case.get("timelimit").and_then(Json::as_u64) {
        limits.time_limit_ms = Some(t);
    }
    let expected_code = case
        .get("code")
        .and_then(Json::as_str)
        .or_else(|| case.get("error").and_then(|e| e.get("code")).and_then(Json::as_str));
    let result = Expression::parse(&expr).and_then(|e| {
        let input = input.as_ref().map(Value::from_payload).unwrap_or_default();
        e.evaluate_with(input, &bindings, limits, Host::new(1_500_000_000_000, 7))
    });
    let shown = |r: &stepwise_jsonata::Result<Value>| match r {
        Ok(v) => v.to_payload().map(|p| p.to_string()).unwrap_or_else(|| "undefined".into()),
        Err(e) => format!("error {e}"),
    };
    if let Some(code) = expected_code {
        return match &result {
            Err(e) if e.code == code => (true, String::new()),
            other => (false, format!("{expr}\n  expected error {code}, got {}", shown(other))),
        };
    }
    let Ok(value) = &result else {
        return (false, format!("{expr}\n  expected a result, got {}", shown(&result)));
    };
    let got: Option<Json> = value.to_payload().map(|p| p.to_value());
    if case.get("undefinedResult").and_then(Json::as_bool) == Some(true) {
        return match got {
            None => (true, String::new()),
            Some(v) => (false, format!("{expr}\n  expected undefined, got {v}")),
        };
    }
    if let Some(Json::String(re)) = case.get("result_re") {
        let ok = got
            .as_ref()
            .and_then(Json::as_str)
            .is_some_and(|s| regress::Regex::new(re).ok().is_some_and(|r| r.find(s).is_some()));
        return (ok, format!("{expr}\n  expected /{re}/, got {got:?}"));
    }
    let Some(expected) = case.get("result") else {
        return (got.is_none(), format!("{expr}\n  expected undefined, got {got:?}"));
    };
    let unordered = case.get("unordered").and_then(Json::as_bool) == Some(true);
    match got {
        Some(g) if (unordered && unordered_equal(&g, expected)) || numbers_equal(&g, expected) => {
            (true, String::new())
        }
        other => (
            false,
            format!(
                "{expr}\n  expected {expected}\n  got      {}",
                other.map(|v| v.to_string()).unwrap_or_else(|| "undefined".into())
            ),
        ),
    }
}

#[test]
fn official_suite() {
    let Some(dir) = suite_dir() else {
        assert!(
            std::env::var_os("STEPWISE_JSONATA_SUITE_REQUIRED").is_none(),
            "the JSONata test suite was not found (cargo xtask test fetches it)"
        );
        eprintln!("jsonata suite: not found, skipped (cargo xtask test fetches it)");
        return;
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for kind in ["groups", "skip"] {
        let Ok(groups) = std::fs::read_dir(dir.join(kind)) else { continue };
        for group in groups.flatten() {
            let Ok(cases) = std::fs::read_dir(group.path()) else { continue };
            for case in cases.flatten() {
                let p = case.path();
                if p.extension().is_some_and(|e| e == "json") {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    let mut outcomes: Vec<Outcome> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let Ok(json) = serde_json::from_str::<Json>(&text) else { continue };
        let cases = match json {
            Json::Array(cases) => cases,
            one => vec![one],
        };
        let rel = file.strip_prefix(&dir).unwrap_or(file).display().to_string();
        for (i, case) in cases.iter().enumerate() {
            let name = if cases.len() > 1 { format!("{rel}#{i}") } else { rel.clone() };
            let dir2 = dir.clone();
            let file2 = file.clone();
            let case2 = Rc::new(case.clone());
            let r = std::panic::catch_unwind(move || run_case(&dir2, &file2, &case2));
            let (passed, detail) = r.unwrap_or_else(|_| (false, "panicked".into()));
            outcomes.push(Outcome { name, passed, detail });
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let failed = outcomes.len() - passed;
    let report: String = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| format!("{}: {}\n", o.name, o.detail))
        .collect();
    let target =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/jsonata-suite-failures.txt");
    let _ = std::fs::write(&target, report);
    let rate = passed as f64 / outcomes.len().max(1) as f64;
    eprintln!(
        "jsonata suite: {passed} passed, {failed} failed of {} ({:.1}%); failures listed in target/jsonata-suite-failures.txt",
        outcomes.len(),
        rate * 100.0
    );
    assert!(rate >= REQUIRED_PASS_RATE, "the pass rate {:.1}% is under the bar", rate * 100.0);
}
