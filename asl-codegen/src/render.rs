//! Turning diagnostics into text: one-line `path:line:col: error[CODE]: message` for tools and
//! CI logs, and a rustc-style form with a source excerpt for humans (and compile errors).

use crate::diagnostic::Diagnostic;
use crate::span::LineIndex;

/// A source file and its line index, to render diagnostics against.
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub index: LineIndex,
}

impl<'a> Source<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Source<'a> {
        Source { path, text, index: LineIndex::new(text) }
    }

    /// `path:line:col: error[CODE]: message`.
    pub fn short(&self, d: &Diagnostic) -> String {
        let at = d.locate(self.text, &self.index);
        let state = d.state.as_deref().map(|s| format!(" (state '{s}')")).unwrap_or_default();
        format!("{}:{}:{}: {}[{}]: {}{state}", self.path, at.line, at.col, d.severity.as_str(), d.code, d.message)
    }

    /// The form for a compile error, whose `error:` prefix the compiler adds: `CODE: message`
    /// (AWS's own format), then the location and the source line.
    pub fn compile_error(&self, d: &Diagnostic) -> String {
        let full = self.excerpt(d);
        let body = full.split_once('\n').map_or("", |(_, rest)| rest);
        format!("{}: {}\n{body}", d.code, d.message)
    }

    /// The rustc-style form: the one-line header, a `-->` location and the source line with a caret
    /// under the offending text.
    pub fn excerpt(&self, d: &Diagnostic) -> String {
        let at = d.locate(self.text, &self.index);
        let end = self.index.line_col(self.text, d.span.end);
        let line = self.index.line_text(self.text, at.line);
        let width = at.line.to_string().len();
        let caret_len = if end.line == at.line { (end.col.saturating_sub(at.col)).max(1) } else { 1 };
        let pad: String = line.chars().take(at.col as usize - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        let mut out = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, d.message);
        out += &format!("{:width$}--> {}:{}:{}\n", "", self.path, at.line, at.col);
        out += &format!("{:width$} |\n", "");
        out += &format!("{} | {line}\n", at.line);
        out += &format!("{:width$} | {pad}{}", "", "^".repeat(caret_len as usize));
        if let Some(state) = &d.state {
            out += &format!(" in state '{state}'");
        }
        out += &format!("\n{:width$} = at {}", "", if d.pointer.is_empty() { "/" } else { &d.pointer });
        out
    }
}
