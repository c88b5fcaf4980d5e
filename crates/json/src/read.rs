//! The reader: strict RFC 8259 text to a [`Value`], with serde_json's error wording and positions.
//!
//! Refused beyond RFC 8259 (each with its own message): numbers with a fraction or exponent, integers outside
//! `i64::MIN..=u64::MAX`, `\u` escapes of lone UTF-16 surrogates (they are no Unicode text), and nesting
//! deeper than [`MAX_DEPTH`]. `-0` reads as `0`.

use crate::error::Error;
use crate::value::{Number, Value};

/// Most arrays and objects nested in one another that are read (as serde_json's recursion limit).
pub const MAX_DEPTH: usize = 127;

/// Reads one JSON value, with only whitespace around it.
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let value = reader.value()?;
    reader.skip_whitespace();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error("trailing characters"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Reader<'_> {
    /// An error about the byte at the current position.
    fn error(&self, message: &str) -> Error {
        self.error_at(self.pos, message)
    }

    /// An error about the byte at `at`.
    fn error_at(&self, at: usize, message: &str) -> Error {
        self.error_after(at + 1, message)
    }

    /// An error about the text ending too soon.
    fn eof(&self, message: &str) -> Error {
        self.error_after(self.bytes.len(), message)
    }

    /// An error placed as serde_json places it: the line and column just after the offending byte, so a
    /// column is the 1-based column of that byte (and an offending newline is column 0 of the next line).
    fn error_after(&self, end: usize, message: &str) -> Error {
        let before = self.bytes.get(..end).unwrap_or(self.bytes);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        Error::syntax(message, line, before.len() - start)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Value, Error> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.eof("EOF while parsing a value")),
            Some(b'{') => self.nested(Reader::object),
            Some(b'[') => self.nested(Reader::array),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(_) => Err(self.error("expected value")),
        }
    }

    /// Reads an array or object one level deeper, refusing nesting beyond [`MAX_DEPTH`].
    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Error>) -> Result<Value, Error> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.pos += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, Error> {
        for &expected in word.as_bytes() {
            match self.peek() {
                None => return Err(self.eof("EOF while parsing a value")),
                Some(b) if b == expected => self.pos += 1,
                Some(_) => return Err(self.error("expected ident")),
            }
        }
        Ok(value)
    }

    fn array(&mut self) -> Result<Value, Error> {
        let mut items = Vec::new();
        self.skip_whitespace();
        match self.peek() {
            Some(b']') => {
                self.pos += 1;
                return Ok(Value::Array(items));
            }
            None => return Err(self.eof("EOF while parsing a list")),
            Some(_) => {}
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    if self.peek() == Some(b']') {
                        return Err(self.error("trailing comma"));
                    }
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.eof("EOF while parsing a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Value, Error> {
        let mut fields = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(fields));
        }
        loop {
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.eof("EOF while parsing an object")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let name = self.string()?;
            self.skip_whitespace();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(self.eof("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `:`")),
            }
            fields.push((name, self.value()?));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace();
                    match self.peek() {
                        Some(b'}') => return Err(self.error("trailing comma")),
                        None => return Err(self.eof("EOF while parsing a value")),
                        Some(_) => {}
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(fields));
                }
                None => return Err(self.eof("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// A string, the reader on its opening quote.
    fn string(&mut self) -> Result<String, Error> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Only ever split at ASCII bytes, so both ends are character boundaries and `get` always
            // succeeds; unlike `[]` it brings no panic path (and its message formatting) into the Wasm.
            out.push_str(self.text.get(start..self.pos).unwrap_or_default());
            match self.peek() {
                None => return Err(self.eof("EOF while parsing a string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
    }

    /// One escape, the reader after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), Error> {
        let Some(b) = self.peek() else {
            return Err(self.eof("EOF while parsing a string"));
        };
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.pos += 1;
                return self.unicode_escape(out);
            }
            _ => return Err(self.error("invalid escape")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    /// `\uXXXX`, the reader after the `u`; a leading surrogate must be followed by `\u` and a trailing one.
    /// Errors are placed where serde_json places them.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), Error> {
        let lone = "lone leading surrogate in hex escape";
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => return Err(self.error_at(self.pos - 1, lone)),
            0xD800..=0xDBFF => {
                for expected in [b'\\', b'u'] {
                    match self.peek() {
                        None => return Err(self.eof("EOF while parsing a string")),
                        Some(b) if b == expected => self.pos += 1,
                        Some(_) => return Err(self.error("unexpected end of hex escape")),
                    }
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error_at(self.pos - 1, lone));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            _ => first,
        };
        // Surrogates were handled above, so every code here is a char.
        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
        Ok(())
    }

    /// Four hex digits; as in serde_json, too few bytes left is the end of the text, and a bad digit is
    /// reported on the fourth.
    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(digits) = self.bytes.get(self.pos..self.pos + 4) else {
            self.pos = self.bytes.len();
            return Err(self.eof("EOF while parsing a string"));
        };
        let mut code = 0;
        for &b in digits {
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.error_at(self.pos + 3, "invalid escape")),
            };
            code = code * 16 + u32::from(digit);
        }
        self.pos += 4;
        Ok(code)
    }

    /// An integer: `-? (0 | [1-9][0-9]*)`; a fraction or exponent is refused.
    fn number(&mut self) -> Result<Number, Error> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let mut magnitude: u64 = 0;
        let mut overflow = false;
        match self.peek() {
            None => return Err(self.eof("EOF while parsing a value")),
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(b @ b'0'..=b'9') = self.peek() {
                    match magnitude
                        .checked_mul(10)
                        .and_then(|m| m.checked_add(u64::from(b - b'0')))
                    {
                        Some(m) => magnitude = m,
                        None => overflow = true,
                    }
                    self.pos += 1;
                }
            }
            Some(_) => return Err(self.error("invalid number")),
        }
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return Err(self.error("only whole numbers are accepted (no fraction or exponent)"));
        }
        if negative {
            if overflow || magnitude > 1 << 63 {
                return Err(self.error("number out of range"));
            }
            // `magnitude` is at most 2^63, so this is exact (and `-0` is 0).
            Ok(Number::from(0i64.wrapping_sub_unsigned(magnitude)))
        } else if overflow {
            Err(self.error("number out of range"))
        } else {
            Ok(Number::from(magnitude))
        }
    }
}
