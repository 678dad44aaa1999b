//! Parsing never changes the text, and the source map slices back to exactly what was parsed.

use stepwise_asl::{Format, parse_syntax};

use crate::{files, tests_dir};

#[test]
fn every_mapped_value_re_serialises_to_the_same_value() {
    for file in files(&tests_dir().join("corpus"), &[".asl.json"]) {
        let text = std::fs::read_to_string(&file).expect("readable");
        let parsed = parse_syntax(&text, Format::Json);
        let value = parsed.value.as_ref().expect("parses");
        // The document as a whole serialises back byte for byte when the parser is handed the
        // canonical form: parse → serialize → parse → serialize is a fixed point.
        let once = serde_json::to_string_pretty(value).expect("serialises");
        let again = parse_syntax(&once, Format::Json);
        let twice =
            serde_json::to_string_pretty(again.value.as_ref().expect("parses")).expect("ok");
        assert_eq!(once, twice, "{}", file.display());
        // Every entry of the source map slices to text that parses to the value at its pointer.
        for entry in parsed.source_map.entries() {
            let slice = &text[entry.value.start..entry.value.end];
            let at = value.pointer(&entry.pointer).expect("the pointer exists");
            let reparsed: serde_json::Value = serde_json::from_str(slice).expect("a JSON value");
            assert_eq!(&reparsed, at, "{} at {}", file.display(), entry.pointer);
        }
    }
}

#[test]
fn key_order_is_preserved() {
    let text = r#"{"States":{"Z":{"Type":"Succeed"},"A":{"Type":"Succeed"}},"StartAt":"Z"}"#;
    let parsed = parse_syntax(text, Format::Json);
    assert_eq!(serde_json::to_string(&parsed.value.expect("parses")).expect("ok"), text);
    let names: Vec<_> = parsed.definition.expect("model").states.keys().cloned().collect();
    assert_eq!(names, vec!["Z", "A"]);
}
