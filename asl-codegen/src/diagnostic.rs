//! Diagnostics: what the front end found wrong (or suspicious) in an ASL file.
//!
//! A [`Diagnostic`] is data: a stable code (AWS's code where AWS has one, such as
//! `MISSING_TRANSITION_TARGET` or `SCHEMA_VALIDATION_FAILED`), a message (AWS's wording where it is
//! known), the state it concerns, the JSON pointer of the offending value and its byte span.
//! [`Diagnostic::locate`] adds `line:col`; rendering with a source excerpt lives in [`crate::render`].

use crate::span::{LineCol, LineIndex, Span};

/// How bad a diagnostic is. Errors make the definition invalid (AWS would refuse it, or it cannot
/// run); warnings flag things that are legal but almost certainly not meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Stable diagnostic codes. The first group are AWS's own (`ValidateStateMachineDefinition`); the
/// rest are ours, for checks AWS does not make or does not name.
pub mod codes {
    /// Not JSON, or JSON that is not an object at the top (AWS: `INVALID_JSON_DESCRIPTION`).
    pub const INVALID_JSON_DESCRIPTION: &str = "INVALID_JSON_DESCRIPTION";
    /// A field is missing, not allowed, of the wrong type or out of range.
    pub const SCHEMA_VALIDATION_FAILED: &str = "SCHEMA_VALIDATION_FAILED";
    /// A transition names a state that does not exist in its `States` block, or a state is unreachable.
    pub const MISSING_TRANSITION_TARGET: &str = "MISSING_TRANSITION_TARGET";
    /// A `States` block has no terminal state.
    pub const MISSING_END_STATE: &str = "MISSING_END_STATE";
    /// Two states share a name somewhere in the machine.
    pub const DUPLICATE_STATE_NAME: &str = "DUPLICATE_STATE_NAME";
    /// A JSONata expression does not parse.
    pub const INVALID_JSONATA_EXPRESSION: &str = "INVALID_JSONATA_EXPRESSION";
    /// A JSONata expression uses something Step Functions refuses (top-level `$`, `$eval`, ...).
    pub const UNSUPPORTED_JSONATA_EXPRESSION: &str = "UNSUPPORTED_JSONATA_EXPRESSION";
    /// A JSON object has the same key twice (serde_json would silently keep the last one).
    pub const DUPLICATE_KEY: &str = "DUPLICATE_KEY";
    /// A payload template has two keys that are equal once `.$` is stripped.
    pub const DUPLICATE_FIELD_NAME: &str = "DUPLICATE_FIELD_NAME";
    /// A string that must be a JSONPath (Path or Reference Path) is not one.
    pub const INVALID_JSONPATH: &str = "INVALID_JSONPATH";
    /// An intrinsic function call is malformed, unknown, or has the wrong arguments.
    pub const INVALID_INTRINSIC: &str = "INVALID_INTRINSIC";
    /// A variable name, assignment or reference is not allowed.
    pub const INVALID_VARIABLE: &str = "INVALID_VARIABLE";
    /// A Task `Resource` that is meant to be an ARN (starts with `arn:`) but is malformed.
    pub const INVALID_RESOURCE: &str = "INVALID_RESOURCE";

    // Warnings (legal for AWS, almost certainly a mistake).
    /// No terminal state can be reached from this state: an execution that gets here never ends.
    pub const NO_PATH_TO_END: &str = "NO_PATH_TO_END";
    /// A retrier can never be used because an earlier retrier already matches everything it matches.
    pub const UNREACHABLE_RETRIER: &str = "UNREACHABLE_RETRIER";
    /// A catcher can never fire because an earlier catcher already matches everything it matches,
    /// or it only names errors that can never be caught.
    pub const UNREACHABLE_CATCHER: &str = "UNREACHABLE_CATCHER";
    /// A variable is read where no path through the workflow can have assigned it.
    pub const UNASSIGNED_VARIABLE: &str = "UNASSIGNED_VARIABLE";
    /// An `ErrorEquals` name starts with `States.` but is not an error Step Functions defines.
    pub const UNKNOWN_ERROR_NAME: &str = "UNKNOWN_ERROR_NAME";
    /// An intrinsic call the spec forbids but AWS accepts (an object argument of `States.Format`).
    pub const NON_PORTABLE_INTRINSIC: &str = "NON_PORTABLE_INTRINSIC";
    /// A Map field that only has an effect in DISTRIBUTED mode (`ItemReader`, `ResultWriter`).
    pub const DISTRIBUTED_ONLY: &str = "DISTRIBUTED_ONLY";
    /// A `Resource` still holds a `${...}` definition substitution.
    pub const UNRESOLVED_SUBSTITUTION: &str = "UNRESOLVED_SUBSTITUTION";
}

/// One finding about an ASL file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, see [`codes`].
    pub code: &'static str,
    pub message: String,
    /// The state the diagnostic is about, when there is one.
    pub state: Option<String>,
    /// JSON pointer (RFC 6901) of the offending value, e.g. `/States/Pay/Next`.
    pub pointer: String,
    /// Byte range in the source text.
    pub span: Span,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>, pointer: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            state: None,
            pointer: pointer.into(),
            span,
        }
    }

    pub fn warning(
        code: &'static str,
        message: impl Into<String>,
        pointer: impl Into<String>,
        span: Span,
    ) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message, pointer, span) }
    }

    pub fn with_state(mut self, state: Option<&str>) -> Diagnostic {
        self.state = state.map(str::to_owned);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The 1-based line and column where the diagnostic starts.
    pub fn locate(&self, text: &str, index: &LineIndex) -> LineCol {
        index.line_col(text, self.span.start)
    }
}
