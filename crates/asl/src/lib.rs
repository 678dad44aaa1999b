//! The Amazon States Language document.
//!
//! The ASL text is the ground state of Stepwise: everything else (the typed [`Definition`], the
//! graph, the layout, executions) is derived from it. [`parse`] never fails: broken text yields
//! [`Diagnostic`]s and whatever could be recovered.
//!
//! This is the minimal model of the foundation slice: state names, types and transitions, with
//! nested Parallel branches and Map processors. The complete model is issue #3.

mod diagnostic;
mod model;
mod parse;

pub use diagnostic::{Diagnostic, Position, Range, Severity};
pub use model::{Catcher, ChoiceRule, Definition, State, StateType};
pub use parse::{Parsed, parse};
