//! The one error type: a syntax error with its line and column, or a decoding error with the path of the
//! value it is about (`switches[3].index`).

use std::fmt;

/// Why a text was not JSON, or a value not the expected shape.
///
/// Boxed: a `Result<T, Error>` is then hardly bigger than `T`, and passing an error up through every level of
/// a decoded value is a pointer copy (this matters for the Wasm's size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    message: String,
    /// Where in the value a decoding error is, innermost last (`settings[0].recognise`); empty at the top.
    path: String,
    /// 1-based line and column (in bytes) of a syntax error; 0 for decoding errors.
    line: usize,
    column: usize,
}

impl Error {
    /// An error with this message and no position.
    pub fn new(message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            message: message.into(),
            path: String::new(),
            line: 0,
            column: 0,
        }))
    }

    pub(crate) fn syntax(message: &str, line: usize, column: usize) -> Error {
        let mut e = Error::new(message);
        e.0.line = line;
        e.0.column = column;
        e
    }

    /// The message without path or position.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The path of the value a decoding error is about (`switches[3].index`), empty for the whole value.
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// 1-based line of a syntax error, 0 for a decoding error.
    pub fn line(&self) -> usize {
        self.0.line
    }

    /// 1-based column (in bytes) of a syntax error, 0 for a decoding error.
    pub fn column(&self) -> usize {
        self.0.column
    }

    /// The same error, inside the object field `name`.
    pub fn in_field(self, name: &str) -> Error {
        self.within(name)
    }

    /// The same error, inside the array item `index`.
    pub fn in_item(self, index: usize) -> Error {
        let mut step = String::from("[");
        crate::write::push_u64(&mut step, index as u64);
        step.push(']');
        self.within(&step)
    }

    /// Puts `step` (a field name or `[index]`) in front of the path.
    fn within(mut self, step: &str) -> Error {
        let old = &self.0.path;
        let mut path = String::with_capacity(step.len() + 1 + old.len());
        path.push_str(step);
        if !old.is_empty() && !old.starts_with('[') {
            path.push('.');
        }
        path.push_str(old);
        self.0.path = path;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        if !e.path.is_empty() {
            f.write_str(&e.path)?;
            f.write_str(": ")?;
        }
        f.write_str(&e.message)?;
        if e.line > 0 {
            let mut at = String::from(" at line ");
            crate::write::push_u64(&mut at, e.line as u64);
            at.push_str(" column ");
            crate::write::push_u64(&mut at, e.column as u64);
            f.write_str(&at)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
