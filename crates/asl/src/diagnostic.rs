use serde::Serialize;

/// How bad a [`Diagnostic`] is: errors make AWS reject the definition, warnings flag likely mistakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// AWS refuses the definition.
    Error,
    /// A likely mistake; AWS accepts the definition.
    Warning,
}

/// A zero-based line and a zero-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Position {
    /// Zero-based line.
    pub line: u32,
    /// Zero-based column, in Unicode scalar values.
    pub column: u32,
}

/// A span of the document text, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Range {
    /// Where it starts.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
}

/// One finding about a document, located by JSON Pointer and by text range
/// (the shape `stepwise validate --json` prints, see shared/conformance/FORMAT.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The stable rule code, e.g. `SW201`.
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
    /// JSON Pointer of the offending value ("" for the whole document).
    pub path: String,
    /// Where it is in the text.
    pub range: Range,
}

impl Diagnostic {
    /// An error at `path`, with an empty range (filled in when it is located).
    pub fn error(code: &str, message: impl Into<String>, path: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: code.to_owned(),
            message: message.into(),
            path: path.into(),
            range: Range::default(),
        }
    }

    /// A warning at `path`, with an empty range.
    pub fn warning(code: &str, message: impl Into<String>, path: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message, path) }
    }
}
