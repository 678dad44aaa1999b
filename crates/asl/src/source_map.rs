//! JSON Pointer ⇄ text range ⇄ line and column.
//!
//! Every value of the document has an entry: its pointer (RFC 6901), the range of its key (for
//! object members) and the range of its value. Entries are in document order (pre-order), so
//! the entry for an offset is the last one whose value range holds it.
//!
//! Parsing only records where each value is and its key (a [`Skeleton`]: two vectors, no
//! string per value); the pointers and their index are written on the first question asked of
//! the map. A definition that validates without a diagnostic is never asked one, and writing
//! and sorting a pointer per value was the largest cost of parsing a large definition.

use std::sync::OnceLock;

use crate::syntax::{Node, NodeKind};
use crate::text::{LineIndex, TextRange};
use crate::{Position, Range};

/// One located value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its JSON Pointer.
    pub pointer: String,
    /// The range of its key, when it is an object member.
    pub key: Option<TextRange>,
    /// The range of its value.
    pub value: TextRange,
    /// Whether the value is an array or an object.
    pub container: bool,
}

/// A duplicated object key: the pointer both members share and the later key's range.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateKey {
    /// The pointer of the member.
    pub pointer: String,
    /// The range of the repeated (later) key.
    pub key: TextRange,
}

/// The source map of one text.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// What the entries are written from, until they are.
    skeleton: Skeleton,
    /// The entries and their pointer index, written on first use.
    index: OnceLock<Index>,
    lines: LineIndex,
    duplicates: Vec<DuplicateKey>,
}

/// The entries with their pointers, and the index to find them.
#[derive(Debug, Clone, Default)]
struct Index {
    entries: Vec<Entry>,
    /// (hash of the pointer, index of the entry), sorted: the later of two equal pointers last.
    by_pointer: Vec<(u64, u32)>,
}

/// The values of a tree in pre-order, with their keys written end to end in one string: what
/// a reader records as it goes, for [`SourceMap::build`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Skeleton {
    slots: Vec<Slot>,
    keys: String,
}

/// One value of a [`Skeleton`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    /// The slot of the containing array or object; `u32::MAX` for the root.
    parent: u32,
    /// Its reference token in its container.
    token: Token,
    key: Option<TextRange>,
    value: TextRange,
    container: bool,
}

/// A reference token, unescaped: an array index or a key (a range of [`Skeleton::keys`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token {
    Root,
    Index(u32),
    Key(u32, u32),
}

/// The parent of the root slot.
pub(crate) const NO_PARENT: u32 = u32::MAX;

impl SourceMap {
    /// A source map with line information only (for text that did not parse).
    pub(crate) fn lines_only(text: &str) -> SourceMap {
        SourceMap { lines: LineIndex::new(text), ..SourceMap::default() }
    }

    /// The map of `text` whose values a reader recorded in `skeleton`; `repeated_keys` says
    /// whether some object repeats a key; `line_starts`, the text's lines if the reader
    /// recorded them.
    pub(crate) fn build(
        text: &str,
        skeleton: Skeleton,
        repeated_keys: bool,
        line_starts: Option<Vec<usize>>,
    ) -> SourceMap {
        let lines = match line_starts {
            Some(starts) => LineIndex::from_starts(starts),
            None => LineIndex::new(text),
        };
        let mut map = SourceMap { lines, skeleton, ..SourceMap::default() };
        if repeated_keys {
            // Only an object that repeats a key can make two pointers equal.
            map.find_duplicates();
        }
        map
    }

    /// The entries and their index, written from the skeleton on first use.
    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::of(self.skeleton.entries()))
    }

    /// Updates the map of the text before an edit to `text`, when the edit replaced the members
    /// of one object written in `[start, end)` (old offsets) by the members whose entries are
    /// `added` (new offsets; see [`Skeleton::entries_under`]) and nothing else changed: the entries before stay, the containers
    /// around grow by `delta`, the entries after move by it; the index is updated, not rebuilt.
    pub(crate) fn replace_members(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        delta: isize,
        added: Vec<Entry>,
    ) -> Option<()> {
        self.index();
        let index = self.index.get_mut()?;
        // The skeleton has served: the entries are kept up to date from here on.
        self.skeleton = Skeleton::default();
        let begin = |e: &Entry| e.key.map(|k| k.start).unwrap_or(e.value.start);
        // Pre-order: the containers around begin before `start`, the replaced members and their
        // values begin in `[start, end)`, everything after begins at `end` or later.
        let first =
            index.entries.iter().position(|e| begin(e) >= start).unwrap_or(index.entries.len());
        let last = first + index.entries[first..].iter().take_while(|e| begin(e) < end).count();
        let moved = |at: usize| at.checked_add_signed(delta);
        // Check every move first: nothing changes when one fails.
        for e in &index.entries[last..] {
            moved(e.value.start)?;
            moved(e.key.map_or(e.value.start, |k| k.start))?;
        }
        for e in &index.entries[..first] {
            if e.value.end >= end {
                moved(e.value.end)?;
            }
        }
        for e in &mut index.entries[..first] {
            if e.value.end >= end {
                // A container around the members: it ends after them.
                e.value.end = moved(e.value.end).unwrap_or(e.value.end);
            }
        }
        let shift = |r: TextRange| {
            TextRange::new(moved(r.start).unwrap_or(r.start), moved(r.end).unwrap_or(r.end))
        };
        for e in &mut index.entries[last..] {
            e.value = shift(e.value);
            e.key = e.key.map(shift);
        }
        let removed = last - first;
        let count = added.len();
        index.entries.splice(first..last, added);
        // The index: drop the replaced entries, renumber the ones after, merge the new ones.
        let renumber = |i: u32| -> Option<u32> {
            let i = i as usize;
            if i < first {
                Some(i as u32)
            } else if i >= last {
                u32::try_from(i - removed + count).ok()
            } else {
                None
            }
        };
        let kept: Vec<(u64, u32)> =
            index.by_pointer.iter().filter_map(|&(h, i)| Some((h, renumber(i)?))).collect();
        let mut fresh: Vec<(u64, u32)> = (first..first + count)
            .filter_map(|i| Some((hash(&index.entries[i].pointer), u32::try_from(i).ok()?)))
            .collect();
        fresh.sort_unstable();
        let mut merged = Vec::with_capacity(kept.len() + fresh.len());
        let (mut a, mut b) = (kept.into_iter().peekable(), fresh.into_iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => {
                    if x <= y {
                        a.next()
                    } else {
                        b.next()
                    }
                }
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            merged.extend(next);
        }
        index.by_pointer = merged;
        self.lines = LineIndex::new(text);
        self.find_duplicates();
        Some(())
    }

    /// The index of the entry of a pointer (the later of duplicates).
    fn index_of(&self, pointer: &str) -> Option<usize> {
        let Index { entries, by_pointer } = self.index();
        let h = hash(pointer);
        let end = by_pointer.partition_point(|&(k, _)| k <= h);
        let start = by_pointer[..end].partition_point(|&(k, _)| k < h);
        by_pointer[start..end]
            .iter()
            .rev()
            .map(|&(_, i)| i as usize)
            .find(|&i| entries[i].pointer == pointer)
    }

    /// Finds duplicate keys from the index.
    fn find_duplicates(&mut self) {
        self.index();
        let map = self;
        map.duplicates.clear();
        let Some(Index { entries, by_pointer: order }) = map.index.get() else { return };
        let mut i = 0;
        while i < order.len() {
            let mut j = i + 1;
            while j < order.len() && order[j].0 == order[i].0 {
                j += 1;
            }
            if j - i > 1 {
                // Equal hashes: equal pointers are duplicate keys (the later member wins, in the
                // index as in the value); anything else is a collision, told apart in `get`.
                let run = &order[i..j];
                for (n, &(_, later)) in run.iter().enumerate().skip(1) {
                    let second = &entries[later as usize];
                    let repeated = run[..n]
                        .iter()
                        .any(|&(_, a)| entries[a as usize].pointer == second.pointer);
                    if let (true, Some(key)) = (repeated, second.key) {
                        map.duplicates.push(DuplicateKey { pointer: second.pointer.clone(), key });
                    }
                }
            }
            i = j;
        }
        map.duplicates.sort_by_key(|d| d.key.start);
    }

    /// The entry of a pointer.
    pub fn get(&self, pointer: &str) -> Option<&Entry> {
        // The last of equal pointers: the later duplicate, as in the value.
        self.index_of(pointer).map(|i| &self.index().entries[i])
    }

    /// All entries, in document order.
    pub fn entries(&self) -> &[Entry] {
        &self.index().entries
    }

    /// Object keys that appear twice in the same object.
    pub fn duplicate_keys(&self) -> &[DuplicateKey] {
        &self.duplicates
    }

    /// The line index of the text.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The pointer of the innermost value at a byte offset.
    pub fn pointer_at(&self, offset: usize) -> Option<&str> {
        self.entries()
            .iter()
            .rev()
            .find(|e| e.value.start <= offset && offset < e.value.end.max(e.value.start + 1))
            .map(|e| e.pointer.as_str())
    }

    /// The pointer of the innermost value at a line and column.
    pub fn pointer_at_position(&self, text: &str, position: Position) -> Option<&str> {
        self.pointer_at(self.lines.offset(text, position))
    }

    /// The range to underline for a diagnostic at `pointer`: the key of a container member (its
    /// value may span many lines), the value of a scalar, or — for a pointer that does not exist,
    /// such as a missing field — the nearest existing ancestor.
    pub fn highlight(&self, pointer: &str) -> TextRange {
        let mut pointer = pointer;
        loop {
            if let Some(entry) = self.get(pointer) {
                return match (entry.container, entry.key) {
                    (true, Some(key)) => key,
                    (true, None) => TextRange::new(entry.value.start, entry.value.start + 1),
                    (false, _) => entry.value,
                };
            }
            match pointer.rfind('/') {
                Some(i) => pointer = &pointer[..i],
                None => return TextRange::at(0),
            }
        }
    }

    /// [`highlight`](Self::highlight) as lines and columns.
    pub fn range(&self, text: &str, pointer: &str) -> Range {
        self.lines.range(text, self.highlight(pointer))
    }
}

impl Index {
    fn of(entries: Vec<Entry>) -> Index {
        // A sorted index of pointer hashes instead of a hash map of strings: no second copy of
        // every pointer, and sorting integers is cheap.
        let mut by_pointer: Vec<(u64, u32)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((hash(&e.pointer), u32::try_from(i).ok()?)))
            .collect();
        by_pointer.sort_unstable();
        Index { entries, by_pointer }
    }
}

impl Skeleton {
    /// An empty skeleton with room for a text of `len` bytes (about one value per 30 bytes
    /// of pretty-printed ASL, a fifth or more of it in keys), so that it seldom grows while
    /// read: growing copies all that was read so far.
    pub(crate) fn for_text(len: usize) -> Skeleton {
        Skeleton { slots: Vec::with_capacity(len / 30 + 1), keys: String::with_capacity(len / 4) }
    }

    /// Records a value that starts at `start`; [`close`](Self::close) says where it ends.
    pub(crate) fn open(
        &mut self,
        parent: u32,
        token: Token,
        key: Option<TextRange>,
        start: usize,
        container: bool,
    ) -> u32 {
        let at = u32::try_from(self.slots.len()).unwrap_or(NO_PARENT);
        self.slots.push(Slot { parent, token, key, value: TextRange::at(start), container });
        at
    }

    /// Ends the value recorded at `slot` at `end`.
    pub(crate) fn close(&mut self, slot: u32, end: usize) {
        if let Some(slot) = self.slots.get_mut(slot as usize) {
            slot.value.end = end.max(slot.value.start);
        }
    }

    /// The token of a member key, kept with the others.
    pub(crate) fn key(&mut self, key: &str) -> Token {
        let start = self.keys.len();
        self.keys.push_str(key);
        Token::Key(
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(self.keys.len()).unwrap_or(u32::MAX),
        )
    }

    /// Moves every range `by` bytes to the right.
    pub(crate) fn shift(&mut self, by: usize) {
        let moved = |r: TextRange| TextRange::new(r.start + by, r.end + by);
        for slot in &mut self.slots {
            slot.value = moved(slot.value);
            slot.key = slot.key.map(moved);
        }
    }

    /// The slots of a tree, and whether some object in it repeats a key. Iterative.
    pub(crate) fn of(root: &Node) -> (Skeleton, bool) {
        let mut skeleton = Skeleton::default();
        let mut repeated = false;
        let mut stack: Vec<(&Node, u32, Token, Option<TextRange>)> =
            vec![(root, NO_PARENT, Token::Root, None)];
        while let Some((node, parent, token, key)) = stack.pop() {
            let at = u32::try_from(skeleton.slots.len()).unwrap_or(NO_PARENT);
            let container = matches!(node.kind, NodeKind::Array(_) | NodeKind::Object(_));
            skeleton.slots.push(Slot { parent, token, key, value: node.range, container });
            match &node.kind {
                NodeKind::Array(items) => {
                    for (i, item) in items.iter().enumerate().rev() {
                        let i = u32::try_from(i).unwrap_or(u32::MAX);
                        stack.push((item, at, Token::Index(i), None));
                    }
                }
                NodeKind::Object(members) => {
                    repeated |= repeats_a_key(members);
                    let first = stack.len();
                    for member in members {
                        let key = skeleton.key(&member.key);
                        stack.push((&member.value, at, key, Some(member.key_range)));
                    }
                    // Pre-order: the first member is visited first.
                    stack[first..].reverse();
                }
                _ => {}
            }
        }
        (skeleton, repeated)
    }

    /// The entries, pointers from the root.
    pub(crate) fn entries(&self) -> Vec<Entry> {
        self.entries_under(String::new(), None)
    }

    /// The entries, the root's pointer being `pointer` and its key `key`.
    pub(crate) fn entries_under(&self, pointer: String, key: Option<TextRange>) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::with_capacity(self.slots.len());
        for slot in &self.slots {
            let pointer = match (slot.token, out.get(slot.parent as usize)) {
                (Token::Root, _) | (_, None) => pointer.clone(),
                (Token::Index(i), Some(parent)) => {
                    crate::object::join_index(&parent.pointer, i as usize)
                }
                (Token::Key(start, end), Some(parent)) => crate::object::join(
                    &parent.pointer,
                    self.keys.get(start as usize..end as usize).unwrap_or_default(),
                ),
            };
            let key = if slot.parent == NO_PARENT { key } else { slot.key };
            out.push(Entry { pointer, key, value: slot.value, container: slot.container });
        }
        out
    }
}

/// Whether two members of an object have the same key.
fn repeats_a_key(members: &[crate::syntax::Member]) -> bool {
    if members.len() <= 16 {
        members.iter().enumerate().any(|(i, m)| members[..i].iter().any(|n| n.key == m.key))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        !members.iter().all(|m| seen.insert(m.key.as_str()))
    }
}

fn hash(pointer: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x5157_a5e1).hash_one(pointer)
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub fn escape(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// Unescapes one JSON Pointer reference token (RFC 6901).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::json;

    #[test]
    fn pointers_map_to_ranges_and_back() {
        let text = "{\n  \"States\": {\n    \"a/b\": {\"Type\": \"Pass\"}\n  }\n}";
        let read = json::parse(text).expect("valid");
        let map = SourceMap::build(text, read.skeleton, read.repeated_keys, read.line_starts);
        let entry = map.get("/States/a~1b/Type").expect("mapped");
        assert_eq!(&text[entry.value.start..entry.value.end], "\"Pass\"");
        assert_eq!(map.pointer_at(entry.value.start + 1), Some("/States/a~1b/Type"));
        let range = map.range(text, "/States/a~1b");
        assert_eq!((range.start.line, range.start.column), (2, 4));
        // A missing field falls back to its object.
        assert_eq!(map.highlight("/States/a~1b/Next"), map.highlight("/States/a~1b"));
    }
}
