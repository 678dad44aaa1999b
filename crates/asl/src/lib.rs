//! The Amazon States Language document.
//!
//! The ASL text is the ground state of Stepwise: everything else (the typed [`Definition`], the
//! graph, the layout, executions) is derived from it.
//!
//! - [`parse`] / [`check`] read JSON or YAML into a [`Parsed`]: the order-preserving value, a
//!   [`SourceMap`] (JSON Pointer ⇄ byte range ⇄ zero-based line and column) and the typed model
//!   of the whole current language (both query languages, every state type and field, nested
//!   Parallel branches and Map processors, Variables), plus located [`Diagnostic`]s.
//! - [`validate()`] runs the rules of `validate/rules/`, one per file, each with a stable code
//!   (see [`rules`] and docs/rules.md); [`render`] prints diagnostics like a compiler.
//! - [`Document`] is the editable document: semantic [`Edit`]s (add, insert on a transition,
//!   remove with reconnection, rename with every reference, connect, disconnect, set StartAt,
//!   set a field by JSON Pointer, move between machines, change type, duplicate, convert a
//!   JSONPath state to JSONata, replace text)
//!   applied as minimal textual changes to JSON or YAML, with undo and redo; each returns a
//!   [`Snapshot`] {text, diagnostics, changed ranges}. [`Document::apply`] is the one call for
//!   "one edit → snapshot"; after an edit confined to the top-level `States`, only the states it
//!   touched are read again (`cargo run --release -p stepwise-asl --example bench` measures it).
//!
//! Invariants:
//! - Parsing never fails and never panics: broken text yields a located diagnostic and whatever
//!   could be recovered (a lenient parse, or the part before the break: [`Parsed::partial`]). Nesting deeper than [`MAX_DEPTH`] is refused before any recursive
//!   descent, so no input can overflow the stack.
//! - Nothing in the text is dropped: unknown fields stay in the value (and are reported), the
//!   model lists them in `unknown_fields`.
//! - Diagnostics are sorted by position and carry both a JSON Pointer and a range.
//! - An edit changes only the bytes it must; undo restores the text byte for byte.

#![warn(missing_docs)]

mod convert;
mod diagnostic;
mod document;
mod fields;
mod model;
mod object;
mod parse;
mod source_map;
mod substitution;
mod syntax;
mod text;
mod validate;
mod yaml_text;

pub use diagnostic::{Diagnostic, Position, Range, Severity, render};
pub use document::{Document, Edit, EditError, Snapshot, Transition};
pub use fields::{catcher_fields_allowed, field_names_of, fields_allowed, rule_field_names};
pub use model::{
    Catcher, ChoiceRule, Condition, Definition, Fail, MapFields, ProcessorConfig, QueryLanguage,
    Retrier, State, StateDetail, StateMap, StateType, Task, Wait,
};
pub use parse::{Format, Parsed, check, check_bytes, choice_label, label_of, parse, parse_syntax};
pub use source_map::{
    DuplicateKey, Entry, SourceMap, escape as escape_pointer_token,
    unescape as unescape_pointer_token,
};
pub use substitution::{placeholders_in, state_placeholders};
pub use syntax::MAX_DEPTH;
pub use text::{LineIndex, TextRange, common_prefix, common_suffix};
pub use validate::{Options, RuleInfo, WorkflowType, help, rules, validate};

/// Hooks for the fuzz targets in `fuzz/`; not part of the supported API.
#[doc(hidden)]
pub mod fuzzing {
    /// Whether the one-pass JSON reader and jsonc-parser agree on `text`.
    pub fn json_readers_agree(text: &str) -> Result<(), String> {
        crate::syntax::fast_json_agrees(text)
    }
}
