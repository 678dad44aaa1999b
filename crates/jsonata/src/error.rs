//! Errors, with JSONata's codes: `S0xxx` syntax, `T0xxx`–`T2xxx` type, `D1xxx`–`D3xxx` dynamic,
//! `U1001` limits. Positions are byte offsets into the expression text.

use std::fmt;

/// An error raised while parsing or evaluating an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// JSONata's error code (`S0201`, `T2001`, `D3030`, …).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// Byte offset into the expression where it went wrong, when known.
    pub position: Option<usize>,
    /// The token at fault, when there is one.
    pub token: Option<String>,
}

impl Error {
    /// An error with a code and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Error {
        Error { code, message: message.into(), position: None, token: None }
    }

    /// The same error located at `position`.
    pub fn at(mut self, position: usize) -> Error {
        if self.position.is_none() {
            self.position = Some(position);
        }
        self
    }

    /// The same error naming its token.
    pub fn token(mut self, token: impl Into<String>) -> Error {
        self.token = Some(token.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(p) = self.position {
            write!(f, " (at {p})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<crate::format::FormatError> for Error {
    fn from(e: crate::format::FormatError) -> Error {
        Error::new(e.code, e.message)
    }
}

/// Shorthand for results in this crate.
pub type Result<T> = std::result::Result<T, Error>;
