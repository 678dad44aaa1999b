//! SW603 map-fields: conflicting, out-of-range or misplaced Map fields.
//!
//! **What**: `ItemProcessor` with `Iterator`; `Parameters` with `ItemSelector`; a number field
//! with its `…Path` form (`MaxConcurrency`, `ToleratedFailurePercentage`,
//! `ToleratedFailureCount`); `MaxConcurrency` or `ToleratedFailureCount` below 0;
//! `ToleratedFailurePercentage` outside 0–100; a `ProcessorConfig.Mode` other than `INLINE` or
//! `DISTRIBUTED`, an `ExecutionType` other than `STANDARD` or `EXPRESS`, a distributed Map without
//! `ExecutionType`; distributed-only fields (`ItemReader`, `ItemBatcher`, `ResultWriter`,
//! `ToleratedFailure…`, `Label`) on an inline Map.
//!
//! **Why**: the AWS guide (Map state, Using Map state in Distributed mode): `ItemSelector`
//! replaces `Parameters` and `ItemProcessor` replaces `Iterator`; "There should only be one of
//! the following fields: [MaxItems, MaxItemsPath]" and "Minimum value is 0",
//! ToleratedFailurePercentage "Maximum value is 100.0" (measured, floci-io/floci#3733);
//! `ExecutionType` "is required" in Distributed mode; the distributed fields exist only there.
//!
//! **Example**: `{"Type": "Map", "ItemReader": {...}, "ItemProcessor": {"ProcessorConfig":
//! {"Mode": "INLINE"}, ...}}`.
//!
//! **Fix**: keep one form of each field; set `"Mode": "DISTRIBUTED"` for distributed fields.

use serde_json::Value;

use crate::object::{Members, join};
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW603",
        name: "map-fields",
        fix: "Keep one of each field pair, values in range, and distributed fields on DISTRIBUTED Maps.",
    },
    check,
};

const PAIRS: &[(&str, &str)] = &[
    ("ItemProcessor", "Iterator"),
    ("ItemSelector", "Parameters"),
    ("MaxConcurrency", "MaxConcurrencyPath"),
    ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
    ("ToleratedFailureCount", "ToleratedFailureCountPath"),
];
const DISTRIBUTED_ONLY: &[&str] = &[
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "Label",
];

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Map) {
            continue;
        }
        for (a, b) in PAIRS {
            if view.field(a).is_some() && view.field(b).is_some() {
                out.error("SW603", format!("a Map takes {a} or {b}, not both"), view.at(b));
            }
        }
        for (field, max) in [
            ("MaxConcurrency", None),
            ("ToleratedFailureCount", None),
            ("ToleratedFailurePercentage", Some(100.0)),
        ] {
            let Some(n) = view.field(field).and_then(Value::as_f64) else { continue };
            if n < 0.0 || max.is_some_and(|m| n > m) {
                let range = max.map(|m| format!("0..={m}")).unwrap_or_else(|| "≥ 0".to_owned());
                out.error("SW603", format!("{field} must be {range}, not {n}"), view.at(field));
            }
        }
        let config = view.field("ItemProcessor").and_then(|p| p.member("ProcessorConfig"));
        let at = view.at("ItemProcessor") + "/ProcessorConfig";
        let mode = config.and_then(|c| c.member("Mode")).and_then(Value::as_str);
        if let Some(mode) = mode {
            if mode != "INLINE" && mode != "DISTRIBUTED" {
                out.error(
                    "SW603",
                    format!("Mode must be INLINE or DISTRIBUTED, not \"{mode}\""),
                    join(&at, "Mode"),
                );
            }
        }
        let execution = config.and_then(|c| c.member("ExecutionType")).and_then(Value::as_str);
        if let Some(execution) = execution {
            if execution != "STANDARD" && execution != "EXPRESS" {
                out.error(
                    "SW603",
                    format!("ExecutionType must be STANDARD or EXPRESS, not \"{execution}\""),
                    join(&at, "ExecutionType"),
                );
            }
        }
        if mode == Some("DISTRIBUTED") {
            if execution.is_none() {
                out.error("SW603", "a DISTRIBUTED Map needs ProcessorConfig.ExecutionType", at);
            }
        } else {
            for field in DISTRIBUTED_ONLY {
                if view.field(field).is_some() {
                    out.error(
                        "SW603",
                        format!("{field} needs ItemProcessor.ProcessorConfig.Mode DISTRIBUTED"),
                        view.at(field),
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
    fn conflicting_and_misplaced_fields_are_refused() {
        let text = one_state(
            r#"{"Type":"Map","Next":"Done","MaxConcurrency":-1,"ItemReader":{"Resource":"arn:aws:states:::s3:getObject"},
                "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}},
                "Iterator":{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}}"#,
        );
        assert_eq!(
            paths(&text, "SW603"),
            vec!["/States/A/ItemReader", "/States/A/Iterator", "/States/A/MaxConcurrency"]
        );
    }

    #[test]
    fn a_distributed_map_with_its_fields_passes() {
        let text = one_state(
            r#"{"Type":"Map","Next":"Done","Label":"L","ToleratedFailurePercentage":5,
                "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","Parameters":{"Bucket":"b","Key":"k"}},
                "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                  "StartAt":"P","States":{"P":{"Type":"Succeed"}}}}"#,
        );
        assert!(paths(&text, "SW603").is_empty());
    }
}
