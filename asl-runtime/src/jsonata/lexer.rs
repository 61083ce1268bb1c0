//! JSONata tokenizer, a port of jsonata-js 2.0.6's `tokenizer`.
//!
//! Tokens are produced one at a time on demand because whether a `/` starts a regular expression
//! or is the division operator depends on the parser's state: jsonata-js asks for the token that
//! follows the first token of an operand in "infix" mode (`/` is division) and for every other
//! token in "prefix" mode (`/` opens a regex). So `a / b` divides, `$match(s, /x/)` and `$x := /x/`
//! are regexes, and `(/x/)` is a syntax error, exactly as in jsonata-js. Regex literals are also
//! checked the way JavaScript's `RegExp` constructor checks them when jsonata-js compiles them.
//!
//! Offsets are byte offsets into the text (jsonata-js counts UTF-16 units; only the unit differs).

use super::ParseError;

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// A field name, plain or backquoted (backquotes removed).
    Name(String),
    /// `$name` (stored without `$`; `$` alone is `""`, `$$` is `"$"`).
    Variable(String),
    /// An operator or punctuation; `and`, `or`, `in` are operators too.
    Operator(&'static str),
    /// A string literal, escapes decoded.
    String(String),
    /// A number literal.
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `/pattern/flags`.
    Regex {
        /// Text between the slashes.
        pattern: String,
        /// `i` / `m` flags as written.
        flags: String,
    },
}

/// A token with its byte range.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just after it.
    pub end: usize,
}

/// Two-character operators checked before single ones, in jsonata-js order.
const DOUBLE_OPS: &[&str] = &["..", ":=", "!=", ">=", "<=", "**", "~>"];

/// Single-character operators (jsonata-js `operators` table keys of length 1). Any of these, or
/// whitespace, ends a name.
fn single_op(b: u8) -> Option<&'static str> {
    Some(match b {
        b'.' => ".",
        b'[' => "[",
        b']' => "]",
        b'{' => "{",
        b'}' => "}",
        b'(' => "(",
        b')' => ")",
        b',' => ",",
        b'@' => "@",
        b'#' => "#",
        b';' => ";",
        b':' => ":",
        b'?' => "?",
        b'+' => "+",
        b'-' => "-",
        b'*' => "*",
        b'/' => "/",
        b'%' => "%",
        b'|' => "|",
        b'=' => "=",
        b'<' => "<",
        b'>' => ">",
        b'^' => "^",
        b'&' => "&",
        b'!' => "!",
        b'~' => "~",
        _ => return None,
    })
}

/// jsonata-js whitespace: space, tab, LF, CR, VT (nothing else, not even other Unicode spaces).
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b)
}

/// JSON string escapes accepted by jsonata-js.
fn simple_escape(c: char) -> Option<char> {
    Some(match c {
        '"' => '"',
        '\\' => '\\',
        '/' => '/',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        _ => return None,
    })
}

/// JSON rendering of a value for error messages (jsonata-js fills `{{token}}` with
/// `JSON.stringify(token)`).
pub(crate) fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// JavaScript's `String(number)` for the numbers a JSONata literal can hold (finite).
pub(crate) fn js_number(n: f64) -> String {
    if n == n.trunc() && n.abs() < 1e21 { format!("{}", n as i128) } else { format!("{n}") }
}

impl TokenKind {
    /// The token's value rendered as jsonata-js renders it in error messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            TokenKind::Name(s) | TokenKind::Variable(s) | TokenKind::String(s) => json_quote(s),
            TokenKind::Operator(o) => json_quote(o),
            TokenKind::Number(n) => js_number(*n),
            TokenKind::Bool(b) => b.to_string(),
            TokenKind::Null => "null".to_string(),
            TokenKind::Regex { .. } => "{}".to_string(),
        }
    }

    /// The token's `value` as jsonata-js concatenates it when it rebuilds a lambda signature.
    pub(crate) fn value_text(&self) -> String {
        match self {
            TokenKind::Name(s) | TokenKind::Variable(s) | TokenKind::String(s) => s.clone(),
            TokenKind::Operator(o) => (*o).to_string(),
            TokenKind::Number(n) => js_number(*n),
            TokenKind::Bool(b) => b.to_string(),
            TokenKind::Null => "null".to_string(),
            TokenKind::Regex { pattern, flags } => format!("/{pattern}/{flags}g"),
        }
    }
}

/// The tokenizer over one expression text.
pub struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Recognise the JSONata 2.1 operators `??` and `?:`.
    coalescing: bool,
}

impl<'a> Lexer<'a> {
    /// A tokenizer positioned at the start of `src`. `coalescing` enables the JSONata 2.1
    /// operators `??` and `?:` (jsonata 2.0.6 has neither).
    pub fn new(src: &'a str, coalescing: bool) -> Self {
        Lexer { src, bytes: src.as_bytes(), pos: 0, coalescing }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn slice(&self, a: usize, b: usize) -> &'a str {
        self.src.get(a..b).unwrap_or_default()
    }

    fn tok(&self, kind: TokenKind, start: usize) -> Token {
        Token { kind, start, end: self.pos }
    }

    /// The next token, `None` at the end. With `infix` set a `/` is the division operator,
    /// otherwise it starts a regular expression (see the module documentation).
    pub fn next_token(&mut self, infix: bool) -> Result<Option<Token>, ParseError> {
        // Skip whitespace and comments.
        loop {
            while self.at(self.pos).is_some_and(is_ws) {
                self.pos += 1;
            }
            if self.at(self.pos) == Some(b'/') && self.at(self.pos + 1) == Some(b'*') {
                let comment_start = self.pos;
                match self.slice(self.pos + 2, self.bytes.len()).find("*/") {
                    Some(i) => self.pos = self.pos + 2 + i + 2,
                    None => {
                        return Err(ParseError::new("S0106", comment_start, "Comment has no closing tag".to_string()));
                    }
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        let Some(c) = self.at(start) else {
            return Ok(None);
        };
        if !infix && c == b'/' {
            self.pos += 1;
            return self.scan_regex(start).map(Some);
        }
        for op in DOUBLE_OPS {
            if self.bytes[start..].starts_with(op.as_bytes()) {
                self.pos += 2;
                return Ok(Some(self.tok(TokenKind::Operator(op), start)));
            }
        }
        if self.coalescing && c == b'?' {
            match self.at(start + 1) {
                Some(b':') => {
                    self.pos += 2;
                    return Ok(Some(self.tok(TokenKind::Operator("?:"), start)));
                }
                Some(b'?') => {
                    self.pos += 2;
                    return Ok(Some(self.tok(TokenKind::Operator("??"), start)));
                }
                _ => {}
            }
        }
        if let Some(op) = single_op(c) {
            self.pos += 1;
            return Ok(Some(self.tok(TokenKind::Operator(op), start)));
        }
        if c == b'"' || c == b'\'' {
            return self.scan_string(c, start).map(Some);
        }
        if c.is_ascii_digit() {
            return self.scan_number(start).map(Some);
        }
        if c == b'`' {
            let from = start + 1;
            return match self.slice(from, self.bytes.len()).find('`') {
                Some(i) => {
                    let name = self.slice(from, from + i).to_string();
                    self.pos = from + i + 1;
                    Ok(Some(self.tok(TokenKind::Name(name), start)))
                }
                None => {
                    self.pos = self.bytes.len();
                    Err(ParseError::new(
                        "S0105",
                        start,
                        "Quoted property name must be terminated with a backquote (`)".to_string(),
                    ))
                }
            };
        }
        // A name, variable or keyword: everything up to whitespace or an operator character.
        let mut i = start;
        while let Some(b) = self.at(i) {
            if is_ws(b) || single_op(b).is_some() {
                break;
            }
            i += 1;
        }
        self.pos = i;
        let text = self.slice(start, i);
        let kind = if let Some(var) = text.strip_prefix('$') {
            TokenKind::Variable(var.to_string())
        } else {
            match text {
                "or" => TokenKind::Operator("or"),
                "in" => TokenKind::Operator("in"),
                "and" => TokenKind::Operator("and"),
                "true" => TokenKind::Bool(true),
                "false" => TokenKind::Bool(false),
                "null" => TokenKind::Null,
                _ => TokenKind::Name(text.to_string()),
            }
        };
        Ok(Some(self.tok(kind, start)))
    }

    /// Number literal: `(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?`. A trailing `.` is not
    /// part of it (`420.` is `420` then `.`).
    fn scan_number(&mut self, start: usize) -> Result<Token, ParseError> {
        let digits = |lx: &Self, mut i: usize| {
            while lx.at(i).is_some_and(|b| b.is_ascii_digit()) {
                i += 1;
            }
            i
        };
        let mut i = if self.at(start) == Some(b'0') { start + 1 } else { digits(self, start) };
        if self.at(i) == Some(b'.') && self.at(i + 1).is_some_and(|b| b.is_ascii_digit()) {
            i = digits(self, i + 1);
        }
        if matches!(self.at(i), Some(b'e' | b'E')) {
            let mut j = i + 1;
            if matches!(self.at(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if self.at(j).is_some_and(|b| b.is_ascii_digit()) {
                i = digits(self, j);
            }
        }
        let text = self.slice(start, i);
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => {
                self.pos = i;
                Ok(self.tok(TokenKind::Number(n), start))
            }
            _ => Err(ParseError::new("S0102", start, format!("Number out of range: {}", json_quote(text)))),
        }
    }

    /// String literal in single or double quotes with JSON escapes. `\uXXXX` pairs that form a
    /// UTF-16 surrogate pair are combined; a lone surrogate becomes U+FFFD.
    fn scan_string(&mut self, quote: u8, start: usize) -> Result<Token, ParseError> {
        let mut units: Vec<u16> = Vec::new();
        let mut i = start + 1;
        let rest = self.slice(i, self.bytes.len());
        let mut chars = rest.char_indices().peekable();
        while let Some((off, ch)) = chars.next() {
            let at = i + off;
            if ch == '\\' {
                let Some((_, esc)) = chars.next() else {
                    break;
                };
                if let Some(e) = simple_escape(esc) {
                    let mut buf = [0u16; 2];
                    units.extend_from_slice(e.encode_utf16(&mut buf));
                } else if esc == 'u' {
                    let mut hex = String::new();
                    while hex.len() < 4 {
                        match chars.peek() {
                            Some((_, h)) if h.is_ascii_hexdigit() => {
                                hex.push(*h);
                                chars.next();
                            }
                            _ => break,
                        }
                    }
                    let Ok(v) = u16::from_str_radix(&hex, 16) else {
                        return Err(ParseError::new(
                            "S0104",
                            at + 1,
                            "The escape sequence \\u must be followed by 4 hex digits".to_string(),
                        ));
                    };
                    if hex.len() < 4 {
                        // jsonata-js accepts fewer digits only when the text ends there, and then
                        // reports the unterminated string.
                        if chars.peek().is_some() {
                            return Err(ParseError::new(
                                "S0104",
                                at + 1,
                                "The escape sequence \\u must be followed by 4 hex digits".to_string(),
                            ));
                        }
                        break;
                    }
                    units.push(v);
                } else {
                    return Err(ParseError::new(
                        "S0103",
                        at + 1,
                        format!("Unsupported escape sequence: \\{}", json_quote(&esc.to_string())),
                    ));
                }
            } else if ch as u32 == quote as u32 {
                i = at + 1;
                self.pos = i;
                let s = String::from_utf16_lossy(&units);
                return Ok(self.tok(TokenKind::String(s), start));
            } else {
                let mut buf = [0u16; 2];
                units.extend_from_slice(ch.encode_utf16(&mut buf));
            }
        }
        self.pos = self.bytes.len();
        Err(ParseError::new(
            "S0101",
            self.bytes.len(),
            "String literal must be terminated by a matching quote".to_string(),
        ))
    }

    /// Regular expression after its opening `/`: up to the first unescaped `/` outside
    /// brackets, then flags `i`/`m`.
    fn scan_regex(&mut self, start: usize) -> Result<Token, ParseError> {
        let body = self.pos;
        let mut depth: i64 = 0;
        let mut i = body;
        while let Some(c) = self.at(i) {
            if c == b'/' && depth == 0 {
                let mut backslashes = 0;
                while i > backslashes && self.at(i - backslashes - 1) == Some(b'\\') {
                    backslashes += 1;
                }
                if backslashes % 2 == 0 {
                    let pattern = self.slice(body, i).to_string();
                    if pattern.is_empty() {
                        return Err(ParseError::new(
                            "S0301",
                            start,
                            "Empty regular expressions are not allowed".to_string(),
                        ));
                    }
                    let mut j = i + 1;
                    while matches!(self.at(j), Some(b'i' | b'm')) {
                        j += 1;
                    }
                    let flags = self.slice(i + 1, j).to_string();
                    self.pos = j;
                    check_regex(&pattern, &flags).map_err(|msg| {
                        ParseError::new(
                            "REGEX",
                            start,
                            format!("Invalid regular expression: /{pattern}/{flags}: {msg}"),
                        )
                    })?;
                    return Ok(self.tok(TokenKind::Regex { pattern, flags }, start));
                }
            }
            let escaped = i > 0 && self.at(i - 1) == Some(b'\\');
            if matches!(c, b'(' | b'[' | b'{') && !escaped {
                depth += 1;
            }
            if matches!(c, b')' | b']' | b'}') && !escaped {
                depth -= 1;
            }
            i += 1;
        }
        self.pos = self.bytes.len();
        Err(ParseError::new("S0302", start, "No terminating / in regular expression".to_string()))
    }
}

/// The checks JavaScript's `new RegExp(pattern, flags + "g")` makes (non-Unicode mode with the
/// Annex B leniencies), which jsonata-js runs while tokenizing: repeated flags, a quantifier with
/// nothing to repeat, `{n,m}` out of order, unbalanced or invalid groups, unterminated or
/// out-of-order character classes. Not checked: duplicate or undefined group names.
fn check_regex(pattern: &str, flags: &str) -> Result<(), &'static str> {
    if flags.matches('i').count() > 1 || flags.matches('m').count() > 1 {
        return Err("Invalid flags");
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Prev {
        /// Start of an alternative: nothing to repeat.
        None,
        Atom,
        Quantifier,
        Lazy,
        /// `^`, `$`, `\b`, `\B`, or a lookbehind group: not quantifiable.
        Assertion,
    }
    let c: Vec<char> = pattern.chars().collect();
    let mut groups: Vec<bool> = Vec::new(); // true = lookbehind
    let mut prev = Prev::None;
    let mut i = 0;
    let quantify = |prev: Prev, lazy_ok: bool| -> Result<Prev, &'static str> {
        match prev {
            Prev::Atom => Ok(Prev::Quantifier),
            Prev::Quantifier if lazy_ok => Ok(Prev::Lazy),
            _ => Err("Nothing to repeat"),
        }
    };
    while i < c.len() {
        match c[i] {
            '\\' => {
                let Some(n) = c.get(i + 1) else {
                    return Err("\\ at end of pattern");
                };
                prev = if matches!(n, 'b' | 'B') { Prev::Assertion } else { Prev::Atom };
                i += 2;
                continue;
            }
            '[' => {
                i = check_class(&c, i + 1)?;
                prev = Prev::Atom;
                continue;
            }
            '(' => {
                let rest: String = c[i + 1..].iter().take(3).collect();
                if rest.starts_with("?<=") || rest.starts_with("?<!") {
                    groups.push(true);
                    i += 4;
                } else if rest.starts_with("?:") || rest.starts_with("?=") || rest.starts_with("?!") {
                    groups.push(false);
                    i += 3;
                } else if rest.starts_with("?<") {
                    let mut j = i + 3;
                    let name_start = j;
                    while j < c.len() && (c[j].is_alphanumeric() || c[j] == '_' || c[j] == '$') {
                        j += 1;
                    }
                    if j == name_start || c.get(j) != Some(&'>') || c[name_start].is_ascii_digit() {
                        return Err("Invalid capture group name");
                    }
                    groups.push(false);
                    i = j + 1;
                } else if rest.starts_with('?') {
                    return Err("Invalid group");
                } else {
                    groups.push(false);
                    i += 1;
                }
                prev = Prev::None;
                continue;
            }
            ')' => {
                let Some(lookbehind) = groups.pop() else {
                    return Err("Unmatched ')'");
                };
                prev = if lookbehind { Prev::Assertion } else { Prev::Atom };
            }
            '|' => prev = Prev::None,
            '^' | '$' => prev = Prev::Assertion,
            '*' | '+' => prev = quantify(prev, false)?,
            '?' => prev = quantify(prev, true)?,
            '{' => {
                // `{n}`, `{n,}`, `{n,m}` is a quantifier; anything else is a literal brace.
                let mut j = i + 1;
                let digits = |j: &mut usize| {
                    let s = *j;
                    while *j < c.len() && c[*j].is_ascii_digit() {
                        *j += 1;
                    }
                    c[s..*j].iter().collect::<String>()
                };
                let lo = digits(&mut j);
                let mut hi = None;
                let mut ok = !lo.is_empty();
                if ok && c.get(j) == Some(&',') {
                    j += 1;
                    hi = Some(digits(&mut j));
                }
                ok = ok && c.get(j) == Some(&'}');
                if ok {
                    if let Some(h) = hi.filter(|h| !h.is_empty()) {
                        let (a, b) = (lo.parse::<f64>(), h.parse::<f64>());
                        if let (Ok(a), Ok(b)) = (a, b)
                            && a > b
                        {
                            return Err("numbers out of order in {} quantifier");
                        }
                    }
                    prev = quantify(prev, false)?;
                    i = j + 1;
                    continue;
                }
                prev = Prev::Atom;
            }
            _ => prev = Prev::Atom,
        }
        i += 1;
    }
    if !groups.is_empty() {
        return Err("Unterminated group");
    }
    Ok(())
}

/// Checks a character class starting after its `[`; returns the index after its `]`.
fn check_class(c: &[char], mut i: usize) -> Result<usize, &'static str> {
    if c.get(i) == Some(&'^') {
        i += 1;
    }
    // One class atom: `Some(ch)` for a single character, `None` for a class escape like `\d`.
    let atom = |i: &mut usize| -> Option<char> {
        let ch = c[*i];
        *i += 1;
        if ch != '\\' {
            return Some(ch);
        }
        let Some(&e) = c.get(*i) else {
            return Some('\\');
        };
        *i += 1;
        match e {
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => None,
            'b' => Some('\u{8}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'f' => Some('\u{c}'),
            'v' => Some('\u{b}'),
            '0' => Some('\0'),
            'x' | 'u' => {
                let len = if e == 'x' { 2 } else { 4 };
                let hex: String = c[*i..].iter().take(len).collect();
                match u32::from_str_radix(&hex, 16) {
                    Ok(v) if hex.len() == len && hex.chars().all(|h| h.is_ascii_hexdigit()) => {
                        *i += len;
                        char::from_u32(v).or(Some('\u{fffd}'))
                    }
                    _ => Some(e),
                }
            }
            other => Some(other),
        }
    };
    while i < c.len() {
        if c[i] == ']' {
            return Ok(i + 1);
        }
        let from = atom(&mut i);
        if c.get(i) == Some(&'-') && c.get(i + 1).is_some_and(|n| *n != ']') {
            i += 1;
            if i >= c.len() {
                break;
            }
            let to = atom(&mut i);
            if let (Some(a), Some(b)) = (from, to)
                && a > b
            {
                return Err("Range out of order in character class");
            }
        }
    }
    Err("Unterminated character class")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(src: &str) -> Vec<TokenKind> {
        let mut lx = Lexer::new(src, true);
        let mut out = Vec::new();
        // Tokenise in infix mode except right after an operator, roughly like the parser.
        let mut infix = false;
        while let Ok(Some(t)) = lx.next_token(infix) {
            infix = !matches!(t.kind, TokenKind::Operator(_));
            out.push(t.kind);
        }
        out
    }

    #[test]
    fn numbers_and_trailing_dot() {
        assert_eq!(all("420."), vec![TokenKind::Number(420.0), TokenKind::Operator(".")]);
        assert_eq!(all("1.5e3"), vec![TokenKind::Number(1500.0)]);
        assert_eq!(all("2E-2"), vec![TokenKind::Number(0.02)]);
        assert_eq!(all("01"), vec![TokenKind::Number(0.0), TokenKind::Number(1.0)]);
        assert_eq!(all("1e"), vec![TokenKind::Number(1.0), TokenKind::Name("e".into())]);
        let err = Lexer::new("1e999", true).next_token(false).unwrap_err();
        assert_eq!(err.code, "S0102");
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            all(r#""a\"b\u00e9\n" 'x"y'"#),
            vec![TokenKind::String("a\"b\u{e9}\n".into()), TokenKind::String("x\"y".into())]
        );
        assert_eq!(all(r#""\ud83d\ude00""#), vec![TokenKind::String("\u{1F600}".into())]);
        let e = Lexer::new(r#""\q""#, true).next_token(false).unwrap_err();
        assert_eq!(e.code, "S0103");
        // jsonata-js has no `\'` escape, even in single-quoted strings.
        let e = Lexer::new(r"'\''", true).next_token(false).unwrap_err();
        assert_eq!(e.code, "S0103");
        let e = Lexer::new(r#""\u12x4""#, true).next_token(false).unwrap_err();
        assert_eq!(e.code, "S0104");
        let e = Lexer::new(r#""abc"#, true).next_token(false).unwrap_err();
        assert_eq!((e.code, e.offset), ("S0101", 4));
    }

    #[test]
    fn names_variables_keywords() {
        assert_eq!(
            all("$ $$ $x `a b` and true null foo-bar"),
            vec![
                TokenKind::Variable("".into()),
                TokenKind::Variable("$".into()),
                TokenKind::Variable("x".into()),
                TokenKind::Name("a b".into()),
                TokenKind::Operator("and"),
                TokenKind::Bool(true),
                TokenKind::Null,
                TokenKind::Name("foo".into()),
                TokenKind::Operator("-"),
                TokenKind::Name("bar".into()),
            ]
        );
        assert_eq!(
            all("café.x"),
            vec![TokenKind::Name("café".into()), TokenKind::Operator("."), TokenKind::Name("x".into())]
        );
    }

    #[test]
    fn regex_versus_division() {
        let mut lx = Lexer::new("/ab\\/c[/]/im x", true);
        let t = lx.next_token(false).unwrap().unwrap();
        assert_eq!(t.kind, TokenKind::Regex { pattern: "ab\\/c[/]".into(), flags: "im".into() });
        let mut lx = Lexer::new("/ 2", true);
        assert_eq!(lx.next_token(true).unwrap().unwrap().kind, TokenKind::Operator("/"));
        assert_eq!(Lexer::new("//", true).next_token(false).unwrap_err().code, "S0301");
        assert_eq!(Lexer::new("/abc", true).next_token(false).unwrap_err().code, "S0302");
    }

    #[test]
    fn comments_and_operators() {
        assert_eq!(
            all("/* c */ a /**/ ~> .. ?? ?: != :="),
            vec![
                TokenKind::Name("a".into()),
                TokenKind::Operator("~>"),
                TokenKind::Operator(".."),
                TokenKind::Operator("??"),
                TokenKind::Operator("?:"),
                TokenKind::Operator("!="),
                TokenKind::Operator(":="),
            ]
        );
        let mut lx = Lexer::new("a ?? b", false);
        lx.next_token(false).unwrap();
        assert_eq!(lx.next_token(true).unwrap().unwrap().kind, TokenKind::Operator("?"));
        let e = Lexer::new("  /* open", true).next_token(false).unwrap_err();
        assert_eq!((e.code, e.offset), ("S0106", 2));
        let e = Lexer::new("`abc", true).next_token(false).unwrap_err();
        assert_eq!(e.code, "S0105");
    }
}
