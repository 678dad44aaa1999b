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

/// Renders diagnostics like a compiler: severity, code and message; `file:line:column` (one-based
/// for people); the offending line with a caret under the range; the rule's fix as help.
pub fn render(text: &str, file: &str, diagnostics: &[Diagnostic]) -> String {
    use std::fmt::Write as _;

    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::new();
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let line = d.range.start.line as usize;
        let column = d.range.start.column as usize;
        let _ = writeln!(out, "{severity}[{}]: {}", d.code, d.message);
        let _ = writeln!(out, "  --> {file}:{}:{}", line + 1, column + 1);
        if let Some(source) = lines.get(line) {
            let source = source.trim_end_matches('\r');
            let shown: String = source.chars().take(200).collect();
            let number = (line + 1).to_string();
            let gutter = " ".repeat(number.len());
            let width = if d.range.end.line == d.range.start.line {
                (d.range.end.column as usize).saturating_sub(column).max(1)
            } else {
                source.chars().count().saturating_sub(column).max(1)
            };
            let width = width.min(200usize.saturating_sub(column).max(1));
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{number} | {shown}");
            let _ =
                writeln!(out, "{gutter} | {}{}", " ".repeat(column.min(200)), "^".repeat(width));
            if !d.path.is_empty() {
                let _ = writeln!(out, "{gutter} = at: {}", d.path);
            }
            if let Some(help) = crate::help(&d.code) {
                let _ = writeln!(out, "{gutter} = help: {help}");
            }
        }
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let _ = writeln!(
        out,
        "{file}: {errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_line_and_a_caret_under_the_range() {
        let text = "{\n  \"StartAt\": \"Nope\",\n  \"States\": {\"A\": {\"Type\": \"Succeed\"}}\n}";
        let parsed = crate::parse(text);
        let out = render(text, "m.asl.json", &parsed.diagnostics);
        assert!(out.contains("error[SW200]"), "{out}");
        assert!(out.contains("--> m.asl.json:2:14"), "{out}");
        assert!(out.contains("2 |   \"StartAt\": \"Nope\","), "{out}");
        assert!(out.contains("  |              ^^^^^^\n"), "{out}");
        assert!(out.contains("= help: "), "{out}");
    }
}
