//! A JSONata engine over Stepwise's shared JSON values.
//!
//! Work in progress: the parser, evaluator and function library land in steps.

pub mod format;
