//! The values the JSONata evaluator works on.
//!
//! jsonata-js works on JavaScript values: JSON data plus functions, with arrays carrying hidden
//! flags (`sequence`, `keepSingleton`, `cons`, `tupleStream`) that drive JSONata's sequence
//! semantics. [`JValue`] mirrors that: numbers are `f64`, strings and containers are shared
//! (`Arc`) so that navigating a document never copies it, arrays carry the same flags, and objects
//! keep JavaScript's property order (array-index keys such as `"1"` first, in ascending order, then
//! the other keys in insertion order). Undefined is not a value: it is `None` wherever an
//! `Option<JValue>` appears.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use super::eval::FnKind;

/// Nesting limit for constructed values (arrays and objects within each other). Deeper values
/// could exhaust the stack when they are compared, printed, converted or dropped.
pub const MAX_VALUE_DEPTH: u32 = 1000;

/// A JSONata value (JSON data, possibly inside a sequence, or a function).
#[derive(Clone, Debug)]
pub enum JValue {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number (JavaScript double; may be NaN or infinite while evaluating).
    Number(f64),
    /// A string.
    String(Arc<str>),
    /// An array or a sequence.
    Array(Arc<JArray>),
    /// An object.
    Object(Arc<JObject>),
    /// A function: built-in, lambda, partial application, regex, transform.
    Function(Arc<Function>),
}

/// An array, with the flags jsonata-js keeps on JavaScript arrays.
#[derive(Clone, Debug, Default)]
pub struct JArray {
    items: Vec<JValue>,
    /// A sequence (a result of navigation) rather than a JSON array: singleton sequences collapse
    /// to their item and empty ones to undefined.
    pub(crate) sequence: bool,
    /// `[]` was applied: a singleton sequence stays an array.
    pub(crate) keep_singleton: bool,
    /// Built by an array constructor inside a path: not flattened into the path's sequence.
    pub(crate) cons: bool,
    /// A stream of binding tuples (objects with an `"@"` key) used by `@`, `#` and `%`.
    pub(crate) tuple_stream: bool,
    /// jsonata-js `outerWrapper`: a top-level input array wrapped in a singleton sequence.
    pub(crate) outer_wrapper: bool,
    depth: u32,
}

/// An object with JavaScript property order.
#[derive(Clone, Debug, Default)]
pub struct JObject {
    entries: Vec<(Arc<str>, JValue)>,
    index: Option<HashMap<Arc<str>, usize>>,
    /// How many leading entries have array-index keys (kept in ascending order).
    int_keys: usize,
    depth: u32,
}

/// A function value (opaque outside the evaluator).
pub struct Function {
    pub(crate) kind: FnKind,
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Function({})", self.kind.describe())
    }
}

/// Objects with more entries than this get a hash index.
const INDEX_THRESHOLD: usize = 12;

/// True for a JavaScript array index (`"0"`, `"17"`; not `"01"` or `"-1"`): such keys come first
/// in a JavaScript object, in ascending numeric order.
fn array_index(key: &str) -> Option<u32> {
    let b = key.as_bytes();
    if b.is_empty() || b.len() > 10 || (b.len() > 1 && b[0] == b'0') || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    key.parse::<u64>().ok().filter(|n| *n < u64::from(u32::MAX)).map(|n| n as u32)
}

/// Puts keys in JavaScript property order: array-index keys first, ascending, then the others
/// in their current (insertion) order.
pub(crate) fn js_key_order(keys: &mut [Arc<str>]) {
    keys.sort_by_key(|k| match array_index(k) {
        Some(n) => (0, n),
        None => (1, 0),
    });
}

impl JObject {
    /// An empty object.
    pub fn new() -> Self {
        JObject::default()
    }

    /// Number of properties.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No properties.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The property `key`.
    pub fn get(&self, key: &str) -> Option<&JValue> {
        self.position(key).and_then(|i| self.entries.get(i)).map(|(_, v)| v)
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(ix) => ix.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| &**k == key),
        }
    }

    /// Properties in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &JValue)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| &**k)
    }

    /// Sets a property like a JavaScript assignment: an existing key keeps its place; a new key
    /// goes after the others (array-index keys before all other keys, in numeric order).
    pub fn insert(&mut self, key: impl Into<Arc<str>> + AsRef<str>, value: JValue) {
        self.depth = self.depth.max(value.depth().saturating_add(1));
        if let Some(i) = self.position(key.as_ref()) {
            if let Some(e) = self.entries.get_mut(i) {
                e.1 = value;
            }
            return;
        }
        let pos = match array_index(key.as_ref()) {
            None => self.entries.len(),
            Some(n) => {
                let prefix = self.entries.get(..self.int_keys).unwrap_or_default();
                let pos = prefix.partition_point(|(k, _)| array_index(k).is_some_and(|m| m < n));
                self.int_keys += 1;
                pos
            }
        };
        let key: Arc<str> = key.into();
        if pos == self.entries.len() {
            if let Some(ix) = &mut self.index {
                ix.insert(key.clone(), pos);
            }
            self.entries.push((key, value));
        } else {
            self.entries.insert(pos, (key, value));
            self.index = None;
        }
        if self.index.is_none() && self.entries.len() > INDEX_THRESHOLD {
            self.reindex();
        }
    }

    /// Removes a property.
    pub fn remove(&mut self, key: &str) -> Option<JValue> {
        let i = self.position(key)?;
        let (_, v) = self.entries.remove(i);
        if i < self.int_keys {
            self.int_keys -= 1;
        }
        self.index = None;
        if self.entries.len() > INDEX_THRESHOLD {
            self.reindex();
        }
        self.depth = self.entries.iter().map(|(_, v)| v.depth().saturating_add(1)).max().unwrap_or(1);
        Some(v)
    }

    fn reindex(&mut self) {
        self.index = Some(self.entries.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect());
    }

    pub(crate) fn depth(&self) -> u32 {
        self.depth.max(1)
    }
}

impl JArray {
    /// A JSON array (not a sequence).
    pub fn new(items: Vec<JValue>) -> Self {
        let depth = items.iter().map(JValue::depth).max().unwrap_or(0).saturating_add(1);
        JArray {
            items,
            sequence: false,
            keep_singleton: false,
            cons: false,
            tuple_stream: false,
            outer_wrapper: false,
            depth,
        }
    }

    /// A sequence.
    pub(crate) fn sequence(items: Vec<JValue>) -> Self {
        JArray { sequence: true, ..JArray::new(items) }
    }

    /// The items.
    pub fn items(&self) -> &[JValue] {
        &self.items
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// No items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether this is a sequence rather than a JSON array.
    pub fn is_sequence(&self) -> bool {
        self.sequence
    }

    pub(crate) fn depth(&self) -> u32 {
        self.depth
    }
}

impl JValue {
    /// A string value.
    pub fn string(s: &str) -> JValue {
        JValue::String(Arc::from(s))
    }

    /// A JSON array value.
    pub fn array(items: Vec<JValue>) -> JValue {
        JValue::Array(Arc::new(JArray::new(items)))
    }

    /// A sequence value.
    pub(crate) fn seq(items: Vec<JValue>) -> JValue {
        JValue::Array(Arc::new(JArray::sequence(items)))
    }

    /// An object value.
    pub fn object(o: JObject) -> JValue {
        JValue::Object(Arc::new(o))
    }

    /// Nesting depth: 0 for scalars and functions.
    pub fn depth(&self) -> u32 {
        match self {
            JValue::Array(a) => a.depth(),
            JValue::Object(o) => o.depth(),
            _ => 0,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&JArray> {
        match self {
            JValue::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            JValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            JValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// True for a function value.
    pub fn is_function(&self) -> bool {
        matches!(self, JValue::Function(_))
    }

    /// Converts JSON data (numbers become doubles, object keys take JavaScript order).
    pub fn from_json(v: &Value) -> JValue {
        match v {
            Value::Null => JValue::Null,
            Value::Bool(b) => JValue::Bool(*b),
            Value::Number(n) => JValue::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => JValue::string(s),
            Value::Array(a) => JValue::array(a.iter().map(JValue::from_json).collect()),
            Value::Object(m) => {
                let mut o = JObject::new();
                for (k, v) in m {
                    o.insert(k.as_str(), JValue::from_json(v));
                }
                JValue::object(o)
            }
        }
    }

    /// JSON for this value the way `JSON.stringify` sees it: functions inside arrays become
    /// `null` and are left out of objects. `None` for a function at the top, `Err` for a
    /// number that is not finite.
    pub(crate) fn to_json_value(&self) -> Result<Option<Value>, f64> {
        Ok(Some(match self {
            JValue::Null => Value::Null,
            JValue::Bool(b) => Value::Bool(*b),
            JValue::Number(n) => number_to_json(*n)?,
            JValue::String(s) => Value::String(s.to_string()),
            JValue::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for item in a.items() {
                    out.push(item.to_json_value()?.unwrap_or(Value::Null));
                }
                Value::Array(out)
            }
            JValue::Object(o) => {
                let mut m = serde_json::Map::new();
                for (k, v) in o.iter() {
                    if let Some(v) = v.to_json_value()? {
                        m.insert(k.to_string(), v);
                    }
                }
                Value::Object(m)
            }
            JValue::Function(_) => return Ok(None),
        }))
    }
}

/// A finite double as JSON: integral values as integers (like `JSON.stringify`), `-0` as `0`.
pub(crate) fn number_to_json(n: f64) -> Result<Value, f64> {
    if !n.is_finite() {
        return Err(n);
    }
    if n == n.trunc() {
        if n.abs() < 9.2e18 {
            return Ok(Value::from(n as i64));
        }
        if n > 0.0 && n < 1.8e19 {
            return Ok(Value::from(n as u64));
        }
    }
    Ok(serde_json::Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null))
}

impl From<&Value> for JValue {
    fn from(v: &Value) -> Self {
        JValue::from_json(v)
    }
}

impl From<f64> for JValue {
    fn from(n: f64) -> Self {
        JValue::Number(n)
    }
}

impl From<bool> for JValue {
    fn from(b: bool) -> Self {
        JValue::Bool(b)
    }
}

impl From<&str> for JValue {
    fn from(s: &str) -> Self {
        JValue::string(s)
    }
}

impl From<String> for JValue {
    fn from(s: String) -> Self {
        JValue::String(Arc::from(s))
    }
}

/// jsonata-js `isDeepEqual`: `===` for scalars and functions (NaN is not equal to itself),
/// structural for arrays (sequences included) and objects (same keys in any order).
pub fn deep_equal(a: &JValue, b: &JValue) -> bool {
    match (a, b) {
        (JValue::Null, JValue::Null) => true,
        (JValue::Bool(x), JValue::Bool(y)) => x == y,
        (JValue::Number(x), JValue::Number(y)) => x == y,
        (JValue::String(x), JValue::String(y)) => x == y,
        (JValue::Function(x), JValue::Function(y)) => same_function(x, y),
        (JValue::Array(x), JValue::Array(y)) => {
            Arc::ptr_eq(x, y) || (x.len() == y.len() && x.items().iter().zip(y.items()).all(|(p, q)| deep_equal(p, q)))
        }
        (JValue::Object(x), JValue::Object(y)) => {
            Arc::ptr_eq(x, y)
                || (x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w))))
        }
        _ => false,
    }
}

/// JavaScript `===`: values for scalars, identity for arrays, objects and functions.
pub(crate) fn strict_equal(a: &JValue, b: &JValue) -> bool {
    match (a, b) {
        (JValue::Array(x), JValue::Array(y)) => Arc::ptr_eq(x, y),
        (JValue::Object(x), JValue::Object(y)) => Arc::ptr_eq(x, y),
        _ => deep_equal(a, b),
    }
}

fn same_function(x: &Arc<Function>, y: &Arc<Function>) -> bool {
    if Arc::ptr_eq(x, y) {
        return true;
    }
    match (&x.kind, &y.kind) {
        (FnKind::Builtin(a), FnKind::Builtin(b)) => std::ptr::eq(*a, *b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn javascript_key_order() {
        let v = JValue::from_json(&json!({"b": 1, "2": 2, "a": 3, "1": 4, "01": 5}));
        let JValue::Object(o) = &v else { panic!("object expected") };
        assert_eq!(o.keys().collect::<Vec<_>>(), vec!["1", "2", "b", "a", "01"]);
        let back = v.to_json_value().unwrap().unwrap();
        assert_eq!(back.to_string(), r#"{"1":4,"2":2,"b":1,"a":3,"01":5}"#);
    }

    #[test]
    fn array_index_keys_stay_sorted() {
        let mut o = JObject::new();
        for k in ["x", "30", "4", "y", "100", "0", "4294967295", "7"] {
            o.insert(k, JValue::Null);
        }
        assert_eq!(o.keys().collect::<Vec<_>>(), vec!["0", "4", "7", "30", "100", "x", "y", "4294967295"]);
        o.remove("4");
        o.insert("5", JValue::Null);
        assert_eq!(o.keys().collect::<Vec<_>>(), vec!["0", "5", "7", "30", "100", "x", "y", "4294967295"]);
    }

    #[test]
    fn index_and_removal() {
        let mut o = JObject::new();
        for i in 0..40 {
            o.insert(format!("k{i}"), JValue::Number(f64::from(i)));
        }
        assert_eq!(o.get("k17").and_then(JValue::as_f64), Some(17.0));
        o.remove("k3");
        assert_eq!(o.get("k17").and_then(JValue::as_f64), Some(17.0));
        assert!(o.get("k3").is_none());
        o.insert("k17", JValue::Null);
        assert_eq!(o.len(), 39);
        assert_eq!(o.keys().nth(16), Some("k17"));
    }

    #[test]
    fn integral_numbers_become_integers() {
        assert_eq!(number_to_json(3.0).unwrap().to_string(), "3");
        assert_eq!(number_to_json(-0.0).unwrap().to_string(), "0");
        assert_eq!(number_to_json(1.5).unwrap().to_string(), "1.5");
        assert!(number_to_json(f64::INFINITY).is_err());
    }
}
