//! The editable document: text plus its parsed state, semantic edits as minimal textual changes,
//! and undo/redo.
//!
//! Invariants:
//! - The text is the ground state. Every edit is a sequence of splices (byte range → new text)
//!   computed from the source map of the current text; untouched bytes — formatting, key order,
//!   unknown fields — stay exactly as they were.
//! - Every edit is undoable: undo applies the inverse splices and restores the text byte for
//!   byte; redo re-applies the forward splices.
//! - An edit that cannot apply (unknown state, taken name, text that does not parse) changes
//!   nothing and returns an [`EditError`].
//! - When the text does not parse, [`Document::definition`] keeps the last model that did.
//!
//! JSON and YAML documents take the same edits: JSON text is written in the document's own
//! indentation (or compact when the object is on one line); YAML values are written as block
//! collections with plain scalars where they read back unchanged, double-quoted otherwise, and
//! into flow collections (`{…}`, `[…]`) as flow text.

use serde_json::Value;

use crate::fields::{self, Only};
use crate::model::{Definition, QueryLanguage, State, StateType};
use std::rc::Rc;

use crate::source_map::{Entry, SourceMap, escape, unescape};
use crate::text::TextRange;
use crate::validate::Options;
use crate::{Diagnostic, Format, Parsed, Range, check};

/// Which transition of a state an edit addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// `Next`.
    Next,
    /// A Choice state's `Default`.
    Default,
    /// The `Next` of the n-th Choice rule (n = the number of rules appends a rule on connect).
    Choice(usize),
    /// The `Next` of the n-th catcher (n = the number of catchers appends one on connect).
    Catch(usize),
}

/// A semantic edit. States are addressed by JSON Pointer (`/States/A`,
/// `/States/P/Branches/0/States/B`); machines by pointer (`""` for the top level).
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Adds a state of a type with sensible defaults and a unique name (based on `name`, or on
    /// the type's name) at the end of a machine's `States`.
    AddState {
        /// The machine's pointer.
        machine: String,
        /// The type.
        state_type: StateType,
        /// The wished name; made unique.
        name: Option<String>,
    },
    /// Inserts a new state on an existing transition: `from` → new → the old target.
    InsertState {
        /// The state the transition leaves.
        from: String,
        /// Which transition.
        transition: Transition,
        /// The new state's type.
        state_type: StateType,
        /// The wished name; made unique.
        name: Option<String>,
    },
    /// Removes a state; when it has a `Next`, its predecessors are reconnected to it.
    RemoveState {
        /// The state.
        state: String,
    },
    /// Renames a state and rewrites every reference (transitions and `StartAt`).
    RenameState {
        /// The state.
        state: String,
        /// The new name.
        to: String,
    },
    /// Sets a transition of `from` to the state named `to`.
    Connect {
        /// The state the transition leaves.
        from: String,
        /// Which transition.
        transition: Transition,
        /// The target state's name.
        to: String,
    },
    /// Removes a transition (`Next` becomes `"End": true`).
    Disconnect {
        /// The state the transition leaves.
        from: String,
        /// Which transition.
        transition: Transition,
    },
    /// Sets a machine's `StartAt`.
    SetStartAt {
        /// The machine's pointer.
        machine: String,
        /// The state's name.
        name: String,
    },
    /// Sets (or with `None` removes) the value at a JSON Pointer; a missing member of an
    /// existing object is added.
    SetField {
        /// Where.
        pointer: String,
        /// The new value, or `None` to remove the member.
        value: Option<Value>,
    },
    /// Moves a state into another machine (a Parallel branch, a Map processor, the top level).
    MoveState {
        /// The state.
        state: String,
        /// The target machine's pointer.
        machine: String,
    },
    /// Changes a state's type, keeping the fields that still apply and adding required ones.
    ChangeType {
        /// The state.
        state: String,
        /// The new type.
        state_type: StateType,
    },
    /// Duplicates a state under a unique name, right after it.
    DuplicateState {
        /// The state.
        state: String,
    },
    /// Pastes copied states (their names and ASL objects, e.g. from the clipboard) at the end of
    /// a machine's `States`, as one change. Each gets a unique name (the copied one when free,
    /// else "Name 2", …), and so does every state nested in a pasted Parallel or Map (names are
    /// unique across the whole definition). Transitions between pasted states follow their
    /// renames; a transition to a state outside the copy stays when the machine has a state of
    /// that name (a duplicate still leads where the original did), otherwise it goes: `Next`
    /// becomes `"End": true`, a `Default` or a catcher is removed, and a Choice rule keeps its
    /// condition and its target (a rule needs one), which the validator then points out.
    PasteStates {
        /// The machine's pointer.
        machine: String,
        /// The states, in order: the copied name and the state's object.
        states: Vec<(String, Value)>,
    },
    /// Rewrites a JSONPath state as the equivalent JSONata state (`QueryLanguage`, `Arguments`,
    /// `Output`, `{% … %}` expressions; see `convert.rs` for the mapping). Refused, with the
    /// field that has no equivalent, when the conversion would not be faithful or the result
    /// would not validate.
    ConvertToJsonata {
        /// The state.
        state: String,
    },
    /// Replaces the whole text (from the code view).
    ReplaceText {
        /// The new text.
        text: String,
    },
}

/// Why an edit could not apply. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The current text does not parse: fix it (or replace it) first.
    Unparsed,
    /// Nothing at this pointer, or not what the edit needs.
    NotFound(String),
    /// The name is empty, too long or taken.
    InvalidName(String),
    /// The edit does not apply to this state (e.g. a Catch on a Pass state).
    NotApplicable(String),
    /// Nothing to undo or redo.
    NothingToUndo,
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::Unparsed => write!(f, "the text does not parse; edit or replace it first"),
            EditError::NotFound(what) => write!(f, "not found: {what}"),
            EditError::InvalidName(why) => write!(f, "invalid name: {why}"),
            EditError::NotApplicable(why) => write!(f, "not applicable: {why}"),
            EditError::NothingToUndo => write!(f, "nothing to undo or redo"),
        }
    }
}

impl std::error::Error for EditError {}

/// The result of an edit, an undo or a redo.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The whole text.
    pub text: String,
    /// Its diagnostics.
    pub diagnostics: Vec<Diagnostic>,
    /// The byte ranges of the new text the edit wrote, in order.
    pub changed: Vec<TextRange>,
    /// The same as lines and columns.
    pub changed_ranges: Vec<Range>,
    /// The pointer of the state the edit created or touched, when there is one.
    pub focus: Option<String>,
}

/// One replacement: the bytes of `range` become `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Splice {
    range: TextRange,
    text: String,
}

/// One undoable change: forward splices applied in order, inverse splices applied in order.
#[derive(Debug, Clone)]
struct Change {
    forward: Vec<Splice>,
    inverse: Vec<Splice>,
}

/// The document: its text, parsed state and history.
#[derive(Debug, Clone)]
pub struct Document {
    text: String,
    format: Format,
    options: Options,
    parsed: Parsed,
    last_definition: Option<Definition>,
    undo: Vec<Change>,
    redo: Vec<Change>,
}

impl Document {
    /// Opens a text in a format.
    pub fn new(text: impl Into<String>, format: Format, options: Options) -> Document {
        let text = text.into();
        let parsed = check(&text, format, &options);
        let last_definition = None;
        Document {
            text,
            format,
            options,
            parsed,
            last_definition,
            undo: Vec::new(),
            redo: Vec::new(),
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parse of the current text.
    pub fn parsed(&self) -> &Parsed {
        &self.parsed
    }

    /// The model of the current text, or of the last text that parsed.
    /// When the text is broken past what the lenient parse accepts, the last complete model
    /// wins over the part recovered from before the break (which [`Document::parsed`] holds).
    pub fn definition(&self) -> Option<&Definition> {
        if self.parsed.partial {
            self.last_definition.as_ref().or(self.parsed.definition.as_ref())
        } else {
            self.parsed.definition.as_ref().or(self.last_definition.as_ref())
        }
    }

    /// The diagnostics of the current text.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.parsed.diagnostics
    }

    /// Whether undo and redo have something to do.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether redo has something to do.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Applies an edit and returns the snapshot {text, diagnostics, changed ranges}: the one
    /// call for "one edit → snapshot".
    pub fn apply(&mut self, edit: Edit) -> Result<Snapshot, EditError> {
        let mut tx = Tx::new(&self.text, self.format);
        let focus = if let Edit::ReplaceText { text } = &edit {
            let all = TextRange::new(0, self.text.len());
            tx.splice(all, text);
            None
        } else {
            if self.parsed.value.is_none() || self.parsed.has_syntax_error() {
                return Err(EditError::Unparsed);
            }
            // The first step of the edit reads the current parse instead of parsing again: it
            // is lent to the transaction and given back afterwards.
            let base = Rc::new(Base {
                value: self.parsed.value.take().unwrap_or(Value::Null),
                definition: self.parsed.definition.take(),
                map: std::mem::take(&mut self.parsed.source_map),
            });
            tx.cache = Some(View::of(Rc::clone(&base)));
            let result = run(&mut tx, &edit);
            tx.cache = None;
            self.give_back(base);
            result?
        };
        let change = Change { forward: tx.forward, inverse: tx.inverse };
        let old = std::mem::replace(&mut self.text, tx.text);
        self.undo.push(change);
        self.redo.clear();
        Ok(self.refresh(&old, tx.changed, focus))
    }

    /// Puts back the parse lent to a transaction.
    fn give_back(&mut self, base: Rc<Base>) {
        match Rc::try_unwrap(base) {
            Ok(base) => {
                self.parsed.value = Some(base.value);
                self.parsed.definition = base.definition;
                self.parsed.source_map = base.map;
            }
            // Still shared (never, since every view is dropped by now): parse again.
            Err(_) => self.parsed = check(&self.text, self.format, &self.options),
        }
    }

    /// Undoes the last edit.
    pub fn undo(&mut self) -> Result<Snapshot, EditError> {
        let change = self.undo.pop().ok_or(EditError::NothingToUndo)?;
        let (old, changed) = self.replay(&change.inverse);
        self.redo.push(change);
        Ok(self.refresh(&old, changed, None))
    }

    /// Redoes the last undone edit.
    pub fn redo(&mut self) -> Result<Snapshot, EditError> {
        let change = self.redo.pop().ok_or(EditError::NothingToUndo)?;
        let (old, changed) = self.replay(&change.forward);
        self.undo.push(change);
        Ok(self.refresh(&old, changed, None))
    }

    /// Applies splices; returns the text before them and the ranges they wrote.
    fn replay(&mut self, splices: &[Splice]) -> (String, Vec<TextRange>) {
        let mut tx = Tx::new(&self.text, self.format);
        for splice in splices {
            tx.splice(splice.range, &splice.text);
        }
        (std::mem::replace(&mut self.text, tx.text), tx.changed)
    }

    /// Parses and validates the new text (`old` is the text before the change): only the
    /// top-level state the change stayed inside is read again when that applies.
    fn refresh(&mut self, old: &str, changed: Vec<TextRange>, focus: Option<String>) -> Snapshot {
        if crate::parse::check_incremental(old, &mut self.parsed, &self.text, &self.options) {
            self.last_definition = None;
            return self.snapshot(changed, focus);
        }
        let was_partial = self.parsed.partial;
        let previous = self.parsed.definition.take();
        self.parsed = check(&self.text, self.format, &self.options);
        // Keep the last complete model, without copying it on every edit.
        if self.parsed.definition.is_some() && !self.parsed.partial {
            self.last_definition = None;
        } else if previous.is_some() && !was_partial {
            self.last_definition = previous;
        }
        self.snapshot(changed, focus)
    }

    fn snapshot(&self, changed: Vec<TextRange>, focus: Option<String>) -> Snapshot {
        let lines = self.parsed.source_map.lines();
        let changed_ranges = changed.iter().map(|r| lines.range(&self.text, *r)).collect();
        Snapshot {
            text: self.text.clone(),
            diagnostics: self.parsed.diagnostics.clone(),
            changed,
            changed_ranges,
            focus,
        }
    }
}

/// A transaction: splices applied one after another to a working copy of the text, each
/// computed from a parse of the text as it is at that step: the document's own parse for the
/// first step, that parse with the shifts of the scalar values written since, or a fresh parse.
struct Tx {
    text: String,
    format: Format,
    forward: Vec<Splice>,
    inverse: Vec<Splice>,
    changed: Vec<TextRange>,
    /// A view of the current text, when one is known without parsing.
    cache: Option<View>,
}

impl Tx {
    fn new(text: &str, format: Format) -> Tx {
        Tx {
            text: text.to_owned(),
            format,
            forward: Vec::new(),
            inverse: Vec::new(),
            changed: Vec::new(),
            cache: None,
        }
    }

    fn yaml(&self) -> bool {
        self.format == Format::Yaml
    }

    /// Replaces a range; the cached view no longer describes the text.
    fn splice(&mut self, range: TextRange, replacement: &str) {
        self.cache = None;
        self.write(range, replacement);
    }

    /// Replaces the scalar value at `pointer` (at `range` in `view`) by `value`, written as
    /// `replacement`, and keeps `view` valid for the next step: everything after the value moves
    /// by the length difference, and nothing else changes.
    fn splice_scalar(
        &mut self,
        view: &View,
        pointer: &str,
        range: TextRange,
        replacement: &str,
        value: &Value,
    ) {
        self.write(range, replacement);
        let mut next = view.clone();
        next.shifts.push(Shift { start: range.start, end: range.end, len: replacement.len() });
        next.overrides.retain(|(p, _)| p != pointer);
        next.overrides.push((pointer.to_owned(), value.clone()));
        self.cache = Some(next);
    }

    fn write(&mut self, range: TextRange, replacement: &str) {
        let range =
            TextRange::new(range.start.min(self.text.len()), range.end.min(self.text.len()));
        let old = self.text.get(range.start..range.end).unwrap_or("").to_owned();
        if old == replacement {
            return;
        }
        self.text.replace_range(range.start..range.end, replacement);
        let written = TextRange::new(range.start, range.start + replacement.len());
        let removed = range.end - range.start;
        // Earlier changed ranges move with the text after this splice.
        for r in &mut self.changed {
            if r.start >= range.end {
                r.start = r.start - removed + replacement.len();
                r.end = r.end - removed + replacement.len();
            } else if r.end > range.start {
                *r = TextRange::new(
                    r.start.min(written.start),
                    written.end.max(r.end.min(written.end)),
                );
            }
        }
        self.changed.push(written);
        self.changed.sort_by_key(|r| r.start);
        self.forward.push(Splice { range, text: replacement.to_owned() });
        self.inverse.insert(0, Splice { range: written, text: old });
    }

    /// The value and source map (the model only when the view at hand has it): enough for the
    /// textual primitives.
    fn light(&mut self) -> Result<View, EditError> {
        if let Some(view) = &self.cache {
            return Ok(view.clone());
        }
        let (value, map) =
            crate::parse::value_and_map(&self.text, self.format).ok_or(EditError::Unparsed)?;
        let view = View::of(Rc::new(Base { value, definition: None, map }));
        self.cache = Some(view.clone());
        Ok(view)
    }

    /// The value, source map and model.
    fn view(&mut self) -> Result<View, EditError> {
        if let Some(view) = &self.cache {
            if view.base.definition.is_some() && view.shifts.is_empty() {
                return Ok(view.clone());
            }
        }
        let parsed = crate::parse_syntax(&self.text, self.format);
        let value = parsed.value.ok_or(EditError::Unparsed)?;
        let view = View::of(Rc::new(Base {
            value,
            definition: parsed.definition,
            map: parsed.source_map,
        }));
        self.cache = Some(view.clone());
        Ok(view)
    }
}

/// A parse of some text.
#[derive(Debug)]
struct Base {
    value: Value,
    definition: Option<Definition>,
    map: SourceMap,
}

/// One scalar replacement since the base parse: `[start, end)` became `len` bytes.
#[derive(Debug, Clone, Copy)]
struct Shift {
    start: usize,
    end: usize,
    len: usize,
}

impl Shift {
    fn offset(self, at: usize) -> usize {
        if at >= self.end { at - (self.end - self.start) + self.len } else { at }
    }

    fn range(self, r: TextRange) -> TextRange {
        TextRange::new(self.offset(r.start), self.offset(r.end))
    }
}

/// A text's value, model and source map, for computing the next splice: a shared parse plus
/// the scalar values written since (their new values, and how the text after them moved).
#[derive(Debug, Clone)]
struct View {
    base: Rc<Base>,
    shifts: Vec<Shift>,
    overrides: Vec<(String, Value)>,
}

impl View {
    fn of(base: Rc<Base>) -> View {
        View { base, shifts: Vec::new(), overrides: Vec::new() }
    }

    fn get(&self, pointer: &str) -> Option<&Value> {
        if let Some((_, v)) = self.overrides.iter().rev().find(|(p, _)| p == pointer) {
            return Some(v);
        }
        self.base.value.pointer(pointer)
    }

    /// The located entry of a pointer, in the current text.
    fn entry(&self, pointer: &str) -> Option<Entry> {
        let mut entry = self.base.map.get(pointer)?.clone();
        for shift in &self.shifts {
            entry.value = shift.range(entry.value);
            entry.key = entry.key.map(|k| shift.range(k));
        }
        Some(entry)
    }

    fn machine(&self, pointer: &str) -> Option<&Definition> {
        self.base.definition.as_ref()?.all_machines().into_iter().find(|m| m.pointer == pointer)
    }

    fn all_names(&self) -> Vec<String> {
        self.base
            .definition
            .as_ref()
            .map(|d| {
                d.all_machines()
                    .into_iter()
                    .flat_map(|m| m.states.keys().chain(&m.invalid_states).cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn unique_name(&self, wished: &str) -> String {
        unique_among(wished, &self.all_names())
    }
}

/// `wished` (cut to a valid length) when no name in `names` takes it, else "wished 2", …
fn unique_among(wished: &str, names: &[String]) -> String {
    let base: String = wished.chars().take(76).collect();
    if !names.contains(&base) {
        return base;
    }
    (2..).map(|i| format!("{base} {i}")).find(|n| !names.contains(n)).unwrap_or(base)
}

/// The transitions of a state object: `Next`, `Default`, each Choice rule's and catcher's
/// `Next`, as (pointer inside the state, target, whether it may be removed).
fn transitions_of(state: &Value) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for field in ["Next", "Default"] {
        if let Some(target) = state.get(field).and_then(Value::as_str) {
            out.push((format!("/{field}"), target.to_owned(), true));
        }
    }
    for (list, removable) in [("Choices", false), ("Catch", true)] {
        let items = state.get(list).and_then(Value::as_array).into_iter().flatten();
        for (i, item) in items.enumerate() {
            if let Some(target) = item.get("Next").and_then(Value::as_str) {
                out.push((format!("/{list}/{i}/Next"), target.to_owned(), removable));
            }
        }
    }
    out
}

/// Points a pasted state's transitions at the renamed copies; drops those that would lead
/// nowhere (see [`Edit::PasteStates`]).
fn retarget(state: &mut Value, renamed: &[(String, String)], present: &[String]) {
    let mut removed_catchers = Vec::new();
    for (at, target, removable) in transitions_of(state) {
        if let Some((_, to)) = renamed.iter().find(|(from, _)| *from == target) {
            if let Some(slot) = state.pointer_mut(&at) {
                *slot = Value::String(to.clone());
            }
        } else if !present.contains(&target) && removable {
            match at.as_str() {
                "/Next" => {
                    if let Some(object) = state.as_object_mut() {
                        object.remove("Next");
                        object.insert("End".into(), Value::Bool(true));
                    }
                }
                "/Default" => {
                    state.as_object_mut().map(|o| o.remove("Default"));
                }
                _ => removed_catchers.push(at),
            }
        }
    }
    // Catchers last, from the end, so the indexes stay right.
    for at in removed_catchers.iter().rev() {
        let index = at.split('/').nth(2).and_then(|i| i.parse::<usize>().ok());
        if let (Some(index), Some(list)) =
            (index, state.get_mut("Catch").and_then(Value::as_array_mut))
        {
            list.remove(index);
        }
    }
    if state.get("Catch").and_then(Value::as_array).is_some_and(Vec::is_empty) {
        state.as_object_mut().map(|o| o.remove("Catch"));
    }
}

/// Gives the states of every machine nested in a pasted state names no other state has,
/// following the renames in `StartAt` and the transitions; `taken` grows with them.
fn rename_nested(state: &mut Value, taken: &mut Vec<String>) {
    let mut machines: Vec<&mut Value> = Vec::new();
    let Some(object) = state.as_object_mut() else { return };
    for (key, value) in object.iter_mut() {
        match key.as_str() {
            "Branches" => machines.extend(value.as_array_mut().into_iter().flatten()),
            "ItemProcessor" | "Iterator" => machines.push(value),
            _ => {}
        }
    }
    for machine in machines {
        let Some(states) = machine.get_mut("States").and_then(Value::as_object_mut) else {
            continue;
        };
        let old = std::mem::take(states);
        let mut renamed = Vec::new();
        for name in old.keys() {
            let to = unique_among(name, taken);
            taken.push(to.clone());
            renamed.push((name.clone(), to));
        }
        let names: Vec<String> = renamed.iter().map(|(_, to)| to.clone()).collect();
        for ((_, to), (_, mut body)) in renamed.iter().zip(old) {
            retarget(&mut body, &renamed, &names);
            rename_nested(&mut body, taken);
            states.insert(to.clone(), body);
        }
        let start = machine.get("StartAt").and_then(Value::as_str).map(str::to_owned);
        if let Some((_, to)) = renamed.iter().find(|(from, _)| Some(from) == start.as_ref()) {
            machine["StartAt"] = Value::String(to.clone());
        }
    }
}

fn parent_of(pointer: &str) -> (&str, String) {
    match pointer.rfind('/') {
        Some(i) => (&pointer[..i], unescape(&pointer[i + 1..])),
        None => ("", String::new()),
    }
}

/// The machine pointer and state name of a state pointer (`…/States/<name>`).
fn split_state(pointer: &str) -> Result<(&str, String), EditError> {
    let (states, name) = parent_of(pointer);
    let machine = states
        .strip_suffix("/States")
        .or((states == "/States").then_some(""))
        .ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
    Ok((machine, name))
}

/// The whitespace that starts the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> String {
    let start = text[..offset.min(text.len())].rfind('\n').map(|i| i + 1).unwrap_or(0);
    text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

/// The document's indentation unit, guessed from the first indented line (two spaces by default).
fn indent_unit(text: &str) -> String {
    text.lines()
        .skip(1)
        .map(|l| l.chars().take_while(|c| *c == ' ' || *c == '\t').collect::<String>())
        .find(|i| !i.is_empty())
        .unwrap_or_else(|| "  ".to_owned())
}

/// Renders a value: pretty with the document's unit and continuation lines at `indent`, or
/// compact.
fn render(value: &Value, indent: &str, unit: &str, multiline: bool) -> String {
    if !multiline {
        return serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    }
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(unit.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        return "null".to_owned();
    }
    String::from_utf8_lossy(&out).replace('\n', &format!("\n{indent}"))
}

fn quote(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_else(|_| "\"\"".to_owned())
}

/// Sets the value at `pointer`: replaces it when present, adds the member to its object when
/// not, removes it when `value` is `None`.
fn set(tx: &mut Tx, pointer: &str, value: Option<&Value>) -> Result<(), EditError> {
    let view = tx.light()?;
    match (view.entry(pointer), value) {
        (Some(_), None) => remove(tx, pointer),
        (Some(entry), Some(value)) if tx.yaml() => {
            yaml::set(tx, &view, pointer, &entry, value);
            Ok(())
        }
        (Some(entry), Some(value)) => {
            if !entry.container && !matches!(value, Value::Array(_) | Value::Object(_)) {
                let text = render(value, "", "", false);
                tx.splice_scalar(&view, pointer, entry.value, &text, value);
                return Ok(());
            }
            let indent = line_indent(&tx.text, entry.value.start);
            let multiline = tx.text[entry.value.start..entry.value.end].contains('\n')
                || value_multiline(&tx.text, &view, parent_of(pointer).0);
            let text = render(value, &indent, &indent_unit(&tx.text), multiline);
            tx.splice(entry.value, &text);
            Ok(())
        }
        (None, None) => Ok(()),
        (None, Some(value)) => {
            let (parent, key) = parent_of(pointer);
            insert_member(tx, parent, &key, value, None)
        }
    }
}

/// Whether the object at `pointer` is written over several lines.
fn value_multiline(text: &str, view: &View, pointer: &str) -> bool {
    view.entry(pointer).is_some_and(|e| text[e.value.start..e.value.end].contains('\n'))
}

/// Adds `key: value` to the object at `object`, after the member `after` or at the end.
fn insert_member(
    tx: &mut Tx,
    object: &str,
    key: &str,
    value: &Value,
    after: Option<&str>,
) -> Result<(), EditError> {
    let view = tx.light()?;
    let entry = view.entry(object).ok_or_else(|| EditError::NotFound(object.to_owned()))?;
    let Some(members) = view.get(object).and_then(Value::as_object) else {
        return Err(EditError::NotFound(format!("{object} is not an object")));
    };
    if tx.yaml() {
        let anchor = after
            .or(members.keys().next_back().map(String::as_str))
            .map(|k| format!("{object}/{}", escape(k)))
            .and_then(|a| view.entry(&a));
        yaml::insert_member(tx, &view, object, &entry, anchor.as_ref(), key, value);
        return Ok(());
    }
    let multiline = tx.text[entry.value.start..entry.value.end].contains('\n')
        || (members.is_empty() && matches!(value, Value::Object(_)) && object.ends_with("/States"))
        || (members.is_empty() && object.is_empty());
    let unit = indent_unit(&tx.text);
    let anchor = after
        .or(members.keys().next_back().map(String::as_str))
        .map(|k| format!("{object}/{}", escape(k)));
    match anchor.and_then(|a| view.entry(&a)) {
        Some(last) => {
            let key_start = last.key.map(|k| k.start).unwrap_or(last.value.start);
            let indent = line_indent(&tx.text, key_start);
            let text = if multiline {
                format!(",\n{indent}{}: {}", quote(key), render(value, &indent, &unit, true))
            } else if tx.text[entry.value.start..entry.value.end].contains("\": ") {
                format!(", {}: {}", quote(key), render(value, "", &unit, false))
            } else {
                format!(",{}:{}", quote(key), render(value, "", &unit, false))
            };
            tx.splice(TextRange::at(last.value.end), &text);
        }
        None => {
            let outer =
                line_indent(&tx.text, entry.key.map(|k| k.start).unwrap_or(entry.value.start));
            let indent = format!("{outer}{unit}");
            let text = if multiline {
                format!(
                    "{{\n{indent}{}: {}\n{outer}}}",
                    quote(key),
                    render(value, &indent, &unit, true)
                )
            } else {
                format!("{{{}: {}}}", quote(key), render(value, "", &unit, false))
            };
            tx.splice(entry.value, &text);
        }
    }
    Ok(())
}

/// Appends an element to the array at `array` (creating the member with `[value]` if absent).
fn push_element(tx: &mut Tx, array: &str, value: &Value) -> Result<(), EditError> {
    let view = tx.light()?;
    let Some(items) = view.get(array).and_then(Value::as_array) else {
        return set(tx, array, Some(&Value::Array(vec![value.clone()])));
    };
    let entry = view.entry(array).ok_or_else(|| EditError::NotFound(array.to_owned()))?;
    if tx.yaml() {
        let last = view.entry(&format!("{array}/{}", items.len().saturating_sub(1)));
        yaml::push_element(
            tx,
            &view,
            array,
            &entry,
            last.filter(|_| !items.is_empty()).as_ref(),
            value,
        );
        return Ok(());
    }
    let multiline = tx.text[entry.value.start..entry.value.end].contains('\n');
    let unit = indent_unit(&tx.text);
    match view
        .entry(&format!("{array}/{}", items.len().saturating_sub(1)))
        .filter(|_| !items.is_empty())
    {
        Some(last) => {
            let indent = line_indent(&tx.text, last.value.start);
            let text = if multiline {
                format!(",\n{indent}{}", render(value, &indent, &unit, true))
            } else if tx.text[entry.value.start..entry.value.end].contains(", ") {
                format!(", {}", render(value, "", &unit, false))
            } else {
                format!(",{}", render(value, "", &unit, false))
            };
            tx.splice(TextRange::at(last.value.end), &text);
        }
        None => {
            tx.splice(entry.value, &format!("[{}]", render(value, "", &unit, false)));
        }
    }
    Ok(())
}

/// Removes the object member or array element at `pointer`, with its comma.
fn remove(tx: &mut Tx, pointer: &str) -> Result<(), EditError> {
    let view = tx.light()?;
    let (parent, token) = parent_of(pointer);
    let siblings: Vec<String> = match view.get(parent) {
        Some(Value::Object(map)) => map.keys().map(|k| format!("{parent}/{}", escape(k))).collect(),
        Some(Value::Array(items)) => (0..items.len()).map(|i| format!("{parent}/{i}")).collect(),
        _ => return Err(EditError::NotFound(pointer.to_owned())),
    };
    let _ = token;
    let index = siblings
        .iter()
        .position(|s| s == pointer)
        .ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
    let parent_entry = view.entry(parent).ok_or_else(|| EditError::NotFound(parent.to_owned()))?;
    if tx.yaml() && !yaml::is_flow(&tx.text, &parent_entry) {
        let range = yaml::removal(&tx.text, &view, &parent_entry, &siblings, index)
            .ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
        let replacement = match (siblings.len(), view.get(parent)) {
            (1, Some(Value::Array(_))) => "[]",
            (1, _) => "{}",
            _ => "",
        };
        tx.splice(range, replacement);
        return Ok(());
    }
    let start_of = |p: &str| view.entry(p).map(|e| e.key.map(|k| k.start).unwrap_or(e.value.start));
    let end_of = |p: &str| view.entry(p).map(|e| e.value.end);
    let range = if siblings.len() == 1 {
        TextRange::new(parent_entry.value.start + 1, parent_entry.value.end.saturating_sub(1))
    } else if index + 1 < siblings.len() {
        let start = start_of(pointer).ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
        let next = start_of(&siblings[index + 1])
            .ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
        TextRange::new(start, next)
    } else {
        let previous =
            end_of(&siblings[index - 1]).ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
        let end = end_of(pointer).ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
        TextRange::new(previous, end)
    };
    tx.splice(range, "");
    Ok(())
}

/// Renames the member at `pointer`.
fn rename_key(tx: &mut Tx, pointer: &str, to: &str) -> Result<(), EditError> {
    let view = tx.light()?;
    let key = view
        .entry(pointer)
        .and_then(|e| e.key)
        .ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
    let text = if tx.yaml() { yaml::key(tx, &view, pointer, to) } else { quote(to) };
    tx.splice(key, &text);
    Ok(())
}

/// The YAML side of the textual primitives: the same edits, written as YAML.
mod yaml {
    use serde_json::Value;

    use super::{Tx, View};
    use crate::source_map::Entry;
    use crate::text::TextRange;
    use crate::yaml_text::{block, inline, is_block, member_value, string};

    /// Whether the value at `entry` is a flow collection (`{…}` or `[…]`).
    pub(super) fn is_flow(text: &str, entry: &Entry) -> bool {
        entry.container && matches!(text.as_bytes().get(entry.value.start), Some(b'{' | b'['))
    }

    fn line_start(text: &str, offset: usize) -> usize {
        text[..offset.min(text.len())].rfind('\n').map(|i| i + 1).unwrap_or(0)
    }

    fn column(text: &str, offset: usize) -> usize {
        offset.saturating_sub(line_start(text, offset))
    }

    /// Where to write after a value ending at `offset`: past a trailing comment on its line, so
    /// the comment stays with the value it annotates.
    fn after_value(text: &str, offset: usize) -> usize {
        let rest = &text[offset.min(text.len())..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let tail = rest[..line_end].trim_start();
        if tail.is_empty() || tail.starts_with('#') {
            offset + rest[..line_end].trim_end().len()
        } else {
            offset
        }
    }

    /// The indentation unit: the spaces of the first indented line (two by default).
    fn unit(text: &str) -> usize {
        text.lines()
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .find(|&n| n > 0)
            .unwrap_or(2)
            .clamp(1, 8)
    }

    /// The offset just after the `:` that follows a key.
    fn after_colon(text: &str, key: TextRange) -> usize {
        text.get(key.end..)
            .and_then(|rest| rest.find(':'))
            .map(|i| key.end + i + 1)
            .unwrap_or(key.end)
    }

    /// Whether the value at `pointer` sits inside a flow collection.
    fn in_flow(tx: &Tx, view: &View, pointer: &str) -> bool {
        let mut p = pointer;
        while let Some(i) = p.rfind('/') {
            p = &p[..i];
            if view.entry(p).is_some_and(|e| is_flow(&tx.text, &e)) {
                return true;
            }
        }
        false
    }

    /// A value inside a flow collection: JSON, which YAML flow syntax reads as is (quoted keys
    /// and strings, so `:` and `,` never clash with plain scalars).
    fn compact(value: &Value) -> String {
        serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
    }

    /// A key as YAML: quoted inside flow collections, plain where it reads back otherwise.
    pub(super) fn key(tx: &Tx, view: &View, pointer: &str, name: &str) -> String {
        if in_flow(tx, view, pointer) {
            compact(&Value::String(name.to_owned()))
        } else {
            string(name)
        }
    }

    pub(super) fn set(tx: &mut Tx, view: &View, pointer: &str, entry: &Entry, value: &Value) {
        let unit = unit(&tx.text);
        if !is_block(value) || in_flow(tx, view, pointer) {
            let text = if in_flow(tx, view, pointer) { compact(value) } else { inline(value) };
            if !entry.container && !matches!(value, Value::Array(_) | Value::Object(_)) {
                tx.splice_scalar(view, pointer, entry.value, &text, value);
            } else {
                tx.splice(entry.value, &text);
            }
            return;
        }
        match entry.key {
            Some(key) if !tx.text[key.end..entry.value.start].contains('\n') => {
                // `key: scalar` becomes `key:` and a block on the following lines.
                let col = column(&tx.text, key.start);
                let start = after_colon(&tx.text, key);
                let text = member_value(value, col, unit);
                tx.splice(TextRange::new(start, entry.value.end), &text);
            }
            _ => {
                let col = column(&tx.text, entry.value.start);
                tx.splice(entry.value, &block(value, col, unit));
            }
        }
    }

    pub(super) fn insert_member(
        tx: &mut Tx,
        view: &View,
        object: &str,
        entry: &Entry,
        anchor: Option<&Entry>,
        key: &str,
        value: &Value,
    ) {
        let unit = unit(&tx.text);
        let flow_context = in_flow(tx, view, object);
        match anchor {
            Some(last) if is_flow(&tx.text, entry) => {
                let text = format!(", {}: {}", string(key), compact(value));
                tx.splice(TextRange::at(last.value.end), &text);
            }
            Some(last) => {
                let col = last.key.map(|k| column(&tx.text, k.start)).unwrap_or(0);
                let text = format!(
                    "\n{}{}:{}",
                    " ".repeat(col),
                    string(key),
                    member_value(value, col, unit)
                );
                tx.splice(TextRange::at(after_value(&tx.text, last.value.end)), &text);
            }
            None if flow_context => {
                tx.splice(entry.value, &format!("{{{}: {}}}", string(key), compact(value)));
            }
            None => match entry.key {
                // `key: {}` becomes a block mapping under the key.
                Some(owner) => {
                    let col = column(&tx.text, owner.start) + unit;
                    let text = format!(
                        "\n{}{}:{}",
                        " ".repeat(col),
                        string(key),
                        member_value(value, col, unit)
                    );
                    tx.splice(TextRange::new(after_colon(&tx.text, owner), entry.value.end), &text);
                }
                None => {
                    let col = column(&tx.text, entry.value.start);
                    let text = format!("{}:{}", string(key), member_value(value, col, unit));
                    tx.splice(entry.value, &text);
                }
            },
        }
    }

    pub(super) fn push_element(
        tx: &mut Tx,
        view: &View,
        array: &str,
        entry: &Entry,
        last: Option<&Entry>,
        value: &Value,
    ) {
        let unit = unit(&tx.text);
        let flow_context = in_flow(tx, view, array);
        match last {
            Some(last) if is_flow(&tx.text, entry) => {
                tx.splice(TextRange::at(last.value.end), &format!(", {}", compact(value)));
            }
            Some(last) => {
                let dash = dash_of(&tx.text, last.value.start);
                let col = column(&tx.text, dash);
                let item =
                    if is_block(value) { block(value, col + 2, unit) } else { inline(value) };
                tx.splice(
                    TextRange::at(after_value(&tx.text, last.value.end)),
                    &format!("\n{}- {item}", " ".repeat(col)),
                );
            }
            None if flow_context => tx.splice(entry.value, &format!("[{}]", compact(value))),
            None => match entry.key {
                Some(owner) => {
                    let col = column(&tx.text, owner.start) + unit;
                    let item =
                        if is_block(value) { block(value, col + 2, unit) } else { inline(value) };
                    let text = format!("\n{}- {item}", " ".repeat(col));
                    tx.splice(TextRange::new(after_colon(&tx.text, owner), entry.value.end), &text);
                }
                None => {
                    let col = column(&tx.text, entry.value.start);
                    let item =
                        if is_block(value) { block(value, col + 2, unit) } else { inline(value) };
                    tx.splice(entry.value, &format!("- {item}"));
                }
            },
        }
    }

    /// The `-` that introduces the block sequence item whose value starts at `start`.
    fn dash_of(text: &str, start: usize) -> usize {
        let before = &text[line_start(text, start)..start];
        match before.trim_end_matches(' ').strip_suffix('-') {
            Some(rest) => line_start(text, start) + rest.len(),
            None => start,
        }
    }

    /// Where a member or item of a block collection starts: the key, or the item's dash; the
    /// start of its line when only indentation precedes it.
    fn start_of(text: &str, entry: &Entry, sequence: bool) -> usize {
        let start = match entry.key {
            Some(key) => key.start,
            None if sequence => dash_of(text, entry.value.start),
            None => entry.value.start,
        };
        let line = line_start(text, start);
        if text[line..start].trim().is_empty() { line } else { start }
    }

    /// The range that removes sibling `index` from a block collection (replaced by `{}`/`[]`
    /// when it is the only one).
    pub(super) fn removal(
        text: &str,
        view: &View,
        parent: &Entry,
        siblings: &[String],
        index: usize,
    ) -> Option<TextRange> {
        let sequence = matches!(view.get(&parent.pointer), Some(Value::Array(_)));
        let this = view.entry(siblings.get(index)?)?;
        if siblings.len() == 1 {
            return Some(parent.value);
        }
        if index + 1 < siblings.len() {
            let next = view.entry(&siblings[index + 1])?;
            let start = match (this.key, sequence) {
                (Some(_), _) | (None, true) => start_of(text, &this, sequence),
                (None, false) => this.value.start,
            };
            Some(TextRange::new(start, start_of(text, &next, sequence)))
        } else {
            let previous = view.entry(&siblings[index - 1])?;
            Some(TextRange::new(previous.value.end, this.value.end))
        }
    }
}

/// The pointer of a transition's target field.
fn transition_pointer(state: &str, transition: Transition) -> String {
    match transition {
        Transition::Next => format!("{state}/Next"),
        Transition::Default => format!("{state}/Default"),
        Transition::Choice(i) => format!("{state}/Choices/{i}/Next"),
        Transition::Catch(i) => format!("{state}/Catch/{i}/Next"),
    }
}

fn check_name(view: &View, name: &str) -> Result<(), EditError> {
    if name.is_empty() {
        return Err(EditError::InvalidName("a state name cannot be empty".to_owned()));
    }
    if name.chars().count() > 80 {
        return Err(EditError::InvalidName("a state name has at most 80 characters".to_owned()));
    }
    if view.all_names().iter().any(|n| n == name) {
        return Err(EditError::InvalidName(format!("\"{name}\" is taken")));
    }
    Ok(())
}

/// The body of a new state of a type, for a machine in a language.
fn template(
    view: &View,
    state_type: StateType,
    language: QueryLanguage,
    next: Option<&str>,
) -> Value {
    let transition = |mut v: Value| {
        if let Some(object) = v.as_object_mut() {
            match next {
                Some(next) => object.insert("Next".to_owned(), Value::String(next.to_owned())),
                None => object.insert("End".to_owned(), Value::Bool(true)),
            };
        }
        v
    };
    let inner = |view: &View| {
        let name = view.unique_name("Step");
        serde_json::json!({"StartAt": name, "States": {name: {"Type": "Pass", "End": true}}})
    };
    match state_type {
        StateType::Pass => transition(serde_json::json!({"Type": "Pass"})),
        StateType::Task => {
            let arguments = match language {
                QueryLanguage::JsonPath => {
                    serde_json::json!({"Parameters": {"FunctionName": "", "Payload.$": "$"}})
                }
                QueryLanguage::Jsonata => {
                    serde_json::json!({"Arguments": {"FunctionName": "", "Payload": "{% $states.input %}"}})
                }
            };
            let mut task =
                serde_json::json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"});
            if let (Some(t), Some(a)) = (task.as_object_mut(), arguments.as_object()) {
                t.extend(a.clone());
                t.insert("TimeoutSeconds".to_owned(), Value::from(60));
                t.insert(
                    "Retry".to_owned(),
                    serde_json::json!([{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}]),
                );
            }
            transition(task)
        }
        StateType::Choice => {
            let rule = match language {
                QueryLanguage::JsonPath => serde_json::json!({"Variable": "$", "IsPresent": true}),
                QueryLanguage::Jsonata => serde_json::json!({"Condition": "{% true %}"}),
            };
            let mut body = serde_json::json!({"Type": "Choice", "Choices": []});
            if let Some(next) = next {
                let mut rule = rule;
                if let Some(r) = rule.as_object_mut() {
                    r.insert("Next".to_owned(), Value::String(next.to_owned()));
                }
                body["Choices"] = Value::Array(vec![rule]);
                body["Default"] = Value::String(next.to_owned());
            }
            body
        }
        StateType::Wait => transition(serde_json::json!({"Type": "Wait", "Seconds": 1})),
        StateType::Succeed => serde_json::json!({"Type": "Succeed"}),
        StateType::Fail => serde_json::json!({"Type": "Fail", "Error": "Failed", "Cause": ""}),
        StateType::Parallel => {
            transition(serde_json::json!({"Type": "Parallel", "Branches": [inner(view)]}))
        }
        StateType::Map => transition(serde_json::json!({
            "Type": "Map",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": inner(view)["StartAt"], "States": inner(view)["States"]}
        })),
    }
}

/// Points every transition to `state` from the other states of `machine` to its successor (its
/// `Next`), or ends them when it has none (a `Next` becomes `"End": true`; other kinds stay, for
/// the validator to report); moves the machine's `StartAt` to the successor (or, without one,
/// to the first state that stays).
fn reconnect_around(tx: &mut Tx, machine: &Definition, state: &State) -> Result<(), EditError> {
    let name = &state.name;
    let successor = state.next.clone().filter(|n| n != name);
    let mut rewrites = Vec::new();
    for other in machine.states.values().filter(|s| s.name != *name) {
        for (target, at) in other.transitions() {
            if target == *name {
                rewrites.push((at, other.pointer.clone()));
            }
        }
    }
    for (at, owner) in rewrites {
        match (&successor, at == format!("{owner}/Next")) {
            (Some(next), _) => set(tx, &at, Some(&Value::String(next.clone())))?,
            (None, true) => {
                set(tx, &format!("{owner}/End"), Some(&Value::Bool(true)))?;
                remove(tx, &at)?;
            }
            (None, false) => {}
        }
    }
    if machine.start_at.as_deref() == Some(name.as_str()) {
        // The successor, or else the first state that stays.
        let first = machine.states.keys().find(|n| *n != name);
        if let Some(next) = successor.as_ref().or(first) {
            let at = format!("{}/StartAt", machine.pointer);
            set(tx, &at, Some(&Value::String(next.clone())))?;
        }
    }
    Ok(())
}

/// Rewrites the object at `pointer` to have `plan`'s fields in order: changed values are set,
/// a new field that replaces an old one takes its key's place (the key is renamed), other new
/// fields go after the field before them, and old fields the plan drops are removed.
fn rewrite_object(
    tx: &mut Tx,
    pointer: &str,
    plan: &crate::convert::ObjectPlan,
) -> Result<(), EditError> {
    let view = tx.light()?;
    let old = view
        .get(pointer)
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| EditError::NotFound(pointer.to_owned()))?;
    let wanted = |key: &str| plan.fields.iter().any(|(k, _)| k == key);
    let mut consumed: Vec<&str> = Vec::new();
    let mut previous: Option<&str> = None;
    for (key, value) in &plan.fields {
        let at = format!("{pointer}/{}", escape(key));
        let source = plan
            .sources
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s.as_str())
            .filter(|s| old.contains_key(*s) && !wanted(s) && !consumed.contains(s));
        if let Some(current) = old.get(key) {
            if current != value {
                set(tx, &at, Some(value))?;
            }
        } else if let Some(source) = source {
            rename_key(tx, &format!("{pointer}/{}", escape(source)), key)?;
            set(tx, &at, Some(value))?;
            consumed.push(source);
        } else {
            insert_member(tx, pointer, key, value, previous)?;
        }
        previous = Some(key);
    }
    for key in old.keys() {
        if !wanted(key) && !consumed.contains(&key.as_str()) {
            remove(tx, &format!("{pointer}/{}", escape(key)))?;
        }
    }
    Ok(())
}

/// The error diagnostics of a text, counted by code.
fn error_counts(text: &str, format: Format) -> (Vec<Diagnostic>, Vec<(String, usize)>) {
    let errors: Vec<Diagnostic> = check(text, format, &Options::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .collect();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for d in &errors {
        match counts.iter_mut().find(|(c, _)| *c == d.code) {
            Some((_, n)) => *n += 1,
            None => counts.push((d.code.clone(), 1)),
        }
    }
    (errors, counts)
}

/// Runs one semantic edit as a transaction. Returns the pointer to focus.
fn run(tx: &mut Tx, edit: &Edit) -> Result<Option<String>, EditError> {
    // Setting a field needs no model: skip building one.
    let view = tx.view()?;
    match edit {
        Edit::ReplaceText { .. } => Ok(None),
        Edit::AddState { machine, state_type, name } => {
            let m = view.machine(machine).ok_or_else(|| EditError::NotFound(machine.clone()))?;
            let name = view.unique_name(name.as_deref().unwrap_or(state_type.as_str()));
            let body = template(&view, *state_type, m.effective_query_language, None);
            insert_member(tx, &format!("{machine}/States"), &name, &body, None)?;
            Ok(Some(format!("{machine}/States/{}", escape(&name))))
        }
        Edit::InsertState { from, transition, state_type, name } => {
            let (machine, _) = split_state(from)?;
            let m = view.machine(machine).ok_or_else(|| EditError::NotFound(machine.to_owned()))?;
            let at = transition_pointer(from, *transition);
            let target = view.get(&at).and_then(Value::as_str).map(str::to_owned);
            let Some(target) = target else { return Err(EditError::NotFound(at)) };
            let name = view.unique_name(name.as_deref().unwrap_or(state_type.as_str()));
            let body = template(&view, *state_type, m.effective_query_language, Some(&target));
            let (_, from_name) = split_state(from)?;
            // The transition first: a scalar write keeps the parse valid for the insertion.
            set(tx, &at, Some(&Value::String(name.clone())))?;
            insert_member(tx, &format!("{machine}/States"), &name, &body, Some(&from_name))?;
            Ok(Some(format!("{machine}/States/{}", escape(&name))))
        }
        Edit::RemoveState { state } => {
            let (machine, name) = split_state(state)?;
            let m = view.machine(machine).ok_or_else(|| EditError::NotFound(machine.to_owned()))?;
            let removed = m.states.get(&name).ok_or_else(|| EditError::NotFound(state.clone()))?;
            reconnect_around(tx, m, removed)?;
            remove(tx, state)?;
            Ok(None)
        }
        Edit::RenameState { state, to } => {
            let (machine, name) = split_state(state)?;
            if *to == name {
                return Ok(Some(state.clone()));
            }
            check_name(&view, to)?;
            let m = view.machine(machine).ok_or_else(|| EditError::NotFound(machine.to_owned()))?;
            if !m.states.contains_key(&name) {
                return Err(EditError::NotFound(state.clone()));
            }
            let mut rewrites: Vec<String> = m
                .states
                .values()
                .flat_map(|s| s.transitions())
                .filter(|(target, _)| *target == name)
                .map(|(_, at)| at)
                .collect();
            if m.start_at.as_deref() == Some(name.as_str()) {
                rewrites.push(format!("{machine}/StartAt"));
            }
            let value = Value::String(to.clone());
            for at in rewrites {
                // Pointers inside the renamed state still name it by its old key: fine, the key
                // is renamed last.
                set(tx, &at, Some(&value))?;
            }
            rename_key(tx, state, to)?;
            Ok(Some(format!("{machine}/States/{}", escape(to))))
        }
        Edit::Connect { from, transition, to } => {
            let state = view.get(from).ok_or_else(|| EditError::NotFound(from.clone()))?.clone();
            let kind = state.get("Type").and_then(Value::as_str).and_then(StateType::parse);
            let applies = match (transition, kind) {
                (Transition::Next, Some(t)) => t.has_transition(),
                (Transition::Default | Transition::Choice(_), Some(t)) => t == StateType::Choice,
                (Transition::Catch(_), Some(t)) => {
                    matches!(t, StateType::Task | StateType::Parallel | StateType::Map)
                }
                (_, None) => false,
            };
            if !applies {
                return Err(EditError::NotApplicable(format!(
                    "{from} cannot have a {transition:?} transition"
                )));
            }
            let (machine, _) = split_state(from)?;
            let language = view
                .machine(machine)
                .and_then(|m| m.states.values().find(|s| s.pointer == *from))
                .map(|s| s.effective_query_language)
                .unwrap_or_default();
            let target = Value::String(to.clone());
            match transition {
                Transition::Next => {
                    set(tx, &format!("{from}/Next"), Some(&target))?;
                    if state.get("End").is_some() {
                        remove(tx, &format!("{from}/End"))?;
                    }
                }
                Transition::Default => set(tx, &format!("{from}/Default"), Some(&target))?,
                Transition::Choice(i) | Transition::Catch(i) => {
                    let list = if matches!(transition, Transition::Choice(_)) {
                        "Choices"
                    } else {
                        "Catch"
                    };
                    let len = state.get(list).and_then(Value::as_array).map(Vec::len).unwrap_or(0);
                    if *i < len {
                        set(tx, &transition_pointer(from, *transition), Some(&target))?;
                    } else {
                        let entry = match (list, language) {
                            ("Catch", _) => {
                                serde_json::json!({"ErrorEquals": ["States.ALL"], "Next": to})
                            }
                            (_, QueryLanguage::Jsonata) => {
                                serde_json::json!({"Condition": "{% true %}", "Next": to})
                            }
                            _ => {
                                serde_json::json!({"Variable": "$", "IsPresent": true, "Next": to})
                            }
                        };
                        push_element(tx, &format!("{from}/{list}"), &entry)?;
                    }
                }
            }
            Ok(Some(from.clone()))
        }
        Edit::Disconnect { from, transition } => {
            let at = transition_pointer(from, *transition);
            if view.get(&at).is_none() {
                return Err(EditError::NotFound(at));
            }
            match transition {
                Transition::Next => {
                    set(tx, &format!("{from}/End"), Some(&Value::Bool(true)))?;
                    remove(tx, &at)?;
                }
                Transition::Default => remove(tx, &at)?,
                Transition::Choice(i) => remove(tx, &format!("{from}/Choices/{i}"))?,
                Transition::Catch(i) => {
                    let len =
                        view.get(&format!("{from}/Catch")).and_then(Value::as_array).map(Vec::len);
                    if len == Some(1) {
                        remove(tx, &format!("{from}/Catch"))?;
                    } else {
                        remove(tx, &format!("{from}/Catch/{i}"))?;
                    }
                }
            }
            Ok(Some(from.clone()))
        }
        Edit::SetStartAt { machine, name } => {
            if view.machine(machine).is_none() {
                return Err(EditError::NotFound(machine.clone()));
            }
            set(tx, &format!("{machine}/StartAt"), Some(&Value::String(name.clone())))?;
            Ok(None)
        }
        Edit::SetField { pointer, value } => {
            if pointer.is_empty() {
                return Err(EditError::NotFound("the whole document: use ReplaceText".to_owned()));
            }
            let (parent, _) = parent_of(pointer);
            if view.get(parent).is_none() {
                return Err(EditError::NotFound(parent.to_owned()));
            }
            set(tx, pointer, value.as_ref())?;
            Ok(None)
        }
        Edit::MoveState { state, machine } => {
            let (from_machine, name) = split_state(state)?;
            if from_machine == machine {
                return Ok(Some(state.clone()));
            }
            if machine.starts_with(&format!("{state}/")) {
                return Err(EditError::NotFound("a state cannot move into itself".to_owned()));
            }
            let target =
                view.machine(machine).ok_or_else(|| EditError::NotFound(machine.clone()))?;
            let source = view
                .machine(from_machine)
                .ok_or_else(|| EditError::NotFound(from_machine.to_owned()))?;
            let mut body =
                view.get(state).cloned().ok_or_else(|| EditError::NotFound(state.clone()))?;
            // Transitions cannot cross a machine's boundary. In the machine the state leaves,
            // its predecessors go on to its successor (or end); the state itself keeps its
            // `Next` only when the target machine has that state, and ends otherwise.
            if let Some(moved) = source.states.get(&name) {
                reconnect_around(tx, source, moved)?;
            }
            let next = body.get("Next").and_then(Value::as_str).map(str::to_owned);
            if let (Some(next), Some(object)) = (next, body.as_object_mut()) {
                if !target.states.contains_key(&next) {
                    *object = std::mem::take(object)
                        .into_iter()
                        .map(|(k, v)| {
                            if k == "Next" { ("End".to_owned(), Value::Bool(true)) } else { (k, v) }
                        })
                        .collect();
                }
            }
            remove(tx, state)?;
            insert_member(tx, &format!("{machine}/States"), &name, &body, None)?;
            if target.states.is_empty() || target.start_at.is_none() {
                set(tx, &format!("{machine}/StartAt"), Some(&Value::String(name.clone())))?;
            }
            Ok(Some(format!("{machine}/States/{}", escape(&name))))
        }
        Edit::ChangeType { state, state_type } => {
            let body = view
                .get(state)
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| EditError::NotFound(state.clone()))?;
            let (machine, _) = split_state(state)?;
            let language = view
                .machine(machine)
                .and_then(|m| m.states.values().find(|s| s.pointer == *state))
                .map(|s| s.effective_query_language)
                .unwrap_or_default();
            set(
                tx,
                &format!("{state}/Type"),
                Some(&Value::String(state_type.as_str().to_owned())),
            )?;
            for key in body.keys() {
                let Some(spec) = fields::state_field(key) else { continue };
                let language_ok = !matches!(
                    (spec.only, language),
                    (Only::JsonPath, QueryLanguage::Jsonata)
                        | (Only::Jsonata, QueryLanguage::JsonPath)
                );
                if !spec.types.contains(state_type) && language_ok {
                    remove(tx, &format!("{state}/{}", escape(key)))?;
                }
            }
            let defaults = template(&view, *state_type, language, None);
            if let Some(defaults) = defaults.as_object() {
                for (key, value) in defaults {
                    let required = matches!(
                        key.as_str(),
                        "Resource" | "Choices" | "Seconds" | "Branches" | "ItemProcessor"
                    );
                    let end =
                        key == "End" && body.get("Next").is_none() && state_type.has_transition();
                    if (required || end) && !body.contains_key(key) {
                        set(tx, &format!("{state}/{}", escape(key)), Some(value))?;
                    }
                }
            }
            Ok(Some(state.clone()))
        }
        Edit::ConvertToJsonata { state } => {
            let (machine, _) = split_state(state)?;
            if view.machine(machine).is_none() {
                return Err(EditError::NotFound(machine.to_owned()));
            }
            let body = view
                .get(state)
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| EditError::NotFound(state.clone()))?;
            let machine_jsonata = view.get("/QueryLanguage").and_then(Value::as_str)
                == Some(QueryLanguage::Jsonata.as_str());
            let plan = crate::convert::state_to_jsonata(&body, machine_jsonata)
                .map_err(EditError::NotApplicable)?;
            let (_, before) = error_counts(&tx.text, tx.format);
            for object in &plan.objects {
                rewrite_object(tx, &format!("{state}{}", object.pointer), object)?;
            }
            // The promise is a state that validates as well as before: refuse otherwise.
            let (errors, after) = error_counts(&tx.text, tx.format);
            for (code, n) in after {
                let was = before.iter().find(|(c, _)| *c == code).map(|(_, n)| *n).unwrap_or(0);
                if n > was {
                    let d = errors.iter().find(|d| d.code == code);
                    let message = d.map(|d| d.message.as_str()).unwrap_or_default();
                    return Err(EditError::NotApplicable(format!(
                        "the converted state would not validate: {code} {message}"
                    )));
                }
            }
            Ok(Some(state.clone()))
        }
        Edit::PasteStates { machine, states } => {
            let m = view.machine(machine).ok_or_else(|| EditError::NotFound(machine.clone()))?;
            if states.is_empty() {
                return Err(EditError::NotApplicable("there is nothing to paste".into()));
            }
            if let Some((name, _)) = states.iter().find(|(_, v)| {
                v.get("Type").and_then(Value::as_str).and_then(StateType::parse).is_none()
            }) {
                let why = format!("\"{name}\" is not a state (no known \"Type\")");
                return Err(EditError::NotApplicable(why));
            }
            let mut taken = view.all_names();
            let mut renamed = Vec::new();
            for (name, _) in states {
                let to = unique_among(name, &taken);
                taken.push(to.clone());
                renamed.push((name.clone(), to));
            }
            let present: Vec<String> = m.states.keys().cloned().collect();
            let mut first = None;
            for ((_, to), (_, body)) in renamed.iter().zip(states) {
                let mut body = body.clone();
                retarget(&mut body, &renamed, &present);
                rename_nested(&mut body, &mut taken);
                insert_member(tx, &format!("{machine}/States"), to, &body, None)?;
                first.get_or_insert_with(|| format!("{machine}/States/{}", escape(to)));
            }
            Ok(first)
        }
        Edit::DuplicateState { state } => {
            let (machine, name) = split_state(state)?;
            let body =
                view.get(state).cloned().ok_or_else(|| EditError::NotFound(state.clone()))?;
            let copy = view.unique_name(&name);
            insert_member(tx, &format!("{machine}/States"), &copy, &body, Some(&name))?;
            Ok(Some(format!("{machine}/States/{}", escape(&copy))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{
  "Comment": "keep me",
  "StartAt": "A",
  "States": {
    "A": {
      "Type": "Pass",
      "Next": "B"
    },
    "B": {
      "Type": "Succeed"
    }
  },
  "X-Unknown": [1,   2]
}"#;

    fn doc() -> Document {
        Document::new(TEXT, Format::Json, Options::default())
    }

    fn states(d: &Document) -> Vec<String> {
        d.definition().map(|d| d.states.keys().cloned().collect()).unwrap_or_default()
    }

    fn paste(d: &mut Document, machine: &str, states: Value) -> Result<Snapshot, EditError> {
        let states = states.as_object().expect("an object of states").clone().into_iter();
        d.apply(Edit::PasteStates { machine: machine.into(), states: states.collect() })
    }

    #[test]
    fn pasting_states_renames_them_and_their_links_and_is_one_undo_step() {
        let mut d = doc();
        let copied = serde_json::json!({
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Succeed"}
        });
        let snap = paste(&mut d, "", copied).expect("pastes");
        assert_eq!(states(&d), vec!["A", "B", "A 2", "B 2"]);
        assert_eq!(snap.focus.as_deref(), Some("/States/A 2"));
        let model = d.definition().expect("parses");
        let a2 = model.states.get("A 2").expect("the copy of A");
        assert_eq!(a2.next.as_deref(), Some("B 2"), "the link between copies follows the copies");
        assert!(d.diagnostics().iter().all(|x| x.code != "SW001"), "{:?}", d.diagnostics());
        assert!(snap.text.contains("\"X-Unknown\": [1,   2]"), "untouched text stays");
        d.undo().expect("one undo step");
        assert_eq!(d.text(), TEXT);
    }

    #[test]
    fn a_pasted_transition_to_a_state_outside_the_copy_stays_only_when_it_leads_somewhere() {
        let mut d = doc();
        let copied = serde_json::json!({
            "A": {"Type": "Pass", "Next": "B"},
            "Elsewhere": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
                "Next": "Gone", "Catch": [
                    {"ErrorEquals": ["States.ALL"], "Next": "Gone"},
                    {"ErrorEquals": ["X"], "Next": "A"}]},
            "Ask": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true,
                "Next": "Nowhere"}], "Default": "Nowhere"}
        });
        let snap = paste(&mut d, "", copied).expect("pastes");
        let value: Value = serde_json::from_str(&snap.text).expect("JSON");
        let pasted = |name: &str| value["States"][name].clone();
        assert_eq!(pasted("A 2")["Next"], "B", "B is in the machine: the copy still leads there");
        assert_eq!(pasted("Elsewhere")["End"], true, "Gone does not exist: the copy ends");
        assert!(pasted("Elsewhere").get("Next").is_none());
        assert_eq!(
            pasted("Elsewhere")["Catch"],
            serde_json::json!([{"ErrorEquals": ["X"], "Next": "A 2"}])
        );
        assert!(pasted("Ask").get("Default").is_none());
        assert_eq!(pasted("Ask")["Choices"][0]["Next"], "Nowhere", "a rule keeps its target");
    }

    #[test]
    fn pasting_a_container_renames_its_nested_states_and_refuses_what_is_not_a_state() {
        let mut d = Document::new(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Y"},"Y":{"Type":"Succeed"}}}]}}}"#,
            Format::Json,
            Options::default(),
        );
        let copied = d.parsed().value.clone().expect("parses")["States"].clone();
        paste(&mut d, "", copied).expect("pastes");
        let value: Value = serde_json::from_str(d.text()).expect("JSON");
        let branch = &value["States"]["P 2"]["Branches"][0];
        assert_eq!(branch["StartAt"], "X 2");
        assert_eq!(branch["States"]["X 2"]["Next"], "Y 2");
        // A pasted state is not reachable until it is connected (SW202); nothing else is wrong.
        let errors: Vec<_> = d
            .diagnostics()
            .iter()
            .filter(|x| x.severity == crate::Severity::Error && x.code != "SW202")
            .collect();
        assert!(errors.is_empty(), "names stay unique across the definition: {errors:?}");
        let before = d.text().to_owned();
        let err = paste(&mut d, "", serde_json::json!({"Oops": {"Typo": 1}}));
        assert!(matches!(err, Err(EditError::NotApplicable(_))), "{err:?}");
        assert_eq!(d.text(), before, "a refused paste changes nothing");
    }

    #[test]
    fn pasting_into_yaml_and_into_a_branch_writes_the_documents_own_format() {
        let mut d = Document::new(
            "StartAt: P\nStates:\n  P:\n    Type: Parallel\n    End: true\n    Branches:\n      - StartAt: X\n        States:\n          X:\n            Type: Pass\n            End: true\n",
            Format::Yaml,
            Options::default(),
        );
        let copied = serde_json::json!({"X": {"Type": "Pass", "End": true}});
        let snap = paste(&mut d, "/States/P/Branches/0", copied).expect("pastes");
        assert_eq!(snap.focus.as_deref(), Some("/States/P/Branches/0/States/X 2"));
        assert!(snap.text.contains("          X 2:\n            Type: Pass"), "{}", snap.text);
    }

    #[test]
    fn add_state_keeps_untouched_text_and_undo_restores_it() {
        let mut d = doc();
        let snap = d
            .apply(Edit::AddState {
                machine: String::new(),
                state_type: StateType::Task,
                name: None,
            })
            .expect("adds");
        assert_eq!(states(&d), vec!["A", "B", "Task"]);
        assert!(snap.text.starts_with("{\n  \"Comment\": \"keep me\",\n  \"StartAt\": \"A\","));
        assert!(snap.text.contains("\"X-Unknown\": [1,   2]"), "untouched text stays");
        assert!(
            snap.text.contains("\n    \"Task\": {\n      \"Type\": \"Task\","),
            "{}",
            snap.text
        );
        assert_eq!(snap.focus.as_deref(), Some("/States/Task"));
        assert_eq!(snap.changed.len(), 1);
        d.undo().expect("undoes");
        assert_eq!(d.text(), TEXT);
        d.redo().expect("redoes");
        assert_eq!(d.text(), snap.text);
    }

    #[test]
    fn rename_rewrites_every_reference() {
        let mut d = doc();
        d.apply(Edit::RenameState { state: "/States/B".into(), to: "Done".into() })
            .expect("renames");
        assert_eq!(states(&d), vec!["A", "Done"]);
        assert!(d.text().contains("\"Next\": \"Done\""));
        d.apply(Edit::RenameState { state: "/States/A".into(), to: "Start".into() })
            .expect("renames");
        assert!(d.text().contains("\"StartAt\": \"Start\""));
        assert!(
            d.diagnostics()
                .iter()
                .all(|x| x.severity != crate::Severity::Error || x.code == "SW102"),
            "{:?}",
            d.diagnostics()
        );
        let err = d.apply(Edit::RenameState { state: "/States/Start".into(), to: "Done".into() });
        assert!(matches!(err, Err(EditError::InvalidName(_))));
    }

    #[test]
    fn changed_ranges_cover_exactly_what_was_written() {
        let mut d = doc();
        let snap = d
            .apply(Edit::RenameState { state: "/States/A".into(), to: "First".into() })
            .expect("renames");
        let written: Vec<&str> = snap.changed.iter().map(|r| &snap.text[r.start..r.end]).collect();
        assert_eq!(written, vec!["\"First\"", "\"First\""], "StartAt and the key");
        assert_eq!(snap.changed_ranges[0].start.line, 2);
        assert_eq!(snap.changed_ranges[1].start.line, 4);
    }

    #[test]
    fn insert_on_a_transition_and_remove_with_reconnection() {
        let mut d = doc();
        d.apply(Edit::InsertState {
            from: "/States/A".into(),
            transition: Transition::Next,
            state_type: StateType::Wait,
            name: Some("Pause".into()),
        })
        .expect("inserts");
        assert_eq!(states(&d), vec!["A", "Pause", "B"]);
        let def = d.definition().expect("model");
        assert_eq!(def.states["A"].next.as_deref(), Some("Pause"));
        assert_eq!(def.states["Pause"].next.as_deref(), Some("B"));
        d.apply(Edit::RemoveState { state: "/States/Pause".into() }).expect("removes");
        assert_eq!(d.text(), TEXT, "insert then remove is the identity here");
    }

    #[test]
    fn connect_disconnect_set_field_change_type_duplicate_move() {
        let mut d = doc();
        d.apply(Edit::Disconnect { from: "/States/A".into(), transition: Transition::Next })
            .expect("disconnects");
        assert!(d.definition().expect("model").states["A"].end);
        d.apply(Edit::Connect {
            from: "/States/A".into(),
            transition: Transition::Next,
            to: "B".into(),
        })
        .expect("connects");
        assert_eq!(d.definition().expect("model").states["A"].next.as_deref(), Some("B"));
        assert!(!d.definition().expect("model").states["A"].end);
        d.apply(Edit::SetField {
            pointer: "/States/A/Comment".into(),
            value: Some(Value::from("hi")),
        })
        .expect("sets");
        assert_eq!(d.definition().expect("model").states["A"].comment.as_deref(), Some("hi"));
        d.apply(Edit::ChangeType { state: "/States/A".into(), state_type: StateType::Wait })
            .expect("changes");
        assert_eq!(d.definition().expect("model").states["A"].state_type, StateType::Wait);
        assert!(
            d.diagnostics()
                .iter()
                .all(|x| x.severity != crate::Severity::Error || x.code == "SW102"),
            "{:?}",
            d.diagnostics()
        );
        d.apply(Edit::ChangeType { state: "/States/A".into(), state_type: StateType::Parallel })
            .expect("changes");
        d.apply(Edit::DuplicateState { state: "/States/B".into() }).expect("duplicates");
        assert_eq!(states(&d), vec!["A", "B", "B 2"]);
        d.apply(Edit::MoveState {
            state: "/States/B 2".into(),
            machine: "/States/A/Branches/0".into(),
        })
        .expect("moves");
        assert_eq!(states(&d), vec!["A", "B"]);
        let branch = &d.definition().expect("model").states["A"].branches[0];
        assert!(branch.states.contains_key("B 2"));
        while d.can_undo() {
            d.undo().expect("undoes");
        }
        assert_eq!(d.text(), TEXT);
    }

    #[test]
    fn transitions_a_state_type_lacks_are_refused_and_compact_text_stays_compact() {
        let text =
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#;
        let mut d = Document::new(text, Format::Json, Options::default());
        let err = d.apply(Edit::Connect {
            from: "/States/A".into(),
            transition: Transition::Catch(0),
            to: "B".into(),
        });
        assert!(matches!(err, Err(EditError::NotApplicable(_))), "{err:?}");
        assert_eq!(d.text(), text);
        d.apply(Edit::SetField {
            pointer: "/States/A/Comment".into(),
            value: Some(Value::from("c")),
        })
        .expect("sets");
        assert_eq!(
            d.text(),
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","Comment":"c"},"B":{"Type":"Succeed"}}}"#
        );
    }

    #[test]
    fn yaml_edits_write_block_yaml_and_keep_comments() {
        let text = "# header\nStartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B  # go\n  B:\n    Type: Succeed\n";
        let mut d = Document::new(text, Format::Yaml, Options::default());
        d.apply(Edit::InsertState {
            from: "/States/A".into(),
            transition: Transition::Next,
            state_type: StateType::Wait,
            name: Some("Pause".into()),
        })
        .expect("inserts");
        assert_eq!(
            d.text(),
            "# header\nStartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Pause  # go\n  Pause:\n    Type: Wait\n    Seconds: 1\n    Next: B\n  B:\n    Type: Succeed\n"
        );
        d.apply(Edit::RenameState { state: "/States/B".into(), to: "Done: ok".into() })
            .expect("renames");
        assert!(d.text().contains("\n  \"Done: ok\":\n"), "{}", d.text());
        assert!(d.diagnostics().is_empty(), "{:?}", d.diagnostics());
        while d.can_undo() {
            d.undo().expect("undoes");
        }
        assert_eq!(d.text(), text);
    }

    #[test]
    fn broken_text_keeps_the_last_model_and_refuses_semantic_edits() {
        let mut d = doc();
        let snap = d.apply(Edit::ReplaceText { text: "{\"StartAt\": ".into() }).expect("replaces");
        assert_eq!(snap.diagnostics[0].code, "SW001");
        assert_eq!(states(&d), vec!["A", "B"], "the last model survives");
        assert!(d.parsed().partial, "and the part before the break is recovered");
        assert!(d.parsed().definition.is_some());
        let err = d.apply(Edit::AddState {
            machine: String::new(),
            state_type: StateType::Pass,
            name: None,
        });
        assert_eq!(err, Err(EditError::Unparsed));
        d.undo().expect("undoes");
        assert_eq!(d.text(), TEXT);
    }
}
