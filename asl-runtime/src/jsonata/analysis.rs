//! Static facts about a parsed JSONata expression that the ASL checker needs.
//!
//! * [`top_level_references`]: Step Functions gives JSONata no input document, so `$`, `$$` or a
//!   field name evaluated against the top-level context is rejected at create time
//!   (`UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported.`).
//! * [`free_variables`]: which `$name`s come from outside the expression (state-machine variables and
//!   the reserved `$states`, with the field chain after it, to check `$states.result` /
//!   `$states.errorOutput` placement and unassigned variables).
//! * [`function_calls`]: named calls, to refuse `$eval` and check Step Functions' own functions.
//! * [`newer_syntax`]: JSONata 2.1 operators that the 2.0.6 engine of Step Functions rejects.
//!
//! All offsets are byte offsets within the expression text.

use super::ast::{Expr, ExprKind, Stage};

/// Every function JSONata 2.0.6 binds, plus those Step Functions adds (`$partition`, `$range`,
/// `$hash`, `$random` with a seed, `$uuid`, `$parse`). Names without the `$`.
pub const BUILTIN_FUNCTIONS: &[&str] = &[
    // JSONata 2.0.6 (jsonata-js `staticFrame`, plus `$now` and `$millis`).
    "sum",
    "count",
    "max",
    "min",
    "average",
    "string",
    "substring",
    "substringBefore",
    "substringAfter",
    "lowercase",
    "uppercase",
    "length",
    "trim",
    "pad",
    "match",
    "contains",
    "replace",
    "split",
    "join",
    "formatNumber",
    "formatBase",
    "formatInteger",
    "parseInteger",
    "number",
    "floor",
    "ceil",
    "round",
    "abs",
    "sqrt",
    "power",
    "random",
    "boolean",
    "not",
    "map",
    "zip",
    "filter",
    "single",
    "reduce",
    "sift",
    "keys",
    "lookup",
    "append",
    "exists",
    "spread",
    "merge",
    "reverse",
    "each",
    "error",
    "assert",
    "type",
    "sort",
    "shuffle",
    "distinct",
    "base64encode",
    "base64decode",
    "encodeUrlComponent",
    "encodeUrl",
    "decodeUrlComponent",
    "decodeUrl",
    "eval",
    "toMillis",
    "fromMillis",
    "clone",
    "now",
    "millis",
    // Step Functions additions.
    "partition",
    "range",
    "hash",
    "uuid",
    "parse",
];

/// True when `name` (without `$`) is in [`BUILTIN_FUNCTIONS`].
pub fn is_builtin(name: &str) -> bool {
    BUILTIN_FUNCTIONS.contains(&name)
}

/// The direct sub-expressions of `e`, in evaluation order (path steps, their stages, grouping
/// pairs, operands, arguments, lambda bodies, ...).
pub fn children(e: &Expr) -> Vec<&Expr> {
    let mut v: Vec<&Expr> = Vec::new();
    match &e.kind {
        ExprKind::String(_)
        | ExprKind::Number(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Regex { .. }
        | ExprKind::Name(_)
        | ExprKind::Variable(_)
        | ExprKind::Wildcard
        | ExprKind::Descendant
        | ExprKind::Parent { .. }
        | ExprKind::Placeholder => {}
        ExprKind::Path(p) => {
            for s in &p.steps {
                v.push(&s.expr);
                for st in &s.stages {
                    if let Stage::Filter { expr, .. } = st {
                        v.push(expr);
                    }
                }
            }
            if let Some(g) = &p.group {
                for (k, val) in &g.pairs {
                    v.push(k);
                    v.push(val);
                }
            }
        }
        ExprKind::Negate(x) => v.push(x),
        ExprKind::Binary { lhs, rhs, .. }
        | ExprKind::Coalesce { lhs, rhs }
        | ExprKind::Elvis { lhs, rhs }
        | ExprKind::Apply { lhs, rhs, .. } => {
            v.push(lhs);
            v.push(rhs);
        }
        ExprKind::Array { items, .. } => v.extend(items.iter()),
        ExprKind::Object { pairs } => {
            for (k, val) in pairs {
                v.push(k);
                v.push(val);
            }
        }
        ExprKind::Block { exprs, .. } => v.extend(exprs.iter()),
        ExprKind::Condition { condition, then, otherwise } => {
            v.push(condition);
            v.push(then);
            if let Some(o) = otherwise {
                v.push(o);
            }
        }
        ExprKind::Bind { value, .. } => v.push(value),
        ExprKind::Call { procedure, args, .. } => {
            v.push(procedure);
            v.extend(args.iter());
        }
        ExprKind::Lambda(l) => v.push(&l.body),
        ExprKind::Transform { pattern, update, delete } => {
            v.push(pattern);
            v.push(update);
            if let Some(d) = delete {
                v.push(d);
            }
        }
        ExprKind::Sort { terms } => v.extend(terms.iter().map(|t| &t.expr)),
        ExprKind::Filter { base, predicates, group, .. } => {
            v.push(base);
            v.extend(predicates.iter());
            if let Some(g) = group {
                for (k, val) in &g.pairs {
                    v.push(k);
                    v.push(val);
                }
            }
        }
    }
    v
}

/// References to the input document evaluated in the top-level context, which Step Functions
/// forbids: `$` (reported as `"$"`), `$$` (`"$$"`), a field name (`phone` in `phone` or
/// `phone.number`), `*` or `**`, when they are the first step of a path (or a bare operand) whose
/// context is the top level. Names after the first step, inside predicates, sort keys, grouping
/// objects and transform patterns are relative to something else and not reported. A lambda body
/// keeps the context it was defined in (jsonata-js evaluates it against the input captured at
/// definition), so `function($v){ a }` at the top level reports `a`.
pub fn top_level_references(e: &Expr) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    top_refs(e, &mut out);
    out
}

/// Walks the parts of `e` evaluated in the top-level context.
fn top_refs(e: &Expr, out: &mut Vec<(String, usize)>) {
    match &e.kind {
        ExprKind::Variable(v) if v.is_empty() => out.push(("$".to_string(), e.span.0)),
        ExprKind::Variable(v) if v == "$" => out.push(("$$".to_string(), e.span.0)),
        ExprKind::Name(n) => out.push((n.clone(), e.span.0)),
        ExprKind::Wildcard => out.push(("*".to_string(), e.span.0)),
        ExprKind::Descendant => out.push(("**".to_string(), e.span.0)),
        // Only the first step sees the top-level context; later steps, stages and grouping see
        // the previous step's items.
        ExprKind::Path(p) => {
            if let Some(first) = p.steps.first() {
                top_refs(&first.expr, out);
            }
        }
        // Predicates and grouping are evaluated per item of the base.
        ExprKind::Filter { base, .. } => top_refs(base, out),
        // Keys are evaluated per item; a transform's parts against its argument.
        ExprKind::Sort { .. } | ExprKind::Transform { .. } => {}
        _ => {
            for c in children(e) {
                top_refs(c, out);
            }
        }
    }
}

/// A reference to a variable defined outside the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    /// Variable name without `$` (`"states"` for `$states`).
    pub name: String,
    /// Field names that directly follow the variable in a path (`["result", "Payload"]` for
    /// `$states.result.Payload`); empty when none. The chain stops at the first step that is not
    /// a plain name and includes a name that carries predicates (`$v.items[0].x` gives `["items"]`).
    pub fields: Vec<String>,
    /// Byte offset of the `$`.
    pub offset: usize,
}

/// Every variable reference that is not bound inside the expression: not a lambda parameter, not
/// bound by `:=` earlier in an enclosing block (or earlier in the expression at the same level), not
/// bound by `@$v` / `#$i` earlier in the same path, not the context `$` or root `$$`, and not a
/// built-in function name ([`BUILTIN_FUNCTIONS`], whether called or passed as a value, since those
/// names resolve to the functions unless rebound). In evaluation order.
pub fn free_variables(e: &Expr) -> Vec<VarRef> {
    let mut fv = FreeVars { scopes: vec![Vec::new()], out: Vec::new() };
    fv.visit(e);
    fv.out
}

struct FreeVars {
    scopes: Vec<Vec<String>>,
    out: Vec<VarRef>,
}

impl FreeVars {
    fn bound(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.iter().any(|n| n == name))
    }

    fn bind(&mut self, name: &str) {
        if let Some(s) = self.scopes.last_mut() {
            s.push(name.to_string());
        }
    }

    fn reference(&mut self, name: &str, fields: Vec<String>, offset: usize) {
        if name.is_empty() || name == "$" || self.bound(name) || is_builtin(name) {
            return;
        }
        self.out.push(VarRef { name: name.to_string(), fields, offset });
    }

    fn visit(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Variable(v) => self.reference(v, Vec::new(), e.span.0),
            ExprKind::Path(p) => {
                self.scopes.push(Vec::new());
                for (i, step) in p.steps.iter().enumerate() {
                    match &step.expr.kind {
                        ExprKind::Variable(v) if i == 0 => {
                            let fields = if step.stages.is_empty() { field_chain(&p.steps[1..]) } else { Vec::new() };
                            self.reference(v, fields, step.expr.span.0);
                        }
                        _ => self.visit(&step.expr),
                    }
                    if let Some(f) = &step.focus {
                        self.bind(f);
                    }
                    if let Some(ix) = &step.index {
                        self.bind(ix);
                    }
                    for st in &step.stages {
                        match st {
                            Stage::Filter { expr, .. } => self.visit(expr),
                            Stage::Index { name, .. } => self.bind(name),
                        }
                    }
                }
                if let Some(g) = &p.group {
                    for (k, v) in &g.pairs {
                        self.visit(k);
                        self.visit(v);
                    }
                }
                self.scopes.pop();
            }
            ExprKind::Block { exprs, .. } => {
                self.scopes.push(Vec::new());
                for x in exprs {
                    self.visit(x);
                }
                self.scopes.pop();
            }
            ExprKind::Bind { name, value, .. } => {
                self.visit(value);
                self.bind(name);
            }
            ExprKind::Lambda(l) => {
                self.scopes.push(l.params.clone());
                self.visit(&l.body);
                self.scopes.pop();
            }
            _ => {
                for c in children(e) {
                    self.visit(c);
                }
            }
        }
    }
}

/// Plain field names at the start of `steps` (see [`VarRef::fields`]).
fn field_chain(steps: &[super::ast::Step]) -> Vec<String> {
    let mut fields = Vec::new();
    for s in steps {
        let ExprKind::Name(n) = &s.expr.kind else {
            break;
        };
        if s.focus.is_some() || s.index.is_some() {
            break;
        }
        fields.push(n.clone());
        if !s.stages.is_empty() {
            break;
        }
    }
    fields
}

/// Calls of functions by name: `$f(...)` (also partial applications `$f(?, 1)`) and `x ~> $f`.
/// Names are without `$`, offsets point at the `$`. Local rebinding is not considered: a call of a
/// lambda bound to `$eval` is still reported as `eval`.
pub fn function_calls(e: &Expr) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    calls(e, &mut out);
    out
}

fn calls(e: &Expr, out: &mut Vec<(String, usize)>) {
    match &e.kind {
        ExprKind::Call { procedure, .. } => {
            if let ExprKind::Variable(n) = &procedure.kind {
                out.push((n.clone(), procedure.span.0));
            }
        }
        ExprKind::Apply { rhs, .. } => {
            if let ExprKind::Variable(n) = &rhs.kind {
                out.push((n.clone(), rhs.span.0));
            }
        }
        _ => {}
    }
    for c in children(e) {
        calls(c, out);
    }
}

/// Uses of syntax newer than jsonata-js 2.0.6 (the version Step Functions runs): the `??` and `?:`
/// operators of JSONata 2.1, with the offset of the expression they start. Step Functions reports
/// these as `INVALID_JSONATA_EXPRESSION`.
pub fn newer_syntax(e: &Expr) -> Vec<(&'static str, usize)> {
    let mut out = Vec::new();
    newer(e, &mut out);
    out
}

fn newer(e: &Expr, out: &mut Vec<(&'static str, usize)>) {
    match &e.kind {
        ExprKind::Coalesce { .. } => out.push(("??", e.span.0)),
        ExprKind::Elvis { .. } => out.push(("?:", e.span.0)),
        _ => {}
    }
    for c in children(e) {
        newer(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn tops(src: &str) -> Vec<(String, usize)> {
        top_level_references(&parse(src).unwrap())
    }

    fn names(src: &str) -> Vec<String> {
        tops(src).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn top_level_references_cases() {
        assert!(tops("$states.input.x").is_empty());
        assert_eq!(tops("phone"), vec![("phone".to_string(), 0)]);
        assert_eq!(tops(" phone.number"), vec![("phone".to_string(), 1)]);
        assert_eq!(tops("$.a"), vec![("$".to_string(), 0)]);
        assert_eq!(tops("$"), vec![("$".to_string(), 0)]);
        assert_eq!(tops("$$"), vec![("$$".to_string(), 0)]);
        assert_eq!(tops("$$.Execution.Id"), vec![("$$".to_string(), 0)]);
        assert!(tops("$x[price > 3]").is_empty());
        assert!(tops("$map($arr, function($v){ $v.a })").is_empty());
        assert_eq!(tops("{ \"a\": b }"), vec![("b".to_string(), 7)]);
        assert_eq!(tops("$count(items)"), vec![("items".to_string(), 7)]);
        assert_eq!(names("a[b = 1].c"), vec!["a"]);
        assert_eq!(names("`quoted name` & \"x\""), vec!["quoted name"]);
        assert_eq!(names("*"), vec!["*"]);
        assert_eq!(names("$x.(a + b)"), Vec::<String>::new());
        assert_eq!(names("($y := a; $y.b)"), vec!["a"]);
        assert_eq!(names("$f(x) ~> $g(y)"), vec!["x", "y"]);
        assert_eq!(names("c ? d : e"), vec!["c", "d", "e"]);
        assert_eq!(names("$x ~> | a | {'b': c} |"), Vec::<String>::new());
        assert_eq!(names("$x^(a)"), Vec::<String>::new());
        assert_eq!(names("$x{a: b}"), Vec::<String>::new());
        assert_eq!(names("function($v){ a }"), vec!["a"]);
        assert_eq!(names("$x[$ = 1]"), Vec::<String>::new());
        assert_eq!(names("$string($)"), vec!["$"]);
        assert_eq!(names("'a' & 1"), Vec::<String>::new());
    }

    fn vars(src: &str) -> Vec<(String, Vec<String>)> {
        free_variables(&parse(src).unwrap()).into_iter().map(|v| (v.name, v.fields)).collect()
    }

    fn v(name: &str, fields: &[&str]) -> (String, Vec<String>) {
        (name.to_string(), fields.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn free_variable_cases() {
        let e = parse("$states.result.Payload").unwrap();
        assert_eq!(
            free_variables(&e),
            vec![VarRef { name: "states".into(), fields: vec!["result".into(), "Payload".into()], offset: 0 }]
        );
        assert_eq!(vars("$x + $y.a"), vec![v("x", &[]), v("y", &["a"])]);
        assert_eq!(vars("$sum($a) + $count($b)"), vec![v("a", &[]), v("b", &[])]);
        assert_eq!(vars("$map($l, $string)"), vec![v("l", &[])]);
        assert_eq!(vars("($x := 1; $x + $y)"), vec![v("y", &[])]);
        assert_eq!(vars("($x + 1; $x := 2)"), vec![v("x", &[])]);
        assert_eq!(vars("$x := $x + 1"), vec![v("x", &[])]);
        assert_eq!(vars("function($v, $w){ $v + $w + $z }"), vec![v("z", &[])]);
        assert_eq!(vars("$f := function($n){ $n > 0 ? $f($n - 1) : 0 }"), vec![v("f", &[])]);
        assert_eq!(vars("a@$o.b#$i[$i > 0].{'o': $o, 'i': $i, 'q': $q}"), vec![v("q", &[])]);
        assert_eq!(vars("$ + $$.a"), Vec::<(String, Vec<String>)>::new());
        assert_eq!(vars("$states.input.items[0].name"), vec![v("states", &["input", "items"])]);
        assert_eq!(vars("$myFunc(1)"), vec![v("myFunc", &[])]);
        assert_eq!(vars("$states.context.Map.Item.Value"), vec![v("states", &["context", "Map", "Item", "Value"])]);
        let offsets: Vec<usize> = free_variables(&parse("1 + $a + $b.c").unwrap()).iter().map(|r| r.offset).collect();
        assert_eq!(offsets, vec![4, 9]);
    }

    #[test]
    fn function_call_cases() {
        let e = parse("$eval('1') + $partition($x, 2) ~> $f").unwrap();
        assert_eq!(
            function_calls(&e),
            vec![("f".to_string(), 34), ("eval".to_string(), 0), ("partition".to_string(), 13)]
        );
        let e = parse("$x.$uppercase()").unwrap();
        assert_eq!(function_calls(&e), vec![("uppercase".to_string(), 3)]);
        let e = parse("$f(?, 2)").unwrap();
        assert_eq!(function_calls(&e), vec![("f".to_string(), 0)]);
        let e = parse("function($a){$a}(1)").unwrap();
        assert!(function_calls(&e).is_empty());
    }

    #[test]
    fn newer_syntax_cases() {
        assert_eq!(newer_syntax(&parse("a ?? b").unwrap()), vec![("??", 0)]);
        assert_eq!(newer_syntax(&parse("$f(x ?: 1)").unwrap()), vec![("?:", 3)]);
        assert!(newer_syntax(&parse("a ? b : c").unwrap()).is_empty());
    }

    #[test]
    fn builtins_cover_step_functions_additions() {
        for f in ["partition", "range", "hash", "random", "uuid", "parse", "eval", "now"] {
            assert!(is_builtin(f), "{f}");
        }
        assert!(!is_builtin("states"));
    }
}
