//! Function signatures (`<s-nn?:s>`): jsonata-js `signature.js`.
//!
//! A signature lists one symbol per parameter (`s` string, `n` number, `b` boolean, `l` null,
//! `a` array, `o` object, `f` function, `j` any JSON value, `x` anything, `(sn)` a choice), each
//! optionally followed by `?` (optional), `+` (one or more) or `-` (use the context value when the
//! argument is missing), and `<...>` after `a`/`f` for the item type. jsonata-js turns it into a
//! regular expression over one letter per supplied argument (`m` for a missing one); this port
//! matches the same language with the same greedy, backtracking preference, then fixes up the
//! arguments: inserts the context value, wraps a non-array into an array for `a`, and checks the
//! item type of `a<...>`.

use super::eval::EvalError;
use super::value::JValue;

/// One parameter.
#[derive(Debug, Clone)]
struct Param {
    /// Type letters accepted (always including `m`, a missing value, except for `f`).
    accepts: String,
    /// Letters the context value may have to stand in for a missing argument.
    context_accepts: Option<String>,
    kind: char,
    subtype: Option<String>,
    optional: bool,
    repeat: bool,
}

/// A parsed signature.
#[derive(Debug, Clone)]
pub struct Signature {
    params: Vec<Param>,
}

/// The signature letter of a value (`m` for undefined).
pub fn symbol(v: Option<&JValue>) -> char {
    match v {
        None => 'm',
        Some(JValue::Null) => 'l',
        Some(JValue::Bool(_)) => 'b',
        Some(JValue::Number(_)) => 'n',
        Some(JValue::String(_)) => 's',
        Some(JValue::Array(_)) => 'a',
        Some(JValue::Object(_)) => 'o',
        Some(JValue::Function(_)) => 'f',
    }
}

fn plural(subtype: &str) -> &'static str {
    match subtype {
        "a" => "arrays",
        "b" => "booleans",
        "f" => "functions",
        "n" => "numbers",
        "o" => "objects",
        "s" => "strings",
        _ => "undefined",
    }
}

fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut pos = start;
    while pos + 1 < chars.len() {
        pos += 1;
        let c = chars[pos];
        if c == close {
            depth -= 1;
            if depth == 0 {
                return pos;
            }
        } else if c == open {
            depth += 1;
        }
    }
    chars.len()
}

impl Signature {
    /// Parses a signature written with its angle brackets, e.g. `"<s-nn?:s>"`. Malformed input
    /// never fails: unknown symbols are ignored, as in jsonata-js (the parser has already
    /// rejected invalid signatures of lambdas).
    pub fn parse(sig: &str) -> Signature {
        let chars: Vec<char> = sig.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut pos = 1;
        while pos < chars.len() {
            let c = chars[pos];
            if c == ':' {
                break;
            }
            let simple = |accepts: &str, kind: char| Param {
                accepts: accepts.to_string(),
                context_accepts: None,
                kind,
                subtype: None,
                optional: false,
                repeat: false,
            };
            match c {
                's' | 'n' | 'b' | 'l' | 'o' => params.push(simple(&format!("{c}m"), c)),
                'a' => params.push(simple("asnblfom", 'a')),
                'f' => params.push(simple("f", 'f')),
                'j' => params.push(simple("asnblom", 'j')),
                'x' => params.push(simple("asnblfom", 'x')),
                '-' => {
                    if let Some(p) = params.last_mut() {
                        p.context_accepts = Some(p.accepts.clone());
                        p.optional = true;
                    }
                }
                '?' => {
                    if let Some(p) = params.last_mut() {
                        p.optional = true;
                    }
                }
                '+' => {
                    if let Some(p) = params.last_mut() {
                        p.repeat = true;
                    }
                }
                '(' => {
                    let end = closing(&chars, pos, '(', ')');
                    let choice: String = chars.get(pos + 1..end).unwrap_or_default().iter().collect();
                    params.push(simple(&format!("{choice}m"), '('));
                    pos = end;
                }
                '<' => {
                    let end = closing(&chars, pos, '<', '>');
                    if let Some(p) = params.last_mut()
                        && (p.kind == 'a' || p.kind == 'f')
                    {
                        p.subtype = Some(chars.get(pos + 1..end).unwrap_or_default().iter().collect());
                    }
                    pos = end;
                }
                _ => {}
            }
            pos += 1;
        }
        Signature { params }
    }

    /// Matches params `pi..` against `symbols[si..]` (greedy, backtracking like a JavaScript
    /// regex); with `anchored`, the match must consume all symbols. Fills `spans` with each
    /// parameter's `(start, end)`.
    fn match_from(
        &self,
        pi: usize,
        symbols: &[char],
        si: usize,
        anchored: bool,
        spans: &mut Vec<(usize, usize)>,
    ) -> bool {
        let Some(p) = self.params.get(pi) else {
            return !anchored || si == symbols.len();
        };
        let accepts = |k: usize| symbols.get(k).is_some_and(|c| p.accepts.contains(*c));
        let mut max = 0;
        while accepts(si + max) && (p.repeat || max == 0) {
            max += 1;
        }
        let min = if p.optional { 0 } else { 1 };
        let mut n = max;
        loop {
            if n < min {
                return false;
            }
            spans.push((si, si + n));
            if self.match_from(pi + 1, symbols, si + n, anchored, spans) {
                return true;
            }
            spans.pop();
            if n == 0 {
                return false;
            }
            n -= 1;
        }
    }

    /// jsonata-js `validate(args, context)`: checks `args` and returns them fixed up, or the
    /// T0410/T0411/T0412 error (naming the function `name`).
    pub fn validate(
        &self,
        args: Vec<Option<JValue>>,
        context: Option<&JValue>,
        name: &str,
    ) -> Result<Vec<Option<JValue>>, EvalError> {
        let symbols: Vec<char> = args.iter().map(|a| symbol(a.as_ref())).collect();
        let mut spans = Vec::new();
        if !self.match_from(0, &symbols, 0, true, &mut spans) {
            return Err(self.mismatch(&symbols, name));
        }
        let mut out = Vec::with_capacity(self.params.len());
        let mut arg_index = 0;
        for (p, (start, end)) in self.params.iter().zip(spans) {
            if start == end {
                if let Some(ctx_ok) = &p.context_accepts {
                    if ctx_ok.contains(symbol(context)) {
                        out.push(context.cloned());
                    } else {
                        return Err(EvalError::new(
                            "T0411",
                            format!(
                                "Context value is not a compatible type with argument {} of function {}",
                                arg_index + 1,
                                quote(name)
                            ),
                        ));
                    }
                } else {
                    out.push(args.get(arg_index).cloned().flatten());
                    arg_index += 1;
                }
                continue;
            }
            let matched: String = symbols.get(start..end).unwrap_or_default().iter().collect();
            for single in matched.chars() {
                let arg = args.get(arg_index).cloned().flatten();
                if p.kind == 'a' && single != 'm' {
                    let arg = arg.unwrap_or(JValue::Null);
                    if let Some(sub) = &p.subtype {
                        let ok = if single != 'a' {
                            matched == *sub
                        } else {
                            match &arg {
                                JValue::Array(a) => match a.items().first() {
                                    None => true,
                                    Some(first) => {
                                        let t = symbol(Some(first));
                                        sub.starts_with(t) && a.items().iter().all(|v| symbol(Some(v)) == t)
                                    }
                                },
                                _ => true,
                            }
                        };
                        if !ok {
                            return Err(EvalError::new(
                                "T0412",
                                format!(
                                    "Argument {} of function {} must be an array of {}",
                                    arg_index + 1,
                                    quote(name),
                                    plural(sub)
                                ),
                            ));
                        }
                    }
                    out.push(Some(if single == 'a' { arg } else { JValue::array(vec![arg]) }));
                } else {
                    out.push(arg);
                }
                arg_index += 1;
            }
        }
        Ok(out)
    }

    /// jsonata-js `throwValidationError`: the first argument where a growing prefix of the
    /// signature stops matching.
    fn mismatch(&self, symbols: &[char], name: &str) -> EvalError {
        let mut good_to = 0;
        for index in 0..self.params.len() {
            let prefix = Signature { params: self.params.get(..=index).unwrap_or_default().to_vec() };
            let mut spans = Vec::new();
            if !prefix.match_from(0, symbols, 0, false, &mut spans) {
                break;
            }
            good_to = spans.last().map(|s| s.1).unwrap_or(0);
        }
        EvalError::new(
            "T0410",
            format!("Argument {} of function {} does not match function signature", good_to + 1, quote(name)),
        )
    }
}

fn quote(name: &str) -> String {
    let mut s = String::new();
    super::jsnum::json_quote(name, &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: f64) -> Option<JValue> {
        Some(JValue::Number(x))
    }

    fn s(x: &str) -> Option<JValue> {
        Some(JValue::string(x))
    }

    #[test]
    fn context_argument_is_inserted() {
        let sig = Signature::parse("<s-nn?:s>");
        let out = sig.validate(vec![n(1.0), n(2.0)], Some(&JValue::string("ctx")), "substring").unwrap();
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].as_ref().and_then(JValue::as_str), Some("ctx"));
        let out = sig.validate(vec![s("abc"), n(1.0)], None, "substring").unwrap();
        assert_eq!(out[0].as_ref().and_then(JValue::as_str), Some("abc"));
        assert!(out[2].is_none());
    }

    #[test]
    fn mismatch_reports_the_argument() {
        let sig = Signature::parse("<s-nn?:s>");
        let e = sig.validate(vec![s("abc"), s("x")], None, "substring").unwrap_err();
        assert_eq!(e.code, "T0410");
        assert_eq!(e.message, "Argument 2 of function \"substring\" does not match function signature");
        let e = Signature::parse("<a:n>").validate(vec![], None, "count").unwrap_err();
        assert_eq!(e.message, "Argument 1 of function \"count\" does not match function signature");
    }

    #[test]
    fn arrays_are_wrapped_and_checked() {
        let sig = Signature::parse("<a<n>:n>");
        let out = sig.validate(vec![n(5.0)], None, "sum").unwrap();
        assert!(matches!(&out[0], Some(JValue::Array(a)) if a.len() == 1));
        let bad = JValue::array(vec![JValue::Number(1.0), JValue::string("x")]);
        assert_eq!(sig.validate(vec![Some(bad)], None, "sum").unwrap_err().code, "T0412");
        assert_eq!(sig.validate(vec![s("x")], None, "sum").unwrap_err().code, "T0412");
        let out = sig.validate(vec![None], None, "sum").unwrap();
        assert!(out[0].is_none());
    }

    #[test]
    fn repeated_and_choice() {
        let zip = Signature::parse("<a+>");
        assert_eq!(zip.validate(vec![n(1.0), n(2.0), n(3.0)], None, "zip").unwrap().len(), 3);
        let contains = Signature::parse("<s-(sf):b>");
        assert!(contains.validate(vec![s("a"), s("b")], None, "contains").is_ok());
        assert_eq!(contains.validate(vec![s("a"), n(1.0)], None, "contains").unwrap_err().code, "T0410");
        let ctx = Signature::parse("<s-:s>");
        assert_eq!(ctx.validate(vec![], Some(&JValue::Number(1.0)), "uppercase").unwrap_err().code, "T0411");
    }
}
