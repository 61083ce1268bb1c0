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
//!   as `$states.result`, named function calls).
//!
//! All offsets are byte offsets within the expression text; add the offset from
//! [`strip_delimiters`] to get an offset within the ASL string.

pub mod analysis;
pub mod ast;
pub mod lexer;
pub mod parser;

use std::fmt;

pub use analysis::{BUILTIN_FUNCTIONS, VarRef, free_variables, function_calls, newer_syntax, top_level_references};
pub use ast::{BinaryOp, Expr, ExprKind, Group, Lambda, Path, SortTerm, Span, Stage, Step};
pub use parser::MAX_DEPTH;

/// A syntax error, located in the expression text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the offending token's start (the text length for an unexpected end).
    pub offset: usize,
    /// Human-readable message, worded like jsonata-js's.
    pub message: String,
    /// The jsonata-js error code (`"S0202"`, ...); `"DEPTH"` when [`MAX_DEPTH`] is exceeded (a
    /// limit of this implementation, not a JSONata error).
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
mod tmp_diff {
    #[test]
    #[ignore]
    fn dump_verdicts() {
        let Ok(inp) = std::env::var("JX_IN") else { return };
        let out = std::env::var("JX_OUT").unwrap();
        let v2 = std::env::var("JX_206").is_ok();
        let text = std::fs::read_to_string(inp).unwrap();
        let exprs: Vec<String> = serde_json::from_str(&text).unwrap();
        let opts = if v2 { super::ParseOptions::JSONATA_2_0_6 } else { super::ParseOptions::JSONATA_2_1 };
        let res: Vec<String> = exprs
            .iter()
            .map(|e| match super::parse_with_options(e, opts) {
                Ok(_) => "OK".to_string(),
                Err(err) => err.code.to_string(),
            })
            .collect();
        std::fs::write(out, serde_json::to_string(&res).unwrap()).unwrap();
    }
}

#[cfg(test)]
mod tmp_stack {
    #[test]
    #[ignore]
    fn measure() {
        let shape = std::env::var("SHAPE").unwrap();
        let d: usize = std::env::var("DEPTH").unwrap().parse().unwrap();
        let src = match shape.as_str() {
            "paren" => format!("{}1{}", "(".repeat(d), ")".repeat(d)),
            "array" => format!("{}1{}", "[".repeat(d), "]".repeat(d)),
            "neg" => format!("{}1", "-".repeat(d)),
            "negx" => format!("{}x", "-".repeat(d)),
            "call" => format!("{}1{}", "$f(".repeat(d), ")".repeat(d)),
            "pred" => format!("{}1{}", "a[".repeat(d), "]".repeat(d)),
            "obj" => format!("{}1{}", "{\"a\":".repeat(d), "}".repeat(d)),
            "plus" => vec!["1"; d].join("+"),
            "path" => vec!["a"; d].join("."),
            "block" => format!("{}1{}", "($x:=1;".repeat(d), ")".repeat(d)),
            "lambda" => format!("{}1{}", "function($x){".repeat(d), "}".repeat(d)),
            "cond" => format!("{}1", "a ? b : ".repeat(d)),
            "bind" => format!("{}1", "$a := ".repeat(d)),
            _ => String::new(),
        };
        let h = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                let r = super::parse(&src);
                if let Ok(e) = &r {
                    let _ = super::free_variables(e);
                    let _ = super::top_level_references(e);
                }
                r.is_ok()
            })
            .unwrap();
        eprintln!("RESULT {}", h.join().unwrap());
    }
}
