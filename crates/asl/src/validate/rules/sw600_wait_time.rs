//! SW600 wait-time: a Wait state without exactly one time field, or with a bad value.
//!
//! **What**: a Wait with none or several of `Seconds`, `Timestamp`, `SecondsPath`,
//! `TimestampPath`; a negative `Seconds`; a `Timestamp` that is not an RFC 3339 date-time with
//! an uppercase `T` (JSONPath states, or a literal in a JSONata state).
//!
//! **Why**: "A Wait state MUST contain exactly one of Seconds, SecondsPath, Timestamp, or
//! TimestampPath" (States Language specification, Wait state); "Timestamps … MUST conform to
//! the RFC3339 profile of ISO 8601, with the further restrictions that an uppercase T MUST
//! separate the date and time portions, and an uppercase Z MUST denote that a numeric time zone
//! offset is not present".
//!
//! **Example**: `{"Type": "Wait", "Seconds": 5, "Timestamp": "2026-01-01T00:00:00Z", ...}`.
//!
//! **Fix**: keep one time field.

use serde_json::Value;

use crate::validate::paths::is_jsonata;
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW600",
        name: "wait-time",
        fix: "Give the Wait exactly one of Seconds, Timestamp, SecondsPath or TimestampPath.",
    },
    check,
};

const FIELDS: [&str; 4] = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Wait) {
            continue;
        }
        let present: Vec<&str> = FIELDS.into_iter().filter(|f| view.field(f).is_some()).collect();
        match present.len() {
            0 => out.error(
                "SW600",
                "a Wait state needs one of Seconds, Timestamp, SecondsPath or TimestampPath",
                view.pointer.clone(),
            ),
            1 => {}
            _ => out.error(
                "SW600",
                format!("a Wait state takes exactly one time field, not {}", present.join(" and ")),
                view.at(present[1]),
            ),
        }
        if let Some(n) = view.field("Seconds").and_then(Value::as_f64) {
            if n < 0.0 {
                out.error("SW600", "Seconds must not be negative", view.at("Seconds"));
            }
        }
        if let Some(stamp) = view.field("Timestamp").and_then(Value::as_str) {
            if !is_jsonata(stamp) && !is_timestamp(stamp) {
                out.error(
                    "SW600",
                    format!("\"{stamp}\" is not an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z)"),
                    view.at("Timestamp"),
                );
            }
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, uppercase `T` and `Z`.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        range.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
    };
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || b[10] != b'T'
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len() && digits(i + 1..i + 3) && b[i + 3] == b':' && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_timestamp;
    use crate::validate::test_support::{one_state, paths};

    #[test]
    fn none_or_two_time_fields_are_refused() {
        assert_eq!(
            paths(&one_state(r#"{"Type":"Wait","Next":"Done"}"#), "SW600"),
            vec!["/States/A"]
        );
        let text = one_state(r#"{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW600"), vec!["/States/A/SecondsPath"]);
        let text = one_state(r#"{"Type":"Wait","Timestamp":"2026-01-01 00:00:00","Next":"Done"}"#);
        assert_eq!(paths(&text, "SW600"), vec!["/States/A/Timestamp"]);
    }

    #[test]
    fn timestamps_follow_rfc_3339_with_uppercase_t_and_z() {
        assert!(is_timestamp("2026-01-31T12:00:00Z"));
        assert!(is_timestamp("2026-01-31T12:00:00.123+01:00"));
        assert!(!is_timestamp("2026-01-31t12:00:00z"));
        assert!(!is_timestamp("2026-01-31T12:00:00"));
    }
}
