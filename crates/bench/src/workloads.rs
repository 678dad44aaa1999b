//! The workloads, generated once into `target/bench/` and read by both Stepwise and the peers.
//!
//! Every file is plain JSON so a Node script can read it as it is:
//! - `interp/<name>.json`: `{ "definition", "input", "liftPayloadLimit" }`;
//! - `asl/machine-<n>.asl.json`: a realistic state machine of exactly `n` states;
//! - `layout/graph-<n>.json`: that machine's graph as Stepwise projects it (scopes, nodes with
//!   their sizes, edges by kind), for a peer layout engine to lay out the same graph.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Map, Value, json};
use stepwise_graph::{EdgeKind, NodeKind, StateGraph};
use stepwise_layout::{MARKER_SIZE, STATE_SIZE};

/// One interpreter workload.
pub struct InterpWorkload {
    /// File stem and table label.
    pub name: &'static str,
    /// What it does, for the table.
    pub label: &'static str,
    pub definition: Value,
    pub input: Value,
    /// Whether AWS's 256 KiB payload limit (and the 25,000-event history limit) is lifted.
    pub lift_limits: bool,
}

/// A Choice/Pass loop of `iterations` iterations counting with `States.MathAdd`.
pub fn counting_loop(iterations: u64) -> InterpWorkload {
    let definition = json!({
        "Comment": "Counts to the limit with States.MathAdd, one Pass and one Choice per step.",
        "StartAt": "Increment",
        "States": {
            "Increment": {
                "Type": "Pass",
                "Parameters": {"n.$": "States.MathAdd($.n, 1)"},
                "Next": "Again?"
            },
            "Again?": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericLessThan": iterations, "Next": "Increment"}],
                "Default": "Done"
            },
            "Done": {"Type": "Succeed"}
        }
    });
    InterpWorkload {
        name: "loop-1000",
        label: "Choice/Pass loop, 1,000 iterations (MathAdd)",
        definition,
        input: json!({"n": 0}),
        lift_limits: false,
    }
}

/// An inline Map over `items` items, each through 3 Pass states and a Choice.
pub fn inline_map(items: usize) -> InterpWorkload {
    let definition = json!({
        "StartAt": "EachItem",
        "States": {
            "EachItem": {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Select",
                    "States": {
                        "Select": {
                            "Type": "Pass",
                            "Parameters": {"v.$": "$.v", "label.$": "$.label"},
                            "Next": "Mark"
                        },
                        "Mark": {"Type": "Pass", "Result": 1, "ResultPath": "$.seen", "Next": "Size?"},
                        "Size?": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$.v", "NumericGreaterThan": items / 2, "Next": "Big"}],
                            "Default": "Small"
                        },
                        "Big": {"Type": "Pass", "Result": "big", "ResultPath": "$.size", "End": true},
                        "Small": {"Type": "Pass", "Result": "small", "ResultPath": "$.size", "End": true}
                    }
                },
                "End": true
            }
        }
    });
    let input: Vec<Value> =
        (0..items).map(|i| json!({"v": i, "label": format!("item-{i}")})).collect();
    let (name, label) = match items {
        10_000 => ("map-10000", "inline Map, 10,000 items × (3 Pass + Choice)"),
        100_000 => ("map-100000", "inline Map, 100,000 items × (3 Pass + Choice)"),
        _ => ("map", "inline Map × (3 Pass + Choice)"),
    };
    InterpWorkload { name, label, definition, input: Value::Array(input), lift_limits: true }
}

/// A Parallel of `branches` branches, each a chain of `length` Pass states.
pub fn parallel(branches: usize, length: usize) -> InterpWorkload {
    let branch = |b: usize| {
        let mut states = Map::new();
        for s in 0..length {
            // Results start at 1: aws-local-stepfunctions 3.0.0 takes `"Result": 0` for no
            // Result (and passes the input on), which would make the outputs differ.
            let result = s + 1;
            let mut state =
                json!({"Type": "Pass", "Result": result, "ResultPath": format!("$.s{s}")});
            if s + 1 < length {
                state["Next"] = json!(format!("B{b}.{}", s + 1));
            } else {
                state["End"] = json!(true);
            }
            states.insert(format!("B{b}.{s}"), state);
        }
        json!({"StartAt": format!("B{b}.0"), "States": states})
    };
    let definition = json!({
        "StartAt": "FanOut",
        "States": {"FanOut": {
            "Type": "Parallel",
            "Branches": (0..branches).map(branch).collect::<Vec<_>>(),
            "End": true
        }}
    });
    InterpWorkload {
        name: "parallel-50x20",
        label: "Parallel, 50 branches × 20 Pass",
        definition,
        input: json!({"request": "fan-out"}),
        lift_limits: false,
    }
}

/// `states` Pass states reshaping an input of about `bytes` bytes (under 256 KiB).
pub fn reshaping_payload(states: usize, bytes: usize) -> InterpWorkload {
    let mut machine = Map::new();
    for s in 0..states {
        let mut state = match s % 4 {
            // Wrap the data with a step counter.
            0 => json!({"Type": "Pass", "Parameters": {"data.$": "$.data", "step": s}}),
            // Select and put back with paths.
            1 => json!({"Type": "Pass", "InputPath": "$", "OutputPath": "$"}),
            // Add a small result beside the data.
            2 => json!({"Type": "Pass", "Result": {"at": s}, "ResultPath": "$.meta"}),
            // Read one row out of the middle and keep everything.
            _ => {
                json!({"Type": "Pass", "Parameters": {"data.$": "$.data", "first.$": "$.data[0]"}})
            }
        };
        if s + 1 < states {
            state["Next"] = json!(format!("Reshape{}", s + 1));
        } else {
            state["End"] = json!(true);
        }
        machine.insert(format!("Reshape{s}"), state);
    }
    let definition = json!({"StartAt": "Reshape0", "States": machine});
    let mut rows = Vec::new();
    let mut size = 0;
    while size < bytes {
        let i = rows.len();
        let row =
            json!({"id": i, "name": format!("customer-{i:06}"), "tags": ["a", "b"], "score": 1.5});
        size += row.to_string().len() + 1;
        rows.push(row);
    }
    InterpWorkload {
        name: "payload-200x200kb",
        label: "200 Pass reshaping a 200 KB input",
        definition,
        input: json!({"data": rows}),
        lift_limits: false,
    }
}

/// The four timed interpreter workloads of issue #4, in table order.
pub fn interp_workloads() -> Vec<InterpWorkload> {
    vec![counting_loop(1000), inline_map(10_000), parallel(50, 20), reshaping_payload(200, 200_000)]
}

/// [`counting_loop`] written in JSONata: the same states and transitions, `Output` for the
/// Pass's `Parameters` and a `Condition` for the Choice rule.
pub fn counting_loop_jsonata(iterations: u64) -> InterpWorkload {
    let definition = json!({
        "Comment": "Counts to the limit, one Pass and one Choice per step, in JSONata.",
        "QueryLanguage": "JSONata",
        "StartAt": "Increment",
        "States": {
            "Increment": {
                "Type": "Pass",
                "Output": {"n": "{% $states.input.n + 1 %}"},
                "Next": "Again?"
            },
            "Again?": {
                "Type": "Choice",
                "Choices": [{"Condition": format!("{{% $states.input.n < {iterations} %}}"), "Next": "Increment"}],
                "Default": "Done"
            },
            "Done": {"Type": "Succeed"}
        }
    });
    InterpWorkload {
        name: "loop-1000-jsonata",
        label: "Choice/Pass loop, 1,000 iterations (JSONata)",
        definition,
        input: json!({"n": 0}),
        lift_limits: false,
    }
}

/// [`inline_map`] written in JSONata, state for state: `Items` for the items, an `Output`
/// object for the selecting `Parameters`, `$merge` outputs for the `ResultPath`s and a
/// `Condition` for the rule — the same data flow, so the ratio measures the query language.
pub fn inline_map_jsonata(items: usize) -> InterpWorkload {
    let half = items / 2;
    let definition = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "EachItem",
        "States": {
            "EachItem": {
                "Type": "Map",
                "Items": "{% $states.input %}",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Select",
                    "States": {
                        "Select": {
                            "Type": "Pass",
                            "Output": {"v": "{% $states.input.v %}", "label": "{% $states.input.label %}"},
                            "Next": "Mark"
                        },
                        "Mark": {
                            "Type": "Pass",
                            "Output": "{% $merge([$states.input, {'seen': 1}]) %}",
                            "Next": "Size?"
                        },
                        "Size?": {
                            "Type": "Choice",
                            "Choices": [{"Condition": format!("{{% $states.input.v > {half} %}}"), "Next": "Big"}],
                            "Default": "Small"
                        },
                        "Big": {
                            "Type": "Pass",
                            "Output": "{% $merge([$states.input, {'size': 'big'}]) %}",
                            "End": true
                        },
                        "Small": {
                            "Type": "Pass",
                            "Output": "{% $merge([$states.input, {'size': 'small'}]) %}",
                            "End": true
                        }
                    }
                },
                "End": true
            }
        }
    });
    let twin = inline_map(items);
    let (name, label) = match items {
        10_000 => ("map-10000-jsonata", "inline Map, 10,000 items × (3 Pass + Choice) (JSONata)"),
        _ => ("map-jsonata", "inline Map × (3 Pass + Choice) (JSONata)"),
    };
    InterpWorkload { name, label, definition, input: twin.input, lift_limits: true }
}

/// The JSONata workloads, each with the name of its JSONPath twin in [`interp_workloads`]:
/// the interpreter issue allows JSONata mode at most [`JSONATA_MAX_RATIO`] times the cost.
pub fn jsonata_workloads() -> Vec<(InterpWorkload, &'static str)> {
    vec![(counting_loop_jsonata(1000), "loop-1000"), (inline_map_jsonata(10_000), "map-10000")]
}

/// How many times the JSONPath twin's time a JSONata workload may take.
pub const JSONATA_MAX_RATIO: f64 = 3.0;

/// Expressions timed on stepwise-jsonata and the reference implementation, with their input:
/// `orders` of `n` orders (id, customer, status, price, qty, tags), integers only so both sides
/// print the results alike.
pub fn jsonata_expressions(n: usize) -> (Value, Vec<(&'static str, &'static str)>) {
    let orders: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "id": i,
                "customer": format!("customer-{:03}", i % 100),
                "status": if i % 3 == 0 { "open" } else { "closed" },
                "price": (i * 7) % 100 + 1,
                "qty": i % 5 + 1,
                "tags": ["a", if i % 2 == 0 { "even" } else { "odd" }],
            })
        })
        .collect();
    let expressions = vec![
        ("sum of a mapped path", "$sum(orders.(price * qty))"),
        ("filter then select", "orders[status = 'open' and price > 50].id"),
        ("group by key", "orders{customer: $sum(price)}"),
        ("sort, slice, construct", "orders^(>price, id)[[0..99]].{'id': id, 'total': price * qty}"),
        ("lambda over items", "$map(orders, function($o) { $o.qty > 2 ? $o.id : -$o.id })"),
    ];
    (json!({ "orders": orders }), expressions)
}

/// The size of the expressions' input.
pub const JSONATA_ORDERS: usize = 10_000;

/// The retrier AWS recommends for Lambda invocations (transient service errors).
fn lambda_retry() -> Value {
    json!([{
        "ErrorEquals": [
            "Lambda.ServiceException",
            "Lambda.AWSLambdaException",
            "Lambda.SdkClientException",
            "Lambda.TooManyRequestsException"
        ],
        "IntervalSeconds": 1,
        "MaxAttempts": 3,
        "BackoffRate": 2
    }])
}

/// A Lambda-invoking Task with Retry, Catch to `HandleError` and a timeout.
fn task(function: &str, next: Option<&str>) -> Value {
    let mut state = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {
            "FunctionName": format!("arn:aws:lambda:us-east-1:123456789012:function:{function}"),
            "Payload.$": "$"
        },
        "ResultSelector": {"status.$": "$.Payload.status", "value.$": "$.Payload.value"},
        "ResultPath": "$.last",
        "TimeoutSeconds": 30,
        "Retry": lambda_retry(),
    });
    match next {
        Some(next) => state["Next"] = json!(next),
        None => state["End"] = json!(true),
    }
    state
}

fn with_catch(mut state: Value) -> Value {
    state["Catch"] =
        json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "HandleError"}]);
    state
}

/// A realistic state machine of exactly `states` states (nested ones included; at least 30):
/// a Parallel of two branches, an inline Map, then blocks of a Lambda Task (Retry, Catch to a
/// shared error handler), a Choice with an And rule and a Default, two Pass states and a Wait,
/// then Pass states to make the count, a Succeed, and the Fail the Catches lead to.
pub fn state_machine(states: usize) -> Value {
    assert!(states >= 30, "the fixed part alone has 14 states");
    // Fixed: Parallel (1 + 2 branches × 3) + Map (1 + 4) + Done + HandleError = 14.
    let fixed = 14;
    let blocks = (states - fixed) / 5;
    let fillers = states - fixed - 5 * blocks;

    let mut top = Map::new();
    let branch = |b: usize| {
        let mut s = Map::new();
        s.insert(format!("Lookup{b}"), task(&format!("lookup-{b}"), Some(&format!("Enrich{b}"))));
        s.insert(format!("Enrich{b}"), task(&format!("enrich-{b}"), Some(&format!("Keep{b}"))));
        s.insert(
            format!("Keep{b}"),
            json!({"Type": "Pass", "Parameters": {"status.$": "$.last.status"}, "End": true}),
        );
        json!({"StartAt": format!("Lookup{b}"), "States": s})
    };
    top.insert(
        "FanOut".into(),
        with_catch(json!({
            "Type": "Parallel",
            "Branches": [branch(0), branch(1)],
            "ResultPath": "$.fanOut",
            "Next": "EachItem"
        })),
    );
    let first_block = if blocks > 0 { "Call0".to_owned() } else { "Fill0".to_owned() };
    let after_map = if blocks == 0 && fillers == 0 { "Done".to_owned() } else { first_block };
    top.insert(
        "EachItem".into(),
        with_catch(json!({
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 10,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Process",
                "States": {
                    "Process": task("process-item", Some("Processed?")),
                    "Processed?": {
                        "Type": "Choice",
                        "Choices": [{"Variable": "$.last.status", "StringEquals": "ok", "Next": "Accept"}],
                        "Default": "Reject"
                    },
                    "Accept": {"Type": "Pass", "Result": true, "ResultPath": "$.accepted", "End": true},
                    "Reject": {"Type": "Pass", "Result": false, "ResultPath": "$.accepted", "End": true}
                }
            },
            "ResultPath": "$.processed",
            "Next": after_map
        })),
    );
    for i in 0..blocks {
        let next = if i + 1 < blocks {
            format!("Call{}", i + 1)
        } else if fillers > 0 {
            "Fill0".to_owned()
        } else {
            "Done".to_owned()
        };
        top.insert(
            format!("Call{i}"),
            with_catch(task(&format!("step-{i}"), Some(&format!("Route{i}")))),
        );
        top.insert(
            format!("Route{i}"),
            json!({
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.last.status", "StringEquals": "ok", "Next": format!("Accept{i}")},
                    {
                        "And": [
                            {"Variable": "$.last.value", "IsNumeric": true},
                            {"Variable": "$.last.value", "NumericGreaterThan": 100}
                        ],
                        "Next": format!("Large{i}")
                    }
                ],
                "Default": format!("Later{i}")
            }),
        );
        top.insert(
            format!("Accept{i}"),
            json!({"Type": "Pass", "Result": {"step": i}, "ResultPath": "$.progress", "Next": next}),
        );
        top.insert(
            format!("Large{i}"),
            json!({
                "Type": "Pass",
                "Parameters": {"value.$": "$.last.value", "step": i},
                "ResultPath": "$.large",
                "Next": next
            }),
        );
        top.insert(format!("Later{i}"), json!({"Type": "Wait", "Seconds": 1, "Next": next}));
    }
    for f in 0..fillers {
        let next = if f + 1 < fillers { format!("Fill{}", f + 1) } else { "Done".to_owned() };
        top.insert(format!("Fill{f}"), json!({"Type": "Pass", "Next": next}));
    }
    top.insert("Done".into(), json!({"Type": "Succeed"}));
    top.insert(
        "HandleError".into(),
        json!({"Type": "Fail", "Error": "WorkflowFailed", "Cause": "A step failed after its retries."}),
    );
    json!({
        "Comment": format!("A generated {states}-state machine for `cargo xtask bench`."),
        "StartAt": "FanOut",
        "States": top
    })
}

/// Counts the states of a definition, nested machines included.
pub fn count_states(machine: &Value) -> usize {
    let Some(states) = machine.get("States").and_then(Value::as_object) else { return 0 };
    states
        .values()
        .map(|state| {
            let branches = state.get("Branches").and_then(Value::as_array).into_iter().flatten();
            let processor = state.get("ItemProcessor").or_else(|| state.get("Iterator"));
            1 + branches.chain(processor).map(count_states).sum::<usize>()
        })
        .sum()
}

/// A graph as Stepwise projects it, in a neutral form a peer layout engine can read: scopes
/// (with the node that contains them), nodes (with their scope and box size) and edges (with
/// their kind). The same boxes Stepwise's layout is given.
pub fn graph_json(graph: &StateGraph) -> Value {
    let scopes: Vec<Value> = graph
        .scopes
        .iter()
        .map(|scope| {
            let container = scope.container.map(|c| graph.graph[c].id.clone());
            json!({"id": format!("scope:{}", scope.pointer), "container": container})
        })
        .collect();
    let nodes: Vec<Value> = graph
        .graph
        .node_indices()
        .map(|n| {
            let node = &graph.graph[n];
            let size = match node.kind {
                NodeKind::Start | NodeKind::End => MARKER_SIZE,
                NodeKind::State(_) => STATE_SIZE,
            };
            json!({
                "id": node.id,
                "scope": node.scope,
                "width": size.width,
                "height": size.height,
                "container": graph.scopes_of(n).next().is_some(),
            })
        })
        .collect();
    let edges: Vec<Value> = graph
        .graph
        .edge_indices()
        .filter_map(|e| {
            let (from, to) = graph.graph.edge_endpoints(e)?;
            let kind = match graph.graph[e].kind {
                EdgeKind::Start => "start",
                EdgeKind::Next => "next",
                EdgeKind::Choice(_) => "choice",
                EdgeKind::Default => "default",
                EdgeKind::Catch(_) => "catch",
                EdgeKind::End => "end",
            };
            Some(
                json!({"source": graph.graph[from].id, "target": graph.graph[to].id, "kind": kind}),
            )
        })
        .collect();
    json!({"scopes": scopes, "nodes": nodes, "edges": edges})
}

/// Projects a generated machine's text into its graph (panics when it does not parse: the
/// generator's test makes sure it does).
pub fn project(text: &str) -> StateGraph {
    let parsed = stepwise_asl::parse(text);
    let definition = parsed.definition.expect("a generated machine parses");
    StateGraph::project(&definition)
}

/// The sizes the ASL and layout sections use.
pub const ASL_STATES: usize = 2000;
pub const LAYOUT_STATES: [usize; 2] = [500, 2000];
/// The size of the window benchmark's machine, for the app Session's edit row.
pub const SESSION_STATES: usize = 1000;

/// Where each workload file goes.
pub struct Files {
    pub dir: PathBuf,
}

impl Files {
    pub fn interp(&self, name: &str) -> PathBuf {
        self.dir.join("interp").join(format!("{name}.json"))
    }
    pub fn jsonata(&self) -> PathBuf {
        self.dir.join("jsonata").join("expressions.json")
    }
    pub fn machine(&self, states: usize) -> PathBuf {
        self.dir.join("asl").join(format!("machine-{states}.asl.json"))
    }
    pub fn graph(&self, states: usize) -> PathBuf {
        self.dir.join("layout").join(format!("graph-{states}.json"))
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes every workload file (the interpreter's, including the 100,000-item Map; the machines;
/// the graphs).
pub fn generate(files: &Files) -> Result<()> {
    let mut interp = interp_workloads();
    interp.push(inline_map(100_000));
    interp.extend(jsonata_workloads().into_iter().map(|(w, _)| w));
    for w in &interp {
        let file = json!({"definition": w.definition, "input": w.input, "liftPayloadLimit": w.lift_limits});
        write(&files.interp(w.name), &file.to_string())?;
    }
    let (input, expressions) = jsonata_expressions(JSONATA_ORDERS);
    let expressions: Vec<Value> = expressions
        .into_iter()
        .map(|(name, expression)| json!({"name": name, "expression": expression}))
        .collect();
    let file = json!({"input": input, "expressions": expressions});
    write(&files.jsonata(), &file.to_string())?;
    let mut sizes = vec![ASL_STATES, SESSION_STATES];
    sizes.extend(LAYOUT_STATES);
    sizes.sort_unstable();
    sizes.dedup();
    for states in sizes {
        let text = serde_json::to_string_pretty(&state_machine(states))?;
        write(&files.machine(states), &text)?;
        let graph = project(&text);
        write(&files.graph(states), &graph_json(&graph).to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use stepwise_asl::Severity;
    use stepwise_interp::{Limits, Options, Ports, Status, compile, run_plan};

    #[test]
    fn machines_have_the_asked_size_and_validate_without_errors() {
        for states in [30, 31, 34, 500, 2000] {
            let machine = state_machine(states);
            assert_eq!(count_states(&machine), states);
            let text = serde_json::to_string_pretty(&machine).unwrap();
            let parsed = stepwise_asl::parse(&text);
            let errors: Vec<_> =
                parsed.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
            assert!(errors.is_empty(), "{states} states: {errors:#?}");
        }
    }

    #[test]
    fn graphs_have_catch_edges_and_a_scope_per_branch() {
        let graph = project(&serde_json::to_string(&state_machine(40)).unwrap());
        let json = graph_json(&graph);
        assert_eq!(json["scopes"].as_array().unwrap().len(), 4, "top, two branches, the Map");
        let catches = json["edges"].as_array().unwrap().iter().filter(|e| e["kind"] == "catch");
        assert!(catches.count() >= 3);
        // Every state is a node, plus a start and an end marker per scope.
        assert_eq!(json["nodes"].as_array().unwrap().len(), 40 + 2 * 4);
    }

    #[test]
    fn interpreter_workloads_succeed_small() {
        let mut small =
            vec![counting_loop(10), inline_map(20), parallel(3, 4), reshaping_payload(8, 2000)];
        small.extend(interp_workloads().into_iter().filter(|w| w.name == "loop-1000"));
        for w in small {
            let plan = compile(&w.definition).expect("compiles");
            let mut options = Options { record_trace: false, ..Options::default() };
            if w.lift_limits {
                options.limits =
                    Limits { max_payload_bytes: usize::MAX, max_history_events: usize::MAX };
            }
            let exec = run_plan(&plan, w.input.clone().into(), options, Ports::default());
            assert_eq!(exec.status, Status::Succeeded, "{}: {:?}", w.name, exec.failure);
        }
        let payload = reshaping_payload(200, 200_000);
        let size = payload.input.to_string().len();
        assert!((200_000..256 * 1024).contains(&size), "{size} bytes");
    }

    fn run(w: &InterpWorkload) -> (Value, usize) {
        let plan = compile(&w.definition).unwrap_or_else(|e| panic!("{}: {e:?}", w.name));
        let mut options = Options { record_trace: false, ..Options::default() };
        if w.lift_limits {
            options.limits =
                Limits { max_payload_bytes: usize::MAX, max_history_events: usize::MAX };
        }
        let exec = run_plan(&plan, w.input.clone().into(), options, Ports::default());
        assert_eq!(exec.status, Status::Succeeded, "{}: {:?}", w.name, exec.failure);
        (exec.output_value().expect("an output"), exec.path_taken().len())
    }

    #[test]
    fn jsonata_workloads_give_their_jsonpath_twins_output() {
        let pairs = [
            (counting_loop_jsonata(10), counting_loop(10)),
            (inline_map_jsonata(20), inline_map(20)),
            (counting_loop_jsonata(1000), counting_loop(1000)),
        ];
        for (jsonata, jsonpath) in &pairs {
            assert_eq!(run(jsonata), run(jsonpath), "{} vs {}", jsonata.name, jsonpath.name);
        }
        let names: Vec<&str> = interp_workloads().iter().map(|w| w.name).collect();
        for (w, twin) in jsonata_workloads() {
            assert!(names.contains(&twin), "{}: no twin {twin}", w.name);
        }
    }

    #[test]
    fn jsonata_workloads_are_written_in_jsonata() {
        for (w, _) in jsonata_workloads() {
            assert_eq!(w.definition["QueryLanguage"], "JSONata", "{}", w.name);
            assert!(!w.definition.to_string().contains("\"$."), "{}: a JSONPath path", w.name);
        }
    }
}
