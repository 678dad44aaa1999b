//! `stepwise run --json` against the contract (shared/conformance/FORMAT.md), through the built
//! binary: a few conformance cases per area, one JSON object on stdout, exit code 0 for every
//! terminal status, non-zero with diagnostics on stderr for an invalid definition.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/run")
}

fn temp_dir(name: &str) -> PathBuf {
    // Tests run in parallel threads: every call gets its own directory.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("stepwise-cli-test-{}-{n}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs one case file through the binary; `Err` says what differed.
fn run_case(rel: &str) -> Result<(), String> {
    let case: Value = serde_json::from_str(
        &std::fs::read_to_string(suite().join(rel)).map_err(|e| format!("{rel}: {e}"))?,
    )
    .map_err(|e| format!("{rel}: {e}"))?;
    let name = case["name"].as_str().unwrap_or("case").to_owned();
    let dir = temp_dir(&name);
    let sm_name =
        case.get("state_machine_name").and_then(Value::as_str).unwrap_or(&name).to_owned();
    // The file name carries the state machine name, so the default (`x.asl.json` → `x`) is used.
    let def = dir.join(format!("{sm_name}.asl.json"));
    std::fs::write(&def, case["definition"].to_string()).map_err(|e| e.to_string())?;
    let input = dir.join("input.json");
    std::fs::write(&input, case.get("input").cloned().unwrap_or(Value::Null).to_string())
        .map_err(|e| e.to_string())?;
    // `s3_objects` (`{"BUCKET/KEY": "text"}`, `.gz` keys gzipped) go beside the definition, the
    // directory `stepwise run` takes for S3 by default.
    for (path, text) in case.get("s3_objects").and_then(Value::as_object).into_iter().flatten() {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap_or(&dir)).map_err(|e| e.to_string())?;
        let text = text.as_str().unwrap_or_default().as_bytes();
        let bytes = if path.ends_with(".gz") {
            use std::io::Write as _;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(text).map_err(|e| e.to_string())?;
            gz.finish().map_err(|e| e.to_string())?
        } else {
            text.to_vec()
        };
        std::fs::write(&file, bytes).map_err(|e| e.to_string())?;
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stepwise"));
    cmd.arg("run").arg(&def).arg("--input-file").arg(&input).arg("--json");
    if let Some(mock) = case.get("mock_config") {
        let m = dir.join("mock.json");
        std::fs::write(&m, mock.to_string()).map_err(|e| e.to_string())?;
        cmd.arg("--mock-config").arg(&m);
        cmd.arg("--test-case").arg(case["test_case"].as_str().unwrap_or_default());
    }
    let out = cmd.output().map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() {
        return Err(format!(
            "{rel}: exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() != 1 {
        return Err(format!("{rel}: expected one JSON line on stdout, got {}", lines.len()));
    }
    let got: Value =
        serde_json::from_str(lines[0]).map_err(|e| format!("{rel}: stdout is not JSON: {e}"))?;
    let expected = &case["expected"];
    if got["status"] != expected["status"] {
        return Err(format!("{rel}: status {} (expected {})", got["status"], expected["status"]));
    }
    if let Some(o) = expected.get("output")
        && !same_json(&got["output"], o)
    {
        return Err(format!("{rel}: output {} (expected {o})", got["output"]));
    }
    if let Some(e) = expected.get("error")
        && &got["error"] != e
    {
        return Err(format!("{rel}: error {} (expected {e})", got["error"]));
    }
    if let Some(re) = expected.get("cause_regex").and_then(Value::as_str) {
        let re = regex::Regex::new(re).map_err(|e| format!("{rel}: bad cause_regex: {e}"))?;
        if !re.is_match(got["cause"].as_str().unwrap_or("")) {
            return Err(format!("{rel}: cause {} does not match /{re}/", got["cause"]));
        }
    }
    if let Some(matches) = case.get("expected_output_match").and_then(Value::as_object) {
        for (pointer, re) in matches {
            let re = regex::Regex::new(re.as_str().unwrap_or_default())
                .map_err(|e| format!("{rel}: bad regex: {e}"))?;
            match got["output"].pointer(pointer) {
                Some(v) if re.is_match(&v.to_string()) => {}
                other => {
                    return Err(format!("{rel}: output at {pointer} is {other:?}, not /{re}/"));
                }
            }
        }
    }
    let events = got["events"].as_array().ok_or(format!("{rel}: no events array"))?;
    for (i, e) in events.iter().enumerate() {
        for key in ["id", "previousEventId", "timestamp", "type"] {
            if e.get(key).is_none() {
                return Err(format!("{rel}: event {i} has no {key:?}"));
            }
        }
    }
    if let Some(types) = case.get("expected_history_types") {
        let got_types: Vec<Value> = events.iter().map(|e| e["type"].clone()).collect();
        if &Value::Array(got_types.clone()) != types {
            return Err(format!("{rel}: history types {got_types:?}"));
        }
    }
    Ok(())
}

fn case_files(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            let rel = p.strip_prefix(suite()).unwrap_or(&p).display().to_string();
            out.push(rel);
        }
    }
}

#[test]
fn run_json_holds_to_the_contract_for_cases_of_every_status() {
    let cases = [
        "choice/choice-no-match-fails.json",
        "paths/resultpath-merges-task-result.json",
        "retry/retry-then-catch.json",
        "parallel/parallel-outputs-array-in-branch-order.json",
        "map/map-itemselector-with-context-index.json",
        "fail/fail-state-error-and-cause.json",
        "history/history-pass-chain.json",
        "errors/errors-execution-timeout.json",
    ];
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(failures.is_empty(), "stepwise run --json differed:\n{}", failures.join("\n"));
}

/// Every case of the suite through the binary, as an outside checker would run it.
#[test]
fn every_conformance_case_passes_through_the_binary() {
    let mut cases = Vec::new();
    case_files(&suite(), &mut cases);
    assert!(cases.len() > 100, "the suite was not found");
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} case(s) differ through `stepwise run --json`:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// JSON equality with numbers compared by value, as the contract says.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn run_refuses_an_invalid_definition_with_diagnostics_on_stderr() {
    let dir = temp_dir("invalid");
    let def = dir.join("broken.asl.json");
    std::fs::write(
        &def,
        r#"{"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": true}}}"#,
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .args(["run", def.to_str().unwrap_or_default(), "--json"])
        .output()
        .expect("binary runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!out.status.success(), "an invalid definition must not exit 0");
    assert!(out.stdout.is_empty(), "nothing on stdout for an invalid definition");
    assert!(!out.stderr.is_empty(), "the reason is on stderr");
}
