use serde::Serialize;

/// How bad a [`Diagnostic`] is: errors make AWS reject the definition, warnings flag likely mistakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A zero-based line and a zero-based column counted in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A span of the document text, `end` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

/// One finding about a document, located by JSON Pointer and by text range
/// (the shape `stepwise validate --json` prints, see shared/conformance/FORMAT.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub path: String,
    pub range: Range,
}

impl Diagnostic {
    pub fn error(code: &str, message: impl Into<String>, path: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code: code.to_owned(),
            message: message.into(),
            path: path.into(),
            range: Range::default(),
        }
    }
}
