//! The ASL front end and code generator: the only crate that understands Amazon States Language.
//!
//! Pipeline, one module per step:
//! 1. [`tree`]: JSON (with comments) into a tree that keeps byte spans;
//! 2. [`model`]: a typed model of the whole language, with paths ([`jsonpath`]), intrinsic calls
//!    ([`intrinsic`]) and JSONata ([`jsonata`]) parsed; field-level rules are checked while reading;
//! 3. [`check`]: the rules that need the whole machine, plus warnings for likely mistakes.
//!
//! [`analyze`] runs the pipeline on one file's text and returns the model and every diagnostic;
//! [`render`] turns diagnostics into text.
//!
//! ```
//! let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Succeed"}}}"#;
//! let analysis = asl_codegen::analyze(text);
//! assert!(analysis.has_errors());
//! let d = analysis.errors().next().unwrap();
//! assert_eq!(d.code, "MISSING_TRANSITION_TARGET");
//! assert_eq!(d.pointer, "/States/A/Next");
//! ```

pub mod arn;
pub mod check;
pub mod compile;
pub mod diagnostic;
pub mod emit;
pub mod intrinsic;
pub use asl_runtime::jsonata;
pub use asl_runtime::jsonpath;
pub mod model;
pub mod render;
pub mod span;
pub use asl_runtime::timestamp;
pub mod tree;
pub mod visit;

pub use compile::{Builder, CompileError, compile_file, compile_source, module_name};
pub use diagnostic::{Diagnostic, Severity, codes};
pub use span::{LineCol, LineIndex, Span};

/// The result of analysing one ASL file.
#[derive(Debug)]
pub struct Analysis {
    /// The model, when the text was JSON with an object at the top (even if it has errors).
    pub machine: Option<model::StateMachine>,
    /// Every problem found, errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Parses, models and checks an ASL definition given as text.
pub fn analyze(text: &str) -> Analysis {
    let parsed = tree::parse(text);
    let mut diagnostics = parsed.diagnostics;
    let mut machine = None;
    if let Some(root) = &parsed.root {
        let (m, more) = model::build::build(root);
        diagnostics.extend(more);
        if let Some(m) = &m {
            check::check_machine(m, &mut diagnostics);
        }
        machine = m;
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    Analysis { machine, diagnostics }
}

/// Checks a single state given on its own (as AWS's TestState API takes one), not a whole machine.
///
/// The state is checked as if it were the only state of a machine, except that its transitions are
/// not required to lead anywhere. Pointers in the diagnostics are relative to the state (`/Next`).
pub fn analyze_state(text: &str) -> Analysis {
    const NAME: &str = "State";
    let parsed = tree::parse(text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.root else { return Analysis { machine: None, diagnostics } };
    let span = root.span;
    let string = |s: &str| tree::Node { span, value: tree::Value::String { text: s.to_owned(), escaped: false } };
    let machine_node = tree::Node {
        span,
        value: tree::Value::Object(vec![
            tree::Member { key: "StartAt".into(), key_span: span, value: string(NAME) },
            tree::Member {
                key: "States".into(),
                key_span: span,
                value: tree::Node {
                    span,
                    value: tree::Value::Object(vec![tree::Member { key: NAME.into(), key_span: span, value: root }]),
                },
            },
        ]),
    };
    let (machine, more) = model::build::build(&machine_node);
    diagnostics.extend(more);
    if let Some(m) = &machine {
        let mut machine_wide = Vec::new();
        check::check_machine(m, &mut machine_wide);
        // Transitions of a lone state lead outside the fragment: only keep what is about the state itself.
        diagnostics.extend(machine_wide.into_iter().filter(|d| {
            d.code != codes::MISSING_TRANSITION_TARGET
                && d.code != codes::MISSING_END_STATE
                && d.code != codes::NO_PATH_TO_END
        }));
    }
    let prefix = format!("/States/{NAME}");
    for d in &mut diagnostics {
        if let Some(rest) = d.pointer.strip_prefix(&prefix) {
            d.pointer = rest.to_owned();
        }
        if d.state.as_deref() == Some(NAME) {
            d.state = None;
        }
    }
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
    Analysis { machine, diagnostics }
}
