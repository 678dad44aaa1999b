//! A format-neutral syntax tree with byte ranges, built from JSON or YAML text.
//!
//! Invariants: every node's range lies inside the text; object members keep their document
//! order and duplicates (the validator reports them); nesting is at most [`MAX_DEPTH`] deep, so
//! every recursive walk over a tree is bounded.

pub(crate) mod fast_json;
pub(crate) mod json;

pub(crate) use fast_json::agrees_with_jsonc as fast_json_agrees;
pub(crate) mod yaml;

use serde_json::{Map, Number, Value};

use crate::source_map::Skeleton;
use crate::text::TextRange;

/// The deepest nesting of arrays and objects accepted. Real definitions nest far less (each
/// Parallel or Map level adds about four); deeper text is reported instead of parsed, so that
/// no walk can overflow the stack.
pub const MAX_DEPTH: usize = 256;

/// A value with its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the value is.
    pub kind: NodeKind,
    /// Where it is: for strings, the quotes included.
    pub range: TextRange,
}

/// The kinds of values, JSON's data model.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as written so that huge numbers are not lost.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object, members in document order, duplicates kept.
    Object(Vec<Member>),
}

/// One member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped.
    pub key: String,
    /// Where the key is, quotes included.
    pub key_range: TextRange,
    /// The value.
    pub value: Node,
}

/// A syntax error: what and where.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// A message for people.
    pub message: String,
    /// Where the text is broken.
    pub range: TextRange,
}

/// A text read: its value and where each part of it is.
#[derive(Debug, Clone)]
pub(crate) struct Read {
    /// The value (for duplicate keys the last wins; out-of-range numbers are `null`).
    pub(crate) value: Value,
    /// Every value's ranges and key, for the source map.
    pub(crate) skeleton: Skeleton,
    /// Whether some object repeats a key.
    pub(crate) repeated_keys: bool,
    /// Numbers that do not fit an `f64`: where, and as written.
    pub(crate) bad_numbers: Vec<(TextRange, String)>,
    /// The offset of every line of the text, when the reader saw every newline (see
    /// [`crate::LineIndex`]); otherwise the source map finds them.
    pub(crate) line_starts: Option<Vec<usize>>,
}

impl Read {
    /// Reads a tree (the parsers other than the one-pass JSON reader build one).
    pub(crate) fn of(root: Node) -> Read {
        let (skeleton, repeated_keys) = Skeleton::of(&root);
        let mut bad_numbers = Vec::new();
        let mut stack = vec![&root];
        while let Some(node) = stack.pop() {
            match &node.kind {
                NodeKind::Number(raw) if number(raw).is_none() => {
                    bad_numbers.push((node.range, raw.clone()));
                }
                NodeKind::Array(items) => stack.extend(items.iter()),
                NodeKind::Object(members) => stack.extend(members.iter().map(|m| &m.value)),
                _ => {}
            }
        }
        bad_numbers.sort_by_key(|(range, _)| range.start);
        Read { value: into_value(root), skeleton, repeated_keys, bad_numbers, line_starts: None }
    }

    /// Moves every range `by` bytes to the right (after reading a suffix of the text).
    pub(crate) fn shift(&mut self, by: usize) {
        self.skeleton.shift(by);
        for (range, _) in &mut self.bad_numbers {
            *range = TextRange::new(range.start + by, range.end + by);
        }
        // The first line starts at 0 whatever comes before the part read.
        for start in self.line_starts.iter_mut().flat_map(|starts| starts.iter_mut().skip(1)) {
            *start += by;
        }
    }
}

/// Moves every range of a tree `by` bytes to the right (after parsing a suffix of the text,
/// e.g. past a byte-order mark). Iterative.
pub(crate) fn shift(node: &mut Node, by: usize) {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        node.range = TextRange::new(node.range.start + by, node.range.end + by);
        match &mut node.kind {
            NodeKind::Array(items) => stack.extend(items.iter_mut()),
            NodeKind::Object(members) => {
                for member in members.iter_mut() {
                    member.key_range =
                        TextRange::new(member.key_range.start + by, member.key_range.end + by);
                    stack.push(&mut member.value);
                }
            }
            _ => {}
        }
    }
}

/// Converts a tree to a serde_json value, consuming it (strings and keys move, not copied).
/// Duplicate keys: the last one wins, as in most JSON parsers. Numbers that do not fit an `f64`
/// become `null` (the validator reports them).
pub(crate) fn into_value(node: Node) -> Value {
    match node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(b),
        NodeKind::Number(raw) => number(&raw).map(Value::Number).unwrap_or(Value::Null),
        NodeKind::String(s) => Value::String(s),
        NodeKind::Array(items) => Value::Array(items.into_iter().map(into_value).collect()),
        NodeKind::Object(members) => {
            let mut map = Map::with_capacity(members.len());
            for member in members {
                map.insert(member.key, into_value(member.value));
            }
            Value::Object(map)
        }
    }
}

/// Parses a number as serde_json would: integers exactly when they fit 64 bits, otherwise as a
/// finite `f64`. `None` when the number is out of range (e.g. `1e400`) or malformed.
pub(crate) fn number(raw: &str) -> Option<Number> {
    if let Ok(n) = raw.parse::<i64>() {
        return Some(Number::from(n));
    }
    if let Ok(n) = raw.parse::<u64>() {
        return Some(Number::from(n));
    }
    raw.parse::<f64>().ok().and_then(Number::from_f64)
}
