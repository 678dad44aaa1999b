//! A strict JSON reader for the common case: well-formed text straight to the value and the
//! source map's skeleton in one pass, without an intermediate tree.
//!
//! It answers `None` for anything it does not accept — a syntax error, nesting deeper than
//! [`MAX_DEPTH`], a control character or a lone surrogate in a string, a number out of range —
//! and the caller then asks jsonc-parser, which gives the located error message (or the tree,
//! for the rare text only it accepts). So this reader only has to be exact on what it accepts:
//! the same value and entries, byte for byte, as jsonc-parser's strict mode (a differential
//! fuzz target checks that).

use serde_json::{Map, Value};

use super::{MAX_DEPTH, Read, number};
use crate::source_map::{NO_PARENT, Skeleton, Token};
use crate::text::TextRange;

/// Reads well-formed JSON text, or `None`. The read has the text's line starts: a newline of
/// well-formed JSON can only be white space, which the reader passes over anyway.
pub(crate) fn read(text: &str) -> Option<Read> {
    // Indented lines are short: room for one every 16 bytes, so that the vector rarely grows.
    let mut line_starts = Vec::with_capacity(text.len() / 16 + 1);
    line_starts.push(0);
    read_with(text, 0, Some(line_starts))
}

/// Reads well-formed JSON text that sits `depth` levels deep in a document (nesting counts
/// from there towards [`MAX_DEPTH`]), or `None`.
pub(crate) fn read_nested(text: &str, depth: usize) -> Option<Read> {
    read_with(text, depth, None)
}

fn read_with(text: &str, depth: usize, line_starts: Option<Vec<usize>>) -> Option<Read> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        skeleton: Skeleton::for_text(text.len()),
        repeated_keys: false,
        members: Vec::new(),
        line_starts,
    };
    reader.skip_ws();
    let value = reader.value(depth, NO_PARENT, Token::Root, None)?;
    reader.skip_ws();
    (reader.at == reader.bytes.len()).then_some(Read {
        value,
        skeleton: reader.skeleton,
        repeated_keys: reader.repeated_keys,
        bad_numbers: Vec::new(),
        line_starts: reader.line_starts,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    skeleton: Skeleton,
    repeated_keys: bool,
    /// The members of the objects being read, innermost last: each object's map is built at
    /// its closing brace with the right capacity, instead of growing (and rehashing) as read.
    members: Vec<(String, Value)>,
    /// The offset of each line, when asked for: 0, then the offset after every newline.
    line_starts: Option<Vec<usize>>,
}

impl Reader<'_> {
    /// Passes over white space; most calls find none, so that test is kept inline.
    #[inline]
    fn skip_ws(&mut self) {
        if self.bytes.get(self.at).is_some_and(|&b| b > b' ') {
            return;
        }
        self.skip_some_ws();
    }

    fn skip_some_ws(&mut self) {
        let mut at = self.at;
        while let Some(&b) = self.bytes.get(at) {
            match b {
                b' ' | b'\t' | b'\r' => at += 1,
                b'\n' => {
                    at += 1;
                    if let Some(starts) = &mut self.line_starts {
                        starts.push(at);
                    }
                    // The indentation of the next line, eight bytes at a time.
                    at = skip_spaces(self.bytes, at);
                }
                _ => break,
            }
        }
        self.at = at;
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn literal(&mut self, word: &str, value: Value) -> Option<Value> {
        let start = self.at;
        if self.bytes.get(start..start + word.len())? != word.as_bytes() {
            return None;
        }
        self.at += word.len();
        // `truex` is not `true`: the next byte must end the token.
        if self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
            return None;
        }
        Some(value)
    }

    /// A value at the reader, recorded in the skeleton under `parent` as `token`.
    fn value(
        &mut self,
        depth: usize,
        parent: u32,
        token: Token,
        key: Option<TextRange>,
    ) -> Option<Value> {
        let first = self.peek()?;
        let container = first == b'{' || first == b'[';
        let slot = self.skeleton.open(parent, token, key, self.at, container);
        let value = match first {
            b'{' => self.object(depth + 1, slot)?,
            b'[' => self.array(depth + 1, slot)?,
            b'"' => Value::String(self.string()?),
            b't' => self.literal("true", Value::Bool(true))?,
            b'f' => self.literal("false", Value::Bool(false))?,
            b'n' => self.literal("null", Value::Null)?,
            b'-' | b'0'..=b'9' => self.number()?,
            _ => return None,
        };
        self.skeleton.close(slot, self.at);
        Some(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// A number; `None` for one out of range too (jsonc-parser's tree reports it).
    fn number(&mut self) -> Option<Value> {
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
        number(self.text.get(start..self.at)?).map(Value::Number)
    }

    /// A string at `"`: its unescaped value; the reader ends past the closing quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let start = self.at;
        // The common case: no escape, no control character.
        self.at = special_byte(self.bytes, self.at);
        match *self.bytes.get(self.at)? {
            b'"' => {
                let s = self.text.get(start..self.at)?.to_owned();
                self.at += 1;
                return Some(s);
            }
            b'\\' => {}
            _ => return None,
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
                    self.at = special_byte(self.bytes, self.at);
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

    fn array(&mut self, depth: usize, slot: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Value::Array(items));
        }
        loop {
            self.skip_ws();
            let index = u32::try_from(items.len()).unwrap_or(u32::MAX);
            items.push(self.value(depth, slot, Token::Index(index), None)?);
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(Value::Array(items));
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize, slot: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        let first = self.members.len();
        self.skip_ws();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Value::Object(Map::new()));
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
            // Pretty-printed text has one space after the colon: passed over here, without
            // the general white space loop.
            self.at += 1 + usize::from(self.bytes.get(self.at + 1) == Some(&b' '));
            self.skip_ws();
            let token = self.skeleton.key(&key);
            let value = self.value(depth, slot, token, Some(key_range))?;
            self.members.push((key, value));
            self.skip_ws();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    let count = self.members.len() - first;
                    let mut map = Map::with_capacity(count);
                    for (key, value) in self.members.drain(first..) {
                        // Duplicate keys: the last one wins, as in the other readers.
                        if map.insert(key, value).is_some() {
                            self.repeated_keys = true;
                        }
                    }
                    return Some(Value::Object(map));
                }
                _ => return None,
            }
        }
    }
}

/// Eight copies of a byte, for the word-at-a-time scans below.
const fn splat(byte: u8) -> u64 {
    0x0101_0101_0101_0101 * byte as u64
}

/// The word of the 8 bytes at `at` (little-endian: the first byte is the lowest).
fn word(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// A high bit set in each byte of `x` below `n` (`n` at most 128), at least in the lowest such
/// byte: a byte above it may be flagged too (a borrow), so only the lowest flag is exact.
fn bytes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(splat(n)) & !x & splat(0x80)
}

/// The offset of the first byte from `at` that ends the plain run of a string — a quote, a
/// backslash or a control character — or the length of `bytes`. Eight bytes at a time: the
/// strings of a definition are mostly long runs of plain text.
fn special_byte(bytes: &[u8], mut at: usize) -> usize {
    while let Some(x) = word(bytes, at) {
        let found = bytes_below(x ^ splat(b'"'), 1)
            | bytes_below(x ^ splat(b'\\'), 1)
            | bytes_below(x, 0x20);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20) {
        at += 1;
    }
    at.min(bytes.len())
}

/// The offset of the first byte from `at` that is not a space: the indentation of pretty-printed
/// text, eight bytes at a time.
fn skip_spaces(bytes: &[u8], mut at: usize) -> usize {
    while let Some(x) = word(bytes, at) {
        let other = x ^ splat(b' ');
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// For the differential fuzz target: whether this reader and jsonc-parser agree on `text`
/// (whenever this reader accepts, jsonc-parser accepts and gives the same value and entries).
pub(crate) fn agrees_with_jsonc(text: &str) -> Result<(), String> {
    let Some(fast) = read(text) else { return Ok(()) };
    match super::json::parse_jsonc(text).map(Read::of) {
        Ok(slow) if same(&fast, &slow) => Ok(()),
        Ok(slow) => Err(format!("different reads: {fast:?} vs {slow:?}")),
        Err(e) => Err(format!("accepted what jsonc-parser refuses: {}", e.message)),
    }
}

/// Whether two reads have the same value, entries (in order) and duplicate keys.
fn same(a: &Read, b: &Read) -> bool {
    a.value == b.value
        && a.repeated_keys == b.repeated_keys
        && a.bad_numbers == b.bad_numbers
        && a.skeleton.entries() == b.skeleton.entries()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_jsonc(text: &str) {
        assert_eq!(agrees_with_jsonc(text), Ok(()), "{text:?}");
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
            assert!(read(text).is_some(), "{text}");
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
            assert!(read(text).is_none(), "{text:?}");
            same_as_jsonc(text);
        }
    }

    #[test]
    fn line_starts_are_those_of_the_line_index() {
        let text = "\n{\r\n  \"a\" :\n [1,\n\t2] ,\"b\":\"x\\ny\"}\n\n";
        let read = read(text).expect("well-formed");
        let mut expected = vec![0];
        expected.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        assert_eq!(read.line_starts, Some(expected));
        assert_eq!(read_nested(text, 0).expect("well-formed").line_starts, None);
    }

    #[test]
    fn word_scans_stop_at_the_first_byte_that_counts() {
        let text = "plain text é and more\"";
        assert_eq!(special_byte(text.as_bytes(), 0), text.len() - 1);
        for (i, stop) in ["\"", "\\", "\n", "\u{1f}"].iter().enumerate() {
            for at in 0..20 {
                let text = format!("{}{stop}{}", "a".repeat(at), "\"".repeat(i + 9));
                assert_eq!(special_byte(text.as_bytes(), 0), at, "{text:?}");
            }
        }
        assert_eq!(special_byte(b"abc", 0), 3);
        for n in 0..20 {
            let text = format!("{}x{}", " ".repeat(n), " ".repeat(9));
            assert_eq!(skip_spaces(text.as_bytes(), 0), n);
        }
        assert_eq!(skip_spaces(b"   ", 1), 3);
    }

    #[test]
    fn deep_text_is_refused_without_recursion_past_the_limit() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(read(&text).is_none());
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(read(&ok).is_some());
    }
}
