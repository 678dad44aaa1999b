//! Distributed Map ItemReader through `stepwise run`: items read from local files standing in for
//! S3 (`--s3-root DIR`: `s3://BUCKET/KEY` is `DIR/BUCKET/KEY`), as JSON, JSONL and CSV.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-dmap-{}-{name}", std::process::id()));
    std::fs::create_dir_all(dir.join("bucket/data")).expect("temp dir");
    dir
}

/// A Distributed Map whose ItemReader reads `s3://bucket/<key from the input>`.
fn definition(reader_config: Value) -> Value {
    json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": reader_config,
            "Parameters": {"Bucket": "bucket", "Key.$": "$.key"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}})
}

fn run(dir: &PathBuf, def: &Value, key: &str, s3_root: bool) -> Value {
    let path = dir.join("m.asl.json");
    std::fs::write(&path, def.to_string()).expect("write");
    let input = dir.join("input.json");
    std::fs::write(&input, json!({"key": key}).to_string()).expect("write");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stepwise"));
    cmd.arg("run").arg(&path).arg("--input-file").arg(&input).arg("--json");
    if s3_root {
        cmd.arg("--s3-root").arg(dir);
    }
    let out = cmd.output().expect("run stepwise");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

#[test]
fn json_jsonl_and_csv_files_are_read_as_items() {
    let dir = temp_dir("formats");
    std::fs::write(dir.join("bucket/data/a.json"), r#"[{"id": 1}, {"id": 2}]"#).expect("write");
    std::fs::write(dir.join("bucket/data/a.jsonl"), "{\"id\": 1}\n\n{\"id\": 2}\n").expect("write");
    std::fs::write(
        dir.join("bucket/data/a.csv"),
        "id,name\r\n1,\"Smith, J\"\n2,\"say \"\"hi\"\"\"\n",
    )
    .expect("write");
    std::fs::write(dir.join("bucket/data/b.csv"), "1;x\n2;y\n3;z\n").expect("write");

    let v = run(&dir, &definition(json!({"InputType": "JSON"})), "data/a.json", true);
    assert_eq!(v["output"], json!([{"id": 1}, {"id": 2}]), "{v}");
    let types: Vec<&str> =
        v["events"].as_array().expect("events").iter().filter_map(|e| e["type"].as_str()).collect();
    assert!(types.contains(&"MapRunStarted") && types.contains(&"MapRunSucceeded"), "{types:?}");
    let arn = v["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["type"] == "MapRunStarted")
        .map(|e| e["mapRunStartedEventDetails"]["mapRunArn"].clone());
    assert!(
        arn.and_then(|a| a
            .as_str()
            .map(|s| s.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:m/M:")))
            == Some(true),
        "{v}"
    );

    let v = run(&dir, &definition(json!({"InputType": "JSONL"})), "data/a.jsonl", true);
    assert_eq!(v["output"], json!([{"id": 1}, {"id": 2}]), "{v}");

    let v = run(
        &dir,
        &definition(json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"})),
        "data/a.csv",
        true,
    );
    assert_eq!(
        v["output"],
        json!([{"id": "1", "name": "Smith, J"}, {"id": "2", "name": "say \"hi\""}]),
        "{v}"
    );

    let given = json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["n", "l"],
        "CSVDelimiter": "SEMICOLON", "MaxItems": 2});
    let v = run(&dir, &definition(given), "data/b.csv", true);
    assert_eq!(v["output"], json!([{"n": "1", "l": "x"}, {"n": "2", "l": "y"}]), "{v}");
}

#[test]
fn a_missing_object_fails_with_item_reader_failed() {
    let dir = temp_dir("missing");
    let v = run(&dir, &definition(json!({"InputType": "JSON"})), "data/nope.json", true);
    assert_eq!(v["status"], "FAILED", "{v}");
    assert_eq!(v["error"], "States.ItemReaderFailed", "{v}");
    let v = run(&dir, &definition(json!({"InputType": "JSON"})), "../../etc/passwd", true);
    assert_eq!(v["error"], "States.ItemReaderFailed", "keys cannot leave the bucket: {v}");
}
