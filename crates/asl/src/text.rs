//! Byte ranges and the line index that turns them into zero-based lines and columns.

use crate::{Position, Range};

/// A byte range `[start, end)` in the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct TextRange {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl TextRange {
    /// A range from `start` to `end`, clamped so that `start <= end`.
    pub fn new(start: usize, end: usize) -> TextRange {
        TextRange { start, end: end.max(start) }
    }

    /// An empty range at `offset`.
    pub fn at(offset: usize) -> TextRange {
        TextRange { start: offset, end: offset }
    }

    /// Whether `other` lies inside this range.
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// Line starts of a text, to convert byte offsets to [`Position`]s (zero-based line, zero-based
/// column counted in Unicode scalar values).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 24 + 1);
        starts.push(0);
        push_line_starts(text.as_bytes(), &mut starts);
        LineIndex { starts }
    }

    /// The index of lines whose starts are known: 0, then the offset after every newline.
    pub(crate) fn from_starts(starts: Vec<usize>) -> LineIndex {
        debug_assert!(starts.first() == Some(&0) && starts.is_sorted());
        LineIndex { starts }
    }

    /// The zero-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The byte offset where `line` starts, if there is such a line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The position of a byte offset. Offsets past the end or inside a UTF-8 sequence are moved
    /// back to the previous character boundary.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0).min(offset);
        let column = text.get(start..offset).map(|s| s.chars().count()).unwrap_or(0);
        Position { line: to_u32(line), column: to_u32(column) }
    }

    /// The [`Range`] of a byte range.
    pub fn range(&self, text: &str, range: TextRange) -> Range {
        Range { start: self.position(text, range.start), end: self.position(text, range.end) }
    }

    /// The byte offset of a position, clamped to the text.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(start) = self.line_start(position.line as usize) else { return text.len() };
        let rest = text.get(start..).unwrap_or("");
        let mut offset = start;
        for (n, (i, ch)) in rest.char_indices().enumerate() {
            if n == position.column as usize || ch == '\n' {
                return start + i;
            }
            offset = start + i + ch.len_utf8();
        }
        offset
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Pushes the offset after every `\n` of `bytes`. Eight bytes at a time: a word without a
/// newline (most of them) costs a few instructions instead of eight comparisons.
fn push_line_starts(bytes: &[u8], starts: &mut Vec<usize>) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b'\n'));
        // A high bit set where a byte of `x` is zero, i.e. where the byte was a newline; a byte
        // above a newline may be flagged too (a borrow), so each flagged byte is checked.
        let mut found = x.wrapping_sub(ONES) & !x & HIGHS;
        while found != 0 {
            let i = (found.trailing_zeros() / 8) as usize;
            if chunk[i] == b'\n' {
                starts.push(base + i + 1);
            }
            found &= found - 1;
        }
        base += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == b'\n' {
            starts.push(base + i + 1);
        }
    }
}

/// Bytes compared a block at a time (a slice comparison is one `memcmp`): finding what an edit
/// changed in a 380 kB text byte by byte cost ~4 M instructions, each time it was looked for.
const BLOCK: usize = 64;

/// How many leading bytes `a` and `b` share.
pub fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    i + a[i..n].iter().zip(&b[i..n]).take_while(|(x, y)| x == y).count()
}

/// How many trailing bytes `a` and `b` share.
pub fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    i + a[..n - i].iter().rev().zip(b[..n - i].iter().rev()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_ends_are_found_across_block_boundaries() {
        let long = "x".repeat(200);
        for at in [0, 1, 63, 64, 65, 127, 128, 199] {
            let mut changed = long.clone().into_bytes();
            changed[at] = b'y';
            assert_eq!(common_prefix(long.as_bytes(), &changed), at, "prefix, change at {at}");
            assert_eq!(
                common_suffix(long.as_bytes(), &changed),
                199 - at,
                "suffix, change at {at}"
            );
        }
        assert_eq!(common_prefix(b"abc", b"abcdef"), 3);
        assert_eq!(common_suffix(b"def", b"abcdef"), 3);
        assert_eq!((common_prefix(b"", b"a"), common_suffix(b"a", b"")), (0, 0));
    }

    #[test]
    fn positions_are_zero_based_and_count_characters() {
        let text = "ab\nçd\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), Position { line: 0, column: 0 });
        assert_eq!(index.position(text, 3), Position { line: 1, column: 0 });
        // 'ç' is two bytes: byte 5 is the 'd', column 1.
        assert_eq!(index.position(text, 5), Position { line: 1, column: 1 });
        assert_eq!(index.offset(text, Position { line: 1, column: 1 }), 5);
        // Inside a UTF-8 sequence: moved back to the boundary.
        assert_eq!(index.position(text, 4), Position { line: 1, column: 0 });
        assert_eq!(index.position(text, 999), Position { line: 2, column: 0 });
    }

    #[test]
    fn line_starts_are_found_in_and_between_words() {
        for text in
            ["", "\n", "a\nb", "\n\n\n\n\n\n\n\n\n", "0123456\n89abcdef\n\nxyz\r\n", "é\nü\n€\n"]
        {
            let naive: Vec<usize> =
                std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
            let index = LineIndex::new(text);
            let found: Vec<usize> =
                (0..index.line_count()).filter_map(|l| index.line_start(l)).collect();
            assert_eq!(found, naive, "{text:?}");
        }
    }
}
