//! Date/time and integer formatting: a port of the parts of jsonata-js `datetime.js` that
//! `$fromMillis`, `$now`, `$toMillis`, `$formatInteger` and `$parseInteger` use (XPath F&O 3.1
//! picture strings). All times are UTC plus the optional `±HHMM` timezone argument.

use super::eval::EvalError;

const DAY_MS: f64 = 86_400_000.0;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 8] = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
pub(crate) use crate::timestamp::days_from_civil;

/// (year, month 1-12, day) of a day number.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `Date.UTC(year, month0, day)` with JavaScript's month overflow.
fn date_utc(year: i64, month0: i64, day: i64) -> f64 {
    let y = year + month0.div_euclid(12);
    let m = month0.rem_euclid(12) + 1;
    (days_from_civil(y, m, 1) + day - 1) as f64 * DAY_MS
}

#[derive(Clone, Copy)]
struct Parts {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
    /// 1 = Monday .. 7 = Sunday.
    weekday: i64,
    millis: f64,
}

fn parts(millis: f64) -> Parts {
    let ms = millis.floor() as i64;
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let weekday = (days + 3).rem_euclid(7) + 1;
    Parts {
        year,
        month,
        day,
        hour: rem / 3_600_000,
        minute: rem / 60_000 % 60,
        second: rem / 1000 % 60,
        milli: rem % 1000,
        weekday,
        millis,
    }
}

// ---------------------------------------------------------------------------------------------
// Integer pictures (format-integer)

#[derive(Clone, Copy, PartialEq, Debug)]
enum Case {
    Lower,
    Upper,
    Title,
}

#[derive(Clone, Debug, PartialEq)]
enum Primary {
    Decimal,
    Letters,
    Roman,
    Words,
    Sequence(String),
}

#[derive(Clone, Debug)]
struct IntegerFormat {
    primary: Primary,
    case: Case,
    ordinal: bool,
    zero: u32,
    mandatory: usize,
    optional: usize,
    /// Regular grouping: (interval, separator).
    regular: Option<(usize, String)>,
    /// Irregular grouping: (position from the right, separator).
    separators: Vec<(usize, String)>,
}

/// Unicode decimal digit zeros jsonata-js recognises.
const DECIMAL_GROUPS: [u32; 37] = [
    0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn regular_repeat(separators: &[(usize, String)]) -> usize {
    let Some((_, first)) = separators.first() else {
        return 0;
    };
    if separators.iter().any(|(_, c)| c != first) {
        return 0;
    }
    let indexes: Vec<usize> = separators.iter().map(|(p, _)| *p).collect();
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
}

fn analyse_integer_picture(picture: &str) -> Result<IntegerFormat, EvalError> {
    let mut f = IntegerFormat {
        primary: Primary::Decimal,
        case: Case::Lower,
        ordinal: false,
        zero: 0x30,
        mandatory: 0,
        optional: 0,
        regular: None,
        separators: Vec::new(),
    };
    let primary = match picture.rfind(';') {
        None => picture,
        Some(i) => {
            if picture[i + 1..].starts_with('o') {
                f.ordinal = true;
            }
            &picture[..i]
        }
    };
    match primary {
        "A" => {
            f.case = Case::Upper;
            f.primary = Primary::Letters;
        }
        "a" => f.primary = Primary::Letters,
        "I" => {
            f.case = Case::Upper;
            f.primary = Primary::Roman;
        }
        "i" => f.primary = Primary::Roman,
        "W" => {
            f.case = Case::Upper;
            f.primary = Primary::Words;
        }
        "Ww" => {
            f.case = Case::Title;
            f.primary = Primary::Words;
        }
        "w" => f.primary = Primary::Words,
        _ => {
            let mut zero: Option<u32> = None;
            let mut position = 0;
            let mut separators = Vec::new();
            for c in primary.chars().rev() {
                let cp = c as u32;
                if let Some(group) = DECIMAL_GROUPS.iter().find(|g| cp >= **g && cp <= **g + 9) {
                    f.mandatory += 1;
                    position += 1;
                    match zero {
                        None => zero = Some(*group),
                        Some(z) if z != *group => {
                            return Err(EvalError::new(
                                "D3131",
                                "In a decimal digit pattern, all digits must be from the same decimal group",
                            ));
                        }
                        _ => {}
                    }
                } else if c == '#' {
                    position += 1;
                    f.optional += 1;
                } else {
                    separators.push((position, c.to_string()));
                }
            }
            if f.mandatory > 0 {
                f.zero = zero.unwrap_or(0x30);
                let r = regular_repeat(&separators);
                if r > 0 {
                    f.regular = Some((r, separators.first().map(|s| s.1.clone()).unwrap_or_default()));
                } else {
                    f.separators = separators;
                }
            } else {
                f.primary = Primary::Sequence(primary.to_string());
            }
        }
    }
    Ok(f)
}

fn to_letters(mut value: i64, a: u8) -> String {
    let mut letters = Vec::new();
    while value > 0 {
        letters.push(char::from(((value - 1) % 26) as u8 + a));
        value = (value - 1) / 26;
    }
    letters.iter().rev().collect()
}

const ROMAN: [(i64, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

/// Largest number written in Roman numerals (beyond it, the numeral would be millions of `m`).
const MAX_ROMAN: i64 = 10_000_000;

fn to_roman(mut value: i64) -> String {
    let mut s = String::new();
    for (n, r) in ROMAN {
        while value >= n {
            s.push_str(r);
            value -= n;
        }
    }
    s
}

const FEW: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const ORDINALS: [&str; 20] = [
    "Zeroth",
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
    "Eleventh",
    "Twelfth",
    "Thirteenth",
    "Fourteenth",
    "Fifteenth",
    "Sixteenth",
    "Seventeenth",
    "Eighteenth",
    "Nineteenth",
];
const DECADES: [&str; 9] = ["Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"];
const MAGNITUDES: [&str; 4] = ["Thousand", "Million", "Billion", "Trillion"];

fn words(num: i64, prev: bool, ord: bool) -> String {
    let idx = |n: i64| n.clamp(0, 19) as usize;
    if num <= 19 {
        format!("{}{}", if prev { " and " } else { "" }, if ord { ORDINALS[idx(num)] } else { FEW[idx(num)] })
    } else if num < 100 {
        let tens = (num / 10) as usize;
        let remainder = num % 10;
        let mut w = format!("{}{}", if prev { " and " } else { "" }, DECADES.get(tens - 2).copied().unwrap_or(""));
        if remainder > 0 {
            w.push('-');
            w.push_str(&words(remainder, false, ord));
        } else if ord {
            w.pop();
            w.push_str("ieth");
        }
        w
    } else if num < 1000 {
        let mut w = format!("{}{} Hundred", if prev { ", " } else { "" }, FEW[idx(num / 100)]);
        let remainder = num % 100;
        if remainder > 0 {
            w.push_str(&words(remainder, true, ord));
        } else if ord {
            w.push_str("th");
        }
        w
    } else {
        let mut mag = ((num as f64).log10() / 3.0).floor() as usize;
        mag = mag.clamp(1, MAGNITUDES.len());
        let factor = 10i64.saturating_pow(3 * mag as u32);
        let mant = num / factor;
        let remainder = num - mant * factor;
        let mut w = format!("{}{} {}", if prev { ", " } else { "" }, words(mant, false, false), MAGNITUDES[mag - 1]);
        if remainder > 0 {
            w.push_str(&words(remainder, true, ord));
        } else if ord {
            w.push_str("th");
        }
        w
    }
}

fn insert_at(s: &str, pos_from_end: usize, sep: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let pos = chars.len().saturating_sub(pos_from_end);
    let mut out: String = chars[..pos].iter().collect();
    out.push_str(sep);
    out.extend(&chars[pos..]);
    out
}

fn format_integer_with(value: i64, f: &IntegerFormat) -> Result<String, EvalError> {
    let negative = value < 0;
    let value = value.saturating_abs();
    let mut s = match &f.primary {
        Primary::Letters => to_letters(value, if f.case == Case::Upper { b'A' } else { b'a' }),
        Primary::Roman => {
            if value > MAX_ROMAN {
                return Err(EvalError::new(
                    "D3130",
                    format!("Formatting {value} as Roman numerals is not supported by this implementation"),
                ));
            }
            let r = to_roman(value);
            if f.case == Case::Upper { r.to_uppercase() } else { r }
        }
        Primary::Words => {
            let w = words(value, false, f.ordinal);
            match f.case {
                Case::Upper => w.to_uppercase(),
                Case::Lower => w.to_lowercase(),
                Case::Title => w,
            }
        }
        Primary::Decimal => {
            let mut s = value.to_string();
            let len = s.chars().count();
            if f.mandatory > len {
                s = "0".repeat(f.mandatory - len) + &s;
            }
            if f.zero != 0x30 {
                s = s.chars().map(|c| char::from_u32(c as u32 + f.zero - 0x30).unwrap_or(c)).collect();
            }
            if let Some((interval, sep)) = &f.regular {
                let n = (s.chars().count().saturating_sub(1)) / interval;
                for ii in (1..=n).rev() {
                    s = insert_at(&s, ii * interval, sep);
                }
            } else {
                for (position, sep) in f.separators.iter().rev() {
                    s = insert_at(&s, *position, sep);
                }
            }
            if f.ordinal {
                let chars: Vec<char> = s.chars().collect();
                let last = chars.last().copied();
                let before = if chars.len() > 1 { chars.get(chars.len() - 2).copied() } else { None };
                let suffix = match last {
                    _ if before == Some('1') => "th",
                    Some('1') => "st",
                    Some('2') => "nd",
                    Some('3') => "rd",
                    _ => "th",
                };
                s.push_str(suffix);
            }
            s
        }
        Primary::Sequence(token) => {
            return Err(EvalError::new(
                "D3130",
                format!(
                    "Formatting or parsing an integer as a sequence starting with {} is not supported by this implementation",
                    super::eval::describe(&super::value::JValue::string(token))
                ),
            ));
        }
    };
    if negative {
        s.insert(0, '-');
    }
    Ok(s)
}

/// `$formatInteger(value, picture)`.
pub(crate) fn format_integer(value: f64, picture: &str) -> Result<String, EvalError> {
    let f = analyse_integer_picture(picture)?;
    format_integer_with(value.floor() as i64, &f)
}

fn from_roman(s: &str) -> Option<i64> {
    let s = s.to_lowercase();
    let val = |c: char| match c {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        'd' => Some(500),
        'm' => Some(1000),
        _ => None,
    };
    let digits: Option<Vec<i64>> = s.chars().map(val).collect();
    let digits = digits?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|n| n > d) {
            total -= d;
        } else {
            total += d;
        }
    }
    Some(total)
}

fn from_letters(s: &str) -> Option<i64> {
    let mut v: i64 = 0;
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if !c.is_ascii_lowercase() {
            return None;
        }
        v = v.checked_mul(26)?.checked_add(i64::from(c as u8 - b'a' + 1))?;
    }
    Some(v)
}

fn from_words(s: &str) -> Option<i64> {
    let lower = s.to_lowercase();
    let mut total: i64 = 0;
    let mut current: i64 = 0;
    let mut any = false;
    for token in lower.split(|c: char| c.is_whitespace() || c == '-' || c == ',') {
        if token.is_empty() || token == "and" {
            continue;
        }
        let find = |list: &[&str]| list.iter().position(|w| w.to_lowercase() == token);
        if let Some(n) = find(&FEW).or_else(|| find(&ORDINALS)) {
            current += n as i64;
        } else if let Some(n) = find(&DECADES[..8]) {
            current += (n as i64 + 2) * 10;
        } else if let Some(n) = DECADES[..8].iter().position(|w| {
            let w = w.to_lowercase();
            token == format!("{}ieth", &w[..w.len() - 1])
        }) {
            current += (n as i64 + 2) * 10;
        } else if token == "hundred" || token == "hundredth" {
            current *= 100;
        } else if let Some(m) = MAGNITUDES.iter().position(|w| {
            let w = w.to_lowercase();
            token == w || token == format!("{w}th")
        }) {
            total += current * 10i64.pow(3 * (m as u32 + 1));
            current = 0;
        } else {
            return None;
        }
        any = true;
    }
    any.then_some(total + current)
}

/// `$parseInteger(string, picture)`.
pub(crate) fn parse_integer(s: &str, picture: &str) -> Result<Option<f64>, EvalError> {
    let f = analyse_integer_picture(picture)?;
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let v = match &f.primary {
        Primary::Letters => from_letters(body),
        Primary::Roman => from_roman(body),
        Primary::Words => from_words(body),
        Primary::Decimal => {
            let mut digits = String::new();
            for c in body.chars() {
                let cp = c as u32;
                if cp >= f.zero && cp <= f.zero + 9 {
                    digits.push(char::from(b'0' + (cp - f.zero) as u8));
                } else if c.is_ascii_digit() {
                    digits.push(c);
                }
            }
            if f.ordinal {
                // suffixes are ignored
            }
            digits.parse::<i64>().ok()
        }
        Primary::Sequence(_) => return format_integer_with(0, &f).map(|_| None),
    };
    Ok(v.map(|v| if negative { -(v as f64) } else { v as f64 }))
}

// ---------------------------------------------------------------------------------------------
// Date/time pictures

#[derive(Clone, Debug)]
struct Marker {
    component: char,
    presentation1: String,
    presentation2: Option<char>,
    names: Option<Case>,
    integer: Option<IntegerFormat>,
    width_max: Option<usize>,
    /// Year digits to keep (`-1`: all).
    n: i64,
}

#[derive(Clone, Debug)]
enum Part {
    Literal(String),
    Marker(Marker),
}

fn default_presentation(c: char) -> Option<&'static str> {
    Some(match c {
        'Y' | 'M' | 'D' | 'd' | 'W' | 'w' | 'X' | 'x' | 'H' | 'h' | 'f' => "1",
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => return None,
    })
}

fn js_parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let v: i64 = digits.parse().ok()?;
    Some(if neg { -v } else { v })
}

fn analyse_datetime_picture(picture: &str) -> Result<Vec<Part>, EvalError> {
    let chars: Vec<char> = picture.chars().collect();
    let mut parts = Vec::new();
    let add_literal = |parts: &mut Vec<Part>, from: usize, to: usize| {
        if to > from {
            let lit: String = chars[from..to].iter().collect();
            parts.push(Part::Literal(lit.replace("]]", "]")));
        }
    };
    let (mut start, mut pos) = (0, 0);
    while pos < chars.len() {
        if chars[pos] == '[' {
            if chars.get(pos + 1) == Some(&'[') {
                add_literal(&mut parts, start, pos);
                parts.push(Part::Literal("[".to_string()));
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(&mut parts, start, pos);
            start = pos;
            let Some(close) = chars[start..].iter().position(|c| *c == ']').map(|i| i + start) else {
                return Err(EvalError::new("D3135", "No matching closing bracket ']' in date/time picture string"));
            };
            pos = close;
            let marker: String = chars[start + 1..pos].iter().filter(|c| !c.is_whitespace()).collect();
            let mchars: Vec<char> = marker.chars().collect();
            let component = mchars.first().copied().unwrap_or(' ');
            let (pres, width) = match marker.rfind(',') {
                Some(comma) => {
                    (marker[component.len_utf8().min(comma)..comma].to_string(), Some(marker[comma + 1..].to_string()))
                }
                None => (mchars.iter().skip(1).collect::<String>(), None),
            };
            let (mut width_min, mut width_max) = (None, None);
            if let Some(w) = width {
                // Widths are capped (a picture cannot ask for a gigabyte of padding).
                let parse = |s: &str| if s == "*" { None } else { js_parse_int(s).map(|v| v.clamp(0, 1000) as usize) };
                match w.find('-') {
                    None => width_min = parse(&w),
                    Some(d) => {
                        width_min = parse(&w[..d]);
                        width_max = parse(&w[d + 1..]);
                    }
                }
            }
            let (presentation1, presentation2) = if pres.chars().count() == 1 {
                (pres.clone(), None)
            } else if pres.chars().count() > 1 {
                let last = pres.chars().last().unwrap_or(' ');
                if "atco".contains(last) {
                    (pres[..pres.len() - last.len_utf8()].to_string(), Some(last))
                } else {
                    (pres.clone(), None)
                }
            } else {
                match default_presentation(component) {
                    Some(p) => (p.to_string(), None),
                    None => {
                        return Err(EvalError::new(
                            "D3132",
                            format!("Unknown component specifier {} in date/time picture string", component),
                        ));
                    }
                }
            };
            let mut m = Marker {
                component,
                presentation1: presentation1.clone(),
                presentation2,
                names: None,
                integer: None,
                width_max,
                n: -1,
            };
            let mut p1 = presentation1.chars();
            match (p1.next(), p1.next()) {
                (Some('n'), _) => m.names = Some(Case::Lower),
                (Some('N'), Some('n')) => m.names = Some(Case::Title),
                (Some('N'), _) => m.names = Some(Case::Upper),
                _ if "YMDdFWwXxHhmsf".contains(component) => {
                    let mut pattern = presentation1.clone();
                    if let Some(p2) = presentation2 {
                        pattern.push(';');
                        pattern.push(p2);
                    }
                    let mut f = analyse_integer_picture(&pattern)?;
                    if let Some(min) = width_min
                        && f.mandatory < min
                    {
                        f.mandatory = min;
                    }
                    if component == 'Y' {
                        if let Some(max) = width_max {
                            m.n = max as i64;
                            f.mandatory = max;
                        } else {
                            let w = f.mandatory + f.optional;
                            if w >= 2 {
                                m.n = w as i64;
                            }
                        }
                    }
                    m.integer = Some(f);
                }
                _ => {}
            }
            if component == 'Z' || component == 'z' {
                m.integer = Some(analyse_integer_picture(&presentation1)?);
            }
            parts.push(Part::Marker(m));
            start = pos + 1;
        }
        pos += 1;
    }
    add_literal(&mut parts, start, chars.len());
    Ok(parts)
}

fn start_of_first_week(year: i64, month0: i64) -> f64 {
    let first = date_utc(year, month0, 1);
    let mut dow = parts(first).weekday;
    if dow == 0 {
        dow = 7;
    }
    if dow > 4 { first + (8 - dow) as f64 * DAY_MS } else { first - (dow - 1) as f64 * DAY_MS }
}

fn delta_weeks(start: f64, end: f64) -> f64 {
    (end - start) / (DAY_MS * 7.0) + 1.0
}

enum Fragment {
    Int(i64),
    Text(String),
}

fn fragment(p: &Parts, component: char) -> Fragment {
    let today = date_utc(p.year, p.month - 1, p.day);
    Fragment::Int(match component {
        'Y' => p.year,
        'M' => p.month,
        'D' => p.day,
        'd' => ((today - date_utc(p.year, 0, 1)) / DAY_MS) as i64 + 1,
        'F' => p.weekday,
        'W' => {
            let start = start_of_first_week(p.year, 0);
            let mut week = delta_weeks(start, today);
            if week > 52.0 {
                if today >= start_of_first_week(p.year + 1, 0) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(p.year - 1, 0), today);
            }
            week.floor() as i64
        }
        'w' => {
            let start = start_of_first_week(p.year, p.month - 1);
            let mut week = delta_weeks(start, today);
            if week > 4.0 {
                if today >= start_of_first_week(p.year, p.month) {
                    week = 1.0;
                }
            } else if week < 1.0 {
                week = delta_weeks(start_of_first_week(p.year, p.month - 2), today);
            }
            week.floor() as i64
        }
        'X' => {
            if p.millis < start_of_first_week(p.year, 0) {
                p.year - 1
            } else if p.millis >= start_of_first_week(p.year + 1, 0) {
                p.year + 1
            } else {
                p.year
            }
        }
        'x' => {
            let month0 = p.month - 1;
            if today < start_of_first_week(p.year, month0) {
                (month0 - 1).rem_euclid(12) + 1
            } else if today >= start_of_first_week(p.year, month0 + 1) {
                (month0 + 1).rem_euclid(12) + 1
            } else {
                p.month
            }
        }
        'H' => p.hour,
        'h' => {
            let h = p.hour % 12;
            if h == 0 { 12 } else { h }
        }
        'P' => return Fragment::Text(if p.hour >= 12 { "pm" } else { "am" }.to_string()),
        'm' => p.minute,
        's' => p.second,
        'f' => p.milli,
        'C' | 'E' => return Fragment::Text("ISO".to_string()),
        _ => return Fragment::Text(String::new()),
    })
}

/// `$fromMillis(millis, picture, timezone)` / `$now(picture, timezone)`: jsonata-js
/// `formatDateTime`. Without a picture, ISO 8601 with milliseconds (`2017-11-07T15:12:37.121Z`).
pub(crate) fn format_datetime(millis: f64, picture: Option<&str>, timezone: Option<&str>) -> Result<String, EvalError> {
    let (mut offset_hours, mut offset_minutes) = (0i64, 0i64);
    if let Some(tz) = timezone {
        if let Some(offset) = js_parse_int(tz) {
            offset_hours = offset.div_euclid(100);
            offset_minutes = offset - offset.div_euclid(100) * 100;
            // JavaScript `%` keeps the sign of the dividend.
            if offset < 0 && offset_minutes != 0 {
                offset_minutes -= 100;
            }
        } else {
            offset_hours = 0;
        }
    }
    let spec = analyse_datetime_picture(picture.unwrap_or("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]"))?;
    let shifted = millis + (60.0 * offset_hours as f64 + offset_minutes as f64) * 60_000.0;
    if !shifted.is_finite() || shifted.abs() > 8.64e15 || offset_hours.abs() > 1_000_000 {
        return Err(EvalError::new("D3110", "The date/time value is out of range"));
    }
    let p = parts(shifted);
    let mut out = String::new();
    for part in &spec {
        match part {
            Part::Literal(s) => out.push_str(s),
            Part::Marker(m) => out.push_str(&format_component(&p, m, offset_hours, offset_minutes)?),
        }
    }
    Ok(out)
}

fn format_component(p: &Parts, m: &Marker, offset_hours: i64, offset_minutes: i64) -> Result<String, EvalError> {
    let c = m.component;
    if "YMDdFWwXxHhms".contains(c) {
        let mut value = match fragment(p, c) {
            Fragment::Int(v) => v,
            Fragment::Text(t) => return Ok(t),
        };
        if c == 'Y' && m.n != -1 {
            value %= 10i64.saturating_pow(m.n.clamp(0, 18) as u32);
        }
        if let Some(case) = m.names {
            let mut name = match c {
                'M' | 'x' => MONTHS.get((value - 1).clamp(0, 11) as usize).copied().unwrap_or("").to_string(),
                'F' => DAYS.get(value.clamp(0, 7) as usize).copied().unwrap_or("").to_string(),
                _ => {
                    return Err(EvalError::new(
                        "D3133",
                        format!(
                            "The 'name' modifier can only be applied to months and days in the date/time picture string, not {}",
                            super::eval::describe(&super::value::JValue::string(&c.to_string()))
                        ),
                    ));
                }
            };
            name = match case {
                Case::Upper => name.to_uppercase(),
                Case::Lower => name.to_lowercase(),
                Case::Title => name,
            };
            if let Some(max) = m.width_max
                && name.chars().count() > max
            {
                name = name.chars().take(max).collect();
            }
            return Ok(name);
        }
        return match &m.integer {
            Some(f) => format_integer_with(value, f),
            None => Ok(value.to_string()),
        };
    }
    match c {
        'f' => {
            let value = p.milli;
            match &m.integer {
                Some(f) => format_integer_with(value, f),
                None => Ok(value.to_string()),
            }
        }
        'Z' | 'z' => {
            let offset = offset_hours * 100 + offset_minutes;
            let Some(f) = &m.integer else {
                return Ok(String::new());
            };
            let mut s = if f.regular.is_some() {
                format_integer_with(offset, f)?
            } else {
                match f.mandatory {
                    1 | 2 => {
                        let mut s = format_integer_with(offset_hours, f)?;
                        if offset_minutes != 0 {
                            s.push(':');
                            s.push_str(&format_integer(offset_minutes as f64, "00")?);
                        }
                        s
                    }
                    3 | 4 => format_integer_with(offset, f)?,
                    n => {
                        return Err(EvalError::new(
                            "D3134",
                            format!("The timezone integer format specifier cannot have more than four digits: {n}"),
                        ));
                    }
                }
            };
            if offset >= 0 {
                s.insert(0, '+');
            }
            if c == 'z' {
                s.insert_str(0, "GMT");
            }
            if offset == 0 && m.presentation2 == Some('t') {
                s = "Z".to_string();
            }
            Ok(s)
        }
        'P' => {
            let t = if p.hour >= 12 { "pm" } else { "am" };
            Ok(if m.names == Some(Case::Upper) { t.to_uppercase() } else { t.to_string() })
        }
        'C' | 'E' => Ok("ISO".to_string()),
        _ => Err(EvalError::new(
            "D3132",
            format!("Unknown component specifier {} in date/time picture string", m.presentation1),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// `$toMillis(timestamp)` without a picture: the ISO 8601 forms jsonata-js accepts
/// (`^\d{4}(-[01]\d)*(-[0-3]\d)*(T[0-2]\d:[0-5]\d:[0-5]\d)*(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$`),
/// read as `Date.parse` reads them (a date-time without an offset as UTC).
pub(crate) fn iso_to_millis(s: &str) -> Result<Option<f64>, EvalError> {
    let bad = || {
        EvalError::new(
            "D3110",
            format!(
                "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {}",
                super::eval::describe(&super::value::JValue::string(s))
            ),
        )
    };
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<i64> {
        let part = b.get(from..from + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let year = digits(0, 4).ok_or_else(bad)?;
    let mut i = 4;
    let (mut month, mut day) = (1, 1);
    if b.get(i) == Some(&b'-') {
        month = digits(i + 1, 2).ok_or_else(bad)?;
        i += 3;
        if b.get(i) == Some(&b'-') {
            day = digits(i + 1, 2).ok_or_else(bad)?;
            i += 3;
        }
    }
    let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0.0);
    if b.get(i) == Some(&b'T') {
        hour = digits(i + 1, 2).ok_or_else(bad)?;
        if b.get(i + 3) != Some(&b':') || b.get(i + 6) != Some(&b':') {
            return Err(bad());
        }
        minute = digits(i + 4, 2).ok_or_else(bad)?;
        second = digits(i + 7, 2).ok_or_else(bad)?;
        i += 9;
    }
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let mut end = start;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        if end == start {
            return Err(bad());
        }
        let frac: String = s[start..end].chars().take(3).collect();
        let frac = format!("{frac:0<3}");
        millis = frac.parse::<f64>().unwrap_or(0.0);
        i = end;
    }
    let mut offset = 0i64;
    match b.get(i) {
        None => {}
        Some(b'Z') if i + 1 == b.len() => {}
        Some(sign @ (b'+' | b'-')) => {
            let h = digits(i + 1, 2).ok_or_else(bad)?;
            let mut j = i + 3;
            if b.get(j) == Some(&b':') {
                j += 1;
            }
            let m = digits(j, 2).ok_or_else(bad)?;
            if j + 2 != b.len() {
                return Err(bad());
            }
            offset = (h * 60 + m) * if *sign == b'-' { -1 } else { 1 };
        }
        _ => return Err(bad()),
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 24 || minute > 59 || second > 59 {
        return Ok(None);
    }
    let days = days_from_civil(year, month, 1) + day - 1;
    let ms = ((days * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000;
    Ok(Some(ms as f64 + millis))
}

/// `$toMillis(timestamp, picture)`: reads the components the picture describes. Supported:
/// numeric markers (`[Y]`, `[M]`, `[D]`, `[d]`, `[H]`, `[h]`, `[m]`, `[s]`, `[f]`), month and
/// day names, `[P]`, `[Z]`/`[z]` offsets, and literals. `None` when the text does not match.
pub(crate) fn parse_datetime(s: &str, picture: &str) -> Result<Option<f64>, EvalError> {
    let spec = analyse_datetime_picture(picture)?;
    let text: Vec<char> = s.chars().collect();
    let mut pos = 0;
    let (mut year, mut month, mut day, mut doy) = (None, None, None, None);
    let (mut hour, mut minute, mut second, mut milli, mut pm, mut offset) = (None, 0i64, 0i64, 0i64, None, 0i64);
    for (k, part) in spec.iter().enumerate() {
        match part {
            Part::Literal(lit) => {
                for c in lit.chars() {
                    if text.get(pos) != Some(&c) {
                        return Ok(None);
                    }
                    pos += 1;
                }
            }
            Part::Marker(m) => {
                let next_is_marker = matches!(spec.get(k + 1), Some(Part::Marker(_)));
                if let Some(case) = m.names.filter(|_| "MxF".contains(m.component)) {
                    let _ = case;
                    let rest: String = text[pos..].iter().collect::<String>().to_lowercase();
                    let list: Vec<&str> = if m.component == 'F' { DAYS[1..].to_vec() } else { MONTHS.to_vec() };
                    let mut found = None;
                    for (i, name) in list.iter().enumerate() {
                        let lname = name.to_lowercase();
                        let cand: String = match m.width_max {
                            Some(max) => lname.chars().take(max).collect(),
                            None => lname.clone(),
                        };
                        if rest.starts_with(&cand) {
                            found = Some((i, cand.chars().count()));
                            break;
                        }
                    }
                    let Some((i, len)) = found else {
                        return Ok(None);
                    };
                    pos += len;
                    if m.component != 'F' {
                        month = Some(i as i64 + 1);
                    }
                    continue;
                }
                match m.component {
                    'P' => {
                        let rest: String = text[pos..].iter().take(2).collect::<String>().to_lowercase();
                        match rest.as_str() {
                            "am" => pm = Some(false),
                            "pm" => pm = Some(true),
                            _ => return Ok(None),
                        }
                        pos += 2;
                    }
                    'Z' | 'z' => {
                        if m.component == 'z' {
                            for c in "GMT".chars() {
                                if text.get(pos) != Some(&c) {
                                    return Ok(None);
                                }
                                pos += 1;
                            }
                        }
                        if text.get(pos) == Some(&'Z') {
                            pos += 1;
                            continue;
                        }
                        let sign = match text.get(pos) {
                            Some('+') => 1,
                            Some('-') => -1,
                            _ => return Ok(None),
                        };
                        pos += 1;
                        let mut digits = String::new();
                        while let Some(c) = text.get(pos).filter(|c| c.is_ascii_digit() || **c == ':') {
                            if *c != ':' {
                                digits.push(*c);
                            }
                            pos += 1;
                        }
                        let (h, mi) = match digits.len() {
                            1 | 2 => (digits.parse::<i64>().unwrap_or(0), 0),
                            3 | 4 => {
                                let v = digits.parse::<i64>().unwrap_or(0);
                                (v / 100, v % 100)
                            }
                            _ => return Ok(None),
                        };
                        offset = sign * (h * 60 + mi);
                    }
                    c if "YMDdHhmsf".contains(c) => {
                        let fixed = m.integer.as_ref().map(|f| f.mandatory).filter(|_| next_is_marker);
                        let mut digits = String::new();
                        if text.get(pos) == Some(&'-') && c == 'Y' {
                            digits.push('-');
                            pos += 1;
                        }
                        while let Some(d) = text.get(pos).filter(|d| d.is_ascii_digit()) {
                            if fixed.is_some_and(|n| digits.len() >= n) {
                                break;
                            }
                            digits.push(*d);
                            pos += 1;
                        }
                        let Ok(v) = digits.parse::<i64>() else {
                            return Ok(None);
                        };
                        match c {
                            'Y' => year = Some(v),
                            'M' => month = Some(v),
                            'D' => day = Some(v),
                            'd' => doy = Some(v),
                            'H' | 'h' => hour = Some(v),
                            'm' => minute = v,
                            's' => second = v,
                            _ => {
                                let scale = 10i64.pow(3u32.saturating_sub(digits.len() as u32));
                                milli = if digits.len() > 3 { digits[..3].parse().unwrap_or(0) } else { v * scale };
                            }
                        }
                    }
                    _ => return Ok(None),
                }
            }
        }
    }
    if pos != text.len() {
        return Ok(None);
    }
    if year.is_some_and(|y| !(-271_821..=275_760).contains(&y))
        || [month, day, doy, hour].iter().flatten().any(|v| v.abs() > 100_000)
        || [minute, second, milli].iter().any(|v| v.abs() > 100_000_000)
    {
        return Ok(None);
    }
    let Some(year) = year else {
        return Err(EvalError::new(
            "D3136",
            "The date/time picture string is missing specifiers required to parse the timestamp",
        ));
    };
    let mut h = hour.unwrap_or(0);
    if let Some(is_pm) = pm {
        h %= 12;
        if is_pm {
            h += 12;
        }
    }
    let days = match doy {
        Some(d) => days_from_civil(year, 1, 1) + d - 1,
        None => days_from_civil(year, month.unwrap_or(1), 1) + day.unwrap_or(1) - 1,
    };
    let ms = ((days * 24 + h) * 60 + minute - offset) * 60_000 + second * 1000 + milli;
    Ok(Some(ms as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        assert_eq!(format_datetime(1510067557121.0, None, None).unwrap(), "2017-11-07T15:12:37.121Z");
        assert_eq!(iso_to_millis("2017-11-07T15:12:37.121Z").unwrap(), Some(1510067557121.0));
        assert_eq!(iso_to_millis("2017-11-07").unwrap(), Some(1510012800000.0));
        assert_eq!(iso_to_millis("2017-11-07T15:12:37+01:00").unwrap(), Some(1510063957000.0));
        assert_eq!(iso_to_millis("2017-11-07T15:12:37+0100").unwrap(), Some(1510063957000.0));
        assert!(iso_to_millis("07/11/2017").is_err());
        assert_eq!(format_datetime(0.0, None, None).unwrap(), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_datetime(-1.0, None, None).unwrap(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn pictures() {
        let t = 1521801216617.0; // 2018-03-23T10:33:36.617Z, a Friday
        assert_eq!(format_datetime(t, Some("[D01]/[M01]/[Y0001] [h#1]:[m01][P]"), None).unwrap(), "23/03/2018 10:33am");
        assert_eq!(format_datetime(t, Some("[FNn], [D1o] [MNn] [Y]"), None).unwrap(), "Friday, 23rd March 2018");
        assert_eq!(format_datetime(t, Some("[MNn,3-3] [Y01]"), None).unwrap(), "Mar 18");
        assert_eq!(format_datetime(t, Some("[H01]:[m01] [Z]"), Some("-0500")).unwrap(), "05:33 -05:00");
        assert_eq!(format_datetime(t, Some("[Y]-[d]"), None).unwrap(), "2018-82");
        assert_eq!(format_datetime(t, Some("Week [W]"), None).unwrap(), "Week 12");
        assert_eq!(format_datetime(t, Some("[[[Y]]]"), None).unwrap(), "[2018]");
        assert_eq!(parse_datetime("23/03/2018", "[D01]/[M01]/[Y0001]").unwrap(), Some(1521763200000.0));
        assert_eq!(
            parse_datetime("2018-03-23T10:33:36.617Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]")
                .unwrap(),
            Some(t)
        );
    }

    #[test]
    fn integers() {
        assert_eq!(format_integer(1234.0, "#,##0").unwrap(), "1,234");
        assert_eq!(format_integer(12.0, "000").unwrap(), "012");
        assert_eq!(format_integer(1999.0, "I").unwrap(), "MCMXCIX");
        assert_eq!(format_integer(28.0, "a").unwrap(), "ab");
        assert_eq!(format_integer(123.0, "w").unwrap(), "one hundred and twenty-three");
        assert_eq!(format_integer(21.0, "Ww;o").unwrap(), "Twenty-First");
        assert_eq!(format_integer(2.0, "1;o").unwrap(), "2nd");
        assert_eq!(format_integer(12.0, "1;o").unwrap(), "12th");
        assert_eq!(format_integer(1234567.0, "0,000").unwrap(), "1,234,567");
        assert_eq!(parse_integer("1,234", "#,##0").unwrap(), Some(1234.0));
        assert_eq!(parse_integer("MCMXCIX", "I").unwrap(), Some(1999.0));
        assert_eq!(parse_integer("one hundred and twenty-three", "w").unwrap(), Some(123.0));
        assert_eq!(format_integer(1.0, "x").unwrap_err().code, "D3130");
    }
}
