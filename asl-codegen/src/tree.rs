//! A JSON tree that remembers where each value came from.
//!
//! ASL files are JSON; we also accept JSON with comments (`//`, `/* */`) and trailing commas, as
//! editors for `.asl.json` do. Every value and every object key keeps its byte [`Span`] so later
//! passes can point at `file:line:col`. Unlike serde_json, duplicate keys are not silently merged:
//! all members are kept in order and each repeated key is reported as a [`codes::DUPLICATE_KEY`]
//! diagnostic (AWS rejects duplicate state names; a repeated field is always a mistake).

use crate::diagnostic::{Diagnostic, codes};
use crate::span::Span;

/// A parsed JSON value with its source span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

/// The kinds of JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, kept as written so integers of any size and `1.0` vs `1` survive.
    Number(Number),
    /// A string's decoded text. `escaped` is true when the literal contains escape sequences, so
    /// offsets into the text are not offsets into the source.
    String {
        text: String,
        escaped: bool,
    },
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// A JSON number as written in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub raw: String,
}

impl Number {
    pub fn as_f64(&self) -> f64 {
        self.raw.parse().unwrap_or(f64::NAN)
    }

    /// The value as an integer if it is one (`3`, `3.0`, `3e2`), within `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        if let Ok(i) = self.raw.parse::<i64>() {
            return Some(i);
        }
        let f = self.as_f64();
        (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
    }

    /// True when written without fraction or exponent (`3`, not `3.0`).
    pub fn is_integer_literal(&self) -> bool {
        !self.raw.contains(['.', 'e', 'E'])
    }
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// The members of an object, or `None` for other kinds.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match &self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The first member named `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key == key)
    }

    /// The span of the string's content, without the quotes, when it has no escapes (so offsets in
    /// the decoded text are offsets in the source). Otherwise the whole literal.
    pub fn text_span(&self) -> Span {
        match &self.value {
            Value::String { escaped: false, .. } if self.span.len() >= 2 => {
                Span::new(self.span.start as usize + 1, self.span.end as usize - 1)
            }
            _ => self.span,
        }
    }

    /// A short name for the kind of value, for messages ("string", "object", ...).
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String { .. } => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Converts to a `serde_json::Value` (numbers that do not fit are kept as floats).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(&n.raw).unwrap_or_else(|_| serde_json::Value::from(n.as_f64())),
            Value::String { text, .. } => serde_json::Value::String(text.clone()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Value::Object(members) => {
                serde_json::Value::Object(members.iter().map(|m| (m.key.clone(), m.value.to_json())).collect())
            }
        }
    }
}

/// A syntax error that stops parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
}

/// The result of parsing: the tree (absent on a syntax error) and diagnostics (duplicate keys, or
/// the syntax error as an [`codes::INVALID_JSON_DESCRIPTION`] diagnostic).
pub struct Parsed {
    pub root: Option<Node>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses JSON with comments and trailing commas.
pub fn parse(text: &str) -> Parsed {
    let mut parser = Parser { text, bytes: text.as_bytes(), pos: 0, diagnostics: Vec::new(), depth: 0 };
    let result = parser.document();
    let mut diagnostics = parser.diagnostics;
    match result {
        Ok(root) => Parsed { root: Some(root), diagnostics },
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                codes::INVALID_JSON_DESCRIPTION,
                format!("The definition is not valid JSON: {}", e.message),
                "",
                e.span,
            ));
            Parsed { root: None, diagnostics }
        }
    }
}

/// Deepest nesting accepted; deeper input is refused instead of overflowing the stack.
const MAX_DEPTH: usize = 512;

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    diagnostics: Vec<Diagnostic>,
    depth: usize,
}

type Result<T> = std::result::Result<T, SyntaxError>;

impl<'a> Parser<'a> {
    fn document(&mut self) -> Result<Node> {
        // A UTF-8 byte-order mark is allowed at the very start.
        if self.text.starts_with('\u{feff}') {
            self.pos = 3;
        }
        self.skip_trivia()?;
        if self.pos >= self.bytes.len() {
            return Err(self.error_here("the file is empty"));
        }
        let node = self.value(String::new())?;
        self.skip_trivia()?;
        if self.pos < self.bytes.len() {
            return Err(self.error_here("unexpected text after the end of the JSON value"));
        }
        Ok(node)
    }

    fn error_here(&self, message: impl Into<String>) -> SyntaxError {
        let end =
            self.text[self.pos.min(self.text.len())..].chars().next().map_or(self.pos, |c| self.pos + c.len_utf8());
        SyntaxError { message: message.into(), span: Span::new(self.pos, end) }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Result<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(b) = self.peek() {
                        if b == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    match self.text[self.pos + 2..].find("*/") {
                        Some(i) => self.pos += 2 + i + 2,
                        None => {
                            return Err(SyntaxError {
                                message: "unterminated block comment".into(),
                                span: Span::new(start, start + 2),
                            });
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// Parses one value; `pointer` is its JSON pointer, for duplicate-key diagnostics.
    fn value(&mut self, pointer: String) -> Result<Node> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.nested(|p| p.object(pointer)),
            Some(b'[') => self.nested(|p| p.array(pointer)),
            Some(b'"') => {
                let (text, escaped) = self.string()?;
                Ok(Node { span: Span::new(start, self.pos), value: Value::String { text, escaped } })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.keyword("true", Value::Bool(true)),
            Some(b'f') => self.keyword("false", Value::Bool(false)),
            Some(b'n') => self.keyword("null", Value::Null),
            Some(_) => Err(self.error_here("expected a JSON value")),
            None => Err(self.error_here("unexpected end of file, expected a JSON value")),
        }
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self) -> Result<Node>) -> Result<Node> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let node = f(self);
        self.depth -= 1;
        node
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Node> {
        let start = self.pos;
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            if self.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
                self.pos = start;
                return Err(self.error_here("expected a JSON value"));
            }
            Ok(Node { span: Span::new(start, self.pos), value })
        } else {
            Err(self.error_here("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Node> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos > s
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
            if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                return Err(self.error_here("leading zeros are not allowed in JSON numbers"));
            }
        } else if !digits(self) {
            return Err(self.error_here("expected digits"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error_here("expected digits after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error_here("expected digits in the exponent"));
            }
        }
        Ok(Node {
            span: Span::new(start, self.pos),
            value: Value::Number(Number { raw: self.text[start..self.pos].to_owned() }),
        })
    }

    /// Parses a string literal at `pos`, returning its decoded text and whether it had escapes.
    fn string(&mut self) -> Result<(String, bool)> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut escaped = false;
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((out, escaped));
                }
                Some(b'\\') => {
                    escaped = true;
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.error_here("invalid escape sequence in string")),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => return Err(self.error_here("control character in string (escape it)")),
                None => {
                    return Err(SyntaxError {
                        message: "unterminated string".into(),
                        span: Span::new(start, start + 1),
                    });
                }
            }
        }
    }

    /// After `\u`: four hex digits, combining a surrogate pair when one follows.
    fn unicode_escape(&mut self) -> Result<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.text[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        // A lone surrogate cannot be held in a Rust string; it becomes U+FFFD as in serde_json's lossy mode.
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.text.get(self.pos..self.pos + 4).filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits {
            Some(d) => {
                self.pos += 4;
                Ok(u32::from_str_radix(d, 16).unwrap_or(0xFFFD))
            }
            None => Err(self.error_here("expected four hex digits after \\u")),
        }
    }

    fn array(&mut self, pointer: String) -> Result<Node> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                break;
            }
            items.push(self.value(format!("{pointer}/{}", items.len()))?);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error_here("expected ',' or ']' in array")),
            }
        }
        Ok(Node { span: Span::new(start, self.pos), value: Value::Array(items) })
    }

    fn object(&mut self, pointer: String) -> Result<Node> {
        let start = self.pos;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                Some(b'"') => {}
                _ => return Err(self.error_here("expected a string key or '}' in object")),
            }
            let key_start = self.pos;
            let (key, _) = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_trivia()?;
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected ':' after object key"));
            }
            self.pos += 1;
            self.skip_trivia()?;
            let child_pointer = format!("{pointer}/{}", escape_pointer(&key));
            let value = self.value(child_pointer.clone())?;
            if !seen.insert(key.clone()) {
                self.diagnostics.push(Diagnostic::error(
                    codes::DUPLICATE_KEY,
                    format!("Duplicate key '{key}': a JSON object must not repeat a key"),
                    child_pointer,
                    key_span,
                ));
            }
            members.push(Member { key, key_span, value });
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error_here("expected ',' or '}' in object")),
            }
        }
        Ok(Node { span: Span::new(start, self.pos), value: Value::Object(members) })
    }
}

/// Escapes a key for use in a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
pub fn escape_pointer(key: &str) -> String {
    if key.contains(['~', '/']) { key.replace('~', "~0").replace('/', "~1") } else { key.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Node {
        let parsed = parse(text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.root.unwrap()
    }

    #[test]
    fn parses_json_and_keeps_spans() {
        let text = r#"{"a": [1, -2.5e3, true, null], "b": "x\ny"}"#;
        let root = ok(text);
        let a = root.get("a").unwrap();
        assert_eq!(&text[a.key_span.start as usize..a.key_span.end as usize], "\"a\"");
        let items = a.value.as_array().unwrap();
        assert_eq!(items[1].as_number().unwrap().raw, "-2.5e3");
        assert_eq!(&text[items[1].span.start as usize..items[1].span.end as usize], "-2.5e3");
        assert_eq!(root.get("b").unwrap().value.as_str(), Some("x\ny"));
        assert_eq!(root.to_json(), serde_json::json!({"a": [1, -2500.0, true, null], "b": "x\ny"}));
    }

    #[test]
    fn accepts_comments_and_trailing_commas() {
        let root = ok("// header\n{ /* c */ \"a\": [1, 2,], \"b\": {\"c\": 1,}, }");
        assert_eq!(root.to_json(), serde_json::json!({"a": [1, 2], "b": {"c": 1}}));
    }

    #[test]
    fn reports_every_duplicate_key_with_its_location() {
        let text = "{\"States\": {\"A\": 1, \"B\": 2, \"A\": 3}, \"x\": 1, \"x\": 2}";
        let parsed = parse(text);
        assert!(parsed.root.is_some());
        let d: Vec<_> = parsed.diagnostics.iter().map(|d| (d.code, d.pointer.as_str(), d.span.start)).collect();
        assert_eq!(
            d,
            vec![
                (codes::DUPLICATE_KEY, "/States/A", text.rfind("\"A\"").unwrap() as u32),
                (codes::DUPLICATE_KEY, "/x", text.rfind("\"x\"").unwrap() as u32),
            ]
        );
    }

    #[test]
    fn syntax_errors_point_at_the_offending_byte() {
        for (text, at) in [("{\"a\": }", 6), ("{\"a\" 1}", 5), ("[1 2]", 3), ("{\"a\": 01}", 7), ("", 0), ("{} x", 3)] {
            let parsed = parse(text);
            assert!(parsed.root.is_none(), "{text}");
            assert_eq!(parsed.diagnostics[0].code, codes::INVALID_JSON_DESCRIPTION);
            assert_eq!(parsed.diagnostics[0].span.start, at, "{text}");
        }
    }

    #[test]
    fn unicode_escapes_and_text_spans() {
        let root = ok(r#"["\ud83d\ude00", "plain"]"#);
        let items = root.as_array().unwrap();
        assert_eq!(items[0].as_str(), Some("😀"));
        assert_eq!(items[0].text_span(), items[0].span, "escaped strings point at the whole literal");
        assert_eq!(items[1].text_span(), Span::new(items[1].span.start as usize + 1, items[1].span.end as usize - 1));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "[".repeat(10_000);
        let parsed = parse(&text);
        assert!(parsed.diagnostics[0].message.contains("nesting"));
    }
}
