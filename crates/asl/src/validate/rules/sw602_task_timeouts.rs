//! SW602 task-timeouts: conflicting or out-of-range Task timeouts.
//!
//! **What**: `TimeoutSeconds` with `TimeoutSecondsPath`, `HeartbeatSeconds` with
//! `HeartbeatSecondsPath`; a timeout or heartbeat that is not a positive integer up to
//! 99999999; a heartbeat not smaller than the timeout. Also a top-level `TimeoutSeconds` that is
//! not positive.
//!
//! **Why**: "TimeoutSeconds … MUST be a positive integer"; "HeartbeatSeconds … MUST be smaller
//! than TimeoutSeconds"; "A Task State MUST NOT include both TimeoutSeconds and
//! TimeoutSecondsPath" (States Language specification, Task state).
//!
//! **Example**: `{"Type": "Task", "TimeoutSeconds": 10, "HeartbeatSeconds": 30, ...}`.
//!
//! **Fix**: keep one form; make the heartbeat shorter than the timeout.

use serde_json::Value;

use crate::object::Members;
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW602",
        name: "task-timeouts",
        fix: "Use one of Seconds/SecondsPath; positive integers; heartbeat below the timeout.",
    },
    check,
};

const MAX: f64 = 99_999_999.0;

fn positive(value: Option<&Value>) -> Option<f64> {
    value.and_then(Value::as_f64)
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    if let Some(n) = positive(cx.root.member("TimeoutSeconds")) {
        if !(1.0..=MAX).contains(&n) {
            out.error(
                "SW602",
                format!("TimeoutSeconds must be 1..={MAX}, not {n}"),
                "/TimeoutSeconds",
            );
        }
    }
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Task) {
            continue;
        }
        for (plain, path) in
            [("TimeoutSeconds", "TimeoutSecondsPath"), ("HeartbeatSeconds", "HeartbeatSecondsPath")]
        {
            if view.field(plain).is_some() && view.field(path).is_some() {
                out.error(
                    "SW602",
                    format!("a Task takes {plain} or {path}, not both"),
                    view.at(path),
                );
            }
            if let Some(n) = positive(view.field(plain)) {
                if !(1.0..=MAX).contains(&n) {
                    out.error(
                        "SW602",
                        format!("{plain} must be 1..={MAX}, not {n}"),
                        view.at(plain),
                    );
                }
            }
        }
        if let (Some(timeout), Some(heartbeat)) =
            (positive(view.field("TimeoutSeconds")), positive(view.field("HeartbeatSeconds")))
        {
            if heartbeat >= timeout {
                out.error(
                    "SW602",
                    format!("HeartbeatSeconds ({heartbeat}) must be smaller than TimeoutSeconds ({timeout})"),
                    view.at("HeartbeatSeconds"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn conflicts_and_ranges_are_refused() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Next":"Done",
                "TimeoutSeconds":10,"TimeoutSecondsPath":"$.t","HeartbeatSeconds":30}"#,
        );
        assert_eq!(
            paths(&text, "SW602"),
            vec!["/States/A/HeartbeatSeconds", "/States/A/TimeoutSecondsPath"]
        );
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Next":"Done","TimeoutSeconds":0}"#,
        );
        assert_eq!(paths(&text, "SW602"), vec!["/States/A/TimeoutSeconds"]);
    }

    #[test]
    fn a_heartbeat_below_the_timeout_passes() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Next":"Done","TimeoutSeconds":60,"HeartbeatSeconds":10}"#,
        );
        assert!(paths(&text, "SW602").is_empty());
    }
}
