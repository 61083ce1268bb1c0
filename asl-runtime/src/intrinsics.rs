//! The 18 `States.*` intrinsic functions of JSONPath states, over already-evaluated arguments
//! (INVENTORY §8.2).
//!
//! Generated code evaluates each argument (literal, path or nested call) to a [`Value`] and calls
//! the function here. AWS's quirks are kept: `States.Format` renders objects and arrays Java-style
//! (`{a=1, b=[]}`), non-integer integer arguments are rounded like Java's `Math.round` (half up),
//! `States.StringSplit` splits on every delimiter character and drops empty pieces,
//! `States.StringToJson("")` is `null`, `States.JsonMerge` only merges shallowly, and a seeded
//! `States.MathRandom` is deterministic (java.util.Random). Every failure is
//! `States.IntrinsicFailure` with a cause naming the function; nothing here panics.

use std::collections::HashSet;
use std::fmt::Write;

use base64::Engine;
use serde_json::{Map, Number, Value};

use crate::error::{Error, names};

/// The most characters `States.Base64Encode`, `States.Base64Decode` and `States.Hash` accept.
pub const MAX_ENCODE_CHARS: usize = 10_000;

/// The most elements `States.ArrayRange` may produce.
pub const MAX_RANGE_ELEMENTS: i128 = 1000;

fn fail(function: &str, cause: impl std::fmt::Display) -> Error {
    Error::new(names::INTRINSIC_FAILURE, format!("States.{function}: {cause}"))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn expect_str<'v>(function: &str, what: &str, v: &'v Value) -> Result<&'v str, Error> {
    v.as_str().ok_or_else(|| fail(function, format!("the {what} must be a string, got {}", type_name(v))))
}

fn expect_array<'v>(function: &str, what: &str, v: &'v Value) -> Result<&'v [Value], Error> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| fail(function, format!("the {what} must be an array, got {}", type_name(v))))
}

fn expect_object<'v>(function: &str, what: &str, v: &'v Value) -> Result<&'v Map<String, Value>, Error> {
    v.as_object().ok_or_else(|| fail(function, format!("the {what} must be an object, got {}", type_name(v))))
}

/// Java's `Math.round(double)`: the nearest integer, halves rounded up (towards +∞), saturating
/// at the `long` range.
fn java_round(x: f64) -> i64 {
    if x.is_nan() {
        return 0;
    }
    let floor = x.floor();
    // `x - floor(x)` is exact for every double, so halves are detected exactly
    // (0.49999999999999994 rounds to 0, as in Java 7+).
    let rounded = if x - floor >= 0.5 { floor + 1.0 } else { floor };
    rounded as i64
}

/// An integer argument: a JSON number, non-integers rounded as Java's `Math.round` does (AWS:
/// "Step Functions will round it off to the nearest integer"). Strings and other types fail.
fn int_arg(function: &str, what: &str, v: &Value) -> Result<i64, Error> {
    let Value::Number(n) = v else {
        return Err(fail(function, format!("the {what} must be a number, got {}", type_name(v))));
    };
    if let Some(i) = n.as_i64() {
        Ok(i)
    } else if n.as_u64().is_some() {
        Ok(i64::MAX)
    } else {
        Ok(java_round(n.as_f64().unwrap_or(0.0)))
    }
}

/// The UTF-16 length of a string: what Java's `String.length()`, and so AWS's character limits,
/// count.
fn java_len(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.encode_utf16().count() }
}

// ---------------------------------------------------------------------------------------------
// Number and deep equality: 1 and 1.0 are equal, as values.

#[derive(Clone, Copy, Debug, PartialEq)]
enum Num {
    /// Every integral value, whether written `1` or `1.0` (and `-0.0`).
    Int(i128),
    /// A value with a fractional part.
    Frac(f64),
}

fn num(n: &Number) -> Num {
    if let Some(i) = n.as_i64() {
        return Num::Int(i.into());
    }
    if let Some(u) = n.as_u64() {
        return Num::Int(u.into());
    }
    let f = n.as_f64().unwrap_or(0.0);
    // 2^126: every integral double below it fits an i128 exactly.
    if f.fract() == 0.0 && f.abs() < 8.507_059_173_023_462e37 { Num::Int(f as i128) } else { Num::Frac(f) }
}

/// Deep JSON equality where numbers compare by value (`1` equals `1.0`) and object keys are
/// unordered.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => num(x) == num(y),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => false,
    }
}

/// A text equal for two values exactly when [`json_eq`] holds: keys sorted, numbers by value.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push('n'),
        Value::Bool(true) => out.push('t'),
        Value::Bool(false) => out.push('f'),
        Value::Number(n) => match num(n) {
            Num::Int(i) => {
                let _ = write!(out, "#{i}");
            }
            Num::Frac(f) => {
                let _ = write!(out, "#{f:?}");
            }
        },
        Value::String(s) => out.push_str(&Value::from(s.as_str()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (k, v) in entries {
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push(':');
                canonical(v, out);
                out.push(',');
            }
            out.push('}');
        }
    }
}

// ---------------------------------------------------------------------------------------------
// States.Format

/// How `States.Format` shows an argument: strings bare, other scalars as JSON text, objects and
/// arrays as Java's `Map`/`List` `toString` (`{a=1, b=[x, y]}`), which is what AWS produces.
fn render_java(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_java(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                render_java(item, out);
            }
            out.push('}');
        }
    }
}

/// `States.Format`: joins the literal `pieces` (the template split at its `{}` placeholders,
/// escapes already removed) with the rendered `args`; AWS requires exactly one arg per `{}`.
pub fn format(pieces: &[&str], args: &[Value]) -> Result<Value, Error> {
    let placeholders = pieces.len().saturating_sub(1);
    if pieces.is_empty() || placeholders != args.len() {
        return Err(fail(
            "Format",
            format!("the template has {placeholders} placeholder(s) '{{}}' but {} argument(s) were given", args.len()),
        ));
    }
    let mut out = String::from(pieces[0]);
    for (piece, arg) in pieces[1..].iter().zip(args) {
        render_java(arg, &mut out);
        out.push_str(piece);
    }
    Ok(Value::String(out))
}

/// `States.Format` whose template came from a path at run time: splits it at each `{}` and
/// calls [`format`]; the template must be a string.
pub fn format_dynamic(template: &Value, args: &[Value]) -> Result<Value, Error> {
    let template = expect_str("Format", "template (first argument)", template)?;
    let pieces: Vec<&str> = template.split("{}").collect();
    format(&pieces, args)
}

// ---------------------------------------------------------------------------------------------
// JSON manipulation

/// Replaces `-0.0` by the integer `0`: serde_json reads the JSON text `-0` as `-0.0`, AWS (Jackson)
/// as `0` (AWS-recorded `States.StringToJson("-0")` → `0`).
fn normalize_negative_zero(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() && n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()) => {
            *v = Value::from(0);
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_negative_zero),
        Value::Object(map) => map.values_mut().for_each(normalize_negative_zero),
        _ => {}
    }
}

/// `States.StringToJson`: parses JSON text. An empty or whitespace-only string gives `null`
/// (AWS-recorded); any other invalid JSON fails.
pub fn string_to_json(s: &Value) -> Result<Value, Error> {
    let text = expect_str("StringToJson", "argument", s)?;
    if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Ok(Value::Null);
    }
    let mut parsed: Value = serde_json::from_str(text)
        .map_err(|e| fail("StringToJson", format!("the argument is not valid JSON text: {e}")))?;
    normalize_negative_zero(&mut parsed);
    Ok(parsed)
}

/// `States.JsonToString`: the value as compact JSON text (no spaces), as AWS writes it.
pub fn json_to_string(v: &Value) -> Result<Value, Error> {
    Ok(Value::String(v.to_string()))
}

/// `States.JsonMerge`: `b`'s keys override `a`'s, without merging nested objects. AWS supports
/// only this shallow mode, so `deep` must be `false`.
pub fn json_merge(a: &Value, b: &Value, deep: &Value) -> Result<Value, Error> {
    let a = expect_object("JsonMerge", "first argument", a)?;
    let b = expect_object("JsonMerge", "second argument", b)?;
    match deep {
        Value::Bool(false) => {}
        Value::Bool(true) => {
            return Err(fail("JsonMerge", "deep merging is not supported; the third argument must be false"));
        }
        other => {
            return Err(fail(
                "JsonMerge",
                format!("the third argument (deep merge) must be the boolean false, got {}", type_name(other)),
            ));
        }
    }
    let mut merged = a.clone();
    for (k, v) in b {
        merged.insert(k.clone(), v.clone());
    }
    Ok(Value::Object(merged))
}

// ---------------------------------------------------------------------------------------------
// Arrays

/// `States.Array`: its arguments as a JSON array, in order (`States.Array()` is `[]`).
pub fn array(args: Vec<Value>) -> Value {
    Value::Array(args)
}

/// `States.ArrayPartition`: splits the array into chunks of `size` elements (the last may be
/// shorter); `size` is rounded and must be positive.
pub fn array_partition(array: &Value, size: &Value) -> Result<Value, Error> {
    let items = expect_array("ArrayPartition", "first argument", array)?;
    let size = int_arg("ArrayPartition", "chunk size", size)?;
    if size <= 0 {
        return Err(fail("ArrayPartition", format!("the chunk size must be a positive integer, got {size}")));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::Array(items.chunks(size).map(|c| Value::Array(c.to_vec())).collect()))
}

/// `States.ArrayContains`: whether any element deeply equals `value` (numbers by value, so `1`
/// matches `1.0`).
pub fn array_contains(array: &Value, value: &Value) -> Result<Value, Error> {
    let items = expect_array("ArrayContains", "first argument", array)?;
    Ok(Value::Bool(items.iter().any(|item| json_eq(item, value))))
}

/// `States.ArrayRange`: `start, start+step, …` up to and including `end` when a step lands on
/// it; arguments rounded, `step` non-zero, at most 1000 elements (AWS limits).
pub fn array_range(start: &Value, end: &Value, step: &Value) -> Result<Value, Error> {
    let start = int_arg("ArrayRange", "start", start)?;
    let end = int_arg("ArrayRange", "end", end)?;
    let step = int_arg("ArrayRange", "step", step)?;
    if step == 0 {
        return Err(fail("ArrayRange", "the step must not be 0"));
    }
    let (s, e, st) = (i128::from(start), i128::from(end), i128::from(step));
    let count = if (st > 0 && s > e) || (st < 0 && s < e) { 0 } else { (e - s) / st + 1 };
    if count > MAX_RANGE_ELEMENTS {
        return Err(fail(
            "ArrayRange",
            format!(
                "the range from {start} to {end} by {step} has {count} elements; at most {MAX_RANGE_ELEMENTS} are allowed"
            ),
        ));
    }
    // Every element lies between start and end, so it fits an i64.
    Ok(Value::Array((0..count).map(|i| Value::from((s + i * st) as i64)).collect()))
}

/// `States.ArrayGetItem`: the element at a zero-based index (rounded); an index outside the
/// array fails.
pub fn array_get_item(array: &Value, index: &Value) -> Result<Value, Error> {
    let items = expect_array("ArrayGetItem", "first argument", array)?;
    let index = int_arg("ArrayGetItem", "index", index)?;
    usize::try_from(index).ok().and_then(|i| items.get(i)).cloned().ok_or_else(|| {
        fail("ArrayGetItem", format!("index {index} is out of range for an array of {} element(s)", items.len()))
    })
}

/// `States.ArrayLength`: the number of elements of an array.
pub fn array_length(array: &Value) -> Result<Value, Error> {
    let items = expect_array("ArrayLength", "argument", array)?;
    Ok(Value::from(items.len()))
}

/// `States.ArrayUnique`: the array without duplicates (deep equality, numbers by value), keeping
/// each value's first occurrence in order.
pub fn array_unique(array: &Value) -> Result<Value, Error> {
    let items = expect_array("ArrayUnique", "argument", array)?;
    let mut seen = HashSet::with_capacity(items.len());
    let mut out = Vec::new();
    for item in items {
        let mut key = String::new();
        canonical(item, &mut key);
        if seen.insert(key) {
            out.push(item.clone());
        }
    }
    Ok(Value::Array(out))
}

// ---------------------------------------------------------------------------------------------
// Encoding and hashing

/// `States.Base64Encode`: standard (RFC 4648, padded) base64 of the string's UTF-8 bytes; the
/// input may have at most 10,000 characters (AWS limit).
pub fn base64_encode(s: &Value) -> Result<Value, Error> {
    let text = expect_str("Base64Encode", "argument", s)?;
    let len = java_len(text);
    if len > MAX_ENCODE_CHARS {
        return Err(fail(
            "Base64Encode",
            format!("the input has {len} characters; at most {MAX_ENCODE_CHARS} are allowed"),
        ));
    }
    Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(text.as_bytes())))
}

/// `States.Base64Decode`: decodes base64 (at most 10,000 characters; line breaks and missing
/// padding tolerated, as a MIME decoder does) into a string; the bytes must be UTF-8.
pub fn base64_decode(s: &Value) -> Result<Value, Error> {
    use base64::alphabet::STANDARD;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );

    let text = expect_str("Base64Decode", "argument", s)?;
    let len = java_len(text);
    if len > MAX_ENCODE_CHARS {
        return Err(fail(
            "Base64Decode",
            format!("the input has {len} characters; at most {MAX_ENCODE_CHARS} are allowed"),
        ));
    }
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = LENIENT
        .decode(compact.as_bytes())
        .map_err(|e| fail("Base64Decode", format!("the argument is not valid base64: {e}")))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| fail("Base64Decode", "the decoded bytes are not valid UTF-8 text"))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `States.Hash`: the lowercase hex digest of the data's UTF-8 bytes with `MD5`, `SHA-1`,
/// `SHA-256`, `SHA-384` or `SHA-512`; non-string data is hashed as its compact JSON text, which
/// may have at most 10,000 characters (AWS limit).
pub fn hash(data: &Value, algorithm: &Value) -> Result<Value, Error> {
    use sha2::Digest;

    let algorithm = expect_str("Hash", "algorithm (second argument)", algorithm)?;
    let json_text;
    let text = match data {
        Value::String(s) => s.as_str(),
        other => {
            json_text = other.to_string();
            json_text.as_str()
        }
    };
    let len = java_len(text);
    if len > MAX_ENCODE_CHARS {
        return Err(fail("Hash", format!("the data has {len} characters; at most {MAX_ENCODE_CHARS} are allowed")));
    }
    let bytes = text.as_bytes();
    let digest = match algorithm {
        "MD5" => hex(&md5::Md5::digest(bytes)),
        "SHA-1" => hex(&sha1::Sha1::digest(bytes)),
        "SHA-256" => hex(&sha2::Sha256::digest(bytes)),
        "SHA-384" => hex(&sha2::Sha384::digest(bytes)),
        "SHA-512" => hex(&sha2::Sha512::digest(bytes)),
        other => {
            return Err(fail(
                "Hash",
                format!("unsupported algorithm '{other}'; expected one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"),
            ));
        }
    };
    Ok(Value::String(digest))
}

// ---------------------------------------------------------------------------------------------
// Math

/// `java.util.Random`: the 48-bit linear congruential generator, so seeded results match the JVM
/// that AWS runs.
struct JavaRandom {
    seed: i64,
}

impl JavaRandom {
    const MULTIPLIER: i64 = 0x5_DEEC_E66D;
    const ADDEND: i64 = 0xB;
    const MASK: i64 = (1 << 48) - 1;

    fn new(seed: i64) -> JavaRandom {
        JavaRandom { seed: (seed ^ Self::MULTIPLIER) & Self::MASK }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = self.seed.wrapping_mul(Self::MULTIPLIER).wrapping_add(Self::ADDEND) & Self::MASK;
        (self.seed >> (48 - bits)) as i32
    }

    /// `Random.nextInt(bound)`, `bound > 0`.
    fn next_int(&mut self, bound: i32) -> i32 {
        let mut r = self.next(31);
        let m = bound - 1;
        if bound & m == 0 {
            return ((i64::from(bound) * i64::from(r)) >> 31) as i32;
        }
        let mut u = r;
        loop {
            r = u % bound;
            if u.wrapping_sub(r).wrapping_add(m) >= 0 {
                return r;
            }
            u = self.next(31);
        }
    }

    /// `Random.nextLong()`.
    fn next_long(&mut self) -> i64 {
        (i64::from(self.next(32)) << 32).wrapping_add(i64::from(self.next(32)))
    }

    /// `Random.nextLong(bound)` (Java 17+, `RandomSupport.boundedNextLong`), `bound > 0`.
    fn next_long_bounded(&mut self, bound: i64) -> i64 {
        let m = bound - 1;
        let mut r = self.next_long();
        if bound & m == 0 {
            return r & m;
        }
        let mut u = ((r as u64) >> 1) as i64;
        loop {
            r = u % bound;
            if u.wrapping_add(m).wrapping_sub(r) >= 0 {
                return r;
            }
            u = ((self.next_long() as u64) >> 1) as i64;
        }
    }

    /// `Random.nextDouble()`.
    fn next_double(&mut self) -> f64 {
        let high = i64::from(self.next(26)) << 27;
        let low = i64::from(self.next(27));
        (high + low) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// `new java.util.Random(seed).nextDouble()`: the seeded random number in [0, 1) that AWS's
/// JSONata `$random(seed)` returns (`$random(42)` → 0.7275636800328681).
pub fn java_random_next_double(seed: i64) -> f64 {
    JavaRandom::new(seed).next_double()
}

/// `States.MathRandom`: a random integer in [start, end) (arguments rounded). With a seed the
/// result is deterministic: `start + new java.util.Random(seed).nextInt(end - start)`.
pub fn math_random(start: &Value, end: &Value, seed: Option<&Value>) -> Result<Value, Error> {
    let start = int_arg("MathRandom", "start", start)?;
    let end = int_arg("MathRandom", "end", end)?;
    let seed = seed.map(|s| int_arg("MathRandom", "seed", s)).transpose()?;
    if start >= end {
        return Err(fail(
            "MathRandom",
            format!("the start ({start}) must be less than the end ({end}), which is exclusive"),
        ));
    }
    let Ok(bound) = i64::try_from(i128::from(end) - i128::from(start)) else {
        return Err(fail("MathRandom", format!("the range from {start} to {end} is too large")));
    };
    let offset = match seed {
        None => fastrand::i64(0..bound),
        Some(seed) => {
            let mut rng = JavaRandom::new(seed);
            match i32::try_from(bound) {
                Ok(bound) => i64::from(rng.next_int(bound)),
                Err(_) => rng.next_long_bounded(bound),
            }
        }
    };
    // start + offset < end, so no overflow.
    Ok(Value::from(start + offset))
}

/// `States.MathAdd`: the sum of two integers; each argument is rounded half up (Java
/// `Math.round`, AWS-recorded) and must then lie in the 32-bit signed range.
pub fn math_add(a: &Value, b: &Value) -> Result<Value, Error> {
    let check = |what: &str, v: &Value| -> Result<i64, Error> {
        let n = int_arg("MathAdd", what, v)?;
        if i32::try_from(n).is_err() {
            return Err(fail("MathAdd", format!("the {what} ({n}) is outside the range -2147483648..2147483647")));
        }
        Ok(n)
    };
    let a = check("first argument", a)?;
    let b = check("second argument", b)?;
    Ok(Value::from(a + b))
}

// ---------------------------------------------------------------------------------------------
// Strings and identifiers

/// `States.StringSplit`: splits at every character of `delimiters` (each is a separator on its
/// own) and drops empty pieces, as AWS does (`",,,,"` → `[]`).
pub fn string_split(s: &Value, delimiters: &Value) -> Result<Value, Error> {
    let text = expect_str("StringSplit", "first argument", s)?;
    let delimiters = expect_str("StringSplit", "delimiters (second argument)", delimiters)?;
    Ok(Value::Array(
        text.split(|c: char| delimiters.contains(c)).filter(|piece| !piece.is_empty()).map(Value::from).collect(),
    ))
}

/// `States.UUID`: a random version 4 UUID in lowercase hyphenated form.
pub fn uuid() -> Value {
    Value::String(uuid::Uuid::new_v4().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cause(e: &Error) -> &str {
        e.cause.as_deref().unwrap_or("")
    }

    #[track_caller]
    fn assert_failure(r: Result<Value, Error>, function: &str, fragment: &str) {
        let e = r.expect_err("expected an IntrinsicFailure");
        assert_eq!(e.name, names::INTRINSIC_FAILURE);
        assert!(cause(&e).starts_with(&format!("States.{function}: ")), "cause: {}", cause(&e));
        assert!(cause(&e).contains(fragment), "cause {:?} lacks {fragment:?}", cause(&e));
    }

    /// Parses `"fst"`/`"snd"` AWS input objects written as JSON text.
    fn v(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    // --- AWS-recorded (intrinsics_aws_recorded.md) ---

    #[test]
    fn aws_array_get_item_and_length() {
        let arr = json!([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(array_get_item(&arr, &json!(5)).unwrap(), json!(6));
        assert_eq!(array_length(&arr).unwrap(), json!(9));
    }

    #[test]
    fn aws_array() {
        assert_eq!(array(vec![]), json!([]));
        let cases = [
            r#""""#,
            r#"" ""#,
            r#""HelloWorld""#,
            "null",
            "1",
            "1.1",
            r#""{\"Arg1\": 1, \"Arg2\": []}""#,
            r#"{"Arg1": 1, "Arg2": []}"#,
        ];
        for case in cases {
            let x = v(case);
            assert_eq!(array(vec![x.clone(), x.clone()]), Value::Array(vec![x.clone(), x]));
        }
        assert_eq!(array(vec![json!(1.1), json!(1.1)]).to_string(), "[1.1,1.1]");
    }

    #[test]
    fn aws_array_partition() {
        let cases: &[(&str, i64, &str)] = &[
            ("[]", 1, "[]"),
            ("[]", 2, "[]"),
            ("[]", 3, "[]"),
            ("[]", 4, "[]"),
            ("[]", 5, "[]"),
            ("[0]", 1, "[[0]]"),
            ("[0]", 2, "[[0]]"),
            ("[0]", 3, "[[0]]"),
            ("[0]", 4, "[[0]]"),
            ("[0]", 5, "[[0]]"),
            ("[0, 1]", 1, "[[0], [1]]"),
            ("[0, 1]", 2, "[[0, 1]]"),
            ("[0, 1]", 3, "[[0, 1]]"),
            ("[0, 1]", 4, "[[0, 1]]"),
            ("[0, 1]", 5, "[[0, 1]]"),
            ("[0, 1, 2]", 1, "[[0], [1], [2]]"),
            ("[0, 1, 2]", 2, "[[0, 1], [2]]"),
            ("[0, 1, 2]", 3, "[[0, 1, 2]]"),
            ("[0, 1, 2]", 4, "[[0, 1, 2]]"),
            ("[0, 1, 2]", 5, "[[0, 1, 2]]"),
            ("[0, 1, 2, 3]", 1, "[[0], [1], [2], [3]]"),
            ("[0, 1, 2, 3]", 2, "[[0, 1], [2, 3]]"),
            ("[0, 1, 2, 3]", 3, "[[0, 1, 2], [3]]"),
            ("[0, 1, 2, 3]", 4, "[[0, 1, 2, 3]]"),
            ("[0, 1, 2, 3]", 5, "[[0, 1, 2, 3]]"),
        ];
        for &(arr, size, expected) in cases {
            assert_eq!(array_partition(&v(arr), &json!(size)).unwrap(), v(expected), "{arr} by {size}");
        }
    }

    #[test]
    fn aws_array_contains() {
        let cases: &[(&str, &str, bool)] = &[
            ("[]", "null", false),
            ("[]", "[]", false),
            ("[]", "1", false),
            ("[[1, 2, 3], 2]", "null", false),
            ("[[1, 2, 3], 2]", "[1, 2, 3]", true),
            (r#"[{"1": 2, "2": []}]"#, "[]", false),
            (r#"[{"1": 2, "2": []}]"#, r#"{"1": 2, "2": []}"#, true),
            ("[true, false]", "true", true),
            ("[true, false]", "false", true),
        ];
        for &(arr, value, expected) in cases {
            assert_eq!(array_contains(&v(arr), &v(value)).unwrap(), json!(expected), "{arr} ∋ {value}");
        }
    }

    #[test]
    fn aws_array_range() {
        let cases: &[(i64, i64, i64, &str)] =
            &[(0, 9, 3, "[0, 3, 6, 9]"), (0, 10, 3, "[0, 3, 6, 9]"), (1, 9, 9, "[1]"), (1, 9, 2, "[1, 3, 5, 7, 9]")];
        for &(s, e, st, expected) in cases {
            assert_eq!(array_range(&json!(s), &json!(e), &json!(st)).unwrap(), v(expected));
        }
    }

    #[test]
    fn aws_base64() {
        assert_eq!(base64_encode(&json!("")).unwrap(), json!(""));
        assert_eq!(base64_encode(&json!("Data to encode")).unwrap(), json!("RGF0YSB0byBlbmNvZGU="));
        assert_eq!(base64_decode(&json!("")).unwrap(), json!(""));
        assert_eq!(base64_decode(&json!("RGF0YSB0byBlbmNvZGU=")).unwrap(), json!("Data to encode"));
    }

    #[test]
    fn aws_format_one_argument() {
        let pieces = ["Formatting argument ", "."];
        let cases: &[(&str, &str)] = &[
            (r#""""#, "Formatting argument ."),
            (r#"" ""#, "Formatting argument  ."),
            (r#""HelloWorld""#, "Formatting argument HelloWorld."),
            ("null", "Formatting argument null."),
            ("1", "Formatting argument 1."),
            ("1.1", "Formatting argument 1.1."),
            (r#""{\"Arg1\": 1, \"Arg2\": []}""#, r#"Formatting argument {"Arg1": 1, "Arg2": []}."#),
        ];
        for &(arg, expected) in cases {
            assert_eq!(format(&pieces, &[v(arg)]).unwrap(), json!(expected), "{arg}");
        }
    }

    #[test]
    fn aws_format_two_arguments() {
        let pieces = ["Formatting arguments fst=", " and snd=", "."];
        let cases: &[(&str, &str)] = &[
            (r#""""#, "Formatting arguments fst= and snd=."),
            (r#"" ""#, "Formatting arguments fst=  and snd= ."),
            (r#""HelloWorld""#, "Formatting arguments fst=HelloWorld and snd=HelloWorld."),
            ("null", "Formatting arguments fst=null and snd=null."),
            ("1", "Formatting arguments fst=1 and snd=1."),
            ("1.1", "Formatting arguments fst=1.1 and snd=1.1."),
            (
                r#""{\"Arg1\": 1, \"Arg2\": []}""#,
                r#"Formatting arguments fst={"Arg1": 1, "Arg2": []} and snd={"Arg1": 1, "Arg2": []}."#,
            ),
            (r#"{"Arg1": 1, "Arg2": []}"#, "Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}."),
        ];
        for &(arg, expected) in cases {
            assert_eq!(format(&pieces, &[v(arg), v(arg)]).unwrap(), json!(expected), "{arg}");
        }
    }

    #[test]
    fn aws_format_context_object() {
        // test_context_json_path: `$$.Execution.Id` and `$$.StateMachine` (placeholders filled in).
        let machine = json!({
            "Id": "arn:aws:states:us-east-1:111111111111:stateMachine:m",
            "Name": "m"
        });
        let out =
            format_dynamic(&json!("Formatting arguments fst={} and snd={}."), &[json!("exec-1"), machine]).unwrap();
        assert_eq!(
            out,
            json!(
                "Formatting arguments fst=exec-1 and snd={Id=arn:aws:states:us-east-1:111111111111:stateMachine:m, Name=m}."
            )
        );
    }

    #[test]
    fn aws_hash() {
        let cases = [
            ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
            ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
            (
                "SHA-384",
                "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
            ),
            (
                "SHA-512",
                "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
            ),
        ];
        for (alg, expected) in cases {
            assert_eq!(hash(&json!("input data"), &json!(alg)).unwrap(), json!(expected), "{alg}");
        }
        // AWS-recorded JSONata `$hash("input","SHA-1")` (same digest code).
        assert_eq!(hash(&json!("input"), &json!("SHA-1")).unwrap(), json!("140f86aae51ab9e1cda9b4254fe98a74eb54c1a1"));
    }

    #[test]
    fn aws_string_to_json() {
        let cases: &[(&str, &str)] = &[
            ("", "null"),
            (" ", "null"),
            ("null", "null"),
            ("-0", "0"),
            ("1", "1"),
            ("1.1", "1.1"),
            ("true", "true"),
            (r#""HelloWorld""#, r#""HelloWorld""#),
            (r#"[1, 2, "HelloWorld"]"#, r#"[1, 2, "HelloWorld"]"#),
            (r#"{"Arg1": 1, "Arg2": []}"#, r#"{"Arg1": 1, "Arg2": []}"#),
        ];
        for &(text, expected) in cases {
            let out = string_to_json(&json!(text)).unwrap();
            assert_eq!(out, v(expected), "{text:?}");
        }
        // `-0` is the integer 0, not -0.0.
        assert_eq!(string_to_json(&json!("-0")).unwrap().to_string(), "0");
    }

    #[test]
    fn aws_json_to_string() {
        let cases: &[(&str, &str)] = &[
            ("null", "null"),
            ("0", "0"),
            ("1", "1"),
            ("1.1", "1.1"),
            ("true", "true"),
            (r#""HelloWorld""#, r#""HelloWorld""#),
            (r#"[1, 2, "HelloWorld"]"#, r#"[1,2,"HelloWorld"]"#),
            (r#"{"Arg1": 1, "Arg2": []}"#, r#"{"Arg1":1,"Arg2":[]}"#),
        ];
        for &(value, expected) in cases {
            assert_eq!(json_to_string(&v(value)).unwrap(), json!(expected), "{value}");
        }
    }

    #[test]
    fn aws_json_merge() {
        let a = json!({"a": {"a1": 1, "a2": 2}, "b": 2, "d": 3});
        let b = json!({"a": {"a3": 1, "a4": 2}, "c": 3, "d": 4});
        assert_eq!(
            json_merge(&a, &b, &json!(false)).unwrap(),
            json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4})
        );
        // test_json_merge_escaped_argument: the second object came from StringToJson of a literal.
        let literal = string_to_json(&json!(r#"{"constant_in_literal": "false"}"#)).unwrap();
        assert_eq!(
            json_merge(&json!({"constant_input_field": "constant_value"}), &literal, &json!(false)).unwrap(),
            json!({"constant_input_field": "constant_value", "constant_in_literal": "false"})
        );
    }

    #[test]
    fn aws_math_random_ranges() {
        for _ in 0..200 {
            let n = math_random(&json!(12.5), &json!(44.51), None).unwrap().as_i64().unwrap();
            assert!((13..45).contains(&n), "{n}");
            let n = math_random(&json!(9999), &json!(99999), None).unwrap().as_i64().unwrap();
            assert!((9999..99999).contains(&n), "{n}");
            let n = math_random(&json!(-99999), &json!(-9999), None).unwrap().as_i64().unwrap();
            assert!((-99999..-9999).contains(&n), "{n}");
        }
    }

    #[test]
    fn aws_math_random_seeded_is_java_random() {
        // java 17: new Random(3).nextInt(999) == 239.
        for _ in 0..3 {
            assert_eq!(math_random(&json!(0), &json!(999), Some(&json!(3))).unwrap(), json!(239));
        }
        // new Random(123456789).nextInt(90000) == 50965.
        assert_eq!(math_random(&json!(9999), &json!(99999), Some(&json!(123456789))).unwrap(), json!(9999 + 50965));
        // Beyond 32 bits: new Random(3).nextLong(5000000000L) == 3477443276.
        assert_eq!(
            math_random(&json!(0), &json!(5_000_000_000_i64), Some(&json!(3))).unwrap(),
            json!(3_477_443_276_i64)
        );
    }

    #[test]
    fn java_random_matches_the_jvm() {
        // Values printed by OpenJDK 17.
        assert_eq!(java_random_next_double(42), 0.7275636800328681);
        assert_eq!(java_random_next_double(0), 0.730967787376657);
        assert_eq!(java_random_next_double(-1), 0.26894263088050496);
        assert_eq!(JavaRandom::new(42).next_int(10), 0);
        assert_eq!(JavaRandom::new(42).next_int(1 << 20), 762905);
        assert_eq!(JavaRandom::new(-7).next_int(i32::MAX), 577934662);
        assert_eq!(JavaRandom::new(0).next_int(1000), 360);
        assert_eq!(JavaRandom::new(42).next_long_bounded(1 << 40), 227868052215);
    }

    #[test]
    fn aws_math_add() {
        let cases: &[(f64, f64, i64)] = &[
            (-9.0, 3.0, -6),
            (1.49, 1.5, 3),
            (-1.5, 0.0, -1),
            (-1.51, 0.0, -2),
            (0.5, 0.0, 1),
            (1.5, 0.0, 2),
            (2.5, 0.0, 3),
            (3.5, 0.0, 4),
            (-0.5, 0.5, 1),
            (-0.5, 0.0, 0),
            (-2.5, 0.0, -2),
            (1.5, 1.51, 4),
            (-3.5, 0.0, -3),
            (-1.49, -1.5, -2),
            (-1.5, -1.51, -3),
            (1.49, 0.0, 1),
            (1.49, -1.49, 0),
            (1.51, 0.0, 2),
            (-1.49, 0.0, -1),
        ];
        for &(a, b, expected) in cases {
            assert_eq!(math_add(&json!(a), &json!(b)).unwrap(), json!(expected), "{a} + {b}");
        }
        assert_eq!(math_add(&json!(-9), &json!(3)).unwrap(), json!(-6));
    }

    #[test]
    fn aws_string_split() {
        let cases: &[(&str, &str, &[&str])] = &[
            (" ", ",", &[" "]),
            (" , ", ",", &[" ", " "]),
            (", , ,", ",", &[" ", " "]),
            (",,,,", ",", &[]),
            ("1,2,3,4,5", ",", &["1", "2", "3", "4", "5"]),
            ("This.is+a,test=string", ".+,=", &["This", "is", "a", "test", "string"]),
            ("split on T and \nnew line", "T\n", &["split on ", " and ", "new line"]),
            ("Hello\nWorld", "\n", &["Hello", "World"]),
            (
                "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n",
                ",",
                &[
                    "Value1",
                    "Value2",
                    "Value3\nValue4",
                    "Value5",
                    "Value6\n",
                    "\ntrue",
                    "1",
                    "'HelloWorld'\nNull",
                    "None",
                    "\n   \n",
                ],
            ),
        ];
        for &(s, d, expected) in cases {
            assert_eq!(string_split(&json!(s), &json!(d)).unwrap(), json!(expected), "{s:?} / {d:?}");
        }
    }

    #[test]
    fn uuid_is_random_v4() {
        let a = uuid();
        let s = a.as_str().unwrap();
        assert_eq!(s.len(), 36);
        assert_eq!(&s[14..15], "4");
        assert!(matches!(&s[19..20], "8" | "9" | "a" | "b"), "{s}");
        assert_eq!(s, s.to_lowercase());
        assert_ne!(a, uuid());
    }

    // --- beyond the recordings ---

    #[test]
    fn format_renders_nested_values_java_style() {
        let arg = json!({"s": "x y", "n": null, "b": true, "a": [1, "two", {"k": []}], "o": {}});
        assert_eq!(format(&["<", ">"], &[arg]).unwrap(), json!("<{s=x y, n=null, b=true, a=[1, two, {k=[]}], o={}}>"));
        assert_eq!(format(&["", ""], &[json!([1, 2])]).unwrap(), json!("[1, 2]"));
        assert_eq!(format(&["", ""], &[json!(false)]).unwrap(), json!("false"));
        assert_eq!(format(&["no placeholders"], &[]).unwrap(), json!("no placeholders"));
        // Escaped braces arrive as literal text in the pieces.
        assert_eq!(format(&["{", "}"], &[json!(1)]).unwrap(), json!("{1}"));
    }

    #[test]
    fn format_placeholder_count_must_match() {
        assert_failure(format(&["a", "b"], &[]), "Format", "1 placeholder(s)");
        assert_failure(format(&["a"], &[json!(1)]), "Format", "1 argument(s)");
        assert_failure(format(&[], &[]), "Format", "0 placeholder(s)");
        assert_failure(format_dynamic(&json!("{} {}"), &[json!(1)]), "Format", "2 placeholder(s)");
        assert_failure(format_dynamic(&json!(1), &[]), "Format", "must be a string, got number");
        assert_eq!(format_dynamic(&json!("{}-{}"), &[json!("a"), json!(2)]).unwrap(), json!("a-2"));
        assert_eq!(format_dynamic(&json!(""), &[]).unwrap(), json!(""));
    }

    #[test]
    fn string_to_json_errors_and_whitespace() {
        assert_eq!(string_to_json(&json!("\n\t ")).unwrap(), Value::Null);
        assert_eq!(string_to_json(&json!(" [1] ")).unwrap(), json!([1]));
        assert_eq!(string_to_json(&json!(r#"{"a": -0}"#)).unwrap().to_string(), r#"{"a":0}"#);
        assert_failure(string_to_json(&json!("{")), "StringToJson", "not valid JSON");
        assert_failure(string_to_json(&json!("1 2")), "StringToJson", "not valid JSON");
        assert_failure(string_to_json(&json!(1)), "StringToJson", "must be a string, got number");
        assert_failure(string_to_json(&Value::Null), "StringToJson", "got null");
    }

    #[test]
    fn json_merge_errors() {
        let o = json!({"a": 1});
        assert_failure(json_merge(&o, &o, &json!(true)), "JsonMerge", "deep merging is not supported");
        assert_failure(json_merge(&o, &o, &json!("false")), "JsonMerge", "got string");
        assert_failure(json_merge(&json!([]), &o, &json!(false)), "JsonMerge", "first argument must be an object");
        assert_failure(json_merge(&o, &json!(null), &json!(false)), "JsonMerge", "second argument must be an object");
    }

    #[test]
    fn array_functions_reject_wrong_types() {
        assert_failure(array_partition(&json!("abc"), &json!(1)), "ArrayPartition", "must be an array, got string");
        assert_failure(array_partition(&json!([1]), &json!("1")), "ArrayPartition", "must be a number, got string");
        assert_failure(array_partition(&json!([1]), &json!(0)), "ArrayPartition", "positive");
        assert_failure(array_partition(&json!([1]), &json!(-3)), "ArrayPartition", "positive");
        assert_failure(array_partition(&json!([1]), &json!(0.4)), "ArrayPartition", "got 0");
        assert_failure(array_contains(&json!({}), &json!(1)), "ArrayContains", "got object");
        assert_failure(array_get_item(&json!(null), &json!(0)), "ArrayGetItem", "got null");
        assert_failure(array_get_item(&json!([1]), &json!("0")), "ArrayGetItem", "got string");
        assert_failure(array_length(&json!("abc")), "ArrayLength", "got string");
        assert_failure(array_unique(&json!(7)), "ArrayUnique", "got number");
        assert_failure(array_range(&json!("0"), &json!(1), &json!(1)), "ArrayRange", "got string");
    }

    #[test]
    fn array_partition_rounds_the_size() {
        assert_eq!(array_partition(&json!([1, 2, 3]), &json!(1.5)).unwrap(), json!([[1, 2], [3]]));
        assert_eq!(array_partition(&json!([1, 2, 3]), &json!(1.49)).unwrap(), json!([[1], [2], [3]]));
        assert_eq!(array_partition(&json!([1, 2]), &json!(1e300)).unwrap(), json!([[1, 2]]));
        assert_eq!(array_partition(&json!([1, 2]), &json!(u64::MAX)).unwrap(), json!([[1, 2]]));
    }

    #[test]
    fn array_contains_compares_numbers_by_value() {
        assert_eq!(array_contains(&json!([1.0]), &json!(1)).unwrap(), json!(true));
        assert_eq!(array_contains(&json!([[1, {"a": 2.0}]]), &json!([1.0, {"a": 2}])).unwrap(), json!(true));
        assert_eq!(array_contains(&json!([1.5]), &json!(1)).unwrap(), json!(false));
        assert_eq!(array_contains(&json!(["1"]), &json!(1)).unwrap(), json!(false));
        assert_eq!(array_contains(&json!([{"a": 1, "b": 2}]), &json!({"b": 2, "a": 1})).unwrap(), json!(true));
        assert_eq!(array_contains(&json!([{"a": 1}]), &json!({"a": 1, "b": 2})).unwrap(), json!(false));
        assert_eq!(array_contains(&json!([-0.0]), &json!(0)).unwrap(), json!(true));
    }

    #[test]
    fn array_range_edges_and_errors() {
        assert_eq!(array_range(&json!(5), &json!(1), &json!(-2)).unwrap(), json!([5, 3, 1]));
        assert_eq!(array_range(&json!(5), &json!(1), &json!(2)).unwrap(), json!([]));
        assert_eq!(array_range(&json!(1), &json!(5), &json!(-1)).unwrap(), json!([]));
        assert_eq!(array_range(&json!(3), &json!(3), &json!(7)).unwrap(), json!([3]));
        assert_eq!(array_range(&json!(0.5), &json!(2.4), &json!(0.5)).unwrap(), json!([1, 2]));
        assert_eq!(array_range(&json!(1), &json!(1000), &json!(1)).unwrap().as_array().unwrap().len(), 1000);
        assert_failure(array_range(&json!(0), &json!(1000), &json!(1)), "ArrayRange", "1001 elements");
        assert_failure(array_range(&json!(0), &json!(10), &json!(0)), "ArrayRange", "must not be 0");
        assert_failure(array_range(&json!(0), &json!(10), &json!(0.4)), "ArrayRange", "must not be 0");
        assert_failure(array_range(&json!(i64::MIN), &json!(i64::MAX), &json!(1)), "ArrayRange", "at most 1000");
        assert_eq!(
            array_range(&json!(i64::MIN), &json!(i64::MAX), &json!(i64::MAX)).unwrap(),
            json!([i64::MIN, -1, i64::MAX - 1])
        );
    }

    #[test]
    fn array_get_item_bounds() {
        let arr = json!(["a", "b", "c"]);
        assert_eq!(array_get_item(&arr, &json!(0)).unwrap(), json!("a"));
        assert_eq!(array_get_item(&arr, &json!(1.5)).unwrap(), json!("c"));
        assert_failure(array_get_item(&arr, &json!(3)), "ArrayGetItem", "index 3 is out of range for an array of 3");
        assert_failure(array_get_item(&arr, &json!(-1)), "ArrayGetItem", "index -1 is out of range");
        assert_failure(array_get_item(&json!([]), &json!(0)), "ArrayGetItem", "out of range");
        assert_failure(array_get_item(&arr, &json!(1e300)), "ArrayGetItem", "out of range");
    }

    #[test]
    fn array_unique_keeps_first_occurrences() {
        assert_eq!(array_unique(&json!([1, 2, 3, 3, 3, 3, 3, 3, 4])).unwrap(), json!([1, 2, 3, 4]));
        assert_eq!(
            array_unique(&json!([null, null, true, true, "a", "a", 1, 1.0, {"x": [1]}, {"x": [1.0]}, [], []])).unwrap(),
            json!([null, true, "a", 1, {"x": [1]}, []])
        );
        assert_eq!(array_unique(&json!([3, 1, 3, 2, 1])).unwrap(), json!([3, 1, 2]));
        assert_eq!(
            array_unique(&json!([{"a": 1, "b": 2}, {"b": 2, "a": 1}, "1", 1])).unwrap(),
            json!([{"a": 1, "b": 2}, "1", 1])
        );
        assert_eq!(array_unique(&json!([])).unwrap(), json!([]));
        assert_eq!(array_unique(&json!([0.5, 0.25, 0.5])).unwrap(), json!([0.5, 0.25]));
    }

    #[test]
    fn base64_limits_and_errors() {
        assert_eq!(base64_encode(&json!("é")).unwrap(), json!("w6k="));
        assert_eq!(base64_decode(&json!("w6k=")).unwrap(), json!("é"));
        assert_eq!(base64_decode(&json!("RGF0YSB0\r\nbyBlbmNvZGU")).unwrap(), json!("Data to encode"));
        let max = "a".repeat(MAX_ENCODE_CHARS);
        assert!(base64_encode(&json!(max)).is_ok());
        assert_failure(base64_encode(&json!(format!("{max}a"))), "Base64Encode", "10001 characters");
        assert_failure(base64_decode(&json!("A".repeat(10_004))), "Base64Decode", "10004 characters");
        assert_failure(base64_decode(&json!("not base64!")), "Base64Decode", "not valid base64");
        assert_failure(base64_decode(&json!("/w==")), "Base64Decode", "not valid UTF-8");
        assert_failure(base64_encode(&json!(1)), "Base64Encode", "got number");
        assert_failure(base64_decode(&json!([])), "Base64Decode", "got array");
    }

    #[test]
    fn hash_non_strings_and_errors() {
        // Non-string data is hashed as its JSON text: {"a":1} and 123.
        assert_eq!(hash(&json!({"a": 1}), &json!("MD5")).unwrap(), hash(&json!(r#"{"a":1}"#), &json!("MD5")).unwrap());
        assert_eq!(hash(&json!(123), &json!("MD5")).unwrap(), json!("202cb962ac59075b964b07152d234b70"));
        assert_eq!(hash(&json!(""), &json!("SHA-1")).unwrap(), json!("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        assert_failure(hash(&json!("x"), &json!("SHA-224")), "Hash", "unsupported algorithm 'SHA-224'");
        assert_failure(hash(&json!("x"), &json!("sha-256")), "Hash", "unsupported algorithm");
        assert_failure(hash(&json!("x"), &json!(256)), "Hash", "got number");
        assert_failure(hash(&json!("a".repeat(10_001)), &json!("MD5")), "Hash", "10001 characters");
    }

    #[test]
    fn math_add_range_and_types() {
        assert_eq!(math_add(&json!(2147483647), &json!(2147483647)).unwrap(), json!(4_294_967_294_i64));
        assert_eq!(math_add(&json!(-2147483648), &json!(0)).unwrap(), json!(-2147483648_i64));
        assert_eq!(math_add(&json!(2147483647.4), &json!(0)).unwrap(), json!(2147483647));
        assert_failure(math_add(&json!(2147483648_i64), &json!(0)), "MathAdd", "first argument (2147483648)");
        assert_failure(math_add(&json!(0), &json!(-2147483649_i64)), "MathAdd", "second argument");
        assert_failure(math_add(&json!(2147483647.5), &json!(0)), "MathAdd", "outside the range");
        assert_failure(math_add(&json!("1"), &json!(0)), "MathAdd", "got string");
        assert_failure(math_add(&json!(1), &json!(null)), "MathAdd", "got null");
        assert_failure(math_add(&json!(u64::MAX), &json!(0)), "MathAdd", "outside the range");
    }

    #[test]
    fn math_random_errors_and_edges() {
        assert_eq!(math_random(&json!(5), &json!(6), None).unwrap(), json!(5));
        assert_eq!(math_random(&json!(5), &json!(6), Some(&json!(99))).unwrap(), json!(5));
        assert_failure(math_random(&json!(5), &json!(5), None), "MathRandom", "must be less than");
        assert_failure(math_random(&json!(6), &json!(5), None), "MathRandom", "must be less than");
        assert_failure(math_random(&json!(1.4), &json!(1.2), None), "MathRandom", "must be less than");
        assert_failure(math_random(&json!("1"), &json!(5), None), "MathRandom", "got string");
        assert_failure(math_random(&json!(1), &json!(5), Some(&json!("s"))), "MathRandom", "seed must be a number");
        assert_failure(math_random(&json!(i64::MIN), &json!(i64::MAX), None), "MathRandom", "too large");
        // Seeds are rounded like the other integer arguments.
        assert_eq!(
            math_random(&json!(0), &json!(999), Some(&json!(2.5))).unwrap(),
            math_random(&json!(0), &json!(999), Some(&json!(3))).unwrap()
        );
        let big = math_random(&json!(i64::MAX - 10), &json!(i64::MAX), Some(&json!(1))).unwrap();
        assert!(big.as_i64().unwrap() >= i64::MAX - 10);
    }

    #[test]
    fn string_split_edges_and_errors() {
        assert_eq!(string_split(&json!("a,b"), &json!("")).unwrap(), json!(["a,b"]));
        assert_eq!(string_split(&json!(""), &json!(",")).unwrap(), json!([]));
        assert_eq!(string_split(&json!("añb€c"), &json!("ñ€")).unwrap(), json!(["a", "b", "c"]));
        assert_failure(string_split(&json!(1), &json!(",")), "StringSplit", "first argument must be a string");
        assert_failure(string_split(&json!("a"), &json!(null)), "StringSplit", "delimiters");
    }

    #[test]
    fn java_round_is_half_up() {
        assert_eq!(java_round(0.49999999999999994), 0);
        assert_eq!(java_round(-0.5), 0);
        assert_eq!(java_round(-2.5), -2);
        assert_eq!(java_round(2.5), 3);
        assert_eq!(java_round(1e300), i64::MAX);
        assert_eq!(java_round(-1e300), i64::MIN);
        assert_eq!(java_round(4_503_599_627_370_497.0), 4_503_599_627_370_497);
    }
}
