//! JSONPath as AWS Step Functions uses it: Jayway JsonPath syntax plus the ASL extensions
//! (`$$` for the Context Object, `$name` for state-machine variables, backslash escapes in
//! dot-notation names).
//!
//! The parser is std-only and never panics. Every error carries the byte offset of the problem in
//! the path string, so a caller can turn it into a span inside the JSON document.
//!
//! Classification follows Jayway and the ASL spec:
//! - a *definite* path ([`Path::is_definite`]) selects at most one node; AWS returns that node
//!   itself (and fails when it is missing), while an indefinite path always yields an array;
//! - a *Reference Path* ([`Path::is_reference_path`]) is what `ResultPath`, `ItemsPath`, the
//!   `...Path` fields and Choice `...Path` comparators require: a definite path without any of the
//!   operators `@ , : ?`.
//!
//! Quoted names inside brackets follow what AWS was recorded doing: a backslash protects the next
//! character from ending the string; `\'` (the quote in use) and `\\` decode to that character and
//! any other escape is kept verbatim, so `$['Test\""Name"']` selects the key `Test\""Name"`.
//!
//! [`Path::query`] evaluates a parsed path against JSON values (see [`query`] for the semantics);
//! [`compile_static`] is the never-failing parse generated code uses.

use std::fmt;

pub mod query;
mod regex;

pub use query::{Env, Found, QueryError, compile_static};

/// Deepest nesting of brackets, filter groups and array literals the parser accepts. Real paths
/// stay far below this; the limit only protects the stack against hostile input.
const MAX_NESTING: usize = 64;

/// Where a path starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// `$`: the current input (state input, payload-template input, ...).
    Input,
    /// `$$`: the Context Object.
    Context,
    /// `$name`: a state-machine variable. Only the syntax is checked here (letters, digits and
    /// `_`, starting with a letter or `_`); the caller validates names and scope.
    Variable(String),
}

/// A parsed JSONPath: a root followed by zero or more segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    /// What the path is applied to.
    pub root: Root,
    /// Selection steps, applied left to right.
    pub segments: Vec<Segment>,
}

/// One selection step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// `.name`, `['name']` or `["name"]`: a member of an object (escapes already decoded).
    Field(String),
    /// `[3]`, `[-1]`: an array element; negative counts from the end.
    Index(i64),
    /// `.*` or `[*]`: every member or element.
    Wildcard,
    /// `[start:end:step]` with each part optional (`[1:5]`, `[:2]`, `[-2:]`, `[::2]`).
    Slice {
        /// First index (inclusive); `None` means the start of the array.
        start: Option<i64>,
        /// Last index (exclusive); `None` means the end of the array.
        end: Option<i64>,
        /// Stride; `None` means 1. Never `Some(0)` (rejected by the parser).
        step: Option<i64>,
    },
    /// `[0,1]` or `['a','b']`: several members or elements (two or more).
    Union(Vec<UnionMember>),
    /// `..x`: the inner segment applied at every depth (`..name`, `..*`, `..[0]`).
    Descendant(Box<Segment>),
    /// `[?(expression)]`: elements (or members) for which the expression holds.
    Filter(FilterExpr),
    /// `.length()` and the other Jayway functions; always the last segment of a path.
    Function {
        /// Function name, one of [`JAYWAY_FUNCTIONS`].
        name: String,
        /// Arguments (only `concat` and `append` take any).
        args: Vec<Operand>,
    },
}

/// One member of a [`Segment::Union`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnionMember {
    /// An array index.
    Index(i64),
    /// An object member name.
    Field(String),
}

/// A filter expression, the part between `[?(` and `)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterExpr {
    /// `a || b`
    Or(Box<FilterExpr>, Box<FilterExpr>),
    /// `a && b`
    And(Box<FilterExpr>, Box<FilterExpr>),
    /// `!a`
    Not(Box<FilterExpr>),
    /// `left op right`, e.g. `@.price < 10`.
    Compare {
        /// Left operand.
        left: Operand,
        /// The operator.
        op: CompareOp,
        /// Right operand.
        right: Operand,
    },
    /// A lone operand: true when the path exists (`[?(@.isbn)]`), or the literal's truth value.
    Exists(Operand),
}

/// Comparison operators of Jayway filter expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=~` (right operand is a regular expression literal)
    Matches,
    /// `in`: left is a member of the right array.
    In,
    /// `nin`: left is not a member of the right array.
    Nin,
    /// `subsetof`: left array is a subset of the right array.
    SubsetOf,
    /// `anyof`: left array shares an element with the right array.
    AnyOf,
    /// `noneof`: left array shares no element with the right array.
    NoneOf,
    /// `size`: left (array or string) has the length given on the right.
    Size,
    /// `empty`: left emptiness equals the boolean on the right.
    Empty,
    /// `contains`: left (array or string) contains the right value.
    Contains,
}

impl CompareOp {
    /// The operator as written in a filter.
    pub fn as_str(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
            CompareOp::Matches => "=~",
            CompareOp::In => "in",
            CompareOp::Nin => "nin",
            CompareOp::SubsetOf => "subsetof",
            CompareOp::AnyOf => "anyof",
            CompareOp::NoneOf => "noneof",
            CompareOp::Size => "size",
            CompareOp::Empty => "empty",
            CompareOp::Contains => "contains",
        }
    }

    fn from_word(word: &str) -> Option<CompareOp> {
        Some(match word {
            "in" => CompareOp::In,
            "nin" => CompareOp::Nin,
            "subsetof" => CompareOp::SubsetOf,
            "anyof" => CompareOp::AnyOf,
            "noneof" => CompareOp::NoneOf,
            "size" => CompareOp::Size,
            "empty" => CompareOp::Empty,
            "contains" => CompareOp::Contains,
            _ => return None,
        })
    }
}

/// A value in a filter expression or a function argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// `@...`: a path relative to the element being filtered (`@` alone is the element).
    Current(Vec<Segment>),
    /// `$...`: an absolute path (also `$$...` and `$var...`).
    Path(Path),
    /// A number, kept as written (a valid JSON number, e.g. `-1.5e3`).
    Number(String),
    /// `'text'` or `"text"`, escapes decoded.
    String(String),
    /// `true` / `false`
    Bool(bool),
    /// `null`
    Null,
    /// `/pattern/flags`; the pattern is kept as written (including any `\/`).
    Regex {
        /// The text between the slashes.
        pattern: String,
        /// Flag letters after the closing slash (e.g. `i`).
        flags: String,
    },
    /// `[a, b, ...]`: an array literal, for `in`, `nin`, `subsetof`, `anyof`, `noneof`.
    Array(Vec<Operand>),
}

/// Functions Jayway JsonPath knows; any other `name(` in a path is rejected.
pub const JAYWAY_FUNCTIONS: [&str; 13] =
    ["length", "size", "min", "max", "avg", "sum", "stddev", "keys", "first", "last", "index", "concat", "append"];

/// A syntax error in a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// Byte offset into the path string where the problem is.
    pub offset: usize,
    /// What is wrong, in words meant for the user.
    pub message: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for PathError {}

/// True when `s` starts with `$`: the ASL rule that decides, for a `.$` key, whether a value is a
/// path (or variable) rather than an intrinsic function call.
pub fn is_path_like(s: &str) -> bool {
    s.starts_with('$')
}

impl Path {
    /// Parses a complete path. The whole string must be the path: no surrounding whitespace.
    pub fn parse(s: &str) -> Result<Path, PathError> {
        let mut p = Parser::new(s);
        let path = p.path(Mode::Whole)?;
        match p.peek() {
            None => Ok(path),
            Some(c) if c.is_whitespace() => p.fail(p.pos, "unexpected whitespace in the path"),
            Some(c) => p.fail(p.pos, format!("unexpected character '{c}' in the path: expected '.' or '['")),
        }
    }

    /// Parses the path at the start of `s` and returns it with the number of bytes it spans.
    ///
    /// Used where a path is embedded in a larger text, such as an intrinsic function argument:
    /// dot-notation names additionally end at whitespace, `,` and `)`, and parsing stops at the
    /// first character that cannot continue the path. Error offsets are relative to `s`.
    pub fn parse_prefix(s: &str) -> Result<(Path, usize), PathError> {
        let mut p = Parser::new(s);
        let path = p.path(Mode::Embedded)?;
        Ok((path, p.pos))
    }

    /// Jayway "definite": every segment selects at most one node (fields, indexes and a trailing
    /// function). Any wildcard, slice, union, filter or descendant makes the path indefinite, and
    /// AWS then returns an array (possibly empty) instead of failing on a miss.
    pub fn is_definite(&self) -> bool {
        self.segments.iter().all(|s| matches!(s, Segment::Field(_) | Segment::Index(_) | Segment::Function { .. }))
    }

    /// An ASL Reference Path: definite and free of the operators `@ , : ?`, so only fields and
    /// indexes (names may still contain those characters through escapes or quoting).
    pub fn is_reference_path(&self) -> bool {
        self.segments.iter().all(|s| matches!(s, Segment::Field(_) | Segment::Index(_)))
    }
}

impl std::str::FromStr for Path {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Path, PathError> {
        Path::parse(s)
    }
}

// ---------------------------------------------------------------------------------------------
// Parser

/// Which characters end a dot-notation name, depending on where the path is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A whole field value: names end at `.`, `[` and `(`; whitespace is an error.
    Whole,
    /// Inside an intrinsic call: names also end at whitespace, `,` and `)`.
    Embedded,
    /// Inside a filter expression: names also end at whitespace, brackets, `,` and operators.
    Filter,
}

impl Mode {
    fn ends_name(self, c: char) -> bool {
        match c {
            '.' | '[' | '(' => true,
            ',' | ')' => self != Mode::Whole,
            ']' | '=' | '!' | '<' | '>' | '&' | '|' | '~' => self == Mode::Filter,
            _ => self != Mode::Whole && c.is_whitespace(),
        }
    }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

type PResult<T> = Result<T, PathError>;

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser { src, pos: 0, depth: 0 }
    }

    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_nth(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if !c.is_whitespace() {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn fail<T>(&self, offset: usize, message: impl Into<String>) -> PResult<T> {
        Err(PathError { offset, message: message.into() })
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return self.fail(self.pos, format!("the path nests brackets or parentheses more than {MAX_NESTING} deep"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// `$`, `$$` or `$name`, then segments.
    fn path(&mut self, mode: Mode) -> PResult<Path> {
        if !self.eat('$') {
            return self.fail(self.pos, "path must start with '$'");
        }
        let root = if self.eat('$') {
            Root::Context
        } else if self.peek().is_some_and(is_ident_start) {
            let start = self.pos;
            while self.peek().is_some_and(is_ident_continue) {
                self.bump();
            }
            Root::Variable(self.src[start..self.pos].to_string())
        } else {
            Root::Input
        };
        let segments = self.segments(mode)?;
        Ok(Path { root, segments })
    }

    fn segments(&mut self, mode: Mode) -> PResult<Vec<Segment>> {
        let mut segments = Vec::new();
        loop {
            let seg = match self.peek() {
                Some('.') => self.dot(mode)?,
                Some('[') => self.bracket()?,
                _ => break,
            };
            let is_function = matches!(seg, Segment::Function { .. });
            segments.push(seg);
            if is_function && matches!(self.peek(), Some('.' | '[')) {
                return self.fail(self.pos, "a function call such as length() must be the last segment of a path");
            }
        }
        Ok(segments)
    }

    /// `.name`, `.*`, `.[...]`, `.fn()` or a descendant `..x`.
    fn dot(&mut self, mode: Mode) -> PResult<Segment> {
        let dot = self.pos;
        self.pos += 1;
        if self.eat('.') {
            let inner = match self.peek() {
                Some('*') => {
                    self.pos += 1;
                    Segment::Wildcard
                }
                Some('[') => self.bracket()?,
                Some('.') => return self.fail(self.pos, "unexpected '.' after '..'"),
                _ => {
                    let name = self.name(mode, dot)?;
                    if self.peek() == Some('(') {
                        return self.fail(self.pos, "a function call cannot follow '..'");
                    }
                    Segment::Field(name)
                }
            };
            return Ok(Segment::Descendant(Box::new(inner)));
        }
        match self.peek() {
            Some('*') => {
                self.pos += 1;
                Ok(Segment::Wildcard)
            }
            Some('[') => self.bracket(),
            _ => {
                let name_start = self.pos;
                let name = self.name(mode, dot)?;
                if self.peek() == Some('(') { self.function(name, name_start) } else { Ok(Segment::Field(name)) }
            }
        }
    }

    /// A dot-notation name; `\` escapes the next character and `\uXXXX` is a UTF-16 escape.
    fn name(&mut self, mode: Mode, dot: usize) -> PResult<String> {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if c == '\\' {
                let backslash = self.pos;
                self.pos += 1;
                match self.peek() {
                    None => {
                        return self.fail(
                            backslash,
                            "dangling '\\' at the end of the path: a backslash must escape a character",
                        );
                    }
                    Some('u') if self.hex4_at(self.pos + 1).is_some() => {
                        name.push(self.unicode_escape(backslash)?);
                    }
                    Some(escaped) => {
                        name.push(escaped);
                        self.pos += escaped.len_utf8();
                    }
                }
            } else if mode.ends_name(c) {
                break;
            } else if c.is_whitespace() {
                return self.fail(
                    self.pos,
                    "whitespace is not allowed in a dot-notation name; use bracket notation such as ['my name']",
                );
            } else {
                name.push(c);
                self.pos += c.len_utf8();
            }
        }
        if name.is_empty() {
            return self.fail(dot, "empty field name after '.'");
        }
        Ok(name)
    }

    fn hex4_at(&self, at: usize) -> Option<u32> {
        let digits = self.src.get(at..at.checked_add(4)?)?;
        if digits.chars().all(|c| c.is_ascii_hexdigit()) { u32::from_str_radix(digits, 16).ok() } else { None }
    }

    /// At the `u` of `\uXXXX` (the backslash is at `backslash`); consumes one escape or a
    /// surrogate pair written as two escapes.
    fn unicode_escape(&mut self, backslash: usize) -> PResult<char> {
        let Some(unit) = self.hex4_at(self.pos + 1) else {
            return self.fail(backslash, "malformed \\u escape");
        };
        self.pos += 5;
        let code = match unit {
            0xD800..=0xDBFF => {
                let low = if self.rest().starts_with("\\u") { self.hex4_at(self.pos + 2) } else { None };
                match low {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        self.pos += 6;
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    _ => {
                        return self.fail(
                            backslash,
                            "unpaired UTF-16 surrogate: a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF escape",
                        );
                    }
                }
            }
            0xDC00..=0xDFFF => {
                return self.fail(
                    backslash,
                    "unpaired UTF-16 surrogate: a \\uDC00-\\uDFFF escape must follow a \\uD800-\\uDBFF escape",
                );
            }
            other => other,
        };
        match char::from_u32(code) {
            Some(c) => Ok(c),
            None => self.fail(backslash, "invalid \\u escape"),
        }
    }

    /// At `(` after a function name.
    fn function(&mut self, name: String, name_start: usize) -> PResult<Segment> {
        if !JAYWAY_FUNCTIONS.contains(&name.as_str()) {
            return self.fail(
                name_start,
                format!("unknown JSONPath function '{name}()'; known functions: {}", JAYWAY_FUNCTIONS.join(", ")),
            );
        }
        let open = self.pos;
        self.pos += 1;
        self.enter()?;
        let mut args = Vec::new();
        self.skip_ws();
        if !self.eat(')') {
            loop {
                args.push(self.operand()?);
                self.skip_ws();
                if self.eat(',') {
                    continue;
                }
                if self.eat(')') {
                    break;
                }
                return self.fail(
                    self.pos,
                    format!("expected ',' or ')' in the arguments of '{name}(' opened at offset {open}"),
                );
            }
        }
        self.leave();
        Ok(Segment::Function { name, args })
    }

    /// `[...]`: wildcard, filter, quoted names, indexes, unions or a slice.
    fn bracket(&mut self) -> PResult<Segment> {
        let open = self.pos;
        self.pos += 1;
        self.enter()?;
        self.skip_ws();
        let segment = match self.peek() {
            None => {
                return self.fail(open, format!("'[' at offset {open} is never closed"));
            }
            Some(']') => {
                return self.fail(
                    self.pos,
                    "empty brackets: expected a quoted name, an index, '*', a slice or a filter '?(...)'",
                );
            }
            Some('*') => {
                self.pos += 1;
                Segment::Wildcard
            }
            Some('?') => {
                self.pos += 1;
                self.skip_ws();
                let paren = self.pos;
                if !self.eat('(') {
                    return self.fail(self.pos, "expected '(' after '?': write a filter as [?(<expression>)]");
                }
                let expr = self.or_expr()?;
                self.skip_ws();
                if !self.eat(')') {
                    return self.fail(
                        self.pos,
                        format!("expected ')' to close the filter expression opened at offset {paren}"),
                    );
                }
                Segment::Filter(expr)
            }
            Some(':') => self.slice(None)?,
            Some('\'' | '"' | '-' | '0'..='9') => {
                let first = self.member()?;
                self.skip_ws();
                if let (UnionMember::Index(start), Some(':')) = (&first, self.peek()) {
                    let start = *start;
                    self.slice(Some(start))?
                } else {
                    let mut members = vec![first];
                    while self.eat(',') {
                        self.skip_ws();
                        members.push(self.member()?);
                        self.skip_ws();
                    }
                    if members.len() == 1 {
                        match members.pop() {
                            Some(UnionMember::Index(i)) => Segment::Index(i),
                            Some(UnionMember::Field(f)) => Segment::Field(f),
                            None => Segment::Union(members),
                        }
                    } else {
                        Segment::Union(members)
                    }
                }
            }
            Some(c) => {
                return self.fail(
                    self.pos,
                    format!(
                        "unexpected character '{c}' in brackets: expected a quoted name, an index, '*', a slice or a filter '?(...)'"
                    ),
                );
            }
        };
        self.skip_ws();
        if !self.eat(']') {
            return self.fail(self.pos, format!("expected ']' to close the bracket at offset {open}"));
        }
        self.leave();
        Ok(segment)
    }

    fn member(&mut self) -> PResult<UnionMember> {
        match self.peek() {
            Some(q @ ('\'' | '"')) => Ok(UnionMember::Field(self.quoted(q)?)),
            Some('-' | '0'..='9') => Ok(UnionMember::Index(self.integer()?)),
            _ => self.fail(self.pos, "expected a quoted name or an index"),
        }
    }

    /// At the first `:` of a slice; `start` was already read.
    fn slice(&mut self, start: Option<i64>) -> PResult<Segment> {
        self.pos += 1;
        self.skip_ws();
        let end = self.optional_integer()?;
        self.skip_ws();
        let mut step = None;
        if self.eat(':') {
            self.skip_ws();
            let step_at = self.pos;
            step = self.optional_integer()?;
            if step == Some(0) {
                return self.fail(step_at, "slice step must not be 0");
            }
        }
        Ok(Segment::Slice { start, end, step })
    }

    fn optional_integer(&mut self) -> PResult<Option<i64>> {
        match self.peek() {
            Some('-' | '0'..='9') => Ok(Some(self.integer()?)),
            _ => Ok(None),
        }
    }

    fn integer(&mut self) -> PResult<i64> {
        let start = self.pos;
        self.eat('-');
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            return self.fail(self.pos, "expected digits after '-'");
        }
        match self.src[start..self.pos].parse::<i64>() {
            Ok(n) => Ok(n),
            Err(_) => self.fail(start, "index is out of range"),
        }
    }

    /// A quoted string (bracket name or filter literal). See the module docs for escapes.
    fn quoted(&mut self, quote: char) -> PResult<String> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => {
                    return self.fail(open, format!("unterminated string: the quote at offset {open} is never closed"));
                }
                Some('\\') => match self.bump() {
                    None => {
                        return self
                            .fail(open, format!("unterminated string: the quote at offset {open} is never closed"));
                    }
                    Some(c) if c == quote || c == '\\' => out.push(c),
                    Some(c) => {
                        out.push('\\');
                        out.push(c);
                    }
                },
                Some(c) if c == quote => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    // --- filter expressions ------------------------------------------------------------------

    fn or_expr(&mut self) -> PResult<FilterExpr> {
        self.enter()?;
        let mut left = self.and_expr()?;
        loop {
            self.skip_ws();
            if !self.eat_str("||") {
                break;
            }
            let right = self.and_expr()?;
            left = FilterExpr::Or(Box::new(left), Box::new(right));
        }
        self.leave();
        Ok(left)
    }

    fn and_expr(&mut self) -> PResult<FilterExpr> {
        let mut left = self.unary()?;
        loop {
            self.skip_ws();
            if !self.eat_str("&&") {
                break;
            }
            let right = self.unary()?;
            left = FilterExpr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> PResult<FilterExpr> {
        self.skip_ws();
        if self.peek() == Some('!') && self.peek_nth(1) != Some('=') {
            self.pos += 1;
            self.enter()?;
            let inner = self.unary()?;
            self.leave();
            return Ok(FilterExpr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> PResult<FilterExpr> {
        self.skip_ws();
        if self.peek() == Some('(') {
            let open = self.pos;
            self.pos += 1;
            let inner = self.or_expr()?;
            self.skip_ws();
            if !self.eat(')') {
                return self.fail(self.pos, format!("expected ')' to close the parenthesis at offset {open}"));
            }
            return Ok(inner);
        }
        let left = self.operand()?;
        self.skip_ws();
        match self.operator()? {
            Some(op) => {
                self.skip_ws();
                let right = self.operand()?;
                Ok(FilterExpr::Compare { left, op, right })
            }
            None => Ok(FilterExpr::Exists(left)),
        }
    }

    fn operator(&mut self) -> PResult<Option<CompareOp>> {
        const SYMBOLS: [(&str, CompareOp); 7] = [
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("=~", CompareOp::Matches),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
        ];
        for (text, op) in SYMBOLS {
            if self.eat_str(text) {
                return Ok(Some(op));
            }
        }
        if self.peek() == Some('=') {
            return self.fail(self.pos, "'=' is not an operator: use '==' to compare");
        }
        let word_len: usize = self.rest().chars().take_while(|c| c.is_ascii_alphabetic()).map(char::len_utf8).sum();
        let word = &self.rest()[..word_len];
        match CompareOp::from_word(word) {
            Some(op) => {
                self.pos += word_len;
                Ok(Some(op))
            }
            None => Ok(None),
        }
    }

    fn operand(&mut self) -> PResult<Operand> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            Some('@') => {
                self.pos += 1;
                Ok(Operand::Current(self.segments(Mode::Filter)?))
            }
            Some('$') => Ok(Operand::Path(self.path(Mode::Filter)?)),
            Some(q @ ('\'' | '"')) => Ok(Operand::String(self.quoted(q)?)),
            Some('-' | '0'..='9') => Ok(Operand::Number(self.number()?)),
            Some('/') => self.regex(),
            Some('[') => self.array_literal(),
            Some('{') => self.fail(start, "object literals are not supported in filter expressions"),
            Some(c) if c.is_alphabetic() => {
                let len: usize = self.rest().chars().take_while(|c| is_ident_continue(*c)).map(char::len_utf8).sum();
                let word = &self.rest()[..len];
                let value = match word {
                    "true" => Operand::Bool(true),
                    "false" => Operand::Bool(false),
                    "null" => Operand::Null,
                    _ => {
                        return self.fail(
                            start,
                            format!("unknown word '{word}' in a filter expression: expected a value, '@...' or '$...'"),
                        );
                    }
                };
                self.pos += len;
                Ok(value)
            }
            None => self.fail(start, "unexpected end of the path: expected a value in the filter expression"),
            Some(c) => self.fail(
                start,
                format!("unexpected character '{c}' in a filter expression: expected a value, '@...' or '$...'"),
            ),
        }
    }

    /// A JSON number, returned as written.
    fn number(&mut self) -> PResult<String> {
        let start = self.pos;
        self.eat('-');
        if !self.digits() {
            return self.fail(self.pos, "expected a digit in the number");
        }
        if self.eat('.') && !self.digits() {
            return self.fail(self.pos, "expected a digit after the decimal point");
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.pos += 1;
            if !self.eat('+') {
                self.eat('-');
            }
            if !self.digits() {
                return self.fail(self.pos, "expected a digit in the exponent");
            }
        }
        Ok(self.src[start..self.pos].to_string())
    }

    fn digits(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn regex(&mut self) -> PResult<Operand> {
        let open = self.pos;
        self.pos += 1;
        let mut pattern = String::new();
        loop {
            match self.bump() {
                None => {
                    return self.fail(
                        open,
                        format!("unterminated regular expression: the '/' at offset {open} is never closed"),
                    );
                }
                Some('\\') => {
                    pattern.push('\\');
                    match self.bump() {
                        Some(c) => pattern.push(c),
                        None => {
                            return self.fail(
                                open,
                                format!("unterminated regular expression: the '/' at offset {open} is never closed"),
                            );
                        }
                    }
                }
                Some('/') => break,
                Some(c) => pattern.push(c),
            }
        }
        let mut flags = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_alphabetic) {
            flags.push(c);
            self.pos += 1;
        }
        Ok(Operand::Regex { pattern, flags })
    }

    fn array_literal(&mut self) -> PResult<Operand> {
        let open = self.pos;
        self.pos += 1;
        self.enter()?;
        let mut items = Vec::new();
        self.skip_ws();
        if !self.eat(']') {
            loop {
                items.push(self.operand()?);
                self.skip_ws();
                if self.eat(',') {
                    continue;
                }
                if self.eat(']') {
                    break;
                }
                return self
                    .fail(self.pos, format!("expected ',' or ']' in the array literal opened at offset {open}"));
            }
        }
        self.leave();
        Ok(Operand::Array(items))
    }
}

// ---------------------------------------------------------------------------------------------
// Display: canonical text that parses back to the same value.

/// Whether `name` can be written as `.name` (and parsed back in every mode).
fn is_simple_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("'")?;
    for c in s.chars() {
        if c == '\'' || c == '\\' {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("'")
}

fn write_bracket(f: &mut fmt::Formatter<'_>, segment: &Segment) -> fmt::Result {
    match segment {
        Segment::Field(name) => {
            f.write_str("[")?;
            write_quoted(f, name)?;
            f.write_str("]")
        }
        Segment::Index(i) => write!(f, "[{i}]"),
        Segment::Wildcard => f.write_str("[*]"),
        Segment::Slice { start, end, step } => {
            f.write_str("[")?;
            if let Some(s) = start {
                write!(f, "{s}")?;
            }
            f.write_str(":")?;
            if let Some(e) = end {
                write!(f, "{e}")?;
            }
            if let Some(s) = step {
                write!(f, ":{s}")?;
            }
            f.write_str("]")
        }
        Segment::Union(members) => {
            f.write_str("[")?;
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                match m {
                    UnionMember::Index(n) => write!(f, "{n}")?,
                    UnionMember::Field(name) => write_quoted(f, name)?,
                }
            }
            f.write_str("]")
        }
        Segment::Filter(expr) => write!(f, "[?({expr})]"),
        // Not expressible in brackets; fall back to the dotted form.
        Segment::Descendant(_) | Segment::Function { .. } => write!(f, "{segment}"),
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Field(name) if is_simple_name(name) => write!(f, ".{name}"),
            Segment::Wildcard => f.write_str(".*"),
            Segment::Descendant(inner) => match inner.as_ref() {
                Segment::Field(name) if is_simple_name(name) => write!(f, "..{name}"),
                Segment::Wildcard => f.write_str("..*"),
                other => {
                    f.write_str("..")?;
                    write_bracket(f, other)
                }
            },
            Segment::Function { name, args } => {
                write!(f, ".{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
            other => write_bracket(f, other),
        }
    }
}

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Root::Input => f.write_str("$"),
            Root::Context => f.write_str("$$"),
            Root::Variable(name) => write!(f, "${name}"),
        }
    }
}

/// Canonical text: `$.a.b[0]`, with names that are not simple identifiers bracket-quoted
/// (`$['my key']`). Parsing the output gives back an equal [`Path`].
impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.root)?;
        for s in &self.segments {
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Current(segments) => {
                f.write_str("@")?;
                for s in segments {
                    write!(f, "{s}")?;
                }
                Ok(())
            }
            Operand::Path(p) => write!(f, "{p}"),
            Operand::Number(raw) => f.write_str(raw),
            Operand::String(s) => write_quoted(f, s),
            Operand::Bool(b) => write!(f, "{b}"),
            Operand::Null => f.write_str("null"),
            Operand::Regex { pattern, flags } => write!(f, "/{pattern}/{flags}"),
            Operand::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl fmt::Display for FilterExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FilterExpr::Or(a, b) => write!(f, "{a} || {b}"),
            FilterExpr::And(a, b) => {
                for (i, side) in [a, b].into_iter().enumerate() {
                    if i > 0 {
                        f.write_str(" && ")?;
                    }
                    if matches!(side.as_ref(), FilterExpr::Or(..)) {
                        write!(f, "({side})")?;
                    } else {
                        write!(f, "{side}")?;
                    }
                }
                Ok(())
            }
            FilterExpr::Not(inner) => match inner.as_ref() {
                FilterExpr::Exists(_) | FilterExpr::Not(_) => write!(f, "!{inner}"),
                _ => write!(f, "!({inner})"),
            },
            FilterExpr::Compare { left, op, right } => {
                write!(f, "{left} {} {right}", op.as_str())
            }
            FilterExpr::Exists(o) => write!(f, "{o}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(s: &str) -> Segment {
        Segment::Field(s.to_string())
    }

    fn parse(s: &str) -> Path {
        match Path::parse(s) {
            Ok(p) => p,
            Err(e) => panic!("{s:?} failed to parse: {e}"),
        }
    }

    fn err(s: &str) -> PathError {
        match Path::parse(s) {
            Ok(p) => panic!("{s:?} parsed unexpectedly as {p:?}"),
            Err(e) => e,
        }
    }

    fn cur(segments: Vec<Segment>) -> Operand {
        Operand::Current(segments)
    }

    #[test]
    fn roots() {
        assert_eq!(parse("$"), Path { root: Root::Input, segments: vec![] });
        assert_eq!(parse("$$"), Path { root: Root::Context, segments: vec![] });
        let p = parse("$$.Execution.Input");
        assert_eq!(p.root, Root::Context);
        assert_eq!(p.segments, vec![field("Execution"), field("Input")]);
        let v = parse("$myVar.field[0]");
        assert_eq!(v.root, Root::Variable("myVar".into()));
        assert_eq!(v.segments, vec![field("field"), Segment::Index(0)]);
        assert_eq!(parse("$_x1").root, Root::Variable("_x1".into()));
        assert_eq!(parse("$données").root, Root::Variable("données".into()));
    }

    #[test]
    fn dot_and_bracket_fields() {
        assert_eq!(
            parse("$.store.book[0].title").segments,
            vec![field("store"), field("book"), Segment::Index(0), field("title")]
        );
        assert_eq!(parse("$['store'][0][\"book\"]").segments, vec![field("store"), Segment::Index(0), field("book")]);
        assert_eq!(parse("$.abc.['def ghi']").segments, vec![field("abc"), field("def ghi")]);
        assert_eq!(parse("$[ 'a b' ][ -1 ]").segments, vec![field("a b"), Segment::Index(-1)]);
        assert_eq!(parse("$.delivery-partner").segments, vec![field("delivery-partner")]);
    }

    #[test]
    fn spec_reference_path_examples() {
        let p = parse(r"$.store\.book");
        assert_eq!(p.segments, vec![field("store.book")]);
        assert!(p.is_reference_path());

        let p = parse(r"$.foo\@bar.baz\[\[.\?pretty");
        assert_eq!(p.segments, vec![field("foo@bar"), field("baz[["), field("?pretty")]);
        assert!(p.is_reference_path());

        // As it arrives after JSON decoding ...
        let p = parse("$.&Ж中.\u{10346}");
        assert_eq!(p.segments, vec![field("&Ж中"), field("\u{10346}")]);
        assert!(p.is_reference_path());
        // ... and written with escapes in the path text itself.
        let p = parse(r"$.&Ж中.\uD800\uDF46");
        assert_eq!(p.segments, vec![field("&Ж中"), field("\u{10346}")]);

        let p = parse("$['store'][0]['book']");
        assert!(p.is_reference_path());
        assert!(p.is_definite());
    }

    #[test]
    fn quoted_name_escapes() {
        assert_eq!(parse(r"$['it\'s']").segments, vec![field("it's")]);
        assert_eq!(parse(r#"$["a\"b"]"#).segments, vec![field("a\"b")]);
        assert_eq!(parse(r"$['a\\b']").segments, vec![field(r"a\b")]);
        // AWS-recorded: other escapes stay verbatim.
        assert_eq!(parse(r#"$['Test\""Name"']"#).segments, vec![field(r#"Test\""Name""#)]);
        assert_eq!(parse("$['a]b']").segments, vec![field("a]b")]);
    }

    #[test]
    fn wildcards_slices_unions_descendants() {
        assert_eq!(parse("$.*").segments, vec![Segment::Wildcard]);
        assert_eq!(parse("$.items[*].v").segments, vec![field("items"), Segment::Wildcard, field("v")]);
        let slice = |start, end, step| Segment::Slice { start, end, step };
        assert_eq!(parse("$[1:5]").segments, vec![slice(Some(1), Some(5), None)]);
        assert_eq!(parse("$[:2]").segments, vec![slice(None, Some(2), None)]);
        assert_eq!(parse("$[-2:]").segments, vec![slice(Some(-2), None, None)]);
        assert_eq!(parse("$[::2]").segments, vec![slice(None, None, Some(2))]);
        assert_eq!(parse("$[ 1 : 5 : 2 ]").segments, vec![slice(Some(1), Some(5), Some(2))]);
        assert_eq!(
            parse("$.a[0,1]").segments,
            vec![field("a"), Segment::Union(vec![UnionMember::Index(0), UnionMember::Index(1)])]
        );
        assert_eq!(
            parse("$['a', \"b\"]").segments,
            vec![Segment::Union(vec![UnionMember::Field("a".into()), UnionMember::Field("b".into())])]
        );
        assert_eq!(parse("$..name").segments, vec![Segment::Descendant(Box::new(field("name")))]);
        assert_eq!(parse("$..*").segments, vec![Segment::Descendant(Box::new(Segment::Wildcard))]);
        assert_eq!(parse("$.a..[0]").segments, vec![field("a"), Segment::Descendant(Box::new(Segment::Index(0)))]);
    }

    #[test]
    fn definiteness_and_reference_paths() {
        for s in ["$", "$$", "$.a", "$.a[0]", "$['a'][-1]", "$x.y", "$$.Map.Item.Value"] {
            let p = parse(s);
            assert!(p.is_definite(), "{s}");
            assert!(p.is_reference_path(), "{s}");
        }
        for s in ["$.a[*]", "$.*", "$[1:2]", "$[0,1]", "$..a", "$[?(@.a)]", "$['a','b']"] {
            let p = parse(s);
            assert!(!p.is_definite(), "{s}");
            assert!(!p.is_reference_path(), "{s}");
        }
        let f = parse("$.items.length()");
        assert!(f.is_definite());
        assert!(!f.is_reference_path());
    }

    #[test]
    fn filters() {
        let p = parse("$.book[?(@.price < 10 && @.isbn)]");
        let expected = FilterExpr::And(
            Box::new(FilterExpr::Compare {
                left: cur(vec![field("price")]),
                op: CompareOp::Lt,
                right: Operand::Number("10".into()),
            }),
            Box::new(FilterExpr::Exists(cur(vec![field("isbn")]))),
        );
        assert_eq!(p.segments, vec![field("book"), Segment::Filter(expected)]);

        let p = parse("$[?(@.a == 'x' || !(@.b >= -1.5e2) && @['c d'] != \"y\")]");
        let Segment::Filter(FilterExpr::Or(left, right)) = &p.segments[0] else {
            panic!("unexpected {p:?}");
        };
        assert_eq!(
            **left,
            FilterExpr::Compare { left: cur(vec![field("a")]), op: CompareOp::Eq, right: Operand::String("x".into()) }
        );
        let FilterExpr::And(not, ne) = right.as_ref() else {
            panic!("unexpected {right:?}");
        };
        assert_eq!(
            **not,
            FilterExpr::Not(Box::new(FilterExpr::Compare {
                left: cur(vec![field("b")]),
                op: CompareOp::Ge,
                right: Operand::Number("-1.5e2".into())
            }))
        );
        assert_eq!(
            **ne,
            FilterExpr::Compare {
                left: cur(vec![field("c d")]),
                op: CompareOp::Ne,
                right: Operand::String("y".into())
            }
        );
    }

    #[test]
    fn filter_operators_and_literals() {
        let cases: [(&str, CompareOp, Operand); 9] = [
            (
                "$[?(@.a in ['x', 'y'])]",
                CompareOp::In,
                Operand::Array(vec![Operand::String("x".into()), Operand::String("y".into())]),
            ),
            (
                "$[?(@.a nin [1,2])]",
                CompareOp::Nin,
                Operand::Array(vec![Operand::Number("1".into()), Operand::Number("2".into())]),
            ),
            ("$[?(@.a subsetof [])]", CompareOp::SubsetOf, Operand::Array(vec![])),
            ("$[?(@.a anyof [true])]", CompareOp::AnyOf, Operand::Array(vec![Operand::Bool(true)])),
            ("$[?(@.a noneof [null])]", CompareOp::NoneOf, Operand::Array(vec![Operand::Null])),
            ("$[?(@.a size 3)]", CompareOp::Size, Operand::Number("3".into())),
            ("$[?(@.a empty false)]", CompareOp::Empty, Operand::Bool(false)),
            (
                "$[?(@.a =~ /^ab\\/c.*/i)]",
                CompareOp::Matches,
                Operand::Regex { pattern: "^ab\\/c.*".into(), flags: "i".into() },
            ),
            (
                "$[?(@.a == $.limit)]",
                CompareOp::Eq,
                Operand::Path(Path { root: Root::Input, segments: vec![field("limit")] }),
            ),
        ];
        for (text, op, right) in cases {
            let p = parse(text);
            assert_eq!(
                p.segments,
                vec![Segment::Filter(FilterExpr::Compare { left: cur(vec![field("a")]), op, right })],
                "{text}"
            );
        }
    }

    #[test]
    fn filter_functions_and_bare_current() {
        let p = parse("$[?(@.length() > 2)]");
        assert_eq!(
            p.segments,
            vec![Segment::Filter(FilterExpr::Compare {
                left: cur(vec![Segment::Function { name: "length".into(), args: vec![] }]),
                op: CompareOp::Gt,
                right: Operand::Number("2".into()),
            })]
        );
        let p = parse("$[?(@ > 3)]");
        assert_eq!(
            p.segments,
            vec![Segment::Filter(FilterExpr::Compare {
                left: cur(vec![]),
                op: CompareOp::Gt,
                right: Operand::Number("3".into()),
            })]
        );
        let p = parse("$.a.concat('x', @.b)");
        assert_eq!(
            p.segments[1],
            Segment::Function { name: "concat".into(), args: vec![Operand::String("x".into()), cur(vec![field("b")])] }
        );
    }

    #[test]
    fn errors_carry_offsets() {
        let e = err("a.b");
        assert_eq!((e.offset, e.message.as_str()), (0, "path must start with '$'"));
        let e = err("");
        assert_eq!(e.offset, 0);
        let e = err("$.a.");
        assert_eq!((e.offset, e.message.as_str()), (3, "empty field name after '.'"));
        let e = err("$.");
        assert_eq!(e.offset, 1);
        let e = err("$.a[0");
        assert_eq!(e.offset, 5);
        assert_eq!(e.message, "expected ']' to close the bracket at offset 3");
        let e = err("$['abc");
        assert_eq!(e.offset, 2);
        assert!(e.message.starts_with("unterminated string"), "{}", e.message);
        let e = err("$[]");
        assert_eq!(e.offset, 2);
        assert!(e.message.starts_with("empty brackets"));
        let e = err("$.a b");
        assert_eq!(e.offset, 3);
        assert!(e.message.contains("bracket notation"));
        let e = err("$.a\\");
        assert_eq!(e.offset, 3);
        assert!(e.message.starts_with("dangling"));
        let e = err("$[1::0]");
        assert_eq!((e.offset, e.message.as_str()), (5, "slice step must not be 0"));
        let e = err("$...a");
        assert_eq!(e.offset, 3);
        let e = err("$[?(@.a = 1)]");
        assert_eq!(e.offset, 8);
        assert!(e.message.contains("'=='"));
        let e = err("$[?(@.a == 1]");
        assert_eq!(e.offset, 12);
        assert!(e.message.contains("filter expression opened at offset 3"));
        let e = err("$.a.foo()");
        assert_eq!(e.offset, 4);
        assert!(e.message.starts_with("unknown JSONPath function 'foo()'"));
        let e = err("$.a.length().b");
        assert_eq!(e.offset, 12);
        let e = err("$[abc]");
        assert_eq!(e.offset, 2);
        let e = err("$1");
        assert_eq!(e.offset, 1);
        assert!(e.message.contains("'1'"));
        let e = err("$ ");
        assert_eq!((e.offset, e.message.as_str()), (1, "unexpected whitespace in the path"));
        let e = err(r"$.\uD800x");
        assert_eq!(e.offset, 2);
        assert!(e.message.starts_with("unpaired UTF-16 surrogate"));
        let e = err("$[99999999999999999999]");
        assert_eq!((e.offset, e.message.as_str()), (2, "index is out of range"));
        let e = err("$[?(@.a in [1, 2)]");
        assert!(e.message.contains("array literal opened at offset 11"));
    }

    #[test]
    fn parse_prefix_stops_at_argument_delimiters() {
        let (p, n) = Path::parse_prefix("$.a.b, 'x')").unwrap();
        assert_eq!(n, 5);
        assert_eq!(p.segments, vec![field("a"), field("b")]);
        let (p, n) = Path::parse_prefix("$.a[0,1])").unwrap();
        assert_eq!(n, 8);
        assert!(!p.is_definite());
        let (p, n) = Path::parse_prefix("$.abc.['def ghi'] )").unwrap();
        assert_eq!(n, 17);
        assert_eq!(p.segments, vec![field("abc"), field("def ghi")]);
        let (p, n) = Path::parse_prefix("$var,").unwrap();
        assert_eq!((p.root, n), (Root::Variable("var".into()), 4));
        let (p, n) = Path::parse_prefix("$)").unwrap();
        assert_eq!((p.segments.len(), n), (0, 1));
        let e = Path::parse_prefix("$.,").unwrap_err();
        assert_eq!(e.offset, 1);
    }

    #[test]
    fn display_round_trips() {
        let cases = [
            ("$", "$"),
            ("$$", "$$"),
            ("$.a.b[0]", "$.a.b[0]"),
            ("$['a']['b'][0]", "$.a.b[0]"),
            ("$['a b'].c", "$['a b'].c"),
            (r"$.store\.book", "$['store.book']"),
            (r"$['it\'s']", r"$['it\'s']"),
            ("$v.x", "$v.x"),
            ("$$.Execution.Id", "$$.Execution.Id"),
            ("$[*].a", "$.*.a"),
            ("$..a..*..['x y']..[0]", "$..a..*..['x y']..[0]"),
            ("$[1:5][:2][-2:][::2]", "$[1:5][:2][-2:][::2]"),
            ("$[0, 1]['a','b']", "$[0,1]['a','b']"),
            ("$[?(@.price<10&&@.isbn)]", "$[?(@.price < 10 && @.isbn)]"),
            ("$[?((@.a || @.b) && !@.c)]", "$[?((@.a || @.b) && !@.c)]"),
            ("$[?(!(@.a == 1))]", "$[?(!(@.a == 1))]"),
            ("$[?(@.a in ['x',\"y\"])]", "$[?(@.a in ['x', 'y'])]"),
            ("$[?(@.a =~ /x.*/i)]", "$[?(@.a =~ /x.*/i)]"),
            ("$.a.length()", "$.a.length()"),
            ("$['Test\\\"\"Name\"']", "$['Test\\\\\"\"Name\"']"),
        ];
        for (input, canonical) in cases {
            let p = parse(input);
            assert_eq!(p.to_string(), canonical, "{input}");
            assert_eq!(parse(canonical), p, "{canonical}");
        }
    }

    #[test]
    fn corpus_paths_parse() {
        // A representative set of paths from the valid fixtures and AWS-recorded conformance cases.
        for s in [
            "$",
            "$$",
            "$$.Execution.Input.input-value",
            "$$.Map.Item.Value.innerJobs",
            "$$.State.RetryCount",
            "$.books[-2]",
            "$.item.items[1:5].itemValue",
            "$.items[:1].itemValue",
            "$.vals[3:]",
            "$['x-datum']",
            "$[0]",
            "$constant_obj.in_obj_constant_lst",
            "$.input-foo-bar",
            "$.items[*].itemValue",
        ] {
            assert!(Path::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn is_path_like_checks_dollar() {
        assert!(is_path_like("$.a"));
        assert!(is_path_like("$$"));
        assert!(!is_path_like("States.UUID()"));
        assert!(!is_path_like(" $.a"));
    }

    #[test]
    fn garbage_never_panics() {
        let pieces = [
            "$",
            "$$",
            ".",
            "..",
            "[",
            "]",
            "(",
            ")",
            "?(",
            "@",
            "'",
            "\"",
            "\\",
            "\\u",
            "\\uD800",
            "*",
            ":",
            ",",
            "-",
            "1",
            "a",
            " ",
            "==",
            "=~",
            "/",
            "&&",
            "||",
            "!",
            "in",
            "é",
            "中",
            "{",
            "length()",
            "[?(",
            "e5",
            "\u{10346}",
        ];
        let mut count = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    let _ = Path::parse(&s);
                    let _ = Path::parse_prefix(&s);
                    let s2 = format!("$[?({a}{b}{c}");
                    let _ = Path::parse(&s2);
                    count += 1;
                }
            }
        }
        assert_eq!(count, pieces.len().pow(3));
        // Deep nesting is an error, not a stack overflow.
        let deep = format!("$[?({}@.a{})]", "(".repeat(10_000), ")".repeat(10_000));
        let e = Path::parse(&deep).unwrap_err();
        assert!(e.message.contains("more than 64 deep"));
        let deep = format!("$[?(@.a in {}1{})]", "[".repeat(10_000), "]".repeat(10_000));
        assert!(Path::parse(&deep).is_err());
        // Any error offset lies inside the input (or at its end).
        for s in ["$['a", "$.", "$[?(@.a ==", "$.a\\", "x"] {
            let e = Path::parse(s).unwrap_err();
            assert!(e.offset <= s.len(), "{s}");
        }
    }
}
