//! SW605 map-reader-writer: an `ItemReader`, `ItemBatcher` or `ResultWriter` that is
//! incomplete or has a value outside its enumeration.
//!
//! **What**: an `ItemReader` or `ResultWriter` without `Resource`; `CSVHeaderLocation` other than
//! `FIRST_ROW` or `GIVEN`, or `GIVEN` without `CSVHeaders`; a `CSVDelimiter` other than `COMMA`,
//! `PIPE`, `SEMICOLON`, `SPACE` or `TAB`; `ReaderConfig.MaxItems` outside 0–100,000,000 or
//! together with `MaxItemsPath`; `ItemBatcher` number fields below 0 or with their `…Path`
//! form; `WriterConfig.OutputType` other than `JSON` or `JSONL`; `Transformation` other than
//! `NONE`, `FLATTEN` or `COMPACT`. An unknown `InputType` is a warning (AWS adds types).
//!
//! **Why**: AWS guide, "ItemReader (Map)", "ItemBatcher (Map)" and "ResultWriter (Map)" list
//! these fields and values; AWS refuses `MaxItems` with `MaxItemsPath` ("There should only be
//! one of the following fields") and `MaxItems` above 100000000 (measured, floci-io/floci#3733).
//!
//! **Example**: `"ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}`.
//!
//! **Fix**: complete the field or use one of the listed values.

use serde_json::{Map, Value};

use crate::object::{Members, join};
use crate::validate::{Context, Rule, RuleInfo, Sink};

pub(crate) const RULE: Rule = Rule {
    info: RuleInfo {
        code: "SW605",
        name: "map-reader-writer",
        fix: "Give ItemReader/ResultWriter a Resource and use the documented values of their configuration.",
    },
    check,
};

const INPUT_TYPES: &[&str] = &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"];

fn one_of(object: &Map<String, Value>, key: &str, allowed: &[&str], at: &str, out: &mut Sink) {
    if let Some(value) = object.member(key).and_then(Value::as_str) {
        if !allowed.contains(&value) {
            out.error(
                "SW605",
                format!("{key} must be one of {}, not \"{value}\"", allowed.join(", ")),
                join(at, key),
            );
        }
    }
}

fn check(cx: &Context<'_>, out: &mut Sink) {
    for view in cx.states() {
        if view.state.is_none_or(|s| s.state_type != crate::StateType::Map) {
            continue;
        }
        for field in ["ItemReader", "ResultWriter"] {
            let Some(object) = view.field(field).and_then(Value::as_object) else { continue };
            let at = view.at(field);
            let needs_resource = field == "ItemReader" || !object.has("WriterConfig");
            if !object.has("Resource") && needs_resource {
                out.error("SW605", format!("{field} needs \"Resource\""), at.clone());
            }
            if let Some(config) = object.member("ReaderConfig").and_then(Value::as_object) {
                let at = join(&at, "ReaderConfig");
                if let Some(kind) = config.member("InputType").and_then(Value::as_str) {
                    if !INPUT_TYPES.contains(&kind) {
                        out.warning(
                            "SW605",
                            format!(
                                "unknown InputType \"{kind}\" (documented: {})",
                                INPUT_TYPES.join(", ")
                            ),
                            join(&at, "InputType"),
                        );
                    }
                }
                one_of(config, "CSVHeaderLocation", &["FIRST_ROW", "GIVEN"], &at, out);
                one_of(
                    config,
                    "CSVDelimiter",
                    &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
                    &at,
                    out,
                );
                if config.member("CSVHeaderLocation").and_then(Value::as_str) == Some("GIVEN")
                    && !config.has("CSVHeaders")
                {
                    out.error("SW605", "CSVHeaderLocation GIVEN needs \"CSVHeaders\"", at.clone());
                }
                if config.has("MaxItems") && config.has("MaxItemsPath") {
                    out.error(
                        "SW605",
                        "ReaderConfig takes MaxItems or MaxItemsPath, not both",
                        join(&at, "MaxItemsPath"),
                    );
                }
                if let Some(n) = config.member("MaxItems").and_then(Value::as_f64) {
                    if !(0.0..=100_000_000.0).contains(&n) {
                        out.error(
                            "SW605",
                            format!("MaxItems must be 0..=100000000, not {n}"),
                            join(&at, "MaxItems"),
                        );
                    }
                }
            }
            if let Some(config) = object.member("WriterConfig").and_then(Value::as_object) {
                let at = join(&at, "WriterConfig");
                one_of(config, "OutputType", &["JSON", "JSONL"], &at, out);
                one_of(config, "Transformation", &["NONE", "FLATTEN", "COMPACT"], &at, out);
            }
        }
        if let Some(batcher) = view.field("ItemBatcher").and_then(Value::as_object) {
            let at = view.at("ItemBatcher");
            for field in ["MaxItemsPerBatch", "MaxInputBytesPerBatch"] {
                let path = format!("{field}Path");
                if batcher.has(field) && batcher.has(&path) {
                    out.error(
                        "SW605",
                        format!("ItemBatcher takes {field} or {path}, not both"),
                        join(&at, &path),
                    );
                }
                if batcher.member(field).and_then(Value::as_f64).is_some_and(|n| n < 0.0) {
                    out.error("SW605", format!("{field} must not be negative"), join(&at, field));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::test_support::{one_state, paths};

    fn map(fields: &str) -> String {
        one_state(&format!(
            r#"{{"Type":"Map","Next":"Done",{fields},
                "ItemProcessor":{{"ProcessorConfig":{{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"}},
                  "StartAt":"P","States":{{"P":{{"Type":"Succeed"}}}}}}}}"#
        ))
    }

    #[test]
    fn incomplete_readers_and_bad_values_are_refused() {
        let text = map(
            r#""ItemReader":{"ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","MaxItems":1,"MaxItemsPath":"$.n"}},
            "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","WriterConfig":{"OutputType":"CSV"}}"#,
        );
        assert_eq!(
            paths(&text, "SW605"),
            vec![
                "/States/A/ItemReader",
                "/States/A/ItemReader/ReaderConfig",
                "/States/A/ItemReader/ReaderConfig/MaxItemsPath",
                "/States/A/ResultWriter/WriterConfig/OutputType"
            ]
        );
    }

    #[test]
    fn a_documented_reader_passes() {
        let text = map(
            r#""ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2","Parameters":{"Bucket":"b"},
            "ReaderConfig":{"InputType":"JSONL","MaxItems":10}},"ItemBatcher":{"MaxItemsPerBatch":5}"#,
        );
        assert!(paths(&text, "SW605").is_empty());
    }
}
