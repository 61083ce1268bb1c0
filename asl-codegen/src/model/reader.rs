//! Small helpers for reading typed fields out of the tree while collecting diagnostics.

use crate::diagnostic::{Diagnostic, codes};
use crate::span::Span;
use crate::tree::{Member, Node, escape_pointer};

/// Collects diagnostics while the model is built; knows the state being read, so every diagnostic
/// names it.
pub(crate) struct Sink {
    pub diagnostics: Vec<Diagnostic>,
    pub state: Option<String>,
}

impl Sink {
    pub fn error(&mut self, code: &'static str, message: impl Into<String>, pointer: &str, span: Span) {
        let d = Diagnostic::error(code, message, pointer, span).with_state(self.state.as_deref());
        self.diagnostics.push(d);
    }

    pub fn warning(&mut self, code: &'static str, message: impl Into<String>, pointer: &str, span: Span) {
        let d = Diagnostic::warning(code, message, pointer, span).with_state(self.state.as_deref());
        self.diagnostics.push(d);
    }

    /// `SCHEMA_VALIDATION_FAILED` with AWS's phrasing `<message> at <pointer>` left to the renderer.
    pub fn schema(&mut self, message: impl Into<String>, pointer: &str, span: Span) {
        self.error(codes::SCHEMA_VALIDATION_FAILED, message, pointer, span);
    }

    /// A wrong JSON type for a field.
    pub fn expected(&mut self, what: &str, member: &Member, pointer: &str) {
        self.schema(
            format!("The field '{}' should be {what}, but was {}", member.key, article(member.value.kind_name())),
            pointer,
            member.value.span,
        );
    }
}

/// "an object", "a string", ...
pub(crate) fn article(kind: &str) -> String {
    match kind {
        "object" | "array" | "integer" => format!("an {kind}"),
        "null" => "null".to_owned(),
        _ => format!("a {kind}"),
    }
}

/// `pointer/key` with the key escaped.
pub(crate) fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_pointer(key))
}

/// `pointer/index`.
pub(crate) fn index(pointer: &str, i: usize) -> String {
    format!("{pointer}/{i}")
}

/// Reads a string field; reports a type error and returns `None` for other JSON types.
pub(crate) fn string(sink: &mut Sink, member: &Member, pointer: &str) -> Option<String> {
    match member.value.as_str() {
        Some(s) => Some(s.to_owned()),
        None => {
            sink.expected("a string", member, pointer);
            None
        }
    }
}

/// Reads a boolean field.
pub(crate) fn boolean(sink: &mut Sink, member: &Member, pointer: &str) -> Option<bool> {
    match member.value.as_bool() {
        Some(b) => Some(b),
        None => {
            sink.expected("a boolean", member, pointer);
            None
        }
    }
}

/// Reads an integer field within `min..=max`, with AWS's range messages.
pub(crate) fn integer(sink: &mut Sink, member: &Member, pointer: &str, min: u64, max: u64) -> Option<u64> {
    let Some(n) = member.value.as_number() else {
        sink.expected("an integer", member, pointer);
        return None;
    };
    let Some(i) = n.as_i64().filter(|_| n.is_integer_literal() || n.as_f64().fract() == 0.0) else {
        sink.schema(
            format!("The field '{}' should be an integer, but was {}", member.key, n.raw),
            pointer,
            member.value.span,
        );
        return None;
    };
    if i < min as i64 {
        sink.schema(
            format!("Minimum value is {min} for the field '{}', but was {i}", member.key),
            pointer,
            member.value.span,
        );
        return None;
    }
    if i as u64 > max {
        sink.schema(
            format!("Maximum value is {max} for the field '{}', but was {i}", member.key),
            pointer,
            member.value.span,
        );
        return None;
    }
    Some(i as u64)
}

/// Reads a number field within `min..=max`.
pub(crate) fn number(sink: &mut Sink, member: &Member, pointer: &str, min: f64, max: f64) -> Option<f64> {
    let Some(n) = member.value.as_number() else {
        sink.expected("a number", member, pointer);
        return None;
    };
    let v = n.as_f64();
    if v < min {
        sink.schema(
            format!("Minimum value is {min:?} for the field '{}', but was {}", member.key, n.raw),
            pointer,
            member.value.span,
        );
        return None;
    }
    if v > max {
        sink.schema(
            format!("Maximum value is {max:?} for the field '{}', but was {}", member.key, n.raw),
            pointer,
            member.value.span,
        );
        return None;
    }
    Some(v)
}

/// Reads an object field, returning its members.
pub(crate) fn object<'a>(sink: &mut Sink, member: &'a Member, pointer: &str) -> Option<&'a [Member]> {
    match member.value.as_object() {
        Some(m) => Some(m),
        None => {
            sink.expected("an object", member, pointer);
            None
        }
    }
}

/// Reads an array field.
pub(crate) fn array<'a>(sink: &mut Sink, member: &'a Member, pointer: &str) -> Option<&'a [Node]> {
    match member.value.as_array() {
        Some(items) => Some(items),
        None => {
            sink.expected("an array", member, pointer);
            None
        }
    }
}

/// Looks up a member by key.
pub(crate) fn get<'a>(members: &'a [Member], key: &str) -> Option<&'a Member> {
    members.iter().find(|m| m.key == key)
}

/// Reports that at most one of `names` may be present; returns true when there was a conflict.
pub(crate) fn at_most_one(sink: &mut Sink, members: &[Member], names: &[&str], pointer: &str) -> bool {
    let present: Vec<&Member> = members.iter().filter(|m| names.contains(&m.key.as_str())).collect();
    if present.len() > 1 {
        let second = present[1];
        sink.schema(
            format!("There should only be one of the following fields: [{}]", names.join(", ")),
            &child(pointer, &second.key),
            second.key_span,
        );
        return true;
    }
    false
}
