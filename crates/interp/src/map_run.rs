//! The Map Runs of an execution: each Distributed Map's child workflow executions, kept beside
//! the parent's history as AWS keeps them (a child has its own history, out of the parent's; a
//! Map Run's `executionCounts` and `itemCounts` are DescribeMapRun's).
//!
//! A redrive needs them: "if the event history doesn't contain the `MapStateExited` event for a
//! `MapStateEntered` event, you can redrive the parent workflow to redrive all the unsuccessful
//! child workflow executions in the Map Run" (developer guide, "Redriving Map Runs"). The
//! succeeded children keep their output; the others run again with the input they had. The run
//! record (`stepwise run --json`) carries them as `mapRuns`, which [`MapRun::from_json`] reads
//! back.

use serde_json::{Map, Value, json};

use crate::errors::Failure;
use crate::value::Payload;

/// The most redrives of one Map Run: "You haven't exceeded the hard limit of 1000 redrives of a
/// given Map Run. If you've exceeded this limit, you'll receive the States.Runtime error."
pub const MAX_MAP_RUN_REDRIVES: u64 = 1000;

/// One Map Run and its child workflow executions.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRun {
    /// `arn:aws:states:REGION:ACCOUNT:mapRun:STATE_MACHINE/LABEL:UUID`.
    pub arn: String,
    /// How many times it has been redriven (`mapRunRedrivenEventDetails.redriveCount`).
    pub redrive_count: u64,
    /// Its children, one per item or batch, in item order.
    pub children: Vec<ChildExecution>,
}

/// One child workflow execution of a Map Run.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildExecution {
    /// Its execution name (given when a `ResultWriter` reports it; empty otherwise).
    pub name: String,
    /// How many items it processes (1, or a batch's size).
    pub items: usize,
    /// Its input: the item after `ItemSelector`, or the batch.
    pub input: Payload,
    /// How it ended, or that it has not started.
    pub outcome: ChildOutcome,
    /// When it started and stopped, logical milliseconds (0 while pending).
    pub start_ms: i64,
    /// See `start_ms`.
    pub stop_ms: i64,
    /// How many times it has been redriven.
    pub redrive_count: u64,
}

/// Where a child workflow execution stands.
#[derive(Debug, Clone, PartialEq)]
pub enum ChildOutcome {
    /// Not started ("started by a Map Run, but haven't started executing yet").
    Pending,
    /// SUCCEEDED, with its output.
    Succeeded(Payload),
    /// FAILED.
    Failed(Failure),
    /// ABORTED: stopped because the parent stopped.
    Aborted,
}

impl ChildOutcome {
    fn status(&self) -> &'static str {
        match self {
            ChildOutcome::Pending => "PENDING",
            ChildOutcome::Succeeded(_) => "SUCCEEDED",
            ChildOutcome::Failed(_) => "FAILED",
            ChildOutcome::Aborted => "ABORTED",
        }
    }
}

impl MapRun {
    /// DescribeMapRun's `executionCounts` (children) and `itemCounts` (their items): pending,
    /// running, succeeded, failed, timedOut, aborted and total.
    pub fn counts(&self) -> (Value, Value) {
        let mut executions = [0u64; 4];
        let mut items = [0u64; 4];
        for c in &self.children {
            let slot = match c.outcome {
                ChildOutcome::Pending => 0,
                ChildOutcome::Succeeded(_) => 1,
                ChildOutcome::Failed(_) => 2,
                ChildOutcome::Aborted => 3,
            };
            executions[slot] += 1;
            items[slot] += c.items as u64;
        }
        let shape = |n: [u64; 4]| {
            json!({"pending": n[0], "running": 0, "succeeded": n[1], "failed": n[2],
                "timedOut": 0, "aborted": n[3], "total": n.iter().sum::<u64>()})
        };
        (shape(executions), shape(items))
    }

    /// The record form: `mapRunArn`, `redriveCount`, the counts, and each child's `status`,
    /// `items`, `input`, `output` or `error`/`cause`, `startDate`/`stopDate` (epoch seconds, as
    /// the history's timestamps), `redriveCount` and `name` when it has one.
    pub fn to_json(&self) -> Value {
        let (executions, items) = self.counts();
        let children: Vec<Value> = self
            .children
            .iter()
            .map(|c| {
                let mut o = Map::new();
                if !c.name.is_empty() {
                    o.insert("name".into(), Value::from(c.name.as_str()));
                }
                o.insert("status".into(), Value::from(c.outcome.status()));
                o.insert("items".into(), Value::from(c.items));
                o.insert("input".into(), c.input.to_value());
                match &c.outcome {
                    ChildOutcome::Succeeded(out) => {
                        o.insert("output".into(), out.to_value());
                    }
                    ChildOutcome::Failed(f) => {
                        o.insert("error".into(), Value::from(f.error_name()));
                        o.insert("cause".into(), Value::from(f.cause.as_deref().unwrap_or("")));
                    }
                    ChildOutcome::Pending | ChildOutcome::Aborted => {}
                }
                o.insert("startDate".into(), Value::from(c.start_ms as f64 / 1000.0));
                o.insert("stopDate".into(), Value::from(c.stop_ms as f64 / 1000.0));
                o.insert("redriveCount".into(), Value::from(c.redrive_count));
                Value::Object(o)
            })
            .collect();
        json!({"mapRunArn": self.arn, "redriveCount": self.redrive_count,
            "executionCounts": executions, "itemCounts": items, "children": children})
    }

    /// Reads [`MapRun::to_json`]'s form back (the counts are derived, so not read).
    pub fn from_json(v: &Value) -> Result<MapRun, String> {
        let arn = v["mapRunArn"].as_str().ok_or("a Map Run without \"mapRunArn\"")?;
        let children = v["children"].as_array().ok_or("a Map Run without \"children\"")?;
        let ms = |c: &Value, key: &str| c[key].as_f64().map_or(0, |s| (s * 1000.0).round() as i64);
        let mut out = Vec::with_capacity(children.len());
        for (i, c) in children.iter().enumerate() {
            let outcome = match c["status"].as_str() {
                Some("PENDING") => ChildOutcome::Pending,
                Some("SUCCEEDED") => ChildOutcome::Succeeded(Payload::from(c["output"].clone())),
                Some("FAILED") => ChildOutcome::Failed(Failure {
                    error: c["error"].as_str().map(str::to_owned),
                    cause: c["cause"].as_str().map(str::to_owned),
                }),
                Some("ABORTED") => ChildOutcome::Aborted,
                _ => return Err(format!("child {i} of {arn} has no known \"status\"")),
            };
            out.push(ChildExecution {
                name: c["name"].as_str().unwrap_or_default().to_owned(),
                items: c["items"].as_u64().unwrap_or(1) as usize,
                input: Payload::from(c["input"].clone()),
                outcome,
                start_ms: ms(c, "startDate"),
                stop_ms: ms(c, "stopDate"),
                redrive_count: c["redriveCount"].as_u64().unwrap_or_default(),
            });
        }
        Ok(MapRun {
            arn: arn.to_owned(),
            redrive_count: v["redriveCount"].as_u64().unwrap_or_default(),
            children: out,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_run_reads_back_what_it_writes_and_counts_its_children() {
        let child = |outcome, items| ChildExecution {
            name: String::new(),
            items,
            input: Payload::from(json!({"n": 1})),
            outcome,
            start_ms: 1_000,
            stop_ms: 2_000,
            redrive_count: 0,
        };
        let run = MapRun {
            arn: "arn:aws:states:us-east-1:1:mapRun:sm/Map:id".into(),
            redrive_count: 1,
            children: vec![
                child(ChildOutcome::Succeeded(Payload::from(json!([1]))), 2),
                child(ChildOutcome::Failed(Failure::new("Boom", "it broke")), 1),
                child(ChildOutcome::Pending, 3),
            ],
        };
        assert_eq!(MapRun::from_json(&run.to_json()), Ok(run.clone()));
        let (executions, items) = run.counts();
        assert_eq!(executions["total"], 3);
        assert_eq!(executions["failed"], 1);
        assert_eq!(items["pending"], 3);
        assert_eq!(items["succeeded"], 2);
    }
}
