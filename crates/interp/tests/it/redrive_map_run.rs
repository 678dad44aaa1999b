//! Redriving an execution whose Distributed Map failed (developer guide, "Redriving Map Runs";
//! API reference, `MapRunRedrivenEventDetails` and `MapRunExecutionCounts`): the Map Run is
//! redriven, only its unsuccessful child workflow executions run again.
//!
//! The children's task answers depend on their item, so each attempt chooses which items fail,
//! and every invocation is counted.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Value, json};
use stepwise_interp::ports::{TaskAnswer, TaskInvoker, TaskOutcome, TaskRequest, Unanswered};
use stepwise_interp::redrive::{PreviousRun, redrive};
use stepwise_interp::{Execution, Failure, Options, Ports, Status, compile, run};

/// Answers `{"done": n}` for item `n`, or throws `Boom` when `n` is in `failing`; records the
/// items it was called with.
struct Items {
    failing: Vec<u64>,
    calls: Rc<RefCell<Vec<u64>>>,
}

impl TaskInvoker for Items {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let n = request.input.to_value().as_u64().expect("a numeric item");
        self.calls.borrow_mut().push(n);
        let outcome = if self.failing.contains(&n) {
            TaskOutcome::Failed(Failure::new("Boom", format!("item {n} failed")))
        } else {
            TaskOutcome::Succeeded(json!({"done": n}))
        };
        Ok(TaskAnswer { outcome, duration_ms: 0, silence_ms: None })
    }
}

/// Ports whose items in `failing` fail, and the list of items the tasks were called with.
fn ports(failing: &[u64]) -> (Ports, Rc<RefCell<Vec<u64>>>) {
    let calls = Rc::new(RefCell::new(Vec::new()));
    let tasks = Items { failing: failing.to_vec(), calls: calls.clone() };
    (Ports { tasks: Box::new(tasks), ..Ports::default() }, calls)
}

fn options() -> Options {
    Options { state_machine_name: "sm".into(), ..Options::default() }
}

/// A Distributed Map over the input array whose children run one Task each.
fn distributed(extra: Value) -> Value {
    let mut map = json!({"Type": "Map", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work", "States": {"Work": {"Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}});
    for (k, v) in extra.as_object().expect("fields") {
        map[k] = v.clone();
    }
    json!({"StartAt": "Each", "States": {"Each": map}})
}

fn first_attempt(definition: &Value, items: u64, failing: &[u64]) -> (Execution, Vec<u64>) {
    let (ports, calls) = ports(failing);
    let input = Value::from((0..items).collect::<Vec<_>>());
    let exec = run(definition, input, options(), ports).expect("compiles");
    let calls = calls.borrow().clone();
    (exec, calls)
}

/// Redrives `previous` from its `stepwise run --json` record.
fn redriven(definition: &Value, previous: &Execution, failing: &[u64]) -> (Execution, Vec<u64>) {
    let plan = compile(definition).expect("compiles");
    let record = PreviousRun::from_json(&previous.record_json()).expect("a record");
    let (ports, calls) = ports(failing);
    let exec = redrive(&plan, &record, options(), ports).expect("redrivable");
    let calls = calls.borrow().clone();
    (exec, calls)
}

/// The event types after the last `ExecutionRedriven`.
fn types_after_redrive(exec: &Execution) -> Vec<&'static str> {
    let types: Vec<&'static str> = exec.events.iter().map(|e| e.event_type).collect();
    let start = types.iter().rposition(|t| *t == "ExecutionRedriven").expect("redriven");
    types[start + 1..].to_vec()
}

fn event_of(exec: &Execution, event_type: &str) -> Vec<Value> {
    let events = exec.events_json();
    let all = events.as_array().expect("events");
    all.iter().filter(|e| e["type"] == event_type).cloned().collect()
}

fn done(items: std::ops::Range<u64>) -> Value {
    items.map(|n| json!({"done": n})).collect()
}

#[test]
fn only_the_unsuccessful_children_of_the_map_run_run_again() {
    // "if the event history doesn't contain the MapStateExited event for a MapStateEntered
    // event, you can redrive the parent workflow to redrive all the unsuccessful child workflow
    // executions in the Map Run"; RedriveExecution: "Step Functions preserves the results and
    // execution history of the successful steps, and doesn't rerun these steps".
    let def = distributed(json!({}));
    let (first, calls) = first_attempt(&def, 6, &[1, 4]);
    assert_eq!(first.status, Status::Failed);
    assert_eq!(calls, [0, 1, 2, 3, 4, 5], "every child ran once");
    let (executions, _) = first.map_runs[0].counts();
    assert_eq!(
        (executions["succeeded"].as_u64(), executions["failed"].as_u64()),
        (Some(4), Some(2))
    );

    let (again, calls) = redriven(&def, &first, &[]);
    assert_eq!(again.status, Status::Succeeded, "{:?}", again.failure);
    assert_eq!(calls, [1, 4], "only the failed children run again");
    assert_eq!(again.output_value(), Some(done(0..6)), "all results, in item order");
    // The parent's events: the Map state is re-entered and the same Map Run redriven
    // (MapRunRedriven, no new MapRunStarted); the children's events stay out of it.
    assert_eq!(
        types_after_redrive(&again),
        [
            "MapStateEntered",
            "MapStateStarted",
            "MapRunRedriven",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    // MapRunRedrivenEventDetails: "mapRunArn: The Amazon Resource Name (ARN) of a Map Run that
    // was redriven"; "redriveCount: The number of times the Map Run has been redriven at this
    // point in the execution's history including this event. The redrive count for a redriven
    // Map Run is always greater than 0."
    let started = &event_of(&again, "MapRunStarted")[0]["mapRunStartedEventDetails"];
    let redriven_event = &event_of(&again, "MapRunRedriven")[0]["mapRunRedrivenEventDetails"];
    assert_eq!(redriven_event["mapRunArn"], started["mapRunArn"], "the same Map Run");
    assert_eq!(redriven_event["redriveCount"], 1);
    assert_eq!(event_of(&again, "MapRunStarted").len(), 1);
    assert_eq!(event_of(&again, "MapStateStarted")[1]["mapStateStartedEventDetails"]["length"], 6);
    // MapRunExecutionCounts after the redrive: every child succeeded.
    assert_eq!(again.map_runs.len(), 1, "one Map Run, updated");
    let run = &again.map_runs[0];
    assert_eq!(run.redrive_count, 1);
    let (executions, items) = run.counts();
    assert_eq!(executions["succeeded"], 6);
    assert_eq!(executions["failed"], 0);
    assert_eq!(items["total"], 6);
    let redriven_children: Vec<u64> = run.children.iter().map(|c| c.redrive_count).collect();
    assert_eq!(redriven_children, [0, 1, 0, 0, 1, 0], "the failed children were redriven once");
}

#[test]
fn children_that_fail_again_fail_the_map_run_again_and_a_later_redrive_continues() {
    // ToleratedFailureCount: "If the number of failed items exceeds this number, the Map Run
    // fails" — after a redrive the Map Run's children are counted as they now stand.
    let def = distributed(json!({}));
    let (first, _) = first_attempt(&def, 5, &[1, 3]);
    let (second, calls) = redriven(&def, &first, &[3]);
    assert_eq!(calls, [1, 3], "only the two failed children are redriven");
    assert_eq!(second.status, Status::Failed);
    let failure = second.failure.clone().expect("a failure");
    assert_eq!(failure.error.as_deref(), Some("States.ExceedToleratedFailureThreshold"));
    assert!(failure.cause.as_deref().is_some_and(|c| c.contains("(1 of 5)")), "{failure:?}");
    assert_eq!(
        types_after_redrive(&second),
        [
            "MapStateEntered",
            "MapStateStarted",
            "MapRunRedriven",
            "MapRunFailed",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
    let (executions, _) = second.map_runs[0].counts();
    assert_eq!(
        (executions["succeeded"].as_u64(), executions["failed"].as_u64()),
        (Some(4), Some(1))
    );

    let (third, calls) = redriven(&def, &second, &[]);
    assert_eq!(calls, [3], "the child that failed twice is the only one left");
    assert_eq!(third.status, Status::Succeeded, "{:?}", third.failure);
    assert_eq!(third.output_value(), Some(done(0..5)));
    let counts: Vec<Value> = event_of(&third, "MapRunRedriven")
        .iter()
        .map(|e| e["mapRunRedrivenEventDetails"]["redriveCount"].clone())
        .collect();
    assert_eq!(counts, [json!(1), json!(2)], "the Map Run's own redrive count");
    assert_eq!(third.map_runs[0].children[3].redrive_count, 2);
}

#[test]
fn the_failure_threshold_counts_all_children_of_the_redriven_map_run() {
    // ToleratedFailureCount: "If the number of failed items exceeds this number, the Map Run
    // fails"; within it the failed child's slot holds its error (docs/distributed-map.md).
    let def = distributed(json!({"ToleratedFailureCount": 1}));
    let (first, _) = first_attempt(&def, 4, &[0, 2]);
    assert_eq!(first.status, Status::Failed, "two failures exceed one");
    let (again, calls) = redriven(&def, &first, &[2]);
    assert_eq!(calls, [0, 2]);
    assert_eq!(again.status, Status::Succeeded, "one failure of four is tolerated");
    let out = again.output_value().expect("output");
    assert_eq!(out[0], json!({"done": 0}));
    assert_eq!(out[2]["Error"], "Boom");
    assert_eq!(out[3], json!({"done": 3}));
}

#[test]
fn a_map_run_that_never_started_starts_on_redrive() {
    // "If the Map Run wasn't started in the original execution attempt of the parent workflow,
    // redriving the parent workflow starts the Map Run for the first time."
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "ReaderConfig": {"InputType": "JSON"},
            "Parameters": {"Bucket": "bucket", "Key": "items.json"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Work", "States": {"Work": {"Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}});
    let (first, calls) = first_attempt(&def, 0, &[]);
    let error = first.failure.as_ref().and_then(|f| f.error.as_deref());
    assert_eq!(error, Some("States.ItemReaderFailed"));
    assert!(calls.is_empty());
    let root =
        std::env::temp_dir().join(format!("stepwise-redrive-map-run-{}", std::process::id()));
    std::fs::create_dir_all(root.join("bucket")).expect("a bucket");
    std::fs::write(root.join("bucket/items.json"), "[7, 8]").expect("items");
    let plan = compile(&def).expect("compiles");
    let record = PreviousRun::from_json(&first.record_json()).expect("a record");
    let (ports, calls) = ports(&[]);
    let opts = Options { s3_root: Some(root.clone()), ..options() };
    let again = redrive(&plan, &record, opts, ports).expect("redrivable");
    std::fs::remove_dir_all(&root).expect("cleaned up");
    assert_eq!(again.status, Status::Succeeded, "{:?}", again.failure);
    assert_eq!(*calls.borrow(), [7, 8]);
    assert!(types_after_redrive(&again).contains(&"MapRunStarted"));
    assert!(!types_after_redrive(&again).contains(&"MapRunRedriven"));
}

#[test]
fn a_result_writer_reports_every_child_with_its_own_redrive_count() {
    // ResultWriter, Transformation NONE: each child's output "with the workflow execution
    // metadata" (RedriveCount among it); DescribeExecution, redriveCount: "The number of times
    // you've redriven an execution".
    let def = distributed(json!({"ResultWriter": {"WriterConfig": {"Transformation": "NONE"}}}));
    let (first, _) = first_attempt(&def, 3, &[1]);
    let (again, calls) = redriven(&def, &first, &[]);
    assert_eq!(calls, [1]);
    let out = again.output_value().expect("output");
    let field = |key: &str| -> Vec<Value> {
        out.as_array().expect("children").iter().map(|c| c[key].clone()).collect()
    };
    assert_eq!(field("RedriveCount"), [json!(0), json!(1), json!(0)]);
    assert_eq!(field("Status"), vec![json!("SUCCEEDED"); 3]);
    assert_eq!(field("Output")[1], json!("{\"done\":1}"));
}

#[test]
fn a_map_run_redriven_a_thousand_times_is_not_redriven_again() {
    // "You haven't exceeded the hard limit of 1000 redrives of a given Map Run. If you've
    // exceeded this limit, you'll receive the States.Runtime error."
    let def = distributed(json!({}));
    let (first, _) = first_attempt(&def, 2, &[0]);
    let mut record = first.record_json();
    record["mapRuns"][0]["redriveCount"] = json!(1000);
    let plan = compile(&def).expect("compiles");
    let record = PreviousRun::from_json(&record).expect("a record");
    let (ports, calls) = ports(&[]);
    let again = redrive(&plan, &record, options(), ports).expect("the execution is redrivable");
    assert!(calls.borrow().is_empty(), "no child runs");
    let error = again.failure.as_ref().and_then(|f| f.error.as_deref());
    assert_eq!(error, Some("States.Runtime"));
    assert!(!types_after_redrive(&again).contains(&"MapRunRedriven"));
}
