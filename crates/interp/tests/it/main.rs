//! The conformance suite, run through the library.
//!
//! Every `tests/conformance/run/<area>/<case>.json` file (the contract's case format, see
//! shared/conformance/FORMAT.md) is executed with the same defaults as `stepwise run`, and every
//! failing case is reported by name with what differed.

mod engine;
mod redrive;
mod redrive_map_run;
mod variables;

use std::path::{Path, PathBuf};

use serde_json::Value;
use stepwise_interp::mock::MockConfig;
use stepwise_interp::{Options, Ports, run};

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/run")
}

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            case_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// Writes a case's `s3_objects` (`{"BUCKET/KEY": "text"}`; a `.gz` key is stored gzipped) into a
/// fresh directory standing in for Amazon S3, and returns it.
fn write_s3_objects(objects: &Value) -> Result<PathBuf, String> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!("stepwise-it-s3-{}-{n}", std::process::id()));
    let objects = objects.as_object().ok_or("\"s3_objects\" must be an object")?;
    for (path, text) in objects {
        let text = text.as_str().ok_or("every s3_objects value is text")?;
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap_or(&root)).map_err(|e| e.to_string())?;
        let bytes = if path.ends_with(".gz") {
            use std::io::Write as _;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
            gz.finish().map_err(|e| e.to_string())?
        } else {
            text.as_bytes().to_vec()
        };
        std::fs::write(&file, bytes).map_err(|e| e.to_string())?;
    }
    Ok(root)
}

/// Runs one case; `Err` says what differed.
fn check_case(case: &Value) -> Result<(), String> {
    let definition = case.get("definition").ok_or("the case has no \"definition\"")?;
    let input = case.get("input").cloned().unwrap_or(Value::Object(Default::default()));
    let sm_name = case
        .get("state_machine_name")
        .and_then(Value::as_str)
        .or_else(|| case.get("name").and_then(Value::as_str))
        .unwrap_or("StateMachine")
        .to_owned();
    let ports = || -> Result<Ports, String> {
        let mut ports = Ports::default();
        if let Some(mock) = case.get("mock_config") {
            let cfg = MockConfig::parse(mock).map_err(|e| e.to_string())?;
            let test_case = case.get("test_case").and_then(Value::as_str).unwrap_or_default();
            ports.tasks = Box::new(cfg.invoker(&sm_name, test_case)?);
        }
        Ok(ports)
    };
    let s3_root = match case.get("s3_objects") {
        Some(objects) => Some(write_s3_objects(objects)?),
        None => None,
    };
    let options = |record_trace| Options {
        state_machine_name: sm_name.clone(),
        s3_root: s3_root.clone(),
        record_trace,
        ..Options::default()
    };
    let exec = run(definition, input.clone(), options(true), ports()?);
    // Unwatched runs take shorter paths (a plain Pass builds no visit): same record expected.
    let untraced = run(definition, input, options(false), ports()?);
    if let Some(dir) = &s3_root {
        let _ = std::fs::remove_dir_all(dir);
    }
    let exec = exec.map_err(|e| format!("compile error: {e}"))?;
    let untraced = untraced.map_err(|e| format!("compile error: {e}"))?;
    let expected = case.get("expected").ok_or("the case has no \"expected\"")?;
    let mut problems = Vec::new();
    let want_status = expected.get("status").and_then(Value::as_str).unwrap_or("SUCCEEDED");
    if exec.status.as_str() != want_status {
        problems.push(format!("status {} (expected {want_status})", exec.status.as_str()));
    }
    if let Some(want) = expected.get("output") {
        let got = exec.output_value().unwrap_or(Value::Null);
        if !stepwise_interp::intrinsics::json_eq(&got, want) {
            problems.push(format!("output {got} (expected {want})"));
        }
    }
    let failure =
        exec.failure.clone().unwrap_or(stepwise_interp::Failure { error: None, cause: None });
    if let Some(want) = expected.get("error").and_then(Value::as_str)
        && failure.error.as_deref() != Some(want)
    {
        problems.push(format!("error {:?} (expected {want:?})", failure.error));
    }
    if let Some(want) = expected.get("cause").and_then(Value::as_str)
        && failure.cause.as_deref() != Some(want)
    {
        problems.push(format!("cause {:?} (expected {want:?})", failure.cause));
    }
    if let Some(re) = expected.get("cause_regex").and_then(Value::as_str) {
        let re = regex::Regex::new(re).map_err(|e| format!("bad cause_regex: {e}"))?;
        if !re.is_match(failure.cause.as_deref().unwrap_or("")) {
            problems.push(format!("cause {:?} does not match /{re}/", failure.cause));
        }
    }
    if let Some(matches) = case.get("expected_output_match").and_then(Value::as_object) {
        let out = exec.output_value().unwrap_or(Value::Null);
        for (pointer, re) in matches {
            let re = regex::Regex::new(re.as_str().unwrap_or_default())
                .map_err(|e| format!("bad regex for {pointer}: {e}"))?;
            match out.pointer(pointer) {
                Some(v) if re.is_match(&v.to_string()) => {}
                Some(v) => problems.push(format!("output at {pointer} is {v}, not /{re}/")),
                None => problems.push(format!("output has nothing at {pointer}")),
            }
        }
    }
    if untraced.record_json() != exec.record_json() {
        problems.push("the run without a trace recorded a different history or outcome".into());
    }
    if let Some(types) = case.get("expected_history_types").and_then(Value::as_array) {
        let got: Vec<&str> = exec.events.iter().map(|e| e.event_type).collect();
        let want: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        if got != want {
            problems.push(format!("history types {got:?}\n      expected {want:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let detail = match &exec.failure {
            Some(f) => format!(" [execution failure: {:?} / {:?}]", f.error, f.cause),
            None => String::new(),
        };
        Err(format!("{}{detail}", problems.join("; ")))
    }
}

#[test]
fn every_conformance_case_behaves_as_aws_documents() {
    let root = suite_dir();
    let mut files = Vec::new();
    case_files(&root, &mut files);
    assert!(!files.is_empty(), "no conformance cases found under {}", root.display());
    let filter = std::env::var("CASE").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap_or(file).display().to_string();
        if filter.as_deref().is_some_and(|f| !rel.contains(f)) {
            continue;
        }
        ran += 1;
        let text = std::fs::read_to_string(file).expect("case file is readable");
        let outcome = serde_json::from_str::<Value>(&text)
            .map_err(|e| format!("not JSON: {e}"))
            .and_then(|case| {
                if case.get("source").and_then(Value::as_str).is_none_or(str::is_empty) {
                    return Err("the case names no \"source\"".into());
                }
                check_case(&case)
            });
        if let Err(why) = outcome {
            failures.push(format!("  {rel}: {why}"));
        }
    }
    println!("conformance: {} passed, {} failed", ran - failures.len(), failures.len());
    assert!(
        failures.is_empty(),
        "{} of {ran} conformance case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn same_definition_input_and_seed_give_identical_histories() {
    let definition = serde_json::json!({
        "StartAt": "Id",
        "States": {
            "Id": {"Type": "Pass", "Parameters": {"u.$": "States.UUID()", "r.$": "States.MathRandom(1, 1000)"}, "Next": "W"},
            "W": {"Type": "Wait", "Seconds": 30, "End": true}
        }
    });
    let once = || {
        let exec = run(&definition, serde_json::json!({}), Options::default(), Ports::default())
            .expect("compiles");
        serde_json::to_string(&exec.events_json()).expect("serializable")
    };
    assert_eq!(once(), once(), "two runs with the same seed must record the same history");
}

#[test]
fn no_case_definition_panics_on_odd_inputs() {
    let root = suite_dir();
    let mut files = Vec::new();
    case_files(&root, &mut files);
    let odd = [
        Value::Null,
        serde_json::json!("text"),
        serde_json::json!(42),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!({"items": "x", "a": null, "n": "1", "s": 5, "t": [], "order": 1}),
    ];
    for file in &files {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(file).expect("readable")).expect("json");
        for input in &odd {
            // Any terminal status is fine; a panic fails the test and names the case.
            let run = std::panic::catch_unwind(|| {
                run(&case["definition"], input.clone(), Options::default(), Ports::default())
                    .map(|e| e.status)
            });
            assert!(run.is_ok(), "{} panicked on input {input}", file.display());
        }
    }
}
