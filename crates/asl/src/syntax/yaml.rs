//! YAML text to a [`Node`] tree, with saphyr-parser's event API (every event carries a span).
//!
//! Plain scalars are resolved with the YAML 1.2 core schema (null, booleans, integers, floats);
//! quoted and block scalars and `!!str` are strings. Aliases are expanded with a budget so that
//! "billion laughs" documents are refused instead of exhausting memory. Only the first document
//! of a stream is read.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, SpannedEventReceiver};

use super::{MAX_DEPTH, Member, Node, NodeKind, SyntaxError};
use crate::text::TextRange;

/// The most nodes alias expansion may create.
const ALIAS_BUDGET: usize = 1_000_000;

/// Parses YAML text.
/// Recovers the part of a broken YAML text before the break: the text is cut at the start of
/// the line holding the error, then of the lines before it (a few tries), until what is left
/// parses. Returns the tree and the cut. `None` when no cut parses to a mapping.
pub(crate) fn parse_prefix(text: &str, error_at: usize) -> Option<(Node, usize)> {
    let mut cut = text.get(..error_at.min(text.len()))?.rfind('\n').map_or(0, |i| i + 1);
    // Each try parses the prefix again: fewer tries on big texts.
    let tries = match cut {
        0..=262_144 => 8,
        262_145..=4_194_304 => 3,
        _ => 1,
    };
    for _ in 0..tries {
        if cut == 0 {
            return None;
        }
        if let Ok(node) = parse(&text[..cut]) {
            if matches!(node.kind, NodeKind::Object(_)) {
                return Some((node, cut));
            }
        }
        cut = text[..cut - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    None
}

pub(crate) fn parse(text: &str) -> Result<Node, SyntaxError> {
    let chars = CharOffsets::new(text);
    let mut builder = Builder {
        chars: &chars,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        error: None,
        budget: ALIAS_BUDGET,
        done: false,
    };
    // Events are pulled one by one: saphyr's `load` descends recursively, which a deeply
    // nested block document would turn into a stack overflow.
    for event in Parser::new_from_str(text) {
        match event {
            Ok((event, span)) => builder.on_event(event, span),
            Err(err) => {
                let at = chars.byte(err.marker().index());
                return Err(SyntaxError {
                    message: format!("invalid YAML: {}", err.info()),
                    range: TextRange::new(at, (at + 1).min(text.len())),
                });
            }
        }
        if builder.done {
            break;
        }
    }
    if let Some(error) = builder.error {
        return Err(error);
    }
    builder.root.ok_or_else(|| SyntaxError {
        message: "the text is empty: expected a YAML mapping".to_owned(),
        range: TextRange::at(0),
    })
}

/// Converts saphyr's character indices to byte offsets, with a checkpoint every 256 characters.
struct CharOffsets<'t> {
    text: &'t str,
    ascii: bool,
    checkpoints: Vec<usize>,
}

impl<'t> CharOffsets<'t> {
    fn new(text: &'t str) -> CharOffsets<'t> {
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            text.char_indices().step_by(256).map(|(i, _)| i).collect()
        };
        CharOffsets { text, ascii, checkpoints }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let Some(&start) = self.checkpoints.get(char_index / 256) else { return self.text.len() };
        let skip = char_index % 256;
        let rest = self.text.get(start..).unwrap_or("");
        let mut chars = rest.char_indices();
        match chars.nth(skip) {
            Some((i, _)) => start + i,
            None => self.text.len(),
        }
    }

    fn range(&self, span: Span) -> TextRange {
        TextRange::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

enum Frame {
    Sequence { start: usize, anchor: usize, items: Vec<Node> },
    Mapping { start: usize, anchor: usize, members: Vec<Member>, key: Option<(String, TextRange)> },
}

struct Builder<'c, 't> {
    chars: &'c CharOffsets<'t>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    root: Option<Node>,
    error: Option<SyntaxError>,
    budget: usize,
    done: bool,
}

impl Builder<'_, '_> {
    fn fail(&mut self, message: String, range: TextRange) {
        if self.error.is_none() {
            self.error = Some(SyntaxError { message, range });
        }
        self.done = true;
    }

    /// Adds a finished node to its parent (or makes it the root).
    fn push(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let size = size(&node);
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                self.done = true;
            }
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { members, key, .. }) => match key.take() {
                Some((key, key_range)) => members.push(Member { key, key_range, value: node }),
                None => {
                    let range = node.range;
                    match node.kind {
                        NodeKind::String(s) => *key = Some((s, range)),
                        NodeKind::Number(s) => *key = Some((s, range)),
                        NodeKind::Bool(b) => *key = Some((b.to_string(), range)),
                        NodeKind::Null => *key = Some(("null".to_owned(), range)),
                        NodeKind::Array(_) | NodeKind::Object(_) => self.fail(
                            "a mapping key must be a scalar: ASL keys are strings".to_owned(),
                            range,
                        ),
                    }
                }
            },
        }
    }
}

fn size(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Array(items) => 1 + items.iter().map(size).sum::<usize>(),
        NodeKind::Object(members) => 1 + members.iter().map(|m| size(&m.value)).sum::<usize>(),
        _ => 1,
    }
}

impl<'input> SpannedEventReceiver<'input> for Builder<'_, '_> {
    fn on_event(&mut self, event: Event<'input>, span: Span) {
        if self.done {
            return;
        }
        let range = self.chars.range(span);
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let range = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    block_scalar_range(self.chars.text, range)
                } else {
                    range
                };
                let forced_string = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let kind = if style == ScalarStyle::Plain && !forced_string {
                    resolve_plain(&value)
                } else {
                    NodeKind::String(value.into_owned())
                };
                self.push(Node { kind, range }, anchor);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(
                        format!("the text nests sequences and mappings more than {MAX_DEPTH} levels deep"),
                        range,
                    );
                    return;
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Sequence { start: range.start, anchor, items: Vec::new() }
                } else {
                    Frame::Mapping { start: range.start, anchor, members: Vec::new(), key: None }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else { return };
                // A block collection's end event sits at the next token, past trailing blank
                // lines and the next line's indentation: end it at its last child instead.
                let block_end = |start: usize, last: Option<usize>| {
                    let flow = matches!(self.chars.text.as_bytes().get(start), Some(b'[' | b'{'));
                    if flow { range.end } else { last.unwrap_or(start) }
                };
                let (node, anchor) = match frame {
                    Frame::Sequence { start, anchor, items } => {
                        let end = block_end(start, items.last().map(|n| n.range.end));
                        (
                            Node {
                                kind: NodeKind::Array(items),
                                range: TextRange::new(start, end),
                            },
                            anchor,
                        )
                    }
                    Frame::Mapping { start, anchor, members, .. } => {
                        let end = block_end(start, members.last().map(|m| m.value.range.end));
                        let node = Node {
                            kind: NodeKind::Object(members),
                            range: TextRange::new(start, end),
                        };
                        (node, anchor)
                    }
                };
                self.push(node, anchor);
            }
            Event::Alias(anchor) => match self.anchors.get(&anchor) {
                Some((node, size)) if *size <= self.budget => {
                    self.budget -= size;
                    let mut node = node.clone();
                    node.range = range;
                    self.push(node, 0);
                }
                Some(_) => self.fail(
                    "aliases expand to too many nodes (a \"billion laughs\" document?)".to_owned(),
                    range,
                ),
                None => self.fail("an alias refers to an unknown anchor".to_owned(), range),
            },
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
    }
}

/// The range of a literal (`|`) or folded (`>`) scalar from its indicator to its last non-blank
/// character (the parser's span covers the content and the line break after it).
fn block_scalar_range(text: &str, span: TextRange) -> TextRange {
    let before = text.get(..span.start).unwrap_or("");
    let start =
        before.rfind(['|', '>']).filter(|&i| !before[i..].contains(':')).unwrap_or(span.start);
    let content = text.get(span.start..span.end).unwrap_or("");
    let end = span.start + content.trim_end().len();
    TextRange::new(start, end.max(start))
}

/// Resolves a plain scalar with the YAML 1.2 core schema.
pub(crate) fn resolve_plain(value: &str) -> NodeKind {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        _ => {}
    }
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return NodeKind::Number(value.strip_prefix('+').unwrap_or(value).to_owned());
    }
    if let Some(hex) = value.strip_prefix("0x") {
        if let Ok(n) = u64::from_str_radix(hex, 16) {
            return NodeKind::Number(n.to_string());
        }
    }
    if let Some(oct) = value.strip_prefix("0o") {
        if let Ok(n) = u64::from_str_radix(oct, 8) {
            return NodeKind::Number(n.to_string());
        }
    }
    if is_float(digits) {
        return NodeKind::Number(value.strip_prefix('+').unwrap_or(value).to_owned());
    }
    NodeKind::String(value.to_owned())
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, the core schema's float without sign.
fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match fraction {
        Some(f) => all_digits(whole) && all_digits(f) && !(whole.is_empty() && f.is_empty()),
        None => !whole.is_empty() && all_digits(whole),
    };
    let exponent_ok = match exponent {
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && all_digits(e)
        }
        None => true,
    };
    mantissa_ok && exponent_ok && (fraction.is_some() || exponent.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_resolve_with_the_core_schema() {
        let text = "a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5e3\nf: hello\ng: !!str 2\n";
        let node = parse(text).expect("valid YAML");
        let NodeKind::Object(members) = node.kind else { panic!("a mapping") };
        let kinds: Vec<_> = members.iter().map(|m| m.value.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                NodeKind::Number("1".into()),
                NodeKind::String("1".into()),
                NodeKind::Bool(true),
                NodeKind::Null,
                NodeKind::Number("1.5e3".into()),
                NodeKind::String("hello".into()),
                NodeKind::String("2".into()),
            ]
        );
        assert_eq!(&text[members[5].key_range.start..members[5].key_range.end], "f");
        assert_eq!(&text[members[5].value.range.start..members[5].value.range.end], "hello");
    }

    #[test]
    fn block_ranges_end_at_their_content() {
        let text = "A:\n  B: 1\n  C:\n    - x\n\nD: |\n  two\n  lines\n\nE: 2\n";
        let node = parse(text).expect("valid YAML");
        let NodeKind::Object(members) = node.kind else { panic!("a mapping") };
        let slice = |r: TextRange| &text[r.start..r.end];
        assert_eq!(slice(members[0].value.range), "B: 1\n  C:\n    - x");
        assert_eq!(slice(members[1].value.range), "|\n  two\n  lines");
    }

    #[test]
    fn non_ascii_text_keeps_byte_ranges() {
        let text = "é: ü\nb: x\n";
        let node = parse(text).expect("valid YAML");
        let NodeKind::Object(members) = node.kind else { panic!("a mapping") };
        let b = &members[1];
        assert_eq!(&text[b.key_range.start..b.key_range.end], "b");
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_refused() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(&deep).is_err());
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 { "a".to_owned() } else { format!("b{}", i - 1) };
            bomb += &format!(
                "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            );
        }
        assert!(parse(&bomb).is_err(), "10^10 nodes must be refused");
    }

    #[test]
    fn broken_yaml_is_located() {
        let err = parse("a: [1, 2\nb: 3\n").expect_err("unclosed flow sequence");
        assert!(err.message.starts_with("invalid YAML"));
    }
}
