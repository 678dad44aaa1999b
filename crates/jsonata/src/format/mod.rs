//! Picture-string formatting and parsing: numbers (`$formatNumber`, `$formatInteger`,
//! `$parseInteger`, `$formatBase`) and dates (`$fromMillis`, `$toMillis`), after the XPath and
//! XQuery Functions and Operators 3.1 rules JSONata follows.
//!
//! Pure functions over Rust numbers and strings: the evaluator converts arguments and wraps the
//! results, so everything here is testable on its own.

pub mod datetime;
pub mod number;

/// A formatting failure, with JSONata's error code (`D3080`, `D3110`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct FormatError {
    /// The JSONata error code.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
}

impl FormatError {
    /// An error with its code and message.
    pub fn new(code: &'static str, message: impl Into<String>) -> FormatError {
        FormatError { code, message: message.into() }
    }
}
