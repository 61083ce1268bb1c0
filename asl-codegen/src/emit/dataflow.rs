//! Expressions of the generated code: path reads, payload templates, intrinsic calls, JSON
//! literals and Choice conditions. Every function returns tokens of an expression; fallible ones
//! end in `?` inside the state function, which returns `Result<_, Error>`.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::block::Generator;
use super::lit;
use crate::intrinsic::{self, Arg, Call, FormatPiece};
use crate::jsonpath::{Root, Segment};
use crate::model::*;

/// Where `$` and `$$` come from for the expressions of one state.
#[derive(Clone)]
pub(crate) struct Sources {
    /// An expression of type `&Value` for `$`.
    pub input: TokenStream,
    /// An expression of type `&Value` for `$$` (the Context Object), when the state built one.
    pub context: Option<TokenStream>,
    /// An expression of type `&Variables` for `$name`.
    pub vars: TokenStream,
}

impl Sources {
    /// `$` is `input`, with the state's context (if any) and the scope's variables.
    pub(crate) fn new(input: TokenStream, context: Option<TokenStream>) -> Sources {
        Sources { input, context, vars: quote!(&*vars) }
    }

    /// The same `$$` and variables with another `$`.
    pub(crate) fn with_input(&self, input: TokenStream) -> Sources {
        Sources { input, context: self.context.clone(), vars: self.vars.clone() }
    }
}

/// The static step list of a definite path (`&[Step::Field("a"), Step::Index(0)]`), or `None`
/// for an indefinite one.
pub(crate) fn steps(path: &crate::jsonpath::Path) -> Option<TokenStream> {
    let mut out = Vec::new();
    for segment in &path.segments {
        match segment {
            Segment::Field(name) => {
                let name = lit(name);
                out.push(quote!(PathStep::Field(#name)));
            }
            Segment::Index(i) => out.push(quote!(PathStep::Index(#i))),
            _ => return None,
        }
    }
    Some(quote!(&[#(#out),*]))
}

/// How a path's result is used, which decides the error a miss raises.
#[derive(Clone, Copy)]
pub(crate) enum Read<'a> {
    /// InputPath, OutputPath, ItemsPath: `Invalid path '...' : No results for path: ...`.
    Select,
    /// A `.$` field of a payload template, or ErrorPath/CausePath: `The JSONPath '...' specified
    /// for the field '...' could not be found in the input '...'`.
    Field(&'a str),
}

impl Generator<'_> {
    /// The `&Value` a path starts from, or `None` (reported) for variables, which come with issue #4.
    fn root(&mut self, p: &PathExpr, src: &Sources) -> Option<TokenStream> {
        match &p.path.root {
            Root::Input => Some(src.input.clone()),
            Root::Context => match &src.context {
                Some(c) => Some(c.clone()),
                None => {
                    self.unsupported_at(p.span, format!("the Context Object path '{}' is not available here", p.text));
                    None
                }
            },
            Root::Variable(name) => {
                let name = lit(name);
                let vars = &src.vars;
                Some(quote!(variable(#vars, #name, &visit)?))
            }
        }
    }

    /// Reads a path: an expression of type `Value` (after `?`).
    pub(crate) fn read(&mut self, p: &PathExpr, src: &Sources, how: Read) -> TokenStream {
        let Some(root) = self.root(p, src) else { return quote!(Value::Null) };
        let text = lit(&p.text);
        match (steps(&p.path), how) {
            (Some(steps), Read::Select) => quote!(select(#root, #steps, #text, &visit)?),
            (Some(steps), Read::Field(field)) => {
                let field = lit(field);
                quote!(field(#root, #steps, #text, #field, &visit)?)
            }
            (None, how) => {
                let field = match how {
                    Read::Select => quote!(None),
                    Read::Field(f) => {
                        let f = lit(f);
                        quote!(Some(#f))
                    }
                };
                let context = match &src.context {
                    Some(c) => quote!(Some(#c)),
                    None => quote!(None),
                };
                quote!({
                    static PATH: ::std::sync::LazyLock<JsonPath> = ::std::sync::LazyLock::new(|| jsonpath::compile_static(#text));
                    query(#root, #context, &PATH, #text, #field, &visit)?
                })
            }
        }
    }

    /// A payload template: an expression of type `Value`.
    pub(crate) fn template(&mut self, t: &Template, src: &Sources) -> TokenStream {
        match t {
            Template::Literal(v) => json_literal(v),
            Template::Object(fields) => {
                let n = fields.len();
                let inserts = fields.iter().map(|f| {
                    let key = lit(&f.name);
                    let field_name = format!("{}.$", f.name);
                    let value = match &f.value {
                        Template::Path(p) => self.read(p, src, Read::Field(&field_name)),
                        Template::Intrinsic(e) => self.intrinsic(&e.call, src, &field_name),
                        other => self.template(other, src),
                    };
                    quote!(map.insert(#key.to_owned(), #value);)
                });
                let inserts: Vec<TokenStream> = inserts.collect();
                quote!({
                    let mut map = Map::with_capacity(#n);
                    #(#inserts)*
                    Value::Object(map)
                })
            }
            Template::Array(items) => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.template(i, src)).collect();
                quote!(Value::Array(vec![#(#items),*]))
            }
            Template::Path(p) => self.read(p, src, Read::Field("$")),
            Template::Intrinsic(e) => self.intrinsic(&e.call, src, "$"),
        }
    }

    /// An intrinsic function call: an expression of type `Value`.
    pub(crate) fn intrinsic(&mut self, call: &Call, src: &Sources, field: &str) -> TokenStream {
        let name = call.name.strip_prefix("States.").unwrap_or(&call.name);
        let mut args: Vec<TokenStream> = Vec::new();
        let value_args = |g: &mut Self, args: &[Arg]| -> Vec<TokenStream> {
            args.iter().map(|a| g.intrinsic_arg(a, src, field)).collect()
        };
        match name {
            "Format" => {
                let rest = value_args(self, call.args.get(1..).unwrap_or(&[]));
                return match call.args.first() {
                    Some(Arg::String { raw, .. }) => {
                        let mut pieces = vec![String::new()];
                        for piece in intrinsic::split_format_literal(raw) {
                            match piece {
                                FormatPiece::Text(t) => pieces.last_mut().map_or((), |p| p.push_str(&t)),
                                FormatPiece::Placeholder => pieces.push(String::new()),
                            }
                        }
                        let pieces = pieces.iter().map(|p| lit(p));
                        quote!(intrinsics::format(&[#(#pieces),*], &[#(#rest),*])?)
                    }
                    Some(other) => {
                        let template = self.intrinsic_arg(other, src, field);
                        quote!(intrinsics::format_dynamic(&#template, &[#(#rest),*])?)
                    }
                    None => quote!(Value::Null),
                };
            }
            "Array" => {
                let items = value_args(self, &call.args);
                return quote!(intrinsics::array(vec![#(#items),*]));
            }
            "UUID" => return quote!(intrinsics::uuid()),
            "MathRandom" => {
                let a = value_args(self, &call.args);
                return match a.as_slice() {
                    [start, end] => quote!(intrinsics::math_random(&#start, &#end, None)?),
                    [start, end, seed] => quote!(intrinsics::math_random(&#start, &#end, Some(&#seed))?),
                    _ => quote!(Value::Null),
                };
            }
            _ => {}
        }
        let function = match name {
            "StringToJson" => "string_to_json",
            "JsonToString" => "json_to_string",
            "ArrayPartition" => "array_partition",
            "ArrayContains" => "array_contains",
            "ArrayRange" => "array_range",
            "ArrayGetItem" => "array_get_item",
            "ArrayLength" => "array_length",
            "ArrayUnique" => "array_unique",
            "Base64Encode" => "base64_encode",
            "Base64Decode" => "base64_decode",
            "Hash" => "hash",
            "JsonMerge" => "json_merge",
            "MathAdd" => "math_add",
            "StringSplit" => "string_split",
            _ => return quote!(Value::Null), // unknown names were refused by the checks
        };
        let function = quote::format_ident!("{function}");
        for a in &call.args {
            let v = self.intrinsic_arg(a, src, field);
            args.push(quote!(&#v));
        }
        quote!(intrinsics::#function(#(#args),*)?)
    }

    fn intrinsic_arg(&mut self, arg: &Arg, src: &Sources, field: &str) -> TokenStream {
        match arg {
            Arg::String { value, .. } => {
                let v = lit(value);
                quote!(Value::from(#v))
            }
            Arg::Number { raw, .. } => json_literal(&serde_json::from_str(raw).unwrap_or(Value::Null)),
            Arg::Bool(b, _) => quote!(Value::Bool(#b)),
            Arg::Null(_) => quote!(Value::Null),
            Arg::Path { path, text, .. } => {
                let p = PathExpr { text: text.clone(), path: path.clone(), span: Default::default() };
                self.read(&p, src, Read::Field(field))
            }
            Arg::Call(inner) => self.intrinsic(inner, src, field),
        }
    }

    /// A Choice condition: an expression of type `bool` (after `?`).
    pub(crate) fn condition(&mut self, c: &Condition, src: &Sources) -> TokenStream {
        use ComparisonOp::*;
        match c {
            Condition::And(rules) => {
                let rules: Vec<TokenStream> = rules.iter().map(|r| self.condition(r, src)).collect();
                quote!((#(#rules)&&*))
            }
            Condition::Or(rules) => {
                let rules: Vec<TokenStream> = rules.iter().map(|r| self.condition(r, src)).collect();
                quote!((#(#rules)||*))
            }
            Condition::Not(inner) => {
                let inner = self.condition(inner, src);
                quote!(!#inner)
            }
            Condition::Jsonata(_) => {
                self.unsupported_at(
                    crate::span::Span::default(),
                    "JSONata conditions are not supported by the code generator yet",
                );
                quote!(false)
            }
            Condition::Compare { variable, op, operand } => {
                let Some(root) = self.root(variable, src) else { return quote!(false) };
                let text = lit(&variable.text);
                if op.value == IsPresent {
                    let expected = matches!(operand, Operand::Bool(true));
                    return match steps(&variable.path) {
                        Some(steps) => quote!((is_present(#root, #steps) == #expected)),
                        None => {
                            // An indefinite path is always present (its result is a possibly empty array).
                            quote!(#expected)
                        }
                    };
                }
                let var = match steps(&variable.path) {
                    Some(steps) => quote!(choice_variable(#root, #steps, #text, &visit)?),
                    None => {
                        let value = self.read(variable, src, Read::Select);
                        quote!(&#value)
                    }
                };
                let test = match operand {
                    Operand::Path(p) => {
                        let Some(root) = self.root(p, src) else { return quote!(false) };
                        let ptext = lit(&p.text);
                        let other = match steps(&p.path) {
                            Some(steps) => quote!(choice_variable(#root, #steps, #ptext, &visit)?),
                            None => {
                                let value = self.read(p, src, Read::Select);
                                quote!(&#value)
                            }
                        };
                        let (f, want) = ordering_test(op.value);
                        let compare = match f {
                            "string" => quote!(choice::compare_strings(v, o)),
                            "numeric" => quote!(choice::compare_numbers(v, o)),
                            "timestamp" => quote!(choice::compare_timestamps(v, o)),
                            _ => return quote!({ let v = #var; let o = #other; choice::boolean_equals_value(v, o) }),
                        };
                        return quote!({ let v = #var; let o = #other; #compare.is_some_and(|c| #want) });
                    }
                    Operand::String(s) => {
                        let s = lit(s);
                        match op.value {
                            StringMatches => quote!(choice::string_matches_text(v, #s)),
                            o if is_timestamp_op(o) => {
                                let (_, want) = ordering_test(o);
                                quote!(choice::timestamp_cmp(v, #s).is_some_and(|c| #want))
                            }
                            o => {
                                let (_, want) = ordering_test(o);
                                quote!(choice::string_cmp(v, #s).is_some_and(|c| #want))
                            }
                        }
                    }
                    Operand::Number(n) => {
                        let (_, want) = ordering_test(op.value);
                        quote!(choice::numeric_cmp(v, #n).is_some_and(|c| #want))
                    }
                    Operand::Bool(b) => match op.value {
                        BooleanEquals => quote!(choice::boolean_equals(v, #b)),
                        IsNull => quote!((choice::is_null(v) == #b)),
                        IsNumeric => quote!((choice::is_numeric(v) == #b)),
                        IsString => quote!((choice::is_string(v) == #b)),
                        IsBoolean => quote!((choice::is_boolean(v) == #b)),
                        IsTimestamp => quote!((choice::is_timestamp(v) == #b)),
                        _ => quote!(false),
                    },
                };
                quote!({ let v = #var; #test })
            }
        }
    }
}

fn is_timestamp_op(op: ComparisonOp) -> bool {
    use ComparisonOp::*;
    matches!(
        op,
        TimestampEquals
            | TimestampLessThan
            | TimestampGreaterThan
            | TimestampLessThanEquals
            | TimestampGreaterThanEquals
    )
}

/// Which comparison family an operator belongs to, and the test on its `Ordering` `c`.
fn ordering_test(op: ComparisonOp) -> (&'static str, TokenStream) {
    use ComparisonOp::*;
    let family = match op {
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals
        | StringMatches => "string",
        NumericEquals | NumericLessThan | NumericGreaterThan | NumericLessThanEquals | NumericGreaterThanEquals => {
            "numeric"
        }
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => "timestamp",
        _ => "boolean",
    };
    let test = match op {
        StringEquals | NumericEquals | TimestampEquals => quote!(c == Ordering::Equal),
        StringLessThan | NumericLessThan | TimestampLessThan => quote!(c == Ordering::Less),
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => quote!(c == Ordering::Greater),
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => quote!(c != Ordering::Greater),
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => quote!(c != Ordering::Less),
        _ => quote!(false),
    };
    (family, test)
}

/// A JSON value as a readable `json!` literal.
pub(crate) fn json_literal(v: &Value) -> TokenStream {
    match v {
        Value::Null => quote!(Value::Null),
        Value::Bool(b) => quote!(Value::Bool(#b)),
        Value::String(s) => {
            let s = lit(s);
            quote!(Value::from(#s))
        }
        Value::Number(_) | Value::Array(_) | Value::Object(_) => {
            let body = json_tokens(v);
            quote!(json!(#body))
        }
    }
}

/// The tokens of a JSON value inside `json!(...)`.
fn json_tokens(v: &Value) -> TokenStream {
    match v {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let l = proc_macro2::Literal::i64_unsuffixed(i);
                quote!(#l)
            } else if let Some(u) = n.as_u64() {
                let l = proc_macro2::Literal::u64_unsuffixed(u);
                quote!(#l)
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                let l = proc_macro2::Literal::f64_suffixed(f);
                quote!(#l)
            }
        }
        Value::String(s) => {
            let s = lit(s);
            quote!(#s)
        }
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let k = lit(k);
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({#(#entries),*})
        }
    }
}
