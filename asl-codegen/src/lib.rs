//! The ASL front end and code generator: the only crate that understands Amazon States Language.
//!
//! Pipeline, one module per step:
//! 1. [`tree`]: JSON (with comments) into a tree that keeps byte spans;
//! 2. [`model`]: a typed model of the whole language, with paths, intrinsic calls and JSONata parsed;
//! 3. [`check`]: every static rule AWS enforces, plus warnings for likely mistakes.
//!
//! [`check_source`] runs the pipeline on one file and returns every diagnostic.

pub mod diagnostic;
pub mod span;
pub mod tree;

pub use diagnostic::{Diagnostic, Severity, codes};
pub use span::{LineCol, LineIndex, Span};
