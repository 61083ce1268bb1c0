//! The built-in functions: jsonata-js 2.0.6 `functions.js` (with the signatures jsonata-js
//! registers them under), minus `$eval`, plus the functions Step Functions adds: `$partition`,
//! `$range`, `$hash`, `$random([seed])`, `$uuid` and `$parse`.
//!
//! Arguments arrive validated against the signature (so a `<s>` parameter holds a string or is
//! undefined); the helpers below still treat anything unexpected as undefined rather than panic.

use std::sync::{Arc, OnceLock};

use base64::Engine as _;

use super::datetime;
use super::eval::{self, Comparator, Ctx, EvalError, FnKind, append, boolean, describe, lookup_field};
use super::jsnum;
use super::regex::{Regex, RegexError};
use super::signature::Signature;
use super::value::{self, JObject, JValue};

type Args = Vec<Option<JValue>>;
type R = Result<Option<JValue>, EvalError>;
pub(crate) type BuiltinFn = fn(&mut Ctx<'_>, Args) -> R;

/// A built-in function.
pub(crate) struct Builtin {
    pub(crate) name: &'static str,
    sig_text: &'static str,
    sig: OnceLock<Signature>,
    /// Parameters of the JavaScript implementation (used by partial application).
    pub(crate) params: usize,
    /// `Function.length` of the implementation (what higher-order functions pass).
    pub(crate) arity: usize,
    pub(crate) imp: BuiltinFn,
}

impl Builtin {
    pub(crate) fn signature(&self) -> &Signature {
        self.sig.get_or_init(|| Signature::parse(self.sig_text))
    }
}

const fn def(name: &'static str, sig_text: &'static str, params: usize, arity: usize, imp: BuiltinFn) -> Builtin {
    Builtin { name, sig_text, sig: OnceLock::new(), params, arity, imp }
}

static BUILTINS: [Builtin; 69] = [
    def("sum", "<a<n>:n>", 1, 1, sum),
    def("count", "<a:n>", 1, 1, count),
    def("max", "<a<n>:n>", 1, 1, max),
    def("min", "<a<n>:n>", 1, 1, min),
    def("average", "<a<n>:n>", 1, 1, average),
    def("string", "<x-b?:s>", 2, 1, string),
    def("substring", "<s-nn?:s>", 3, 3, substring),
    def("substringBefore", "<s-s:s>", 2, 2, substring_before),
    def("substringAfter", "<s-s:s>", 2, 2, substring_after),
    def("lowercase", "<s-:s>", 1, 1, lowercase),
    def("uppercase", "<s-:s>", 1, 1, uppercase),
    def("length", "<s-:n>", 1, 1, length),
    def("trim", "<s-:s>", 1, 1, trim),
    def("pad", "<s-ns?:s>", 3, 3, pad),
    def("match", "<s-f<s:o>n?:a<o>>", 3, 3, match_),
    def("contains", "<s-(sf):b>", 2, 2, contains),
    def("replace", "<s-(sf)(sf)n?:s>", 4, 4, replace),
    def("split", "<s-(sf)n?:a<s>>", 3, 3, split),
    def("join", "<a<s>s?:s>", 2, 2, join),
    def("formatNumber", "<n-so?:s>", 3, 3, format_number),
    def("formatBase", "<n-n?:s>", 2, 2, format_base),
    def("formatInteger", "<n-s:s>", 2, 2, format_integer),
    def("parseInteger", "<s-s:n>", 2, 2, parse_integer),
    def("number", "<(nsb)-:n>", 1, 1, number),
    def("floor", "<n-:n>", 1, 1, floor),
    def("ceil", "<n-:n>", 1, 1, ceil),
    def("round", "<n-n?:n>", 2, 2, round),
    def("abs", "<n-:n>", 1, 1, abs),
    def("sqrt", "<n-:n>", 1, 1, sqrt),
    def("power", "<n-n:n>", 2, 2, power),
    def("random", "<n?:n>", 1, 1, random),
    def("boolean", "<x-:b>", 1, 1, boolean_),
    def("not", "<x-:b>", 1, 1, not),
    def("map", "<af>", 2, 2, map),
    def("zip", "<a+>", 0, 0, zip),
    def("filter", "<af>", 2, 2, filter),
    def("single", "<af?>", 2, 2, single),
    def("reduce", "<afj?:j>", 3, 3, reduce),
    def("sift", "<o-f?:o>", 2, 2, sift),
    def("keys", "<x-:a<s>>", 1, 1, keys),
    def("lookup", "<x-s:x>", 2, 2, lookup),
    def("append", "<xx:a>", 2, 2, append_),
    def("exists", "<x:b>", 1, 1, exists),
    def("spread", "<x-:a<o>>", 1, 1, spread),
    def("merge", "<a<o>:o>", 1, 1, merge),
    def("reverse", "<a:a>", 1, 1, reverse),
    def("each", "<o-f:a>", 2, 2, each),
    def("error", "<s?:x>", 1, 1, error),
    def("assert", "<bs?:x>", 2, 2, assert),
    def("type", "<x:s>", 1, 1, type_),
    def("sort", "<af?:a>", 2, 2, sort),
    def("shuffle", "<a:a>", 1, 1, shuffle),
    def("distinct", "<x:x>", 1, 1, distinct),
    def("base64encode", "<s-:s>", 1, 1, base64encode),
    def("base64decode", "<s-:s>", 1, 1, base64decode),
    def("encodeUrlComponent", "<s-:s>", 1, 1, encode_url_component),
    def("encodeUrl", "<s-:s>", 1, 1, encode_url),
    def("decodeUrlComponent", "<s-:s>", 1, 1, decode_url_component),
    def("decodeUrl", "<s-:s>", 1, 1, decode_url),
    def("toMillis", "<s-s?:n>", 2, 2, to_millis),
    def("fromMillis", "<n-s?s?:s>", 3, 3, from_millis),
    def("clone", "<(oa)-:o>", 1, 1, clone),
    def("now", "<s?s?:s>", 2, 2, now),
    def("millis", "<:n>", 0, 0, millis),
    // Step Functions additions.
    def("partition", "<an:a>", 2, 2, partition),
    def("range", "<nnn:a<n>>", 3, 3, range),
    def("hash", "<ss:s>", 2, 2, hash),
    def("uuid", "<:s>", 0, 0, uuid),
    def("parse", "<s:x>", 1, 1, parse),
];

/// The built-in function bound to `$name`, if any (`$eval` is not available: Step Functions
/// refuses it).
pub(crate) fn builtin(name: &str) -> Option<&'static Builtin> {
    if name.is_empty() {
        return None;
    }
    BUILTINS.iter().find(|b| b.name == name)
}

// ---------------------------------------------------------------------------------------------
// Argument helpers

fn arg(args: &[Option<JValue>], i: usize) -> Option<&JValue> {
    args.get(i).and_then(Option::as_ref)
}

fn str_arg(args: &[Option<JValue>], i: usize) -> Option<&str> {
    arg(args, i).and_then(JValue::as_str)
}

fn num_arg(args: &[Option<JValue>], i: usize) -> Option<f64> {
    arg(args, i).and_then(JValue::as_f64)
}

fn items(args: &[Option<JValue>], i: usize) -> Option<&[JValue]> {
    match arg(args, i) {
        Some(JValue::Array(a)) => Some(a.items()),
        _ => None,
    }
}

fn num(n: f64) -> R {
    Ok(Some(JValue::Number(n)))
}

fn text(s: impl Into<String>) -> R {
    Ok(Some(JValue::from(s.into())))
}

fn quote(s: &str) -> String {
    describe(&JValue::string(s))
}

/// jsonata-js `fn.string`: strings unchanged, functions `""`, anything else `JSON.stringify`d
/// with numbers at 15 significant digits. Infinity/NaN is error D3001.
pub(crate) fn to_string(v: &JValue, pretty: bool) -> Result<Option<String>, EvalError> {
    match v {
        JValue::String(s) => Ok(Some(s.to_string())),
        JValue::Function(_) => Ok(Some(String::new())),
        JValue::Number(n) if !n.is_finite() => {
            Err(EvalError::new("D3001", "Attempting to invoke string function on Infinity or NaN"))
        }
        other => jsnum::stringify(other, pretty)
            .map(Some)
            .map_err(|e| EvalError::new("D1001", format!("Number out of range: {}", jsnum::js_to_string(e.0)))),
    }
}

/// jsonata-js `hofFuncArgs`: the value, then the index and the whole array if the function
/// takes them.
fn hof_args(f: &JValue, value: JValue, index: JValue, whole: &JValue) -> Args {
    let n = match f {
        JValue::Function(func) => eval::arity(func),
        _ => 1,
    };
    let mut out = vec![Some(value)];
    if n >= 2 {
        out.push(Some(index));
    }
    if n >= 3 {
        out.push(Some(whole.clone()));
    }
    out
}

fn call(ctx: &mut Ctx<'_>, f: &JValue, args: Args) -> R {
    ctx.apply(Some(f.clone()), args, None, "")
}

// ---------------------------------------------------------------------------------------------
// Aggregation

fn sum(_: &mut Ctx<'_>, args: Args) -> R {
    match items(&args, 0) {
        None => Ok(None),
        Some(xs) => num(xs.iter().filter_map(JValue::as_f64).sum()),
    }
}

fn count(_: &mut Ctx<'_>, args: Args) -> R {
    num(items(&args, 0).map(|xs| xs.len()).unwrap_or(0) as f64)
}

fn extreme(args: &Args, pick: fn(f64, f64) -> f64) -> R {
    match items(args, 0) {
        None | Some([]) => Ok(None),
        Some(xs) => {
            let mut acc: Option<f64> = None;
            for x in xs.iter().filter_map(JValue::as_f64) {
                acc = Some(match acc {
                    None => x,
                    Some(a) if a.is_nan() || x.is_nan() => f64::NAN,
                    Some(a) => pick(a, x),
                });
            }
            Ok(acc.map(JValue::Number))
        }
    }
}

fn max(_: &mut Ctx<'_>, args: Args) -> R {
    extreme(&args, f64::max)
}

fn min(_: &mut Ctx<'_>, args: Args) -> R {
    extreme(&args, f64::min)
}

fn average(_: &mut Ctx<'_>, args: Args) -> R {
    match items(&args, 0) {
        None | Some([]) => Ok(None),
        Some(xs) => num(xs.iter().filter_map(JValue::as_f64).sum::<f64>() / xs.len() as f64),
    }
}

// ---------------------------------------------------------------------------------------------
// Strings

fn string(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(v) = arg(&args, 0) else {
        return Ok(None);
    };
    let pretty = eval::js_truthy(arg(&args, 1));
    Ok(to_string(v, pretty)?.map(JValue::from))
}

/// `ToIntegerOrInfinity` then clamping, as `Array.prototype.slice` treats its bounds.
fn slice_bound(x: f64, len: usize) -> usize {
    let x = if x.is_nan() { 0.0 } else { x.trunc() };
    let len_f = len as f64;
    if x < 0.0 { (len_f + x).max(0.0) as usize } else { x.min(len_f) as usize }
}

fn substring_chars(chars: &[char], start: f64, length: Option<f64>) -> String {
    let len = chars.len() as f64;
    let mut start = start;
    if len + start < 0.0 {
        start = 0.0;
    }
    let (from, to) = match length {
        Some(length) => {
            if length <= 0.0 || length.is_nan() {
                return String::new();
            }
            let end = if start >= 0.0 { start + length } else { len + start + length };
            (slice_bound(start, chars.len()), slice_bound(end, chars.len()))
        }
        None => (slice_bound(start, chars.len()), chars.len()),
    };
    if from >= to { String::new() } else { chars[from..to].iter().collect() }
}

fn substring(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    let chars: Vec<char> = s.chars().collect();
    text(substring_chars(&chars, num_arg(&args, 1).unwrap_or(f64::NAN), num_arg(&args, 2)))
}

fn substring_before(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    let chars = str_arg(&args, 1).unwrap_or("undefined");
    text(match s.find(chars) {
        Some(i) => &s[..i],
        None => s,
    })
}

fn substring_after(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    let chars = str_arg(&args, 1).unwrap_or("undefined");
    text(match s.find(chars) {
        Some(i) => &s[i + chars.len()..],
        None => s,
    })
}

fn lowercase(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(str_arg(&args, 0).map(|s| JValue::from(s.to_lowercase())))
}

fn uppercase(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(str_arg(&args, 0).map(|s| JValue::from(s.to_uppercase())))
}

fn length(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(str_arg(&args, 0).map(|s| JValue::Number(s.chars().count() as f64)))
}

fn trim(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    let out = out.strip_prefix(' ').unwrap_or(&out);
    let out = out.strip_suffix(' ').unwrap_or(out);
    text(out)
}

fn pad(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    let width = num_arg(&args, 1).unwrap_or(f64::NAN);
    let pad_char = match str_arg(&args, 2) {
        Some(c) if !c.is_empty() => c,
        _ => " ",
    };
    let pad_length = width.abs() - s.chars().count() as f64;
    if pad_length.is_nan() || pad_length <= 0.0 {
        return text(s);
    }
    if pad_length > MAX_PAD {
        return Err(EvalError::new(
            "D3001",
            format!("Cannot pad a string to {} characters", jsnum::js_to_string(width.abs())),
        ));
    }
    let n = pad_length.floor() as usize;
    let padding: String = pad_char.repeat(n).chars().take(n).collect();
    text(if width > 0.0 { format!("{s}{padding}") } else { format!("{padding}{s}") })
}

/// Longest padding `$pad` produces (JavaScript strings cannot exceed about 2^29 characters).
const MAX_PAD: f64 = (1u64 << 28) as f64;

fn join(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(xs) = items(&args, 0) else {
        return Ok(None);
    };
    let sep = str_arg(&args, 1).unwrap_or("");
    let parts: Vec<&str> = xs.iter().filter_map(JValue::as_str).collect();
    text(parts.join(sep))
}

// ---------------------------------------------------------------------------------------------
// Regular expressions and matchers

fn regex_error(e: RegexError) -> EvalError {
    match e {
        RegexError::TooComplex => {
            EvalError::new("U1001", "Regular expression evaluation is too complex (exceeded the step budget)")
        }
        RegexError::Syntax(m) => EvalError::new("REGEX", format!("Unsupported regular expression: {m}")),
    }
}

fn zero_length() -> EvalError {
    EvalError::new("D1004", "Regular expression matches zero length string")
}

fn units_text(units: &[u16], from: usize, to: usize) -> String {
    String::from_utf16_lossy(units.get(from..to).unwrap_or_default())
}

/// What a regex returns when called: `{match, start, end, groups, next}`, or undefined.
/// `is_next`: the call comes from `next()`, which stops at the end of the string and rejects a
/// zero-length match (D1004), as jsonata-js's closure does.
pub(crate) fn regex_match_object(re: &Arc<Regex>, units: &Arc<[u16]>, from: usize, is_next: bool) -> R {
    if is_next && from >= units.len() {
        return Ok(None);
    }
    let Some(m) = re.exec(units, from).map_err(regex_error)? else {
        return Ok(None);
    };
    if is_next && m.start == m.end {
        return Err(zero_length());
    }
    let mut o = JObject::new();
    o.insert("match", JValue::from(units_text(units, m.start, m.end)));
    o.insert("start", JValue::Number(m.start as f64));
    o.insert("end", JValue::Number(m.end as f64));
    o.insert(
        "groups",
        JValue::array(
            m.groups
                .iter()
                .map(|g| g.map(|(a, b)| JValue::from(units_text(units, a, b))).unwrap_or(JValue::Null))
                .collect(),
        ),
    );
    o.insert(
        "next",
        JValue::Function(Arc::new(value::Function {
            kind: FnKind::RegexNext { regex: re.clone(), input: units.clone(), from: m.end },
        })),
    );
    Ok(Some(JValue::object(o)))
}

/// One match, positions in UTF-16 code units.
struct MatchInfo {
    text: String,
    start: usize,
    end: usize,
    groups: Vec<Option<String>>,
}

/// Iterates the matches of a matcher (a regex, or a function returning match objects).
enum Matcher {
    Native { re: Arc<Regex>, units: Arc<[u16]>, last: usize },
    Custom { next: Option<JValue> },
}

fn info_from_object(v: Option<JValue>) -> Result<(Option<MatchInfo>, Option<JValue>), EvalError> {
    let Some(v) = v else {
        return Ok((None, None));
    };
    let JValue::Object(o) = &v else {
        if eval::js_truthy(Some(&v)) {
            return Err(EvalError::new(
                "T1010",
                "The matcher function argument passed to function does not return the correct object structure",
            ));
        }
        return Ok((None, None));
    };
    let valid = matches!(o.get("start"), Some(JValue::Number(_)))
        || matches!(o.get("groups"), Some(JValue::Array(_)))
        || matches!(o.get("next"), Some(JValue::Function(_)));
    if !valid {
        return Err(EvalError::new(
            "T1010",
            "The matcher function argument passed to function does not return the correct object structure",
        ));
    }
    let text = o.get("match").and_then(JValue::as_str).unwrap_or("").to_string();
    let start = o.get("start").and_then(JValue::as_f64).unwrap_or(0.0).max(0.0) as usize;
    let end = o
        .get("end")
        .and_then(JValue::as_f64)
        .map(|e| e.max(0.0) as usize)
        .unwrap_or(start + text.encode_utf16().count());
    let groups = match o.get("groups") {
        Some(JValue::Array(a)) => a.items().iter().map(|g| g.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    Ok((Some(MatchInfo { text, start, end, groups }), o.get("next").cloned()))
}

impl Matcher {
    fn first(ctx: &mut Ctx<'_>, matcher: &JValue, s: &str) -> Result<(Option<MatchInfo>, Matcher), EvalError> {
        if let JValue::Function(f) = matcher
            && let FnKind::Regex(re) = &f.kind
        {
            let units: Arc<[u16]> = s.encode_utf16().collect();
            let m = re.exec(&units, 0).map_err(regex_error)?;
            let info = m.map(|m| MatchInfo {
                text: units_text(&units, m.start, m.end),
                start: m.start,
                end: m.end,
                groups: m.groups.iter().map(|g| g.map(|(a, b)| units_text(&units, a, b))).collect(),
            });
            let last = info.as_ref().map(|i| i.end).unwrap_or(0);
            return Ok((info, Matcher::Native { re: re.clone(), units, last }));
        }
        let r = call(ctx, matcher, vec![Some(JValue::string(s))])?;
        let (info, next) = info_from_object(r)?;
        Ok((info, Matcher::Custom { next }))
    }

    fn next(&mut self, ctx: &mut Ctx<'_>) -> Result<Option<MatchInfo>, EvalError> {
        match self {
            Matcher::Native { re, units, last } => {
                if *last >= units.len() {
                    return Ok(None);
                }
                let Some(m) = re.exec(units, *last).map_err(regex_error)? else {
                    return Ok(None);
                };
                if m.start == m.end {
                    return Err(zero_length());
                }
                *last = m.end;
                Ok(Some(MatchInfo {
                    text: units_text(units, m.start, m.end),
                    start: m.start,
                    end: m.end,
                    groups: m.groups.iter().map(|g| g.map(|(a, b)| units_text(units, a, b))).collect(),
                }))
            }
            Matcher::Custom { next } => {
                let Some(f) = next.take() else {
                    return Ok(None);
                };
                let r = call(ctx, &f, vec![None])?;
                let (info, following) = info_from_object(r)?;
                *next = following;
                Ok(info)
            }
        }
    }
}

fn groups_value(groups: &[Option<String>]) -> JValue {
    JValue::array(groups.iter().map(|g| g.as_deref().map(JValue::string).unwrap_or(JValue::Null)).collect())
}

fn match_(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0).map(str::to_string) else {
        return Ok(None);
    };
    let limit = num_arg(&args, 2);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(EvalError::new("D3040", "Third argument of match function must evaluate to a positive number"));
    }
    let mut out = Vec::new();
    if limit.is_none_or(|l| l > 0.0) {
        let Some(matcher) = arg(&args, 1).cloned() else {
            return Ok(Some(JValue::seq(out)));
        };
        let (mut m, mut iter) = Matcher::first(ctx, &matcher, &s)?;
        let mut count = 0.0;
        while let Some(info) = m {
            if limit.is_some_and(|l| count >= l) {
                break;
            }
            let mut o = JObject::new();
            o.insert("match", JValue::from(info.text));
            o.insert("index", JValue::Number(info.start as f64));
            o.insert("groups", groups_value(&info.groups));
            out.push(JValue::object(o));
            m = iter.next(ctx)?;
            count += 1.0;
        }
    }
    Ok(Some(JValue::seq(out)))
}

fn contains(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0).map(str::to_string) else {
        return Ok(None);
    };
    match arg(&args, 1) {
        Some(JValue::String(token)) => Ok(Some(JValue::Bool(s.contains(&**token)))),
        Some(matcher) => {
            let matcher = matcher.clone();
            let (m, _) = Matcher::first(ctx, &matcher, &s)?;
            Ok(Some(JValue::Bool(m.is_some())))
        }
        None => Ok(Some(JValue::Bool(s.contains("undefined")))),
    }
}

/// `$n` substitution in a replacement string (jsonata-js's replacer, digit rules included).
fn substitute(replacement: &str, info: &MatchInfo) -> String {
    let r: Vec<char> = replacement.chars().collect();
    let find = |from: usize| r.iter().skip(from).position(|c| *c == '$').map(|i| i + from);
    let mut out = String::new();
    let mut position = 0;
    let mut index = find(0);
    while let Some(ix) = index {
        if position >= r.len() {
            break;
        }
        out.extend(&r[position.min(ix)..ix]);
        position = ix + 1;
        match r.get(position) {
            Some('$') => {
                out.push('$');
                position += 1;
            }
            Some('0') => {
                out.push_str(&info.text);
                position += 1;
            }
            _ => {
                let groups = info.groups.len();
                let max_digits = if groups == 0 { 1 } else { (groups as f64).log10().floor() as usize + 1 };
                let take = |n: usize| -> Option<i64> {
                    let s: String = r.iter().skip(position).take(n).collect();
                    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
                    digits.parse().ok()
                };
                let mut group = take(max_digits);
                if max_digits > 1 && group.is_some_and(|g| g > groups as i64) {
                    group = take(max_digits - 1);
                }
                match group {
                    Some(g) => {
                        if groups > 0
                            && g >= 1
                            && let Some(Some(sub)) = info.groups.get(g as usize - 1)
                        {
                            out.push_str(sub);
                        }
                        position += g.to_string().len();
                    }
                    None => out.push('$'),
                }
            }
        }
        index = find(position);
    }
    if position < r.len() {
        out.extend(&r[position..]);
    }
    out
}

fn replace(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0).map(str::to_string) else {
        return Ok(None);
    };
    let pattern = arg(&args, 1).cloned();
    if matches!(&pattern, Some(JValue::String(p)) if p.is_empty()) {
        return Err(EvalError::new("D3010", "Second argument of replace function cannot be an empty string"));
    }
    let limit = num_arg(&args, 3);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(EvalError::new("D3011", "Fourth argument of replace function must evaluate to a positive number"));
    }
    let replacement = arg(&args, 2).cloned();
    if !limit.is_none_or(|l| l > 0.0) {
        return text(s);
    }
    match &pattern {
        Some(JValue::String(p)) => {
            let rep = match &replacement {
                Some(JValue::String(r)) => r.to_string(),
                _ => String::new(),
            };
            let mut out = String::new();
            let mut rest = s.as_str();
            let mut count = 0.0;
            while let Some(i) = rest.find(&**p) {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                out.push_str(&rest[..i]);
                out.push_str(&rep);
                rest = &rest[i + p.len()..];
                count += 1.0;
            }
            out.push_str(rest);
            text(out)
        }
        Some(matcher) => {
            let units: Vec<u16> = s.encode_utf16().collect();
            let (mut m, mut iter) = Matcher::first(ctx, matcher, &s)?;
            if m.is_none() {
                return text(s);
            }
            let mut out: Vec<u16> = Vec::new();
            let mut position = 0usize;
            let mut count = 0.0;
            while let Some(info) = m {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                out.extend_from_slice(units.get(position.min(info.start)..info.start).unwrap_or_default());
                let replaced = match &replacement {
                    Some(JValue::String(r)) => Some(JValue::from(substitute(r, &info))),
                    Some(f) => {
                        let mut o = JObject::new();
                        o.insert("match", JValue::from(info.text.clone()));
                        o.insert("start", JValue::Number(info.start as f64));
                        o.insert("end", JValue::Number(info.end as f64));
                        o.insert("groups", groups_value(&info.groups));
                        call(ctx, f, vec![Some(JValue::object(o))])?
                    }
                    None => None,
                };
                match replaced {
                    Some(JValue::String(r)) => out.extend(r.encode_utf16()),
                    other => {
                        return Err(EvalError::new(
                            "D3012",
                            format!(
                                "Attempted to replace a matched string with a non-string value: {}",
                                other.as_ref().map(describe).unwrap_or_else(|| "undefined".to_string())
                            ),
                        ));
                    }
                }
                position = info.start + info.text.encode_utf16().count();
                m = iter.next(ctx)?;
                count += 1.0;
            }
            out.extend_from_slice(units.get(position.min(units.len())..).unwrap_or_default());
            text(String::from_utf16_lossy(&out))
        }
        None => text(s),
    }
}

fn split(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0).map(str::to_string) else {
        return Ok(None);
    };
    let limit = num_arg(&args, 2);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(EvalError::new("D3020", "Third argument of split function must evaluate to a positive number"));
    }
    let mut out: Vec<String> = Vec::new();
    if limit.is_none_or(|l| l > 0.0) {
        match arg(&args, 1).cloned() {
            Some(JValue::String(sep)) => {
                out = if sep.is_empty() {
                    s.chars().map(String::from).collect()
                } else {
                    s.split(&*sep).map(str::to_string).collect()
                };
                if let Some(l) = limit {
                    out.truncate(l.trunc() as usize);
                }
            }
            Some(matcher) => {
                let units: Vec<u16> = s.encode_utf16().collect();
                let (mut m, mut iter) = Matcher::first(ctx, &matcher, &s)?;
                if m.is_none() {
                    out.push(s);
                } else {
                    let mut start = 0usize;
                    let mut count = 0.0;
                    while let Some(info) = m {
                        if limit.is_some_and(|l| count >= l) {
                            break;
                        }
                        out.push(units_text(&units, start.min(info.start), info.start));
                        start = info.end;
                        m = iter.next(ctx)?;
                        count += 1.0;
                    }
                    if limit.is_none_or(|l| count < l) {
                        out.push(units_text(&units, start.min(units.len()), units.len()));
                    }
                }
            }
            None => out.push(s),
        }
    }
    Ok(Some(JValue::array(out.into_iter().map(JValue::from).collect())))
}

// ---------------------------------------------------------------------------------------------
// Numbers

fn number(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(v) = arg(&args, 0) else {
        return Ok(None);
    };
    let cast_error = || EvalError::new("D3030", format!("Unable to cast value to a number: {}", describe(v)));
    match v {
        JValue::Number(n) => num(*n),
        JValue::Bool(b) => num(if *b { 1.0 } else { 0.0 }),
        JValue::String(s) => {
            if is_decimal_literal(s)
                && let Ok(n) = s.parse::<f64>()
                && n.is_finite()
            {
                return num(n);
            }
            let radix = |prefix: &[&str], radix: u32| -> Option<f64> {
                let rest = prefix.iter().find_map(|p| s.strip_prefix(p))?;
                if rest.is_empty() {
                    return None;
                }
                let mut acc = 0f64;
                for c in rest.chars() {
                    acc = acc * f64::from(radix) + f64::from(c.to_digit(radix)?);
                }
                Some(acc)
            };
            match radix(&["0x", "0X"], 16).or_else(|| radix(&["0o", "0O"], 8)).or_else(|| radix(&["0b", "0B"], 2)) {
                Some(n) => num(n),
                None => Err(cast_error()),
            }
        }
        _ => Err(cast_error()),
    }
}

/// `^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`
fn is_decimal_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

fn floor(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(num_arg(&args, 0).map(|n| JValue::Number(n.floor())))
}

fn ceil(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(num_arg(&args, 0).map(|n| JValue::Number(n.ceil())))
}

fn abs(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(num_arg(&args, 0).map(|n| JValue::Number(n.abs())))
}

/// Shifts the decimal point of `x` by `by` places through its string form, as jsonata-js does
/// to avoid binary rounding errors.
fn shift(x: f64, by: f64) -> f64 {
    let s = jsnum::js_to_string(x);
    let (mantissa, exp) = match s.split_once('e') {
        Some((m, e)) => (m.to_string(), e.parse::<f64>().unwrap_or(0.0) + by),
        None => (s.clone(), by),
    };
    format!("{mantissa}e{}", jsnum::js_to_string(exp)).parse().unwrap_or(f64::NAN)
}

/// jsonata-js `round`: half to even, at `precision` decimal places.
pub(crate) fn round_half_even(arg: f64, precision: Option<f64>) -> f64 {
    let precision = precision.filter(|p| *p != 0.0 && !p.is_nan()).map(f64::floor);
    let mut x = arg;
    if let Some(p) = precision {
        x = shift(x, p);
    }
    let mut result = jsnum::js_round(x);
    let diff = result - x;
    if diff.abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if let Some(p) = precision {
        result = shift(result, -p);
    }
    if result == 0.0 { 0.0 } else { result }
}

fn round(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(num_arg(&args, 0).map(|n| JValue::Number(round_half_even(n, num_arg(&args, 1)))))
}

fn sqrt(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(n) = num_arg(&args, 0) else {
        return Ok(None);
    };
    if n < 0.0 {
        return Err(EvalError::new(
            "D3060",
            format!("The sqrt function cannot be applied to a negative number: {}", jsnum::js_to_string(n)),
        ));
    }
    num(n.sqrt())
}

fn power(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(base) = num_arg(&args, 0) else {
        return Ok(None);
    };
    let exp = num_arg(&args, 1).unwrap_or(f64::NAN);
    let r = if exp.is_infinite() && base.abs() == 1.0 { f64::NAN } else { base.powf(exp) };
    if !r.is_finite() {
        return Err(EvalError::new(
            "D3061",
            format!(
                "The power function has resulted in a value that cannot be represented as a JSON number: base={}, exponent={}",
                jsnum::js_to_string(base),
                jsnum::js_to_string(exp)
            ),
        ));
    }
    num(r)
}

/// `$random()`; with a seed (Step Functions), `new java.util.Random(floor(seed)).nextDouble()`.
fn random(_: &mut Ctx<'_>, args: Args) -> R {
    match num_arg(&args, 0) {
        None => num(fastrand::f64()),
        Some(seed) => num(crate::intrinsics::java_random_next_double(seed.floor() as i64)),
    }
}

/// jsonata-js `formatNumber` (XPath F&O `format-number`).
fn format_number(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(value) = num_arg(&args, 0) else {
        return Ok(None);
    };
    let picture = str_arg(&args, 1).unwrap_or("");
    let options = match arg(&args, 2) {
        Some(JValue::Object(o)) => Some(o.clone()),
        _ => None,
    };
    text(super::numfmt::format_number(value, picture, options.as_deref())?)
}

fn format_base(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(value) = num_arg(&args, 0) else {
        return Ok(None);
    };
    let value = round_half_even(value, None);
    let radix = match num_arg(&args, 1) {
        None => 10.0,
        Some(r) => round_half_even(r, None),
    };
    if !(2.0..=36.0).contains(&radix) {
        return Err(EvalError::new(
            "D3100",
            format!(
                "The radix of the formatBase function must be between 2 and 36.  It was given {}",
                jsnum::js_to_string(radix)
            ),
        ));
    }
    text(jsnum::to_radix(value, radix as u32))
}

fn format_integer(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(value) = num_arg(&args, 0) else {
        return Ok(None);
    };
    text(datetime::format_integer(value, str_arg(&args, 1).unwrap_or(""))?)
}

fn parse_integer(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    Ok(datetime::parse_integer(s, str_arg(&args, 1).unwrap_or(""))?.map(JValue::Number))
}

// ---------------------------------------------------------------------------------------------
// Booleans

fn boolean_(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(boolean(arg(&args, 0)).map(JValue::Bool))
}

fn not(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(boolean(arg(&args, 0)).map(|b| JValue::Bool(!b)))
}

fn exists(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(Some(JValue::Bool(arg(&args, 0).is_some())))
}

// ---------------------------------------------------------------------------------------------
// Higher-order functions

fn map(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(whole) = arg(&args, 0).cloned() else {
        return Ok(None);
    };
    let f = arg(&args, 1).cloned().unwrap_or(JValue::Null);
    let xs = whole.as_array().map(|a| a.items().to_vec()).unwrap_or_default();
    let mut out = Vec::new();
    for (i, x) in xs.into_iter().enumerate() {
        let a = hof_args(&f, x, JValue::Number(i as f64), &whole);
        if let Some(v) = call(ctx, &f, a)? {
            out.push(v);
        }
    }
    Ok(Some(JValue::seq(out)))
}

fn filter(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(whole) = arg(&args, 0).cloned() else {
        return Ok(None);
    };
    let f = arg(&args, 1).cloned().unwrap_or(JValue::Null);
    let xs = whole.as_array().map(|a| a.items().to_vec()).unwrap_or_default();
    let mut out = Vec::new();
    for (i, x) in xs.into_iter().enumerate() {
        let a = hof_args(&f, x.clone(), JValue::Number(i as f64), &whole);
        if boolean(call(ctx, &f, a)?.as_ref()) == Some(true) {
            out.push(x);
        }
    }
    Ok(Some(JValue::seq(out)))
}

fn single(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(whole) = arg(&args, 0).cloned() else {
        return Ok(None);
    };
    let f = arg(&args, 1).cloned();
    let xs = whole.as_array().map(|a| a.items().to_vec()).unwrap_or_default();
    let mut found: Option<JValue> = None;
    for (i, x) in xs.into_iter().enumerate() {
        let positive = match &f {
            None => true,
            Some(f) => {
                let a = hof_args(f, x.clone(), JValue::Number(i as f64), &whole);
                boolean(call(ctx, f, a)?.as_ref()) == Some(true)
            }
        };
        if positive {
            if found.is_some() {
                return Err(EvalError::new(
                    "D3138",
                    "The $single() function expected exactly 1 matching result.  Instead it matched more.",
                ));
            }
            found = Some(x);
        }
    }
    match found {
        Some(v) => Ok(Some(v)),
        None => Err(EvalError::new(
            "D3139",
            "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
        )),
    }
}

fn reduce(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(whole) = arg(&args, 0).cloned() else {
        return Ok(None);
    };
    let f = arg(&args, 1).cloned().unwrap_or(JValue::Null);
    let n = match &f {
        JValue::Function(func) => eval::arity(func),
        _ => 0,
    };
    if n < 2 {
        return Err(EvalError::new(
            "D3050",
            "The second argument of reduce function must be a function with at least two arguments",
        ));
    }
    let xs = whole.as_array().map(|a| a.items().to_vec()).unwrap_or_default();
    let init = arg(&args, 2).cloned();
    let (mut acc, start) = match init {
        None if !xs.is_empty() => (xs.first().cloned(), 1),
        other => (other, 0),
    };
    for (i, x) in xs.iter().enumerate().skip(start) {
        let mut a = vec![acc, Some(x.clone())];
        if n >= 3 {
            a.push(Some(JValue::Number(i as f64)));
        }
        if n >= 4 {
            a.push(Some(whole.clone()));
        }
        acc = call(ctx, &f, a)?;
    }
    Ok(acc)
}

fn sift(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(obj) = arg(&args, 0).cloned() else {
        return Ok(None);
    };
    let f = arg(&args, 1).cloned().unwrap_or(JValue::Null);
    let JValue::Object(o) = &obj else {
        return Ok(None);
    };
    let mut out = JObject::new();
    for (k, v) in o.iter() {
        let a = hof_args(&f, v.clone(), JValue::string(k), &obj);
        if boolean(call(ctx, &f, a)?.as_ref()) == Some(true) {
            out.insert(k, v.clone());
        }
    }
    Ok(if out.is_empty() { None } else { Some(JValue::object(out)) })
}

fn each(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(obj) = arg(&args, 0).cloned() else {
        return Ok(Some(JValue::seq(Vec::new())));
    };
    let f = arg(&args, 1).cloned().unwrap_or(JValue::Null);
    let entries: Vec<(String, JValue)> = match &obj {
        JValue::Object(o) => o.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let a = hof_args(&f, v, JValue::from(k), &obj);
        if let Some(r) = call(ctx, &f, a)? {
            out.push(r);
        }
    }
    Ok(Some(JValue::seq(out)))
}

fn zip(_: &mut Ctx<'_>, args: Args) -> R {
    let arrays: Vec<Option<&[JValue]>> = (0..args.len()).map(|i| items(&args, i)).collect();
    let len = arrays.iter().map(|a| a.map(<[JValue]>::len).unwrap_or(0)).min().unwrap_or(0);
    let out = (0..len)
        .map(|i| {
            JValue::array(arrays.iter().map(|a| a.and_then(|a| a.get(i)).cloned().unwrap_or(JValue::Null)).collect())
        })
        .collect();
    Ok(Some(JValue::array(out)))
}

fn sort(ctx: &mut Ctx<'_>, args: Args) -> R {
    let Some(v) = arg(&args, 0).cloned() else {
        return Ok(None);
    };
    let xs = v.as_array().map(|a| a.items().to_vec()).unwrap_or_default();
    if xs.len() <= 1 {
        return Ok(Some(v));
    }
    let cmp = match arg(&args, 1) {
        Some(f) => Comparator::Function(f.clone()),
        None => {
            let numbers = eval::all_numeric(&xs)?;
            let strings = xs.iter().all(|x| matches!(x, JValue::String(_)));
            if !numbers && !strings {
                return Err(EvalError::new(
                    "D3070",
                    "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
                ));
            }
            Comparator::Default
        }
    };
    Ok(Some(JValue::array(ctx.merge_sort(xs, &cmp)?)))
}

// ---------------------------------------------------------------------------------------------
// Arrays and objects

fn keys_of(v: &JValue) -> Vec<String> {
    match v {
        JValue::Array(a) => {
            let mut merged = JObject::new();
            for item in a.items() {
                for k in keys_of(item) {
                    merged.insert(k, JValue::Bool(true));
                }
            }
            merged.keys().map(str::to_string).collect()
        }
        JValue::Object(o) => o.keys().map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

fn keys(_: &mut Ctx<'_>, args: Args) -> R {
    let ks = arg(&args, 0).map(keys_of).unwrap_or_default();
    Ok(Some(JValue::seq(ks.into_iter().map(JValue::from).collect())))
}

fn lookup(_: &mut Ctx<'_>, args: Args) -> R {
    match (arg(&args, 0), str_arg(&args, 1)) {
        (Some(v), Some(k)) => Ok(lookup_field(v, k)),
        (Some(v), None) => Ok(lookup_field(v, "undefined")),
        _ => Ok(None),
    }
}

fn append_(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(append(arg(&args, 0).cloned(), arg(&args, 1).cloned()))
}

fn spread_value(v: &JValue) -> JValue {
    match v {
        JValue::Array(a) => {
            let mut result = Some(JValue::seq(Vec::new()));
            for item in a.items() {
                result = append(result, Some(spread_value(item)));
            }
            result.unwrap_or_else(|| JValue::seq(Vec::new()))
        }
        JValue::Object(o) => JValue::seq(
            o.iter()
                .map(|(k, v)| {
                    let mut single = JObject::new();
                    single.insert(k, v.clone());
                    JValue::object(single)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn spread(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(Some(match arg(&args, 0) {
        Some(v) => spread_value(v),
        None => JValue::seq(Vec::new()),
    }))
}

fn merge(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(xs) = items(&args, 0) else {
        return Ok(None);
    };
    let mut out = JObject::new();
    for x in xs {
        if let JValue::Object(o) = x {
            for (k, v) in o.iter() {
                out.insert(k, v.clone());
            }
        }
    }
    Ok(Some(JValue::object(out)))
}

fn reverse(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(v) = arg(&args, 0) else {
        return Ok(None);
    };
    match v {
        JValue::Array(a) if a.len() > 1 => Ok(Some(JValue::array(a.items().iter().rev().cloned().collect()))),
        other => Ok(Some(other.clone())),
    }
}

fn error(_: &mut Ctx<'_>, args: Args) -> R {
    let message = match str_arg(&args, 0) {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => "$error() function evaluated".to_string(),
    };
    Err(EvalError::new("D3137", message))
}

fn assert(_: &mut Ctx<'_>, args: Args) -> R {
    if !eval::js_truthy(arg(&args, 0)) {
        let message = match str_arg(&args, 1) {
            Some(m) if !m.is_empty() => m.to_string(),
            _ => "$assert() statement failed".to_string(),
        };
        return Err(EvalError::new("D3141", message));
    }
    Ok(None)
}

fn type_(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(v) = arg(&args, 0) else {
        return Ok(None);
    };
    text(match v {
        JValue::Null => "null",
        JValue::Number(n) if !n.is_nan() => "number",
        JValue::Number(_) => "object",
        JValue::String(_) => "string",
        JValue::Bool(_) => "boolean",
        JValue::Array(_) => "array",
        JValue::Function(_) => "function",
        JValue::Object(_) => "object",
    })
}

fn shuffle(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(v) = arg(&args, 0) else {
        return Ok(None);
    };
    let xs = v.as_array().map(|a| a.items().to_vec()).unwrap_or_default();
    if xs.len() <= 1 {
        return Ok(Some(v.clone()));
    }
    let mut out: Vec<JValue> = Vec::with_capacity(xs.len());
    for (i, x) in xs.into_iter().enumerate() {
        let j = fastrand::usize(0..=i);
        if j == i {
            out.push(x);
        } else {
            let moved = out.get(j).cloned().unwrap_or(JValue::Null);
            out.push(moved);
            if let Some(slot) = out.get_mut(j) {
                *slot = x;
            }
        }
    }
    Ok(Some(JValue::array(out)))
}

fn distinct(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(v) = arg(&args, 0) else {
        return Ok(None);
    };
    let JValue::Array(a) = v else {
        return Ok(Some(v.clone()));
    };
    if a.len() <= 1 {
        return Ok(Some(v.clone()));
    }
    let mut out: Vec<JValue> = Vec::new();
    for x in a.items() {
        if !out.iter().any(|y| value::deep_equal(x, y)) {
            out.push(x.clone());
        }
    }
    Ok(Some(if a.is_sequence() { JValue::seq(out) } else { JValue::array(out) }))
}

/// `JSON.parse(JSON.stringify(v))` with jsonata-js's replacer: numbers at 15 significant digits,
/// functions become `""`, sequences plain arrays.
fn clone_value(v: &JValue) -> Result<JValue, EvalError> {
    Ok(match v {
        JValue::Number(n) if n.is_infinite() => {
            return Err(EvalError::new("D1001", format!("Number out of range: {}", jsnum::js_to_string(*n))));
        }
        JValue::Number(n) if n.is_nan() => JValue::Null,
        JValue::Number(n) => JValue::Number(jsnum::to_precision_15(*n)),
        JValue::Function(_) => JValue::string(""),
        JValue::Array(a) => {
            let mut out = Vec::with_capacity(a.len());
            for x in a.items() {
                out.push(clone_value(x)?);
            }
            JValue::array(out)
        }
        JValue::Object(o) => {
            let mut out = JObject::new();
            for (k, x) in o.iter() {
                out.insert(k, clone_value(x)?);
            }
            JValue::object(out)
        }
        other => other.clone(),
    })
}

fn clone(_: &mut Ctx<'_>, args: Args) -> R {
    match arg(&args, 0) {
        None => Ok(None),
        Some(JValue::Function(_)) => Err(EvalError::new("D3120", "Unexpected end of JSON input")),
        Some(v) => Ok(Some(clone_value(v)?)),
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding

fn base64encode(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    // Node's `Buffer.from(str, 'binary')`: the low byte of each UTF-16 code unit.
    let bytes: Vec<u8> = s.encode_utf16().map(|u| (u & 0xFF) as u8).collect();
    text(base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn base64decode(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    // Node's lenient base64 decoder: other characters are skipped, decoding stops at `=`.
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = String::new();
    for c in s.chars() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            '=' => break,
            _ => continue,
        };
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push(char::from(((bits >> nbits) & 0xFF) as u8));
        }
    }
    text(out)
}

const URI_UNRESERVED: &str = "-_.!~*'()";
const URI_RESERVED: &str = ";/?:@&=+$,#";

fn uri_encode(s: &str, keep: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn uri_decode(s: &str, reserved: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let hex = |i: usize| -> Option<u8> {
        let h = std::str::from_utf8(b.get(i..i + 2)?).ok()?;
        u8::from_str_radix(h, 16).ok()
    };
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let first = hex(i + 1)?;
        if first < 0x80 {
            if reserved.contains(char::from(first)) {
                out.extend_from_slice(b.get(i..i + 3)?);
            } else {
                out.push(first);
            }
            i += 3;
            continue;
        }
        let n = match first {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return None,
        };
        let mut seq = vec![first];
        for k in 1..n {
            let at = i + 3 * k;
            if b.get(at) != Some(&b'%') {
                return None;
            }
            seq.push(hex(at + 1)?);
        }
        std::str::from_utf8(&seq).ok()?;
        out.extend(seq);
        i += 3 * n;
    }
    String::from_utf8(out).ok()
}

fn url_error(name: &str, s: &str) -> EvalError {
    EvalError::new("D3140", format!("Malformed URL passed to ${name}(): {}", quote(s)))
}

fn encode_url_component(_: &mut Ctx<'_>, args: Args) -> R {
    Ok(str_arg(&args, 0).map(|s| JValue::from(uri_encode(s, URI_UNRESERVED))))
}

fn encode_url(_: &mut Ctx<'_>, args: Args) -> R {
    let keep = format!("{URI_UNRESERVED}{URI_RESERVED}");
    Ok(str_arg(&args, 0).map(|s| JValue::from(uri_encode(s, &keep))))
}

fn decode_url_component(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    uri_decode(s, "").map(|d| Some(JValue::from(d))).ok_or_else(|| url_error("decodeUrlComponent", s))
}

fn decode_url(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    uri_decode(s, URI_RESERVED).map(|d| Some(JValue::from(d))).ok_or_else(|| url_error("decodeUrl", s))
}

// ---------------------------------------------------------------------------------------------
// Date and time

fn to_millis(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    let r = match str_arg(&args, 1) {
        None => datetime::iso_to_millis(s)?,
        Some(p) => datetime::parse_datetime(s, p)?,
    };
    Ok(r.map(JValue::Number))
}

fn from_millis(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(ms) = num_arg(&args, 0) else {
        return Ok(None);
    };
    text(datetime::format_datetime(ms, str_arg(&args, 1), str_arg(&args, 2))?)
}

fn now(ctx: &mut Ctx<'_>, args: Args) -> R {
    text(datetime::format_datetime(ctx.now, str_arg(&args, 0), str_arg(&args, 1))?)
}

fn millis(ctx: &mut Ctx<'_>, _: Args) -> R {
    num(ctx.now)
}

// ---------------------------------------------------------------------------------------------
// Step Functions additions

/// `$partition(array, size)`: consecutive chunks of `size` items (the last may be shorter);
/// `size` rounded down, at least 1.
fn partition(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(xs) = items(&args, 0) else {
        return Ok(None);
    };
    let size = num_arg(&args, 1).unwrap_or(f64::NAN).floor();
    if size.is_nan() || size < 1.0 {
        return Err(EvalError::new(
            "D3300",
            format!(
                "The size argument of $partition must be a positive integer: {}",
                arg(&args, 1).map(describe).unwrap_or_else(|| "undefined".to_string())
            ),
        ));
    }
    let size = if size > xs.len() as f64 { xs.len().max(1) } else { size as usize };
    Ok(Some(JValue::array(xs.chunks(size).map(|c| JValue::array(c.to_vec())).collect())))
}

/// Most items `$range` may produce (as `States.ArrayRange`).
const MAX_RANGE: usize = 1000;

/// `$range(start, end, step)`: `start`, `start + step`, ... up to and including `end` when a step
/// lands on it (arguments rounded down; a sequence, so one item collapses to that item).
fn range(_: &mut Ctx<'_>, args: Args) -> R {
    let (Some(start), Some(end), Some(step)) = (num_arg(&args, 0), num_arg(&args, 1), num_arg(&args, 2)) else {
        return Ok(None);
    };
    let (start, end, step) = (start.floor(), end.floor(), step.floor());
    if step == 0.0 || !step.is_finite() || !start.is_finite() || !end.is_finite() {
        return Err(EvalError::new("D3301", "The step argument of $range must be a non-zero integer"));
    }
    let count = ((end - start) / step).floor() + 1.0;
    if count > MAX_RANGE as f64 {
        return Err(EvalError::new(
            "D3301",
            format!("$range would produce {} items; at most {MAX_RANGE} are allowed", jsnum::js_to_string(count)),
        ));
    }
    let count = if count > 0.0 { count as usize } else { 0 };
    Ok(Some(JValue::seq((0..count).map(|i| JValue::Number(start + step * i as f64)).collect())))
}

/// `$hash(string, algorithm)`: lowercase hex digest of the UTF-8 bytes with MD5, SHA-1,
/// SHA-256, SHA-384 or SHA-512.
fn hash(_: &mut Ctx<'_>, args: Args) -> R {
    use sha2::Digest;
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    let alg = str_arg(&args, 1).unwrap_or("");
    let b = s.as_bytes();
    let hex = |d: &[u8]| d.iter().map(|x| format!("{x:02x}")).collect::<String>();
    let digest = match alg {
        "MD5" => hex(&md5::Md5::digest(b)),
        "SHA-1" => hex(&sha1::Sha1::digest(b)),
        "SHA-256" => hex(&sha2::Sha256::digest(b)),
        "SHA-384" => hex(&sha2::Sha384::digest(b)),
        "SHA-512" => hex(&sha2::Sha512::digest(b)),
        other => {
            return Err(EvalError::new(
                "D3302",
                format!(
                    "Unsupported hash algorithm {}; expected MD5, SHA-1, SHA-256, SHA-384 or SHA-512",
                    quote(other)
                ),
            ));
        }
    };
    text(digest)
}

fn uuid(_: &mut Ctx<'_>, _: Args) -> R {
    text(uuid::Uuid::new_v4().to_string())
}

/// `$parse(json)`: `JSON.parse` (Step Functions' replacement for `$eval`).
fn parse(_: &mut Ctx<'_>, args: Args) -> R {
    let Some(s) = str_arg(&args, 0) else {
        return Ok(None);
    };
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v) => Ok(Some(JValue::from_json(&v))),
        Err(e) => Err(EvalError::new("D3303", format!("Unable to parse {} as JSON: {e}", quote(s)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_digits() {
        let info =
            MatchInfo { text: "abc".into(), start: 0, end: 3, groups: vec![Some("a".into()), Some("b".into()), None] };
        assert_eq!(substitute("[$1|$2|$3|$0|$$|$4|$x]", &info), "[a|b||abc|$||$x]");
        assert_eq!(substitute("$", &info), "$");
        assert_eq!(substitute("x$", &info), "x$");
    }

    #[test]
    fn uri() {
        assert_eq!(uri_encode("a b/ü?", URI_UNRESERVED), "a%20b%2F%C3%BC%3F");
        assert_eq!(uri_decode("a%20b%2F", URI_RESERVED).as_deref(), Some("a b%2F"));
        assert_eq!(uri_decode("%E0%A4%A", "").as_deref(), None);
    }

    #[test]
    fn rounding() {
        assert_eq!(round_half_even(2.5, None), 2.0);
        assert_eq!(round_half_even(3.5, None), 4.0);
        assert_eq!(round_half_even(-0.5, None), 0.0);
        assert_eq!(round_half_even(123.456, Some(2.0)), 123.46);
        assert_eq!(round_half_even(123.456, Some(-1.0)), 120.0);
        assert_eq!(round_half_even(0.125, Some(2.0)), 0.12);
        assert_eq!(round_half_even(0.135, Some(2.0)), 0.14);
    }
}
