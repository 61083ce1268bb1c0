//! The JSONata evaluator: a port of jsonata-js 2.0.6's `evaluate()` and the functions it calls
//! (`evaluatePath`, `evaluateStep`, `evaluateTupleStep`, `evaluateFilter`, `evaluateGroupExpression`,
//! `evaluateSortExpression`, `apply`, partial application, transforms, ...), case by case, over
//! the tree of [`super::ast`].
//!
//! Step Functions gives JSONata no input document: the context is undefined and everything comes
//! from variables, `$states` (`{input, context, result?, errorOutput?}`) and the workflow variables,
//! supplied through [`Bindings`]. [`evaluate`] returns `None` for undefined; [`to_json`] applies the
//! Step Functions checks to a field's result.
//!
//! Limits (not in jsonata-js, which relies on the JavaScript stack and a caller-side timeout):
//! lambda calls nest at most [`MAX_CALL_DEPTH`] deep (tail calls do not nest: they are run by a
//! trampoline as in jsonata-js), expression evaluation nests at most [`MAX_EVAL_DEPTH`] deep, one
//! evaluation executes at most [`MAX_STEPS`] expression nodes, and values nest at most
//! [`super::value::MAX_VALUE_DEPTH`] deep; exceeding any of them is error `U1001`. Expressions that
//! define functions or nest deeply are evaluated on a helper thread with a large stack, so these
//! limits hold whatever stack the caller runs on.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, Weak};

use serde_json::Value;

use super::ast::{BinaryOp, Expr, ExprKind, Lambda, Path, SortTerm, Stage, Step};
use super::functions::{self, Builtin};
use super::jsnum;
use super::regex::Regex;
use super::signature::Signature;
use super::value::{self, Function, JArray, JObject, JValue, MAX_VALUE_DEPTH};

/// Lambda calls that may be in progress at once (tail calls excepted).
pub const MAX_CALL_DEPTH: usize = 500;
/// Expression nesting during evaluation (a guard for the native stack).
pub const MAX_EVAL_DEPTH: usize = 5000;
/// Expression nodes one evaluation may execute (a guard against runaway recursion).
pub const MAX_STEPS: u64 = 10_000_000;

/// Expressions nesting deeper than this, or defining functions, are evaluated on a helper thread.
const INLINE_DEPTH: usize = 24;
/// Stack reserved for the helper thread (address space; pages are touched only as needed).
/// Measured: an unoptimised build uses 4-9 KiB per evaluation level, so [`MAX_EVAL_DEPTH`]
/// levels need at most about 45 MiB.
const EVAL_STACK_BYTES: usize = 128 << 20;

const UNSET: usize = usize::MAX;

/// A JSONata evaluation error, with jsonata-js's code and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// The jsonata-js error code (`"T2001"`, `"D3030"`, ...). Codes this implementation adds:
    /// `"U1001"` for its resource limits (as jsonata-js's stack-overflow/timeout code), `"REGEX"`
    /// for a regex literal outside the supported syntax, and `"D3300"`..`"D3303"` for invalid
    /// arguments to the Step Functions functions (`$partition`, `$range`, `$hash`, `$parse`).
    pub code: &'static str,
    /// The message, worded like jsonata-js's.
    pub message: String,
    /// Byte offset in the expression text of the innermost expression that failed.
    pub offset: usize,
}

impl EvalError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        EvalError { code, message: message.into(), offset: UNSET }
    }

    /// Sets the offset unless an inner expression already did.
    pub(crate) fn at(mut self, offset: usize) -> Self {
        if self.offset == UNSET {
            self.offset = offset;
        }
        self
    }
}

impl fmt::Display for EvalError {
    /// `"T1006: Attempted to invoke a non-function"`, the form AWS puts in the error cause.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for EvalError {}

fn stack_overflow() -> EvalError {
    EvalError::new(
        "U1001",
        "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
    )
}

// ---------------------------------------------------------------------------------------------
// Bindings

enum Source<'a> {
    Json(&'a Value),
    Value(JValue),
    States { input: &'a Value, context: &'a Value, result: Option<&'a Value>, error_output: Option<&'a Value> },
}

/// Variables visible to an expression: `$states` and the workflow variables.
///
/// ```
/// # use asl_runtime::jsonata::{parse, eval::{evaluate, Bindings}};
/// let input = serde_json::json!({"n": 2});
/// let context = serde_json::json!({});
/// let count = serde_json::json!(40);
/// let b = Bindings::new().with_states(&input, &context, None, None).with("count", &count);
/// let e = parse("$states.input.n + $count").unwrap();
/// assert_eq!(evaluate(&e, &b).unwrap().and_then(|v| v.as_f64()), Some(42.0));
/// ```
#[derive(Default)]
pub struct Bindings<'a> {
    /// Name, source, and the source converted (once, on first use: the fields of a state are
    /// evaluated with the same bindings).
    entries: Vec<(String, Source<'a>, std::sync::OnceLock<JValue>)>,
    lookup: Option<&'a VariableLookup<'a>>,
}

/// A function that finds a workflow variable by name (see [`Bindings::with_lookup`]).
pub type VariableLookup<'a> = dyn Fn(&str) -> Option<&'a Value> + Sync + 'a;

impl<'a> Bindings<'a> {
    /// No variables.
    pub fn new() -> Self {
        Bindings::default()
    }

    /// Binds `$name` to a JSON value (a later binding of the same name wins).
    pub fn with(mut self, name: &str, value: &'a Value) -> Self {
        self.entries.push((name.to_string(), Source::Json(value), std::sync::OnceLock::new()));
        self
    }

    /// Binds `$name` to a JSONata value (which may be a function).
    pub fn with_value(mut self, name: &str, value: JValue) -> Self {
        self.entries.push((name.to_string(), Source::Value(value), std::sync::OnceLock::new()));
        self
    }

    /// Binds `$states` to `{input, context, result?, errorOutput?}`.
    pub fn with_states(
        mut self,
        input: &'a Value,
        context: &'a Value,
        result: Option<&'a Value>,
        error_output: Option<&'a Value>,
    ) -> Self {
        self.entries.push((
            "states".to_string(),
            Source::States { input, context, result, error_output },
            std::sync::OnceLock::new(),
        ));
        self
    }

    /// Looks up variables not bound with [`Bindings::with`] through `lookup` (workflow variables).
    pub fn with_lookup(mut self, lookup: &'a VariableLookup<'a>) -> Self {
        self.lookup = Some(lookup);
        self
    }

    fn get(&self, name: &str) -> Option<JValue> {
        if let Some((_, src, cache)) = self.entries.iter().rev().find(|(n, _, _)| n == name) {
            return Some(cache.get_or_init(|| Self::convert(src)).clone());
        }
        self.lookup.and_then(|f| f(name)).map(JValue::from_json)
    }

    fn convert(src: &Source<'_>) -> JValue {
        match src {
            Source::Json(v) => JValue::from_json(v),
            Source::Value(v) => v.clone(),
            Source::States { input, context, result, error_output } => {
                let mut o = JObject::new();
                o.insert("input", JValue::from_json(input));
                o.insert("context", JValue::from_json(context));
                if let Some(r) = result {
                    o.insert("result", JValue::from_json(r));
                }
                if let Some(e) = error_output {
                    o.insert("errorOutput", JValue::from_json(e));
                }
                JValue::object(o)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Environment frames

/// A variable scope (jsonata-js `createFrame`).
pub(crate) struct Frame {
    vars: Mutex<Vec<(Arc<str>, Option<JValue>)>>,
    parent: Option<Env>,
}

pub(crate) type Env = Arc<Frame>;

impl Frame {
    fn new(parent: Option<&Env>) -> Env {
        Arc::new(Frame { vars: Mutex::new(Vec::new()), parent: parent.cloned() })
    }

    fn vars(&self) -> std::sync::MutexGuard<'_, Vec<(Arc<str>, Option<JValue>)>> {
        self.vars.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `Some(value)` when bound here (possibly to undefined).
    fn get(&self, name: &str) -> Option<Option<JValue>> {
        self.vars().iter().rev().find(|(n, _)| &**n == name).map(|(_, v)| v.clone())
    }

    fn set(&self, name: &str, value: Option<JValue>) {
        let mut vars = self.vars();
        if let Some(slot) = vars.iter_mut().find(|(n, _)| &**n == name) {
            slot.1 = value;
        } else {
            vars.push((Arc::from(name), value));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Function values

/// A user-defined function: a lambda, or a lambda partially applied.
pub(crate) struct LambdaFn {
    def: Arc<Lambda>,
    params: Vec<String>,
    sig: Option<Arc<Signature>>,
    env: Env,
    input: Option<JValue>,
}

/// The pieces of a transform expression `| pattern | update, delete |`.
pub(crate) struct TransformDef {
    pattern: Expr,
    update: Expr,
    delete: Option<Expr>,
}

/// What a [`Function`] is.
pub(crate) enum FnKind {
    Builtin(&'static Builtin),
    Lambda(LambdaFn),
    /// A built-in (or other non-lambda function) with some arguments supplied; `None` = `?`.
    Partial {
        target: Arc<Function>,
        bound: Vec<Option<Option<JValue>>>,
    },
    Transform(Arc<TransformDef>, Env),
    /// A regex literal: called with `(string, fromIndex)` it returns a match object.
    Regex(Arc<Regex>),
    /// The `next` function of a match object.
    RegexNext {
        regex: Arc<Regex>,
        input: Arc<[u16]>,
        from: usize,
    },
    /// `f ~> g` for two functions.
    Chain(JValue, JValue),
}

impl FnKind {
    pub(crate) fn describe(&self) -> String {
        match self {
            FnKind::Builtin(b) => format!("${}", b.name),
            FnKind::Lambda(l) => format!("lambda({})", l.params.join(", ")),
            FnKind::Partial { .. } => "partial".to_string(),
            FnKind::Transform(..) => "transform".to_string(),
            FnKind::Regex(r) => format!("/{}/", r.source()),
            FnKind::RegexNext { .. } => "next".to_string(),
            FnKind::Chain(..) => "chain".to_string(),
        }
    }
}

/// jsonata-js `getFunctionArity`: how many arguments higher-order functions pass.
pub(crate) fn arity(f: &Function) -> usize {
    match &f.kind {
        FnKind::Builtin(b) => b.arity,
        FnKind::Lambda(l) => l.params.len(),
        FnKind::Partial { bound, .. } => bound.iter().filter(|b| b.is_none()).count(),
        FnKind::Transform(..) => 1,
        FnKind::Regex(_) => 2,
        FnKind::RegexNext { .. } => 0,
        FnKind::Chain(..) => 1,
    }
}

fn function(kind: FnKind) -> JValue {
    JValue::Function(Arc::new(Function { kind }))
}

/// The result of applying a lambda body: a value, or a tail call for the trampoline.
pub(crate) enum Outcome {
    Value(Option<JValue>),
    Tail { proc: Option<JValue>, args: Vec<Option<JValue>>, name: String },
}

type R = Result<Option<JValue>, EvalError>;

// ---------------------------------------------------------------------------------------------
// Entry points

/// Evaluates `expr` with an undefined context (Step Functions has no input document) and the
/// variables of `bindings`. `Ok(None)` is undefined.
pub fn evaluate(expr: &Expr, bindings: &Bindings<'_>) -> Result<Option<JValue>, EvalError> {
    if runs_inline(expr, 0) {
        return evaluate_here(expr, bindings);
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("jsonata-eval".to_string())
            .stack_size(EVAL_STACK_BYTES)
            .spawn_scoped(scope, || evaluate_here(expr, bindings));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(EvalError::new("U1001", "Internal error while evaluating the expression").at(expr.span.0))
            }),
            Err(_) => {
                Err(EvalError::new("U1001", "Could not start a thread to evaluate the expression").at(expr.span.0))
            }
        }
    })
}

/// True when evaluating `e` cannot recurse deeply: it defines no function and nests little.
fn runs_inline(e: &Expr, depth: usize) -> bool {
    if depth > INLINE_DEPTH || matches!(e.kind, ExprKind::Lambda(_)) {
        return false;
    }
    super::analysis::children(e).into_iter().all(|c| runs_inline(c, depth + 1))
}

fn evaluate_here(expr: &Expr, bindings: &Bindings<'_>) -> Result<Option<JValue>, EvalError> {
    let get = |name: &str| bindings.get(name);
    let mut ctx = Ctx::new(&get);
    let root = ctx.root.clone();
    let result = ctx.eval(expr, None, &root);
    ctx.release();
    let result = result.map_err(|e| e.at(expr.span.0))?;
    // A tuple stream never leaves a path at the top level; strip it to its values if it did.
    Ok(result.map(|v| match &v {
        JValue::Array(a) if a.tuple_stream => JValue::seq(a.items().iter().filter_map(tuple_value).collect()),
        _ => v,
    }))
}

/// Evaluates with an input document, as jsonata-js's `evaluate(input, bindings)` does (an array
/// input is wrapped in a singleton sequence; `$$` is the input). Step Functions never does this;
/// it lets the tests run jsonata-js test-suite cases verbatim.
#[cfg(test)]
pub(crate) fn evaluate_with_input(
    expr: &Expr,
    input: &Value,
    bindings: &Bindings<'_>,
) -> Result<Option<JValue>, EvalError> {
    let get = |name: &str| bindings.get(name);
    let mut ctx = Ctx::new(&get);
    let root = ctx.root.clone();
    let doc = JValue::from_json(input);
    root.set("$", Some(doc.clone()));
    let doc = match doc {
        JValue::Array(_) => {
            let mut w = JArray::sequence(vec![doc]);
            w.outer_wrapper = true;
            JValue::Array(Arc::new(w))
        }
        other => other,
    };
    let result = ctx.eval(expr, Some(&doc), &root);
    ctx.release();
    result.map_err(|e| e.at(expr.span.0))
}

/// Why a field's result cannot be used (the Step Functions checks of a JSONata field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldError {
    /// The expression returned undefined.
    Undefined,
    /// The expression returned a function.
    UnsupportedType,
    /// Evaluation failed (also: a number that is not finite in the result, `D1001`).
    Eval(EvalError),
}

impl From<EvalError> for FieldError {
    fn from(e: EvalError) -> Self {
        FieldError::Eval(e)
    }
}

impl FieldError {
    /// The `States.QueryEvaluationError` cause AWS reports, e.g. `The JSONata expression
    /// '$doesNotExist' specified for the field 'Output' returned nothing (undefined).`
    pub fn cause(&self, expression: &str, field: &str) -> String {
        let head = format!("The JSONata expression '{expression}' specified for the field '{field}'");
        match self {
            FieldError::Undefined => format!("{head} returned nothing (undefined)."),
            FieldError::UnsupportedType => format!("{head} returned an unsupported result type."),
            FieldError::Eval(e) => format!("{head} threw an error during evaluation. {e}"),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::Undefined => write!(f, "returned nothing (undefined)"),
            FieldError::UnsupportedType => write!(f, "returned an unsupported result type"),
            FieldError::Eval(e) => write!(f, "threw an error during evaluation. {e}"),
        }
    }
}

impl std::error::Error for FieldError {}

/// Converts an evaluation result for an ASL field: undefined → [`FieldError::Undefined`] ("returned
/// nothing (undefined)"); a function → [`FieldError::UnsupportedType`] ("returned an unsupported
/// result type."); otherwise the JSON value as `JSON.stringify` would produce it (sequences become
/// arrays, integral numbers integers, functions nested in arrays `null` and in objects left out).
/// A number that is not finite anywhere in the value is error `D1001`.
pub fn to_json(result: Option<JValue>) -> Result<Value, FieldError> {
    let Some(v) = result else {
        return Err(FieldError::Undefined);
    };
    match v.to_json_value() {
        Ok(Some(json)) => Ok(json),
        Ok(None) => Err(FieldError::UnsupportedType),
        Err(n) => {
            Err(FieldError::Eval(EvalError::new("D1001", format!("Number out of range: {}", jsnum::js_to_string(n)))))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation context

/// State of one evaluation.
pub(crate) struct Ctx<'b> {
    bindings: &'b (dyn Fn(&str) -> Option<JValue> + 'b),
    globals: HashMap<String, Option<JValue>>,
    root: Env,
    lambdas: HashMap<usize, Arc<Lambda>>,
    transforms: HashMap<usize, Arc<TransformDef>>,
    regexes: HashMap<usize, Arc<Regex>>,
    depth: usize,
    calls: usize,
    steps: u64,
    /// Frames holding containers or functions: cleared at the end to break reference cycles
    /// (a frame binding a closure that captures the frame).
    registry: Vec<Weak<Frame>>,
    registry_prune_at: usize,
    /// `$now()` / `$millis()` time, fixed for the evaluation (milliseconds since the epoch).
    pub(crate) now: f64,
}

fn now_millis() -> f64 {
    match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_millis() as f64,
        Err(_) => 0.0,
    }
}

impl<'b> Ctx<'b> {
    fn new(bindings: &'b (dyn Fn(&str) -> Option<JValue> + 'b)) -> Self {
        Ctx {
            bindings,
            globals: HashMap::new(),
            root: Frame::new(None),
            lambdas: HashMap::new(),
            transforms: HashMap::new(),
            regexes: HashMap::new(),
            depth: 0,
            calls: 0,
            steps: 0,
            registry: Vec::new(),
            registry_prune_at: 1024,
            now: now_millis(),
        }
    }

    /// Breaks the reference cycles closures may have formed with their frames.
    fn release(&mut self) {
        for w in self.registry.drain(..) {
            if let Some(frame) = w.upgrade() {
                frame.vars().clear();
            }
        }
        self.root.vars().clear();
    }

    fn bind(&mut self, env: &Env, name: &str, value: Option<JValue>) {
        if matches!(value, Some(JValue::Function(_) | JValue::Array(_) | JValue::Object(_))) {
            self.registry.push(Arc::downgrade(env));
            if self.registry.len() >= self.registry_prune_at {
                self.registry.retain(|w| w.strong_count() > 0);
                self.registry_prune_at = (self.registry.len() * 2).max(1024);
            }
        }
        env.set(name, value);
    }

    /// A frame binding every property of a tuple (jsonata-js `createFrameFromTuple`).
    fn frame_from_tuple(&mut self, env: &Env, tuple: &JValue) -> Env {
        let frame = Frame::new(Some(env));
        if let JValue::Object(o) = tuple {
            for (k, v) in o.iter() {
                self.bind(&frame, k, Some(v.clone()));
            }
        }
        frame
    }

    /// Variable lookup: enclosing frames, then the bindings, then the built-in functions.
    pub(crate) fn lookup(&mut self, env: &Env, name: &str) -> Option<JValue> {
        let mut frame = Some(env);
        while let Some(f) = frame {
            if let Some(v) = f.get(name) {
                return v;
            }
            frame = f.parent.as_ref();
        }
        if let Some(v) = self.globals.get(name) {
            return v.clone();
        }
        let v = (self.bindings)(name).or_else(|| functions::builtin(name).map(|b| function(FnKind::Builtin(b))));
        self.globals.insert(name.to_string(), v.clone());
        v
    }

    fn enter(&mut self) -> Result<(), EvalError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(EvalError::new("U1001", "Expression evaluation timeout: Check for infinite loop"));
        }
        if self.depth >= MAX_EVAL_DEPTH {
            return Err(stack_overflow());
        }
        self.depth += 1;
        Ok(())
    }

    /// jsonata-js `evaluate`: the node's value, then the sequence post-processing (an empty
    /// sequence is undefined, a singleton sequence its item unless `[]` keeps it).
    pub(crate) fn eval(&mut self, e: &Expr, input: Option<&JValue>, env: &Env) -> R {
        self.eval_keep(e, input, env, false)
    }

    fn eval_keep(&mut self, e: &Expr, input: Option<&JValue>, env: &Env, keep: bool) -> R {
        let v = self.eval_raw(e, input, env)?;
        let keep = keep
            || match &e.kind {
                ExprKind::Path(p) => p.keep_array,
                ExprKind::Filter { keep_array, .. } | ExprKind::Apply { keep_array, .. } => *keep_array,
                _ => false,
            };
        finish(v, keep).map_err(|err| err.at(e.span.0))
    }

    /// The node's value without the sequence post-processing.
    fn eval_raw(&mut self, e: &Expr, input: Option<&JValue>, env: &Env) -> R {
        self.enter()?;
        let r = self.eval_kind(e, input, env);
        self.depth -= 1;
        r.map_err(|err| err.at(e.span.0))
    }

    fn eval_kind(&mut self, e: &Expr, input: Option<&JValue>, env: &Env) -> R {
        match &e.kind {
            ExprKind::String(s) => Ok(Some(JValue::string(s))),
            ExprKind::Number(n) => Ok(Some(JValue::Number(*n))),
            ExprKind::Bool(b) => Ok(Some(JValue::Bool(*b))),
            ExprKind::Null => Ok(Some(JValue::Null)),
            ExprKind::Regex { pattern, flags } => self.eval_regex(e, pattern, flags),
            ExprKind::Name(n) => Ok(input.and_then(|i| lookup_field(i, n))),
            ExprKind::Variable(v) => Ok(match (v.as_str(), input) {
                ("", Some(JValue::Array(a))) if a.outer_wrapper => a.items().first().cloned(),
                ("", _) => input.cloned(),
                (name, _) => self.lookup(env, name),
            }),
            ExprKind::Wildcard => Ok(input.and_then(wildcard)),
            ExprKind::Descendant => Ok(input.and_then(descendants)),
            ExprKind::Parent { label } => {
                let key = format!("!{label}");
                let mut frame = Some(env);
                while let Some(f) = frame {
                    if let Some(v) = f.get(&key) {
                        return Ok(v);
                    }
                    frame = f.parent.as_ref();
                }
                Ok(None)
            }
            ExprKind::Path(p) => self.eval_path(p, input, env),
            ExprKind::Negate(x) => match self.eval(x, input, env)? {
                None => Ok(None),
                Some(v) if is_numeric(&v)? => Ok(Some(JValue::Number(-v.as_f64().unwrap_or(0.0)))),
                Some(v) => Err(EvalError::new("D1002", format!("Cannot negate a non-numeric value: {}", describe(&v)))),
            },
            ExprKind::Binary { op, lhs, rhs } => self.eval_binary(*op, lhs, rhs, input, env),
            ExprKind::Array { items, cons_array } => self.eval_array(items, *cons_array, input, env),
            ExprKind::Object { pairs } => self.eval_group(pairs, input.cloned(), env),
            ExprKind::Block { exprs, .. } => {
                let frame = Frame::new(Some(env));
                let mut result = None;
                for x in exprs {
                    result = self.eval(x, input, &frame)?;
                }
                Ok(result)
            }
            ExprKind::Condition { condition, then, otherwise } => {
                let c = self.eval(condition, input, env)?;
                if boolean(c.as_ref()) == Some(true) {
                    self.eval(then, input, env)
                } else if let Some(o) = otherwise {
                    self.eval(o, input, env)
                } else {
                    Ok(None)
                }
            }
            ExprKind::Coalesce { lhs, rhs } => match self.eval(lhs, input, env)? {
                Some(v) => Ok(Some(v)),
                None => self.eval(rhs, input, env),
            },
            ExprKind::Elvis { lhs, rhs } => {
                let l = self.eval(lhs, input, env)?;
                if boolean(l.as_ref()) == Some(true) { Ok(l) } else { self.eval(rhs, input, env) }
            }
            ExprKind::Bind { name, value, .. } => {
                let v = self.eval(value, input, env)?;
                self.bind(env, name, v.clone());
                Ok(v)
            }
            ExprKind::Apply { lhs, rhs, .. } => self.eval_apply(lhs, rhs, input, env),
            ExprKind::Call { procedure, args, partial: false } => self.eval_call(e, procedure, args, input, env, None),
            ExprKind::Call { procedure, args, partial: true } => self.eval_partial(procedure, args, input, env),
            ExprKind::Placeholder => Ok(None),
            ExprKind::Lambda(l) => Ok(Some(self.make_lambda(l, input, env))),
            ExprKind::Transform { pattern, update, delete } => {
                let key = e as *const Expr as usize;
                let def = self
                    .transforms
                    .entry(key)
                    .or_insert_with(|| {
                        Arc::new(TransformDef {
                            pattern: (**pattern).clone(),
                            update: (**update).clone(),
                            delete: delete.as_deref().cloned(),
                        })
                    })
                    .clone();
                Ok(Some(function(FnKind::Transform(def, env.clone()))))
            }
            ExprKind::Sort { terms } => {
                let seq = match input {
                    Some(JValue::Array(a)) => JValue::Array(a.clone()),
                    Some(v) => JValue::seq(vec![v.clone()]),
                    None => JValue::seq(vec![]),
                };
                self.eval_sort(terms, seq, env).map(Some)
            }
            ExprKind::Filter { base, predicates, group, .. } => {
                let mut r = self.eval_raw(base, input, env)?;
                for p in predicates {
                    r = Some(self.eval_filter(p, r, env)?);
                }
                if let Some(g) = group {
                    r = self.eval_group(&g.pairs, r, env)?;
                }
                Ok(r)
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Paths

    /// jsonata-js `evaluatePath`.
    fn eval_path(&mut self, p: &Path, input: Option<&JValue>, env: &Env) -> R {
        let first_is_var = p.steps.first().is_some_and(|s| is_variable_step(&s.expr));
        let mut inputs: Vec<Option<JValue>> = match input {
            Some(JValue::Array(a)) if !first_is_var => a.items().iter().cloned().map(Some).collect(),
            other => vec![other.cloned()],
        };
        let mut result: Option<JValue> = None;
        let mut tuples: Option<Vec<JValue>> = None;
        let mut is_tuple = false;
        let last = p.steps.len().saturating_sub(1);
        for (ii, step) in p.steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if ii == 0 && is_cons_step(&step.expr) {
                let context = JValue::seq(inputs.iter().flatten().cloned().collect());
                let r = self.eval_keep(&step.expr, Some(&context), env, step.keep_array)?;
                result = Some(match r {
                    Some(v @ JValue::Array(_)) => v,
                    Some(v) => JValue::seq(vec![v]),
                    None => JValue::seq(vec![]),
                });
            } else if is_tuple {
                tuples = Some(self.eval_tuple_step(step, &inputs, tuples.take(), env)?);
            } else {
                result = Some(self.eval_step(step, &inputs, env, ii == last)?);
            }
            if !is_tuple && result.as_ref().is_none_or(|r| r.as_array().is_none_or(JArray::is_empty)) {
                break;
            }
            if step.focus.is_none()
                && !is_tuple
                && let Some(JValue::Array(a)) = &result
            {
                inputs = a.items().iter().cloned().map(Some).collect();
            }
        }
        let ts = tuples.unwrap_or_default();
        let mut out = if is_tuple {
            if p.tuple { tuple_stream(ts.clone()) } else { JValue::seq(ts.iter().filter_map(tuple_value).collect()) }
        } else {
            result.unwrap_or_else(|| JValue::seq(vec![]))
        };
        if p.keep_singleton_array {
            if matches!(&out, JValue::Array(a) if a.cons && !a.sequence) {
                out = JValue::seq(vec![out]);
            }
            if let JValue::Array(a) = &mut out {
                Arc::make_mut(a).keep_singleton = true;
            }
        }
        if let Some(g) = &p.group {
            return self.eval_group(&g.pairs, Some(if is_tuple { tuple_stream(ts) } else { out }), env);
        }
        Ok(Some(out))
    }

    /// jsonata-js `evaluateStep`.
    fn eval_step(
        &mut self,
        step: &Step,
        inputs: &[Option<JValue>],
        env: &Env,
        last: bool,
    ) -> Result<JValue, EvalError> {
        if let ExprKind::Sort { terms } = &step.expr.kind {
            let seq = JValue::seq(inputs.iter().flatten().cloned().collect());
            let mut r = self.eval_sort(terms, seq, env).map_err(|e| e.at(step.expr.span.0))?;
            for stage in &step.stages {
                if let Stage::Filter { expr, .. } = stage {
                    r = self.eval_filter(expr, Some(r), env)?;
                }
            }
            return Ok(r);
        }
        let mut results = Vec::new();
        for item in inputs {
            let mut res = self.eval_keep(&step.expr, item.as_ref(), env, step.keep_array)?;
            for stage in &step.stages {
                if let Stage::Filter { expr, .. } = stage {
                    res = Some(self.eval_filter(expr, res, env)?);
                }
            }
            if let Some(r) = res {
                results.push(r);
            }
        }
        if last && results.len() == 1 && matches!(results.first(), Some(JValue::Array(a)) if !a.sequence) {
            return Ok(results.pop().unwrap_or(JValue::Null));
        }
        let mut out = Vec::new();
        for r in results {
            match r {
                JValue::Array(a) if !a.cons => out.extend(a.items().iter().cloned()),
                other => out.push(other),
            }
        }
        Ok(JValue::seq(out))
    }

    /// jsonata-js `evaluateTupleStep`.
    fn eval_tuple_step(
        &mut self,
        step: &Step,
        inputs: &[Option<JValue>],
        tuples: Option<Vec<JValue>>,
        env: &Env,
    ) -> Result<Vec<JValue>, EvalError> {
        if let ExprKind::Sort { terms } = &step.expr.kind {
            let result = match tuples {
                Some(ts) => {
                    let sorted = self.eval_sort(terms, tuple_stream(ts), env)?;
                    sorted.as_array().map(|a| a.items().to_vec()).unwrap_or_default()
                }
                None => {
                    let seq = JValue::seq(inputs.iter().flatten().cloned().collect());
                    let sorted = self.eval_sort(terms, seq, env)?;
                    let items = sorted.as_array().map(|a| a.items().to_vec()).unwrap_or_default();
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(ss, v)| {
                            let mut t = JObject::new();
                            t.insert("@", v);
                            if let Some(ix) = &step.index {
                                t.insert(ix.as_str(), JValue::Number(ss as f64));
                            }
                            JValue::object(t)
                        })
                        .collect()
                }
            };
            return self.eval_stages(&step.stages, result, env);
        }
        let tuples = tuples.unwrap_or_else(|| {
            inputs
                .iter()
                .map(|i| {
                    let mut t = JObject::new();
                    if let Some(v) = i {
                        t.insert("@", v.clone());
                    }
                    JValue::object(t)
                })
                .collect()
        });
        let mut result = Vec::new();
        for t in &tuples {
            let step_env = self.frame_from_tuple(env, t);
            let context = tuple_value(t);
            let Some(res) = self.eval_keep(&step.expr, context.as_ref(), &step_env, step.keep_array)? else {
                continue;
            };
            let (items, res_tuples) = match res {
                JValue::Array(a) => (a.items().to_vec(), a.tuple_stream),
                other => (vec![other], false),
            };
            let base = match t {
                JValue::Object(o) => (**o).clone(),
                _ => JObject::new(),
            };
            for (bb, item) in items.into_iter().enumerate() {
                let mut tuple = base.clone();
                if res_tuples {
                    if let JValue::Object(o) = &item {
                        for (k, v) in o.iter() {
                            tuple.insert(k, v.clone());
                        }
                    }
                } else {
                    match &step.focus {
                        Some(f) => tuple.insert(f.as_str(), item),
                        None => tuple.insert("@", item),
                    }
                    if let Some(ix) = &step.index {
                        tuple.insert(ix.as_str(), JValue::Number(bb as f64));
                    }
                    if let Some(label) = step.ancestor
                        && let Some(parent) = &context
                    {
                        tuple.insert(format!("!{label}"), parent.clone());
                    }
                }
                result.push(JValue::object(tuple));
            }
        }
        self.eval_stages(&step.stages, result, env)
    }

    /// jsonata-js `evaluateStages` over a tuple stream.
    fn eval_stages(&mut self, stages: &[Stage], tuples: Vec<JValue>, env: &Env) -> Result<Vec<JValue>, EvalError> {
        let mut result = tuples;
        for stage in stages {
            match stage {
                Stage::Filter { expr, .. } => {
                    let r = self.eval_filter(expr, Some(tuple_stream(result)), env)?;
                    result = match r {
                        JValue::Array(a) => a.items().to_vec(),
                        other => vec![other],
                    };
                }
                Stage::Index { name, .. } => {
                    result = result
                        .into_iter()
                        .enumerate()
                        .map(|(ee, t)| match t {
                            JValue::Object(mut o) => {
                                Arc::make_mut(&mut o).insert(name.as_str(), JValue::Number(ee as f64));
                                JValue::Object(o)
                            }
                            other => other,
                        })
                        .collect();
                }
            }
        }
        Ok(result)
    }

    /// jsonata-js `evaluateFilter`: a number selects by position (negative from the end), numbers
    /// from the predicate select positions, anything else filters by its boolean value.
    fn eval_filter(&mut self, predicate: &Expr, input: Option<JValue>, env: &Env) -> Result<JValue, EvalError> {
        let is_tuple = matches!(&input, Some(JValue::Array(a)) if a.tuple_stream);
        let items: Vec<Option<JValue>> = match &input {
            Some(JValue::Array(a)) => a.items().iter().cloned().map(Some).collect(),
            other => vec![other.clone()],
        };
        let make = |v: Vec<JValue>| {
            let mut a = JArray::sequence(v);
            a.tuple_stream = is_tuple;
            JValue::Array(Arc::new(a))
        };
        let len = items.len() as f64;
        if let ExprKind::Number(n) = predicate.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += len;
            }
            let item = if index >= 0.0 && index < len { items.get(index as usize).cloned().flatten() } else { None };
            return Ok(match item {
                Some(v @ JValue::Array(_)) => v,
                Some(v) => make(vec![v]),
                None => make(vec![]),
            });
        }
        let mut out = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let res = if is_tuple {
                let t = item.clone().unwrap_or(JValue::Null);
                let frame = self.frame_from_tuple(env, &t);
                self.eval(predicate, tuple_value(&t).as_ref(), &frame)?
            } else {
                self.eval(predicate, item.as_ref(), env)?
            };
            let positions: Option<Vec<f64>> = match &res {
                Some(v @ JValue::Number(n)) if is_numeric(v)? => Some(vec![*n]),
                Some(JValue::Array(a)) if all_numeric(a.items())? => {
                    Some(a.items().iter().filter_map(JValue::as_f64).collect())
                }
                _ => None,
            };
            match positions {
                Some(ps) => {
                    for p in ps {
                        let mut ii = p.floor();
                        if ii < 0.0 {
                            ii += len;
                        }
                        if ii == index as f64
                            && let Some(v) = item
                        {
                            out.push(v.clone());
                        }
                    }
                }
                None => {
                    if boolean(res.as_ref()) == Some(true)
                        && let Some(v) = item
                    {
                        out.push(v.clone());
                    }
                }
            }
        }
        Ok(make(out))
    }

    // -----------------------------------------------------------------------------------------
    // Operators and constructors

    fn eval_binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, input: Option<&JValue>, env: &Env) -> R {
        let l = self.eval(lhs, input, env)?;
        match op {
            BinaryOp::And => {
                if !boolize(l.as_ref()) {
                    return Ok(Some(JValue::Bool(false)));
                }
                let r = self.eval(rhs, input, env)?;
                return Ok(Some(JValue::Bool(boolize(r.as_ref()))));
            }
            BinaryOp::Or => {
                if boolize(l.as_ref()) {
                    return Ok(Some(JValue::Bool(true)));
                }
                let r = self.eval(rhs, input, env)?;
                return Ok(Some(JValue::Bool(boolize(r.as_ref()))));
            }
            _ => {}
        }
        let r = self.eval(rhs, input, env)?;
        match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => numeric(op, l, r),
            BinaryOp::Eq | BinaryOp::Ne => Ok(Some(JValue::Bool(match (&l, &r) {
                (Some(a), Some(b)) => value::deep_equal(a, b) == (op == BinaryOp::Eq),
                _ => false,
            }))),
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => compare(op, l, r),
            BinaryOp::Concat => {
                let mut s = String::new();
                for v in [l, r].into_iter().flatten() {
                    if let Some(x) = functions::to_string(&v, false)? {
                        s.push_str(&x);
                    }
                }
                Ok(Some(JValue::from(s)))
            }
            BinaryOp::In => Ok(Some(JValue::Bool(match (&l, &r) {
                (Some(a), Some(JValue::Array(arr))) => arr.items().iter().any(|x| value::strict_equal(x, a)),
                (Some(a), Some(b)) => value::strict_equal(b, a),
                _ => false,
            }))),
            BinaryOp::Range => range(l, r),
            BinaryOp::And | BinaryOp::Or => Ok(None),
        }
    }

    /// Array constructor: items are appended (arrays spliced in) except nested constructors.
    fn eval_array(&mut self, items: &[Expr], cons: bool, input: Option<&JValue>, env: &Env) -> R {
        let mut out = Vec::new();
        for item in items {
            let Some(v) = self.eval(item, input, env)? else {
                continue;
            };
            let nested = match &item.kind {
                ExprKind::Array { .. } => true,
                ExprKind::Filter { base, .. } => matches!(base.kind, ExprKind::Array { .. }),
                _ => false,
            };
            match v {
                JValue::Array(a) if !nested => out.extend(a.items().iter().cloned()),
                other => out.push(other),
            }
        }
        let mut a = JArray::new(out);
        a.cons = cons;
        Ok(Some(JValue::Array(Arc::new(a))))
    }

    /// jsonata-js `evaluateGroupExpression`: object constructors and `path{...}` grouping.
    fn eval_group(&mut self, pairs: &[(Expr, Expr)], input: Option<JValue>, env: &Env) -> R {
        let reduce = matches!(&input, Some(JValue::Array(a)) if a.tuple_stream);
        let mut items: Vec<Option<JValue>> = match &input {
            Some(JValue::Array(a)) => a.items().iter().cloned().map(Some).collect(),
            other => vec![other.clone()],
        };
        if items.is_empty() {
            items.push(None);
        }
        let mut order: Vec<Arc<str>> = Vec::new();
        let mut groups: HashMap<Arc<str>, (GroupData, usize)> = HashMap::new();
        for item in &items {
            let (context, frame) = if reduce {
                let t = item.clone().unwrap_or(JValue::Null);
                (tuple_value(&t), self.frame_from_tuple(env, &t))
            } else {
                (item.clone(), env.clone())
            };
            for (pi, (key_expr, _)) in pairs.iter().enumerate() {
                let key = match self.eval(key_expr, context.as_ref(), &frame)? {
                    None => continue,
                    Some(JValue::String(s)) => s,
                    Some(other) => {
                        return Err(EvalError::new(
                            "T1003",
                            format!("Key in object structure must evaluate to a string; got: {}", describe(&other)),
                        )
                        .at(key_expr.span.0));
                    }
                };
                match groups.get_mut(&key) {
                    Some((data, index)) => {
                        if *index != pi {
                            return Err(EvalError::new(
                                "D1009",
                                format!(
                                    "Multiple key definitions evaluate to same key: {}",
                                    describe(&JValue::String(key))
                                ),
                            )
                            .at(key_expr.span.0));
                        }
                        data.append(item.clone());
                    }
                    None => {
                        order.push(key.clone());
                        groups.insert(key, (GroupData::Single(item.clone()), pi));
                    }
                }
            }
        }
        let mut result = JObject::new();
        value::js_key_order(&mut order);
        for key in order {
            let Some((data, index)) = groups.remove(&key) else {
                continue;
            };
            let data = data.into_value();
            let Some((_, value_expr)) = pairs.get(index) else {
                continue;
            };
            let value = if reduce {
                let mut tuple = reduce_tuple_stream(data);
                let context = match &mut tuple {
                    Some(JValue::Object(o)) => Arc::make_mut(o).remove("@"),
                    _ => None,
                };
                let frame = self.frame_from_tuple(env, &tuple.unwrap_or(JValue::Null));
                self.eval(value_expr, context.as_ref(), &frame)?
            } else {
                self.eval(value_expr, data.as_ref(), env)?
            };
            if let Some(v) = value {
                result.insert(key, v);
            }
        }
        Ok(Some(JValue::object(result)))
    }

    /// jsonata-js `evaluateSortExpression` (stable merge sort; undefined keys last).
    fn eval_sort(&mut self, terms: &[SortTerm], input: JValue, env: &Env) -> Result<JValue, EvalError> {
        let JValue::Array(a) = &input else {
            return Ok(input);
        };
        if a.len() <= 1 {
            return Ok(input);
        }
        let is_tuple = a.tuple_stream;
        let items = a.items().to_vec();
        let mut keys: Vec<Vec<Option<Option<JValue>>>> = vec![vec![None; terms.len()]; items.len()];
        let order = self.merge_sort_indices((0..items.len()).collect(), &mut |ctx, x, y| {
            ctx.order_by(terms, is_tuple, env, &items, &mut keys, x, y)
        })?;
        let sorted = order.into_iter().filter_map(|i| items.get(i).cloned()).collect();
        let mut out = JArray::new(sorted);
        out.tuple_stream = is_tuple;
        Ok(JValue::Array(Arc::new(out)))
    }

    /// jsonata-js `fn.sort`'s merge sort: `swap(a, b)` true puts `b` first.
    pub(crate) fn merge_sort(&mut self, items: Vec<JValue>, cmp: &Comparator) -> Result<Vec<JValue>, EvalError> {
        if items.len() <= 1 {
            return Ok(items);
        }
        let mut items = items;
        let right = items.split_off(items.len() / 2);
        let left = self.merge_sort(items, cmp)?;
        let right = self.merge_sort(right, cmp)?;
        let mut out = Vec::with_capacity(left.len() + right.len());
        let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
        while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
            if self.swap(cmp, a, b)? {
                out.extend(r.next());
            } else {
                out.extend(l.next());
            }
        }
        out.extend(l);
        out.extend(r);
        Ok(out)
    }

    /// Stable merge sort of indices (jsonata-js `fn.sort`'s algorithm); `swap(x, y)` true puts
    /// `y` first.
    fn merge_sort_indices(
        &mut self,
        idx: Vec<usize>,
        swap: &mut dyn FnMut(&mut Self, usize, usize) -> Result<bool, EvalError>,
    ) -> Result<Vec<usize>, EvalError> {
        if idx.len() <= 1 {
            return Ok(idx);
        }
        let mut idx = idx;
        let right = idx.split_off(idx.len() / 2);
        let left = self.merge_sort_indices(idx, swap)?;
        let right = self.merge_sort_indices(right, swap)?;
        let mut out = Vec::with_capacity(left.len() + right.len());
        let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
        while let (Some(&x), Some(&y)) = (l.peek(), r.peek()) {
            if swap(self, x, y)? {
                out.extend(r.next());
            } else {
                out.extend(l.next());
            }
        }
        out.extend(l);
        out.extend(r);
        Ok(out)
    }

    /// An order-by comparison (jsonata-js `evaluateSortExpression`'s comparator). Each item's key
    /// for a term is evaluated once, when a comparison first needs it.
    #[allow(clippy::too_many_arguments)]
    fn order_by(
        &mut self,
        terms: &[SortTerm],
        is_tuple: bool,
        env: &Env,
        items: &[JValue],
        keys: &mut [Vec<Option<Option<JValue>>>],
        a: usize,
        b: usize,
    ) -> Result<bool, EvalError> {
        let mut comp = 0i32;
        for (t, term) in terms.iter().enumerate() {
            if comp != 0 {
                break;
            }
            let mut key = |ctx: &mut Self, i: usize| -> R {
                if let Some(Some(k)) = keys.get(i).and_then(|row| row.get(t)) {
                    return Ok(k.clone());
                }
                let item = items.get(i).cloned().unwrap_or(JValue::Null);
                let k = ctx.sort_value(&term.expr, &item, is_tuple, env)?;
                if let Some(slot) = keys.get_mut(i).and_then(|row| row.get_mut(t)) {
                    *slot = Some(k.clone());
                }
                Ok(k)
            };
            let aa = key(self, a)?;
            let bb = key(self, b)?;
            let (x, y) = match (aa, bb) {
                (None, None) => continue,
                (None, Some(_)) => {
                    comp = 1;
                    continue;
                }
                (Some(_), None) => {
                    comp = -1;
                    continue;
                }
                (Some(x), Some(y)) => (x, y),
            };
            let orderable = |v: &JValue| matches!(v, JValue::Number(_) | JValue::String(_));
            if !orderable(&x) || !orderable(&y) {
                let bad = if orderable(&x) { &y } else { &x };
                return Err(EvalError::new(
                    "T2008",
                    format!(
                        "The expressions within an order-by clause must evaluate to numeric or string values: {}",
                        describe(bad)
                    ),
                )
                .at(term.expr.span.0));
            }
            let c = match (&x, &y) {
                (JValue::Number(p), JValue::Number(q)) => match p.partial_cmp(q) {
                    Some(std::cmp::Ordering::Less) => -1,
                    Some(std::cmp::Ordering::Greater) => 1,
                    _ => 0,
                },
                (JValue::String(p), JValue::String(q)) => match utf16_cmp(p, q) {
                    std::cmp::Ordering::Less => -1,
                    std::cmp::Ordering::Equal => 0,
                    std::cmp::Ordering::Greater => 1,
                },
                _ => {
                    return Err(EvalError::new(
                        "T2007",
                        format!(
                            "Type mismatch when comparing values {} and {} in order-by clause",
                            describe(&x),
                            describe(&y)
                        ),
                    )
                    .at(term.expr.span.0));
                }
            };
            comp = if term.descending { -c } else { c };
        }
        Ok(comp == 1)
    }

    fn swap(&mut self, cmp: &Comparator, a: &JValue, b: &JValue) -> Result<bool, EvalError> {
        match cmp {
            Comparator::Default => Ok(match (a, b) {
                (JValue::Number(x), JValue::Number(y)) => x > y,
                (JValue::String(x), JValue::String(y)) => utf16_cmp(x, y) == std::cmp::Ordering::Greater,
                _ => false,
            }),
            Comparator::Function(f) => {
                let r = self.apply(Some(f.clone()), vec![Some(a.clone()), Some(b.clone())], None, "sort")?;
                Ok(js_truthy(r.as_ref()))
            }
        }
    }

    /// One sort key, evaluated against an item (or a tuple).
    fn sort_value(&mut self, e: &Expr, item: &JValue, is_tuple: bool, env: &Env) -> R {
        if is_tuple {
            let frame = self.frame_from_tuple(env, item);
            self.eval(e, tuple_value(item).as_ref(), &frame)
        } else {
            self.eval(e, Some(item), env)
        }
    }

    // -----------------------------------------------------------------------------------------
    // Functions

    fn make_lambda(&mut self, l: &Lambda, input: Option<&JValue>, env: &Env) -> JValue {
        let key = l as *const Lambda as usize;
        let def = self.lambdas.entry(key).or_insert_with(|| Arc::new(l.clone())).clone();
        let sig = def.signature.as_deref().map(|s| Arc::new(Signature::parse(s)));
        function(FnKind::Lambda(LambdaFn {
            params: def.params.clone(),
            def,
            sig,
            env: env.clone(),
            input: input.cloned(),
        }))
    }

    fn eval_regex(&mut self, e: &Expr, pattern: &str, flags: &str) -> R {
        let key = e as *const Expr as usize;
        if let Some(re) = self.regexes.get(&key) {
            return Ok(Some(function(FnKind::Regex(re.clone()))));
        }
        let re = Arc::new(Regex::new(pattern, flags).map_err(|err| {
            EvalError::new("REGEX", format!("Unsupported regular expression /{pattern}/{flags}: {err}"))
        })?);
        self.regexes.insert(key, re.clone());
        Ok(Some(function(FnKind::Regex(re))))
    }

    /// `lhs ~> rhs` (jsonata-js `evaluateApplyExpression`).
    fn eval_apply(&mut self, lhs: &Expr, rhs: &Expr, input: Option<&JValue>, env: &Env) -> R {
        let l = self.eval(lhs, input, env)?;
        if let ExprKind::Call { procedure, args, partial: false } = &rhs.kind {
            return self.eval_call(rhs, procedure, args, input, env, Some(l)).map_err(|e| e.at(rhs.span.0));
        }
        let f = self.eval(rhs, input, env)?;
        if !matches!(f, Some(JValue::Function(_))) {
            return Err(EvalError::new(
                "T2006",
                "The right side of the function application operator ~> must be a function",
            )
            .at(rhs.span.0));
        }
        match l {
            Some(l @ JValue::Function(_)) => Ok(f.map(|g| function(FnKind::Chain(l, g)))),
            other => self.apply(f, vec![other], input, ""),
        }
    }

    /// jsonata-js `evaluateFunction`.
    fn eval_call(
        &mut self,
        call: &Expr,
        procedure: &Expr,
        args: &[Expr],
        input: Option<&JValue>,
        env: &Env,
        applyto: Option<Option<JValue>>,
    ) -> R {
        let proc = self.eval(procedure, input, env)?;
        if proc.is_none()
            && let Some(name) = path_name(procedure)
            && js_truthy(self.lookup(env, &name).as_ref())
        {
            return Err(EvalError::new("T1005", format!("Attempted to invoke a non-function. Did you mean ${name}?"))
                .at(call.span.0));
        }
        let mut argv = Vec::with_capacity(args.len() + 1);
        if let Some(c) = applyto {
            argv.push(c);
        }
        for a in args {
            argv.push(self.eval(a, input, env)?);
        }
        let name = proc_name(procedure);
        self.apply(proc, argv, input, &name).map_err(|e| e.at(call.span.0))
    }

    /// Partial application `f(a, ?, c)` (jsonata-js `evaluatePartialApplication`).
    fn eval_partial(&mut self, procedure: &Expr, args: &[Expr], input: Option<&JValue>, env: &Env) -> R {
        let mut argv: Vec<Option<Option<JValue>>> = Vec::with_capacity(args.len());
        for a in args {
            argv.push(if matches!(a.kind, ExprKind::Placeholder) { None } else { Some(self.eval(a, input, env)?) });
        }
        let proc = self.eval(procedure, input, env)?;
        let Some(JValue::Function(f)) = proc else {
            if let Some(name) = path_name(procedure)
                && js_truthy(self.lookup(env, &name).as_ref())
            {
                return Err(EvalError::new(
                    "T1007",
                    format!("Attempted to partially apply a non-function. Did you mean ${name}?"),
                ));
            }
            return Err(EvalError::new("T1008", "Attempted to partially apply a non-function"));
        };
        Ok(Some(match &f.kind {
            FnKind::Lambda(l) => {
                let frame = Frame::new(Some(&l.env));
                let mut unbound = Vec::new();
                for (i, p) in l.params.iter().enumerate() {
                    match argv.get(i) {
                        Some(None) => unbound.push(p.clone()),
                        Some(Some(v)) => self.bind(&frame, p, v.clone()),
                        None => self.bind(&frame, p, None),
                    }
                }
                function(FnKind::Lambda(LambdaFn {
                    def: l.def.clone(),
                    params: unbound,
                    sig: None,
                    env: frame,
                    input: l.input.clone(),
                }))
            }
            FnKind::Builtin(b) => {
                let bound = (0..b.params).map(|i| argv.get(i).cloned().unwrap_or(Some(None))).collect();
                function(FnKind::Partial { target: f.clone(), bound })
            }
            _ => function(FnKind::Partial { target: f.clone(), bound: argv }),
        }))
    }

    /// jsonata-js `apply`: applies a function, running tail calls in a loop.
    pub(crate) fn apply(
        &mut self,
        proc: Option<JValue>,
        args: Vec<Option<JValue>>,
        input: Option<&JValue>,
        name: &str,
    ) -> R {
        let mut outcome = self.apply_inner(proc, args, input, name)?;
        loop {
            match outcome {
                Outcome::Value(v) => return Ok(v),
                Outcome::Tail { proc, args, name } => {
                    outcome = self.apply_inner(proc, args, input, &name)?;
                }
            }
        }
    }

    /// jsonata-js `applyInner`.
    fn apply_inner(
        &mut self,
        proc: Option<JValue>,
        args: Vec<Option<JValue>>,
        input: Option<&JValue>,
        name: &str,
    ) -> Result<Outcome, EvalError> {
        let Some(JValue::Function(f)) = proc else {
            return Err(EvalError::new("T1006", "Attempted to invoke a non-function"));
        };
        match &f.kind {
            FnKind::Builtin(b) => {
                let args = b.signature().validate(args, input, b.name)?;
                Ok(Outcome::Value((b.imp)(self, args)?))
            }
            FnKind::Lambda(l) => {
                let args = match &l.sig {
                    Some(sig) => sig.validate(args, input, name)?,
                    None => args,
                };
                self.apply_lambda(l, args)
            }
            FnKind::Partial { target, bound } => {
                let mut supplied = args.into_iter();
                let filled: Vec<Option<JValue>> =
                    bound.iter().map(|b| b.clone().unwrap_or_else(|| supplied.next().flatten())).collect();
                match &target.kind {
                    FnKind::Builtin(b) => {
                        let filled = b.signature().validate(filled, None, b.name)?;
                        Ok(Outcome::Value((b.imp)(self, filled)?))
                    }
                    _ => Ok(Outcome::Value(self.apply(Some(JValue::Function(target.clone())), filled, None, name)?)),
                }
            }
            FnKind::Transform(def, env) => {
                static SIG: std::sync::OnceLock<Signature> = std::sync::OnceLock::new();
                let args = SIG.get_or_init(|| Signature::parse("<(oa):o>")).validate(args, input, name)?;
                let obj = args.into_iter().next().flatten();
                Ok(Outcome::Value(self.apply_transform(def, env, obj)?))
            }
            FnKind::Regex(re) => {
                let s = match args.first() {
                    Some(Some(JValue::String(s))) => s.clone(),
                    _ => return Ok(Outcome::Value(None)),
                };
                let from = match args.get(1) {
                    Some(Some(JValue::Number(n))) if *n > 0.0 => *n as usize,
                    _ => 0,
                };
                let units: Arc<[u16]> = s.encode_utf16().collect();
                Ok(Outcome::Value(functions::regex_match_object(re, &units, from, false)?))
            }
            FnKind::RegexNext { regex, input: units, from } => {
                Ok(Outcome::Value(functions::regex_match_object(regex, units, *from, true)?))
            }
            FnKind::Chain(f, g) => {
                let x = args.into_iter().next().flatten();
                let r = self.apply(Some(f.clone()), vec![x], input, name)?;
                Ok(Outcome::Value(self.apply(Some(g.clone()), vec![r], input, name)?))
            }
        }
    }

    /// jsonata-js `applyProcedure`: binds the parameters in a new frame of the closure's
    /// environment and evaluates the body (a call in tail position comes back as a tail call).
    fn apply_lambda(&mut self, l: &LambdaFn, args: Vec<Option<JValue>>) -> Result<Outcome, EvalError> {
        if self.calls >= MAX_CALL_DEPTH {
            return Err(stack_overflow());
        }
        self.calls += 1;
        let frame = Frame::new(Some(&l.env));
        let mut args = args.into_iter();
        for p in &l.params {
            let v = args.next().flatten();
            self.bind(&frame, p, v);
        }
        let r = self.eval_tail(&l.def.body, l.input.as_ref(), &frame);
        self.calls -= 1;
        r
    }

    /// Evaluates a lambda body; a function call in tail position (through conditions and the
    /// last expression of blocks, like jsonata-js `tailCallOptimize`) is returned unapplied.
    fn eval_tail(&mut self, e: &Expr, input: Option<&JValue>, env: &Env) -> Result<Outcome, EvalError> {
        match &e.kind {
            ExprKind::Call { procedure, args, partial: false } => {
                self.enter()?;
                let r = (|| {
                    let proc = self.eval(procedure, input, env)?;
                    let mut argv = Vec::with_capacity(args.len());
                    for a in args {
                        argv.push(self.eval(a, input, env)?);
                    }
                    Ok(Outcome::Tail { proc, args: argv, name: proc_name(procedure) })
                })();
                self.depth -= 1;
                r.map_err(|err: EvalError| err.at(e.span.0))
            }
            ExprKind::Condition { condition, then, otherwise } => {
                self.enter()?;
                let r = (|| {
                    let c = self.eval(condition, input, env)?;
                    if boolean(c.as_ref()) == Some(true) {
                        self.eval_tail(then, input, env)
                    } else if let Some(o) = otherwise {
                        self.eval_tail(o, input, env)
                    } else {
                        Ok(Outcome::Value(None))
                    }
                })();
                self.depth -= 1;
                r.map_err(|err| err.at(e.span.0))
            }
            ExprKind::Block { exprs, .. } if !exprs.is_empty() => {
                self.enter()?;
                let r = (|| {
                    let frame = Frame::new(Some(env));
                    let (last, init) = exprs.split_last().ok_or_else(|| EvalError::new("U1001", "empty block"))?;
                    for x in init {
                        self.eval(x, input, &frame)?;
                    }
                    self.eval_tail(last, input, &frame)
                })();
                self.depth -= 1;
                r.map_err(|err| err.at(e.span.0))
            }
            _ => Ok(Outcome::Value(self.eval(e, input, env)?)),
        }
    }

    /// The function a transform expression makes (jsonata-js `evaluateTransformExpression`):
    /// clones its argument with `$clone`, then for each node the pattern selects merges in the
    /// update object and removes the delete keys.
    fn apply_transform(&mut self, def: &TransformDef, env: &Env, obj: Option<JValue>) -> R {
        let Some(obj) = obj else {
            return Ok(None);
        };
        let clone = self.lookup(env, "clone");
        if !matches!(clone, Some(JValue::Function(_))) {
            return Err(EvalError::new(
                "T2013",
                "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function.",
            ));
        }
        let Some(root) = self.apply(clone, vec![Some(obj)], None, "clone")? else {
            return Ok(None);
        };
        let matches = match self.eval(&def.pattern, Some(&root), env)? {
            None => Vec::new(),
            Some(JValue::Array(a)) => a.items().to_vec(),
            Some(v) => vec![v],
        };
        let mut ops: HashMap<usize, Vec<TransformOp>> = HashMap::new();
        for m in matches {
            let key = match &m {
                JValue::Object(o) => Some(Arc::as_ptr(o) as usize),
                _ => None,
            };
            let current = |ops: &HashMap<usize, Vec<TransformOp>>| match (&m, key.and_then(|k| ops.get(&k))) {
                (JValue::Object(o), Some(list)) => {
                    let mut o = (**o).clone();
                    for op in list {
                        op.apply(&mut o);
                    }
                    JValue::object(o)
                }
                _ => m.clone(),
            };
            let target = current(&ops);
            if let Some(update) = self.eval(&def.update, Some(&target), env)? {
                let JValue::Object(u) = update else {
                    return Err(EvalError::new(
                        "T2011",
                        format!(
                            "The insert/update clause of the transform expression must evaluate to an object: {}",
                            describe(&update)
                        ),
                    )
                    .at(def.update.span.0));
                };
                if let Some(k) = key {
                    ops.entry(k).or_default().push(TransformOp::Merge(u));
                }
            }
            if let Some(delete) = &def.delete {
                let target = current(&ops);
                if let Some(d) = self.eval(delete, Some(&target), env)? {
                    let names: Option<Vec<Arc<str>>> = match &d {
                        JValue::String(s) => Some(vec![s.clone()]),
                        JValue::Array(a) => a
                            .items()
                            .iter()
                            .map(|x| match x {
                                JValue::String(s) => Some(s.clone()),
                                _ => None,
                            })
                            .collect(),
                        _ => None,
                    };
                    let Some(names) = names else {
                        return Err(EvalError::new(
                            "T2012",
                            format!(
                                "The delete clause of the transform expression must evaluate to a string or array of strings: {}",
                                describe(&d)
                            ),
                        )
                        .at(delete.span.0));
                    };
                    if let Some(k) = key {
                        ops.entry(k).or_default().push(TransformOp::Delete(names));
                    }
                }
            }
        }
        if ops.is_empty() {
            return Ok(Some(root));
        }
        Ok(Some(rebuild(&root, &ops)))
    }
}

/// The items grouped under one key: what repeated jsonata-js `fn.append` calls produce, built
/// without copying the accumulated array each time.
enum GroupData {
    Single(Option<JValue>),
    Many(Vec<JValue>),
}

impl GroupData {
    fn append(&mut self, item: Option<JValue>) {
        let Some(item) = item else {
            return;
        };
        if let GroupData::Single(first) = self {
            match first.take() {
                None => {
                    *self = GroupData::Single(Some(item));
                    return;
                }
                Some(JValue::Array(a)) => *self = GroupData::Many(a.items().to_vec()),
                Some(v) => *self = GroupData::Many(vec![v]),
            }
        }
        if let GroupData::Many(items) = self {
            match item {
                JValue::Array(a) => items.extend(a.items().iter().cloned()),
                other => items.push(other),
            }
        }
    }

    fn into_value(self) -> Option<JValue> {
        match self {
            GroupData::Single(v) => v,
            GroupData::Many(items) => Some(JValue::array(items)),
        }
    }
}

enum TransformOp {
    Merge(Arc<JObject>),
    Delete(Vec<Arc<str>>),
}

impl TransformOp {
    fn apply(&self, o: &mut JObject) {
        match self {
            TransformOp::Merge(u) => {
                for (k, v) in u.iter() {
                    o.insert(k, v.clone());
                }
            }
            TransformOp::Delete(names) => {
                for n in names {
                    o.remove(n);
                }
            }
        }
    }
}

/// Copies the cloned tree, applying the transform operations recorded for each object node.
fn rebuild(v: &JValue, ops: &HashMap<usize, Vec<TransformOp>>) -> JValue {
    match v {
        JValue::Object(o) => {
            let mut out = JObject::new();
            for (k, c) in o.iter() {
                out.insert(k, rebuild(c, ops));
            }
            if let Some(list) = ops.get(&(Arc::as_ptr(o) as usize)) {
                for op in list {
                    op.apply(&mut out);
                }
            }
            JValue::object(out)
        }
        JValue::Array(a) => {
            let mut out = JArray::new(a.items().iter().map(|c| rebuild(c, ops)).collect());
            out.sequence = a.sequence;
            out.keep_singleton = a.keep_singleton;
            out.cons = a.cons;
            JValue::Array(Arc::new(out))
        }
        other => other.clone(),
    }
}

/// How a merge sort orders items.
pub(crate) enum Comparator {
    /// Numbers or strings ascending (`$sort` without a function).
    Default,
    /// A user function returning true when its arguments must be swapped.
    Function(JValue),
}

// ---------------------------------------------------------------------------------------------
// Helpers shared with the built-in functions

/// The sequence post-processing of jsonata-js `evaluate`, plus the value-depth limit.
fn finish(v: Option<JValue>, keep: bool) -> R {
    let Some(v) = v else {
        return Ok(None);
    };
    if v.depth() > MAX_VALUE_DEPTH {
        return Err(EvalError::new(
            "U1001",
            format!("Stack overflow error: values may nest at most {MAX_VALUE_DEPTH} levels deep"),
        ));
    }
    let JValue::Array(mut a) = v else {
        return Ok(Some(v));
    };
    if !a.sequence || a.tuple_stream {
        return Ok(Some(JValue::Array(a)));
    }
    if keep && !a.keep_singleton {
        Arc::make_mut(&mut a).keep_singleton = true;
    }
    match a.len() {
        0 => Ok(None),
        1 if !a.keep_singleton => Ok(a.items().first().cloned()),
        _ => Ok(Some(JValue::Array(a))),
    }
}

fn is_variable_step(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Variable(_) => true,
        ExprKind::Filter { base, .. } => matches!(base.kind, ExprKind::Variable(_)),
        _ => false,
    }
}

fn is_cons_step(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Array { cons_array, .. } | ExprKind::Block { cons_array, .. } => *cons_array,
        ExprKind::Filter { base, .. } => is_cons_step(base),
        _ => false,
    }
}

/// The field name a call's procedure would be if the `$` was forgotten (`uppercase(x)`).
fn path_name(procedure: &Expr) -> Option<String> {
    match &procedure.kind {
        ExprKind::Path(p) => match &p.steps.first()?.expr.kind {
            ExprKind::Name(n) => Some(n.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The name jsonata-js reports for the function of a call.
fn proc_name(procedure: &Expr) -> String {
    match &procedure.kind {
        ExprKind::Variable(v) => v.clone(),
        ExprKind::Path(p) => match p.steps.first().map(|s| &s.expr.kind) {
            Some(ExprKind::Name(n) | ExprKind::Variable(n)) => n.clone(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn tuple_stream(items: Vec<JValue>) -> JValue {
    let mut a = JArray::sequence(items);
    a.tuple_stream = true;
    JValue::Array(Arc::new(a))
}

/// The `@` value of a tuple.
fn tuple_value(t: &JValue) -> Option<JValue> {
    match t {
        JValue::Object(o) => o.get("@").cloned(),
        _ => None,
    }
}

/// jsonata-js `reduceTupleStream`: one tuple whose properties append those of all tuples.
fn reduce_tuple_stream(data: Option<JValue>) -> Option<JValue> {
    let Some(JValue::Array(a)) = &data else {
        return data;
    };
    let mut items = a.items().iter();
    let mut result = match items.next() {
        Some(JValue::Object(o)) => (**o).clone(),
        _ => JObject::new(),
    };
    for t in items {
        if let JValue::Object(o) = t {
            for (k, v) in o.iter() {
                let merged = append(result.get(k).cloned(), Some(v.clone()));
                if let Some(m) = merged {
                    result.insert(k, m);
                }
            }
        }
    }
    Some(JValue::object(result))
}

/// jsonata-js `fn.append`: undefined is ignored; otherwise both sides as arrays, concatenated
/// into a plain array.
pub(crate) fn append(a: Option<JValue>, b: Option<JValue>) -> Option<JValue> {
    let (a, b) = match (a, b) {
        (None, b) => return b,
        (a, None) => return a,
        (Some(a), Some(b)) => (a, b),
    };
    let mut items = match a {
        JValue::Array(x) => x.items().to_vec(),
        other => vec![other],
    };
    match b {
        JValue::Array(y) => items.extend(y.items().iter().cloned()),
        other => items.push(other),
    }
    Some(JValue::array(items))
}

/// jsonata-js `fn.lookup`: a field of an object, or of each object of an array (flattened).
pub(crate) fn lookup_field(input: &JValue, key: &str) -> Option<JValue> {
    match input {
        JValue::Array(a) => {
            let mut out = Vec::new();
            for item in a.items() {
                match lookup_field(item, key) {
                    Some(JValue::Array(r)) => out.extend(r.items().iter().cloned()),
                    Some(v) => out.push(v),
                    None => {}
                }
            }
            Some(JValue::seq(out))
        }
        JValue::Object(o) => o.get(key).cloned(),
        _ => None,
    }
}

/// jsonata-js `evaluateWildcard`: the values of all fields (array values flattened).
fn wildcard(input: &JValue) -> Option<JValue> {
    let input = match input {
        JValue::Array(a) if a.outer_wrapper && !a.is_empty() => a.items().first().unwrap_or(input),
        other => other,
    };
    let values: Vec<JValue> = match input {
        JValue::Object(o) => o.iter().map(|(_, v)| v.clone()).collect(),
        JValue::Array(a) => a.items().to_vec(),
        _ => return Some(JValue::seq(vec![])),
    };
    let mut out = Vec::new();
    let mut sequence = true;
    for v in values {
        match v {
            JValue::Array(_) => {
                flatten(&v, &mut out);
                sequence = false;
            }
            other => out.push(other),
        }
    }
    Some(if sequence { JValue::seq(out) } else { JValue::array(out) })
}

fn flatten(v: &JValue, out: &mut Vec<JValue>) {
    match v {
        JValue::Array(a) => {
            for item in a.items() {
                flatten(item, out);
            }
        }
        other => out.push(other.clone()),
    }
}

/// jsonata-js `evaluateDescendants`: the value and all values nested in it (arrays looked
/// through), in document order.
fn descendants(input: &JValue) -> Option<JValue> {
    let mut out = Vec::new();
    let mut stack = vec![input.clone()];
    while let Some(v) = stack.pop() {
        match &v {
            JValue::Array(a) => stack.extend(a.items().iter().rev().cloned()),
            JValue::Object(o) => {
                out.push(v.clone());
                let children: Vec<JValue> = o.iter().map(|(_, c)| c.clone()).collect();
                stack.extend(children.into_iter().rev());
            }
            _ => out.push(v.clone()),
        }
    }
    if out.len() == 1 { out.pop() } else { Some(JValue::seq(out)) }
}

/// jsonata-js `isNumeric`: a number that is not NaN; an infinite number is error D1001.
pub(crate) fn is_numeric(v: &JValue) -> Result<bool, EvalError> {
    match v {
        JValue::Number(n) if n.is_infinite() => {
            Err(EvalError::new("D1001", format!("Number out of range: {}", jsnum::js_to_string(*n))))
        }
        JValue::Number(n) => Ok(!n.is_nan()),
        _ => Ok(false),
    }
}

/// jsonata-js `isArrayOfNumbers`.
pub(crate) fn all_numeric(items: &[JValue]) -> Result<bool, EvalError> {
    for v in items {
        if !is_numeric(v)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// jsonata-js `fn.boolean`: the effective boolean value (`None` for undefined).
pub(crate) fn boolean(v: Option<&JValue>) -> Option<bool> {
    let v = v?;
    Some(match v {
        JValue::Null => false,
        JValue::Bool(b) => *b,
        JValue::Number(n) => *n != 0.0 && !n.is_nan(),
        JValue::String(s) => !s.is_empty(),
        JValue::Object(o) => !o.is_empty(),
        JValue::Function(_) => false,
        JValue::Array(a) => match a.items() {
            [] => false,
            [one] => boolean(Some(one)) == Some(true),
            many => many.iter().any(|x| boolean(Some(x)) == Some(true)),
        },
    })
}

/// jsonata-js `boolize`: [`boolean`] with undefined as false.
pub(crate) fn boolize(v: Option<&JValue>) -> bool {
    boolean(v) == Some(true)
}

/// JavaScript truthiness (`if (x)`).
pub(crate) fn js_truthy(v: Option<&JValue>) -> bool {
    match v {
        None | Some(JValue::Null) => false,
        Some(JValue::Bool(b)) => *b,
        Some(JValue::Number(n)) => *n != 0.0 && !n.is_nan(),
        Some(JValue::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// JavaScript string comparison (UTF-16 code unit order).
pub(crate) fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// A value as jsonata-js puts it in messages (`JSON.stringify`).
pub(crate) fn describe(v: &JValue) -> String {
    match v {
        JValue::Number(n) if !n.is_finite() => jsnum::js_to_string(*n),
        JValue::Function(_) => "{}".to_string(),
        other => jsnum::stringify(other, false).unwrap_or_else(|_| "null".to_string()),
    }
}

fn describe_opt(v: Option<&JValue>) -> String {
    v.map(describe).unwrap_or_else(|| "undefined".to_string())
}

/// Arithmetic (jsonata-js `evaluateNumericExpression`).
fn numeric(op: BinaryOp, l: Option<JValue>, r: Option<JValue>) -> R {
    if let Some(v) = &l
        && !is_numeric(v)?
    {
        return Err(EvalError::new(
            "T2001",
            format!("The left side of the \"{}\" operator must evaluate to a number", op.symbol()),
        ));
    }
    if let Some(v) = &r
        && !is_numeric(v)?
    {
        return Err(EvalError::new(
            "T2002",
            format!("The right side of the \"{}\" operator must evaluate to a number", op.symbol()),
        ));
    }
    let (Some(JValue::Number(a)), Some(JValue::Number(b))) = (l, r) else {
        return Ok(None);
    };
    Ok(Some(JValue::Number(match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => a / b,
        _ => a % b,
    })))
}

/// `< <= > >=` (jsonata-js `evaluateComparisonExpression`).
fn compare(op: BinaryOp, l: Option<JValue>, r: Option<JValue>) -> R {
    let comparable = |v: &Option<JValue>| matches!(v, None | Some(JValue::Number(_) | JValue::String(_)));
    if !comparable(&l) || !comparable(&r) {
        return Err(EvalError::new(
            "T2010",
            format!(
                "The expressions either side of operator \"{}\" must evaluate to numeric or string values",
                op.symbol()
            ),
        ));
    }
    let ord = match (&l, &r) {
        (None, _) | (_, None) => return Ok(None),
        (Some(JValue::Number(a)), Some(JValue::Number(b))) => a.partial_cmp(b),
        (Some(JValue::String(a)), Some(JValue::String(b))) => Some(utf16_cmp(a, b)),
        _ => {
            return Err(EvalError::new(
                "T2009",
                format!(
                    "The values {} and {} either side of operator \"{}\" must be of the same data type",
                    describe_opt(l.as_ref()),
                    describe_opt(r.as_ref()),
                    op.symbol()
                ),
            ));
        }
    };
    use std::cmp::Ordering::*;
    Ok(Some(JValue::Bool(match (op, ord) {
        (_, None) => false,
        (BinaryOp::Lt, Some(o)) => o == Less,
        (BinaryOp::Le, Some(o)) => o != Greater,
        (BinaryOp::Gt, Some(o)) => o == Greater,
        (_, Some(o)) => o != Less,
    })))
}

/// `a..b` (jsonata-js `evaluateRangeExpression`).
fn range(l: Option<JValue>, r: Option<JValue>) -> R {
    let is_int = |v: &JValue| matches!(v, JValue::Number(n) if n.is_finite() && n.fract() == 0.0);
    if let Some(v) = &l
        && !is_int(v)
    {
        return Err(EvalError::new("T2003", "The left side of the range operator (..) must evaluate to an integer"));
    }
    if let Some(v) = &r
        && !is_int(v)
    {
        return Err(EvalError::new("T2004", "The right side of the range operator (..) must evaluate to an integer"));
    }
    let (Some(JValue::Number(a)), Some(JValue::Number(b))) = (l, r) else {
        return Ok(None);
    };
    if a > b {
        return Ok(None);
    }
    let size = b - a + 1.0;
    if size > 1e7 {
        return Err(EvalError::new(
            "D2014",
            format!(
                "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {}.",
                jsnum::js_to_string(size)
            ),
        ));
    }
    let (a, b) = (a as i64, b as i64);
    Ok(Some(JValue::seq((a..=b).map(|n| JValue::Number(n as f64)).collect())))
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
