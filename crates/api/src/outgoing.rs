//! What a command's answer looks like on the wire.
//!
//! Most answers cross IPC as they are. A [`DocumentSnapshot`] crosses as a [`SnapshotUpdate`]:
//! the changes since the last snapshot sent for the same document (decision 0013). The shell
//! passes every answer through [`Session::outgoing`](crate::Session::outgoing); Rust callers of
//! the Session (tests, the CLI, the bench) keep getting whole snapshots.

use std::collections::HashMap;

use crate::wire::{
    DocumentSnapshot, ExecutionSummary, ExecutionView, ExportedImage, ImportedExecution,
    ListUpdate, NamedInputView, PaletteItem, RangeView, RunProgress, RunSetup, SnapshotUpdate,
    StateInspection, TemplateInfo, TestStateResult, TextSplice, Vocabulary,
};

/// An answer's form on the wire.
pub trait Outgoing {
    /// What is serialised for the UI.
    type Wire: serde::Serialize + ts_rs::TS;
    /// Turns the answer into its wire form; `sent` remembers what the UI holds.
    fn outgoing(self, sent: &mut SentSnapshots) -> Self::Wire;
}

macro_rules! as_they_are {
    ($($ty:ty),* $(,)?) => {
        $(impl Outgoing for $ty {
            type Wire = $ty;
            fn outgoing(self, _: &mut SentSnapshots) -> $ty {
                self
            }
        })*
    };
}

// An imported run's document is sent whole: the UI adopts it without a base, and the first
// update of that document is then whole too (nothing was recorded for it here).
as_they_are!(
    Vec<TemplateInfo>,
    RunSetup,
    ExecutionView,
    RunProgress,
    Vec<PaletteItem>,
    Vocabulary,
    Vec<ExecutionSummary>,
    ExportedImage,
    Vec<String>,
    Option<StateInspection>,
    TestStateResult,
    String,
    ImportedExecution,
    Vec<NamedInputView>,
);

impl Outgoing for DocumentSnapshot {
    type Wire = SnapshotUpdate;
    fn outgoing(self, sent: &mut SentSnapshots) -> SnapshotUpdate {
        sent.update(self)
    }
}

/// The last snapshot sent for each document, and its number.
#[derive(Debug, Default)]
pub struct SentSnapshots {
    last: HashMap<u32, (u32, DocumentSnapshot)>,
    next_seq: u32,
}

impl SentSnapshots {
    /// The next update of the snapshot's document sends everything (the UI lost track of it).
    pub fn forget(&mut self, document_id: u32) {
        self.last.remove(&document_id);
    }

    /// The snapshot as changes from the last one sent for its document, which it replaces.
    pub fn update(&mut self, snapshot: DocumentSnapshot) -> SnapshotUpdate {
        self.next_seq = self.next_seq.wrapping_add(1);
        let seq = self.next_seq;
        let empty = DocumentSnapshot::default();
        let (base, before) = match self.last.get(&snapshot.head.document_id) {
            Some((base, before)) => (Some(*base), before),
            None => (None, &empty),
        };
        let line_shift = line_breaks(&snapshot.text) - line_breaks(&before.text);
        let update = SnapshotUpdate {
            seq,
            base,
            head: snapshot.head.clone(),
            text: splice(&before.text, &snapshot.text),
            diagnostics: (base.is_none() || before.diagnostics != snapshot.diagnostics)
                .then(|| snapshot.diagnostics.clone()),
            nodes: list_update(&before.graph.nodes, &snapshot.graph.nodes, 0, |a, b, _| a == b),
            edges: list_update(&before.graph.edges, &snapshot.graph.edges, 0, |a, b, _| a == b),
            state_ranges: list_update(
                &before.state_ranges,
                &snapshot.state_ranges,
                line_shift,
                |old, new, shift| old.id == new.id && shifted(old.range, shift) == Some(new.range),
            ),
        };
        self.last.insert(snapshot.head.document_id, (seq, snapshot));
        update
    }
}

/// How many line breaks a text has (its lines, less one).
fn line_breaks(text: &str) -> i32 {
    i32::try_from(text.bytes().filter(|&b| b == b'\n').count()).unwrap_or(i32::MAX)
}

/// `range` moved down by `lines` (up when negative); `None` when that leaves the text.
fn shifted(range: RangeView, lines: i32) -> Option<RangeView> {
    let mut moved = range;
    moved.start.line = range.start.line.checked_add_signed(lines)?;
    moved.end.line = range.end.line.checked_add_signed(lines)?;
    Some(moved)
}

/// The one span of `before` that differs from `after`, in UTF-16 offsets.
fn splice(before: &str, after: &str) -> TextSplice {
    let mut start = stepwise_asl::common_prefix(before.as_bytes(), after.as_bytes());
    while !before.is_char_boundary(start) || !after.is_char_boundary(start) {
        start -= 1;
    }
    let room = before.len().min(after.len()) - start;
    let mut end = stepwise_asl::common_suffix(
        &before.as_bytes()[before.len() - room..],
        &after.as_bytes()[after.len() - room..],
    );
    while !before.is_char_boundary(before.len() - end) || !after.is_char_boundary(after.len() - end)
    {
        end -= 1;
    }
    let from = utf16_len(&before[..start]);
    TextSplice {
        from,
        to: from + utf16_len(&before[start..before.len() - end]),
        insert: after[start..after.len() - end].to_owned(),
    }
}

fn utf16_len(text: &str) -> u32 {
    let units = if text.is_ascii() { text.len() } else { text.encode_utf16().count() };
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// `after` as the common ends of `before` kept and the rest sent; `same(old, new, shift)` says
/// whether an item of `before` stands for one of `after`, at the start (shift 0) or at the end.
fn list_update<T: Clone>(
    before: &[T],
    after: &[T],
    end_line_shift: i32,
    same: impl Fn(&T, &T, i32) -> bool,
) -> ListUpdate<T> {
    let keep_start = before.iter().zip(after).take_while(|(a, b)| same(a, b, 0)).count();
    let room = before.len().min(after.len()) - keep_start;
    let keep_end = before
        .iter()
        .rev()
        .zip(after.iter().rev())
        .take(room)
        .take_while(|(a, b)| same(a, b, end_line_shift))
        .count();
    ListUpdate {
        keep_start: count(keep_start),
        middle: after[keep_start..after.len() - keep_end].to_vec(),
        keep_end: count(keep_end),
        end_line_shift,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::StateRange;

    #[test]
    fn a_splice_is_the_one_differing_span_in_utf16_units() {
        let s = splice("{\"a\": \"é𝄞x\"}", "{\"a\": \"é𝄞yz\"}");
        // é is one unit, 𝄞 two: "x" starts at unit 10.
        assert_eq!(s, TextSplice { from: 10, to: 11, insert: "yz".into() });
        assert_eq!(splice("", "abc"), TextSplice { from: 0, to: 0, insert: "abc".into() });
        assert_eq!(splice("abc", "abc"), TextSplice { from: 3, to: 3, insert: String::new() });
        // A repeated run: the kept ends never overlap.
        assert_eq!(splice("aaa", "aaaa"), TextSplice { from: 3, to: 3, insert: "a".into() });
        assert_eq!(splice("aaaa", "aa"), TextSplice { from: 2, to: 4, insert: String::new() });
    }

    #[test]
    fn a_splice_in_a_run_keeps_both_ends() {
        let long = "x".repeat(200);
        let s = splice(&long, &format!("{}z{}", &long[..100], &long[100..]));
        assert_eq!(s, TextSplice { from: 100, to: 100, insert: "z".into() });
    }

    #[test]
    fn a_splice_never_cuts_a_character() {
        // "é" and "è" share their first UTF-8 byte.
        assert_eq!(splice("é", "è"), TextSplice { from: 0, to: 1, insert: "è".into() });
    }

    #[test]
    fn a_list_update_keeps_the_common_ends() {
        let update = list_update(&[1, 2, 3, 4], &[1, 9, 9, 4], 0, |a, b, _| a == b);
        assert_eq!((update.keep_start, update.middle, update.keep_end), (1, vec![9, 9], 1));
        let whole = list_update(&[], &[1, 2], 0, |a: &i32, b, _| a == b);
        assert_eq!((whole.keep_start, whole.middle, whole.keep_end), (0, vec![1, 2], 0));
        let same = list_update(&[1, 1], &[1, 1, 1], 0, |a, b, _| a == b);
        assert_eq!((same.keep_start, same.middle, same.keep_end), (2, vec![1], 0));
    }

    #[test]
    fn ranges_below_an_edit_are_kept_moved_by_the_lines_it_added() {
        let range = |id: &str, line: u32| StateRange {
            id: id.into(),
            range: RangeView {
                start: crate::wire::PositionView { line, column: 4 },
                end: crate::wire::PositionView { line: line + 3, column: 5 },
            },
        };
        let before = [range("/States/A", 2), range("/States/B", 6)];
        let after = [range("/States/A", 2), range("/States/B", 8)];
        let same = |old: &StateRange, new: &StateRange, shift| {
            old.id == new.id && shifted(old.range, shift) == Some(new.range)
        };
        let update = list_update(&before, &after, 2, same);
        assert_eq!((update.keep_start, update.middle.len(), update.keep_end), (1, 0, 1));
        let wrong_shift = list_update(&before, &after, 1, same);
        assert_eq!((wrong_shift.keep_start, wrong_shift.middle.len()), (1, 1));
    }

    /// What the UI does with an update (ui/src/ipc/snapshots.ts), for checking what is sent.
    fn rebuild(base: &DocumentSnapshot, update: &SnapshotUpdate) -> DocumentSnapshot {
        fn list<T: Clone>(base: &[T], update: &ListUpdate<T>, shift: impl Fn(&T) -> T) -> Vec<T> {
            let (start, end) = (update.keep_start as usize, update.keep_end as usize);
            let mut out = base[..start].to_vec();
            out.extend(update.middle.iter().cloned());
            out.extend(base[base.len() - end..].iter().map(shift));
            out
        }
        let units: Vec<u16> = base.text.encode_utf16().collect();
        let (from, to) = (update.text.from as usize, update.text.to as usize);
        let mut text = String::from_utf16(&units[..from]).expect("a whole prefix");
        text.push_str(&update.text.insert);
        text.push_str(&String::from_utf16(&units[to..]).expect("a whole suffix"));
        let lines = update.state_ranges.end_line_shift;
        DocumentSnapshot {
            head: update.head.clone(),
            text,
            diagnostics: update.diagnostics.clone().unwrap_or_else(|| base.diagnostics.clone()),
            graph: crate::wire::GraphView {
                nodes: list(&base.graph.nodes, &update.nodes, Clone::clone),
                edges: list(&base.graph.edges, &update.edges, Clone::clone),
            },
            state_ranges: list(&base.state_ranges, &update.state_ranges, |r| StateRange {
                id: r.id.clone(),
                range: shifted(r.range, lines).expect("a range inside the text"),
            }),
        }
    }

    #[test]
    fn every_update_of_a_session_rebuilds_its_snapshot_exactly() {
        use crate::wire::{ApplyEdit, ApplyText, DocumentRef, EditRequest, NewFromTemplate};
        let mut session = crate::Session::new(None);
        let opened = session.new_from_template(NewFromTemplate { id: "hello-world".into() });
        let opened = opened.expect("the template opens");
        let id = opened.head.document_id;
        let edit = |edit| ApplyEdit { document_id: id, edit };
        let mut ui = DocumentSnapshot::default();
        let mut check = |snapshot: DocumentSnapshot, session: &mut crate::Session| {
            let update = session.outgoing(snapshot.clone());
            let base = if update.base.is_some() { ui.clone() } else { DocumentSnapshot::default() };
            ui = rebuild(&base, &update);
            assert_eq!(ui, snapshot);
            update
        };
        let first = check(opened, &mut session);
        assert_eq!(first.base, None, "the first update of a document is whole");
        let changed = session.apply_edit(edit(EditRequest::ChangeType {
            state: "/States/Wait 3 sec".into(),
            state_type: "Pass".into(),
        }));
        let update = check(changed.expect("a type change"), &mut session);
        assert_eq!(update.base, Some(first.seq));
        // The state, and at most the container below it that made room.
        assert!(update.nodes.middle.len() <= 2, "a node changed: {:?}", update.nodes.middle);
        assert!(update.text.insert.len() < 100, "a small splice: {:?}", update.text);
        // Below the Parallel (whose branches' states the graph lists last): the ranges after the
        // edit are kept, moved by the line it added.
        let changed = session.apply_edit(edit(EditRequest::ChangeType {
            state: "/States/Hello World".into(),
            state_type: "Pass".into(),
        }));
        let update = check(changed.expect("a type change below a container"), &mut session);
        assert_eq!(update.state_ranges.middle.len(), 1, "{:?}", update.state_ranges);
        let renamed = session.apply_edit(edit(EditRequest::RenameState {
            state: "/States/Hello World".into(),
            to: "Héllo 𝄞".into(),
        }));
        check(renamed.expect("a rename"), &mut session);
        let added = session.apply_edit(edit(EditRequest::AddState {
            machine: String::new(),
            state_type: "Wait".into(),
            name: None,
        }));
        check(added.expect("an added state"), &mut session);
        for _ in 0..3 {
            let undone = session.undo(DocumentRef { document_id: id });
            check(undone.expect("undo"), &mut session);
        }
        let text = crate::templates::text("hello-world").expect("the template");
        let text = text.replace("\"StartAt\"", "\"StartAt\":");
        let broken = session.apply_text(ApplyText { document_id: id, text });
        check(broken.expect("broken text is kept"), &mut session);
        let whole = session.document_snapshot(DocumentRef { document_id: id });
        let update = check(whole.expect("the whole snapshot"), &mut session);
        assert_eq!(update.base, None, "document_snapshot sends everything");
    }
}
