//! `$formatNumber`: a port of jsonata-js `formatNumber` (XPath F&O 3.1 `format-number`), quirks
//! included (the last failing picture check wins; the fractional part of a picture without a
//! decimal separator is its suffix).

use super::eval::EvalError;
use super::functions::round_half_even;
use super::jsnum;
use super::value::{JObject, JValue};

struct Props {
    decimal: String,
    grouping: String,
    exponent: String,
    minus: String,
    percent: String,
    per_mille: String,
    zero: String,
    digit: String,
    pattern: String,
}

#[derive(Clone)]
struct SubParts {
    prefix: String,
    suffix: String,
    active: String,
    mantissa: String,
    exponent: Option<String>,
    integer: String,
    fractional: String,
    picture: String,
}

#[derive(Clone)]
struct Analysis {
    integer_grouping: Vec<usize>,
    regular_grouping: usize,
    min_integer: usize,
    scaling: usize,
    prefix: String,
    fractional_grouping: Vec<usize>,
    min_fraction: usize,
    max_fraction: usize,
    min_exponent: usize,
    suffix: String,
    picture: String,
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn sub(s: &[char], from: usize, to: usize) -> String {
    let to = to.min(s.len());
    if from >= to { String::new() } else { s[from..to].iter().collect() }
}

/// `indexOf` in chars, from a position.
fn index_of(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = chars(hay);
    let n = chars(needle);
    if n.is_empty() {
        return Some(from.min(h.len()));
    }
    (from..=h.len().saturating_sub(n.len())).find(|&i| h.get(i..i + n.len()) == Some(&n[..]))
}

fn last_index_of(hay: &str, needle: &str) -> Option<usize> {
    let h = chars(hay);
    let n = chars(needle);
    if n.is_empty() || n.len() > h.len() {
        return if n.is_empty() { Some(h.len()) } else { None };
    }
    (0..=h.len() - n.len()).rev().find(|&i| h.get(i..i + n.len()) == Some(&n[..]))
}

fn count_matching(s: &str, pred: impl Fn(&str) -> bool) -> usize {
    s.chars().filter(|c| pred(&c.to_string())).count()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

pub(crate) fn format_number(value: f64, picture: &str, options: Option<&JObject>) -> Result<String, EvalError> {
    let mut p = Props {
        decimal: ".".into(),
        grouping: ",".into(),
        exponent: "e".into(),
        minus: "-".into(),
        percent: "%".into(),
        per_mille: "\u{2030}".into(),
        zero: "0".into(),
        digit: "#".into(),
        pattern: ";".into(),
    };
    if let Some(o) = options {
        for (k, v) in o.iter() {
            let JValue::String(s) = v else { continue };
            let s = s.to_string();
            match k {
                "decimal-separator" => p.decimal = s,
                "grouping-separator" => p.grouping = s,
                "exponent-separator" => p.exponent = s,
                "minus-sign" => p.minus = s,
                "percent" => p.percent = s,
                "per-mille" => p.per_mille = s,
                "zero-digit" => p.zero = s,
                "digit" => p.digit = s,
                "pattern-separator" => p.pattern = s,
                _ => {}
            }
        }
    }
    if !value.is_finite() {
        return Ok(jsnum::js_to_string(value));
    }
    let zero_code = p.zero.chars().next().map(|c| c as u32).unwrap_or(0x30);
    let family: Vec<String> =
        (0..10).map(|i| char::from_u32(zero_code + i).map(String::from).unwrap_or_default()).collect();
    let is_digit = |c: &str| family.iter().any(|f| f == c);
    let active: Vec<String> = family
        .iter()
        .cloned()
        .chain([p.decimal.clone(), p.exponent.clone(), p.grouping.clone(), p.digit.clone(), p.pattern.clone()])
        .collect();
    let is_active = |c: &str| active.iter().any(|a| a == c);

    let sub_pictures: Vec<&str> = picture.split(p.pattern.as_str()).collect();
    if sub_pictures.len() > 2 {
        return Err(EvalError::new("D3080", "The picture string must only contain a maximum of two sub-pictures"));
    }

    let split_parts = |subpicture: &str| -> SubParts {
        let sp = chars(subpicture);
        let prefix_end = sp.iter().position(|c| {
            let c = c.to_string();
            is_active(&c) && c != p.exponent
        });
        let prefix = sub(&sp, 0, prefix_end.unwrap_or(sp.len()));
        let suffix_start = sp.iter().rposition(|c| {
            let c = c.to_string();
            is_active(&c) && c != p.exponent
        });
        let suffix = match suffix_start {
            Some(i) => sub(&sp, i + 1, sp.len()),
            None => String::new(),
        };
        let plen = prefix.chars().count();
        let slen = suffix.chars().count();
        let active_part = sub(&sp, plen, sp.len().saturating_sub(slen));
        let ap = chars(&active_part);
        let exp_pos = index_of(subpicture, &p.exponent, plen);
        let (mantissa, exponent) = match exp_pos {
            Some(e) if e <= sp.len().saturating_sub(slen) => (sub(&ap, 0, e), Some(sub(&ap, e + 1, ap.len()))),
            _ => (active_part.clone(), None),
        };
        let (integer, fractional) = match index_of(&mantissa, &p.decimal, 0) {
            None => (mantissa.clone(), suffix.clone()),
            Some(d) => {
                let m = chars(&mantissa);
                (sub(&m, 0, d), sub(&m, d + 1, m.len()))
            }
        };
        SubParts {
            prefix,
            suffix,
            active: active_part,
            mantissa,
            exponent,
            integer,
            fractional,
            picture: subpicture.to_string(),
        }
    };

    let validate = |parts: &SubParts| -> Result<(), EvalError> {
        let mut error: Option<&'static str> = None;
        let sp = &parts.picture;
        let decimal_pos = index_of(sp, &p.decimal, 0);
        if decimal_pos != last_index_of(sp, &p.decimal) {
            error = Some("D3081");
        }
        if index_of(sp, &p.percent, 0) != last_index_of(sp, &p.percent) {
            error = Some("D3082");
        }
        if index_of(sp, &p.per_mille, 0) != last_index_of(sp, &p.per_mille) {
            error = Some("D3083");
        }
        if index_of(sp, &p.percent, 0).is_some() && index_of(sp, &p.per_mille, 0).is_some() {
            error = Some("D3084");
        }
        let valid = parts.mantissa.chars().any(|c| {
            let c = c.to_string();
            is_digit(&c) || c == p.digit
        });
        if !valid {
            error = Some("D3085");
        }
        if parts.active.chars().any(|c| !is_active(&c.to_string())) {
            error = Some("D3086");
        }
        let spc = chars(sp);
        match decimal_pos {
            Some(d) => {
                let before = d.checked_sub(1).and_then(|i| spc.get(i)).map(|c| c.to_string());
                let after = spc.get(d + 1).map(|c| c.to_string());
                if before.as_deref() == Some(p.grouping.as_str()) || after.as_deref() == Some(p.grouping.as_str()) {
                    error = Some("D3087");
                }
            }
            None => {
                if parts.integer.chars().last().map(|c| c.to_string()).as_deref() == Some(p.grouping.as_str()) {
                    error = Some("D3088");
                }
            }
        }
        if index_of(sp, &format!("{}{}", p.grouping, p.grouping), 0).is_some() {
            error = Some("D3089");
        }
        if let Some(od) = index_of(&parts.integer, &p.digit, 0)
            && chars(&parts.integer)[..od].iter().any(|c| is_digit(&c.to_string()))
        {
            error = Some("D3090");
        }
        if let Some(od) = last_index_of(&parts.fractional, &p.digit)
            && chars(&parts.fractional)[od..].iter().any(|c| is_digit(&c.to_string()))
        {
            error = Some("D3091");
        }
        if let Some(e) = &parts.exponent {
            if !e.is_empty() && (index_of(sp, &p.percent, 0).is_some() || index_of(sp, &p.per_mille, 0).is_some()) {
                error = Some("D3092");
            }
            if e.is_empty() || e.chars().any(|c| !is_digit(&c.to_string())) {
                error = Some("D3093");
            }
        }
        match error {
            None => Ok(()),
            Some(code) => Err(EvalError::new(code, picture_message(code))),
        }
    };

    let analyse = |parts: &SubParts| -> Analysis {
        let grouping_positions = |part: &str, to_left: bool| -> Vec<usize> {
            let mut positions = Vec::new();
            let pc = chars(part);
            let mut gp = index_of(part, &p.grouping, 0);
            let mut guard = 0;
            while let Some(g) = gp {
                guard += 1;
                if guard > pc.len() + 1 {
                    break;
                }
                let seg = if to_left { sub(&pc, 0, g) } else { sub(&pc, g, pc.len()) };
                positions.push(count_matching(&seg, |c| is_digit(c) || c == p.digit));
                gp = index_of(&parts.integer, &p.grouping, g + 1);
            }
            positions
        };
        let integer_grouping = grouping_positions(&parts.integer, false);
        let regular = |indexes: &[usize]| -> usize {
            if indexes.is_empty() {
                return 0;
            }
            let factor = indexes.iter().copied().fold(0, gcd);
            if factor == 0 {
                return 0;
            }
            for i in 1..=indexes.len() {
                if !indexes.contains(&(i * factor)) {
                    return 0;
                }
            }
            factor
        };
        let regular_grouping = regular(&integer_grouping);
        let fractional_grouping = grouping_positions(&parts.fractional, true);
        let mut min_integer = count_matching(&parts.integer, is_digit);
        let scaling = min_integer;
        let mut min_fraction = count_matching(&parts.fractional, is_digit);
        let mut max_fraction = count_matching(&parts.fractional, |c| is_digit(c) || c == p.digit);
        let exponent_present = parts.exponent.is_some();
        if min_integer == 0 && max_fraction == 0 {
            if exponent_present {
                min_fraction = 1;
                max_fraction = 1;
            } else {
                min_integer = 1;
            }
        }
        if exponent_present && min_integer == 0 && index_of(&parts.integer, &p.digit, 0).is_some() {
            min_integer = 1;
        }
        if min_integer == 0 && min_fraction == 0 {
            min_fraction = 1;
        }
        let min_exponent = parts.exponent.as_deref().map(|e| count_matching(e, is_digit)).unwrap_or(0);
        Analysis {
            integer_grouping,
            regular_grouping,
            min_integer,
            scaling,
            prefix: parts.prefix.clone(),
            fractional_grouping,
            min_fraction,
            max_fraction,
            min_exponent,
            suffix: parts.suffix.clone(),
            picture: parts.picture.clone(),
        }
    };

    let parts: Vec<SubParts> = sub_pictures.iter().map(|s| split_parts(s)).collect();
    for part in &parts {
        validate(part)?;
    }
    let mut variables: Vec<Analysis> = parts.iter().map(analyse).collect();
    if variables.len() == 1
        && let Some(first) = variables.first().cloned()
    {
        let mut neg = first;
        neg.prefix = format!("{}{}", p.minus, neg.prefix);
        variables.push(neg);
    }
    let Some(pic) = (if value >= 0.0 { variables.first() } else { variables.get(1) }) else {
        return Ok(String::new());
    };
    let adjusted = if index_of(&pic.picture, &p.percent, 0).is_some() {
        value * 100.0
    } else if index_of(&pic.picture, &p.per_mille, 0).is_some() {
        value * 1000.0
    } else {
        value
    };
    let mut exponent: Option<i32> = None;
    let mantissa = if pic.min_exponent == 0 {
        adjusted
    } else {
        let max_m = 10f64.powi(pic.scaling as i32);
        let min_m = 10f64.powi(pic.scaling as i32 - 1);
        let mut m = adjusted;
        let mut e = 0;
        let mut guard = 0;
        while m != 0.0 && m.abs() < min_m && guard < 400 {
            m *= 10.0;
            e -= 1;
            guard += 1;
        }
        while m.abs() > max_m && guard < 800 {
            m /= 10.0;
            e += 1;
            guard += 1;
        }
        exponent = Some(e);
        m
    };
    let rounded = round_half_even(mantissa, Some(pic.max_fraction as f64));
    let to_family = |s: String| -> String {
        if p.zero == "0" {
            return s;
        }
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => family.get(d as usize).cloned().unwrap_or_else(|| c.to_string()),
                None => c.to_string(),
            })
            .collect()
    };
    let make_string = |v: f64, dp: usize| to_family(jsnum::to_fixed(v.abs(), dp));
    let mut s = make_string(rounded, pic.max_fraction);
    s = match index_of(&s, ".", 0) {
        None => format!("{s}{}", p.decimal),
        Some(_) => s.replacen('.', &p.decimal, 1),
    };
    while !p.zero.is_empty() && s.starts_with(p.zero.as_str()) {
        s = s[p.zero.len()..].to_string();
    }
    while !p.zero.is_empty() && s.ends_with(p.zero.as_str()) {
        s.truncate(s.len() - p.zero.len());
    }
    let len = |s: &str| s.chars().count() as i64;
    let decimal_pos = index_of(&s, &p.decimal, 0).map(|d| d as i64).unwrap_or(-1);
    let pad_left = pic.min_integer as i64 - decimal_pos;
    let pad_right = pic.min_fraction as i64 - (len(&s) - decimal_pos - 1);
    if pad_left > 0 {
        s = format!("{}{s}", p.zero.repeat(pad_left as usize));
    }
    if pad_right > 0 {
        s.push_str(&p.zero.repeat(pad_right as usize));
    }
    let insert = |s: &str, at: i64, what: &str| -> String {
        let c = chars(s);
        let at = at.clamp(0, c.len() as i64) as usize;
        format!("{}{}{}", sub(&c, 0, at), what, sub(&c, at, c.len()))
    };
    let mut decimal_pos = index_of(&s, &p.decimal, 0).map(|d| d as i64).unwrap_or(-1);
    if pic.regular_grouping > 0 {
        let rg = pic.regular_grouping as i64;
        let group_count = (decimal_pos - 1).div_euclid(rg);
        for group in 1..=group_count {
            s = insert(&s, decimal_pos - group * rg, &p.grouping);
        }
    } else {
        for pos in &pic.integer_grouping {
            s = insert(&s, decimal_pos - *pos as i64, &p.grouping);
            decimal_pos += 1;
        }
    }
    let decimal_pos = index_of(&s, &p.decimal, 0).map(|d| d as i64).unwrap_or(-1);
    for pos in &pic.fractional_grouping {
        s = insert(&s, *pos as i64 + decimal_pos + 1, &p.grouping);
    }
    let decimal_pos = index_of(&s, &p.decimal, 0).map(|d| d as i64).unwrap_or(-1);
    if index_of(&pic.picture, &p.decimal, 0).is_none() || decimal_pos == len(&s) - 1 {
        let mut c = chars(&s);
        c.pop();
        s = c.into_iter().collect();
    }
    if let Some(e) = exponent {
        let mut se = make_string(f64::from(e), 0);
        let pad = pic.min_exponent as i64 - len(&se);
        if pad > 0 {
            se = format!("{}{se}", p.zero.repeat(pad as usize));
        }
        s = format!("{s}{}{}{se}", p.exponent, if e < 0 { p.minus.as_str() } else { "" });
    }
    Ok(format!("{}{s}{}", pic.prefix, pic.suffix))
}

fn picture_message(code: &str) -> &'static str {
    match code {
        "D3081" => "The sub-picture must not contain more than one instance of the 'decimal-separator' character",
        "D3082" => "The sub-picture must not contain more than one instance of the 'percent' character",
        "D3083" => "The sub-picture must not contain more than one instance of the 'per-mille' character",
        "D3084" => "The sub-picture must not contain both a 'percent' and a 'per-mille' character",
        "D3085" => {
            "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"
        }
        "D3086" => {
            "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"
        }
        "D3087" => {
            "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"
        }
        "D3088" => "The sub-picture must not contain a 'grouping-separator' at the end of the integer part",
        "D3089" => "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character",
        "D3090" => {
            "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"
        }
        "D3091" => {
            "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"
        }
        "D3092" => {
            "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"
        }
        _ => {
            "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64, pic: &str) -> String {
        format_number(v, pic, None).unwrap()
    }

    #[test]
    fn pictures() {
        assert_eq!(f(12345.6, "#,###.00"), "12,345.60");
        assert_eq!(f(1234.5678, "00.000e0"), "12.346e2");
        assert_eq!(f(34.555, "#0.00;(#0.00)"), "34.56");
        assert_eq!(f(-34.555, "#0.00;(#0.00)"), "(34.56)");
        assert_eq!(f(0.14, "01%"), "14%");
        assert_eq!(f(0.4857, "###.###\u{2030}"), "485.7\u{2030}");
        assert_eq!(f(1234.5678, "#,##0.00"), "1,234.57");
        assert_eq!(f(-6.0, "000"), "-006");
        assert_eq!(f(1e6, "#,###"), "1,000,000");
        assert_eq!(f(0.0, "0.0"), "0.0");
        assert_eq!(f(12.0, "#"), "12");
        assert_eq!(format_number(1.0, "#.0.0", None).unwrap_err().code, "D3081");
    }
}
