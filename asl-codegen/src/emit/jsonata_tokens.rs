//! A parsed JSONata expression as Rust constructor code, so generated workflows carry the tree
//! built at compile time and never parse JSONata at run time.

use proc_macro2::TokenStream;
use quote::quote;

use super::lit;
use crate::jsonata::ast::{BinaryOp, Expr, ExprKind, Group, Lambda, Path, SortTerm, Stage, Step};

/// `Expr { kind: ..., span: (a, b) }`.
pub(crate) fn expr(e: &Expr) -> TokenStream {
    let kind = kind(&e.kind);
    let (a, b) = e.span;
    quote!(jsonata::Expr { kind: #kind, span: (#a, #b) })
}

fn boxed(e: &Expr) -> TokenStream {
    let e = expr(e);
    quote!(Box::new(#e))
}

fn exprs(items: &[Expr]) -> TokenStream {
    let items = items.iter().map(expr);
    quote!(vec![#(#items),*])
}

fn string(s: &str) -> TokenStream {
    let s = lit(s);
    quote!(#s.to_owned())
}

fn opt_string(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => {
            let s = string(s);
            quote!(Some(#s))
        }
        None => quote!(None),
    }
}

fn pairs(pairs: &[(Expr, Expr)]) -> TokenStream {
    let pairs = pairs.iter().map(|(k, v)| {
        let (k, v) = (expr(k), expr(v));
        quote!((#k, #v))
    });
    quote!(vec![#(#pairs),*])
}

fn group(g: &Option<Box<Group>>) -> TokenStream {
    match g {
        Some(g) => {
            let p = pairs(&g.pairs);
            let offset = g.offset;
            quote!(Some(Box::new(jsonata::ast::Group { pairs: #p, offset: #offset })))
        }
        None => quote!(None),
    }
}

fn op(op: BinaryOp) -> TokenStream {
    let name = quote::format_ident!("{}", format!("{op:?}"));
    quote!(jsonata::ast::BinaryOp::#name)
}

fn path(p: &Path) -> TokenStream {
    let steps = p.steps.iter().map(step);
    let (ksa, ka, tuple) = (p.keep_singleton_array, p.keep_array, p.tuple);
    let g = group(&p.group);
    quote!(jsonata::ast::Path { steps: vec![#(#steps),*], keep_singleton_array: #ksa, keep_array: #ka, tuple: #tuple, group: #g })
}

fn step(s: &Step) -> TokenStream {
    let e = expr(&s.expr);
    let stages = s.stages.iter().map(|st| match st {
        Stage::Filter { expr: f, offset } => {
            let f = expr(f);
            quote!(jsonata::ast::Stage::Filter { expr: #f, offset: #offset })
        }
        Stage::Index { name, offset } => {
            let name = string(name);
            quote!(jsonata::ast::Stage::Index { name: #name, offset: #offset })
        }
    });
    let (focus, index) = (opt_string(&s.focus), opt_string(&s.index));
    let (tuple, keep) = (s.tuple, s.keep_array);
    let ancestor = match s.ancestor {
        Some(a) => quote!(Some(#a)),
        None => quote!(None),
    };
    quote!(jsonata::ast::Step {
        expr: #e, stages: vec![#(#stages),*], focus: #focus, index: #index, tuple: #tuple, ancestor: #ancestor, keep_array: #keep
    })
}

fn lambda(l: &Lambda) -> TokenStream {
    let params = l.params.iter().map(|p| string(p));
    let signature = opt_string(&l.signature);
    let body = expr(&l.body);
    quote!(Box::new(jsonata::ast::Lambda { params: vec![#(#params),*], signature: #signature, body: #body }))
}

fn sort_terms(terms: &[SortTerm]) -> TokenStream {
    let terms = terms.iter().map(|t| {
        let d = t.descending;
        let e = expr(&t.expr);
        quote!(jsonata::ast::SortTerm { descending: #d, expr: #e })
    });
    quote!(vec![#(#terms),*])
}

fn kind(k: &ExprKind) -> TokenStream {
    use ExprKind as K;
    match k {
        K::String(s) => {
            let s = string(s);
            quote!(jsonata::ExprKind::String(#s))
        }
        K::Number(n) => {
            let n = proc_macro2::Literal::f64_suffixed(*n);
            quote!(jsonata::ExprKind::Number(#n))
        }
        K::Bool(b) => quote!(jsonata::ExprKind::Bool(#b)),
        K::Null => quote!(jsonata::ExprKind::Null),
        K::Regex { pattern, flags } => {
            let (p, f) = (string(pattern), string(flags));
            quote!(jsonata::ExprKind::Regex { pattern: #p, flags: #f })
        }
        K::Name(n) => {
            let n = string(n);
            quote!(jsonata::ExprKind::Name(#n))
        }
        K::Variable(v) => {
            let v = string(v);
            quote!(jsonata::ExprKind::Variable(#v))
        }
        K::Wildcard => quote!(jsonata::ExprKind::Wildcard),
        K::Descendant => quote!(jsonata::ExprKind::Descendant),
        K::Parent { label } => quote!(jsonata::ExprKind::Parent { label: #label }),
        K::Path(p) => {
            let p = path(p);
            quote!(jsonata::ExprKind::Path(#p))
        }
        K::Negate(e) => {
            let e = boxed(e);
            quote!(jsonata::ExprKind::Negate(#e))
        }
        K::Binary { op: o, lhs, rhs } => {
            let (o, l, r) = (op(*o), boxed(lhs), boxed(rhs));
            quote!(jsonata::ExprKind::Binary { op: #o, lhs: #l, rhs: #r })
        }
        K::Array { items, cons_array } => {
            let items = exprs(items);
            quote!(jsonata::ExprKind::Array { items: #items, cons_array: #cons_array })
        }
        K::Object { pairs: p } => {
            let p = pairs(p);
            quote!(jsonata::ExprKind::Object { pairs: #p })
        }
        K::Block { exprs: items, cons_array } => {
            let items = exprs(items);
            quote!(jsonata::ExprKind::Block { exprs: #items, cons_array: #cons_array })
        }
        K::Condition { condition, then, otherwise } => {
            let (c, t) = (boxed(condition), boxed(then));
            let o = match otherwise {
                Some(o) => {
                    let o = boxed(o);
                    quote!(Some(#o))
                }
                None => quote!(None),
            };
            quote!(jsonata::ExprKind::Condition { condition: #c, then: #t, otherwise: #o })
        }
        K::Coalesce { lhs, rhs } => {
            let (l, r) = (boxed(lhs), boxed(rhs));
            quote!(jsonata::ExprKind::Coalesce { lhs: #l, rhs: #r })
        }
        K::Elvis { lhs, rhs } => {
            let (l, r) = (boxed(lhs), boxed(rhs));
            quote!(jsonata::ExprKind::Elvis { lhs: #l, rhs: #r })
        }
        K::Bind { name, name_offset, value } => {
            let (n, v) = (string(name), boxed(value));
            quote!(jsonata::ExprKind::Bind { name: #n, name_offset: #name_offset, value: #v })
        }
        K::Apply { lhs, rhs, keep_array } => {
            let (l, r) = (boxed(lhs), boxed(rhs));
            quote!(jsonata::ExprKind::Apply { lhs: #l, rhs: #r, keep_array: #keep_array })
        }
        K::Call { procedure, args, partial } => {
            let (p, a) = (boxed(procedure), exprs(args));
            quote!(jsonata::ExprKind::Call { procedure: #p, args: #a, partial: #partial })
        }
        K::Placeholder => quote!(jsonata::ExprKind::Placeholder),
        K::Lambda(l) => {
            let l = lambda(l);
            quote!(jsonata::ExprKind::Lambda(#l))
        }
        K::Transform { pattern, update, delete } => {
            let (p, u) = (boxed(pattern), boxed(update));
            let d = match delete {
                Some(d) => {
                    let d = boxed(d);
                    quote!(Some(#d))
                }
                None => quote!(None),
            };
            quote!(jsonata::ExprKind::Transform { pattern: #p, update: #u, delete: #d })
        }
        K::Sort { terms } => {
            let t = sort_terms(terms);
            quote!(jsonata::ExprKind::Sort { terms: #t })
        }
        K::Filter { base, predicates, group: g, keep_array } => {
            let (b, p, g) = (boxed(base), exprs(predicates), group(g));
            quote!(jsonata::ExprKind::Filter { base: #b, predicates: #p, group: #g, keep_array: #keep_array })
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_construct_becomes_constructor_code() {
        for text in [
            "$states.input.a[0].b",
            "$sum($states.input.items.(price * qty))",
            "($x := 1; $x + 2)",
            "$map($l, function($v, $i) { $v & $string($i) })",
            "$states.input.items^(>price){ name: $count($) }",
            "$states.input ~> |a|{'b': 1}, ['c']|",
            "/ab+c/i",
            "$states.input.a ? 1 : 2",
            "$states.input.a.**.b.%.c",
            "$states.input.a@$x#$i",
        ] {
            let e = crate::jsonata::parse(text).unwrap();
            let tokens = super::expr(&e).to_string();
            assert!(tokens.starts_with("jsonata :: Expr"), "{text}: {tokens}");
        }
    }
}
