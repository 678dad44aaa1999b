//! Writing values into YAML text: scalars (plain when it reads back as the same string, JSON
//! double-quoted otherwise — a JSON string is a valid YAML double-quoted scalar) and block
//! collections at a given column. Used by the document's YAML edits.
//!
//! Invariant: whatever is written parses back (through `syntax::yaml`) to the value written.

use serde_json::Value;

use crate::syntax::NodeKind;

/// Whether a string can be written as a plain scalar and read back as the same string.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let first_ok = first.is_alphanumeric() || matches!(first, '$' | '_' | '.' | '/' | '(');
    let chars_ok = s.chars().all(|c| {
        !c.is_control()
            && !matches!(
                c,
                '#' | '{'
                    | '}'
                    | '['
                    | ']'
                    | ','
                    | '&'
                    | '*'
                    | '!'
                    | '|'
                    | '>'
                    | '\''
                    | '"'
                    | '%'
                    | '@'
                    | '`'
                    | '\\'
            )
    });
    first_ok
        && chars_ok
        && !s.contains(": ")
        && !s.ends_with([':', ' '])
        && s.trim() == s
        && matches!(crate::syntax::yaml::resolve_plain(s), NodeKind::String(_))
}

/// A string as a YAML scalar (also used for keys).
pub(crate) fn string(s: &str) -> String {
    if plain_ok(s) {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
    }
}

/// A value that fits on one line: scalars, empty collections, or JSON flow style.
pub(crate) fn inline(value: &Value) -> String {
    match value {
        Value::String(s) => string(s),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        other => serde_json::to_string(other).unwrap_or_else(|_| "null".to_owned()),
    }
}

/// Whether a value is written as a block collection.
pub(crate) fn is_block(value: &Value) -> bool {
    match value {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    }
}

/// A value as block YAML whose first line starts at the caller's position and whose other lines
/// start at column `col`.
pub(crate) fn block(value: &Value, col: usize, unit: usize) -> String {
    let newline = format!("\n{}", " ".repeat(col));
    match value {
        Value::Object(map) if !map.is_empty() => map
            .iter()
            .map(|(k, v)| format!("{}:{}", string(k), member_value(v, col, unit)))
            .collect::<Vec<_>>()
            .join(&newline),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|v| format!("- {}", if is_block(v) { block(v, col + 2, unit) } else { inline(v) }))
            .collect::<Vec<_>>()
            .join(&newline),
        other => inline(other),
    }
}

/// What follows `key:` for a member whose key is at column `col`.
pub(crate) fn member_value(value: &Value, col: usize, unit: usize) -> String {
    if is_block(value) {
        format!("\n{}{}", " ".repeat(col + unit), block(value, col + unit, unit))
    } else {
        format!(" {}", inline(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        let value = serde_json::json!({
            "StartAt": "A b",
            "States": {"A b": {"Type": "Pass", "Result": {"x": [1, "two", {"t": true}], "e": {}, "n": null},
                "Comment": "a: b # c", "Next": "{% $x %}", "Arn": "arn:aws:states:::lambda:invoke",
                "Num": "12", "Bool": "true", "Empty": "", "Path": "$.a[0]", "Line": "a\nb"}}
        });
        let text = format!("{}\n", block(&value, 0, 2));
        let parsed = crate::parse_syntax(&text, crate::Format::Yaml);
        assert_eq!(parsed.value.as_ref(), Some(&value), "{text}");
        assert!(text.contains("Arn: arn:aws:states:::lambda:invoke"), "plain where safe:\n{text}");
        assert!(
            text.contains("Num: \"12\""),
            "quoted where a plain scalar would change type:\n{text}"
        );
    }
}
