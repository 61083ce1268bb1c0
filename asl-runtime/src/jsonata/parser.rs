//! JSONata parser: a port of jsonata-js 2.0.6's Pratt parser and its `processAST` post-pass.
//!
//! The port is deliberately literal so that exactly the expressions jsonata-js accepts are accepted
//! (AWS Step Functions runs jsonata-js 2.0.6 and reports anything it cannot parse as
//! `INVALID_JSONATA_EXPRESSION`). Three stages:
//!
//! 1. `Parser`: top-down operator precedence over tokens requested one at a time from the
//!    [`Lexer`], building a raw operator tree (`Raw`). Binding powers are jsonata-js's:
//!    `.` 75, `[` `(` `@` `#` 80, `{` 70, `*` `/` `%` 60, `+` `-` `&` 50, comparisons, `in`, `^`,
//!    `~>` (and 2.1's `??` `?:`) 40, `and` 30, `or` 25, `?` 20, `:=` 10 (right associative).
//!    Unary minus binds its operand at 70.
//! 2. `Processor`: jsonata-js `processAST`: flattens paths, attaches predicates as stages,
//!    grouping, focus/index bindings and sort steps, resolves `%` to an ancestor step, and raises
//!    the errors jsonata-js raises there (S0209, S0210, S0213, S0215, S0216, S0217).
//! 3. `finish`: converts the loose processed nodes into the typed tree of [`super::ast`].
//!
//! Error offsets are the byte offset of the start of the offending token (jsonata-js reports the
//! offset just after it), or the text length for an unexpected end.
//!
//! Nesting is limited to [`MAX_DEPTH`] (both recursion and tree depth), so no input can overflow the
//! stack; deeper expressions fail with code `"DEPTH"`. The stages recurse once per nesting level
//! and unoptimised builds use several KiB of stack per level, so expressions of more than a few
//! dozen tokens are parsed on a scoped helper thread with a 16 MiB stack (see `parse_expr`);
//! every construct is processed in its own small function for the same reason.

use super::ast::{BinaryOp, Expr, ExprKind, Group, Lambda, Path, SortTerm, Span, Stage, Step};
use super::lexer::{Lexer, Token, TokenKind, js_number, json_quote};
use super::{ParseError, ParseOptions};

/// Maximum nesting depth of an expression (parser recursion and syntax-tree depth). Real
/// expressions stay far below; the limit only protects against stack exhaustion.
pub const MAX_DEPTH: usize = 200;

// ---------------------------------------------------------------------------------------------
// Stage 1: raw operator tree
// ---------------------------------------------------------------------------------------------

/// A node of the raw tree, as jsonata-js's parser builds it before `processAST`.
#[derive(Debug)]
struct Raw {
    kind: RawKind,
    span: Span,
    /// Offset reported in errors about this node (its operator or first token).
    pos: usize,
    /// `[]` was applied to this node.
    keep_array: bool,
    /// End offset including a trailing `[]`.
    full_end: usize,
    depth: usize,
}

#[derive(Debug)]
enum RawKind {
    Name(String),
    Variable(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Regex {
        pattern: String,
        flags: String,
    },
    /// `and`, `or`, `in` used as an operand: a field name.
    KeywordName(&'static str),
    Placeholder,
    End,
    Wildcard,
    Descendant,
    Parent,
    Neg(Box<Raw>),
    /// `.`, arithmetic, comparison, `&`, `and`, `or`, `in`, `..`, `~>`.
    Binary {
        op: &'static str,
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    Predicate {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    Group {
        lhs: Box<Raw>,
        pairs: Vec<(Raw, Raw)>,
    },
    Sort {
        lhs: Box<Raw>,
        terms: Vec<(bool, Raw)>,
    },
    Bind {
        name: String,
        name_pos: usize,
        rhs: Box<Raw>,
    },
    Focus {
        lhs: Box<Raw>,
        var: String,
    },
    Index {
        lhs: Box<Raw>,
        var: String,
    },
    Array(Vec<Raw>),
    Object(Vec<(Raw, Raw)>),
    Block(Vec<Raw>),
    Call {
        procedure: Box<Raw>,
        args: Vec<Raw>,
        partial: bool,
    },
    Lambda {
        params: Vec<String>,
        signature: Option<String>,
        body: Box<Raw>,
    },
    Condition {
        cond: Box<Raw>,
        then: Box<Raw>,
        otherwise: Option<Box<Raw>>,
    },
    Coalesce {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    Elvis {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    Transform {
        pattern: Box<Raw>,
        update: Box<Raw>,
        delete: Option<Box<Raw>>,
    },
}

impl RawKind {
    /// Depth of the deepest child.
    fn child_depth(&self) -> usize {
        fn d(r: &Raw) -> usize {
            r.depth
        }
        fn dv(v: &[Raw]) -> usize {
            v.iter().map(d).max().unwrap_or(0)
        }
        fn dp(v: &[(Raw, Raw)]) -> usize {
            v.iter().map(|(a, b)| a.depth.max(b.depth)).max().unwrap_or(0)
        }
        match self {
            RawKind::Name(_)
            | RawKind::Variable(_)
            | RawKind::Str(_)
            | RawKind::Num(_)
            | RawKind::Bool(_)
            | RawKind::Null
            | RawKind::Regex { .. }
            | RawKind::KeywordName(_)
            | RawKind::Placeholder
            | RawKind::End
            | RawKind::Wildcard
            | RawKind::Descendant
            | RawKind::Parent => 0,
            RawKind::Neg(e) => d(e),
            RawKind::Binary { lhs, rhs, .. }
            | RawKind::Predicate { lhs, rhs }
            | RawKind::Coalesce { lhs, rhs }
            | RawKind::Elvis { lhs, rhs } => d(lhs).max(d(rhs)),
            RawKind::Group { lhs, pairs } => d(lhs).max(dp(pairs)),
            RawKind::Sort { lhs, terms } => terms.iter().map(|(_, t)| d(t)).fold(d(lhs), usize::max),
            RawKind::Bind { rhs, .. } => d(rhs),
            RawKind::Focus { lhs, .. } | RawKind::Index { lhs, .. } => d(lhs),
            RawKind::Array(v) | RawKind::Block(v) => dv(v),
            RawKind::Object(p) => dp(p),
            RawKind::Call { procedure, args, .. } => d(procedure).max(dv(args)),
            RawKind::Lambda { body, .. } => d(body),
            RawKind::Condition { cond, then, otherwise } => {
                d(cond).max(d(then)).max(otherwise.as_deref().map(d).unwrap_or(0))
            }
            RawKind::Transform { pattern, update, delete } => {
                d(pattern).max(d(update)).max(delete.as_deref().map(d).unwrap_or(0))
            }
        }
    }
}

fn depth_error(offset: usize) -> ParseError {
    ParseError::new("DEPTH", offset, format!("Expression is nested deeper than {MAX_DEPTH} levels"))
}

fn raw(kind: RawKind, span: Span, pos: usize) -> Result<Raw, ParseError> {
    let depth = kind.child_depth() + 1;
    if depth > MAX_DEPTH {
        return Err(depth_error(pos));
    }
    Ok(Raw { kind, span, pos, keep_array: false, full_end: span.1, depth })
}

/// A token that is an operand by itself (name, literal, `*`, `%`, keyword used as a name), or the
/// S0211 error for an operator that cannot start an operand.
#[inline(never)]
fn leaf_token(kind: TokenKind, start: usize, end: usize) -> Result<Raw, ParseError> {
    let k = match kind {
        TokenKind::Name(n) => RawKind::Name(n),
        TokenKind::Variable(v) => RawKind::Variable(v),
        TokenKind::String(s) => RawKind::Str(s),
        TokenKind::Number(n) => RawKind::Num(n),
        TokenKind::Bool(b) => RawKind::Bool(b),
        TokenKind::Null => RawKind::Null,
        TokenKind::Regex { pattern, flags } => RawKind::Regex { pattern, flags },
        TokenKind::Operator(op @ ("and" | "or" | "in")) => RawKind::KeywordName(op),
        TokenKind::Operator("*") => RawKind::Wildcard,
        TokenKind::Operator("**") => RawKind::Descendant,
        TokenKind::Operator("%") => RawKind::Parent,
        TokenKind::Operator(op) => {
            return Err(ParseError::new(
                "S0211",
                start,
                format!("The symbol {} cannot be used as a unary operator", json_quote(op)),
            ));
        }
    };
    raw(k, (start, end), start)
}

/// jsonata-js S0201 for a token where none may stand.
fn syntax_error(t: Option<&Token>, src_len: usize) -> ParseError {
    let (pos, what) = match t {
        Some(t) => (t.start, t.kind.describe()),
        None => (src_len, json_quote("(end)")),
    };
    ParseError::new("S0201", pos, format!("Syntax error: {what}"))
}

/// Left binding power of a token id (jsonata-js `symbol_table[id].lbp`).
fn lbp(id: &str) -> usize {
    match id {
        "." => 75,
        "[" | "(" | "@" | "#" => 80,
        "{" => 70,
        "*" | "/" | "%" => 60,
        "+" | "-" | "&" => 50,
        "=" | "<" | ">" | "!=" | "<=" | ">=" | "in" | "^" | "~>" | "??" | "?:" => 40,
        "and" => 30,
        "or" => 25,
        "?" => 20,
        ":=" => 10,
        _ => 0,
    }
}

/// The Pratt parser state.
struct Parser<'a> {
    lexer: Lexer<'a>,
    src_len: usize,
    /// Current token; `None` is jsonata-js's `(end)`.
    node: Option<Token>,
    /// End offset of the last consumed token.
    prev_end: usize,
    /// Current recursion depth of [`Parser::expression`].
    calls: usize,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, opts: ParseOptions) -> Self {
        Parser {
            lexer: Lexer::new(src, opts.coalescing_operators),
            src_len: src.len(),
            node: None,
            prev_end: 0,
            calls: 0,
        }
    }

    /// jsonata-js symbol id of the current token.
    fn id(&self) -> &'static str {
        match &self.node {
            None => "(end)",
            Some(t) => match &t.kind {
                TokenKind::Name(_) | TokenKind::Variable(_) => "(name)",
                TokenKind::String(_) | TokenKind::Number(_) | TokenKind::Bool(_) | TokenKind::Null => "(literal)",
                TokenKind::Regex { .. } => "(regex)",
                TokenKind::Operator(o) => o,
            },
        }
    }

    fn node_start(&self) -> usize {
        self.node.as_ref().map(|t| t.start).unwrap_or(self.src_len)
    }

    /// Moves to the next token, first checking that the current one is `expected`.
    fn advance(&mut self, expected: Option<&str>, infix: bool) -> Result<(), ParseError> {
        if let Some(id) = expected
            && self.id() != id
        {
            return Err(match &self.node {
                None => ParseError::new(
                    "S0203",
                    self.src_len,
                    format!("Expected {} before end of expression", json_quote(id)),
                ),
                Some(t) => {
                    ParseError::new("S0202", t.start, format!("Expected {}, got {}", json_quote(id), t.kind.describe()))
                }
            });
        }
        let next = self.lexer.next_token(infix)?;
        if let Some(Token { kind: TokenKind::Operator(op @ ("!" | "~")), start, .. }) = &next {
            return Err(ParseError::new("S0204", *start, format!("Unknown operator: {}", json_quote(op))));
        }
        if let Some(t) = &self.node {
            self.prev_end = t.end;
        }
        self.node = next;
        Ok(())
    }

    /// Pratt's `expression(rbp)`.
    fn expression(&mut self, rbp: usize) -> Result<Raw, ParseError> {
        self.calls += 1;
        if self.calls > MAX_DEPTH {
            return Err(depth_error(self.node_start()));
        }
        let t = self.node.clone();
        self.advance(None, true)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(self.id()) {
            let t = self.node.clone();
            self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        self.calls -= 1;
        Ok(left)
    }

    /// Prefix (null denotation) handling of token `t`, which has just been consumed. Each
    /// construct has its own method so deep nesting only stacks small frames.
    fn nud(&mut self, t: Option<Token>) -> Result<Raw, ParseError> {
        let Some(t) = t else {
            return raw(RawKind::End, (self.src_len, self.src_len), self.src_len);
        };
        match t.kind {
            TokenKind::Operator("-") => self.nud_neg(t.start),
            TokenKind::Operator("(") => self.nud_block(t.start),
            TokenKind::Operator("[") => self.nud_array(t.start),
            TokenKind::Operator("{") => self.nud_object(t.start),
            TokenKind::Operator("|") => self.nud_transform(t.start),
            kind => leaf_token(kind, t.start, t.end),
        }
    }

    /// Unary minus.
    #[inline(never)]
    fn nud_neg(&mut self, start: usize) -> Result<Raw, ParseError> {
        let e = self.expression(70)?;
        raw(RawKind::Neg(Box::new(e)), (start, self.prev_end), start)
    }

    /// Block `( e; e; ... )`.
    #[inline(never)]
    fn nud_block(&mut self, start: usize) -> Result<Raw, ParseError> {
        let mut exprs = Vec::new();
        while self.id() != ")" {
            exprs.push(self.expression(0)?);
            if self.id() != ";" {
                break;
            }
            self.advance(Some(";"), false)?;
        }
        self.advance(Some(")"), true)?;
        raw(RawKind::Block(exprs), (start, self.prev_end), start)
    }

    /// Array constructor `[ a, b..c ]`.
    #[inline(never)]
    fn nud_array(&mut self, start: usize) -> Result<Raw, ParseError> {
        let mut items = Vec::new();
        if self.id() != "]" {
            loop {
                let mut item = self.expression(0)?;
                if self.id() == ".." {
                    let pos = self.node_start();
                    self.advance(Some(".."), false)?;
                    let rhs = self.expression(0)?;
                    let span = (item.span.0, self.prev_end);
                    item = raw(RawKind::Binary { op: "..", lhs: Box::new(item), rhs: Box::new(rhs) }, span, pos)?;
                }
                items.push(item);
                if self.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("]"), true)?;
        raw(RawKind::Array(items), (start, self.prev_end), start)
    }

    /// Object constructor `{ k: v }`.
    #[inline(never)]
    fn nud_object(&mut self, start: usize) -> Result<Raw, ParseError> {
        let pairs = self.object_pairs()?;
        raw(RawKind::Object(pairs), (start, self.prev_end), start)
    }

    /// Transform `| pattern | update, delete |`.
    #[inline(never)]
    fn nud_transform(&mut self, start: usize) -> Result<Raw, ParseError> {
        let pattern = self.expression(0)?;
        self.advance(Some("|"), false)?;
        let update = self.expression(0)?;
        let mut delete = None;
        if self.id() == "," {
            self.advance(Some(","), false)?;
            delete = Some(Box::new(self.expression(0)?));
        }
        self.advance(Some("|"), false)?;
        raw(
            RawKind::Transform { pattern: Box::new(pattern), update: Box::new(update), delete },
            (start, self.prev_end),
            start,
        )
    }

    /// `k: v, ...}` of an object constructor or grouping (the `{` is consumed).
    fn object_pairs(&mut self) -> Result<Vec<(Raw, Raw)>, ParseError> {
        let mut pairs = Vec::new();
        if self.id() != "}" {
            loop {
                let k = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let v = self.expression(0)?;
                pairs.push((k, v));
                if self.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(pairs)
    }

    /// Infix (left denotation) handling of operator token `t` (just consumed) after `left`.
    fn led(&mut self, t: Option<Token>, left: Raw) -> Result<Raw, ParseError> {
        let Some(Token { kind: TokenKind::Operator(op), start: pos, .. }) = t else {
            return Err(syntax_error(t.as_ref(), self.src_len));
        };
        match op {
            "." | "+" | "-" | "*" | "/" | "%" | "=" | "<" | ">" | "!=" | "<=" | ">=" | "&" | "and" | "or" | "in"
            | "~>" => self.led_binary(op, left, pos),
            "(" => self.call(left, pos),
            "[" => self.led_predicate(left, pos),
            "^" => self.led_sort(left, pos),
            "{" => self.led_group(left, pos),
            ":=" => self.led_bind(left, pos),
            "@" | "#" => self.led_binding(op, left, pos),
            "?" => self.led_condition(left, pos),
            "??" | "?:" => self.led_coalesce(op, left, pos),
            _ => Err(ParseError::new("S0201", pos, format!("Syntax error: {}", json_quote(op)))),
        }
    }

    /// Left-associative binary operator.
    #[inline(never)]
    fn led_binary(&mut self, op: &'static str, left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        let rhs = self.expression(lbp(op))?;
        raw(RawKind::Binary { op, lhs: Box::new(left), rhs: Box::new(rhs) }, (start, self.prev_end), pos)
    }

    /// `left[ predicate ]`, or `left[]` (keep singleton arrays, flagged on the innermost
    /// non-predicate node like jsonata-js does).
    #[inline(never)]
    fn led_predicate(&mut self, mut left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        if self.id() == "]" {
            let mut step = &mut left;
            while let RawKind::Predicate { lhs, .. } = &mut step.kind {
                step = lhs;
            }
            step.keep_array = true;
            self.advance(Some("]"), false)?;
            left.full_end = self.prev_end;
            return Ok(left);
        }
        let rhs = self.expression(0)?;
        self.advance(Some("]"), true)?;
        raw(RawKind::Predicate { lhs: Box::new(left), rhs: Box::new(rhs) }, (start, self.prev_end), pos)
    }

    /// `left^( <a, >b )`.
    #[inline(never)]
    fn led_sort(&mut self, left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        self.advance(Some("("), false)?;
        let mut terms = Vec::new();
        loop {
            let mut descending = false;
            if self.id() == "<" {
                self.advance(Some("<"), false)?;
            } else if self.id() == ">" {
                descending = true;
                self.advance(Some(">"), false)?;
            }
            terms.push((descending, self.expression(0)?));
            if self.id() != "," {
                break;
            }
            self.advance(Some(","), false)?;
        }
        self.advance(Some(")"), false)?;
        raw(RawKind::Sort { lhs: Box::new(left), terms }, (start, self.prev_end), pos)
    }

    /// `left{ k: v }` grouping.
    #[inline(never)]
    fn led_group(&mut self, left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        let pairs = self.object_pairs()?;
        raw(RawKind::Group { lhs: Box::new(left), pairs }, (start, self.prev_end), pos)
    }

    /// `$name := value` (right associative).
    #[inline(never)]
    fn led_bind(&mut self, left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        let RawKind::Variable(name) = left.kind else {
            return Err(ParseError::new(
                "S0212",
                left.pos,
                "The left side of := must be a variable name (start with $)".to_string(),
            ));
        };
        let rhs = self.expression(lbp(":=") - 1)?;
        raw(RawKind::Bind { name, name_pos: left.pos, rhs: Box::new(rhs) }, (start, self.prev_end), pos)
    }

    /// `left@$var` / `left#$var`.
    #[inline(never)]
    fn led_binding(&mut self, op: &'static str, left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        let rhs = self.expression(lbp(op))?;
        let RawKind::Variable(var) = rhs.kind else {
            return Err(ParseError::new(
                "S0214",
                rhs.pos,
                format!("The right side of {} must be a variable name (start with $)", json_quote(op)),
            ));
        };
        let lhs = Box::new(left);
        let kind = if op == "@" { RawKind::Focus { lhs, var } } else { RawKind::Index { lhs, var } };
        raw(kind, (start, self.prev_end), pos)
    }

    /// `left ? then : otherwise`.
    #[inline(never)]
    fn led_condition(&mut self, left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        let then = self.expression(0)?;
        let mut otherwise = None;
        if self.id() == ":" {
            self.advance(Some(":"), false)?;
            otherwise = Some(Box::new(self.expression(0)?));
        }
        raw(RawKind::Condition { cond: Box::new(left), then: Box::new(then), otherwise }, (start, self.prev_end), pos)
    }

    /// `left ?? rhs` / `left ?: rhs` (JSONata 2.1).
    #[inline(never)]
    fn led_coalesce(&mut self, op: &'static str, left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        let rhs = Box::new(self.expression(0)?);
        let lhs = Box::new(left);
        let kind = if op == "??" { RawKind::Coalesce { lhs, rhs } } else { RawKind::Elvis { lhs, rhs } };
        raw(kind, (start, self.prev_end), pos)
    }

    /// Function call, partial application or lambda definition after `left(`.
    #[inline(never)]
    fn call(&mut self, left: Raw, pos: usize) -> Result<Raw, ParseError> {
        let start = left.span.0;
        let mut args = Vec::new();
        let mut partial = false;
        if self.id() != ")" {
            loop {
                if self.id() == "?" {
                    partial = true;
                    let (s, e) = self.node.as_ref().map(|t| (t.start, t.end)).unwrap_or((self.src_len, self.src_len));
                    args.push(raw(RawKind::Placeholder, (s, e), s)?);
                    self.advance(Some("?"), false)?;
                } else {
                    args.push(self.expression(0)?);
                }
                if self.id() != "," {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some(")"), true)?;
        let is_lambda = matches!(&left.kind, RawKind::Name(n) if n == "function" || n == "\u{3bb}");
        if !is_lambda {
            return raw(RawKind::Call { procedure: Box::new(left), args, partial }, (start, self.prev_end), pos);
        }
        let mut params = Vec::with_capacity(args.len());
        for (i, a) in args.into_iter().enumerate() {
            match a.kind {
                RawKind::Variable(v) => params.push(v),
                _ => {
                    return Err(ParseError::new(
                        "S0208",
                        a.pos,
                        format!("Parameter {} of function definition must be a variable name (start with $)", i + 1),
                    ));
                }
            }
        }
        let mut signature = None;
        if self.id() == "<" {
            let sig_pos = self.node_start();
            let mut depth = 1;
            let mut sig = String::from("<");
            while depth > 0 && self.id() != "{" && self.id() != "(end)" {
                self.advance(None, false)?;
                match self.id() {
                    ">" => depth -= 1,
                    "<" => depth += 1,
                    _ => {}
                }
                match &self.node {
                    Some(t) => sig.push_str(&t.kind.value_text()),
                    None => sig.push_str("(end)"),
                }
            }
            self.advance(Some(">"), false)?;
            if let Err((code, offset, message)) = validate_signature(&sig) {
                return Err(ParseError::new(code, sig_pos + offset.min(sig.len()), message));
            }
            signature = Some(sig);
        }
        self.advance(Some("{"), false)?;
        let body = self.expression(0)?;
        self.advance(Some("}"), false)?;
        raw(RawKind::Lambda { params, signature, body: Box::new(body) }, (start, self.prev_end), pos)
    }
}

/// The checks jsonata-js's `parseSignature` makes at parse time: `<` type parameters only after
/// `a` or `f` (S0401), no parameterised types inside a choice `(...)` (S0402), and a parameter
/// list whose generated JavaScript regex compiles (quantifiers `?`/`+`/`-` that stack into an
/// invalid pattern such as `n++` are rejected like jsonata-js rejects them, code S0401 is not
/// right for that, so it is reported as a plain syntax error S0201).
fn validate_signature(sig: &str) -> Result<(), (&'static str, usize, String)> {
    let chars: Vec<char> = sig.chars().collect();
    #[derive(Default, Clone)]
    struct Param {
        ty: Option<char>,
        suffix: String,
    }
    let mut params: Vec<Param> = Vec::new();
    let mut current = Param::default();
    // `None`: the previous parameter is still the current (unpushed) one, as at the start.
    let mut prev: Option<usize> = None;
    let find_close = |start: usize, open: char, close: char| {
        let mut depth = 1;
        let mut p = start;
        while p < chars.len() {
            p += 1;
            match chars.get(p) {
                Some(c) if *c == close => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Some(c) if *c == open => depth += 1,
                _ => {}
            }
        }
        p
    };
    let mut pos = 1;
    while pos < chars.len() {
        let sym = chars[pos];
        if sym == ':' {
            break;
        }
        let mut push = |current: &mut Param, prev: &mut Option<usize>| {
            params.push(std::mem::take(current));
            *prev = Some(params.len() - 1);
        };
        match sym {
            's' | 'n' | 'b' | 'l' | 'o' | 'a' | 'f' | 'j' | 'x' => {
                current.ty = Some(sym);
                current.suffix.clear();
                push(&mut current, &mut prev);
            }
            '-' | '?' | '+' => {
                let q = if sym == '-' { '?' } else { sym };
                match prev {
                    Some(i) => {
                        if let Some(p) = params.get_mut(i) {
                            p.suffix.push(q)
                        }
                    }
                    None => current.suffix.push(q),
                }
            }
            '(' => {
                let end = find_close(pos, '(', ')');
                let choice: String =
                    chars.get(pos + 1..end.min(chars.len())).map(|s| s.iter().collect()).unwrap_or_default();
                if choice.contains('<') {
                    return Err((
                        "S0402",
                        pos,
                        "Choice groups containing parameterized types are not supported".to_string(),
                    ));
                }
                current.ty = Some('(');
                current.suffix.clear();
                push(&mut current, &mut prev);
                pos = end;
            }
            '<' => {
                let prev_ty = match prev {
                    Some(i) => params.get(i).and_then(|p| p.ty),
                    None => current.ty,
                };
                if matches!(prev_ty, Some('a' | 'f')) {
                    pos = find_close(pos, '<', '>');
                } else {
                    return Err((
                        "S0401",
                        pos,
                        "Type parameters can only be applied to functions and arrays".to_string(),
                    ));
                }
            }
            _ => {}
        }
        pos += 1;
    }
    // A JavaScript quantifier suffix is valid when it is empty, one of `?`/`+`, optionally
    // followed by one lazy `?`.
    for p in &params {
        let s = p.suffix.as_bytes();
        let ok = match s.len() {
            0 | 1 => true,
            2 => s[1] == b'?',
            _ => false,
        };
        if !ok {
            return Err(("S0201", 0, format!("Invalid function signature: {}", json_quote(sig))));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Stage 2: processAST
// ---------------------------------------------------------------------------------------------

/// A processed node, loosely typed like the JavaScript objects `processAST` returns: any node may
/// carry the step annotations until it is known whether it ends up as a path step.
#[derive(Debug)]
struct P {
    kind: PK,
    span: Span,
    /// End including predicates / grouping / `[]` written after a non-path node.
    full_end: usize,
    pos: usize,
    predicate: Option<Vec<(P, usize)>>,
    stages: Option<Vec<PStage>>,
    group: Option<PGroup>,
    keep_array: bool,
    focus: Option<String>,
    index: Option<String>,
    tuple: bool,
    ancestor: Option<usize>,
    cons_array: bool,
    seeking: Option<Vec<usize>>,
}

#[derive(Debug)]
enum PStage {
    Filter(Box<P>, usize),
    Index(String, usize),
}

#[derive(Debug)]
struct PGroup {
    pairs: Vec<(P, P)>,
    pos: usize,
}

#[derive(Debug)]
enum PK {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Regex { pattern: String, flags: String },
    Name(String),
    Variable(String),
    Wildcard,
    Descendant,
    Parent(usize),
    Path { steps: Vec<P>, keep_singleton: bool },
    Neg(Box<P>),
    Binary { op: BinaryOp, lhs: Box<P>, rhs: Box<P> },
    Array(Vec<P>),
    Object(Vec<(P, P)>),
    Block(Vec<P>),
    Condition { cond: Box<P>, then: Box<P>, otherwise: Option<Box<P>> },
    Coalesce { lhs: Box<P>, rhs: Box<P> },
    Elvis { lhs: Box<P>, rhs: Box<P> },
    Bind { name: String, name_pos: usize, value: Box<P> },
    Apply { lhs: Box<P>, rhs: Box<P> },
    Call { procedure: Box<P>, args: Vec<P>, partial: bool },
    Placeholder,
    Lambda { params: Vec<String>, signature: Option<String>, body: Box<P> },
    Transform { pattern: Box<P>, update: Box<P>, delete: Option<Box<P>> },
    Sort(Vec<(bool, P)>),
}

impl P {
    fn new(kind: PK, span: Span, pos: usize) -> P {
        P {
            kind,
            span,
            full_end: span.1,
            pos,
            predicate: None,
            stages: None,
            group: None,
            keep_array: false,
            focus: None,
            index: None,
            tuple: false,
            ancestor: None,
            cons_array: false,
            seeking: None,
        }
    }

    fn is_path(&self) -> bool {
        matches!(self.kind, PK::Path { .. })
    }

    /// Extends the node to cover a postfix construct ending at `end`.
    fn extend(&mut self, end: usize) {
        if self.is_path() {
            self.span.1 = self.span.1.max(end);
        } else {
            self.full_end = self.full_end.max(end);
        }
    }

    /// Runs `f` on the node postfix annotations attach to: the last step of a path, else the node
    /// itself.
    fn with_step<R>(&mut self, f: impl FnOnce(&mut P) -> R) -> R {
        if let PK::Path { steps, .. } = &mut self.kind
            && let Some(last) = steps.last_mut()
        {
            return f(last);
        }
        f(self)
    }

    /// Wraps a non-path node into a one-step path.
    fn into_path(self) -> P {
        if self.is_path() {
            return self;
        }
        let span = (self.span.0, self.span.1.max(self.full_end));
        let pos = self.pos;
        P::new(PK::Path { steps: vec![self], keep_singleton: false }, span, pos)
    }
}

/// Parent-operator slot (jsonata-js `{label, level, index}`).
#[derive(Debug)]
struct Slot {
    label: u32,
    level: i64,
}

struct Processor {
    slots: Vec<Slot>,
}

fn parent_error(pos: usize) -> ParseError {
    ParseError::new(
        "S0217",
        pos,
        "The object representing the 'parent' cannot be derived from this expression".to_string(),
    )
}

/// jsonata-js `pushAncestry`: propagates unresolved `%` slots of `value` to `result`.
fn push_ancestry(result: &mut P, value: &P) {
    if value.seeking.is_none() && !matches!(value.kind, PK::Parent(_)) {
        return;
    }
    let mut slots = value.seeking.clone().unwrap_or_default();
    if let PK::Parent(s) = value.kind {
        slots.push(s);
    }
    match &mut result.seeking {
        None => result.seeking = Some(slots),
        Some(v) => v.extend(slots),
    }
}

// Constructs hand their boxed children down unopened so that, in unoptimised builds, every
// nesting level only stacks small frames.
#[allow(clippy::boxed_local)]
impl Processor {
    fn slot_level(&self, s: usize) -> i64 {
        self.slots.get(s).map(|x| x.level).unwrap_or(0)
    }

    fn add_level(&mut self, s: usize, d: i64) {
        if let Some(x) = self.slots.get_mut(s) {
            x.level += d;
        }
    }

    /// jsonata-js `seekParent`: walks back from `node` to the step the `%` of `slot` refers to.
    fn seek_parent(&mut self, node: &mut P, slot: usize) -> Result<(), ParseError> {
        match &mut node.kind {
            PK::Name(_) | PK::Wildcard => {
                self.add_level(slot, -1);
                if self.slot_level(slot) == 0 {
                    if let Some(a) = node.ancestor {
                        let label = self.slots.get(a).map(|x| x.label).unwrap_or(0);
                        if let Some(x) = self.slots.get_mut(slot) {
                            x.label = label;
                        }
                    }
                    node.ancestor = Some(slot);
                    node.tuple = true;
                }
            }
            PK::Parent(_) => self.add_level(slot, 1),
            PK::Block(exprs) => {
                if let Some(last) = exprs.last_mut() {
                    node.tuple = true;
                    self.seek_parent(last, slot)?;
                }
            }
            PK::Path { steps, .. } => {
                node.tuple = true;
                let mut index = steps.len() as isize - 1;
                if let Some(s) = steps.last_mut() {
                    self.seek_parent(s, slot)?;
                }
                index -= 1;
                while self.slot_level(slot) > 0 && index >= 0 {
                    if let Some(s) = steps.get_mut(index as usize) {
                        self.seek_parent(s, slot)?;
                    }
                    index -= 1;
                }
            }
            _ => return Err(parent_error(node.pos)),
        }
        Ok(())
    }

    /// jsonata-js `resolveAncestry`: resolves `%`s in the last step of `path` against earlier steps.
    fn resolve_ancestry(&mut self, path: &mut P) -> Result<(), ParseError> {
        let PK::Path { steps, .. } = &mut path.kind else {
            return Ok(());
        };
        let Some(last) = steps.last() else {
            return Ok(());
        };
        let mut slots = last.seeking.clone().unwrap_or_default();
        if let PK::Parent(s) = last.kind {
            slots.push(s);
        }
        let has_focus = |p: &P| p.focus.as_deref().is_some_and(|f| !f.is_empty());
        for slot in slots {
            let mut index = steps.len() as isize - 2;
            while self.slot_level(slot) > 0 {
                if index < 0 {
                    path.seeking.get_or_insert_with(Vec::new).push(slot);
                    break;
                }
                let mut step = index as usize;
                index -= 1;
                while index >= 0
                    && steps.get(step).is_some_and(has_focus)
                    && steps.get(index as usize).is_some_and(has_focus)
                {
                    step = index as usize;
                    index -= 1;
                }
                if let Some(s) = steps.get_mut(step) {
                    self.seek_parent(s, slot)?;
                }
            }
        }
        Ok(())
    }

    /// Processes two operands and returns a fresh node carrying their unresolved `%` slots.
    fn operands(&mut self, lhs: Raw, rhs: Raw, span: Span, pos: usize) -> Result<(P, Box<P>, Box<P>), ParseError> {
        let lhs = self.process_box(lhs)?;
        let rhs = self.process_box(rhs)?;
        let mut result = P::new(PK::Placeholder, span, pos);
        push_ancestry(&mut result, &lhs);
        push_ancestry(&mut result, &rhs);
        Ok((result, lhs, rhs))
    }

    fn process_box(&mut self, r: Raw) -> Result<Box<P>, ParseError> {
        self.process(r).map(Box::new)
    }

    /// jsonata-js `processAST`.
    ///
    /// Every construct is handled in its own method so that, in unoptimised builds, each level of
    /// nesting only costs the stack frame of the construct actually being processed.
    fn process(&mut self, r: Raw) -> Result<P, ParseError> {
        let keep_array = r.keep_array;
        let full_end = r.full_end;
        let mut result = self.process_kind(r)?;
        if keep_array {
            result.keep_array = true;
            result.extend(full_end);
        }
        Ok(result)
    }

    fn process_kind(&mut self, r: Raw) -> Result<P, ParseError> {
        let Raw { kind, span, pos, .. } = r;
        match kind {
            RawKind::Binary { op: ".", lhs, rhs } => self.p_dot(lhs, rhs, span),
            RawKind::Predicate { lhs, rhs } => self.p_predicate(lhs, rhs, span, pos),
            RawKind::Group { lhs, pairs } => self.p_group(lhs, pairs, span, pos),
            RawKind::Sort { lhs, terms } => self.p_sort(lhs, terms, span, pos),
            RawKind::Bind { name, name_pos, rhs } => self.p_bind(name, name_pos, rhs, span, pos),
            RawKind::Focus { lhs, var } => self.p_focus(lhs, var, r.keep_array, span, pos),
            RawKind::Index { lhs, var } => self.p_index(lhs, var, span, pos),
            RawKind::Binary { op: "~>", lhs, rhs } => self.p_apply(lhs, rhs, span, pos),
            RawKind::Binary { op, lhs, rhs } => self.p_binary(op, lhs, rhs, span, pos),
            RawKind::Array(items) => self.p_array(items, span, pos),
            RawKind::Object(pairs) => self.p_object(pairs, span, pos),
            RawKind::Neg(e) => self.p_neg(e, span, pos),
            RawKind::Call { procedure, args, partial } => self.p_call(procedure, args, partial, span, pos),
            RawKind::Lambda { params, signature, body } => self.p_lambda(params, signature, body, span, pos),
            RawKind::Condition { cond, then, otherwise } => self.p_condition(cond, then, otherwise, span, pos),
            RawKind::Coalesce { lhs, rhs } => self.p_coalesce(lhs, rhs, true, span, pos),
            RawKind::Elvis { lhs, rhs } => self.p_coalesce(lhs, rhs, false, span, pos),
            RawKind::Transform { pattern, update, delete } => self.p_transform(pattern, update, delete, span, pos),
            RawKind::Block(exprs) => self.p_block(exprs, span, pos),
            leaf => self.p_leaf(leaf, span, pos, r.keep_array),
        }
    }

    /// Names, literals, variables, `*`, `**`, `%`, `?` placeholders and the end marker.
    #[inline(never)]
    fn p_leaf(&mut self, kind: RawKind, span: Span, pos: usize, keep_array: bool) -> Result<P, ParseError> {
        let k = match kind {
            RawKind::Name(n) => return Ok(name_path(n, span, pos, keep_array)),
            RawKind::KeywordName(n) => return Ok(name_path(n.to_string(), span, pos, keep_array)),
            RawKind::Parent => {
                let s = self.slots.len();
                self.slots.push(Slot { label: s as u32, level: 1 });
                PK::Parent(s)
            }
            RawKind::Str(s) => PK::Str(s),
            RawKind::Num(n) => PK::Num(n),
            RawKind::Bool(b) => PK::Bool(b),
            RawKind::Null => PK::Null,
            RawKind::Regex { pattern, flags } => PK::Regex { pattern, flags },
            RawKind::Variable(v) => PK::Variable(v),
            RawKind::Wildcard => PK::Wildcard,
            RawKind::Descendant => PK::Descendant,
            RawKind::Placeholder => PK::Placeholder,
            _ => {
                return Err(ParseError::new("S0207", pos, "Unexpected end of expression".to_string()));
            }
        };
        Ok(P::new(k, span, pos))
    }

    /// `lhs.rhs`: builds or extends a path.
    #[inline(never)]
    fn p_dot(&mut self, lhs: Box<Raw>, rhs: Box<Raw>, span: Span) -> Result<P, ParseError> {
        let lstep = self.process(*lhs)?;
        let parent_slot = match lstep.kind {
            PK::Parent(s) => Some(s),
            _ => None,
        };
        let mut result = lstep.into_path();
        result.span = span;
        if let Some(s) = parent_slot {
            result.seeking = Some(vec![s]);
        }
        let mut rest = self.process(*rhs)?;
        if let PK::Path { steps, .. } = &mut result.kind {
            match rest.kind {
                PK::Path { steps: more, .. } => steps.extend(more),
                _ => {
                    if let Some(p) = rest.predicate.take() {
                        rest.stages = Some(p.into_iter().map(|(e, o)| PStage::Filter(Box::new(e), o)).collect());
                        rest.span.1 = rest.span.1.max(rest.full_end);
                    }
                    steps.push(rest);
                }
            }
            let mut keep = false;
            for step in steps.iter_mut() {
                match &step.kind {
                    PK::Num(n) => return Err(literal_step_error(step.pos, &js_number(*n))),
                    PK::Bool(b) => return Err(literal_step_error(step.pos, &b.to_string())),
                    PK::Null => return Err(literal_step_error(step.pos, "null")),
                    PK::Str(s) => step.kind = PK::Name(s.clone()),
                    _ => {}
                }
                keep |= step.keep_array;
            }
            if let Some(first) = steps.first_mut()
                && matches!(first.kind, PK::Array(_))
            {
                first.cons_array = true;
            }
            if let Some(last) = steps.last_mut()
                && matches!(last.kind, PK::Array(_))
            {
                last.cons_array = true;
            }
            if keep && let PK::Path { keep_singleton, .. } = &mut result.kind {
                *keep_singleton = true;
            }
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    /// `lhs[rhs]`: a stage of the last step, or a predicate of a non-path expression.
    #[inline(never)]
    fn p_predicate(&mut self, lhs: Box<Raw>, rhs: Box<Raw>, span: Span, pos: usize) -> Result<P, ParseError> {
        let mut result = self.process(*lhs)?;
        let is_path = result.is_path();
        if result.with_step(|step| step.group.is_some()) {
            return Err(ParseError::new(
                "S0209",
                pos,
                "A predicate cannot follow a grouping expression in a step".to_string(),
            ));
        }
        let predicate = self.process(*rhs)?;
        result.with_step(|step| -> Result<(), ParseError> {
            if let Some(slots) = predicate.seeking.clone() {
                for s in slots {
                    if self.slot_level(s) == 1 {
                        self.seek_parent(step, s)?;
                    } else {
                        self.add_level(s, -1);
                    }
                }
                push_ancestry(step, &predicate);
            }
            if is_path {
                step.stages.get_or_insert_with(Vec::new).push(PStage::Filter(Box::new(predicate), pos));
            } else {
                step.predicate.get_or_insert_with(Vec::new).push((predicate, pos));
            }
            Ok(())
        })?;
        result.extend(span.1);
        Ok(result)
    }

    /// `lhs{ k: v }` grouping.
    #[inline(never)]
    fn p_group(&mut self, lhs: Box<Raw>, pairs: Vec<(Raw, Raw)>, span: Span, pos: usize) -> Result<P, ParseError> {
        let mut result = self.process(*lhs)?;
        if result.group.is_some() {
            return Err(ParseError::new("S0210", pos, "Each step can only have one grouping expression".to_string()));
        }
        let pairs = self.process_pairs(pairs, None)?;
        result.group = Some(PGroup { pairs, pos });
        result.extend(span.1);
        Ok(result)
    }

    /// Processes key/value pairs, propagating `%` slots to `ancestry` when given.
    fn process_pairs(
        &mut self,
        pairs: Vec<(Raw, Raw)>,
        mut ancestry: Option<&mut P>,
    ) -> Result<Vec<(P, P)>, ParseError> {
        let mut out = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let k = self.process(k)?;
            if let Some(a) = ancestry.as_deref_mut() {
                push_ancestry(a, &k);
            }
            let v = self.process(v)?;
            if let Some(a) = ancestry.as_deref_mut() {
                push_ancestry(a, &v);
            }
            out.push((k, v));
        }
        Ok(out)
    }

    /// Processes a list, propagating `%` slots to `ancestry`.
    fn process_list(&mut self, items: Vec<Raw>, ancestry: &mut P) -> Result<Vec<P>, ParseError> {
        let mut out = Vec::with_capacity(items.len());
        for i in items {
            let v = self.process(i)?;
            push_ancestry(ancestry, &v);
            out.push(v);
        }
        Ok(out)
    }

    /// `lhs^( terms )`: appends a sort step.
    #[inline(never)]
    fn p_sort(&mut self, lhs: Box<Raw>, terms: Vec<(bool, Raw)>, span: Span, pos: usize) -> Result<P, ParseError> {
        let mut result = self.process(*lhs)?.into_path();
        result.span = span;
        let mut sort = P::new(PK::Sort(Vec::new()), (pos, span.1), pos);
        let mut ts = Vec::with_capacity(terms.len());
        for (desc, t) in terms {
            let e = self.process(t)?;
            push_ancestry(&mut sort, &e);
            ts.push((desc, e));
        }
        sort.kind = PK::Sort(ts);
        if let PK::Path { steps, .. } = &mut result.kind {
            steps.push(sort);
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    /// `$name := rhs`.
    #[inline(never)]
    fn p_bind(
        &mut self,
        name: String,
        name_pos: usize,
        rhs: Box<Raw>,
        span: Span,
        pos: usize,
    ) -> Result<P, ParseError> {
        let value = self.process(*rhs)?;
        let mut result = P::new(PK::Placeholder, span, pos);
        push_ancestry(&mut result, &value);
        result.kind = PK::Bind { name, name_pos, value: Box::new(value) };
        Ok(result)
    }

    /// `lhs@$var`.
    #[inline(never)]
    fn p_focus(
        &mut self,
        lhs: Box<Raw>,
        var: String,
        keep_array: bool,
        span: Span,
        pos: usize,
    ) -> Result<P, ParseError> {
        let mut result = self.process(*lhs)?;
        result.with_step(|step| {
            if step.stages.is_some() || step.predicate.is_some() {
                return Err(ParseError::new(
                    "S0215",
                    pos,
                    "A context variable binding must precede any predicates on a step".to_string(),
                ));
            }
            if matches!(step.kind, PK::Sort(_)) {
                return Err(ParseError::new(
                    "S0216",
                    pos,
                    "A context variable binding must precede the 'order-by' clause on a step".to_string(),
                ));
            }
            if keep_array {
                step.keep_array = true;
            }
            step.focus = Some(var);
            step.tuple = true;
            Ok(())
        })?;
        result.extend(span.1);
        Ok(result)
    }

    /// `lhs#$var`.
    #[inline(never)]
    fn p_index(&mut self, lhs: Box<Raw>, var: String, span: Span, pos: usize) -> Result<P, ParseError> {
        let result = self.process(*lhs)?;
        let mut result = if result.is_path() {
            result
        } else {
            let mut inner = result;
            if let Some(p) = inner.predicate.take() {
                inner.stages = Some(p.into_iter().map(|(e, o)| PStage::Filter(Box::new(e), o)).collect());
            }
            inner.into_path()
        };
        result.with_step(|step| {
            match &mut step.stages {
                None => step.index = Some(var),
                Some(st) => st.push(PStage::Index(var, pos)),
            }
            step.tuple = true;
        });
        result.extend(span.1);
        Ok(result)
    }

    /// `lhs ~> rhs`.
    #[inline(never)]
    fn p_apply(&mut self, lhs: Box<Raw>, rhs: Box<Raw>, span: Span, pos: usize) -> Result<P, ParseError> {
        let lhs = self.process_box(*lhs)?;
        let rhs = self.process_box(*rhs)?;
        let mut result = P::new(PK::Placeholder, span, pos);
        result.keep_array = lhs.keep_array || rhs.keep_array;
        result.kind = PK::Apply { lhs, rhs };
        Ok(result)
    }

    /// Arithmetic, comparison, boolean, `&`, `in`, `..`.
    #[inline(never)]
    fn p_binary(
        &mut self,
        op: &'static str,
        lhs: Box<Raw>,
        rhs: Box<Raw>,
        span: Span,
        pos: usize,
    ) -> Result<P, ParseError> {
        let Some(op) = BinaryOp::from_symbol(op) else {
            return Err(ParseError::new("S0201", pos, format!("Syntax error: {}", json_quote(op))));
        };
        let (mut result, lhs, rhs) = self.operands(*lhs, *rhs, span, pos)?;
        result.kind = PK::Binary { op, lhs, rhs };
        Ok(result)
    }

    /// `??` (coalesce) or `?:` (elvis).
    #[inline(never)]
    fn p_coalesce(
        &mut self,
        lhs: Box<Raw>,
        rhs: Box<Raw>,
        coalesce: bool,
        span: Span,
        pos: usize,
    ) -> Result<P, ParseError> {
        let (mut result, lhs, rhs) = self.operands(*lhs, *rhs, span, pos)?;
        result.kind = if coalesce { PK::Coalesce { lhs, rhs } } else { PK::Elvis { lhs, rhs } };
        Ok(result)
    }

    /// Array constructor.
    #[inline(never)]
    fn p_array(&mut self, items: Vec<Raw>, span: Span, pos: usize) -> Result<P, ParseError> {
        let mut result = P::new(PK::Placeholder, span, pos);
        let items = self.process_list(items, &mut result)?;
        result.kind = PK::Array(items);
        Ok(result)
    }

    /// Object constructor.
    #[inline(never)]
    fn p_object(&mut self, pairs: Vec<(Raw, Raw)>, span: Span, pos: usize) -> Result<P, ParseError> {
        let mut result = P::new(PK::Placeholder, span, pos);
        let pairs = self.process_pairs(pairs, Some(&mut result))?;
        result.kind = PK::Object(pairs);
        Ok(result)
    }

    /// Unary minus; folded into a number literal.
    #[inline(never)]
    fn p_neg(&mut self, e: Box<Raw>, span: Span, pos: usize) -> Result<P, ParseError> {
        let e = self.process(*e)?;
        if let PK::Num(n) = e.kind {
            let mut r = e;
            r.kind = PK::Num(-n);
            r.span = span;
            r.full_end = r.full_end.max(span.1);
            return Ok(r);
        }
        let mut result = P::new(PK::Placeholder, span, pos);
        push_ancestry(&mut result, &e);
        result.kind = PK::Neg(Box::new(e));
        Ok(result)
    }

    /// Function call or partial application (arguments first, like jsonata-js).
    #[inline(never)]
    fn p_call(
        &mut self,
        procedure: Box<Raw>,
        args: Vec<Raw>,
        partial: bool,
        span: Span,
        pos: usize,
    ) -> Result<P, ParseError> {
        let mut result = P::new(PK::Placeholder, span, pos);
        let args = self.process_list(args, &mut result)?;
        let procedure = self.process_box(*procedure)?;
        result.kind = PK::Call { procedure, args, partial };
        Ok(result)
    }

    /// Lambda definition.
    #[inline(never)]
    fn p_lambda(
        &mut self,
        params: Vec<String>,
        signature: Option<String>,
        body: Box<Raw>,
        span: Span,
        pos: usize,
    ) -> Result<P, ParseError> {
        let body = self.process_box(*body)?;
        Ok(P::new(PK::Lambda { params, signature, body }, span, pos))
    }

    /// `cond ? then : otherwise`.
    #[inline(never)]
    fn p_condition(
        &mut self,
        cond: Box<Raw>,
        then: Box<Raw>,
        otherwise: Option<Box<Raw>>,
        span: Span,
        pos: usize,
    ) -> Result<P, ParseError> {
        let mut result = P::new(PK::Placeholder, span, pos);
        let cond = self.process_box(*cond)?;
        push_ancestry(&mut result, &cond);
        let then = self.process_box(*then)?;
        push_ancestry(&mut result, &then);
        let otherwise = match otherwise {
            Some(o) => {
                let o = self.process_box(*o)?;
                push_ancestry(&mut result, &o);
                Some(o)
            }
            None => None,
        };
        result.kind = PK::Condition { cond, then, otherwise };
        Ok(result)
    }

    /// `| pattern | update, delete |`.
    #[inline(never)]
    fn p_transform(
        &mut self,
        pattern: Box<Raw>,
        update: Box<Raw>,
        delete: Option<Box<Raw>>,
        span: Span,
        pos: usize,
    ) -> Result<P, ParseError> {
        let pattern = self.process_box(*pattern)?;
        let update = self.process_box(*update)?;
        let delete = match delete {
            Some(d) => Some(self.process_box(*d)?),
            None => None,
        };
        Ok(P::new(PK::Transform { pattern, update, delete }, span, pos))
    }

    /// `( e1; e2; ... )`.
    #[inline(never)]
    fn p_block(&mut self, exprs: Vec<Raw>, span: Span, pos: usize) -> Result<P, ParseError> {
        let mut result = P::new(PK::Placeholder, span, pos);
        let exprs = self.process_list(exprs, &mut result)?;
        let cons = exprs.iter().any(|v| {
            v.cons_array || matches!(&v.kind, PK::Path { steps, .. } if steps.first().is_some_and(|s| s.cons_array))
        });
        result.cons_array = cons;
        result.kind = PK::Block(exprs);
        Ok(result)
    }
}

fn literal_step_error(pos: usize, value: &str) -> ParseError {
    ParseError::new(
        "S0213",
        pos,
        format!("The literal value {value} cannot be used as a step within a path expression"),
    )
}

/// A bare name is a one-step path.
fn name_path(name: String, span: Span, pos: usize, keep_array: bool) -> P {
    let mut step = P::new(PK::Name(name), span, pos);
    step.keep_array = keep_array;
    P::new(PK::Path { steps: vec![step], keep_singleton: keep_array }, span, pos)
}

// ---------------------------------------------------------------------------------------------
// Stage 3: typed tree
// ---------------------------------------------------------------------------------------------

#[allow(clippy::boxed_local)]
impl Processor {
    fn label(&self, slot: usize) -> u32 {
        self.slots.get(slot).map(|s| s.label).unwrap_or(slot as u32)
    }

    fn finish_box(&self, p: P) -> Box<Expr> {
        Box::new(self.finish(p))
    }

    fn finish_group(&self, g: PGroup) -> Box<Group> {
        Box::new(Group {
            pairs: g.pairs.into_iter().map(|(k, v)| (self.finish(k), self.finish(v))).collect(),
            offset: g.pos,
        })
    }

    /// A processed node as a typed expression (annotations that only matter for path steps are
    /// dropped; predicates, grouping and `[]` become an [`ExprKind::Filter`]).
    fn finish(&self, mut p: P) -> Expr {
        let predicates = p.predicate.take();
        let group = p.group.take();
        let keep_array = p.keep_array;
        let full = (p.span.0, p.span.1.max(p.full_end));
        if p.is_path() {
            return self.finish_path(p, group, full);
        }
        let keep = keep_array && !matches!(p.kind, PK::Apply { .. });
        let span = p.span;
        let kind = self.finish_kind(p.kind, p.cons_array, keep_array);
        if predicates.is_none() && group.is_none() && !keep {
            return Expr { kind, span: full };
        }
        self.finish_filter(Expr { kind, span }, predicates, group, keep, full)
    }

    #[inline(never)]
    fn finish_path(&self, p: P, group: Option<PGroup>, span: Span) -> Expr {
        let PK::Path { steps, keep_singleton } = p.kind else {
            return Expr { kind: ExprKind::Null, span };
        };
        let steps = steps.into_iter().map(|s| self.finish_step(s)).collect();
        Expr {
            kind: ExprKind::Path(Path {
                steps,
                keep_singleton_array: keep_singleton,
                keep_array: p.keep_array,
                tuple: p.tuple,
                group: group.map(|g| self.finish_group(g)),
            }),
            span,
        }
    }

    #[inline(never)]
    fn finish_filter(
        &self,
        base: Expr,
        predicates: Option<Vec<(P, usize)>>,
        group: Option<PGroup>,
        keep_array: bool,
        span: Span,
    ) -> Expr {
        Expr {
            kind: ExprKind::Filter {
                base: Box::new(base),
                predicates: predicates.unwrap_or_default().into_iter().map(|(e, _)| self.finish(e)).collect(),
                group: group.map(|g| self.finish_group(g)),
                keep_array,
            },
            span,
        }
    }

    #[inline(never)]
    fn finish_step(&self, mut p: P) -> Step {
        let stages = p
            .stages
            .take()
            .unwrap_or_default()
            .into_iter()
            .map(|s| match s {
                PStage::Filter(e, offset) => Stage::Filter { expr: self.finish(*e), offset },
                PStage::Index(name, offset) => Stage::Index { name, offset },
            })
            .collect();
        let focus = p.focus.take();
        let index = p.index.take();
        let tuple = p.tuple;
        let ancestor = p.ancestor.map(|a| self.label(a));
        let keep_array = p.keep_array;
        p.keep_array = false;
        Step { expr: self.finish(p), stages, focus, index, tuple, ancestor, keep_array }
    }

    fn finish_kind(&self, kind: PK, cons_array: bool, keep_array: bool) -> ExprKind {
        match kind {
            PK::Neg(e) => self.f_unary(e),
            PK::Binary { op, lhs, rhs } => self.f_binary(Some(op), lhs, rhs),
            PK::Coalesce { lhs, rhs } => self.f_binary(None, lhs, rhs),
            PK::Elvis { lhs, rhs } => self.f_elvis(lhs, rhs),
            PK::Apply { lhs, rhs } => self.f_apply(lhs, rhs, keep_array),
            PK::Bind { name, name_pos, value } => self.f_bind(name, name_pos, value),
            PK::Array(items) => self.f_array(items, cons_array),
            PK::Block(exprs) => self.f_block(exprs, cons_array),
            PK::Object(pairs) => self.f_object(pairs),
            PK::Call { procedure, args, partial } => self.f_call(procedure, args, partial),
            PK::Condition { cond, then, otherwise } => self.f_condition(cond, then, otherwise),
            PK::Lambda { params, signature, body } => self.f_lambda(params, signature, body),
            PK::Transform { pattern, update, delete } => self.f_transform(pattern, update, delete),
            PK::Sort(terms) => self.f_sort(terms),
            leaf => self.f_leaf(leaf),
        }
    }

    #[inline(never)]
    fn f_leaf(&self, kind: PK) -> ExprKind {
        match kind {
            PK::Str(s) => ExprKind::String(s),
            PK::Num(n) => ExprKind::Number(n),
            PK::Bool(b) => ExprKind::Bool(b),
            PK::Null => ExprKind::Null,
            PK::Regex { pattern, flags } => ExprKind::Regex { pattern, flags },
            PK::Name(n) => ExprKind::Name(n),
            PK::Variable(v) => ExprKind::Variable(v),
            PK::Wildcard => ExprKind::Wildcard,
            PK::Descendant => ExprKind::Descendant,
            PK::Parent(s) => ExprKind::Parent { label: self.label(s) },
            _ => ExprKind::Placeholder,
        }
    }

    #[inline(never)]
    fn f_unary(&self, e: Box<P>) -> ExprKind {
        ExprKind::Negate(self.finish_box(*e))
    }

    /// A binary operator, or `??` when `op` is `None`.
    #[inline(never)]
    fn f_binary(&self, op: Option<BinaryOp>, lhs: Box<P>, rhs: Box<P>) -> ExprKind {
        let lhs = self.finish_box(*lhs);
        let rhs = self.finish_box(*rhs);
        match op {
            Some(op) => ExprKind::Binary { op, lhs, rhs },
            None => ExprKind::Coalesce { lhs, rhs },
        }
    }

    #[inline(never)]
    fn f_elvis(&self, lhs: Box<P>, rhs: Box<P>) -> ExprKind {
        ExprKind::Elvis { lhs: self.finish_box(*lhs), rhs: self.finish_box(*rhs) }
    }

    #[inline(never)]
    fn f_apply(&self, lhs: Box<P>, rhs: Box<P>, keep_array: bool) -> ExprKind {
        ExprKind::Apply { lhs: self.finish_box(*lhs), rhs: self.finish_box(*rhs), keep_array }
    }

    #[inline(never)]
    fn f_bind(&self, name: String, name_offset: usize, value: Box<P>) -> ExprKind {
        ExprKind::Bind { name, name_offset, value: self.finish_box(*value) }
    }

    #[inline(never)]
    fn f_array(&self, items: Vec<P>, cons_array: bool) -> ExprKind {
        ExprKind::Array { items: items.into_iter().map(|e| self.finish(e)).collect(), cons_array }
    }

    #[inline(never)]
    fn f_block(&self, exprs: Vec<P>, cons_array: bool) -> ExprKind {
        ExprKind::Block { exprs: exprs.into_iter().map(|e| self.finish(e)).collect(), cons_array }
    }

    #[inline(never)]
    fn f_object(&self, pairs: Vec<(P, P)>) -> ExprKind {
        ExprKind::Object { pairs: pairs.into_iter().map(|(k, v)| (self.finish(k), self.finish(v))).collect() }
    }

    #[inline(never)]
    fn f_call(&self, procedure: Box<P>, args: Vec<P>, partial: bool) -> ExprKind {
        ExprKind::Call {
            procedure: self.finish_box(*procedure),
            args: args.into_iter().map(|e| self.finish(e)).collect(),
            partial,
        }
    }

    #[inline(never)]
    fn f_condition(&self, cond: Box<P>, then: Box<P>, otherwise: Option<Box<P>>) -> ExprKind {
        ExprKind::Condition {
            condition: self.finish_box(*cond),
            then: self.finish_box(*then),
            otherwise: otherwise.map(|o| self.finish_box(*o)),
        }
    }

    #[inline(never)]
    fn f_lambda(&self, params: Vec<String>, signature: Option<String>, body: Box<P>) -> ExprKind {
        ExprKind::Lambda(Box::new(Lambda { params, signature, body: self.finish(*body) }))
    }

    #[inline(never)]
    fn f_transform(&self, pattern: Box<P>, update: Box<P>, delete: Option<Box<P>>) -> ExprKind {
        ExprKind::Transform {
            pattern: self.finish_box(*pattern),
            update: self.finish_box(*update),
            delete: delete.map(|d| self.finish_box(*d)),
        }
    }

    #[inline(never)]
    fn f_sort(&self, terms: Vec<(bool, P)>) -> ExprKind {
        ExprKind::Sort {
            terms: terms.into_iter().map(|(descending, e)| SortTerm { descending, expr: self.finish(e) }).collect(),
        }
    }
}

/// Expressions with at most this many tokens are parsed on the calling thread: even in an
/// unoptimised build, that many nesting levels fit easily in the 2 MiB stack of a test thread.
const INLINE_TOKENS: usize = 48;

/// Stack for parsing longer expressions, which may nest up to [`MAX_DEPTH`] levels. It is only
/// reserved address space; pages are touched as deep as the expression actually nests.
const PARSE_STACK_BYTES: usize = 16 << 20;

/// Upper bound on the number of tokens of `src` (the depth of its tree cannot exceed it), or
/// `None` when the quick scan hits a lexical error.
fn token_bound(src: &str) -> Option<usize> {
    // Lexing with `/` always as an operator splits a regex into more tokens, never fewer.
    let mut lexer = Lexer::new(src, true);
    let mut n = 0;
    loop {
        match lexer.next_token(true) {
            Ok(Some(_)) => n += 1,
            Ok(None) => return Some(n),
            Err(_) => return None,
        }
        if n > INLINE_TOKENS {
            return Some(n);
        }
    }
}

/// Parses `src` (the text inside `{% %}`) into a syntax tree, accepting what jsonata-js accepts.
///
/// The three stages recurse once per nesting level. Small expressions are parsed directly; longer
/// ones on a scoped helper thread with a `PARSE_STACK_BYTES` stack, so that the full
/// [`MAX_DEPTH`] is available whatever stack the caller runs on.
pub(crate) fn parse_expr(src: &str, opts: ParseOptions) -> Result<Expr, ParseError> {
    if token_bound(src).is_some_and(|n| n <= INLINE_TOKENS) {
        return parse_here(src, opts);
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("jsonata-parse".to_string())
            .stack_size(PARSE_STACK_BYTES)
            .spawn_scoped(scope, || parse_here(src, opts));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(ParseError::new("DEPTH", 0, "Internal error while parsing the expression".to_string()))
            }),
            Err(_) => {
                Err(ParseError::new("DEPTH", 0, "Could not start a thread to parse a long expression".to_string()))
            }
        }
    })
}

/// The parser proper, on the current thread.
fn parse_here(src: &str, opts: ParseOptions) -> Result<Expr, ParseError> {
    let mut parser = Parser::new(src, opts);
    parser.advance(None, false)?;
    let tree = parser.expression(0)?;
    if parser.node.is_some() {
        return Err(syntax_error(parser.node.as_ref(), src.len()));
    }
    let mut processor = Processor { slots: Vec::new() };
    let p = processor.process(tree)?;
    if matches!(p.kind, PK::Parent(_)) || p.seeking.is_some() {
        return Err(parent_error(p.pos));
    }
    Ok(processor.finish(p))
}

#[cfg(test)]
mod tests {
    use super::super::{ParseOptions, parse, parse_with_options};
    use super::*;

    fn sx(src: &str) -> String {
        match parse(src) {
            Ok(e) => e.to_sexpr(),
            Err(e) => panic!("{src:?} failed: {e}"),
        }
    }

    fn err(src: &str) -> (&'static str, usize) {
        match parse(src) {
            Ok(e) => panic!("{src:?} parsed as {}", e.to_sexpr()),
            Err(e) => (e.code, e.offset),
        }
    }

    #[test]
    fn precedence_and_associativity() {
        let cases = [
            ("1 + 2 * 3", "(+ 1 (* 2 3))"),
            ("(1 + 2) * 3", "(* (block (+ 1 2)) 3)"),
            ("1 - 2 - 3", "(- (- 1 2) 3)"),
            ("a.b[0].c", "(path a b[0] c)"),
            ("$x ~> $f()", "(~> $x (call $f))"),
            ("a and b or c", "(or (and (path a) (path b)) (path c))"),
            ("a or b and c", "(or (path a) (and (path b) (path c)))"),
            ("a = b and c != d", "(and (= (path a) (path b)) (!= (path c) (path d)))"),
            ("\"a\" & \"b\" = \"ab\"", "(= (& \"a\" \"b\") \"ab\")"),
            ("1 + 2 < 3 * 4", "(< (+ 1 2) (* 3 4))"),
            ("a in [1, 2]", "(in (path a) (array 1 2))"),
            ("-a.b", "(neg (path a b))"),
            ("-5", "-5"),
            ("- 2 * 3", "(* -2 3)"),
            ("$x := $y := 1", "(:= $x (:= $y 1))"),
            ("$x := 1 + 2", "(:= $x (+ 1 2))"),
            ("a ? b : c ? d : e", "(? (path a) (path b) (? (path c) (path d) (path e)))"),
            ("a > 1 ? 'x' : 'y'", "(? (> (path a) 1) \"x\" \"y\")"),
            ("$a ~> $f ~> $g", "(~> (~> $a $f) $g)"),
            ("a.b + c.d", "(+ (path a b) (path c d))"),
            ("a % 2 = 0", "(= (% (path a) 2) 0)"),
            ("10 / 2 / 5", "(/ (/ 10 2) 5)"),
            ("a[b > 1][0]", "(path a[(> (path b) 1)][0])"),
            ("$x[0]", "(filter $x [0])"),
            ("$x.a[0]", "(path $x a[0])"),
            ("a & b & c", "(& (& (path a) (path b)) (path c))"),
        ];
        for (src, want) in cases {
            assert_eq!(sx(src), want, "{src}");
        }
    }

    #[test]
    fn every_construct_parses() {
        let cases = [
            // literals
            ("420", "420"),
            ("1.5e3", "1500"),
            ("2E-2", "0.02"),
            ("'single'", "\"single\""),
            (r#""esc \" \\ \/ \b \f \n \r \t \u00e9""#, "\"esc \\\" \\\\ / \\u{8} \\u{c} \\n \\r \\t é\""),
            ("true", "true"),
            ("false", "false"),
            ("null", "null"),
            // names, variables, context
            ("`field name`.x", "(path field name x)"),
            ("$", "$"),
            ("$$", "$$"),
            ("$$.a", "(path $$ a)"),
            ("$.a", "(path $ a)"),
            ("$states.input.x", "(path $states input x)"),
            ("\"a b\".c", "(path a b c)"),
            ("and.or.in", "(path and or in)"),
            // wildcards, parent, bindings
            ("a.*", "(path a *)"),
            ("**.x", "(path ** x)"),
            ("a.b.%.c", "(path a b^0 %0 c)"),
            ("a@$x.b", "(path a@$x b)"),
            ("a#$i.b", "(path a#$i b)"),
            ("a[0]#$i", "(path a[0]#$i)"),
            ("a[]", "(path a[] [])"),
            ("$x[]", "(filter $x [])"),
            ("a{b: c}", "(path a { (path b):(path c) })"),
            ("a.b{'k': $sum(c)}", "(path a b { \"k\":(call $sum (path c)) })"),
            // operators
            ("[1..5]", "(array (.. 1 5))"),
            ("[1, 3..5]", "(array 1 (.. 3 5))"),
            ("a ?? b", "(?? (path a) (path b))"),
            ("a ?: b", "(?: (path a) (path b))"),
            ("$x ~> $f(1)", "(~> $x (call $f 1))"),
            ("($x := 1; $x + 1)", "(block (:= $x 1) (+ $x 1))"),
            ("()", "(block)"),
            ("(a;)", "(block (path a))"),
            ("{}", "(object)"),
            ("{'a': 1, \"b\": [2]}", "(object \"a\":1 \"b\":(array 2))"),
            ("[]", "(array)"),
            ("a^(<b, >c)", "(path a (sort <(path b) >(path c)))"),
            ("a^(b)[0]", "(path a (sort <(path b))[0])"),
            ("$f(?, 1)", "(partial $f ? 1)"),
            ("$f()", "(call $f)"),
            ("$f()(1)", "(call (call $f) 1)"),
            ("function($x, $y) { $x + $y }", "(lambda ($x $y) (+ $x $y))"),
            ("λ($x){$x}", "(lambda ($x) $x)"),
            ("function($x)<n-n:n>{ $x }", "(lambda ($x) <n-n:n> $x)"),
            ("function($a)<a<n>:n>{ $a }", "(lambda ($a) <a<n>:n> $a)"),
            ("| a | {'x': 1} |", "(transform (path a) (object \"x\":1))"),
            ("| a | {}, ['b', 'c'] |", "(transform (path a) (object) (array \"b\" \"c\"))"),
            ("$match(s, /ab+c/i)", "(call $match (path s) /ab+c/i)"),
            ("$x := /a\\/b/", "(:= $x /a\\/b/)"),
            ("a / b", "(/ (path a) (path b))"),
            ("$x[0] / 2", "(/ (filter $x [0]) 2)"),
            ("/* comment */ 1 /* another */", "1"),
            ("a ? b", "(? (path a) (path b))"),
        ];
        for (src, want) in cases {
            assert_eq!(sx(src), want, "{src}");
        }
    }

    #[test]
    fn path_annotations() {
        let e = parse("a.b[x > 1]#$i.c@$v[]{k: v}").unwrap();
        let ExprKind::Path(p) = &e.kind else { panic!("not a path") };
        assert_eq!(p.steps.len(), 3);
        assert_eq!(p.steps[1].stages.len(), 2);
        assert!(matches!(&p.steps[1].stages[1], Stage::Index { name, .. } if name == "i"));
        assert!(p.steps[1].tuple);
        assert_eq!(p.steps[2].focus.as_deref(), Some("v"));
        assert!(p.steps[2].keep_array);
        assert!(p.keep_singleton_array);
        assert!(p.group.is_some());
        assert_eq!(e.span, (0, 26));
        // Array constructors at either end of a path are kept whole.
        let e = parse("[1,2].x.[a]").unwrap();
        let ExprKind::Path(p) = &e.kind else { panic!("not a path") };
        assert!(matches!(p.steps[0].expr.kind, ExprKind::Array { cons_array: true, .. }));
        assert!(matches!(p.steps[2].expr.kind, ExprKind::Array { cons_array: true, .. }));
        // The parent operator and the step it refers to share a label.
        let e = parse("a.b.%.%.c").unwrap();
        let ExprKind::Path(p) = &e.kind else { panic!("not a path") };
        let ExprKind::Parent { label } = p.steps[3].expr.kind else { panic!("no parent") };
        assert_eq!(p.steps[0].ancestor, Some(label));
    }

    #[test]
    fn spans_and_offsets() {
        let e = parse("  $sum(a.b)  ").unwrap();
        assert_eq!(e.span, (2, 11));
        let ExprKind::Call { procedure, args, .. } = &e.kind else { panic!("not a call") };
        assert_eq!(procedure.span, (2, 6));
        assert_eq!(args[0].span, (7, 10));
        let e = parse("$x := 1").unwrap();
        assert!(matches!(e.kind, ExprKind::Bind { name_offset: 0, .. }));
        let e = parse("é + $y").unwrap();
        let ExprKind::Binary { rhs, .. } = &e.kind else { panic!("not binary") };
        assert_eq!(rhs.span, (5, 7));
    }

    #[test]
    fn errors_have_codes_and_offsets() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "S0207", 0),
            ("   ", "S0207", 3),
            ("420.", "S0207", 4),
            (" 420. ", "S0207", 6),
            ("10 + * 2", "S0201", 7),
            ("$.store.book[?(@.price < 10)].title", "S0211", 13),
            ("$sum($states.input.items.numbers ", "S0203", 33),
            ("(1", "S0203", 2),
            ("[1,]", "S0211", 3),
            ("{'a' 1}", "S0202", 5),
            ("a b", "S0201", 2),
            ("a ! b", "S0204", 2),
            ("a ~ b", "S0204", 2),
            ("\"abc", "S0101", 4),
            ("1e999", "S0102", 0),
            ("'\\q'", "S0103", 2),
            ("'\\u12g4'", "S0104", 2),
            ("`abc", "S0105", 0),
            ("1 /* abc", "S0106", 2),
            ("function(x){1}", "S0208", 9),
            ("a{x:1}{y:2}", "S0210", 6),
            ("$x{'a':1}[0]", "S0209", 9),
            ("a := 1", "S0212", 0),
            ("1.a", "S0213", 0),
            ("a.true", "S0213", 2),
            ("a@b", "S0214", 2),
            ("a[0]@$x", "S0215", 4),
            ("a^(b)@$x", "S0216", 5),
            ("%.a", "S0217", 0),
            ("$x[%.a]", "S0217", 0),
            ("$f(//)", "S0301", 3),
            ("$f(/abc", "S0302", 3),
            ("(/a/)", "S0211", 1),
            ("[/a/]", "S0211", 1),
            ("-/a/", "S0211", 1),
            ("$match(s, /a(/)", "S0302", 10),
            ("$match(s, /??/)", "REGEX", 10),
            ("$match(s, /[z-a]/)", "REGEX", 10),
            ("$match(s, /a/ii)", "REGEX", 10),
            ("function($x)<b<n>>{1}", "S0401", 14),
            ("function($x)<(s<n>)>{1}", "S0402", 13),
            ("function($x)<n>", "S0203", 15),
        ];
        for &(src, code, offset) in cases {
            assert_eq!(err(src), (code, offset), "{src}");
        }
        let e = parse("{'a' 1}").unwrap_err();
        assert_eq!(e.message, "Expected \":\", got 1");
        let e = parse("$sum(1").unwrap_err();
        assert_eq!(e.message, "Expected \")\" before end of expression");
        let e = parse("(/a/)").unwrap_err();
        assert_eq!(e.message, "The symbol \"/\" cannot be used as a unary operator");
    }

    #[test]
    fn jsonata_2_0_6_rejects_coalescing_operators() {
        let v206 = ParseOptions::JSONATA_2_0_6;
        assert_eq!(parse_with_options("a ?? b", v206).unwrap_err().code, "S0211");
        assert_eq!(parse_with_options("a ?: b", v206).unwrap_err().code, "S0211");
        assert!(parse_with_options("a ? b : c", v206).is_ok());
        assert!(parse("a ? b : c").is_ok());
    }

    /// The invalid JSONata expressions of the asl-validator fixtures (the delimiter cases are in
    /// `mod.rs`).
    #[test]
    fn asl_validator_invalid_expressions() {
        for (inner, code) in [
            (" 420. ", "S0207"),
            (" 10 + * 2 ", "S0201"),
            (" $.store.book[?(@.price < 10)].title ", "S0211"),
            (" $sum($states.input.items.numbers ", "S0203"),
        ] {
            assert_eq!(parse(inner).unwrap_err().code, code, "{inner}");
        }
    }

    /// A sample of the expressions used by the ASL test corpora (AWS-recorded conformance cases
    /// and validator fixtures); all must parse.
    #[test]
    fn corpus_sample_parses() {
        let sample = [
            " 0 ",
            " [] ",
            " null ",
            " $now() ",
            " $uuid() ",
            " 'string' ",
            " $number('2') ",
            " \n10         ",
            " $states.input ",
            " $variable := 1 ",
            " {'foo': 'bar'} ",
            " $states.context ",
            " $varname.varfield ",
            " 622.2269926397355 ",
            " $states.errorOutput ",
            " $states.input = '\"' ",
            " $status = 'completed' ",
            " $round($random() * 10) ",
            " $fn := function($x){$x} ",
            " $states.input.value = 0 ",
            " $states.result.Payload.status ",
            " $states.context.Map.Item.Value ",
            " $not($states.input.result.done) ",
            " $states.context.Execution.Input ",
            " $parse($states.input.FunctionInput) ",
            " $not($states.input.type = 'Private') ",
            " $contains(\"hello$world\", /^hello\\ /) ",
            " $contains(\"hello$world\", /^hello\\$/) ",
            " $exists($status) ? 'completed' : 'running' ",
            " $merge([$states.input.part1, $states.input.part2]) ",
            " $sum($states.input.input_values) + $var_constant_1 ",
            " $states.input.value >= 20 and $states.input.value < 30 ",
            " $exists($states.input.moreData) ? $states.input.moreData : {} ",
            " $inputPayload.data.firstname & ' ' & $inputPayload.data.lastname  ",
            " $join($each($inputPayload.data.address, function($v) { $v }), ', ') ",
            " $partition($states.input.FunctionInput.fst, $states.input.FunctionInput.snd) ",
            " $not(null in $each($states.input.data.address, function($v) { $length($trim($v)) > 0 ? $v : null })) ",
            " $range($states.input.FunctionInput.fst, $states.input.FunctionInput.snd, $states.input.FunctionInput.trd) ",
            " $match($states.input.data.identity.email, /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$/) and $match($states.input.data.identity.ssn, /^(\\d{3}-?\\d{2}-?\\d{4}|XXX-XX-XXXX)$/) ",
            " ($e := $inputPayload.data.identity.email; $n := $inputPayload.data.firstname & ' ' & $inputPayload.data.lastname; $inputPayload.data.interests[category = 'home']{'customer': $n, 'email': $e, 'totalAssetValue': $sum(estimatedValue), category: {type: yearBuilt}}) ",
        ];
        for src in sample {
            for opts in [ParseOptions::JSONATA_2_0_6, ParseOptions::JSONATA_2_1] {
                if let Err(e) = parse_with_options(src, opts) {
                    panic!("{src:?}: {e}");
                }
            }
        }
    }

    /// Deterministic pseudo-random garbage, token soup and deep nesting: never a panic, and
    /// nesting beyond the limit is a clean error.
    #[test]
    fn no_panics_on_garbage_or_deep_nesting() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces = [
            "a",
            "$x",
            "$",
            "1",
            "'s'",
            "\"",
            "`",
            ".",
            "..",
            "[",
            "]",
            "(",
            ")",
            "{",
            "}",
            ",",
            ";",
            ":",
            ":=",
            "?",
            "??",
            "?:",
            "+",
            "-",
            "*",
            "**",
            "/",
            "%",
            "|",
            "=",
            "!=",
            "<",
            ">",
            "^",
            "&",
            "@",
            "#",
            "~>",
            "!",
            "~",
            "and",
            "function",
            "λ",
            "/*",
            "*/",
            "\\",
            "\\u",
            " ",
            "é",
            "\u{1F600}",
            "\0",
        ];
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..(next() % 12) {
                s.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let _ = parse(&s);
            let _ = parse_with_options(&s, ParseOptions::JSONATA_2_0_6);
        }
        for _ in 0..500 {
            let bytes: Vec<u8> = (0..(next() % 40)).map(|_| (next() % 128) as u8).collect();
            let _ = parse(&String::from_utf8_lossy(&bytes));
        }
        let ok = format!("{}1{}", "(".repeat(150), ")".repeat(150));
        assert!(parse(&ok).is_ok());
        for deep in [
            format!("{}1{}", "(".repeat(1000), ")".repeat(1000)),
            format!("{}1", "-".repeat(5000)),
            "[".repeat(100_000),
            vec!["1"; 5000].join("+"),
            vec!["a"; 5000].join("."),
            format!("{}1{}", "$f(".repeat(300), ")".repeat(300)),
            format!("{}x", "$a := ".repeat(300)),
        ] {
            assert_eq!(parse(&deep).unwrap_err().code, "DEPTH");
        }
    }
}
