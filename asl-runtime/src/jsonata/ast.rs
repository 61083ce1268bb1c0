//! The JSONata syntax tree, in the shape jsonata-js's evaluator works on.
//!
//! jsonata-js parses in two steps: a Pratt parser builds a raw operator tree, then a post-pass
//! (`processAST`) flattens `a.b[x].c` into a [`Path`] of [`Step`]s, turns `[...]` after a step into
//! filter *stages*, attaches `{...}` grouping, `@$v` / `#$i` bindings, `^(...)` sort steps, and resolves
//! the parent operator `%` to the step it refers to. This module is the tree after that post-pass, so an
//! evaluator or a code generator can follow jsonata-js's `evaluate()` case by case:
//!
//! * every bare field name is a [`Path`] (a one-step path for `a`);
//! * [`ExprKind::Filter`] holds predicates, `[]` (keep singleton arrays) and grouping applied to a
//!   non-path expression (`$x[0]`, `[1,2][0]`, `$f(){...}`);
//! * within a path those annotations live on the [`Step`].
//!
//! Spans are byte offsets into the expression text that was parsed (for an ASL `{% ... %}` string, add
//! the offset returned by [`super::strip_delimiters`]).

use std::fmt::Write as _;

/// A byte range `(start, end)` within the expression text.
pub type Span = (usize, usize);

/// One node of the syntax tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Byte range of the whole node in the expression text.
    pub span: Span,
}

/// Binary operators whose operands are evaluated first and then combined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&` (string concatenation)
    Concat,
    /// `and` (short-circuit)
    And,
    /// `or` (short-circuit)
    Or,
    /// `in` (array membership)
    In,
    /// `..` (integer range; only legal as an item of an array constructor)
    Range,
}

impl BinaryOp {
    /// The operator as written in JSONata.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Concat => "&",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::In => "in",
            BinaryOp::Range => "..",
        }
    }

    /// The operator for a token text, if it is a plain binary operator.
    pub fn from_symbol(s: &str) -> Option<BinaryOp> {
        Some(match s {
            "+" => BinaryOp::Add,
            "-" => BinaryOp::Sub,
            "*" => BinaryOp::Mul,
            "/" => BinaryOp::Div,
            "%" => BinaryOp::Mod,
            "=" => BinaryOp::Eq,
            "!=" => BinaryOp::Ne,
            "<" => BinaryOp::Lt,
            "<=" => BinaryOp::Le,
            ">" => BinaryOp::Gt,
            ">=" => BinaryOp::Ge,
            "&" => BinaryOp::Concat,
            "and" => BinaryOp::And,
            "or" => BinaryOp::Or,
            "in" => BinaryOp::In,
            ".." => BinaryOp::Range,
            _ => return None,
        })
    }
}

/// The kinds of node.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A string literal, escapes already decoded. (A string literal used as a path step becomes a
    /// [`ExprKind::Name`], as in jsonata-js: `"a b".c`.)
    String(String),
    /// A number literal. `-5` is folded into `Number(-5.0)` like jsonata-js does.
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A regular expression literal `/pattern/flags`. `flags` holds only `i` and `m` as written;
    /// jsonata-js always adds `g` when it compiles the pattern (JavaScript regex syntax).
    Regex {
        /// The text between the slashes, unchanged.
        pattern: String,
        /// `i`, `m` or both, in the order written.
        flags: String,
    },
    /// A field name (plain or backquoted). Only appears as a [`Step`] of a [`Path`].
    Name(String),
    /// A variable reference `$name`, stored without the `$`. The context item `$` is
    /// `Variable("")` and the root `$$` is `Variable("$")`.
    Variable(String),
    /// `*`: the values of all fields of the context object.
    Wildcard,
    /// `**`: all descendants of the context.
    Descendant,
    /// `%`: the parent of the current context. `label` names the binding that the step this `%`
    /// refers to records (see [`Step::ancestor`]); an evaluator looks the label up in the tuple.
    Parent {
        /// Binding label shared with the ancestor step.
        label: u32,
    },
    /// A location path `a.b[0].c`: steps evaluated left to right, each over the previous result.
    Path(Path),
    /// Unary minus on something that is not a number literal.
    Negate(Box<Expr>),
    /// A binary operator.
    Binary {
        /// Which operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// An array constructor `[a, b, 1..5]`. Range items are [`BinaryOp::Range`] nodes.
    Array {
        /// The items in order.
        items: Vec<Expr>,
        /// jsonata-js `consarray`: the constructor is the first or last step of a path, so its
        /// result is kept as one array instead of being flattened into the path's sequence.
        cons_array: bool,
    },
    /// An object constructor `{ key: value, ... }` evaluated against the context.
    Object {
        /// Key and value expressions in order.
        pairs: Vec<(Expr, Expr)>,
    },
    /// A block `(e1; e2; ...)`: a new variable scope, value of the last expression.
    Block {
        /// The expressions in order (may be empty: `()`).
        exprs: Vec<Expr>,
        /// jsonata-js `consarray` propagated from an inner array constructor.
        cons_array: bool,
    },
    /// `condition ? then : else`.
    Condition {
        /// The test.
        condition: Box<Expr>,
        /// Value when the test is truthy.
        then: Box<Expr>,
        /// Value otherwise (`None`: undefined).
        otherwise: Option<Box<Expr>>,
    },
    /// `lhs ?? rhs` (JSONata 2.1+, not in 2.0.6): `lhs` if it exists, else `rhs`.
    Coalesce {
        /// Tested and returned value.
        lhs: Box<Expr>,
        /// Fallback.
        rhs: Box<Expr>,
    },
    /// `lhs ?: rhs` (JSONata 2.1+, not in 2.0.6): `lhs` if it is truthy, else `rhs`.
    Elvis {
        /// Tested and returned value.
        lhs: Box<Expr>,
        /// Fallback.
        rhs: Box<Expr>,
    },
    /// `$name := value`: binds in the innermost block (or lambda) scope and yields `value`.
    Bind {
        /// Variable name without `$`.
        name: String,
        /// Byte offset of the `$name` token.
        name_offset: usize,
        /// The bound value.
        value: Box<Expr>,
    },
    /// `lhs ~> rhs`: apply the function `rhs` with `lhs` as its first argument (or compose two
    /// functions when `lhs` is one).
    Apply {
        /// The value (or function) on the left.
        lhs: Box<Expr>,
        /// The function on the right; a call `$f(x)` there means `$f(lhs, x)`.
        rhs: Box<Expr>,
        /// jsonata-js `keepArray` of either side.
        keep_array: bool,
    },
    /// A function call `proc(args)`. With `partial` set, some arguments are
    /// [`ExprKind::Placeholder`] and the value is a new function (partial application).
    Call {
        /// The function: usually `Variable("name")`, but any expression.
        procedure: Box<Expr>,
        /// Arguments in order.
        args: Vec<Expr>,
        /// True when at least one argument is a `?` placeholder.
        partial: bool,
    },
    /// The `?` argument of a partial application.
    Placeholder,
    /// `function($a, $b)<sig>{ body }` (or `λ(...)`).
    Lambda(Box<Lambda>),
    /// `| pattern | update, delete |`: a function that deep-copies its argument and, for each node
    /// the pattern selects, merges in `update` and removes the fields named by `delete`.
    Transform {
        /// Selects nodes of the (copied) argument.
        pattern: Box<Expr>,
        /// Object merged into each selected node.
        update: Box<Expr>,
        /// Field name(s) to remove from each selected node.
        delete: Option<Box<Expr>>,
    },
    /// `^( <a, >b )`: sorts the sequence produced so far. Only appears as a [`Step`] of a [`Path`].
    Sort {
        /// Sort keys, most significant first.
        terms: Vec<SortTerm>,
    },
    /// A non-path expression followed by predicates, `[]` or a grouping object:
    /// evaluate `base`, filter by each predicate in order, then group, then keep singleton arrays.
    Filter {
        /// The filtered expression (never a [`Path`]).
        base: Box<Expr>,
        /// Predicates in order (a number selects by index, anything else filters).
        predicates: Vec<Expr>,
        /// `base{ k: v }` grouping applied after the predicates.
        group: Option<Box<Group>>,
        /// `[]`: keep a singleton result as an array.
        keep_array: bool,
    },
}

/// A location path.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// The steps, at least one.
    pub steps: Vec<Step>,
    /// jsonata-js `keepSingletonArray`: some step has `[]`.
    pub keep_singleton_array: bool,
    /// jsonata-js `keepArray`: `[]` applied after the whole path (e.g. `(a.b)[]` is a block, but
    /// `a.b[]` binds `[]` to the path).
    pub keep_array: bool,
    /// jsonata-js `tuple`: the path's result must stay a tuple stream because an enclosing `%`
    /// refers into it.
    pub tuple: bool,
    /// `path{ k: v }` grouping applied to the path's result.
    pub group: Option<Box<Group>>,
}

/// One step of a [`Path`].
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The step's expression: a [`ExprKind::Name`], wildcard, `$var`, call, block, constructor,
    /// [`ExprKind::Sort`], ... Never a [`ExprKind::Path`]. The first step may be a
    /// [`ExprKind::Filter`] (jsonata-js keeps predicates of a first step on the node itself).
    pub expr: Expr,
    /// Filters and index bindings applied to this step's result for each input item, in order.
    pub stages: Vec<Stage>,
    /// `@$v`: the step's value is bound to `$v` and the context stays the previous step's.
    pub focus: Option<String>,
    /// `#$i`: the position in the step's result is bound to `$i` (when written before any stage).
    pub index: Option<String>,
    /// jsonata-js `tuple`: from this step on the path is evaluated as a tuple stream.
    pub tuple: bool,
    /// Label under which this step's input is recorded for a `%` ([`ExprKind::Parent`]).
    pub ancestor: Option<u32>,
    /// `[]` was written on this step.
    pub keep_array: bool,
}

/// A stage of a [`Step`].
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    /// `[expr]`: a number selects by position, anything else is a boolean filter.
    Filter {
        /// The predicate.
        expr: Expr,
        /// Byte offset of the `[`.
        offset: usize,
    },
    /// `#$name` written after a predicate.
    Index {
        /// Variable name without `$`.
        name: String,
        /// Byte offset of the `#`.
        offset: usize,
    },
}

/// The grouping object of `expr{ k: v }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Key and value expressions.
    pub pairs: Vec<(Expr, Expr)>,
    /// Byte offset of the `{`.
    pub offset: usize,
}

/// One key of a sort step.
#[derive(Clone, Debug, PartialEq)]
pub struct SortTerm {
    /// `>` was written.
    pub descending: bool,
    /// The key, evaluated per item.
    pub expr: Expr,
}

/// A lambda definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Lambda {
    /// Parameter names without `$`.
    pub params: Vec<String>,
    /// The type signature `<...>` exactly as jsonata-js rebuilds it from its tokens
    /// (whitespace removed), e.g. `"<n-n:n>"`.
    pub signature: Option<String>,
    /// The body.
    pub body: Expr,
}

impl Expr {
    /// A compact, fully parenthesised rendering of the tree for tests and debugging, e.g.
    /// `1 + 2 * 3` gives `(+ 1 (* 2 3))` and `a.b[0]` gives `(path a b[0])`.
    pub fn to_sexpr(&self) -> String {
        let mut s = String::new();
        write_sexpr(self, &mut s);
        s
    }
}

fn write_list(out: &mut String, head: &str, items: &[Expr]) {
    out.push('(');
    out.push_str(head);
    for i in items {
        out.push(' ');
        write_sexpr(i, out);
    }
    out.push(')');
}

fn write_pairs(out: &mut String, pairs: &[(Expr, Expr)]) {
    for (k, v) in pairs {
        out.push(' ');
        write_sexpr(k, out);
        out.push(':');
        write_sexpr(v, out);
    }
}

fn write_sexpr(e: &Expr, out: &mut String) {
    match &e.kind {
        ExprKind::String(s) => {
            let _ = write!(out, "{s:?}");
        }
        ExprKind::Number(n) => {
            let _ = write!(out, "{n}");
        }
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::Null => out.push_str("null"),
        ExprKind::Regex { pattern, flags } => {
            let _ = write!(out, "/{pattern}/{flags}");
        }
        ExprKind::Name(n) => out.push_str(n),
        ExprKind::Variable(v) => {
            out.push('$');
            out.push_str(v);
        }
        ExprKind::Wildcard => out.push('*'),
        ExprKind::Descendant => out.push_str("**"),
        ExprKind::Parent { label } => {
            let _ = write!(out, "%{label}");
        }
        ExprKind::Path(p) => {
            out.push_str("(path");
            for st in &p.steps {
                out.push(' ');
                write_sexpr(&st.expr, out);
                if let Some(f) = &st.focus {
                    let _ = write!(out, "@${f}");
                }
                if let Some(i) = &st.index {
                    let _ = write!(out, "#${i}");
                }
                for stage in &st.stages {
                    match stage {
                        Stage::Filter { expr, .. } => {
                            out.push('[');
                            write_sexpr(expr, out);
                            out.push(']');
                        }
                        Stage::Index { name, .. } => {
                            let _ = write!(out, "#${name}");
                        }
                    }
                }
                if st.keep_array {
                    out.push_str("[]");
                }
                if let Some(a) = st.ancestor {
                    let _ = write!(out, "^{a}");
                }
            }
            if let Some(g) = &p.group {
                out.push_str(" {");
                write_pairs(out, &g.pairs);
                out.push_str(" }");
            }
            if p.keep_array {
                out.push_str(" []");
            }
            out.push(')');
        }
        ExprKind::Negate(x) => write_list(out, "neg", std::slice::from_ref(x.as_ref())),
        ExprKind::Binary { op, lhs, rhs } => {
            let _ = write!(out, "({} ", op.symbol());
            write_sexpr(lhs, out);
            out.push(' ');
            write_sexpr(rhs, out);
            out.push(')');
        }
        ExprKind::Array { items, .. } => write_list(out, "array", items),
        ExprKind::Object { pairs } => {
            out.push_str("(object");
            write_pairs(out, pairs);
            out.push(')');
        }
        ExprKind::Block { exprs, .. } => write_list(out, "block", exprs),
        ExprKind::Condition { condition, then, otherwise } => {
            out.push_str("(? ");
            write_sexpr(condition, out);
            out.push(' ');
            write_sexpr(then, out);
            if let Some(o) = otherwise {
                out.push(' ');
                write_sexpr(o, out);
            }
            out.push(')');
        }
        ExprKind::Coalesce { lhs, rhs } => {
            out.push_str("(?? ");
            write_sexpr(lhs, out);
            out.push(' ');
            write_sexpr(rhs, out);
            out.push(')');
        }
        ExprKind::Elvis { lhs, rhs } => {
            out.push_str("(?: ");
            write_sexpr(lhs, out);
            out.push(' ');
            write_sexpr(rhs, out);
            out.push(')');
        }
        ExprKind::Bind { name, value, .. } => {
            let _ = write!(out, "(:= ${name} ");
            write_sexpr(value, out);
            out.push(')');
        }
        ExprKind::Apply { lhs, rhs, .. } => {
            out.push_str("(~> ");
            write_sexpr(lhs, out);
            out.push(' ');
            write_sexpr(rhs, out);
            out.push(')');
        }
        ExprKind::Call { procedure, args, partial } => {
            out.push_str(if *partial { "(partial " } else { "(call " });
            write_sexpr(procedure, out);
            for a in args {
                out.push(' ');
                write_sexpr(a, out);
            }
            out.push(')');
        }
        ExprKind::Placeholder => out.push('?'),
        ExprKind::Lambda(l) => {
            out.push_str("(lambda (");
            let params: Vec<String> = l.params.iter().map(|p| format!("${p}")).collect();
            out.push_str(&params.join(" "));
            out.push(')');
            if let Some(s) = &l.signature {
                out.push(' ');
                out.push_str(s);
            }
            out.push(' ');
            write_sexpr(&l.body, out);
            out.push(')');
        }
        ExprKind::Transform { pattern, update, delete } => {
            out.push_str("(transform ");
            write_sexpr(pattern, out);
            out.push(' ');
            write_sexpr(update, out);
            if let Some(d) = delete {
                out.push(' ');
                write_sexpr(d, out);
            }
            out.push(')');
        }
        ExprKind::Sort { terms } => {
            out.push_str("(sort");
            for t in terms {
                out.push(' ');
                out.push(if t.descending { '>' } else { '<' });
                write_sexpr(&t.expr, out);
            }
            out.push(')');
        }
        ExprKind::Filter { base, predicates, group, keep_array } => {
            out.push_str("(filter ");
            write_sexpr(base, out);
            for p in predicates {
                out.push_str(" [");
                write_sexpr(p, out);
                out.push(']');
            }
            if let Some(g) = group {
                out.push_str(" {");
                write_pairs(out, &g.pairs);
                out.push_str(" }");
            }
            if *keep_array {
                out.push_str(" []");
            }
            out.push(')');
        }
    }
}
