//! JSON text to a [`Node`] tree, with jsonc-parser in its strict mode (no comments, no trailing
//! commas, no JSON5 extensions): ASL is plain JSON.

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::{MAX_DEPTH, Member, Node, NodeKind, Read, SyntaxError};
use crate::text::TextRange;

/// Reads JSON text, or says where it is broken.
pub(crate) fn parse(text: &str) -> Result<Read, SyntaxError> {
    // Well-formed text takes the one-pass reader; anything else goes to jsonc-parser, which
    // says where the text is broken.
    match super::fast_json::read(text) {
        Some(read) => Ok(read),
        None => parse_jsonc(text).map(Read::of),
    }
}

/// Parses JSON text with jsonc-parser in its strict mode.
pub(crate) fn parse_jsonc(text: &str) -> Result<Node, SyntaxError> {
    // jsonc-parser descends recursively: refuse text nested deeper than we accept before it
    // gets the chance to exhaust the stack.
    if let Some(offset) = too_deep(text) {
        return Err(SyntaxError {
            message: format!("the text nests arrays and objects more than {MAX_DEPTH} levels deep"),
            range: TextRange::new(offset, offset + 1),
        });
    }
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    match parse_to_ast(text, &CollectOptions::default(), &options) {
        Ok(result) => match result.value {
            Some(value) => Ok(convert(&value)),
            None => Err(SyntaxError {
                message: "the text is empty: expected a JSON object".to_owned(),
                range: TextRange::at(0),
            }),
        },
        Err(err) => {
            let range = err.range();
            Err(SyntaxError {
                message: format!("invalid JSON: {}", err.kind()),
                range: TextRange::new(range.start.min(text.len()), range.end.min(text.len())),
            })
        }
    }
}

/// Parses JSON text leniently (comments, trailing commas, single quotes, unquoted keys…), to
/// recover a model from text the strict parse refused. `None` when even that fails or the text
/// is too deep.
pub(crate) fn parse_lenient(text: &str) -> Option<Node> {
    if too_deep(text).is_some() {
        return None;
    }
    let result = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()).ok()?;
    result.value.as_ref().map(convert)
}

/// Recovers the part of a broken text before the break: the text is cut at one of the last
/// commas or brackets before `error_at` (after a closing bracket, so that a value closed before
/// the break, the whole document included, counts as read in full), the brackets still open
/// there are closed, and
/// the result is parsed leniently. Returns the tree (ranges clamped to the cut, so they lie in
/// the original text), the cut, and how many arrays and objects were still open there (they
/// are the root and its last children, each the last child of the one before). `None` when
/// no cut parses.
pub(crate) fn parse_prefix(text: &str, error_at: usize) -> Option<(Node, usize, usize)> {
    if too_deep(text).is_some() {
        return None;
    }
    let end = error_at.min(text.len());
    // Each try parses the prefix again: fewer tries on big texts keep a broken 50 MB file fast.
    let tries = match end {
        0..=262_144 => 16,
        262_145..=4_194_304 => 4,
        _ => 2,
    };
    // Cut points (offset, the brackets open there), the last `TRIES` before the error.
    let mut cuts: std::collections::VecDeque<(usize, Vec<u8>)> = std::collections::VecDeque::new();
    let mut open: Vec<u8> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (i, byte) in text.as_bytes()[..end].iter().copied().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        let cut = match byte {
            b'"' => {
                in_string = true;
                None
            }
            b'{' | b'[' => {
                if open.len() >= MAX_DEPTH {
                    return None;
                }
                open.push(if byte == b'{' { b'}' } else { b']' });
                Some(i + 1)
            }
            b'}' | b']' => {
                open.pop();
                Some(i + 1)
            }
            b',' => Some(i),
            _ => None,
        };
        if let Some(at) = cut {
            if cuts.len() == tries {
                cuts.pop_front();
            }
            cuts.push_back((at, open.clone()));
        }
    }
    while let Some((at, open)) = cuts.pop_back() {
        let mut candidate = String::with_capacity(at + open.len());
        candidate.push_str(text.get(..at)?);
        candidate.extend(open.iter().rev().map(|&b| b as char));
        if let Some(mut node) = parse_lenient(&candidate) {
            clamp(&mut node, at);
            return Some((node, at, open.len()));
        }
    }
    None
}

/// Clamps every range of a tree to end at `limit` at the latest. Iterative.
fn clamp(node: &mut Node, limit: usize) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        node.range = TextRange::new(node.range.start.min(limit), node.range.end.min(limit));
        match &mut node.kind {
            NodeKind::Array(items) => stack.extend(items.iter_mut()),
            NodeKind::Object(members) => {
                for member in members.iter_mut() {
                    member.key_range = TextRange::new(
                        member.key_range.start.min(limit),
                        member.key_range.end.min(limit),
                    );
                    stack.push(&mut member.value);
                }
            }
            _ => {}
        }
    }
}

/// The offset of the first bracket that opens level `MAX_DEPTH + 1`, outside strings.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn range(r: jsonc_parser::common::Range) -> TextRange {
    TextRange::new(r.start, r.end)
}

fn convert(value: &ast::Value<'_>) -> Node {
    match value {
        ast::Value::NullKeyword(n) => Node { kind: NodeKind::Null, range: range(n.range) },
        ast::Value::BooleanLit(b) => Node { kind: NodeKind::Bool(b.value), range: range(b.range) },
        ast::Value::NumberLit(n) => {
            Node { kind: NodeKind::Number(n.value.to_owned()), range: range(n.range) }
        }
        ast::Value::StringLit(s) => {
            Node { kind: NodeKind::String(s.value.to_string()), range: range(s.range) }
        }
        ast::Value::Array(a) => Node {
            kind: NodeKind::Array(a.elements.iter().map(convert).collect()),
            range: range(a.range),
        },
        ast::Value::Object(o) => Node {
            kind: NodeKind::Object(
                o.properties
                    .iter()
                    .map(|p| {
                        let (key, key_range) = match &p.name {
                            ast::ObjectPropName::String(s) => (s.value.to_string(), range(s.range)),
                            ast::ObjectPropName::Word(w) => (w.value.to_owned(), range(w.range)),
                        };
                        Member { key, key_range, value: convert(&p.value) }
                    })
                    .collect(),
            ),
            range: range(o.range),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_byte_offsets_of_the_text() {
        let text = r#"{"é": [1, "x"]}"#;
        let node = parse_jsonc(text).expect("valid JSON");
        let NodeKind::Object(members) = &node.kind else { panic!("an object") };
        assert_eq!(&text[members[0].key_range.start..members[0].key_range.end], "\"é\"");
        let value = &members[0].value;
        assert_eq!(&text[value.range.start..value.range.end], "[1, \"x\"]");
        // The one-pass reader records the same ranges.
        let entries = parse(text).expect("valid JSON").skeleton.entries();
        assert_eq!(entries[1].key, Some(members[0].key_range));
        assert_eq!(entries[1].value, value.range);
    }

    #[test]
    fn json5_extensions_are_refused() {
        for text in ["{\"a\": 1,}", "{a: 1}", "{\"a\": 1} // c", "{\"a\": 'x'}", "{\"a\": 0x1}"] {
            assert!(parse(text).is_err(), "{text} must be refused");
        }
    }

    #[test]
    fn ten_thousand_levels_are_refused_without_overflow() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse(&text).expect_err("too deep");
        assert_eq!(err.range.start, MAX_DEPTH);
    }

    #[test]
    fn lenient_parsing_recovers_common_mistakes() {
        assert!(parse_lenient("{\"a\": 1, // note\n \"b\": [1, 2,],}").is_some());
        assert!(parse_lenient("{\"a\": ").is_none());
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let text = r#"{"a": 1, "a": 2}"#;
        let node = parse_jsonc(text).expect("valid JSON");
        let NodeKind::Object(members) = node.kind else { panic!("an object") };
        assert_eq!(members.len(), 2);
        let read = parse(text).expect("valid JSON");
        assert!(read.repeated_keys);
        assert_eq!(read.skeleton.entries().len(), 3, "the root and both members");
        assert_eq!(read.value["a"], 2, "the last one wins");
    }
}
