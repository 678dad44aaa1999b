//! SW501 retrier-values: a retrier number or strategy out of range.
//!
//! **What**: `IntervalSeconds` below 1, `MaxAttempts` below 0, `BackoffRate` below 1.0,
//! `MaxDelaySeconds` below 1, or a `JitterStrategy` other than `FULL` or `NONE`; integers above
//! 99999999.
//!
//! **Why**: "IntervalSeconds … MUST be a positive integer"; "MaxAttempts … MUST be a
//! non-negative integer" (0 never retries); "BackoffRate … MUST be greater than or equal to
//! 1.0" (States Language specification, Retrying after an error); the AWS guide adds
//! `MaxDelaySeconds` (a positive integer) and `JitterStrategy` (`FULL` or `NONE`).
//!
//! **Example**: `{"ErrorEquals": ["States.ALL"], "BackoffRate": 0.5}`.
//!
//! **Fix**: use a value in range.

use serde_json::Value;

use crate::object::{Members, join, join_index};
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW501",
        name: "retrier-values",
        fix: "IntervalSeconds ≥ 1, MaxAttempts ≥ 0, BackoffRate ≥ 1.0, MaxDelaySeconds ≥ 1, JitterStrategy FULL or NONE.",
    },
    check,
};

/// The largest integer AWS accepts in these fields.
const MAX: f64 = 99_999_999.0;

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        let Some(items) = view.field("Retry").and_then(Value::as_array) else { continue };
        for (i, item) in items.iter().enumerate() {
            let Some(item) = item.as_object() else { continue };
            // The retrier's pointer, written only for a finding.
            let at = || join_index(&view.at("Retry"), i);
            for (field, min, integer) in [
                ("IntervalSeconds", 1.0, true),
                ("MaxAttempts", 0.0, true),
                ("BackoffRate", 1.0, false),
                ("MaxDelaySeconds", 1.0, true),
            ] {
                let Some(n) = item.member(field).and_then(Value::as_f64) else { continue };
                if n < min || (integer && n > MAX) {
                    let range =
                        if integer { format!("{min}..={MAX}") } else { format!("≥ {min:.1}") };
                    out.error(
                        "SW501",
                        format!("{field} must be {range}, not {n}"),
                        join(&at(), field),
                    );
                }
            }
            if let Some(strategy) = item.member("JitterStrategy").and_then(Value::as_str) {
                if strategy != "FULL" && strategy != "NONE" {
                    out.error(
                        "SW501",
                        format!("JitterStrategy must be FULL or NONE, not \"{strategy}\""),
                        join(&at(), "JitterStrategy"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn out_of_range_values_are_refused() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":5,"Next":"Done",
                "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":0,"MaxAttempts":-1,"BackoffRate":0.5,"JitterStrategy":"HALF"}]}"#,
        );
        assert_eq!(
            paths(&text, "SW501"),
            vec![
                "/States/A/Retry/0/BackoffRate",
                "/States/A/Retry/0/IntervalSeconds",
                "/States/A/Retry/0/JitterStrategy",
                "/States/A/Retry/0/MaxAttempts"
            ]
        );
    }

    #[test]
    fn zero_attempts_and_unit_backoff_pass() {
        let text = one_state(
            r#"{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","TimeoutSeconds":5,"Next":"Done",
                "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":0,"BackoffRate":1}]}"#,
        );
        assert!(paths(&text, "SW501").is_empty());
    }
}
