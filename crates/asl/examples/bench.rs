//! A release-mode measurement of the document's hot paths at 2,000 states (not a test: nothing
//! is asserted). Run with `cargo run --release -p stepwise-asl --example bench [states | file]`
//! (a file: that definition instead of a generated one, e.g. the bench's
//! `target/bench/asl/machine-2000.asl.json`; parse and check only, the edits need the generated
//! state names).
//!
//! Prints the median of several runs of: parse + validate, and one edit → snapshot for a few
//! edit kinds (`Document::apply`).

use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use stepwise_asl::{Document, Edit, Format, Options, StateType, Transition, parse};

/// A generated definition: a chain of Task, Pass, Choice, Wait and Map states, with retries,
/// catchers, paths and an intrinsic, pretty-printed the way editors write it.
fn generate(n: usize) -> String {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 < n { format!("S{}", i + 1) } else { String::new() };
        let mut body = match i % 5 {
            0 => serde_json::json!({
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f", "Payload.$": "$", "Id.$": "States.Format('{}', $.id)"},
                "ResultPath": "$.r",
                "TimeoutSeconds": 30,
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed", "ResultPath": "$.error"}]
            }),
            1 => serde_json::json!({"Type": "Pass", "Result": {"x": i}, "ResultPath": "$.p"}),
            2 => serde_json::json!({
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": next.clone()},
                            {"And": [{"Variable": "$.s", "StringEquals": "a"}, {"Not": {"Variable": "$.b", "BooleanEquals": true}}], "Next": next.clone()}],
                "Default": next.clone()
            }),
            3 => serde_json::json!({"Type": "Wait", "Seconds": 1, "InputPath": "$.w"}),
            _ => serde_json::json!({
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": format!("M{i}"),
                    "States": {format!("M{i}"): {"Type": "Pass", "End": true}}
                }
            }),
        };
        if i % 5 != 2 {
            let object = body.as_object_mut().expect("an object");
            if next.is_empty() {
                object.insert("End".into(), true.into());
            } else {
                object.insert("Next".into(), next.into());
            }
        }
        states.insert(format!("S{i}"), body);
    }
    states.insert("Failed".into(), serde_json::json!({"Type": "Fail", "Error": "E", "Cause": "c"}));
    let definition = serde_json::json!({"Comment": "generated", "StartAt": "S0", "States": states});
    serde_json::to_string_pretty(&definition).expect("serialises")
}

/// The median and the fastest run (the fastest is the least disturbed on a shared machine).
fn median(mut runs: Vec<Duration>) -> (f64, f64) {
    runs.sort();
    (runs[runs.len() / 2].as_secs_f64() * 1e3, runs[0].as_secs_f64() * 1e3)
}

fn show(label: &str, (median, min): (f64, f64)) {
    println!("{label:<40} median {median:>8.2} ms   min {min:>8.2} ms");
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64) {
    let _ = f();
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let first = std::env::args().nth(1);
    let (generated, text) = match first.as_deref().map(|a| (a, a.parse::<usize>())) {
        Some((_, Ok(n))) => (Some(n), generate(n)),
        Some((file, Err(_))) => (None, std::fs::read_to_string(file).expect("a readable file")),
        None => (Some(2_000), generate(2_000)),
    };
    let n = generated.unwrap_or_default();
    println!("{} bytes, {} lines", text.len(), text.lines().count());
    // `bench N MODE`: only MODE, 20 times (for `perf stat -e instructions:u`, a measure a busy
    // machine does not disturb): none, parse, check, set, rename, insert, replace.
    if let Some(mode) = std::env::args().nth(2) {
        let mut doc = Document::new(text.clone(), Format::Json, Options::default());
        let mid = n / 2 - n / 2 % 5 + 1;
        for _ in 0..20 {
            match mode.as_str() {
                "parse" => {
                    drop(std::hint::black_box(stepwise_asl::parse_syntax(&text, Format::Json)))
                }
                "check" => drop(std::hint::black_box(parse(&text))),
                "set" | "rename" | "insert" | "replace" => {
                    let edit = match mode.as_str() {
                        "set" => Edit::SetField {
                            pointer: format!("/States/S{mid}/Comment"),
                            value: Some("x".into()),
                        },
                        "rename" => {
                            Edit::RenameState { state: format!("/States/S{mid}"), to: "R".into() }
                        }
                        "insert" => Edit::InsertState {
                            from: format!("/States/S{mid}"),
                            transition: Transition::Next,
                            state_type: StateType::Pass,
                            name: None,
                        },
                        _ => Edit::ReplaceText {
                            // A keystroke inside a state (the code view's common case).
                            text: text.replacen(
                                &format!("\"x\": {mid}"),
                                &format!("\"x\": {mid}0"),
                                1,
                            ),
                        },
                    };
                    drop(std::hint::black_box(doc.apply(edit).expect("applies")));
                    doc.undo().expect("undoes");
                }
                _ => {}
            }
        }
        return;
    }
    let parsed = parse(&text);
    println!("{} diagnostics", parsed.diagnostics.len());
    let parse_only = time(21, || stepwise_asl::parse_syntax(&text, Format::Json));
    let full = time(21, || parse(&text));
    show("parse only", parse_only);
    show("parse + validate", full);
    if generated.is_none() {
        return;
    }
    let mid = n / 2 - n / 2 % 5 + 1; // a Pass state in the middle
    let edits: Vec<(&str, Edit)> = vec![
        (
            "set field",
            Edit::SetField {
                pointer: format!("/States/S{mid}/Comment"),
                value: Some(serde_json::Value::from("edited")),
            },
        ),
        ("rename", Edit::RenameState { state: format!("/States/S{mid}"), to: "Renamed".into() }),
        (
            "insert on transition",
            Edit::InsertState {
                from: format!("/States/S{mid}"),
                transition: Transition::Next,
                state_type: StateType::Pass,
                name: None,
            },
        ),
        ("remove", Edit::RemoveState { state: format!("/States/S{mid}") }),
        (
            "add state",
            Edit::AddState { machine: String::new(), state_type: StateType::Task, name: None },
        ),
        (
            "keystroke in a state",
            Edit::ReplaceText {
                text: text.replacen(&format!("\"x\": {mid}"), &format!("\"x\": {mid}0"), 1),
            },
        ),
        (
            "keystroke at the top level",
            Edit::ReplaceText { text: text.replacen("\"generated\"", "\"generatedx\"", 1) },
        ),
    ];
    for (label, edit) in edits {
        let mut doc = Document::new(text.clone(), Format::Json, Options::default());
        let mut runs = Vec::new();
        for _ in 0..21 {
            let start = Instant::now();
            let snapshot = doc.apply(edit.clone()).expect("applies");
            runs.push(start.elapsed());
            std::hint::black_box(snapshot);
            doc.undo().expect("undoes");
        }
        show(&format!("edit → snapshot: {label}"), median(runs));
    }
}
