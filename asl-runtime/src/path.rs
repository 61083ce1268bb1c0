//! Definite JSONPath access: the paths generated code resolves without a query engine.
//!
//! A definite path (`$.order.items[0].sku`) is compiled into a static slice of [`Step`]s; these
//! functions read and write along it with AWS's (Jayway's) semantics: a negative index counts from
//! the end, a miss is an error whose wording matches AWS's (`No results for path: $['x']` for a
//! missing last step, `Missing property in path $['a']` for a missing intermediate one).

use std::fmt::Write;

use serde_json::{Map, Value};

/// One step of a definite path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Field(&'static str),
    Index(i64),
}

/// Why a definite path found nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Miss {
    /// The last step is missing: `No results for path: $['a']['b']`.
    NoResults(String),
    /// An intermediate step is missing: `Missing property in path $['a']`.
    MissingProperty(String),
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::NoResults(p) => write!(f, "No results for path: {p}"),
            Miss::MissingProperty(p) => write!(f, "Missing property in path {p}"),
        }
    }
}

/// Jayway's bracket form of a path prefix: `$['a'][0]`.
pub fn bracket_form(steps: &[Step]) -> String {
    let mut out = String::from("$");
    for step in steps {
        match step {
            Step::Field(name) => {
                let _ = write!(out, "['{name}']");
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

fn index_into(items: &[Value], i: i64) -> Option<&Value> {
    let idx = if i < 0 { items.len() as i64 + i } else { i };
    usize::try_from(idx).ok().and_then(|i| items.get(i))
}

/// Reads the value at a definite path.
pub fn get<'v>(value: &'v Value, steps: &[Step]) -> Result<&'v Value, Miss> {
    let mut current = value;
    for (n, step) in steps.iter().enumerate() {
        let next = match (step, current) {
            (Step::Field(name), Value::Object(map)) => map.get(*name),
            (Step::Index(i), Value::Array(items)) => index_into(items, *i),
            _ => None,
        };
        current = match next {
            Some(v) => v,
            None if n + 1 == steps.len() => return Err(Miss::NoResults(bracket_form(steps))),
            None => return Err(Miss::MissingProperty(bracket_form(&steps[..=n]))),
        };
    }
    Ok(current)
}

/// Takes the value at a definite path out of `value` (leaving `null` behind), to move rather than
/// clone when nothing else reads the input.
pub fn take(value: &mut Value, steps: &[Step]) -> Result<Value, Miss> {
    get(value, steps)?;
    let mut current = Some(value);
    for step in steps {
        current = match (step, current) {
            (Step::Field(name), Some(Value::Object(map))) => map.get_mut(*name),
            (Step::Index(i), Some(Value::Array(items))) => {
                let idx = if *i < 0 { items.len() as i64 + i } else { *i };
                usize::try_from(idx).ok().and_then(|i| items.get_mut(i))
            }
            _ => None,
        };
    }
    current.map(std::mem::take).ok_or_else(|| Miss::NoResults(bracket_form(steps)))
}

/// Why a `ResultPath` could not be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CannotSet {
    pub path: String,
}

/// Writes `new` at a reference path inside `target`, creating intervening objects as needed
/// (`ResultPath` semantics). A step through a non-object (or a missing array element) fails with
/// [`CannotSet`], which callers report as `States.ResultPathMatchFailure`.
pub fn set(target: &mut Value, steps: &[Step], new: Value) -> Result<(), CannotSet> {
    let Some((last, init)) = steps.split_last() else {
        *target = new;
        return Ok(());
    };
    let fail = || CannotSet { path: bracket_form(steps) };
    let mut current = target;
    for step in init {
        current = match step {
            Step::Field(name) => {
                if current.is_null() {
                    *current = Value::Object(Map::new());
                }
                let Value::Object(map) = current else { return Err(fail()) };
                map.entry(name.to_string()).or_insert_with(|| Value::Object(Map::new()))
            }
            Step::Index(i) => {
                let Value::Array(items) = current else { return Err(fail()) };
                let len = items.len() as i64;
                let idx = if *i < 0 { len + i } else { *i };
                usize::try_from(idx).ok().and_then(|i| items.get_mut(i)).ok_or_else(fail)?
            }
        };
    }
    match last {
        Step::Field(name) => {
            if current.is_null() {
                *current = Value::Object(Map::new());
            }
            let Value::Object(map) = current else { return Err(fail()) };
            map.insert(name.to_string(), new);
        }
        Step::Index(i) => {
            let Value::Array(items) = current else { return Err(fail()) };
            let len = items.len() as i64;
            let idx = if *i < 0 { len + i } else { *i };
            let slot = usize::try_from(idx).ok().and_then(|i| items.get_mut(i)).ok_or_else(fail)?;
            *slot = new;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_follows_fields_and_indexes() {
        let v = json!({"a": {"b": [10, 20, 30]}});
        assert_eq!(get(&v, &[Step::Field("a"), Step::Field("b"), Step::Index(1)]), Ok(&json!(20)));
        assert_eq!(get(&v, &[Step::Field("a"), Step::Field("b"), Step::Index(-1)]), Ok(&json!(30)));
        assert_eq!(get(&v, &[]), Ok(&v));
    }

    #[test]
    fn misses_use_jayway_wording() {
        let v = json!({"a": 1});
        assert_eq!(get(&v, &[Step::Field("x")]).unwrap_err().to_string(), "No results for path: $['x']");
        assert_eq!(
            get(&v, &[Step::Field("no"), Step::Field("such"), Step::Field("path")]).unwrap_err().to_string(),
            "Missing property in path $['no']"
        );
        assert_eq!(
            get(&v, &[Step::Field("a"), Step::Field("b")]).unwrap_err().to_string(),
            "No results for path: $['a']['b']"
        );
    }

    #[test]
    fn set_creates_intervening_objects() {
        let mut v = json!({"keep": 1});
        set(&mut v, &[Step::Field("x"), Step::Field("y")], json!(2)).unwrap();
        assert_eq!(v, json!({"keep": 1, "x": {"y": 2}}));
        set(&mut v, &[], json!("all")).unwrap();
        assert_eq!(v, json!("all"));
    }

    #[test]
    fn set_into_a_scalar_fails() {
        let mut v = json!("foo");
        assert!(set(&mut v, &[Step::Field("x")], json!(1)).is_err());
        let mut v = json!({"a": [1]});
        assert!(set(&mut v, &[Step::Field("a"), Step::Index(5)], json!(1)).is_err());
    }

    #[test]
    fn take_moves_the_value_out() {
        let mut v = json!({"a": {"big": [1, 2, 3]}});
        assert_eq!(take(&mut v, &[Step::Field("a"), Step::Field("big")]), Ok(json!([1, 2, 3])));
        assert_eq!(v, json!({"a": {"big": null}}));
    }
}
