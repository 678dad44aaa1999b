//! A strict JSON reader for the common case: well-formed text straight to a [`Node`] tree in one
//! pass, without an intermediate AST.
//!
//! It answers `None` for anything it does not accept — a syntax error, nesting deeper than
//! [`MAX_DEPTH`], a control character or a lone surrogate in a string — and the caller then asks
//! jsonc-parser, which gives the located error message (or the tree, for the rare text only it
//! accepts). So this reader only has to be exact on what it accepts: the same tree, byte for
//! byte, as jsonc-parser's strict mode (a differential fuzz target checks that).

use super::{MAX_DEPTH, Member, Node, NodeKind};
use crate::text::TextRange;

/// Parses well-formed JSON text, or `None`.
pub(crate) fn parse(text: &str) -> Option<Node> {
    parse_nested(text, 0)
}

/// Parses well-formed JSON text that sits `depth` levels deep in a document (nesting counts
/// from there towards [`MAX_DEPTH`]), or `None`.
pub(crate) fn parse_nested(text: &str, depth: usize) -> Option<Node> {
    let mut reader = Reader { bytes: text.as_bytes(), text, at: 0 };
    reader.skip_ws();
    let node = reader.value(depth)?;
    reader.skip_ws();
    (reader.at == reader.bytes.len()).then_some(node)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn literal(&mut self, word: &str, kind: NodeKind) -> Option<Node> {
        let start = self.at;
        if self.bytes.get(start..start + word.len())? != word.as_bytes() {
            return None;
        }
        self.at += word.len();
        // `truex` is not `true`: the next byte must end the token.
        if self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
            return None;
        }
        Some(Node { kind, range: TextRange::new(start, self.at) })
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => {
                let start = self.at;
                let s = self.string()?;
                Some(Node { kind: NodeKind::String(s), range: TextRange::new(start, self.at) })
            }
            b't' => self.literal("true", NodeKind::Bool(true)),
            b'f' => self.literal("false", NodeKind::Bool(false)),
            b'n' => self.literal("null", NodeKind::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Option<Node> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        // `01`, `1x`, `1.e`: not a number ending here.
        if self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_') {
            return None;
        }
        let raw = self.text.get(start..self.at)?.to_owned();
        Some(Node { kind: NodeKind::Number(raw), range: TextRange::new(start, self.at) })
    }

    /// A string at `"`: its unescaped value; the reader ends past the closing quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let start = self.at;
        // The common case: no escape, no control character.
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'"' => {
                    let s = self.text.get(start..self.at)?.to_owned();
                    self.at += 1;
                    return Some(s);
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => self.at += 1,
            }
        }
        let mut out = self.text.get(start..self.at)?.to_owned();
        loop {
            let b = *self.bytes.get(self.at)?;
            match b {
                b'"' => {
                    self.at += 1;
                    return Some(out);
                }
                b'\\' => {
                    let escape = *self.bytes.get(self.at + 1)?;
                    self.at += 2;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let high = self.hex4()?;
                            let c = match high {
                                0xD800..=0xDBFF => {
                                    if self.bytes.get(self.at..self.at + 2)? != b"\\u" {
                                        return None;
                                    }
                                    self.at += 2;
                                    let low = self.hex4()?;
                                    if !(0xDC00..=0xDFFF).contains(&low) {
                                        return None;
                                    }
                                    char::from_u32(
                                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00),
                                    )?
                                }
                                0xDC00..=0xDFFF => return None,
                                _ => char::from_u32(high)?,
                            };
                            out.push(c);
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    // Copy the run up to the next quote or backslash.
                    let run_start = self.at;
                    while let Some(&b) = self.bytes.get(self.at) {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.at += 1;
                    }
                    out.push_str(self.text.get(run_start..self.at)?);
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    fn array(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Node {
                kind: NodeKind::Array(items),
                range: TextRange::new(start, self.at),
            });
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Node {
                        kind: NodeKind::Array(items),
                        range: TextRange::new(start, self.at),
                    });
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.at;
        self.at += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Node {
                kind: NodeKind::Object(members),
                range: TextRange::new(start, self.at),
            });
        }
        loop {
            self.skip_ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key_start = self.at;
            let key = self.string()?;
            let key_range = TextRange::new(key_start, self.at);
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member { key, key_range, value });
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(Node {
                        kind: NodeKind::Object(members),
                        range: TextRange::new(start, self.at),
                    });
                }
                _ => return None,
            }
        }
    }
}

/// For the differential fuzz target: whether this reader and jsonc-parser agree on `text`
/// (whenever this reader accepts, jsonc-parser accepts and gives the same tree).
pub(crate) fn agrees_with_jsonc(text: &str) -> Result<(), String> {
    let Some(fast) = parse(text) else { return Ok(()) };
    match super::json::parse_jsonc(text) {
        Ok(slow) if slow == fast => Ok(()),
        Ok(slow) => Err(format!("different trees: {fast:?} vs {slow:?}")),
        Err(e) => Err(format!("accepted what jsonc-parser refuses: {}", e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_jsonc(text: &str) {
        let fast = parse(text);
        let slow = super::super::json::parse_jsonc(text).ok();
        if let Some(fast) = fast {
            assert_eq!(Some(fast), slow, "{text:?}");
        }
    }

    #[test]
    fn agrees_with_jsonc_parser_where_it_accepts() {
        for text in [
            r#"{"a": [1, -2.5e+3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"]}"#,
            "  {\"é\" : {\"b\":[]}, \"c\" : {} }\n",
            "[0, -0, 1E2, 0.5]",
            "\"\"",
            "{\"a\":1,\"a\":2}",
        ] {
            assert!(parse(text).is_some(), "{text}");
            same_as_jsonc(text);
        }
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            "{",
            "{\"a\":1,}",
            "[1,]",
            "01",
            "1.",
            ".5",
            "+1",
            "1e",
            "tru",
            "truex",
            "{a:1}",
            "'a'",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"a\nb\"",
            "[1] x",
            "{\"a\" 1}",
            "NaN",
            "// c\n1",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
            same_as_jsonc(text);
        }
    }

    #[test]
    fn deep_text_is_refused_without_recursion_past_the_limit() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(&text).is_none());
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_some());
    }
}
