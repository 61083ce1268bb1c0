//! The comparison operators of JSONPath Choice rules, with AWS's semantics (INVENTORY §3.3).
//!
//! A value of the wrong type never matches (no error); strings compare by UTF-16 code units (Java's
//! `String.compareTo`); numbers as IEEE doubles (`0` equals `0.0`); timestamps chronologically,
//! offsets normalised; `StringMatches` knows only `*`, with `\*` and `\\` escapes.

use std::cmp::Ordering;

use serde_json::Value;

use crate::timestamp;

/// Orders two strings as Java does: by UTF-16 code units, not by code points.
pub fn compare_utf16(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The ordering of a string variable against a string operand; `None` when the variable is not a string.
pub fn string_cmp(variable: &Value, operand: &str) -> Option<Ordering> {
    variable.as_str().map(|v| compare_utf16(v, operand))
}

/// The ordering of a numeric variable against a number; `None` when it is not a number.
pub fn numeric_cmp(variable: &Value, operand: f64) -> Option<Ordering> {
    variable.as_f64().and_then(|v| v.partial_cmp(&operand))
}

/// Orders two timestamps; `None` when the variable is not a valid timestamp string.
pub fn timestamp_cmp(variable: &Value, operand: &str) -> Option<Ordering> {
    let v = timestamp::parse(variable.as_str()?)?;
    let o = timestamp::parse(operand)?;
    Some(v.cmp(&o))
}

/// `BooleanEquals`: only a JSON boolean can match.
pub fn boolean_equals(variable: &Value, operand: bool) -> bool {
    variable.as_bool() == Some(operand)
}

/// `IsNumeric`.
pub fn is_numeric(variable: &Value) -> bool {
    variable.is_number()
}

/// `IsString`.
pub fn is_string(variable: &Value) -> bool {
    variable.is_string()
}

/// `IsBoolean`.
pub fn is_boolean(variable: &Value) -> bool {
    variable.is_boolean()
}

/// `IsNull`: only a JSON `null` (a missing path is not null; `IsPresent` tests that).
pub fn is_null(variable: &Value) -> bool {
    variable.is_null()
}

/// `IsTimestamp`: a string in the RFC 3339 profile Step Functions accepts.
pub fn is_timestamp(variable: &Value) -> bool {
    variable.as_str().is_some_and(timestamp::is_valid)
}

/// A `StringMatches` pattern: literal pieces separated by `*` wildcards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The literal pieces between wildcards; `n` wildcards give `n + 1` pieces.
    pieces: Vec<String>,
}

impl Pattern {
    /// Parses a pattern; an escape other than `\*` or `\\` is an error ("open" escape).
    pub fn parse(pattern: &str) -> Result<Pattern, String> {
        let mut pieces = vec![String::new()];
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            match c {
                '*' => pieces.push(String::new()),
                '\\' => match chars.next() {
                    Some(e @ ('*' | '\\')) => pieces.last_mut().map_or((), |p| p.push(e)),
                    Some(other) => {
                        return Err(format!("invalid escape '\\{other}' in StringMatches pattern '{pattern}'"));
                    }
                    None => return Err(format!("StringMatches pattern '{pattern}' ends with an open escape '\\'")),
                },
                c => pieces.last_mut().map_or((), |p| p.push(c)),
            }
        }
        Ok(Pattern { pieces })
    }

    /// Whether `s` matches the whole pattern.
    pub fn matches(&self, s: &str) -> bool {
        let (first, rest) = match self.pieces.split_first() {
            Some(x) => x,
            None => return s.is_empty(),
        };
        let Some(mut remaining) = s.strip_prefix(first.as_str()) else { return false };
        let Some((last, middle)) = rest.split_last() else { return remaining.is_empty() };
        for piece in middle {
            match remaining.find(piece.as_str()) {
                Some(at) => remaining = &remaining[at + piece.len()..],
                None => return false,
            }
        }
        remaining.len() >= last.len() && remaining.ends_with(last.as_str())
    }
}

/// `StringMatches`: a non-string variable never matches.
pub fn string_matches(variable: &Value, pattern: &Pattern) -> bool {
    variable.as_str().is_some_and(|s| pattern.matches(s))
}

/// `String...Path` operators: orders two values when both are strings.
pub fn compare_strings(variable: &Value, operand: &Value) -> Option<Ordering> {
    Some(compare_utf16(variable.as_str()?, operand.as_str()?))
}

/// `Numeric...Path` operators: orders two values when both are numbers.
pub fn compare_numbers(variable: &Value, operand: &Value) -> Option<Ordering> {
    variable.as_f64()?.partial_cmp(&operand.as_f64()?)
}

/// `Timestamp...Path` operators: orders two values when both are timestamps.
pub fn compare_timestamps(variable: &Value, operand: &Value) -> Option<Ordering> {
    timestamp_cmp(variable, operand.as_str()?)
}

/// `BooleanEqualsPath`: both booleans and equal.
pub fn boolean_equals_value(variable: &Value, operand: &Value) -> bool {
    matches!((variable, operand), (Value::Bool(a), Value::Bool(b)) if a == b)
}

/// `StringMatches` with the pattern as written; a malformed pattern matches nothing.
pub fn string_matches_text(variable: &Value, pattern: &str) -> bool {
    Pattern::parse(pattern).is_ok_and(|p| string_matches(variable, &p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_never_match() {
        for v in [json!(null), json!(0), json!(""), json!([]), json!({}), json!("HelloWorld")] {
            assert!(!boolean_equals(&v, true) && !boolean_equals(&v, false));
        }
        for v in [json!(null), json!("1"), json!(true), json!([1])] {
            assert_eq!(numeric_cmp(&v, 1.0), None);
        }
        assert_eq!(string_cmp(&json!(1), "1"), None);
        assert_eq!(timestamp_cmp(&json!("2023-02-24 12:15:56.832957"), "2023-02-24T12:15:56Z"), None);
    }

    #[test]
    fn numbers_compare_as_doubles() {
        assert_eq!(numeric_cmp(&json!(0), 0.0), Some(Ordering::Equal));
        assert_eq!(numeric_cmp(&json!(0.0), 0.0), Some(Ordering::Equal));
        assert_eq!(numeric_cmp(&json!(1.1), 1.0), Some(Ordering::Greater));
    }

    #[test]
    fn strings_compare_by_utf16_units() {
        // Recorded on AWS: "A" < "AB", "" == "", "A" < "A ".
        assert_eq!(compare_utf16("A", "AB"), Ordering::Less);
        assert_eq!(compare_utf16("", ""), Ordering::Equal);
        assert_eq!(compare_utf16("A", "A "), Ordering::Less);
        // U+FF5E (one unit, 0xFF5E) sorts after U+1F600 (surrogates 0xD83D...) in UTF-16 but before it by code point.
        assert_eq!(compare_utf16("\u{FF5E}", "\u{1F600}"), Ordering::Greater);
        assert!("\u{FF5E}" < "\u{1F600}");
    }

    #[test]
    fn timestamps_compare_chronologically() {
        assert_eq!(timestamp_cmp(&json!("2016-03-14T01:59:00Z"), "2016-03-14T02:59:00+01:00"), Some(Ordering::Equal));
        assert_eq!(timestamp_cmp(&json!("2016-03-14T01:59:00.5Z"), "2016-03-14T01:59:00Z"), Some(Ordering::Greater));
        assert!(is_timestamp(&json!("2016-03-14T01:59:00Z")));
        assert!(!is_timestamp(&json!("2016-03-14")));
    }

    #[test]
    fn string_matches_wildcards_and_escapes() {
        let p = |s: &str| Pattern::parse(s).unwrap();
        assert!(p("log-*.txt").matches("log-2024.txt"));
        assert!(p("*").matches(""));
        assert!(p("a*b*c").matches("abc"));
        assert!(p("a*b*c").matches("a-b-b-c"));
        assert!(!p("a*b*c").matches("acb"));
        assert!(!p("ab*ba").matches("aba"), "pieces must not overlap");
        assert!(p("\\*star").matches("*star"));
        assert!(!p("\\*star").matches("xstar"));
        assert!(p("back\\\\slash").matches("back\\slash"));
        assert!(Pattern::parse("open\\").is_err());
        assert!(Pattern::parse("bad\\x").is_err());
        assert!(!string_matches(&json!(1), &p("*")));
    }
}
