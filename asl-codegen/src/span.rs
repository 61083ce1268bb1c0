//! Byte ranges in an ASL source file and their translation to line and column.
//!
//! Every node of the parsed tree and every diagnostic carries a [`Span`]; a [`LineIndex`] built once
//! per file turns a byte offset into a 1-based `line:col` (columns count Unicode scalar values, as
//! editors do).

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }

    /// The span covering both `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// A sub-range of this span, given byte offsets relative to its start, clamped to the span.
    /// Used to point inside a string literal (a JSONPath segment, a JSONata token).
    pub fn sub(self, rel_start: usize, rel_end: usize) -> Span {
        let start = (self.start as usize + rel_start).min(self.end as usize);
        let end = (self.start as usize + rel_end).clamp(start, self.end as usize);
        Span::new(start, end)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Maps byte offsets of one source text to lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts.
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| (i + 1) as u32));
        LineIndex { line_starts }
    }

    /// Line and column of a byte offset (columns count characters, both 1-based).
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(text.len());
        let col = text.get(start..end).map_or(end - start, |s| s.chars().count());
        LineCol { line: line as u32 + 1, col: col as u32 + 1 }
    }

    /// The text of a 1-based line, without its line terminator.
    pub fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let Some(&start) = self.line_starts.get(i) else { return "" };
        let end = self.line_starts.get(i + 1).map_or(text.len(), |&e| e as usize);
        text.get(start as usize..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "{\n  \"é\": 1,\n  \"b\": 2\n}";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, col: 1 });
        let b = text.find("\"b\"").unwrap() as u32;
        assert_eq!(index.line_col(text, b), LineCol { line: 3, col: 3 });
        let one = text.find('1').unwrap() as u32;
        // `"é": ` is 5 characters but 6 bytes.
        assert_eq!(index.line_col(text, one), LineCol { line: 2, col: 8 });
        assert_eq!(index.line_text(text, 2), "  \"é\": 1,");
    }

    #[test]
    fn sub_span_is_clamped() {
        let s = Span::new(10, 20);
        assert_eq!(s.sub(2, 4), Span::new(12, 14));
        assert_eq!(s.sub(8, 50), Span::new(18, 20));
    }
}
