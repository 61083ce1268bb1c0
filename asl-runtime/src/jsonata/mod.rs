//! JSONata expressions as Step Functions uses them (`"{% expr %}"` strings in JSONata mode).
//!
//! Step Functions evaluates JSONata with jsonata-js 2.0.6, rejects at create time any expression
//! jsonata-js cannot parse (`INVALID_JSONATA_EXPRESSION`), and rejects references to the input
//! document at the top level (`UNSUPPORTED_JSONATA_EXPRESSION`). This module provides:
//!
//! * [`parse`]: a std-only port of jsonata-js's lexer, Pratt parser and post-pass, giving the same
//!   accept/reject verdicts and a tree ([`ast`]) an evaluator or code generator can work from;
//! * [`strip_delimiters`]: the `{% ... %}` wrapper rule;
//! * [`analysis`]: what the static checker needs (top-level input references, free variables such
//!   as `$states.result`, named function calls);
//! * [`evaluate`] ([`eval`]): a port of jsonata-js 2.0.6's evaluator over that tree, with the
//!   built-in functions (minus `$eval`) and Step Functions' own (`$partition`, `$range`, `$hash`,
//!   `$random(seed)`, `$uuid`, `$parse`); variables come from [`Bindings`], values are [`JValue`]s,
//!   and [`to_json`] applies the Step Functions checks to a field's result;
//! * [`regex`]: the JavaScript regular-expression engine regex literals need.
//!
//! All offsets are byte offsets within the expression text; add the offset from
//! [`strip_delimiters`] to get an offset within the ASL string.

pub mod analysis;
pub mod ast;
mod datetime;
pub mod eval;
mod functions;
mod jsnum;
pub mod lexer;
mod numfmt;
pub mod parser;
pub mod regex;
mod signature;
pub mod value;

use std::fmt;

pub use analysis::{BUILTIN_FUNCTIONS, VarRef, free_variables, function_calls, newer_syntax, top_level_references};
pub use ast::{BinaryOp, Expr, ExprKind, Group, Lambda, Path, SortTerm, Span, Stage, Step};
pub use eval::{Bindings, EvalError, FieldError, evaluate, to_json};
pub use parser::MAX_DEPTH;
pub use value::JValue;

/// A syntax error, located in the expression text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the offending token's start (the text length for an unexpected end).
    pub offset: usize,
    /// Human-readable message, worded like jsonata-js's.
    pub message: String,
    /// The jsonata-js error code (`"S0202"`, ...). Two codes are this implementation's own, for
    /// failures jsonata-js reports without a JSONata code: `"REGEX"`, a regex literal JavaScript's
    /// `RegExp` rejects (jsonata-js lets that `SyntaxError` through); `"DEPTH"`, nesting beyond
    /// [`MAX_DEPTH`] (a limit of this implementation).
    pub code: &'static str,
}

impl ParseError {
    pub(crate) fn new(code: &'static str, offset: usize, message: String) -> Self {
        ParseError { offset, message, code }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (at offset {})", self.code, self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

/// Which language level to accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept the JSONata 2.1 operators `??` (coalescing) and `?:` (elvis). jsonata-js 2.0.6, the
    /// version Step Functions runs, rejects both as syntax errors.
    pub coalescing_operators: bool,
}

impl ParseOptions {
    /// Exactly what jsonata-js 2.0.6 (AWS Step Functions) accepts.
    pub const JSONATA_2_0_6: ParseOptions = ParseOptions { coalescing_operators: false };
    /// JSONata 2.1: 2.0.6 plus `??` and `?:`.
    pub const JSONATA_2_1: ParseOptions = ParseOptions { coalescing_operators: true };
}

impl Default for ParseOptions {
    /// [`ParseOptions::JSONATA_2_1`], the language [`parse`] accepts.
    fn default() -> Self {
        ParseOptions::JSONATA_2_1
    }
}

/// Parses a JSONata expression (the text between `{%` and `%}`), accepting JSONata 2.1 syntax
/// (2.0.6 plus `??` / `?:`). Use [`parse_with_options`] with [`ParseOptions::JSONATA_2_0_6`] to
/// reject what Step Functions' engine rejects, or check [`newer_syntax`] on the result.
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    parser::parse_expr(src, ParseOptions::default())
}

/// Parses a JSONata expression at the given language level.
pub fn parse_with_options(src: &str, options: ParseOptions) -> Result<Expr, ParseError> {
    parser::parse_expr(src, options)
}

/// For the `{% ... %}` wrapper used in ASL: returns the inner text and its byte offset within `s`
/// when `s` starts with exactly `{%` and ends with exactly `%}` (no whitespace outside the
/// delimiters, as AWS requires; whitespace inside is part of the expression). `"{%}"` does not
/// count: the delimiters may not overlap.
pub fn strip_delimiters(s: &str) -> Option<(&str, usize)> {
    if s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}") {
        s.get(2..s.len() - 2).map(|inner| (inner, 2))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(strip_delimiters("{% 10 %}"), Some((" 10 ", 2)));
        assert_eq!(strip_delimiters("{%10%}"), Some(("10", 2)));
        assert_eq!(strip_delimiters("{%%}"), Some(("", 2)));
        assert_eq!(strip_delimiters("{% \n10         %}"), Some((" \n10         ", 2)));
        assert_eq!(strip_delimiters("{%}"), None);
        assert_eq!(strip_delimiters("{% 10 %"), None);
        assert_eq!(strip_delimiters("10 %}"), None);
        assert_eq!(strip_delimiters(" {% states.input %} "), None);
        assert_eq!(strip_delimiters("{% x %} "), None);
        assert_eq!(strip_delimiters("States.Format('{}')"), None);
        assert_eq!(strip_delimiters("{% é %}"), Some((" é ", 2)));
    }

    /// `{% %}` holds no expression: jsonata-js reports an unexpected end.
    #[test]
    fn empty_expression_is_an_error() {
        let (inner, _) = strip_delimiters("{%  %}").unwrap();
        assert_eq!(parse(inner).unwrap_err().code, "S0207");
    }

    #[test]
    fn parse_error_display() {
        let e = parse("(1").unwrap_err();
        assert_eq!(e.to_string(), "S0203: Expected \")\" before end of expression (at offset 2)");
    }
}
