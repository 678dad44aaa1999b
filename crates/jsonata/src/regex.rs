//! Regular expressions: JSONata's `/…/flags` literals are JavaScript regular expressions, so
//! they compile with `regress`, an ECMAScript regex engine (lookaround and backreferences
//! included), rather than Rust's `regex` syntax.

use crate::error::{Error, Result};

/// A compiled regular expression literal.
pub struct Pattern {
    regex: regress::Regex,
    /// The pattern as written.
    pub source: String,
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "/{}/", self.source)
    }
}

/// One match: the matched text's byte range and each group's text.
pub struct Found {
    /// Byte offset of the match.
    pub start: usize,
    /// Byte offset after the match.
    pub end: usize,
    /// The capture groups (`None` where a group did not take part).
    pub groups: Vec<Option<(usize, usize)>>,
}

impl Pattern {
    /// Compiles a pattern with its flags (`i`, `m`).
    pub fn new(source: &str, flags: &str) -> Result<Pattern> {
        let regex = regress::Regex::with_flags(source, flags)
            .map_err(|e| Error::new("S0303", format!("Invalid regular expression: {e}")))?;
        Ok(Pattern { regex, source: source.to_owned() })
    }

    /// The first match at or after byte offset `start`.
    pub fn find_at(&self, text: &str, start: usize) -> Option<Found> {
        if start > text.len() {
            return None;
        }
        self.regex.find_from(text, start).next().map(|m| Found {
            start: m.range.start,
            end: m.range.end,
            groups: m.captures.iter().map(|c| c.as_ref().map(|r| (r.start, r.end))).collect(),
        })
    }

    /// Every non-overlapping match, at most `limit`; an empty match is an error (`D1004`).
    pub fn find_all(&self, text: &str, limit: Option<usize>) -> Result<Vec<Found>> {
        let mut out = Vec::new();
        let mut at = 0;
        while limit.is_none_or(|l| out.len() < l) {
            let Some(m) = self.find_at(text, at) else { break };
            if m.end == m.start {
                return Err(Error::new(
                    "D1004",
                    format!("Regular expression matches zero length string: {}", self.source),
                ));
            }
            at = m.end;
            out.push(m);
        }
        Ok(out)
    }
}

/// Character index of a byte offset (JSONata reports positions in characters).
pub fn char_index(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}
