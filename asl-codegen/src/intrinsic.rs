//! Intrinsic function calls of JSONPath-mode ASL, such as `States.Format('x{}', $.a)`.
//!
//! They appear as the value of a `.$` key in a payload template (and in `Assign`, Fail
//! `ErrorPath`/`CausePath`) whenever the value does not start with `$`. [`parse`] turns the text
//! into a [`Call`] tree; [`validate`] applies every static rule that can be checked without the
//! input: known function name, arity, kinds of literal arguments and of nested calls' results,
//! `States.Format` placeholder counts, the `States.Hash` algorithm, the `States.JsonMerge` shallow
//! flag, and the nesting limit of 10 calls.
//!
//! The text given to [`parse`] is the already JSON-decoded string, so `'Hello\nWorld'` written in
//! the JSON file arrives with a real newline. Inside single-quoted literals the only escapes are
//! `\'`, `\{`, `\}` and `\\`; any other backslash is an "open escape" and is rejected.

use crate::jsonpath::{Path, Root};
use std::fmt;

/// Most calls that may be nested inside one another in one field (AWS quota).
pub const MAX_NESTING: usize = 10;

/// Hard limit while parsing, far above [`MAX_NESTING`]; protects the stack from hostile input.
const MAX_PARSE_DEPTH: usize = 64;

/// Longest string AWS accepts for `States.Base64Encode`, `States.Base64Decode` and `States.Hash`.
pub const MAX_ENCODED_STRING_CHARS: usize = 10_000;

/// Most elements `States.ArrayRange` may produce.
pub const MAX_ARRAY_RANGE_ELEMENTS: usize = 1000;

/// The 18 intrinsic functions AWS Step Functions provides.
pub const FUNCTION_NAMES: [&str; 18] = [
    "States.Format",
    "States.StringToJson",
    "States.JsonToString",
    "States.Array",
    "States.ArrayPartition",
    "States.ArrayContains",
    "States.ArrayRange",
    "States.ArrayGetItem",
    "States.ArrayLength",
    "States.ArrayUnique",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.JsonMerge",
    "States.MathRandom",
    "States.MathAdd",
    "States.StringSplit",
    "States.UUID",
];

/// Algorithms `States.Hash` accepts.
pub const HASH_ALGORITHMS: [&str; 5] = ["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

/// One intrinsic function call, e.g. `States.Format('{}', $.a)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Function name as written, e.g. `States.Format`.
    pub name: String,
    /// Byte offset of the name in the source string.
    pub name_offset: usize,
    /// Arguments in order.
    pub args: Vec<Arg>,
    /// Byte offset where the call starts (the first character of its name). For the top-level
    /// call returned by [`parse`], a non-zero offset means the text had leading whitespace.
    pub offset: usize,
    /// Byte offset just past the closing `)`.
    pub end: usize,
}

/// One argument of a [`Call`]. Every variant records the byte offset where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// `'text'`: a string literal.
    String {
        /// The decoded text (`\'` → `'`, `\{` → `{`, `\}` → `}`, `\\` → `\`).
        value: String,
        /// The text between the quotes as written, escapes included. `States.Format` needs it:
        /// an escaped brace is a literal brace, not part of a `{}` placeholder
        /// (see [`split_format_literal`]).
        raw: String,
        /// Offset of the opening quote.
        offset: usize,
    },
    /// A number literal, kept as written (a valid JSON number, optional leading `-`).
    Number {
        /// The literal text.
        raw: String,
        /// Offset of its first character.
        offset: usize,
    },
    /// `true` or `false`, and its offset.
    Bool(bool, usize),
    /// `null`, and its offset.
    Null(usize),
    /// A path: `$...`, `$$...` or `$var...`.
    Path {
        /// The parsed path.
        path: Path,
        /// The path as written.
        text: String,
        /// Offset of its `$`.
        offset: usize,
    },
    /// A nested intrinsic call.
    Call(Call),
}

impl Arg {
    /// Byte offset where the argument starts in the source string.
    pub fn offset(&self) -> usize {
        match self {
            Arg::String { offset, .. }
            | Arg::Number { offset, .. }
            | Arg::Bool(_, offset)
            | Arg::Null(offset)
            | Arg::Path { offset, .. } => *offset,
            Arg::Call(call) => call.offset,
        }
    }
}

/// A problem in an intrinsic call, from [`parse`] or [`validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrinsicError {
    /// Byte offset into the source string where the problem is.
    pub offset: usize,
    /// What is wrong, in words meant for the user.
    pub message: String,
    /// True when only the ASL specification forbids this and AWS is known to accept it at run
    /// time (e.g. an object passed to `States.Format`, which AWS renders as `{key=value}`).
    /// Callers may report these as warnings.
    pub spec_only: bool,
}

impl IntrinsicError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        IntrinsicError { offset, message: message.into(), spec_only: false }
    }

    fn spec_only(offset: usize, message: impl Into<String>) -> Self {
        IntrinsicError { offset, message: message.into(), spec_only: true }
    }
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for IntrinsicError {}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_'
}

/// True when `s` has the shape `Name(` with `Name` made of `[A-Za-z0-9._]`: the quick test that
/// tells an intrinsic call from other text. No leading whitespace is allowed.
pub fn looks_like_call(s: &str) -> bool {
    let name_len = s.chars().take_while(|c| is_name_char(*c)).count();
    name_len > 0 && s[name_len..].starts_with('(')
}

/// Parses `s` as exactly one intrinsic call; whitespace around it and between arguments is
/// allowed. Only syntax is checked here; see [`validate`] for the static rules.
pub fn parse(s: &str) -> Result<Call, IntrinsicError> {
    let mut p = Parser { src: s, pos: 0, depth: 0 };
    p.skip_ws();
    if p.peek().is_none() {
        return Err(IntrinsicError::new(
            p.pos,
            "expected an intrinsic function call such as States.Format('...', $.x)",
        ));
    }
    let call = p.call()?;
    p.skip_ws();
    if p.peek().is_some() {
        return Err(IntrinsicError::new(p.pos, "unexpected text after the end of the intrinsic function call"));
    }
    Ok(call)
}

/// [`parse`] then [`validate`], also rejecting whitespace after the call (statelint only accepts
/// `^States\.<Name>\(.*\)$`). Returns the call, or every problem found.
pub fn parse_and_validate(s: &str) -> Result<Call, Vec<IntrinsicError>> {
    let call = parse(s).map_err(|e| vec![e])?;
    let mut errors = validate(&call);
    if call.end < s.len() {
        errors.push(IntrinsicError::new(call.end, "trailing whitespace after the intrinsic function call"));
    }
    if errors.is_empty() { Ok(call) } else { Err(errors) }
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

type PResult<T> = Result<T, IntrinsicError>;

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|r| r.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn fail<T>(&self, offset: usize, message: impl Into<String>) -> PResult<T> {
        Err(IntrinsicError::new(offset, message))
    }

    fn call(&mut self) -> PResult<Call> {
        let start = self.pos;
        while self.peek().is_some_and(is_name_char) {
            self.pos += 1;
        }
        let name = self.src[start..self.pos].to_string();
        if name.is_empty() {
            return match self.peek() {
                Some('$') => {
                    self.fail(start, "expected an intrinsic function call, found a path (paths start with '$')")
                }
                _ => self.fail(start, "expected an intrinsic function name such as States.Format"),
            };
        }
        if self.peek() != Some('(') {
            return self.fail(self.pos, format!("expected '(' after the function name '{name}'"));
        }
        self.pos += 1;
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return self.fail(start, format!("intrinsic calls are nested more than {MAX_PARSE_DEPTH} deep"));
        }
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            loop {
                args.push(self.arg()?);
                self.skip_ws();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    None => {
                        return self.fail(
                            self.pos,
                            format!(
                                "unexpected end of input: the call to '{name}' at offset {start} is missing its closing ')'"
                            ),
                        );
                    }
                    Some(c) => {
                        return self.fail(
                            self.pos,
                            format!("expected ',' or ')' after argument {} of '{name}', found '{c}'", args.len()),
                        );
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(Call { name, name_offset: start, args, offset: start, end: self.pos })
    }

    fn arg(&mut self) -> PResult<Arg> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            None => self.fail(start, "unexpected end of input: expected an argument"),
            Some('\'') => self.string(),
            Some('$') => {
                let rest = self.src.get(start..).unwrap_or("");
                match Path::parse_prefix(rest) {
                    Ok((path, len)) => {
                        self.pos += len;
                        Ok(Arg::Path {
                            path,
                            text: rest[..len].to_string(),
                            offset: start,
                        })
                    }
                    Err(e) => self.fail(
                        start + e.offset,
                        format!("invalid path argument: {}", e.message),
                    ),
                }
            }
            Some('-' | '0'..='9') => self.number(),
            Some(',' | ')') => self.fail(start, "missing argument"),
            Some('"') => self.fail(
                start,
                "string literals in intrinsic functions use single quotes, not double quotes",
            ),
            Some(c) if c.is_ascii_alphabetic() => {
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                let word = &self.src[start..self.pos];
                if self.peek() == Some('(') {
                    self.pos = start;
                    return Ok(Arg::Call(self.call()?));
                }
                match word {
                    "true" => Ok(Arg::Bool(true, start)),
                    "false" => Ok(Arg::Bool(false, start)),
                    "null" => Ok(Arg::Null(start)),
                    _ => self.fail(
                        start,
                        format!(
                            "unknown argument '{word}': expected a string in single quotes, a number, true, false, null, a path starting with '$' or an intrinsic function call"
                        ),
                    ),
                }
            }
            Some(c) => self.fail(
                start,
                format!(
                    "unexpected character '{c}': expected a string in single quotes, a number, true, false, null, a path starting with '$' or an intrinsic function call"
                ),
            ),
        }
    }

    fn string(&mut self) -> PResult<Arg> {
        let open = self.pos;
        self.pos += 1;
        let raw_start = self.pos;
        let mut value = String::new();
        loop {
            let at = self.pos;
            match self.bump() {
                None => {
                    return self.fail(
                        open,
                        format!("unterminated string literal: the quote at offset {open} is never closed"),
                    );
                }
                Some('\'') => break,
                Some('\\') => match self.bump() {
                    Some(c @ ('\'' | '{' | '}' | '\\')) => value.push(c),
                    None => {
                        return self.fail(
                            open,
                            format!("unterminated string literal: the quote at offset {open} is never closed"),
                        );
                    }
                    Some(c) => {
                        return self.fail(
                            at,
                            format!(
                                "invalid escape '\\{c}' (an open escape): inside an intrinsic string only \\', \\{{, \\}} and \\\\ are allowed"
                            ),
                        );
                    }
                },
                Some(c) => value.push(c),
            }
        }
        Ok(Arg::String { value, raw: self.src[raw_start..self.pos - 1].to_string(), offset: open })
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> PResult<Arg> {
        let start = self.pos;
        let malformed = |p: &Self| {
            p.fail(start, "malformed number: expected digits with an optional leading '-', fraction and exponent")
        };
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        match self.peek() {
            Some('0') => self.pos += 1,
            Some('1'..='9') => self.digits(),
            _ => return malformed(self),
        }
        if self.peek() == Some('.') {
            self.pos += 1;
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return malformed(self);
            }
            self.digits();
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
                return malformed(self);
            }
            self.digits();
        }
        if self.peek().is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_') {
            return malformed(self);
        }
        Ok(Arg::Number { raw: self.src[start..self.pos].to_string(), offset: start })
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// States.Format templates

/// A piece of a `States.Format` template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatPiece {
    /// Literal text, escapes decoded.
    Text(String),
    /// A `{}` placeholder, replaced by the next value argument.
    Placeholder,
}

/// Splits a format string *literal* into text and placeholders. `raw` is [`Arg::String`]'s
/// `raw` (escapes undecoded): `\{` and `\}` are literal braces and never form a placeholder.
pub fn split_format_literal(raw: &str) -> Vec<FormatPiece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => text.push(escaped),
                None => text.push('\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                if !text.is_empty() {
                    pieces.push(FormatPiece::Text(std::mem::take(&mut text)));
                }
                pieces.push(FormatPiece::Placeholder);
            }
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        pieces.push(FormatPiece::Text(text));
    }
    pieces
}

/// Splits a format string that came from a path at run time: it has no escapes, so every `{}`
/// is a placeholder.
pub fn split_format_runtime(s: &str) -> Vec<FormatPiece> {
    let mut pieces = Vec::new();
    for (i, part) in s.split("{}").enumerate() {
        if i > 0 {
            pieces.push(FormatPiece::Placeholder);
        }
        if !part.is_empty() {
            pieces.push(FormatPiece::Text(part.to_string()));
        }
    }
    pieces
}

fn placeholder_count(pieces: &[FormatPiece]) -> usize {
    pieces.iter().filter(|p| matches!(p, FormatPiece::Placeholder)).count()
}

// ---------------------------------------------------------------------------------------------
// Static validation

/// What kind of JSON value an argument is known to produce before run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    Number,
    Bool,
    Null,
    Array,
    Object,
    /// Not known statically (paths, functions returning any JSON value).
    Any,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Number => "a number",
            Kind::Bool => "a boolean",
            Kind::Null => "null",
            Kind::Array => "an array",
            Kind::Object => "an object",
            Kind::Any => "any value",
        }
    }
}

/// Signature of one intrinsic: arity and expected parameter kinds.
struct Signature {
    name: &'static str,
    min: usize,
    max: Option<usize>,
    /// Expected kinds of the leading parameters; further ones use `rest`.
    params: &'static [Kind],
    rest: Kind,
    returns: Kind,
}

const SIGNATURES: [Signature; 18] = {
    use Kind::*;
    const fn sig(
        name: &'static str,
        min: usize,
        max: Option<usize>,
        params: &'static [Kind],
        returns: Kind,
    ) -> Signature {
        Signature { name, min, max, params, rest: Any, returns }
    }
    [
        sig("States.Format", 1, None, &[String], String),
        sig("States.StringToJson", 1, Some(1), &[String], Any),
        sig("States.JsonToString", 1, Some(1), &[Any], String),
        sig("States.Array", 0, None, &[], Array),
        sig("States.ArrayPartition", 2, Some(2), &[Array, Number], Array),
        sig("States.ArrayContains", 2, Some(2), &[Array, Any], Bool),
        sig("States.ArrayRange", 3, Some(3), &[Number, Number, Number], Array),
        sig("States.ArrayGetItem", 2, Some(2), &[Array, Number], Any),
        sig("States.ArrayLength", 1, Some(1), &[Array], Number),
        sig("States.ArrayUnique", 1, Some(1), &[Array], Array),
        sig("States.Base64Encode", 1, Some(1), &[String], String),
        sig("States.Base64Decode", 1, Some(1), &[String], String),
        sig("States.Hash", 2, Some(2), &[Any, String], String),
        sig("States.JsonMerge", 3, Some(3), &[Object, Object, Bool], Object),
        sig("States.MathRandom", 2, Some(3), &[Number, Number, Number], Number),
        sig("States.MathAdd", 2, Some(2), &[Number, Number], Number),
        sig("States.StringSplit", 2, Some(2), &[String, String], Array),
        sig("States.UUID", 0, Some(0), &[], String),
    ]
};

fn signature(name: &str) -> Option<&'static Signature> {
    SIGNATURES.iter().find(|s| s.name == name)
}

fn kind_of(arg: &Arg) -> Kind {
    match arg {
        Arg::String { .. } => Kind::String,
        Arg::Number { .. } => Kind::Number,
        Arg::Bool(..) => Kind::Bool,
        Arg::Null(_) => Kind::Null,
        Arg::Path { .. } => Kind::Any,
        Arg::Call(call) => signature(&call.name).map_or(Kind::Any, |s| s.returns),
    }
}

fn describe(arg: &Arg) -> String {
    match arg {
        Arg::String { raw, .. } => {
            let shown: String = raw.chars().take(40).collect();
            let more = if shown.len() < raw.len() { "..." } else { "" };
            format!("the string literal '{shown}{more}'")
        }
        Arg::Number { raw, .. } => format!("the number {raw}"),
        Arg::Bool(b, _) => format!("the literal {b}"),
        Arg::Null(_) => "null".to_string(),
        Arg::Path { text, .. } => format!("the path {text}"),
        Arg::Call(call) => format!("a call to {}, which returns {}", call.name, kind_of(arg).noun()),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A number literal's value rounded the way AWS rounds intrinsic arguments (Java `Math.round`,
/// half up).
fn rounded_literal(arg: &Arg) -> Option<f64> {
    match arg {
        Arg::Number { raw, .. } => raw.parse::<f64>().ok().map(|x| (x + 0.5).floor()),
        _ => None,
    }
}

/// Checks a parsed call tree against every rule that does not need the input: known function
/// name, arity, kinds of literal arguments and of nested calls' results, `States.Format`
/// placeholders, `States.JsonToString` taking a path, the `States.Hash` algorithm, the
/// `States.JsonMerge` shallow flag, number ranges of literal arguments, and at most
/// [`MAX_NESTING`] nested calls. Returns every problem found, in source order per call.
///
/// Give it the top-level call from [`parse`]: a non-zero `offset` there means the source had
/// leading whitespace, which statelint rejects ("not a JSONPath or intrinsic function
/// expression"), so it is reported too.
pub fn validate(call: &Call) -> Vec<IntrinsicError> {
    let mut errors = Vec::new();
    if call.offset > 0 {
        errors.push(IntrinsicError::new(
            0,
            "leading whitespace before the intrinsic function call: the value must start with the function name",
        ));
    }
    check_call(call, 1, &mut errors);
    errors
}

fn check_call(call: &Call, depth: usize, errors: &mut Vec<IntrinsicError>) {
    if depth == MAX_NESTING + 1 {
        errors.push(IntrinsicError::new(
            call.offset,
            format!("too many nested intrinsic functions: AWS allows at most {MAX_NESTING} nested calls in one field"),
        ));
    }
    match signature(&call.name) {
        Some(sig) => check_signature(call, sig, errors),
        None => errors.push(unknown_function(call)),
    }
    for arg in &call.args {
        if let Arg::Call(inner) = arg {
            check_call(inner, depth + 1, errors);
        }
    }
}

fn unknown_function(call: &Call) -> IntrinsicError {
    let suggestion = FUNCTION_NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(&call.name))
        .map(|n| format!(" (did you mean '{n}'?)"))
        .unwrap_or_default();
    IntrinsicError::new(
        call.name_offset,
        format!(
            "unknown intrinsic function '{}'{suggestion}: AWS Step Functions provides only the 18 States.* functions",
            call.name
        ),
    )
}

fn check_signature(call: &Call, sig: &Signature, errors: &mut Vec<IntrinsicError>) {
    let n = call.args.len();
    let arity_ok = n >= sig.min && sig.max.is_none_or(|max| n <= max);
    if !arity_ok {
        let expected = match sig.max {
            Some(max) if max == sig.min => {
                format!("exactly {}", plural(max, "argument", "arguments"))
            }
            Some(max) => format!("{} to {max} arguments", sig.min),
            None => format!("at least {}", plural(sig.min, "argument", "arguments")),
        };
        let given = if n == 1 { "was" } else { "were" };
        errors.push(IntrinsicError::new(
            call.name_offset,
            format!("{} takes {expected}, but {n} {given} given", sig.name),
        ));
    }
    for (i, arg) in call.args.iter().enumerate() {
        let expected = sig.params.get(i).copied().unwrap_or(sig.rest);
        let actual = kind_of(arg);
        if expected != Kind::Any && actual != Kind::Any && actual != expected {
            errors.push(IntrinsicError::new(
                arg.offset(),
                format!("argument {} of {} must be {}, but it is {}", i + 1, sig.name, expected.noun(), describe(arg)),
            ));
        }
    }
    match sig.name {
        "States.Format" => check_format(call, errors),
        "States.JsonToString" => {
            if let Some(arg) = call.args.first().filter(|a| !matches!(a, Arg::Path { .. })) {
                errors.push(IntrinsicError::new(
                    arg.offset(),
                    format!("States.JsonToString takes a path argument (such as $.field), not {}", describe(arg)),
                ));
            }
        }
        "States.Hash" => {
            if let Some(Arg::String { value, offset, .. }) = call.args.get(1)
                && !HASH_ALGORITHMS.contains(&value.as_str())
            {
                errors.push(IntrinsicError::new(
                    *offset,
                    format!("unsupported hash algorithm '{value}': use one of {}", HASH_ALGORITHMS.join(", ")),
                ));
            }
            check_string_length(call, 0, errors);
        }
        "States.Base64Encode" | "States.Base64Decode" => check_string_length(call, 0, errors),
        "States.JsonMerge" => {
            if let Some(Arg::Bool(true, offset)) = call.args.get(2) {
                errors.push(IntrinsicError::new(
                    *offset,
                    "AWS supports only a shallow merge: the third argument of States.JsonMerge must be false",
                ));
            }
        }
        "States.ArrayPartition" => {
            if let Some(size) = call.args.get(1)
                && rounded_literal(size).is_some_and(|v| v <= 0.0)
            {
                errors.push(IntrinsicError::new(
                    size.offset(),
                    "the chunk size of States.ArrayPartition must be a positive integer",
                ));
            }
        }
        "States.ArrayGetItem" => {
            if let Some(index) = call.args.get(1)
                && rounded_literal(index).is_some_and(|v| v < 0.0)
            {
                errors
                    .push(IntrinsicError::new(index.offset(), "the index of States.ArrayGetItem must not be negative"));
            }
        }
        "States.ArrayRange" => check_array_range(call, errors),
        "States.MathAdd" | "States.MathRandom" => {
            for arg in &call.args {
                if rounded_literal(arg).is_some_and(|v| v < f64::from(i32::MIN) || v > f64::from(i32::MAX)) {
                    errors.push(IntrinsicError::new(
                        arg.offset(),
                        format!(
                            "{} accepts integers from -2147483648 to 2147483647, but the argument is {}",
                            call.name,
                            describe(arg)
                        ),
                    ));
                }
            }
        }
        _ => {}
    }
}

fn check_string_length(call: &Call, index: usize, errors: &mut Vec<IntrinsicError>) {
    if let Some(Arg::String { value, offset, .. }) = call.args.get(index) {
        let chars = value.chars().count();
        if chars > MAX_ENCODED_STRING_CHARS {
            errors.push(IntrinsicError::new(
                *offset,
                format!(
                    "{} accepts at most {MAX_ENCODED_STRING_CHARS} characters, but this string has {chars}",
                    call.name
                ),
            ));
        }
    }
}

fn check_format(call: &Call, errors: &mut Vec<IntrinsicError>) {
    let Some(first) = call.args.first() else {
        return;
    };
    match first {
        Arg::String { raw, offset, .. } => {
            let placeholders = placeholder_count(&split_format_literal(raw));
            let values = call.args.len() - 1;
            if placeholders != values {
                errors.push(IntrinsicError::new(
                    *offset,
                    format!(
                        "the States.Format string has {} but {} follow it; they must match",
                        plural(placeholders, "'{}' placeholder", "'{}' placeholders"),
                        plural(values, "value argument", "value arguments")
                    ),
                ));
            }
        }
        Arg::Call(inner) => errors.push(IntrinsicError::new(
            inner.offset,
            "the first argument of States.Format must be a string literal or a path, not a nested call",
        )),
        // Other literals are reported by the kind check; paths are only known at run time.
        _ => {}
    }
    for (i, arg) in call.args.iter().enumerate().skip(1) {
        let reason = match arg {
            Arg::Path { path, .. } if path.segments.is_empty() => match path.root {
                Root::Input => Some("the whole input '$', which is a JSON object"),
                Root::Context => Some("the whole Context Object '$$', which is a JSON object"),
                Root::Variable(_) => None,
            },
            Arg::Path { path, .. } if !path.is_definite() => Some("an indefinite path, which always yields an array"),
            Arg::Call(_) if matches!(kind_of(arg), Kind::Array | Kind::Object) => {
                Some("a call that returns an array or object")
            }
            _ => None,
        };
        if let Some(reason) = reason {
            errors.push(IntrinsicError::spec_only(
                arg.offset(),
                format!(
                    "States.Format argument {} is {reason}; the ASL spec allows only strings, numbers, booleans and null as format values (AWS renders objects as {{key=value}})",
                    i + 1
                ),
            ));
        }
    }
}

fn check_array_range(call: &Call, errors: &mut Vec<IntrinsicError>) {
    let Some(step_arg) = call.args.get(2) else {
        return;
    };
    let step = rounded_literal(step_arg);
    if step == Some(0.0) {
        errors.push(IntrinsicError::new(step_arg.offset(), "the step of States.ArrayRange must not be 0"));
        return;
    }
    let (Some(start), Some(end), Some(step)) =
        (call.args.first().and_then(rounded_literal), call.args.get(1).and_then(rounded_literal), step)
    else {
        return;
    };
    let count = ((end - start) / step).floor() + 1.0;
    if count > MAX_ARRAY_RANGE_ELEMENTS as f64 {
        errors.push(IntrinsicError::new(
            call.name_offset,
            format!("States.ArrayRange would produce {count} elements; AWS allows at most {MAX_ARRAY_RANGE_ELEMENTS}"),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Display

/// The call as source text: `Name(arg, arg)` with literals and paths exactly as written.
impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{arg}")?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::String { raw, .. } => write!(f, "'{raw}'"),
            Arg::Number { raw, .. } => f.write_str(raw),
            Arg::Bool(b, _) => write!(f, "{b}"),
            Arg::Null(_) => f.write_str("null"),
            Arg::Path { text, .. } => f.write_str(text),
            Arg::Call(call) => write!(f, "{call}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonpath::Segment;

    fn ok(s: &str) -> Call {
        match parse(s) {
            Ok(c) => c,
            Err(e) => panic!("{s:?} failed to parse: {e}"),
        }
    }

    fn parse_err(s: &str) -> IntrinsicError {
        match parse(s) {
            Ok(c) => panic!("{s:?} parsed unexpectedly: {c:?}"),
            Err(e) => e,
        }
    }

    fn problems(s: &str) -> Vec<IntrinsicError> {
        validate(&ok(s))
    }

    /// The single problem `validate` reports for `s`.
    fn one_problem(s: &str) -> IntrinsicError {
        let mut errors = problems(s);
        assert_eq!(errors.len(), 1, "{s}: {errors:?}");
        errors.remove(0)
    }

    #[test]
    fn parses_structure_and_offsets() {
        let c = ok("States.Format('Hello {}, welcome to {}!', $.name, $$.Execution.Id)");
        assert_eq!(c.name, "States.Format");
        assert_eq!((c.offset, c.name_offset, c.end), (0, 0, 66));
        assert_eq!(c.args.len(), 3);
        assert_eq!(
            c.args[0],
            Arg::String {
                value: "Hello {}, welcome to {}!".into(),
                raw: "Hello {}, welcome to {}!".into(),
                offset: 14
            }
        );
        let Arg::Path { path, text, offset } = &c.args[1] else {
            panic!("{:?}", c.args[1]);
        };
        assert_eq!((text.as_str(), *offset), ("$.name", 42));
        assert_eq!(path.segments, vec![Segment::Field("name".into())]);
        let Arg::Path { path, text, offset } = &c.args[2] else {
            panic!("{:?}", c.args[2]);
        };
        assert_eq!((text.as_str(), *offset), ("$$.Execution.Id", 50));
        assert_eq!(path.root, Root::Context);
    }

    #[test]
    fn parses_literals_variables_and_nested_calls() {
        let c = ok("States.Array('a', -1.5, 2e3, true, false, null, $var.x[0], States.UUID())");
        assert_eq!(c.args[1], Arg::Number { raw: "-1.5".into(), offset: 18 });
        assert_eq!(c.args[2], Arg::Number { raw: "2e3".into(), offset: 24 });
        assert_eq!(c.args[3], Arg::Bool(true, 29));
        assert_eq!(c.args[4], Arg::Bool(false, 35));
        assert_eq!(c.args[5], Arg::Null(42));
        let Arg::Path { path, .. } = &c.args[6] else {
            panic!("{:?}", c.args[6]);
        };
        assert_eq!(path.root, Root::Variable("var".into()));
        let Arg::Call(inner) = &c.args[7] else {
            panic!("{:?}", c.args[7]);
        };
        assert_eq!((inner.name.as_str(), inner.offset, inner.args.len()), ("States.UUID", 59, 0));
        assert_eq!(inner.end, 72);
    }

    #[test]
    fn path_arguments_with_brackets_and_quotes() {
        let c = ok("States.Array($.abc.['def ghi'], $.a[0,1], $['x,y)'], $)");
        let texts: Vec<String> = c
            .args
            .iter()
            .map(|a| match a {
                Arg::Path { text, .. } => text.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, ["$.abc.['def ghi']", "$.a[0,1]", "$['x,y)']", "$"]);
        let c = ok("States.Array($.a[?(@.b == 'x, y')])");
        assert_eq!(c.args.len(), 1);
    }

    #[test]
    fn string_escapes() {
        let c = ok(r"States.Format('it\'s \{\} {} \\ done', $.x)");
        assert_eq!(
            c.args[0],
            Arg::String { value: r"it's {} {} \ done".into(), raw: r"it\'s \{\} {} \\ done".into(), offset: 14 }
        );
        // One real placeholder: the escaped pair is literal text.
        assert!(problems(r"States.Format('it\'s \{\} {} \\ done', $.x)").is_empty());
        // A real newline (from the JSON "\n") is plain text.
        let c = ok("States.StringSplit('Hello\nWorld', '\n')");
        assert_eq!(c.args[1], Arg::String { value: "\n".into(), raw: "\n".into(), offset: 34 });
        let e = parse_err(r"States.Format('a\nb')");
        assert_eq!(e.offset, 16);
        assert!(e.message.contains("open escape"), "{}", e.message);
    }

    #[test]
    fn format_templates() {
        assert_eq!(
            split_format_literal(r"a{}b\{}c{\}{}"),
            vec![
                FormatPiece::Text("a".into()),
                FormatPiece::Placeholder,
                FormatPiece::Text("b{}c{}".into()),
                FormatPiece::Placeholder,
            ]
        );
        assert_eq!(
            split_format_runtime("{}x{}"),
            vec![FormatPiece::Placeholder, FormatPiece::Text("x".into()), FormatPiece::Placeholder]
        );
        assert_eq!(split_format_literal(""), vec![]);
    }

    #[test]
    fn syntax_errors() {
        let cases: [(&str, usize, &str); 14] = [
            ("", 0, "expected an intrinsic function call"),
            ("States.Format", 13, "expected '(' after the function name 'States.Format'"),
            ("States.Format('x'", 17, "is missing its closing ')'"),
            ("States.Format('x", 14, "unterminated string literal"),
            ("States.Array(,)", 13, "missing argument"),
            ("States.Array(1,)", 15, "missing argument"),
            ("States.Array(1 2)", 15, "expected ',' or ')' after argument 1"),
            ("States.Array(foo)", 13, "unknown argument 'foo'"),
            ("States.Array(\"x\")", 13, "single quotes"),
            ("States.Array(01)", 13, "malformed number"),
            ("States.Array(1.)", 13, "malformed number"),
            ("States.Array($.a b)", 17, "expected ',' or ')'"),
            ("States.Array($.)", 14, "invalid path argument: empty field name after '.'"),
            ("States.UUID() x", 14, "unexpected text after the end"),
        ];
        for (s, offset, msg) in cases {
            let e = parse_err(s);
            assert_eq!(e.offset, offset, "{s}: {}", e.message);
            assert!(e.message.contains(msg), "{s}: {}", e.message);
        }
        assert!(parse_err("$.a").message.contains("found a path"));
    }

    #[test]
    fn looks_like_call_shape() {
        assert!(looks_like_call("States.Format('x')"));
        assert!(looks_like_call("My_fn.x1("));
        assert!(!looks_like_call("$.a"));
        assert!(!looks_like_call(" States.UUID()"));
        assert!(!looks_like_call("States.UUID"));
        assert!(!looks_like_call("(x)"));
        assert!(!looks_like_call("{% $x %}"));
    }

    /// Every invalid intrinsic from the statebox, asl-validator and statelint fixtures.
    #[test]
    fn rejects_fixture_invalid_examples() {
        let e = one_problem("States.Format('{}', $)");
        assert_eq!(e.offset, 20);
        assert!(e.spec_only);
        assert!(e.message.contains("whole input '$'"));

        let e = one_problem("States.Format(true)");
        assert_eq!(e.offset, 14);
        assert_eq!(e.message, "argument 1 of States.Format must be a string, but it is the literal true");

        let e = one_problem("States.Format()");
        assert_eq!(e.offset, 0);
        assert_eq!(e.message, "States.Format takes at least 1 argument, but 0 were given");

        let e = one_problem("States.Format('{}', 'string', 100, true, null)");
        assert_eq!(e.offset, 14);
        assert_eq!(
            e.message,
            "the States.Format string has 1 '{}' placeholder but 4 value arguments follow it; they must match"
        );

        let e = one_problem("States.Format('{} {} {}', 'string', 100)");
        assert!(e.message.contains("3 '{}' placeholders but 2 value arguments"));

        let e = one_problem("States.JsonToString('not-a-path')");
        assert_eq!(e.offset, 20);
        assert!(e.message.starts_with("States.JsonToString takes a path argument"));

        let e = one_problem("States.StringToJson()");
        assert_eq!(e.message, "States.StringToJson takes exactly 1 argument, but 0 were given");

        let e = one_problem("States.MathAdd(1,'-1')");
        assert_eq!(e.offset, 17);
        assert_eq!(e.message, "argument 2 of States.MathAdd must be a number, but it is the string literal '-1'");

        let e = one_problem(" States.Array('Foo', $.xyz, 'Bar', 2.3)");
        assert_eq!(e.offset, 0);
        assert!(e.message.starts_with("leading whitespace"));
        assert!(!e.spec_only);
    }

    /// A representative set of the intrinsics in the valid fixtures and AWS-recorded
    /// conformance cases (JSON-decoded), all of which must parse and validate cleanly.
    #[test]
    fn accepts_fixture_valid_examples() {
        let valid = [
            "States.Array('one', 'two', States.Array('three', 'four', 'five'), 'six')",
            "States.Array()",
            "States.Array('Foo', 2020, $.someJson, null)",
            "States.ArrayContains($.inputArray, 5)",
            "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))",
            "States.ArrayPartition($.inputArray, 4)",
            "States.ArrayRange(1, 9, 2)",
            "States.ArrayUnique($.duplicateArray)",
            "States.Base64Decode($encodedString)",
            "States.Base64Encode($.input)",
            "States.Format($AnswerTemplate, $$.Map.Item.Value)",
            "States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)",
            "States.Format('Hello {}, your application has been approved.', $inputPayload.data.firstname)",
            "States.Format('{} {} {} {}', 'string', 100, true, null)",
            "States.Format('{}{}', $.field1, $field2)",
            "States.Hash($.inputString, 'SHA-256')",
            "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)",
            "States.JsonMerge($json1, $json2, false)",
            "States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), $$.Execution.Input.input_field, false)",
            "States.JsonToString($.jsonObject)",
            "States.MathAdd(States.ArrayLength($$.Execution.Input.machines),-1)",
            "States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)",
            "States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd)",
            "States.StringSplit('Hello\nWorld', '\n')",
            "States.StringToJson($jsonString)",
            "States.UUID()",
        ];
        for s in valid {
            assert!(looks_like_call(s), "{s}");
            match parse_and_validate(s) {
                Ok(call) => assert_eq!(call.to_string().replace(' ', ""), s.replace(' ', "")),
                Err(errors) => panic!("{s}: {errors:?}"),
            }
        }
    }

    #[test]
    fn function_specific_rules() {
        let e = one_problem("States.Hash($.x, 'SHA1')");
        assert_eq!(e.offset, 17);
        assert!(e.message.starts_with("unsupported hash algorithm 'SHA1'"));
        assert!(problems("States.Hash('data', 'MD5')").is_empty());

        let e = one_problem("States.JsonMerge($.a, $.b, true)");
        assert_eq!(e.offset, 27);
        assert!(e.message.contains("shallow merge"));
        let e = one_problem("States.JsonMerge($.a, 'x', false)");
        assert_eq!(e.offset, 22);
        assert!(e.message.contains("must be an object"));

        let e = one_problem("States.ArrayRange(1, 2)");
        assert_eq!(e.message, "States.ArrayRange takes exactly 3 arguments, but 2 were given");
        let e = one_problem("States.ArrayRange(1, 10, 0)");
        assert_eq!(e.offset, 25);
        assert_eq!(e.message, "the step of States.ArrayRange must not be 0");
        let e = one_problem("States.ArrayRange(0, 5000, 1)");
        assert!(e.message.contains("5001 elements"), "{}", e.message);
        assert!(problems("States.ArrayRange(0, 999, 1)").is_empty());

        let e = one_problem("States.MathRandom(1)");
        assert_eq!(e.message, "States.MathRandom takes 2 to 3 arguments, but 1 was given");
        assert!(problems("States.MathRandom(1, 10, 42)").is_empty());
        let e = one_problem("States.MathAdd(2147483648, 1)");
        assert_eq!(e.offset, 15);
        assert!(problems("States.MathAdd(2147483647, -2147483648)").is_empty());

        let e = one_problem("States.UUID(1)");
        assert_eq!(e.message, "States.UUID takes exactly 0 arguments, but 1 was given");

        let e = one_problem("States.ArrayPartition($.a, 0)");
        assert_eq!(e.offset, 27);
        let e = one_problem("States.ArrayGetItem($.a, -1)");
        assert_eq!(e.offset, 25);
        let e = one_problem("States.ArrayLength('abc')");
        assert!(e.message.contains("must be an array"));

        // Kinds of nested calls' results are checked too.
        let e = one_problem("States.MathAdd(States.UUID(), 1)");
        assert_eq!(
            e.message,
            "argument 1 of States.MathAdd must be a number, but it is a call to States.UUID, which returns a string"
        );
        let e = one_problem("States.Format(States.Format('x'))");
        assert!(e.message.contains("not a nested call"));
        let e = one_problem("States.Format('{}', States.Array(1))");
        assert!(e.spec_only);
        let e = one_problem("States.Format('{}', $.a[*])");
        assert!(e.spec_only && e.message.contains("indefinite path"));

        let long = format!("States.Base64Encode('{}')", "a".repeat(10_001));
        let e = one_problem(&long);
        assert_eq!(e.offset, 20);
        assert!(e.message.contains("at most 10000 characters"));
    }

    #[test]
    fn unknown_functions() {
        let e = one_problem("States.format('x')");
        assert_eq!(e.offset, 0);
        assert!(e.message.contains("did you mean 'States.Format'?"), "{}", e.message);
        let c = ok("States.Array(My.Func(1))");
        let errors = validate(&c);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].offset, 13);
        assert!(errors[0].message.starts_with("unknown intrinsic function 'My.Func'"));
    }

    #[test]
    fn nesting_limit() {
        let nest = |n: usize| {
            let mut s = "States.UUID()".to_string();
            for _ in 1..n {
                s = format!("States.Array({s})");
            }
            s
        };
        assert!(problems(&nest(10)).is_empty());
        let s = nest(11);
        let e = one_problem(&s);
        assert_eq!(e.offset, 10 * "States.Array(".len());
        assert!(e.message.contains("at most 10 nested calls"));
        // Deep hostile input is a parse error, not a stack overflow.
        let e = parse_err(&nest(1000));
        assert!(e.message.contains("nested more than 64 deep"));
    }

    #[test]
    fn surrounding_whitespace() {
        let c = ok("  States.UUID()  ");
        assert_eq!((c.offset, c.end), (2, 15));
        assert_eq!(validate(&c).len(), 1);
        let errors = parse_and_validate("States.UUID() ").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].offset, 13);
        assert!(errors[0].message.starts_with("trailing whitespace"));
        // Whitespace between arguments is fine.
        assert!(parse_and_validate("States.Array( 1 ,\n2 )").is_ok());
    }

    #[test]
    fn garbage_never_panics() {
        let pieces = [
            "States.Format",
            "States.Array",
            "(",
            ")",
            "'",
            "\\",
            "\\'",
            "{}",
            ",",
            "$",
            "$$",
            "$.a",
            "[",
            "]",
            "?(",
            "@",
            "-",
            "1",
            "1.",
            "e",
            "true",
            "null",
            " ",
            "é",
            "中",
            "\"",
        ];
        let mut count = 0;
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    let _ = looks_like_call(&s);
                    if let Ok(call) = parse(&s) {
                        let _ = validate(&call);
                        let _ = call.to_string();
                    }
                    let s = format!("States.Array({a}{b}{c})");
                    if let Ok(call) = parse(&s) {
                        let _ = validate(&call);
                    }
                    let _ = parse_and_validate(&s);
                    count += 1;
                }
            }
        }
        assert_eq!(count, pieces.len().pow(3));
        for s in ["States.Format('", "States.Array($['", "x(", "States.Array(-", "'"] {
            let e = parse(s).unwrap_err();
            assert!(e.offset <= s.len(), "{s}");
        }
    }
}
