//! JavaScript number and string formatting as jsonata-js relies on it: `Number.prototype.toString`,
//! `toPrecision(15)` (which `$string` applies to every number), `toFixed`, `toString(radix)`, and
//! `JSON.stringify` with jsonata-js's replacer.

use super::value::JValue;

/// The exact decimal digits of a finite, non-zero `x` (absolute value) and the exponent `e` such
/// that `x = 0.d1 d2 d3 ... × 10^e`. Trailing zeros removed.
fn exact_digits(x: f64) -> (Vec<u8>, i32) {
    // LowerExp with a large precision is exact (a double has at most 767 significant digits).
    let s = format!("{:.800e}", x.abs());
    split_exp(&s)
}

/// Shortest round-trip digits of a finite, non-zero `x` and exponent as in [`exact_digits`].
fn shortest_digits(x: f64) -> (Vec<u8>, i32) {
    split_exp(&format!("{:e}", x.abs()))
}

fn split_exp(s: &str) -> (Vec<u8>, i32) {
    let (mantissa, exp) = s.split_once('e').unwrap_or((s, "0"));
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    let exp: i32 = exp.parse().unwrap_or(0);
    (digits, exp + 1)
}

/// Rounds exact digits to `n` significant digits, ties away from zero (JavaScript's "pick the
/// larger n"). Returns the digits (exactly `n`, zero-padded) and the possibly bumped exponent.
fn round_digits(mut digits: Vec<u8>, mut exp: i32, n: usize) -> (Vec<u8>, i32) {
    if digits.len() > n {
        let round_up = digits.get(n).is_some_and(|d| *d >= 5);
        digits.truncate(n);
        if round_up {
            let mut i = n;
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    digits.truncate(n.max(1));
                    exp += 1;
                    break;
                }
                i -= 1;
                if let Some(d) = digits.get_mut(i) {
                    if *d == 9 {
                        *d = 0;
                    } else {
                        *d += 1;
                        break;
                    }
                }
            }
        }
    }
    while digits.len() < n {
        digits.push(0);
    }
    (digits, exp)
}

/// JavaScript `Number.prototype.toString()` (radix 10).
pub fn js_to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let (digits, n) = shortest_digits(x);
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    out.push_str(&layout(&digits, n));
    out
}

/// Lays out digits `d1..dk` with value `0.d1..dk × 10^n` the way `Number::toString` does.
fn layout(digits: &[u8], n: i32) -> String {
    let k = digits.len() as i32;
    let ds: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    if k <= n && n <= 21 {
        let mut s = ds;
        s.extend(std::iter::repeat_n('0', (n - k) as usize));
        s
    } else if 0 < n && n <= 21 {
        let (a, b) = ds.split_at(n as usize);
        format!("{a}.{b}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{}", "0".repeat((-n) as usize), ds)
    } else {
        let e = n - 1;
        let sign = if e < 0 { '-' } else { '+' };
        let (first, rest) = ds.split_at(1);
        if rest.is_empty() { format!("{first}e{sign}{}", e.abs()) } else { format!("{first}.{rest}e{sign}{}", e.abs()) }
    }
}

/// `Number(x.toPrecision(15))`, which jsonata-js's `$string` applies to every number so that
/// `0.1 + 0.2` prints as `0.3`.
pub fn to_precision_15(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    // Fast paths. The exact value of `x` lies within half a unit in the last place of its
    // shortest representation, far less than half a unit of the 15th significant digit: with at
    // most 15 significant digits the shortest form is already the rounded value. Otherwise
    // Rust's correctly rounded `{:.14e}` agrees with JavaScript except on an exact tie, which
    // needs the exact expansion to end in 5 at the 16th digit.
    let (shortest, _) = shortest_digits(x);
    if shortest.len() <= 15 {
        return x;
    }
    if !(shortest.len() == 16 && shortest.last() == Some(&5)) {
        return format!("{x:.14e}").parse().unwrap_or(x);
    }
    let (digits, exp) = exact_digits(x);
    let (digits, exp) = round_digits(digits, exp, 15);
    let ds: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let text = format!("{}0.{}e{}", if x < 0.0 { "-" } else { "" }, ds, exp);
    text.parse().unwrap_or(x)
}

/// JavaScript `x.toFixed(dp)` (values of 1e21 and more use `toString`).
pub fn to_fixed(x: f64, dp: usize) -> String {
    if !x.is_finite() || x.abs() >= 1e21 {
        return js_to_string(x);
    }
    // Rust's fixed formatting rounds the exact value correctly, half to even; JavaScript rounds
    // an exact tie up. A tie shows as a final 5 when formatting with one more digit.
    let one_more = format!("{:.*}", dp + 1, x.abs());
    if !one_more.ends_with('5') {
        let s = format!("{:.*}", dp, x.abs());
        return if x < 0.0 { format!("-{s}") } else { s };
    }
    // n = round-half-up(|x| * 10^dp), from the exact decimal digits of x.
    let mut n: Vec<u8> = Vec::new();
    if x != 0.0 {
        let (digits, exp) = exact_digits(x);
        let k = exp + dp as i32;
        if k == 0 {
            if digits.first().is_some_and(|d| *d >= 5) {
                n.push(1);
            }
        } else if k > 0 {
            let k = k as usize;
            n = (0..k).map(|i| digits.get(i).copied().unwrap_or(0)).collect();
            if digits.get(k).is_some_and(|d| *d >= 5) {
                let mut i = k;
                loop {
                    if i == 0 {
                        n.insert(0, 1);
                        break;
                    }
                    i -= 1;
                    if let Some(d) = n.get_mut(i) {
                        if *d == 9 {
                            *d = 0;
                        } else {
                            *d += 1;
                            break;
                        }
                    }
                }
            }
        }
    }
    while n.len() > 1 && n.first() == Some(&0) {
        n.remove(0);
    }
    while n.len() < dp + 1 {
        n.insert(0, 0);
    }
    let mut s = String::new();
    if x < 0.0 {
        s.push('-');
    }
    let int_len = n.len() - dp;
    for (i, d) in n.iter().enumerate() {
        if i == int_len {
            s.push('.');
        }
        s.push(char::from(b'0' + d));
    }
    s
}

/// JavaScript `n.toString(radix)` for an integral `n` (what `$formatBase` produces).
pub fn to_radix(n: f64, radix: u32) -> String {
    if !n.is_finite() {
        return js_to_string(n);
    }
    if n.abs() >= 1.7e38 {
        return js_to_string(n);
    }
    let negative = n < 0.0;
    let mut v = n.abs().trunc() as u128;
    if v == 0 {
        return "0".to_string();
    }
    let mut digits = Vec::new();
    while v > 0 {
        let d = (v % u128::from(radix)) as u32;
        digits.push(char::from_digit(d, radix).unwrap_or('0'));
        v /= u128::from(radix);
    }
    if negative {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// `JSON.stringify` quoting of a string.
pub fn json_quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why [`stringify`] failed: a non-finite number inside the value (jsonata-js `D1001`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NonFinite(pub f64);

/// `JSON.stringify(v, replacer, pretty ? 2 : 0)` with jsonata-js's replacer: numbers go through
/// `toPrecision(15)`, functions become `""`. NaN prints as `null`; an infinite number is an error.
pub fn stringify(v: &JValue, pretty: bool) -> Result<String, NonFinite> {
    let mut out = String::new();
    write_json(v, pretty, 0, &mut out)?;
    Ok(out)
}

fn newline(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_json(v: &JValue, pretty: bool, level: usize, out: &mut String) -> Result<(), NonFinite> {
    match v {
        JValue::Null => out.push_str("null"),
        JValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JValue::Number(n) => {
            if n.is_nan() {
                out.push_str("null");
            } else if n.is_infinite() {
                return Err(NonFinite(*n));
            } else {
                let rounded = to_precision_15(*n);
                out.push_str(&if rounded.is_finite() { js_to_string(rounded) } else { "null".to_string() });
            }
        }
        JValue::String(s) => json_quote(s, out),
        JValue::Function(_) => out.push_str("\"\""),
        JValue::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in a.items().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    newline(out, level + 1);
                }
                write_json(item, pretty, level + 1, out)?;
            }
            if pretty {
                newline(out, level);
            }
            out.push(']');
        }
        JValue::Object(o) => {
            if o.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, item)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if pretty {
                    newline(out, level + 1);
                }
                json_quote(k, out);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(item, pretty, level + 1, out)?;
            }
            if pretty {
                newline(out, level);
            }
            out.push('}');
        }
    }
    Ok(())
}

/// JavaScript `Math.round`: halves round towards +∞.
pub fn js_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let f = x.floor();
    if x - f >= 0.5 { f + 1.0 } else { f }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_to_string() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (0.1 + 0.2, "0.30000000000000004"),
            (2f64.powi(70), "1.1805916207174113e+21"),
            (f64::NAN, "NaN"),
        ];
        for (x, s) in cases {
            assert_eq!(js_to_string(*x), *s, "{x}");
        }
    }

    #[test]
    fn precision_15() {
        assert_eq!(js_to_string(to_precision_15(0.1 + 0.2)), "0.3");
        assert_eq!(js_to_string(to_precision_15(1.0 / 3.0)), "0.333333333333333");
        assert_eq!(js_to_string(to_precision_15(123456789012344.5)), "123456789012345");
        assert_eq!(js_to_string(to_precision_15(-2.5)), "-2.5");
        assert_eq!(js_to_string(to_precision_15(999999999999999.9)), "1000000000000000");
        assert_eq!(js_to_string(to_precision_15(22.0 / 7.0)), "3.14285714285714");
        assert_eq!(js_to_string(to_precision_15(1234567890123.4567)), "1234567890123.46");
        assert_eq!(js_to_string(to_precision_15(0.1)), "0.1");
        assert_eq!(js_to_string(to_precision_15(5e-324)), "5e-324");
        // As in JavaScript, rounding the largest double up to 15 digits overflows.
        assert!(to_precision_15(f64::MAX).is_infinite());
    }

    #[test]
    fn fixed() {
        assert_eq!(to_fixed(0.25, 1), "0.3");
        assert_eq!(to_fixed(1.005, 2), "1.00");
        assert_eq!(to_fixed(1234.5678, 2), "1234.57");
        assert_eq!(to_fixed(0.0, 2), "0.00");
        assert_eq!(to_fixed(9.995, 2), "9.99");
        assert_eq!(to_fixed(99.5, 0), "100");
        assert_eq!(to_fixed(0.0004, 3), "0.000");
        assert_eq!(to_fixed(0.0005, 3), "0.001");
        assert_eq!(to_fixed(0.5, 0), "1");
        assert_eq!(to_fixed(-1.5, 0), "-2");
        assert_eq!(to_fixed(0.04, 1), "0.0");
        assert_eq!(to_fixed(-0.0001, 2), "-0.00");
        assert_eq!(to_fixed(1e20, 2), "100000000000000000000.00");
        assert_eq!(to_fixed(0.06, 1), "0.1");
        assert_eq!(to_fixed(12.0, 0), "12");
    }

    #[test]
    fn radix() {
        assert_eq!(to_radix(255.0, 16), "ff");
        assert_eq!(to_radix(-10.0, 2), "-1010");
        assert_eq!(to_radix(0.0, 8), "0");
    }

    #[test]
    fn stringify_like_javascript() {
        let v = JValue::from_json(&serde_json::json!({"a": [1, 2.5, "x\n"], "b": {}, "c": []}));
        assert_eq!(stringify(&v, false).unwrap(), r#"{"a":[1,2.5,"x\n"],"b":{},"c":[]}"#);
        assert_eq!(
            stringify(&v, true).unwrap(),
            "{\n  \"a\": [\n    1,\n    2.5,\n    \"x\\n\"\n  ],\n  \"b\": {},\n  \"c\": []\n}"
        );
    }
}
