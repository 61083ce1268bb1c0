//! State functions for JSONata states: `Arguments` into the work, `Output` and `Assign` from
//! `$states.input`, `$states.result`, `$states.errorOutput` and `$states.context`, every field
//! evaluated with the expression trees built at compile time (see [`super::jsonata_tokens`]).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::block::{Generator, StateFn};
use super::dataflow::json_literal;
use super::lit;
use crate::model::*;

/// Which `$states` fields an expression may see.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// `$states.input`, `$states.context`.
    Input,
    /// Also `$states.result` (Task, Parallel, Map `Output` and `Assign`).
    Result,
    /// Also `$states.errorOutput` (catchers).
    ErrorOutput,
}

fn bindings(stage: Stage, vars: &TokenStream) -> TokenStream {
    let (result, error) = match stage {
        Stage::Input => (quote!(None), quote!(None)),
        Stage::Result => (quote!(Some(&result)), quote!(None)),
        Stage::ErrorOutput => (quote!(None), quote!(Some(&error_output))),
    };
    quote!(bind_variables(Bindings::new().with_states(&input, &context, #result, #error), &*vars, #vars))
}

/// The workflow variables a state's expressions read, as a `&[&str]` literal.
fn variable_names(s: &State) -> TokenStream {
    let mut names: Vec<String> = crate::visit::variable_references(s).into_iter().map(|r| r.name).collect();
    names.sort();
    names.dedup();
    let names = names.iter().map(|n| lit(n));
    quote!(&[#(#names),*])
}

impl Generator<'_> {
    /// A static holding an expression's tree; returns the path to it.
    fn expression(&mut self, e: &JsonataExpr) -> TokenStream {
        let n = self.expressions.len() + 1;
        let ident = format_ident!("E{n}");
        let tree = super::jsonata_tokens::expr(&e.expr);
        let doc = format!(" `{}`", e.text.trim());
        self.expressions.push(quote! {
            #[doc = #doc]
            pub static #ident: ::std::sync::LazyLock<jsonata::Expr> = ::std::sync::LazyLock::new(|| #tree);
        });
        quote!(&expressions::#ident)
    }

    /// A JSONata-mode value: literals as they are, `{% %}` strings evaluated; `field` is AWS's
    /// slash-joined field name for error causes.
    pub(crate) fn jvalue(&mut self, v: &JsonataValue, field: &str) -> TokenStream {
        match v {
            JsonataValue::Literal(v) => json_literal(v),
            JsonataValue::Object(fields) => {
                let n = fields.len();
                let inserts: Vec<TokenStream> = fields
                    .iter()
                    .map(|(key, _, value)| {
                        let value = self.jvalue(value, &format!("{field}/{key}"));
                        let key = lit(key);
                        quote!(map.insert(#key.to_owned(), #value);)
                    })
                    .collect();
                quote!({
                    let mut map = Map::with_capacity(#n);
                    #(#inserts)*
                    Value::Object(map)
                })
            }
            JsonataValue::Array(items) => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.jvalue(i, field)).collect();
                quote!(Value::Array(vec![#(#items),*]))
            }
            JsonataValue::Expr(e) => {
                let expr = self.expression(e);
                let (text, field) = (lit(e.text.trim()), lit(field));
                quote!(jsonata(#expr, #text, #field, &bindings, &visit)?)
            }
        }
    }

    /// A count that is a literal or an expression.
    fn jinteger(&mut self, d: &Option<Dynamic<u64>>, field: &str, default: TokenStream) -> TokenStream {
        match d {
            Some(Dynamic::Literal(n)) => {
                let n = n.value;
                quote!(#n)
            }
            Some(Dynamic::Jsonata(e)) => {
                let expr = self.expression(e);
                let (text, field) = (lit(e.text.trim()), lit(field));
                quote!(jsonata_integer(#expr, #text, #field, &bindings, &visit)?)
            }
            _ => default,
        }
    }

    /// A string that is a literal or an expression, as `Option<String>`.
    fn jstring(&mut self, d: Option<&DynamicString>, field: &str) -> TokenStream {
        match d {
            Some(DynamicString::Literal(s)) => {
                let s = lit(&s.value);
                quote!(Some(#s.to_owned()))
            }
            Some(DynamicString::Jsonata(e)) => {
                let expr = self.expression(e);
                let (text, field) = (lit(e.text.trim()), lit(field));
                quote!(Some(jsonata_string(#expr, #text, #field, &bindings, &visit)?))
            }
            _ => quote!(None),
        }
    }

    /// `let assigned = vec![...];` for a JSONata `Assign`.
    fn jassign(&mut self, assign: Option<&Assign>) -> (TokenStream, TokenStream) {
        let Some(Assign::Jsonata(entries)) = assign else {
            return (quote!(let assigned: Vec<(&'static str, Value)> = Vec::new();), super::block::apply_assigned());
        };
        let values: Vec<TokenStream> = entries
            .iter()
            .map(|e| {
                let value = self.jvalue(&e.value, &format!("Assign/{}", e.name));
                let name = lit(&e.name);
                quote!((#name, #value))
            })
            .collect();
        (quote!(let assigned = vec![#(#values),*];), super::block::apply_assigned())
    }

    /// `Some(output)` when the field is there, else `None`: the caller then moves the default
    /// (the input or the result) instead of cloning it while expressions still borrow it.
    fn joutput_opt(&mut self, output: Option<&JsonataValue>) -> TokenStream {
        match output {
            Some(v) => {
                let v = self.jvalue(v, "Output");
                quote!(Some(#v))
            }
            None => quote!(None),
        }
    }

    /// One JSONata state function (and the modules of its nested blocks).
    pub(crate) fn jsonata_state(&mut self, f: &StateFn, path: &[String]) -> (TokenStream, Vec<TokenStream>) {
        let s = f.state;
        let name = lit(&s.name);
        let fn_ident = f.fn_ident;
        let mut modules = Vec::new();
        let next_of = |t: &Transition| match t {
            Transition::Next(n) => {
                let target = (f.next)(&n.value);
                quote!(Step::Next(#target, output))
            }
            _ => quote!(Step::End(output)),
        };
        let transition = next_of(&s.transition);
        let var_names = variable_names(s);
        let input_bindings = bindings(Stage::Input, &var_names);
        let doc = format!(
            " `{}` ({} state, JSONata).{}",
            s.name,
            s.type_name(),
            s.comment.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
        );

        let body = match &s.kind {
            StateKind::Pass(_) | StateKind::Succeed | StateKind::Wait(_) => {
                let waiting = match &s.kind {
                    StateKind::Wait(w) => match &w.duration {
                        WaitDuration::Seconds(d) => {
                            let secs = self.jinteger(&Some(d.clone()), "Seconds", quote!(0));
                            quote!(wait_seconds(#secs, &visit))
                        }
                        WaitDuration::Timestamp(DynamicString::Literal(t)) => {
                            let t = lit(&t.value);
                            quote!(wait_until(parse_timestamp_field(#t, &visit)?, &visit))
                        }
                        WaitDuration::Timestamp(DynamicString::Jsonata(e)) => {
                            let expr = self.expression(e);
                            let text = lit(e.text.trim());
                            quote!(wait_until(jsonata_timestamp(#expr, #text, &bindings, &visit)?, &visit))
                        }
                        _ => quote!(wait_seconds(0, &visit)),
                    },
                    _ => quote!(wait_seconds(0, &visit)),
                };
                let (assigned, apply) = self.jassign(s.assign.as_ref());
                let output = self.joutput_opt(s.io.output.as_ref());
                let end =
                    if matches!(s.kind, StateKind::Succeed) { quote!(Step::End(output)) } else { transition.clone() };
                // Without `Output` the output is the input, whose size was checked already.
                let size_check =
                    if s.io.output.is_some() { quote!(check_size(&output, #name)?;) } else { TokenStream::new() };
                quote! {
                    // Every field is evaluated against the variables as they were on entry.
                    let evaluated = (|| {
                        let bindings = #input_bindings;
                        let wait = #waiting;
                        #assigned
                        Ok::<_, Error>((wait, #output, assigned))
                    })();
                    let (wait, output, assigned) = match evaluated {
                        Ok(v) => v,
                        Err(error) => {
                            ex.evaluation_failed(&visit, &error);
                            return Err(error);
                        }
                    };
                    let output = output.unwrap_or(input);
                    wait.await?;
                    #size_check
                    #apply
                    ex.exited(&visit, &output, recorded);
                    Ok(#end)
                }
            }
            StateKind::Fail(fail) => {
                let error = self.jstring(fail.error.as_ref(), "Error");
                let cause = self.jstring(fail.cause.as_ref(), "Cause");
                quote! {
                    let evaluated = (|| {
                        let bindings = #input_bindings;
                        Ok::<_, Error>(fail(#error, #cause))
                    })();
                    match evaluated {
                        Ok(failure) => Err(failure),
                        Err(error) => {
                            ex.evaluation_failed(&visit, &error);
                            Err(error)
                        }
                    }
                }
            }
            StateKind::Choice(choice) => {
                let mut arms = Vec::new();
                for rule in &choice.choices {
                    let test = match &rule.condition {
                        Condition::Jsonata(JsonataCondition::Literal(b)) => {
                            let b = b.value;
                            quote!(#b)
                        }
                        Condition::Jsonata(JsonataCondition::Expr(e)) => {
                            let expr = self.expression(e);
                            let text = lit(e.text.trim());
                            quote!(jsonata_condition(#expr, #text, &bindings, &visit)?)
                        }
                        _ => quote!(false),
                    };
                    let target = (f.next)(&rule.next.value);
                    let (assigned, _) = self.jassign(rule.assign.as_ref());
                    let assigned_value = quote!({ #assigned assigned });
                    let output = self.joutput_opt(rule.output.as_ref());
                    arms.push(quote!(if #test { (#target, #assigned_value, #output) }));
                }
                // The state's Output and Assign apply only when no rule matched.
                let (assigned, _) = self.jassign(s.assign.as_ref());
                let assigned_value = quote!({ #assigned assigned });
                let output = self.joutput_opt(s.io.output.as_ref());
                let fallback = match &choice.default {
                    Some(d) => {
                        let target = (f.next)(&d.value);
                        quote!((#target, #assigned_value, #output))
                    }
                    None => quote!({
                        return Err(visit.error(names::NO_CHOICE_MATCHED, "No Matches!"));
                    }),
                };
                let apply = super::block::apply_assigned();
                quote! {
                    let evaluated = (|| {
                        let bindings = #input_bindings;
                        Ok::<_, Error>(#(#arms else)* { #fallback })
                    })();
                    let (next, assigned, output) = match evaluated {
                        Ok(v) => v,
                        Err(error) => {
                            ex.evaluation_failed(&visit, &error);
                            return Err(error);
                        }
                    };
                    let output = output.unwrap_or(input);
                    #apply
                    ex.exited(&visit, &output, recorded);
                    Ok(Step::Next(next, output))
                }
            }
            StateKind::Task(task) => {
                let method = self.method_for(&task.resource.value, &s.name);
                let arguments = match &s.io.arguments {
                    Some(v) => self.jvalue(v, "Arguments"),
                    None => quote!(input.clone()),
                };
                let timeout = match &task.timeout_seconds {
                    None => quote!(None),
                    t => {
                        let secs = self.jinteger(t, "TimeoutSeconds", quote!(0));
                        quote!(Some(::std::time::Duration::from_secs(#secs)))
                    }
                };
                let heartbeat = match &task.heartbeat_seconds {
                    None => quote!(None),
                    t => {
                        let secs = self.jinteger(t, "HeartbeatSeconds", quote!(0));
                        quote!(Some(::std::time::Duration::from_secs(#secs)))
                    }
                };
                let arguments = quote!({
                    timeout = #timeout;
                    heartbeat = #heartbeat;
                    #arguments
                });
                let who = super::block::task_label(&task.resource.value);
                let timeout_arg = task.timeout_seconds.is_some().then(|| quote!(timeout));
                let work = super::block::task_call(
                    &task.resource.value,
                    &who,
                    &method,
                    timeout_arg.as_ref(),
                    &quote!(heartbeat),
                );
                let body = self.jsonata_with_handling(f, &task.handling, arguments, work, &transition);
                quote! {
                    let mut timeout: Option<::std::time::Duration> = None;
                    let mut heartbeat: Option<::std::time::Duration> = None;
                    #body
                }
            }
            StateKind::Parallel(parallel) => {
                let arguments = match &s.io.arguments {
                    Some(v) => self.jvalue(v, "Arguments"),
                    None => quote!(input.clone()),
                };
                let calls = self.parallel_branches(s, parallel, path, &mut modules);
                let work = quote! {
                    started = true;
                    ex.parallel_started();
                    let parent_vars = &*vars;
                    let attempt = parallel(vec![#(#calls),*]).await;
                    if attempt.is_ok() {
                        ex.parallel_succeeded();
                    }
                    attempt
                };
                let body = self.jsonata_with_handling(f, &parallel.handling, arguments, work, &transition);
                quote! {
                    let mut started = false;
                    #body
                }
            }
            StateKind::Map(map) => {
                let Some(processor) = &map.processor else { return (TokenStream::new(), modules) };
                let module = self.item_processor(s, processor, path, &mut modules);
                let items = match &map.items {
                    Some(JsonataValue::Expr(e)) => {
                        let expr = self.expression(e);
                        let text = lit(e.text.trim());
                        quote!(jsonata_items(#expr, #text, &bindings, &visit)?)
                    }
                    Some(v) => self.jvalue(v, "Items"),
                    None => quote!(input.clone()),
                };
                let selector = match &map.item_selector {
                    Some(ItemSelector::Jsonata(v)) => {
                        self.reads_context = true;
                        let value = self.jvalue(v, "ItemSelector");
                        quote! {
                            let item = {
                                let context = ex.map_item_context_object(visit, index, None, &item);
                                let bindings = bind_variables(Bindings::new().with_states(state_input, &context, None, None), parent_vars, #var_names);
                                (|| -> Result<Value, Error> { Ok(#value) })()?
                            };
                        }
                    }
                    _ => TokenStream::new(),
                };
                let max_concurrency = self.jinteger(&map.max_concurrency, "MaxConcurrency", quote!(0));
                let count = self.jinteger(&map.tolerated_failure_count, "ToleratedFailureCount", quote!(0));
                let percentage = match &map.tolerated_failure_percentage {
                    Some(Dynamic::Literal(p)) => {
                        let p = p.value;
                        quote!(#p)
                    }
                    Some(Dynamic::Jsonata(e)) => {
                        let expr = self.expression(e);
                        let text = lit(e.text.trim());
                        quote!(jsonata_percentage(#expr, #text, &bindings, &visit)?)
                    }
                    _ => quote!(0.0f64),
                };
                let iterations = super::block::map_iterations(
                    &quote!(limits.0 as usize),
                    &quote!(Tolerance { count: limits.1, percentage: limits.2 }),
                    &selector,
                    &module,
                    false,
                    map.processor_config.mode == MapMode::Distributed,
                );
                let work = quote! {
                    started = true;
                    let attempt = match map_items_jsonata(task_input, &visit) {
                        Ok(items) => {
                            ex.map_started(items.len());
                            let parent_vars = &*vars;
                            let state_input = &input;
                            #iterations
                        }
                        Err(error) => {
                            ex.evaluation_failed(&visit, &error);
                            Err(error)
                        }
                    };
                    if attempt.is_ok() {
                        ex.map_succeeded();
                    }
                    attempt
                };
                // The Map's inputs: its items (from `Items`) and its limits, evaluated once.
                let arguments = quote!({
                    limits = (#max_concurrency, #count, #percentage);
                    #items
                });
                let work = quote!(#work);
                let body = self.jsonata_with_handling(f, &map.handling, arguments, work, &transition);
                quote! {
                    let mut limits: (u64, u64, f64) = (0, 0, 0.0);
                    let mut started = false;
                    #body
                }
            }
        };
        let catch_fn = if s.catch().is_empty() { TokenStream::new() } else { self.jsonata_catch_fn(f) };
        let callback = super::block::callback_registration(s);
        let token = if callback.is_empty() { quote!(None) } else { quote!(Some(callback.token())) };
        // The Context Object is built only for states whose expressions read `$states.context`.
        let reads_context = crate::visit::reads_states_context(s);
        self.reads_context |= reads_context;
        let enter = if reads_context { format_ident!("enter_timed") } else { format_ident!("enter") };
        let context = if !reads_context {
            quote!(let context = Value::Null;)
        } else if matches!(s.kind, StateKind::Task(_)) {
            quote!(let context = ex.task_context_object(&visit, #token);)
        } else {
            quote!(let context = ex.context(&visit);)
        };
        let state_type = super::block::state_type(s);
        let asyncness = if super::block::is_sync(s) { TokenStream::new() } else { quote!(async) };
        let function = quote! {
            #[doc = #doc]
            #asyncness fn #fn_ident<T: Tasks>(tasks: &T, ex: &Execution, vars: &mut Variables<'_>, input: Value) -> Result<Step<State>, Error> {
                let visit = ex.#enter(#name, #state_type, &input);
                #callback
                #context
                #body
            }
            #catch_fn
        };
        (function, modules)
    }

    /// Arguments, the work with Retry, then Output and Assign from `$states.result`; errors go to
    /// the catchers. `work` reads `task_input` and evaluates to `Result<Value, Error>`.
    fn jsonata_with_handling(
        &mut self,
        f: &StateFn,
        handling: &ErrorHandling,
        arguments: TokenStream,
        work: TokenStream,
        transition: &TokenStream,
    ) -> TokenStream {
        let s = f.state;
        let name = lit(&s.name);
        let var_names = variable_names(s);
        let input_bindings = bindings(Stage::Input, &var_names);
        let result_bindings = bindings(Stage::Result, &var_names);
        let (assigned, apply) = self.jassign(s.assign.as_ref());
        let output = self.joutput_opt(s.io.output.as_ref());
        let failed_event = super::block::failed_event(s);
        // A Map whose Items (or limits) cannot be evaluated has failed.
        let arguments_failed =
            if matches!(s.kind, StateKind::Map(_)) { quote!(ex.map_failed();) } else { TokenStream::new() };
        let on_error = if s.catch().is_empty() {
            quote!(return Err(error))
        } else {
            let catch = format_ident!("{}_catch", f.fn_ident);
            quote!(return #catch(ex, vars, &visit, error, &input))
        };
        let attempt = if handling.retry.is_empty() {
            quote! {
                let outcome = { #work };
            }
        } else {
            let none = TokenStream::new();
            super::block::retry_loop(&handling.retry, &quote!(task_input.clone()), &work, &none, &none)
        };
        quote! {
            let arguments: Result<Value, Error> = {
                let bindings = #input_bindings;
                (|| -> Result<Value, Error> { Ok(#arguments) })()
            };
            let task_input = match arguments {
                Ok(v) => v,
                Err(error) => {
                    ex.evaluation_failed(&visit, &error);
                    #arguments_failed
                    #on_error
                }
            };
            #attempt
            let result = match outcome {
                Ok(result) => result,
                Err(error) => {
                    #failed_event
                    #on_error
                }
            };
            // Output and Assign see $states.result, and the variables as they were on entry.
            let processed: Result<(Option<Value>, Vec<(&'static str, Value)>), Error> = {
                let bindings = #result_bindings;
                (|| -> Result<(Option<Value>, Vec<(&'static str, Value)>), Error> {
                    #assigned
                    let output = #output;
                    Ok((output, assigned))
                })()
            };
            let (output, assigned) = match processed {
                Ok(v) => v,
                Err(error) => {
                    ex.evaluation_failed(&visit, &error);
                    #on_error
                }
            };
            let output = output.unwrap_or(result);
            #apply
            check_size(&output, #name)?;
            ex.exited(&visit, &output, recorded);
            Ok(#transition)
        }
    }

    /// The catchers of a JSONata state: `Output` (default the Error Output) and `Assign` from
    /// `$states.errorOutput`.
    fn jsonata_catch_fn(&mut self, f: &StateFn) -> TokenStream {
        let s = f.state;
        let ident = format_ident!("{}_catch", f.fn_ident);
        let error_bindings = bindings(Stage::ErrorOutput, &variable_names(s));
        let catch_context = if crate::visit::reads_states_context(s) {
            quote!(let context = ex.context(visit);)
        } else {
            quote!(let context = Value::Null;)
        };
        let mut arms = Vec::new();
        for c in s.catch() {
            let errors = c.error_equals.iter().map(|e| lit(&e.value));
            let target = (f.next)(&c.next.value);
            let (assigned, apply) = self.jassign(c.assign.as_ref());
            let output = self.joutput_opt(c.output.as_ref());
            arms.push(quote! {
                if error.matches(&[#(#errors),*]) {
                    let error_output = error.to_output();
                    #catch_context
                    let (output, assigned) = {
                        let bindings = #error_bindings;
                        #assigned
                        (#output, assigned)
                    };
                    let output = output.unwrap_or(error_output);
                    #apply
                    ex.exited(visit, &output, recorded);
                    return Ok(Step::Next(#target, output));
                }
            });
        }
        let doc =
            format!(" The catchers of `{}`: the first whose `ErrorEquals` matches decides the next state.", s.name);
        quote! {
            #[doc = #doc]
            fn #ident(ex: &Execution, vars: &mut Variables<'_>, visit: &Visit, error: Error, input: &Value) -> Result<Step<State>, Error> {
                #(#arms)*
                Err(error)
            }
        }
    }
}
