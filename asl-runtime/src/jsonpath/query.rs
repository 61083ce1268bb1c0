//! Evaluating a parsed [`Path`]: Jayway JsonPath semantics as AWS Step Functions applies them.
//!
//! Summary (details on each item below and in the tests):
//! - A *definite* path ([`Path::is_definite`]: fields, single indexes, a trailing function) gives
//!   one value ([`Found::One`]) or a [`QueryError`] worded like Jayway's `PathNotFoundException`:
//!   `No results for path: $['a']['b']` when the last step is missing, `Missing property in path
//!   $['a']` (the prefix up to the missing step) when an earlier one is. A missing step includes a
//!   field of a non-object, an index into a non-array or an index out of range; this matches the
//!   compiled fast path in [`crate::path`]. `$.a[0]` is definite, so it gives the element itself
//!   (the "AWS unwraps literal singleton array accesses" quirk). Negative indexes count from the end.
//! - An *indefinite* path (wildcard, slice, union, descendant `..`, filter) gives every match in
//!   document order ([`Found::Many`]), possibly none, and never fails on missing data.
//! - `..x` walks like Jayway's `ScanPathToken`: pre-order, a node before its children, object
//!   members in insertion order (serde_json's `preserve_order` is on in this workspace).
//! - Filters apply to each element of an array, and to an object itself (`$.o[?(@.x)]` yields `o`
//!   when it has `x`), following Jayway's `PredicatePathToken`.
//! - Functions at the end of a path (`length()`, `sum()`, ...) apply to the node they follow; after
//!   an indefinite prefix they apply to each match, except when the path starts with `..`: then,
//!   like Jayway, the function applies to the whole list of matches (`$..price.sum()`), and for
//!   `length()` counts the children of all matches (`$..book.length()` = number of books).
//!
//! Roots: `$` is [`Env::input`], `$$` is [`Env::context`], `$name` looks the variable up with
//! [`Env::variables`]. A path is evaluated against its root value as Jayway would evaluate the
//! same path with a leading `$`, so error texts always start with `$` (`$$.Execution.x` misses
//! with `No results for path: $['Execution']['x']`). Inside a filter, `$...` also means
//! [`Env::input`].

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use serde_json::{Number, Value};

use super::regex::Regex;
use super::{CompareOp, FilterExpr, Operand, Path, Root, Segment, UnionMember};

/// What a path is evaluated against.
#[derive(Clone, Copy)]
pub struct Env<'v> {
    /// The value of `$`: the state input, payload-template input, etc.
    pub input: &'v Value,
    /// The value of `$$`: the Context Object, if one is available.
    pub context: Option<&'v Value>,
    /// Looks up `$name`: the current value of a state-machine variable, `None` when unassigned.
    pub variables: &'v dyn Fn(&str) -> Option<&'v Value>,
}

fn no_variables<'v>(_: &str) -> Option<&'v Value> {
    None
}

impl<'v> Env<'v> {
    /// `$` only: no Context Object and no variables.
    pub fn new(input: &'v Value) -> Env<'v> {
        Env { input, context: None, variables: &no_variables }
    }

    /// The same environment with `$$` bound to `context`.
    pub fn with_context(self, context: &'v Value) -> Env<'v> {
        Env { context: Some(context), ..self }
    }

    /// The same environment with `$name` resolved by `variables`.
    pub fn with_variables(self, variables: &'v dyn Fn(&str) -> Option<&'v Value>) -> Env<'v> {
        Env { variables, ..self }
    }
}

impl fmt::Debug for Env<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env").field("input", self.input).field("context", &self.context).finish_non_exhaustive()
    }
}

/// The result of [`Path::query`]. Values are borrowed from the environment where possible;
/// function results (`length()`, ...) are owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Found<'v> {
    /// A definite path's single value (also a function applied to a `..` path).
    One(Cow<'v, Value>),
    /// An indefinite path's matches in document order; AWS presents them as a JSON array.
    Many(Vec<Cow<'v, Value>>),
}

impl Found<'_> {
    /// The result as one JSON value: the value itself, or an array of the matches.
    pub fn to_value(&self) -> Value {
        match self {
            Found::One(v) => v.as_ref().clone(),
            Found::Many(items) => Value::Array(items.iter().map(|v| v.as_ref().clone()).collect()),
        }
    }

    /// Like [`Found::to_value`], without cloning values that are already owned.
    pub fn into_value(self) -> Value {
        match self {
            Found::One(v) => v.into_owned(),
            Found::Many(items) => Value::Array(items.into_iter().map(Cow::into_owned).collect()),
        }
    }
}

/// Why a query failed. The [`fmt::Display`] text is what AWS puts after `Invalid path '<path>' : `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// The last step of a definite path is missing: `No results for path: $['a']['b']`.
    NoResults {
        /// The whole path in Jayway's bracket form.
        path: String,
    },
    /// An intermediate step of a definite path is missing: `Missing property in path $['a']`.
    MissingProperty {
        /// The path up to and including the missing step, in bracket form.
        path: String,
    },
    /// A `$$` path was evaluated without a Context Object.
    NoContext,
    /// A `$name` path referenced a variable that has no value.
    UndefinedVariable {
        /// The variable name, without `$`.
        name: String,
    },
    /// A path function failed (Jayway's wording, e.g. an aggregation over no numbers).
    Function {
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::NoResults { path } => write!(f, "No results for path: {path}"),
            QueryError::MissingProperty { path } => write!(f, "Missing property in path {path}"),
            QueryError::NoContext => f.write_str("No Context Object is available to evaluate a '$$' path"),
            QueryError::UndefinedVariable { name } => write!(f, "The variable '${name}' is not defined"),
            QueryError::Function { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for QueryError {}

/// Parses a path that was already validated when the state machine was compiled, for use in
/// generated code. Never panics: should `text` not parse after all, the result is the path
/// `$[?(false)]`, which matches nothing, so querying it yields an empty [`Found::Many`].
pub fn compile_static(text: &str) -> Path {
    Path::parse(text).unwrap_or_else(|_| Path {
        root: Root::Input,
        segments: vec![Segment::Filter(FilterExpr::Exists(Operand::Bool(false)))],
    })
}

impl Path {
    /// Evaluates the path against `env` (`$` → input, `$$` → context, `$name` → variable).
    ///
    /// Definite paths give [`Found::One`] or fail with [`QueryError::NoResults`] /
    /// [`QueryError::MissingProperty`]; indefinite paths give [`Found::Many`] and fail only when a
    /// path function does, or when the root (`$$`, `$name`) is unavailable.
    pub fn query<'v>(&self, env: &Env<'v>) -> Result<Found<'v>, QueryError> {
        let eval = Eval { env };
        let start = eval.root(&self.root)?;
        if let Some((name, args, prefix)) = inverted_function(&self.segments) {
            return match eval.inverted(start, name, args, prefix, LENIENT) {
                Ok(v) => Ok(Found::One(Cow::Owned(v))),
                Err(Stop::Fail(e)) => Err(e),
                Err(Stop::Miss) => Err(QueryError::NoResults { path: bracket_form(&self.segments, true) }),
            };
        }
        if self.is_definite() {
            return eval.definite(start, &self.segments).map(Found::One);
        }
        let mut out = Vec::new();
        match eval.walk(start, &self.segments, true, LENIENT, &mut out) {
            // A lenient walk never reports a miss; should it, "no matches" is the lenient reading.
            Ok(()) | Err(Stop::Miss) => Ok(Found::Many(out)),
            Err(Stop::Fail(e)) => Err(e),
        }
    }

    /// [`Path::query`] with the result as one JSON value ([`Found::into_value`]).
    pub fn query_value(&self, env: &Env<'_>) -> Result<Value, QueryError> {
        self.query(env).map(Found::into_value)
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/// How misses are treated while walking (Jayway's options).
#[derive(Debug, Clone, Copy)]
struct Mode {
    /// Jayway's default: a miss where every earlier step was definite aborts the evaluation.
    strict: bool,
    /// Jayway's `REQUIRE_PROPERTIES`: any missing object member aborts (filter existence tests).
    require: bool,
}

/// Top-level indefinite paths: never abort on missing data.
const LENIENT: Mode = Mode { strict: false, require: false };
/// Paths inside filters: as Jayway evaluates them; an abort makes the operand undefined.
const FILTER: Mode = Mode { strict: true, require: false };
/// Existence tests `[?(@.x)]`: an abort means "does not exist".
const EXISTS: Mode = Mode { strict: true, require: true };

/// Why a walk stopped early.
enum Stop {
    /// Jayway's `PathNotFoundException` / `InvalidPathException`.
    Miss,
    /// A function failed.
    Fail(QueryError),
}

/// An operand of a filter comparison, after evaluation.
enum Val<'n> {
    /// A path that found nothing (Jayway's `UndefinedNode`).
    Undefined,
    /// A JSON value: a literal or what a path found (an indefinite path gives an array).
    Json(Cow<'n, Value>),
    /// A regular expression literal; `None` when it does not compile (it then never matches).
    Regex(Option<Regex>),
}

struct Eval<'e, 'v> {
    env: &'e Env<'v>,
}

fn index_into(items: &[Value], i: i64) -> Option<&Value> {
    let idx = if i < 0 { i64::try_from(items.len()).ok()?.checked_add(i)? } else { i };
    usize::try_from(idx).ok().and_then(|i| items.get(i))
}

/// Jayway's bracket form of a definite path: `$['a'][0]`. `escape` applies Jayway's escaping of
/// `\` and `'` (used for `No results for path`, not for `Missing property in path`).
fn bracket_form(segments: &[Segment], escape: bool) -> String {
    let mut out = String::from("$");
    for segment in segments {
        match segment {
            Segment::Field(name) => {
                out.push_str("['");
                if escape {
                    for c in name.chars() {
                        if c == '\\' || c == '\'' {
                            out.push('\\');
                        }
                        out.push(c);
                    }
                } else {
                    out.push_str(name);
                }
                out.push_str("']");
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    out
}

fn segments_definite(segments: &[Segment]) -> bool {
    segments.iter().all(|s| matches!(s, Segment::Field(_) | Segment::Index(_) | Segment::Function { .. }))
}

/// `..x.fn()`: Jayway turns a path that starts with a scan and ends with a function into the
/// function applied to the scan's matches. Returns the function and the path before it.
fn inverted_function(segments: &[Segment]) -> Option<(&str, &[Operand], &[Segment])> {
    match segments.split_last() {
        Some((Segment::Function { name, args }, prefix)) if matches!(prefix.first(), Some(Segment::Descendant(_))) => {
            Some((name.as_str(), args.as_slice(), prefix))
        }
        _ => None,
    }
}

/// Indexes selected by a slice. Without a step this is exactly Jayway's `ArraySliceToken`:
/// `[from:]` and `[:to]` count negative bounds from the end; `[from:to]` clamps `to` to the
/// length and then visits `from..to`, each index read like a single index (so `[-2:-1]` is the
/// next-to-last element, but `[1:-1]` is empty because `to` is not normalised). With a step
/// (not Jayway syntax) Python's slice semantics apply.
fn slice_indices(len: usize, start: Option<i64>, end: Option<i64>, step: Option<i64>) -> Vec<usize> {
    let n = i64::try_from(len).unwrap_or(i64::MAX);
    let normalise = |i: i64| if i < 0 { n.saturating_add(i) } else { i };
    let to_usize = |i: i64| usize::try_from(i).ok().filter(|&i| i < len);
    if let Some(step) = step {
        return python_slice(n, start, end, step).into_iter().filter_map(to_usize).collect();
    }
    match (start, end) {
        (Some(from), None) => {
            let from = normalise(from).max(0);
            (from..n).filter_map(to_usize).collect()
        }
        (None, Some(to)) => {
            let to = normalise(to).min(n);
            (0..to).filter_map(to_usize).collect()
        }
        (Some(from), Some(to)) => {
            let to = to.min(n);
            if from >= to || n == 0 {
                return Vec::new();
            }
            // Indexes below -len read nothing; skip them without iterating.
            (from.max(-n)..to).filter_map(|i| to_usize(normalise(i))).collect()
        }
        (None, None) => (0..len).collect(),
    }
}

fn python_slice(n: i64, start: Option<i64>, end: Option<i64>, step: i64) -> Vec<i64> {
    let mut out = Vec::new();
    if step > 0 {
        let bound = |i: i64| if i < 0 { n.saturating_add(i).max(0) } else { i.min(n) };
        let (mut i, stop) = (start.map_or(0, bound), end.map_or(n, bound));
        while i < stop {
            out.push(i);
            i = i.saturating_add(step);
        }
    } else if step < 0 {
        let bound = |i: i64| if i < 0 { n.saturating_add(i).max(-1) } else { i.min(n - 1) };
        let (mut i, stop) = (start.map_or(n - 1, bound), end.map_or(-1, bound));
        while i > stop {
            out.push(i);
            i = i.saturating_add(step);
        }
    }
    out
}

impl<'v> Eval<'_, 'v> {
    fn root(&self, root: &Root) -> Result<&'v Value, QueryError> {
        match root {
            Root::Input => Ok(self.env.input),
            Root::Context => self.env.context.ok_or(QueryError::NoContext),
            Root::Variable(name) => {
                (self.env.variables)(name).ok_or_else(|| QueryError::UndefinedVariable { name: name.clone() })
            }
        }
    }

    /// A definite path, with the wording of [`crate::path::get`] for misses.
    fn definite(&self, start: &'v Value, segments: &[Segment]) -> Result<Cow<'v, Value>, QueryError> {
        let (steps, function) = match segments.split_last() {
            Some((Segment::Function { name, args }, init)) => (init, Some((name, args))),
            _ => (segments, None),
        };
        let mut current = start;
        for (n, step) in steps.iter().enumerate() {
            let next = match (step, current) {
                (Segment::Field(name), Value::Object(map)) => map.get(name),
                (Segment::Index(i), Value::Array(items)) => index_into(items, *i),
                _ => None,
            };
            current = match next {
                Some(v) => v,
                None if n + 1 == segments.len() => {
                    return Err(QueryError::NoResults { path: bracket_form(segments, true) });
                }
                None => {
                    return Err(QueryError::MissingProperty { path: bracket_form(&steps[..=n], false) });
                }
            };
        }
        match function {
            None => Ok(Cow::Borrowed(current)),
            Some((name, args)) => self.function(name, args, current).map(Cow::Owned),
        }
    }

    /// Applies `segments` to `node`; `upstream` tells whether every earlier step was definite.
    fn walk<'n>(
        &self,
        node: &'n Value,
        segments: &[Segment],
        upstream: bool,
        mode: Mode,
        out: &mut Vec<Cow<'n, Value>>,
    ) -> Result<(), Stop>
    where
        'v: 'n,
    {
        match segments.split_first() {
            None => {
                out.push(Cow::Borrowed(node));
                Ok(())
            }
            Some((segment, rest)) => self.step(node, segment, rest, upstream, mode, out),
        }
    }

    fn step<'n>(
        &self,
        node: &'n Value,
        segment: &Segment,
        rest: &[Segment],
        upstream: bool,
        mode: Mode,
        out: &mut Vec<Cow<'n, Value>>,
    ) -> Result<(), Stop>
    where
        'v: 'n,
    {
        // Jayway throws where every step so far was definite, and skips silently elsewhere.
        let strict = mode.strict && upstream;
        let miss = || if strict { Err(Stop::Miss) } else { Ok(()) };
        let definite_next = upstream && matches!(segment, Segment::Field(_) | Segment::Index(_));
        match segment {
            Segment::Field(name) => {
                let Value::Object(map) = node else { return miss() };
                match map.get(name) {
                    Some(v) => self.walk(v, rest, definite_next, mode, out),
                    None if rest.is_empty() => {
                        if mode.require {
                            Err(Stop::Miss)
                        } else {
                            Ok(())
                        }
                    }
                    None if mode.require => Err(Stop::Miss),
                    None => miss(),
                }
            }
            Segment::Index(i) => match node {
                Value::Array(items) => match index_into(items, *i) {
                    Some(v) => self.walk(v, rest, definite_next, mode, out),
                    None => Ok(()),
                },
                _ => miss(),
            },
            Segment::Wildcard => {
                match node {
                    Value::Object(map) => map.values().try_for_each(|v| self.walk(v, rest, false, mode, out))?,
                    Value::Array(items) => items.iter().try_for_each(|v| self.walk(v, rest, false, mode, out))?,
                    _ => {}
                }
                Ok(())
            }
            Segment::Slice { start, end, step } => match node {
                Value::Array(items) => slice_indices(items.len(), *start, *end, *step)
                    .into_iter()
                    .filter_map(|i| items.get(i))
                    .try_for_each(|v| self.walk(v, rest, false, mode, out)),
                _ => miss(),
            },
            Segment::Union(members) => {
                for member in members {
                    match (member, node) {
                        (UnionMember::Field(name), Value::Object(map)) => match map.get(name) {
                            Some(v) => self.walk(v, rest, false, mode, out)?,
                            None if mode.require => return Err(Stop::Miss),
                            None => {}
                        },
                        (UnionMember::Index(i), Value::Array(items)) => {
                            if let Some(v) = index_into(items, *i) {
                                self.walk(v, rest, false, mode, out)?;
                            }
                        }
                        _ => miss()?,
                    }
                }
                Ok(())
            }
            Segment::Descendant(target) => self.scan(node, target, rest, mode, out),
            Segment::Filter(expr) => match node {
                Value::Object(_) => {
                    if self.accept(expr, node) {
                        self.walk(node, rest, false, mode, out)
                    } else {
                        Ok(())
                    }
                }
                Value::Array(items) => items
                    .iter()
                    .filter(|item| self.accept(expr, item))
                    .try_for_each(|item| self.walk(item, rest, false, mode, out)),
                _ => miss(),
            },
            Segment::Function { name, args } => {
                let value = self.function(name, args, node).map_err(Stop::Fail)?;
                if rest.is_empty() {
                    out.push(Cow::Owned(value));
                    return Ok(());
                }
                // The parser only allows a function last; handle the general case anyway.
                let mut inner = Vec::new();
                self.walk(&value, rest, upstream, mode, &mut inner)?;
                out.extend(inner.into_iter().map(|v| Cow::Owned(v.into_owned())));
                Ok(())
            }
        }
    }

    /// `..target rest`: Jayway's `ScanPathToken.walk`. At each container, pre-order, when the
    /// container can take `target` (see [`Eval::scan_matches`]) the rest of the path is applied
    /// to it; then its children are scanned in order. Like Jayway, when `target` is not the last
    /// step and the container is an array, the steps *after* `target` are applied to each element
    /// (so `$..[0].x` reads `x` of every element, a known Jayway quirk).
    fn scan<'n>(
        &self,
        node: &'n Value,
        target: &Segment,
        rest: &[Segment],
        mode: Mode,
        out: &mut Vec<Cow<'n, Value>>,
    ) -> Result<(), Stop>
    where
        'v: 'n,
    {
        match node {
            Value::Object(map) => {
                if self.scan_matches(target, node, rest.is_empty(), mode) {
                    self.step(node, target, rest, false, mode, out)?;
                }
                map.values().try_for_each(|v| self.scan(v, target, rest, mode, out))
            }
            Value::Array(items) => {
                if self.scan_matches(target, node, rest.is_empty(), mode) {
                    if rest.is_empty() {
                        self.step(node, target, rest, false, mode, out)?;
                    } else {
                        items.iter().try_for_each(|v| self.walk(v, rest, false, mode, out))?;
                    }
                }
                items.iter().try_for_each(|v| self.scan(v, target, rest, mode, out))
            }
            _ => Ok(()),
        }
    }

    /// Jayway's scan predicates: which containers a `..` step is tried on.
    fn scan_matches(&self, target: &Segment, node: &Value, leaf: bool, mode: Mode) -> bool {
        let all_fields = |members: &[UnionMember]| members.iter().all(|m| matches!(m, UnionMember::Field(_)));
        let all_indexes = |members: &[UnionMember]| members.iter().all(|m| matches!(m, UnionMember::Index(_)));
        match target {
            Segment::Field(name) => matches!(node, Value::Object(map) if mode.require || map.contains_key(name)),
            Segment::Union(members) if all_fields(members) => match node {
                Value::Object(map) => {
                    mode.require
                        || !leaf
                        || members.iter().all(|m| matches!(m, UnionMember::Field(n) if map.contains_key(n)))
                }
                _ => false,
            },
            Segment::Union(members) if all_indexes(members) => node.is_array(),
            Segment::Index(_) | Segment::Slice { .. } => node.is_array(),
            Segment::Wildcard | Segment::Union(_) => true,
            Segment::Filter(expr) => self.accept(expr, node),
            Segment::Descendant(_) | Segment::Function { .. } => false,
        }
    }

    /// Evaluates a whole (sub-)path from `start`: the matches and whether the path is definite.
    fn eval_path<'n>(
        &self,
        start: &'n Value,
        segments: &[Segment],
        mode: Mode,
    ) -> Result<(Vec<Cow<'n, Value>>, bool), Stop>
    where
        'v: 'n,
    {
        if let Some((name, args, prefix)) = inverted_function(segments) {
            return Ok((vec![Cow::Owned(self.inverted(start, name, args, prefix, mode)?)], true));
        }
        let mut out = Vec::new();
        self.walk(start, segments, true, mode, &mut out)?;
        Ok((out, segments_definite(segments)))
    }

    /// `..x.fn()`: the function applied to the list of matches of `..x`.
    fn inverted(
        &self,
        start: &Value,
        name: &str,
        args: &[Operand],
        prefix: &[Segment],
        mode: Mode,
    ) -> Result<Value, Stop> {
        let mut matches = Vec::new();
        self.walk(start, prefix, true, mode, &mut matches)?;
        if name == "length" || name == "size" {
            // Jayway evaluates `length($..x.*)`: the number of children of all matches.
            let count: usize = matches
                .iter()
                .map(|m| match m.as_ref() {
                    Value::Array(items) => items.len(),
                    Value::Object(map) => map.len(),
                    _ => 0,
                })
                .sum();
            return Ok(Value::from(count));
        }
        let list = Value::Array(matches.into_iter().map(Cow::into_owned).collect());
        self.function(name, args, &list).map_err(Stop::Fail)
    }

    // --- filters -------------------------------------------------------------------------------

    fn accept(&self, expr: &FilterExpr, item: &Value) -> bool {
        match expr {
            FilterExpr::Or(a, b) => self.accept(a, item) || self.accept(b, item),
            FilterExpr::And(a, b) => self.accept(a, item) && self.accept(b, item),
            FilterExpr::Not(inner) => !self.accept(inner, item),
            FilterExpr::Exists(operand) => self.exists(operand, item),
            FilterExpr::Compare { left, op, right } => {
                let left = self.operand(left, item);
                let right = self.operand(right, item);
                compare(*op, &left, &right)
            }
        }
    }

    /// `[?(@.x)]`: evaluated with Jayway's `REQUIRE_PROPERTIES`; a definite path must find a value
    /// (`null` counts), an indefinite one must not stumble over a missing member. A lone literal
    /// (not Jayway syntax) is its truth value: `true`, or anything but `false` and `null`.
    fn exists(&self, operand: &Operand, item: &Value) -> bool {
        let (start, segments) = match operand {
            Operand::Current(segments) => (item, segments.as_slice()),
            Operand::Path(path) => match self.root(&path.root) {
                Ok(start) => (start, path.segments.as_slice()),
                Err(_) => return false,
            },
            Operand::Bool(b) => return *b,
            Operand::Null => return false,
            _ => return true,
        };
        match self.eval_path(start, segments, EXISTS) {
            Ok((found, definite)) => !definite || !found.is_empty(),
            Err(_) => false,
        }
    }

    fn operand<'n>(&self, operand: &Operand, item: &'n Value) -> Val<'n>
    where
        'v: 'n,
    {
        let json = |v: Value| Val::Json(Cow::Owned(v));
        match operand {
            Operand::Current(segments) => self.path_value(item, segments),
            Operand::Path(path) => match self.root(&path.root) {
                Ok(start) => self.path_value(start, &path.segments),
                Err(_) => Val::Undefined,
            },
            Operand::Number(raw) => raw.parse::<Number>().map_or(Val::Undefined, |n| json(Value::Number(n))),
            Operand::String(s) => json(Value::String(s.clone())),
            Operand::Bool(b) => json(Value::Bool(*b)),
            Operand::Null => json(Value::Null),
            Operand::Regex { pattern, flags } => Val::Regex(Regex::new(pattern, flags).ok()),
            Operand::Array(items) => json(Value::Array(
                items
                    .iter()
                    .filter_map(|o| match self.operand(o, item) {
                        Val::Json(v) => Some(v.into_owned()),
                        Val::Undefined | Val::Regex(_) => None,
                    })
                    .collect(),
            )),
        }
    }

    /// A path operand: a definite path's value (undefined when missing), or an indefinite path's
    /// matches as an array.
    fn path_value<'n>(&self, start: &'n Value, segments: &[Segment]) -> Val<'n>
    where
        'v: 'n,
    {
        match self.eval_path(start, segments, FILTER) {
            Err(_) => Val::Undefined,
            Ok((found, true)) => found.into_iter().next().map_or(Val::Undefined, Val::Json),
            Ok((found, false)) => Val::Json(Cow::Owned(Value::Array(found.into_iter().map(Cow::into_owned).collect()))),
        }
    }

    // --- functions -----------------------------------------------------------------------------

    /// Jayway's path functions applied to `model`.
    fn function(&self, name: &str, args: &[Operand], model: &Value) -> Result<Value, QueryError> {
        let fail = |message: String| Err(QueryError::Function { message });
        let args: Vec<Value> = args
            .iter()
            .filter_map(|a| match self.operand(a, model) {
                Val::Json(v) => Some(v.into_owned()),
                Val::Undefined | Val::Regex(_) => None,
            })
            .collect();
        match name {
            "length" | "size" => Ok(match model {
                Value::Array(items) => Value::from(items.len()),
                Value::Object(map) => Value::from(map.len()),
                _ => Value::Null,
            }),
            "min" | "max" | "avg" | "sum" | "stddev" => {
                let mut numbers = Vec::new();
                for value in std::iter::once(model).filter(|m| m.is_array()).chain(args.iter()) {
                    match value {
                        Value::Number(n) => numbers.extend(n.as_f64()),
                        Value::Array(items) => numbers.extend(items.iter().filter_map(Value::as_f64)),
                        _ => {}
                    }
                }
                aggregate(name, &numbers)
            }
            "keys" => Ok(match model {
                Value::Object(map) => Value::Array(map.keys().cloned().map(Value::String).collect()),
                _ => Value::Null,
            }),
            "first" => sequence(model, 0),
            "last" => sequence(model, -1),
            "index" => match args.iter().find_map(Value::as_f64) {
                // Java's `Number.intValue()`: truncation.
                Some(n) => sequence(model, n as i64),
                None => fail("Index 0 out of bounds for length 0".into()),
            },
            "concat" => {
                let mut text = String::new();
                if let Value::Array(items) = model {
                    items.iter().filter_map(Value::as_str).for_each(|s| text.push_str(s));
                }
                for arg in &args {
                    match arg {
                        Value::String(s) => text.push_str(s),
                        Value::Null => {}
                        other => text.push_str(&other.to_string()),
                    }
                }
                Ok(Value::String(text))
            }
            "append" => Ok(match model {
                Value::Array(items) => Value::Array(items.iter().cloned().chain(args).collect()),
                other => other.clone(),
            }),
            other => fail(format!("Function with name: {other} does not exist.")),
        }
    }
}

/// Jayway's numeric aggregations; results are doubles (`6.0`), as Jayway returns `Double`.
fn aggregate(name: &str, numbers: &[f64]) -> Result<Value, QueryError> {
    if numbers.is_empty() {
        return Err(QueryError::Function {
            message: "Aggregation function attempted to calculate value using empty array".into(),
        });
    }
    let count = numbers.len() as f64;
    let sum: f64 = numbers.iter().sum();
    let result = match name {
        "min" => numbers.iter().copied().fold(f64::MAX, f64::min),
        "max" => numbers.iter().copied().fold(-f64::MAX, f64::max),
        "avg" => sum / count,
        "stddev" => {
            let sum_sq: f64 = numbers.iter().map(|n| n * n).sum();
            (sum_sq / count - sum * sum / count / count).sqrt()
        }
        _ => sum,
    };
    Ok(Number::from_f64(result).map_or(Value::Null, Value::Number))
}

/// Jayway's `first()`, `last()`, `index(n)` (negative counts from the end).
fn sequence(model: &Value, target: i64) -> Result<Value, QueryError> {
    let fail = |message: String| Err(QueryError::Function { message });
    let Value::Array(items) = model else {
        return fail("Aggregation function attempted to calculate value using empty array".into());
    };
    match index_into(items, target) {
        Some(v) => Ok(v.clone()),
        None if target >= 0 => fail(format!("Index {target} out of bounds for length {}", items.len())),
        None => fail(format!("Target index:{target} larger than object count:{}", items.len())),
    }
}

// --- comparisons ---------------------------------------------------------------------------------

fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    let exact = |n: &Number| n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    if let (Some(x), Some(y)) = (exact(a), exact(b)) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Equality of two JSON values in a filter: numbers by value (`1 == 1.0`), strings, booleans and
/// `null` by value, arrays and objects structurally; different types are never equal.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y) == Some(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        (Value::Array(_) | Value::Object(_), Value::Array(_) | Value::Object(_)) => a == b,
        _ => false,
    }
}

fn val_eq(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a, b) {
        (Val::Json(x), Val::Json(y)) => json_eq(x, y),
        _ => false,
    }
}

/// Order of numbers (by value) and strings (by UTF-16 code units, as Java compares); anything
/// else is unordered.
fn val_cmp(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Json(x), Val::Json(y)) => match (x.as_ref(), y.as_ref()) {
            (Value::Number(x), Value::Number(y)) => num_cmp(x, y),
            (Value::String(x), Value::String(y)) => Some(x.encode_utf16().cmp(y.encode_utf16())),
            _ => None,
        },
        _ => None,
    }
}

/// The elements of an array operand; `None` for anything else.
fn list<'a>(v: &'a Val<'_>) -> Option<&'a [Value]> {
    match v {
        Val::Json(j) => j.as_array().map(Vec::as_slice),
        _ => None,
    }
}

fn contains(items: &[Value], v: &Val<'_>) -> bool {
    match v {
        Val::Json(x) => items.iter().any(|item| json_eq(x, item)),
        _ => false,
    }
}

/// The text Jayway matches a regular expression against: strings, numbers and booleans as
/// text, anything else (including a missing value) as the empty string.
fn regex_input(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn regex_matches(re: &Regex, subject: &Val<'_>) -> bool {
    match subject {
        Val::Json(v) => match v.as_ref() {
            Value::Array(items) => items.iter().any(|item| re.is_full_match(&regex_input(item))),
            other => re.is_full_match(&regex_input(other)),
        },
        Val::Undefined => re.is_full_match(""),
        Val::Regex(_) => false,
    }
}

/// Jayway's relational operators (`EvaluatorFactory`), with comparisons between different types
/// false (`!=` is the negation of `==`, so it is true for them).
fn compare(op: CompareOp, left: &Val<'_>, right: &Val<'_>) -> bool {
    match op {
        CompareOp::Eq => val_eq(left, right),
        CompareOp::Ne => !val_eq(left, right),
        CompareOp::Lt => val_cmp(left, right) == Some(Ordering::Less),
        CompareOp::Le => matches!(val_cmp(left, right), Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => val_cmp(left, right) == Some(Ordering::Greater),
        CompareOp::Ge => matches!(val_cmp(left, right), Some(Ordering::Greater | Ordering::Equal)),
        CompareOp::Matches => match (left, right) {
            (Val::Regex(re), subject) | (subject, Val::Regex(re)) if !matches!(subject, Val::Regex(_)) => {
                re.as_ref().is_some_and(|re| regex_matches(re, subject))
            }
            _ => false,
        },
        CompareOp::In => list(right).is_some_and(|items| contains(items, left)),
        // Jayway: `nin` is `!in` when the right side is an array or object, false otherwise.
        CompareOp::Nin => match right {
            Val::Json(v) if v.is_array() || v.is_object() => !list(right).is_some_and(|items| contains(items, left)),
            _ => false,
        },
        CompareOp::SubsetOf => match (list(left), list(right)) {
            (Some(l), Some(r)) => l.iter().all(|x| r.iter().any(|y| json_eq(x, y))),
            _ => false,
        },
        CompareOp::AnyOf => match (list(left), list(right)) {
            (Some(l), Some(r)) => l.iter().any(|x| r.iter().any(|y| json_eq(x, y))),
            _ => false,
        },
        CompareOp::NoneOf => match (list(left), list(right)) {
            (Some(l), Some(r)) => !l.iter().any(|x| r.iter().any(|y| json_eq(x, y))),
            _ => false,
        },
        CompareOp::Size => {
            let Val::Json(size) = right else { return false };
            // Java's `BigDecimal.intValue()`: truncation.
            let Some(expected) = size.as_f64().map(|n| n as i64) else { return false };
            match left {
                Val::Json(v) => match v.as_ref() {
                    Value::String(s) => s.encode_utf16().count() as i64 == expected,
                    Value::Array(items) => items.len() as i64 == expected,
                    // Jayway's JsonNode.length() is -1 for anything but an array.
                    Value::Object(_) => expected == -1,
                    _ => false,
                },
                _ => false,
            }
        }
        CompareOp::Empty => {
            let Val::Json(flag) = right else { return false };
            let Some(expected) = flag.as_bool() else { return false };
            match left {
                Val::Json(v) => match v.as_ref() {
                    Value::String(s) => s.is_empty() == expected,
                    Value::Array(items) => items.is_empty() == expected,
                    Value::Object(map) => map.is_empty() == expected,
                    _ => false,
                },
                _ => false,
            }
        }
        CompareOp::Contains => match (left, right) {
            (Val::Json(l), Val::Json(r)) => match (l.as_ref(), r.as_ref()) {
                (Value::String(haystack), Value::String(needle)) => haystack.contains(needle.as_str()),
                (Value::Array(items), _) => contains(items, right),
                _ => false,
            },
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> Value {
        json!({
            "store": {
                "book": [
                    {"category": "reference", "author": "Nigel Rees", "title": "Sayings of the Century", "price": 8.95},
                    {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword of Honour", "price": 12.99},
                    {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553-21311-3", "price": 8.99},
                    {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord of the Rings", "isbn": "0-395-19395-8", "price": 22.99}
                ],
                "bicycle": {"color": "red", "price": 19.95}
            },
            "expensive": 10
        })
    }

    fn parse(text: &str) -> Path {
        match Path::parse(text) {
            Ok(p) => p,
            Err(e) => panic!("{text}: {e}"),
        }
    }

    /// The result of a query on `input` as one JSON value; panics on an error.
    fn q(input: &Value, text: &str) -> Value {
        match parse(text).query(&Env::new(input)) {
            Ok(found) => found.into_value(),
            Err(e) => panic!("{text}: unexpected error {e}"),
        }
    }

    /// Whether the query gave one value (definite) rather than a list.
    fn is_one(input: &Value, text: &str) -> bool {
        matches!(parse(text).query(&Env::new(input)), Ok(Found::One(_)))
    }

    fn err(input: &Value, text: &str) -> String {
        match parse(text).query(&Env::new(input)) {
            Ok(found) => panic!("{text}: expected an error, got {found:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// `[?(<filter>)]` over `items`: the matching elements.
    fn filter(items: Value, filter: &str) -> Value {
        q(&json!({ "items": items }), &format!("$.items[?({filter})]"))
    }

    #[test]
    fn definite_and_indefinite_on_the_same_data() {
        let s = store();
        assert_eq!(q(&s, "$.store.book[0].title"), json!("Sayings of the Century"));
        assert!(is_one(&s, "$.store.book[0].title"));
        assert_eq!(q(&s, "$.store.book[0:1].title"), json!(["Sayings of the Century"]));
        assert!(!is_one(&s, "$.store.book[0:1].title"));
        assert_eq!(
            q(&s, "$.store.book[*].author"),
            json!(["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"])
        );
        assert_eq!(q(&s, "$.expensive"), json!(10));
        assert_eq!(q(&s, "$"), s);
        assert_eq!(q(&s, "$['store']['bicycle']['color']"), json!("red"));
    }

    #[test]
    fn single_index_is_unwrapped_and_negative_counts_from_the_end() {
        let v = json!({"a": [{"x": 1}, {"x": 2}, {"x": 3}]});
        assert_eq!(q(&v, "$.a[0]"), json!({"x": 1}));
        assert!(is_one(&v, "$.a[0]"));
        assert_eq!(q(&v, "$.a[-1]"), json!({"x": 3}));
        assert_eq!(q(&v, "$.a[-3].x"), json!(1));
        assert_eq!(q(&v, "$.a[0,1]"), json!([{"x": 1}, {"x": 2}]));
    }

    #[test]
    fn definite_misses_use_jayway_wording() {
        let v = json!({"a": 1, "arr": [1, 2], "n": null});
        assert_eq!(err(&json!({}), "$.NoSuchInputPath"), "No results for path: $['NoSuchInputPath']");
        assert_eq!(err(&v, "$.no.such.result.path"), "Missing property in path $['no']");
        assert_eq!(err(&v, "$.a.b"), "No results for path: $['a']['b']");
        assert_eq!(err(&v, "$.a.b.c"), "Missing property in path $['a']['b']");
        assert_eq!(err(&v, "$.arr[5]"), "No results for path: $['arr'][5]");
        assert_eq!(err(&v, "$.arr[-3]"), "No results for path: $['arr'][-3]");
        assert_eq!(err(&v, "$.arr[5].x"), "Missing property in path $['arr'][5]");
        assert_eq!(err(&v, "$.n.x"), "No results for path: $['n']['x']");
        assert_eq!(err(&v, "$.missing.length()"), "Missing property in path $['missing']");
        // Jayway escapes quotes and backslashes in the full path only.
        assert_eq!(err(&v, "$['it\\'s']"), "No results for path: $['it\\'s']");
        assert_eq!(err(&v, "$['it\\'s'].x"), "Missing property in path $['it's']");
        // A present null is a value, not a miss.
        assert_eq!(q(&v, "$.n"), Value::Null);
        let e = parse("$.x").query(&Env::new(&v));
        assert_eq!(e, Err(QueryError::NoResults { path: "$['x']".into() }));
    }

    #[test]
    fn indefinite_paths_never_fail_on_missing_data() {
        let v = json!({"a": [{"x": 1}, {"y": 2}, 3, null], "s": "text"});
        assert_eq!(q(&v, "$.missing[*]"), json!([]));
        assert_eq!(q(&v, "$.missing.deeper[*].x"), json!([]));
        assert_eq!(q(&v, "$.a[*].x"), json!([1]));
        assert_eq!(q(&v, "$.s[*]"), json!([]));
        assert_eq!(q(&v, "$.s[0:2]"), json!([]));
        assert_eq!(q(&v, "$.a[?(@.x)].x.y"), json!([]));
        assert_eq!(q(&v, "$..nothing"), json!([]));
    }

    #[test]
    fn wildcard_on_objects_keeps_insertion_order() {
        let v: Value = match serde_json::from_str(r#"{"z": 1, "a": 2, "m": {"q": 3, "b": 4}}"#) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(q(&v, "$[*]"), json!([1, 2, {"q": 3, "b": 4}]));
        assert_eq!(q(&v, "$.*"), json!([1, 2, {"q": 3, "b": 4}]));
        assert_eq!(q(&v, "$.m.*"), json!([3, 4]));
        assert_eq!(q(&json!([1, [2], {"k": 3}]), "$[*]"), json!([1, [2], {"k": 3}]));
        assert_eq!(q(&json!(5), "$[*]"), json!([]));
        assert_eq!(q(&v, "$.z[*]"), json!([]));
    }

    #[test]
    fn slices() {
        let v = json!({"a": [0, 1, 2, 3, 4, 5]});
        assert_eq!(q(&v, "$.a[1:3]"), json!([1, 2]));
        assert_eq!(q(&v, "$.a[:2]"), json!([0, 1]));
        assert_eq!(q(&v, "$.a[-2:]"), json!([4, 5]));
        assert_eq!(q(&v, "$.a[4:]"), json!([4, 5]));
        assert_eq!(q(&v, "$.a[:-2]"), json!([0, 1, 2, 3]));
        assert_eq!(q(&v, "$.a[-3:-1]"), json!([3, 4]));
        assert_eq!(q(&v, "$.a[2:100]"), json!([2, 3, 4, 5]));
        assert_eq!(q(&v, "$.a[-100:]"), json!([0, 1, 2, 3, 4, 5]));
        assert_eq!(q(&v, "$.a[:100]"), json!([0, 1, 2, 3, 4, 5]));
        assert_eq!(q(&v, "$.a[10:]"), json!([]));
        assert_eq!(q(&v, "$.a[3:3]"), json!([]));
        // Jayway does not normalise a negative end when the start is given.
        assert_eq!(q(&v, "$.a[1:-1]"), json!([]));
        // ... and reads each index of `from..to` like a single index.
        assert_eq!(q(&v, "$.a[-2:1]"), json!([4, 5, 0]));
        // Steps (not Jayway syntax) follow Python.
        assert_eq!(q(&v, "$.a[::2]"), json!([0, 2, 4]));
        assert_eq!(q(&v, "$.a[1::2]"), json!([1, 3, 5]));
        assert_eq!(q(&v, "$.a[::-1]"), json!([5, 4, 3, 2, 1, 0]));
        assert_eq!(q(&v, "$.a[-1:-4:-1]"), json!([5, 4, 3]));
        assert_eq!(q(&json!({"a": []}), "$.a[-2:]"), json!([]));
    }

    #[test]
    fn unions() {
        let v = json!({"a": [10, 20, 30], "o": {"x": 1, "y": 2, "z": 3}});
        assert_eq!(q(&v, "$.a[0,2]"), json!([10, 30]));
        assert_eq!(q(&v, "$.a[2,0,-1,7]"), json!([30, 10, 30]));
        assert_eq!(q(&v, "$.o['z','x']"), json!([3, 1]));
        assert_eq!(q(&v, "$.o['x','missing','y']"), json!([1, 2]));
        assert_eq!(q(&v, "$.o['nope','none']"), json!([]));
        assert_eq!(q(&v, "$.a['x','y']"), json!([]));
    }

    #[test]
    fn deep_scan_order() {
        let s = store();
        assert_eq!(q(&s, "$..author"), json!(["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"]));
        assert_eq!(q(&s, "$.store..price"), json!([8.95, 12.99, 8.99, 22.99, 19.95]));
        assert_eq!(q(&s, "$..book[2].title"), json!(["Moby Dick"]));
        assert_eq!(q(&s, "$..book[-1:].title"), json!(["The Lord of the Rings"]));
        assert_eq!(q(&s, "$..book[?(@.isbn)].title"), json!(["Moby Dick", "The Lord of the Rings"]));
        // A node comes before its descendants; members in insertion order.
        let v = json!({"a": {"name": 1, "b": {"name": 2}}, "c": [{"name": 3}, {"d": {"name": 4}}], "name": 0});
        assert_eq!(q(&v, "$..name"), json!([0, 1, 2, 3, 4]));
        let v = json!({"a": {"b": 1}, "c": [2, {"d": 3}]});
        assert_eq!(q(&v, "$..*"), json!([{"b": 1}, [2, {"d": 3}], 1, 2, {"d": 3}, 3]));
        assert_eq!(q(&json!([[1, 2], [3, [4, 5]]]), "$..[0]"), json!([[1, 2], 1, 3, 4]));
        // Jayway quirk: a step after an index in a scan applies to every element.
        assert_eq!(q(&json!({"a": [{"x": 1}, {"x": 2}]}), "$..[0].x"), json!([1, 2]));
        assert_eq!(q(&s, "$..[?(@.price > 20)].title"), json!(["The Lord of the Rings"]));
        assert_eq!(q(&s, "$..bicycle[?(@.color == 'red')].price"), json!([19.95]));
    }

    #[test]
    fn filter_comparisons() {
        let items = json!([
            {"id": 1, "n": 5, "s": "b", "f": true, "z": null},
            {"id": 2, "n": 10.0, "s": "a", "f": false},
            {"id": 3, "n": "10", "s": "c"},
            {"id": 4}
        ]);
        let ids = |f: &str| -> Vec<i64> {
            filter(items.clone(), f)
                .as_array()
                .map_or(Vec::new(), |a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
        };
        assert_eq!(ids("@.n == 10"), vec![2]);
        assert_eq!(ids("@.n == 10.0"), vec![2]);
        assert_eq!(ids("@.n != 10"), vec![1, 3, 4]);
        assert_eq!(ids("@.n < 10"), vec![1]);
        assert_eq!(ids("@.n <= 10"), vec![1, 2]);
        assert_eq!(ids("@.n > 5"), vec![2]);
        assert_eq!(ids("@.n >= 5"), vec![1, 2]);
        assert_eq!(ids("@.n == '10'"), vec![3]);
        assert_eq!(ids("@.s < 'b'"), vec![2]);
        assert_eq!(ids("@.s >= 'b'"), vec![1, 3]);
        assert_eq!(ids("@.s == \"c\""), vec![3]);
        assert_eq!(ids("@.f == true"), vec![1]);
        assert_eq!(ids("@.f == false"), vec![2]);
        assert_eq!(ids("@.f != true"), vec![2, 3, 4]);
        assert_eq!(ids("@.z == null"), vec![1]);
        // Different types never compare (Jayway 2.5+ would compare `5` and `'6'` as text).
        assert_eq!(ids("@.id < '3'"), Vec::<i64>::new());
        assert_eq!(ids("@.n > '1'"), vec![3]);
        assert_eq!(ids("@.f < 1"), Vec::<i64>::new());
        assert_eq!(ids("@['id'] == 4"), vec![4]);
        assert_eq!(ids("10 == @.n"), vec![2]);
        assert_eq!(ids("@.n == $.items[1].n"), vec![2]);
    }

    #[test]
    fn filter_logic_and_existence() {
        let items = json!([
            {"id": 1, "isbn": "x", "price": 5},
            {"id": 2, "price": 15},
            {"id": 3, "isbn": null, "price": 25}
        ]);
        let ids = |f: &str| -> Vec<i64> {
            filter(items.clone(), f)
                .as_array()
                .map_or(Vec::new(), |a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
        };
        assert_eq!(ids("@.isbn"), vec![1, 3]);
        assert_eq!(ids("!@.isbn"), vec![2]);
        assert_eq!(ids("@.isbn && @.price < 10"), vec![1]);
        assert_eq!(ids("@.price < 10 || @.price > 20"), vec![1, 3]);
        assert_eq!(ids("!(@.price < 10 || @.price > 20)"), vec![2]);
        assert_eq!(ids("(@.id == 1 || @.id == 2) && @.price > 10"), vec![2]);
        assert_eq!(ids("@.id == 1 || @.id == 2 && @.price > 10"), vec![1, 2]);
        assert_eq!(ids("@"), vec![1, 2, 3]);
        assert_eq!(ids("@.nope.deeper"), Vec::<i64>::new());
        assert_eq!(ids("$.items"), vec![1, 2, 3]);
        assert_eq!(ids("$.nothing"), Vec::<i64>::new());
        // Filters on an object test the object itself.
        let v = json!({"o": {"x": 1}});
        assert_eq!(q(&v, "$.o[?(@.x == 1)]"), json!([{"x": 1}]));
        assert_eq!(q(&v, "$.o[?(@.x == 2)]"), json!([]));
        // Filters on scalars select nothing.
        assert_eq!(q(&json!({"n": 3}), "$.n[?(@ > 1)]"), json!([]));
        assert_eq!(filter(json!([1, 5, 10]), "@ > 2"), json!([5, 10]));
    }

    #[test]
    fn filter_regex() {
        let items = json!([{"s": "Apple"}, {"s": "banana"}, {"s": "apricot"}, {"s": 42}, {}]);
        assert_eq!(filter(items.clone(), "@.s =~ /a.*/"), json!([{"s": "apricot"}]));
        assert_eq!(filter(items.clone(), "@.s =~ /a.*/i"), json!([{"s": "Apple"}, {"s": "apricot"}]));
        assert_eq!(filter(items.clone(), "@.s =~ /an/"), json!([]));
        assert_eq!(filter(items.clone(), "@.s =~ /.*an.*/"), json!([{"s": "banana"}]));
        assert_eq!(filter(items.clone(), "@.s =~ /\\d+/"), json!([{"s": 42}]));
        assert_eq!(filter(items.clone(), "@.s =~ /[A-Z][a-z]+/"), json!([{"s": "Apple"}]));
        // Jayway matches a missing value as the empty string.
        assert_eq!(filter(items.clone(), "@.s =~ /x*/"), json!([{}]));
        // An unsupported pattern never matches.
        assert_eq!(filter(items.clone(), "@.s =~ /(?=a)/"), json!([]));
        assert_eq!(filter(json!([{"t": ["x", "yy"]}, {"t": ["z"]}]), "@.t =~ /y+/"), json!([{"t": ["x", "yy"]}]));
    }

    #[test]
    fn filter_collection_operators() {
        let items = json!([
            {"id": 1, "c": "red", "tags": ["a", "b"], "n": 1, "s": "abc"},
            {"id": 2, "c": "blue", "tags": ["c"], "n": 2, "s": ""},
            {"id": 3, "c": "green", "tags": [], "s": "xyz"}
        ]);
        let ids = |f: &str| -> Vec<i64> {
            filter(items.clone(), f)
                .as_array()
                .map_or(Vec::new(), |a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
        };
        assert_eq!(ids("@.c in ['red', 'green']"), vec![1, 3]);
        assert_eq!(ids("@.n in [2, 3]"), vec![2]);
        assert_eq!(ids("@.c nin ['red', 'green']"), vec![2]);
        // Missing value: `nin` holds.
        assert_eq!(ids("@.n nin [1, 2]"), vec![3]);
        assert_eq!(ids("@.tags subsetof ['a', 'b', 'c']"), vec![1, 2, 3]);
        assert_eq!(ids("@.tags subsetof ['a']"), vec![3]);
        assert_eq!(ids("@.tags anyof ['b', 'z']"), vec![1]);
        assert_eq!(ids("@.tags noneof ['b', 'c']"), vec![3]);
        assert_eq!(ids("@.tags size 2"), vec![1]);
        assert_eq!(ids("@.s size 3"), vec![1, 3]);
        assert_eq!(ids("@.tags empty true"), vec![3]);
        assert_eq!(ids("@.tags empty false"), vec![1, 2]);
        assert_eq!(ids("@.s empty true"), vec![2]);
        assert_eq!(ids("@.tags contains 'c'"), vec![2]);
        assert_eq!(ids("@.s contains 'y'"), vec![3]);
        assert_eq!(ids("@.n contains 1"), Vec::<i64>::new());
        assert_eq!(ids("@.tags.length() > 0"), vec![1, 2]);
        assert_eq!(ids("@.c in $.items[0].tags"), Vec::<i64>::new());
    }

    #[test]
    fn functions() {
        let v = json!({"nums": [3, 1, 4, 1, 5], "o": {"k1": 1, "k2": 2}, "s": "hello", "e": [], "w": ["a", "b"]});
        assert_eq!(q(&v, "$.nums.length()"), json!(5));
        assert_eq!(q(&v, "$.nums.size()"), json!(5));
        assert_eq!(q(&v, "$.o.length()"), json!(2));
        assert_eq!(q(&v, "$.s.length()"), Value::Null);
        assert_eq!(q(&v, "$.nums.min()"), json!(1.0));
        assert_eq!(q(&v, "$.nums.max()"), json!(5.0));
        assert_eq!(q(&v, "$.nums.sum()"), json!(14.0));
        assert_eq!(q(&v, "$.nums.avg()"), json!(2.8));
        assert_eq!(q(&json!([1, 2, 3, 4]), "$.stddev()"), json!(1.118033988749895));
        assert_eq!(q(&json!([-3, -1]), "$.max()"), json!(-1.0));
        assert_eq!(q(&v, "$.o.keys()"), json!(["k1", "k2"]));
        assert_eq!(q(&v, "$.nums.first()"), json!(3));
        assert_eq!(q(&v, "$.nums.last()"), json!(5));
        assert_eq!(q(&v, "$.nums.index(2)"), json!(4));
        assert_eq!(q(&v, "$.nums.index(-2)"), json!(1));
        assert_eq!(q(&v, "$.w.concat('c', 1)"), json!("abc1"));
        assert_eq!(q(&v, "$.w.append('c')"), json!(["a", "b", "c"]));
        assert!(is_one(&v, "$.nums.length()"));
        assert_eq!(err(&v, "$.e.sum()"), "Aggregation function attempted to calculate value using empty array");
        assert_eq!(err(&v, "$.e.first()"), "Index 0 out of bounds for length 0");
        // After an indefinite prefix a function applies to each match ...
        assert_eq!(q(&json!({"a": [[1, 2], [3], "x"]}), "$.a[*].length()"), json!([2, 1, null]));
        // ... unless the path starts with a scan: then to all matches together.
        let s = store();
        assert_eq!(q(&s, "$..book.length()"), json!(4));
        assert!(is_one(&s, "$..book.length()"));
        assert_eq!(q(&s, "$..price.sum()"), json!(73.87));
        assert_eq!(q(&s, "$..price.max()"), json!(22.99));
    }

    #[test]
    fn context_and_variables() {
        let input = json!({"x": 1});
        let context = json!({"Execution": {"Input": {"a": 7}, "Name": "run"}});
        let var = json!({"list": [1, 2, 3]});
        let lookup = |name: &str| if name == "myVar" { Some(&var) } else { None };
        let env = Env::new(&input).with_context(&context).with_variables(&lookup);
        let run = |text: &str| parse(text).query(&env).map(Found::into_value);
        assert_eq!(run("$$.Execution.Input.a"), Ok(json!(7)));
        assert_eq!(run("$$"), Ok(context.clone()));
        assert_eq!(run("$myVar.list[1]"), Ok(json!(2)));
        assert_eq!(run("$myVar.list[?(@ > 1)]"), Ok(json!([2, 3])));
        assert_eq!(run("$myVar"), Ok(var.clone()));
        assert_eq!(run("$.x"), Ok(json!(1)));
        assert_eq!(
            run("$$.Execution.Input.no_such_jsonpath").map_err(|e| e.to_string()),
            Err("No results for path: $['Execution']['Input']['no_such_jsonpath']".to_string())
        );
        assert_eq!(run("$other.a").map_err(|e| e.to_string()), Err("The variable '$other' is not defined".to_string()));
        assert_eq!(run("$[?(@ == $myVar.list[0])]"), Ok(json!([])));
        assert_eq!(run("$myVar.list[?(@ == $.x)]"), Ok(json!([1])));
        assert_eq!(run("$myVar.list[?(@ == $$.Execution.Input.a)]"), Ok(json!([])));
        let no_context = Env::new(&input);
        assert_eq!(parse("$$.Execution").query(&no_context), Err(QueryError::NoContext));
    }

    #[test]
    fn compile_static_never_fails() {
        let v = json!({"a": [1, 2]});
        assert_eq!(compile_static("$.a[0]"), parse("$.a[0]"));
        let broken = compile_static("$.a[");
        assert_eq!(broken.query(&Env::new(&v)), Ok(Found::Many(Vec::new())));
        assert_eq!(broken.query(&Env::new(&json!({"x": 1}))), Ok(Found::Many(Vec::new())));
        assert_eq!(broken.query(&Env::new(&json!(3))), Ok(Found::Many(Vec::new())));
        assert_eq!(compile_static("").query_value(&Env::new(&v)), Ok(json!([])));
    }

    #[test]
    fn found_to_value() {
        let v = json!({"a": [1, 2]});
        let one = parse("$.a[1]").query(&Env::new(&v));
        assert_eq!(one.as_ref().map(Found::to_value), Ok(json!(2)));
        let many = parse("$.a[*]").query(&Env::new(&v));
        assert_eq!(many.as_ref().map(Found::to_value), Ok(json!([1, 2])));
        assert_eq!(many.map(Found::into_value), Ok(json!([1, 2])));
    }
}
