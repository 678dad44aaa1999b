//! Scenario tests of the engine's API beyond the case format: traces, the observer port,
//! golden histories.

use std::path::Path;

use serde_json::{Value, json};
use stepwise_interp::mock::MockConfig;
use stepwise_interp::ports::{Control, Observer};
use stepwise_interp::{Options, Ports, Status, run};

#[test]
fn task_trace_names_every_stage_like_teststate_inspection_data() {
    let definition = json!({"StartAt": "Charge", "States": {"Charge": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "InputPath": "$.order",
        "Parameters": {"Payload.$": "$"},
        "ResultSelector": {"id.$": "$.Payload.id"},
        "ResultPath": "$.receipt",
        "OutputPath": "$.receipt",
        "End": true}}});
    let mocks = MockConfig::parse(&json!({
        "StateMachines": {"sm": {"TestCases": {"ok": {"Charge": "R"}}}},
        "MockedResponses": {"R": {"0": {"Return": {"Payload": {"id": "r-1"}}}}}
    }))
    .expect("valid mocks");
    let ports = Ports {
        tasks: Box::new(mocks.invoker("sm", "ok").expect("test case")),
        ..Ports::default()
    };
    let options = Options { state_machine_name: "sm".into(), ..Options::default() };
    let exec = run(&definition, json!({"order": {"n": 1}}), options, ports).expect("compiles");
    assert_eq!(exec.status, Status::Succeeded, "{:?}", exec.failure);
    let trace = exec.traces.first().expect("one state visit").to_json();
    assert_eq!(trace["afterInputPath"], json!({"n": 1}));
    assert_eq!(trace["afterParameters"], json!({"Payload": {"n": 1}}));
    assert_eq!(trace["result"], json!({"Payload": {"id": "r-1"}}));
    assert_eq!(trace["afterResultSelector"], json!({"id": "r-1"}));
    assert_eq!(trace["afterResultPath"], json!({"order": {"n": 1}, "receipt": {"id": "r-1"}}));
    assert_eq!(trace["output"], json!({"id": "r-1"}));
}

struct StopAt(&'static str);

impl Observer for StopAt {
    fn before_state(&mut self, state: &str, _: &stepwise_interp::Data, _: usize) -> Control {
        if state == self.0 { Control::Abort } else { Control::Continue }
    }
}

#[test]
fn observer_stopping_before_a_state_ends_the_execution_aborted() {
    let definition = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "End": true}}});
    let ports = Ports { observer: Box::new(StopAt("B")), ..Ports::default() };
    let exec = run(&definition, json!({}), Options::default(), ports).expect("compiles");
    assert_eq!(exec.status, Status::Aborted);
    let types: Vec<&str> = exec.events.iter().map(|e| e.event_type).collect();
    assert_eq!(
        types,
        ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionAborted"]
    );
}

#[test]
fn events_chain_previous_event_ids_and_carry_json_text_payloads() {
    let definition = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
    let exec = run(&definition, json!({"k": 1}), Options::default(), Ports::default()).expect("ok");
    let events = exec.events_json();
    let events = events.as_array().expect("array");
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["id"], json!(i + 1), "ids are sequential from 1");
        assert_eq!(e["previousEventId"], json!(i), "each event points at the one before");
    }
    assert_eq!(events[1]["stateEnteredEventDetails"]["input"], json!("{\"k\":1}"));
    assert_eq!(events[3]["executionSucceededEventDetails"]["output"], json!("{\"k\":1}"));
}

#[test]
fn a_plan_compiled_once_runs_many_times_without_sharing_state() {
    let plan = stepwise_interp::compile(&json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "End": true}}}))
    .expect("compiles");
    for n in 0..3 {
        let exec = stepwise_interp::run_plan(
            &plan,
            stepwise_interp::Data::from(json!({"n": n})),
            Options::default(),
            Ports::default(),
        );
        assert_eq!(exec.output_value().as_ref(), Some(&json!({"n": n + 1})));
    }
}

// API reference, EvaluationFailedEventDetails: "an evaluation failure that occurred while
// processing a state, for example, when a JSONata expression throws an error" — state, error,
// cause and the location of the field.
#[test]
fn a_failing_jsonata_expression_records_evaluation_failed_with_state_and_location() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Route", "States": {
        "Route": {"Type": "Choice", "Default": "Done",
                  "Choices": [{"Condition": "{% $states.input.n %}", "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}});
    let exec = run(&definition, json!({"n": 1}), Options::default(), Ports::default()).expect("ok");
    let events = exec.events_json();
    let types: Vec<&str> =
        events.as_array().expect("array").iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(
        types,
        ["ExecutionStarted", "ChoiceStateEntered", "EvaluationFailed", "ExecutionFailed"]
    );
    let details = &events[2]["evaluationFailedEventDetails"];
    assert_eq!(details["state"], json!("Route"));
    assert_eq!(details["location"], json!("Condition"));
    assert_eq!(details["error"], json!("States.QueryEvaluationError"));
    assert_eq!(details["cause"], events[3]["executionFailedEventDetails"]["cause"]);
    assert_eq!(events[2]["previousEventId"], json!(2));
    assert_eq!(events[3]["previousEventId"], json!(3));
}

#[test]
fn a_malformed_jsonata_expression_is_refused_where_it_stands() {
    let err = stepwise_interp::compile(&json!({"QueryLanguage": "JSONata", "StartAt": "A",
        "States": {"A": {"Type": "Pass", "Output": {"x": "{% $states.input.( %}"}, "End": true}}}))
    .expect_err("the expression does not parse");
    assert_eq!(err.pointer, "/States/A/Output");
    assert!(err.message.contains("S0"), "{}", err.message);
}

/// Full histories of representative cases, compared with `tests/conformance/golden/*.history.json`.
/// `UPDATE_EXPECT=1 cargo test -p stepwise-interp --test it` rewrites them; review the diff.
#[test]
fn golden_histories_of_representative_cases_are_unchanged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance");
    let cases = [
        "run/retry/retry-then-catch.json",
        "run/map/map-itemselector-with-context-index.json",
        "run/parallel/parallel-waits-run-concurrently.json",
        "run/task/task-lambda-function-arn-events.json",
        "run/choice/choice-no-match-fails.json",
        "run/jsonata/retry-exhausted-then-catch-error-output.json",
        "run/jsonata/map-item-selector-index-and-value.json",
        "run/jsonata/pass-assign-swap-uses-entry-values.json",
    ];
    let mut stale = Vec::new();
    for rel in cases {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(rel)).expect("case"))
                .expect("json");
        let name = case["name"].as_str().expect("name").to_owned();
        let sm = case.get("state_machine_name").and_then(Value::as_str).unwrap_or(&name).to_owned();
        let mut ports = Ports::default();
        if let Some(m) = case.get("mock_config") {
            let cfg = MockConfig::parse(m).expect("mocks");
            ports.tasks = Box::new(
                cfg.invoker(&sm, case["test_case"].as_str().unwrap_or_default()).expect("case"),
            );
        }
        let options = Options { state_machine_name: sm, ..Options::default() };
        let exec =
            run(&case["definition"], case["input"].clone(), options, ports).expect("compiles");
        let got = serde_json::to_string_pretty(&exec.events_json()).expect("json") + "\n";
        let golden = root.join("golden").join(format!("{name}.history.json"));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::create_dir_all(golden.parent().expect("dir")).expect("mkdir");
            std::fs::write(&golden, &got).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(want) if want == got => {}
            _ => stale.push(golden.display().to_string()),
        }
    }
    assert!(stale.is_empty(), "golden histories differ (UPDATE_EXPECT=1 to bless): {stale:?}");
}

mod debugging {
    use std::collections::BTreeSet;

    use serde_json::json;
    use stepwise_interp::debugger::{Command, Update, debugger};
    use stepwise_interp::{Options, Ports, Status, run};

    fn machine() -> serde_json::Value {
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "P"},
            "P": {"Type": "Parallel", "Next": "C", "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}}]},
            "C": {"Type": "Pass", "End": true}}})
    }

    fn next_pause(updates: &std::sync::mpsc::Receiver<Update>) -> Option<(String, usize)> {
        for u in updates.iter() {
            if let Update::Paused { state, depth, .. } = u {
                return Some((state, depth));
            }
        }
        None
    }

    #[test]
    fn started_paused_execution_steps_into_branches_then_continues_to_the_end() {
        let (dbg, handle) = debugger(true, BTreeSet::new());
        let worker = std::thread::spawn(move || {
            let ports = Ports { observer: Box::new(dbg), ..Ports::default() };
            run(&machine(), json!({}), Options::default(), ports).expect("compiles").status
        });
        assert_eq!(
            next_pause(&handle.updates),
            Some(("A".into(), 0)),
            "paused before the first state"
        );
        handle.commands.send(Command::Step).expect("send");
        assert_eq!(next_pause(&handle.updates), Some(("P".into(), 0)));
        handle.commands.send(Command::Step).expect("send");
        assert_eq!(
            next_pause(&handle.updates),
            Some(("B1".into(), 1)),
            "Step goes into the branch"
        );
        handle.commands.send(Command::Continue).expect("send");
        assert_eq!(worker.join().expect("thread"), Status::Succeeded);
    }

    #[test]
    fn breakpoint_pauses_and_stop_aborts_the_execution() {
        let (dbg, handle) = debugger(false, BTreeSet::from(["C".to_owned()]));
        let worker = std::thread::spawn(move || {
            let ports = Ports { observer: Box::new(dbg), ..Ports::default() };
            run(&machine(), json!({}), Options::default(), ports).expect("compiles").status
        });
        assert_eq!(next_pause(&handle.updates), Some(("C".into(), 0)), "stopped at the breakpoint");
        handle.commands.send(Command::Stop).expect("send");
        assert_eq!(worker.join().expect("thread"), Status::Aborted);
    }

    #[test]
    fn step_over_skips_the_states_inside_a_parallel() {
        let (dbg, handle) = debugger(false, BTreeSet::from(["P".to_owned()]));
        let worker = std::thread::spawn(move || {
            let ports = Ports { observer: Box::new(dbg), ..Ports::default() };
            run(&machine(), json!({}), Options::default(), ports).expect("compiles").status
        });
        assert_eq!(next_pause(&handle.updates), Some(("P".into(), 0)));
        handle.commands.send(Command::StepOver).expect("send");
        assert_eq!(next_pause(&handle.updates), Some(("C".into(), 0)), "B1 is stepped over");
        handle.commands.send(Command::Continue).expect("send");
        assert_eq!(worker.join().expect("thread"), Status::Succeeded);
    }
}

mod manual_answers {
    use serde_json::json;
    use stepwise_interp::manual::{Answer, manual};
    use stepwise_interp::{Options, Ports, Status, run};

    fn callback_machine() -> serde_json::Value {
        json!({"StartAt": "Approve", "States": {"Approve": {
            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "TimeoutSeconds": 60, "HeartbeatSeconds": 10,
            "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Late"}],
            "End": true},
            "Late": {"Type": "Pass", "Result": "late", "End": true}}})
    }

    #[test]
    fn a_callback_task_waits_for_send_task_success_with_its_token() {
        let (backend, handle) = manual();
        let worker = std::thread::spawn(move || {
            let ports = Ports { tasks: Box::new(backend), ..Ports::default() };
            run(&callback_machine(), json!({}), Options::default(), ports).expect("compiles")
        });
        let pending = handle.pending.recv().expect("the task is handed over");
        let token = pending.task_token.clone().expect("callback tasks have a token");
        assert_eq!(
            pending.input["MessageBody"]["token"],
            json!(token),
            "the token reaches Parameters"
        );
        handle
            .answers
            .send(Answer::Success { output: json!({"ok": true}), after_seconds: 5 })
            .expect("send");
        let exec = worker.join().expect("thread");
        assert_eq!(exec.status, Status::Succeeded);
        assert_eq!(exec.output_value().as_ref(), Some(&json!({"ok": true})));
    }

    // Stop while a callback waits: the execution ends ABORTED (as StopExecution does), not
    // FAILED for want of an answer, and the trace of each finished visit was reported live.
    #[test]
    fn stopping_while_a_callback_waits_aborts_the_execution() {
        use std::collections::BTreeSet;
        use stepwise_interp::debugger::{Command, Update, debugger};
        let (backend, manual_handle) = manual();
        let (dbg, handle) = debugger(false, BTreeSet::new());
        let machine = json!({"StartAt": "First", "States": {
            "First": {"Type": "Pass", "Result": 1, "Next": "Approve"},
            "Approve": callback_machine()["States"]["Approve"].clone(),
            "Late": {"Type": "Pass", "End": true}}});
        let worker = std::thread::spawn(move || {
            let ports =
                Ports { tasks: Box::new(backend), observer: Box::new(dbg), ..Ports::default() };
            let options = Options { record_trace: true, ..Options::default() };
            run(&machine, json!({}), options, ports).expect("compiles")
        });
        manual_handle.pending.recv().expect("the task is handed over");
        handle.commands.send(Command::Stop).expect("send");
        drop(manual_handle);
        let exec = worker.join().expect("thread");
        assert_eq!(exec.status, Status::Aborted);
        assert_eq!(exec.events.last().map(|e| e.event_type), Some("ExecutionAborted"));
        let traced: Vec<String> = handle
            .updates
            .try_iter()
            .filter_map(|u| match u {
                Update::Trace(t) => Some(t.state.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(traced, ["First", "Approve"], "each visit is reported as it ends");
    }

    // SendTaskHeartbeat: HeartbeatSeconds (10) counts from the last heartbeat, so an answer 25 s
    // in with heartbeats at 8 s and 16 s is in time; TimeoutSeconds still counts from the start.
    #[test]
    fn heartbeats_keep_a_callback_alive_past_heartbeat_seconds() {
        let (backend, handle) = manual();
        let worker = std::thread::spawn(move || {
            let ports = Ports { tasks: Box::new(backend), ..Ports::default() };
            run(&callback_machine(), json!({}), Options::default(), ports).expect("compiles")
        });
        handle.pending.recv().expect("pending");
        for after_seconds in [8, 16] {
            handle.answers.send(Answer::Heartbeat { after_seconds }).expect("send");
        }
        handle
            .answers
            .send(Answer::Success { output: json!("done"), after_seconds: 25 })
            .expect("send");
        let exec = worker.join().expect("thread");
        assert_eq!(exec.output_value().as_ref(), Some(&json!("done")));
    }

    #[test]
    fn silence_longer_than_heartbeat_seconds_is_a_heartbeat_timeout() {
        let (backend, handle) = manual();
        let worker = std::thread::spawn(move || {
            let ports = Ports { tasks: Box::new(backend), ..Ports::default() };
            run(&callback_machine(), json!({}), Options::default(), ports).expect("compiles")
        });
        handle.pending.recv().expect("pending");
        handle.answers.send(Answer::Silence { after_seconds: 30 }).expect("send");
        let exec = worker.join().expect("thread");
        assert_eq!(
            exec.output_value().as_ref(),
            Some(&json!("late")),
            "caught States.HeartbeatTimeout"
        );
        let types: Vec<&str> = exec.events.iter().map(|e| e.event_type).collect();
        assert!(types.contains(&"TaskTimedOut"), "{types:?}");
    }
}

// Developer guide, ResultWriter (Map), "Exporting to Amazon S3": the results go to
// PREFIX/MAP_RUN_ID/ with a manifest.json listing SUCCEEDED_0.json and FAILED_0.json, and the
// state's output is the Map Run ARN and the manifest's bucket and key.
#[test]
fn result_writer_exports_to_the_s3_stand_in() {
    let root = std::env::temp_dir().join(format!("stepwise-result-writer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let definition = json!({"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": true, "ToleratedFailurePercentage": 50,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "C", "States": {
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Ok"}], "Default": "No"},
                "Ok": {"Type": "Pass", "Result": "fine", "End": true},
                "No": {"Type": "Fail", "Error": "Nope", "Cause": "not ok"}}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "results", "Prefix": "jobs"}}}}});
    let options = Options { s3_root: Some(root.clone()), ..Options::default() };
    let exec = run(&definition, json!([{"ok": true}, {"ok": false}]), options, Ports::default())
        .expect("compiles");
    assert_eq!(exec.status, Status::Succeeded, "{:?}", exec.failure);
    let out = exec.output_value().expect("output");
    let key = out["ResultWriterDetails"]["Key"].as_str().expect("key").to_owned();
    assert_eq!(out["ResultWriterDetails"]["Bucket"], "results");
    assert!(out["MapRunArn"].as_str().is_some_and(|a| a.contains(":mapRun:")), "{out}");
    assert!(key.starts_with("jobs/") && key.ends_with("/manifest.json"), "{key}");
    let read = |key: &str| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(root.join("results").join(key)).expect("file"),
        )
        .expect("json")
    };
    let manifest = read(&key);
    assert_eq!(manifest["DestinationBucket"], "results");
    assert_eq!(manifest["MapRunArn"], out["MapRunArn"]);
    let succeeded = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].as_str().expect("listed");
    let failed = manifest["ResultFiles"]["FAILED"][0]["Key"].as_str().expect("listed");
    assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
    let ok = read(succeeded);
    assert_eq!(ok[0]["Status"], "SUCCEEDED");
    assert_eq!(ok[0]["Output"], "\"fine\"");
    assert_eq!(ok[0]["Input"], "{\"ok\":true}");
    let bad = read(failed);
    assert_eq!(
        (bad[0]["Error"].as_str(), bad[0]["Cause"].as_str()),
        (Some("Nope"), Some("not ok"))
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_result_writer_key_cannot_leave_the_bucket() {
    let definition = json!({"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "b", "Prefix": "../../escape"}}}}});
    let options = Options { s3_root: Some(std::env::temp_dir()), ..Options::default() };
    let exec = run(&definition, json!([1]), options, Ports::default()).expect("compiles");
    assert_eq!(exec.status, Status::Failed);
    assert_eq!(
        exec.failure.as_ref().and_then(|f| f.error.as_deref()),
        Some("States.ResultWriterFailed")
    );
}

// Developer guide, ItemReader (Map): with arn:aws:states:::s3:listObjectsV2 the items are the
// objects under the Prefix, each with Etag, Key, LastModified, Size and StorageClass.
#[test]
fn list_objects_reader_gives_one_item_per_object_under_the_prefix() {
    let root = std::env::temp_dir().join(format!("stepwise-list-objects-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("photos/2024/b")).expect("dirs");
    std::fs::write(root.join("photos/2024/a.jpg"), b"abc").expect("write");
    std::fs::write(root.join("photos/2024/b/c.jpg"), b"hello").expect("write");
    std::fs::write(root.join("photos/other.txt"), b"x").expect("write");
    let definition = json!({"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket": "photos", "Prefix": "2024/"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}});
    let options = Options { s3_root: Some(root.clone()), ..Options::default() };
    let exec = run(&definition, json!({}), options, Ports::default()).expect("compiles");
    assert_eq!(exec.status, Status::Succeeded, "{:?}", exec.failure);
    let out = exec.output_value().expect("output");
    let keys: Vec<&str> =
        out.as_array().expect("array").iter().filter_map(|o| o["Key"].as_str()).collect();
    assert_eq!(keys, ["2024/a.jpg", "2024/b/c.jpg"]);
    assert_eq!(out[0]["Size"], 3);
    assert_eq!(out[0]["Etag"], "\"900150983cd24fb0d6963f7d28e17f72\"");
    assert_eq!(out[0]["StorageClass"], "STANDARD");
    assert!(out[0]["LastModified"].as_u64().is_some_and(|t| t > 1_600_000_000));
    let _ = std::fs::remove_dir_all(&root);
}

// Developer guide, "Choosing workflow type in Step Functions": Express workflows run for up to
// five minutes; a longer one times out, whatever its own TimeoutSeconds says.
#[test]
fn an_express_execution_times_out_after_five_minutes() {
    let definition = json!({"TimeoutSeconds": 3600, "StartAt": "Long", "States": {
        "Long": {"Type": "Wait", "Seconds": 400, "Next": "Done"},
        "Done": {"Type": "Succeed"}}});
    let standard =
        run(&definition, json!({}), Options::default(), Ports::default()).expect("compiles");
    assert_eq!(standard.status, Status::Succeeded);
    let options = Options { express: true, ..Options::default() };
    let express = run(&definition, json!({}), options, Ports::default()).expect("compiles");
    assert_eq!(express.status, Status::TimedOut);
    let events = express.events_json();
    let last = events.as_array().and_then(|e| e.last()).expect("events");
    assert_eq!(last["type"], "ExecutionTimedOut");
    let short = json!({"StartAt": "Short", "States": {"Short": {"Type": "Wait", "Seconds": 299, "End": true}}});
    let options = Options { express: true, ..Options::default() };
    assert_eq!(
        run(&short, json!({}), options, Ports::default()).expect("compiles").status,
        Status::Succeeded
    );
}

/// Chains of Pass states each adding a field with ResultPath (AWS developer guide, "Specifying
/// state output using ResultPath in Step Functions": the result is added to the state's input)
/// run on a loop of their own when no trace is recorded, whose exits may hold their output
/// only through the next state's. The record must be the traced run's in every corner: more
/// fields than layers stack, a field written twice, concurrent branches put in time order,
/// and the history or payload limit reached in the middle of a chain.
#[test]
fn chains_of_pass_states_adding_fields_record_what_traced_runs_record() {
    let chain = |prefix: &str, n: usize, end: serde_json::Map<String, Value>| {
        let mut states = serde_json::Map::new();
        for i in 0..n {
            let mut s =
                json!({"Type": "Pass", "Result": i, "ResultPath": format!("$.{prefix}{i}")});
            match i + 1 < n {
                true => s["Next"] = json!(format!("{prefix}{}", i + 1)),
                false => s["Next"] = json!("End"),
            }
            states.insert(format!("{prefix}{i}"), s);
        }
        states.extend(end);
        states
    };
    let end = |state: Value| serde_json::Map::from_iter([("End".to_owned(), state)]);
    let succeed = || end(json!({"Type": "Succeed"}));
    let mut long = chain("a", 40, succeed());
    // Writing a field the input already has: no layer, a copy.
    long["a5"]["ResultPath"] = json!("$.request");
    let mut late =
        chain("b", 3, end(json!({"Type": "Pass", "ResultPath": "$.extra.x", "End": true})));
    late.insert("Wait".to_owned(), json!({"Type": "Wait", "Seconds": 1, "Next": "b0"}));
    let parallel = json!({"StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "End": true,
    "Branches": [
        {"StartAt": "a0", "States": long},
        {"StartAt": "Wait", "States": late},
        {"StartAt": "c0", "States": chain("c", 5, succeed())}
    ]}}});
    let single = json!({"StartAt": "a0", "States": chain("a", 12, succeed())});
    // Pass states writing the same two fields again and again, until the history is full.
    let looping = json!({"StartAt": "C", "States": {
        "C": {"Type": "Pass", "Result": 1, "ResultPath": "$.c", "Next": "L"},
        "L": {"Type": "Pass", "Result": 2, "ResultPath": "$.l", "Next": "C"}}});
    let limits = |history: usize, payload: usize| stepwise_interp::Limits {
        max_history_events: history,
        max_payload_bytes: payload,
    };
    let cases = [
        (&parallel, stepwise_interp::Limits::default(), Status::Succeeded),
        (&single, stepwise_interp::Limits::default(), Status::Succeeded),
        (&single, limits(10, 256 * 1024), Status::Failed),
        (&single, limits(1000, 90), Status::Failed),
        (&looping, limits(101, 256 * 1024), Status::Failed),
    ];
    for (definition, limits, status) in cases {
        let record = |record_trace| {
            let options = Options { record_trace, limits, ..Options::default() };
            let exec = run(definition, json!({"request": "fan-out"}), options, Ports::default())
                .expect("compiles");
            assert_eq!(exec.status, status, "{:?}", exec.failure);
            exec.record_json()
        };
        assert_eq!(record(false), record(true), "limits {limits:?}");
    }
}

/// A Pass whose only data step is Parameters and a Choice without InputPath, OutputPath,
/// Assign or `$$` reads have visits of their own when no trace is recorded
/// (`execution/quick_visit.rs`); the record must be the traced run's. Parameters build the
/// result, ResultPath places it (developer guide, "Processing input and output in Step
/// Functions"); the first Choice rule that matches chooses, else `Default`, else
/// `States.NoChoiceMatched`, and a Variable that is not there is `States.Runtime` (developer
/// guide, "Choice workflow state"; "Error handling in Step Functions"). The states beside them
/// take the general visit (Parameters with `Result`, InputPath, OutputPath, Assign, `$$` in a
/// rule) and must record the same too.
#[test]
fn pass_parameters_and_choice_visits_record_what_traced_runs_record() {
    let counting = |pass: Value, choice: Value| {
        let mut pass = pass;
        pass["Type"] = json!("Pass");
        pass["Next"] = json!("Again?");
        let mut choice = choice;
        choice["Type"] = json!("Choice");
        json!({"StartAt": "Increment", "States": {
            "Increment": pass,
            "Again?": choice,
            "Done": {"Type": "Succeed"}}})
    };
    let add = json!({"Parameters": {"n.$": "States.MathAdd($.n, 1)", "state.$": "$$.State.Name",
        "at.$": "$$.State.EnteredTime", "fixed": [1, 2]}});
    let below = |limit: i64| {
        json!({"Choices": [{"Variable": "$.n", "NumericLessThan": limit, "Next": "Increment"}],
            "Default": "Done"})
    };
    let with = |base: &Value, extra: Value| {
        let mut v = base.clone();
        for (k, x) in extra.as_object().expect("an object") {
            v[k] = x.clone();
        }
        v
    };
    let limits = |history: usize, payload: usize| stepwise_interp::Limits {
        max_history_events: history,
        max_payload_bytes: payload,
    };
    let default = stepwise_interp::Limits::default();
    let cases = [
        // The quick visits, to the end, to the history limit, to the payload limit.
        (counting(add.clone(), below(50)), json!({"n": 0}), default, Status::Succeeded),
        (counting(add.clone(), below(50)), json!({"n": 0}), limits(37, 256 * 1024), Status::Failed),
        (counting(add.clone(), below(50)), json!({"n": 0}), limits(1000, 60), Status::Failed),
        // ResultPath into the input, and `null` (the input passed on).
        (
            counting(
                json!({"Parameters": {"n.$": "States.MathAdd($.step.n, 1)"}, "ResultPath": "$.step"}),
                json!({"Choices": [{"Variable": "$.step.n", "NumericLessThan": 5,
                    "Next": "Increment"}], "Default": "Done"}),
            ),
            json!({"n": 0, "step": {"n": 0}}),
            default,
            Status::Succeeded,
        ),
        (
            counting(with(&add, json!({"ResultPath": null})), below(5)),
            json!({"n": 5}),
            default,
            Status::Succeeded,
        ),
        // States.MathAdd failing: out of range, not a number, a path that finds nothing.
        (counting(add.clone(), below(5)), json!({"n": 2147483648_i64}), default, Status::Failed),
        (counting(add.clone(), below(5)), json!({"n": "0"}), default, Status::Failed),
        (counting(add.clone(), below(5)), json!({"m": 0}), default, Status::Failed),
        // Choice: no rule matches and no Default; a Variable that is not there.
        (
            counting(json!({"Parameters": {"n": 7}}), json!({"Choices": below(5)["Choices"]})),
            json!({}),
            default,
            Status::Failed,
        ),
        (
            counting(json!({"Parameters": {"m.$": "$.n"}}), below(5)),
            json!({"n": 1}),
            default,
            Status::Failed,
        ),
        // The general visits: Parameters beside Result, InputPath, OutputPath, Assign, `$$`.
        (
            counting(with(&add, json!({"Result": {"n": 9}})), below(5)),
            json!({"n": 0}),
            default,
            Status::Succeeded,
        ),
        (
            counting(
                with(&add, json!({"InputPath": "$.inner", "ResultPath": "$.inner"})),
                json!({"Choices": [{"Variable": "$.inner.n", "NumericLessThan": 5,
                    "Next": "Increment"}], "Default": "Done", "OutputPath": "$"}),
            ),
            json!({"inner": {"n": 0}}),
            default,
            Status::Succeeded,
        ),
        (
            counting(
                with(&add, json!({"Assign": {"last.$": "$.n"}})),
                with(&below(5), json!({"Assign": {"done": true}})),
            ),
            json!({"n": 0}),
            default,
            Status::Succeeded,
        ),
        (
            counting(
                add.clone(),
                json!({"Choices": [{"And": [
                    {"Variable": "$.n", "NumericLessThan": 5},
                    {"Variable": "$$.State.Name", "StringEquals": "Again?"}],
                    "Next": "Increment"}], "Default": "Done"}),
            ),
            json!({"n": 0}),
            default,
            Status::Succeeded,
        ),
    ];
    for (definition, input, limits, status) in cases {
        let record = |record_trace| {
            let options = Options { record_trace, limits, ..Options::default() };
            let exec =
                run(&definition, input.clone(), options, Ports::default()).expect("compiles");
            assert_eq!(exec.status, status, "{definition} {:?}", exec.failure);
            exec.record_json()
        };
        assert_eq!(record(false), record(true), "{definition} {limits:?}");
    }
}

/// JSONata fields that pick, count or merge (`$states.input.n + 1`, `$states.input.n < 5`,
/// `$merge([$states.input, {'seen': true}])`) are found without an evaluation where the paths
/// meet objects and numbers (`dataflow/jsonata.rs`, `Shortcut`), and an output built of
/// literals and operations is held to the payload limit by its size bound. Each must record
/// what the evaluation records (the same fields in parentheses, which it always evaluates),
/// with and without a trace: the developer guide's data flow ("Transforming data with JSONata
/// in Step Functions"), the 256 KiB payload limit as `States.DataLimitExceeded` ("Step
/// Functions service quotas"), and `States.QueryEvaluationError` where an expression fails —
/// a string counted, a field missing, `$merge` hidden by a workflow variable of that name.
#[test]
fn jsonata_shortcuts_record_what_the_evaluation_records() {
    let machine = |increment: &str, condition: &str, mark: &str, assign: Value| {
        let mut m = json!({"QueryLanguage": "JSONata", "StartAt": "Increment", "States": {
            "Increment": {"Type": "Pass", "Output": {"n": increment, "tag": [1, "x"]},
                "Next": "Mark"},
            "Mark": {"Type": "Pass", "Output": mark, "Next": "Again?"},
            "Again?": {"Type": "Choice", "Default": "Done",
                "Choices": [{"Condition": condition, "Next": "Increment"}]},
            "Done": {"Type": "Succeed"}}});
        if assign != json!({}) {
            m["States"]["Increment"]["Assign"] = assign;
        }
        m
    };
    let (increment, condition, mark) =
        ("$states.input.n + 1", "$states.input.n < 5", "$merge([$states.input, {'seen': true}])");
    let quick = |assign: &Value| {
        let [i, c, m] = [increment, condition, mark].map(|e| format!("{{% {e} %}}"));
        machine(&i, &c, &m, assign.clone())
    };
    let evaluated = |assign: &Value| {
        let [i, c, m] = [increment, condition, mark].map(|e| format!("{{% ({e}) %}}"));
        machine(&i, &c, &m, assign.clone())
    };
    let limits = |payload: usize| stepwise_interp::Limits {
        max_payload_bytes: payload,
        ..stepwise_interp::Limits::default()
    };
    let default = stepwise_interp::Limits::default();
    let none = json!({});
    let hiding = json!({"merge": "{% 1 %}"});
    let cases = [
        (&none, json!({"n": 0}), default, None),
        // `{"n":1,"tag":[1,"x"]}` (21 bytes) fits, `Mark`'s 33 bytes do not; nor do 21.
        (&none, json!({"n": 0}), limits(30), Some("States.DataLimitExceeded")),
        (&none, json!({"n": 0}), limits(20), Some("States.DataLimitExceeded")),
        (&none, json!({"n": "zero"}), default, Some("States.QueryEvaluationError")),
        (&none, json!({"m": 0}), default, Some("States.QueryEvaluationError")),
        (&hiding, json!({"n": 0}), default, Some("States.QueryEvaluationError")),
    ];
    for (assign, input, limits, error) in cases {
        let record = |definition: &Value, record_trace| {
            let options = Options { record_trace, limits, ..Options::default() };
            let exec = run(definition, input.clone(), options, Ports::default()).expect("compiles");
            let failed = exec.failure.as_ref().map(|f| f.error_name().to_owned());
            assert_eq!(failed.as_deref(), error, "{input} {limits:?}");
            exec.record_json()
        };
        let (quick, evaluated) = (quick(assign), evaluated(assign));
        assert_eq!(record(&quick, false), record(&quick, true), "{input} {limits:?}");
        if error != Some("States.QueryEvaluationError") {
            // A failing expression's message quotes it, parentheses and all.
            assert_eq!(record(&quick, false), record(&evaluated, false), "{input} {limits:?}");
        }
    }
}
