//! One `States` block as Rust: `enum State`, the driver loop and one `async fn` per state, plus
//! nested modules for Parallel branches and Map item processors.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::dataflow::{Read, Sources, json_literal, steps};
use super::names::{self, Unique};
use super::{Unsupported, lit};
use crate::jsonpath::Root;
use crate::model::*;
use crate::span::Span;

/// A Task resource and the trait method that serves it.
pub(crate) struct Resource {
    pub resource: String,
    pub method: String,
    pub states: Vec<String>,
}

/// Generates all blocks of one machine, collecting resources and unsupported constructs.
pub(crate) struct Generator<'m> {
    pub resources: Vec<Resource>,
    pub unsupported: Vec<Unsupported>,
    methods: Unique,
    modules: Unique,
    current_state: Option<String>,
    /// JSONata expression trees of the block being generated (emitted as `mod expressions`).
    pub(crate) expressions: Vec<TokenStream>,
    /// Whether any state reads the Context Object (`$$`, `$states.context`): only then does an
    /// execution keep a copy of its input for `$$.Execution.Input`.
    pub(crate) reads_context: bool,
    _machine: &'m StateMachine,
}

/// Names a state function must not take: the runtime's functions the generated code calls and
/// the locals of the generated functions (a state named `Input` must not become `fn input`).
const RESERVED_FNS: &[&str] = &[
    "run",
    "run_from",
    "entry",
    "new",
    "main",
    "fail",
    "field",
    "select",
    "select_owned",
    "merge_result",
    "choice_variable",
    "is_present",
    "seconds_path",
    "timestamp_path",
    "positive_integer_path",
    "wait_seconds",
    "wait_until",
    "fail_string",
    "map_items",
    "map_items_jsonata",
    "bind_variables",
    "jsonata",
    "jsonata_condition",
    "jsonata_integer",
    "jsonata_percentage",
    "jsonata_string",
    "jsonata_items",
    "jsonata_timestamp",
    "parse_timestamp_field",
    "bindings",
    "expressions",
    "limits",
    "wait",
    "failure",
    "arguments",
    "state_input",
    "check_size",
    "compact",
    "plain",
    "missing_in_field",
    "integer_path",
    "check_result_size",
    "tolerated_failure_count_path",
    "tolerated_failure_percentage_path",
    "query",
    "map",
    "parallel",
    "with_timeout",
    "inline_map_concurrency",
    "distributed_map_concurrency",
    "task_outcome",
    "lambda_invoke_envelope",
    "new_execution_name",
    "json",
    "choice",
    "intrinsics",
    "names",
    "time",
    "jsonpath",
    "variable",
    "tasks",
    "ex",
    "vars",
    "state",
    "step",
    "next",
    "input",
    "output",
    "result",
    "effective",
    "visit",
    "context",
    "error",
    "task_input",
    "outcome",
    "retry",
    "assigned",
    "items",
    "tolerance",
    "attempt",
    "processed",
    "cx",
    "timeout",
    "parent",
    "parent_vars",
    "index",
    "item",
    "item_context",
    "error_output",
    "delay",
];

impl<'m> Generator<'m> {
    pub(crate) fn new(machine: &'m StateMachine) -> Generator<'m> {
        Generator {
            resources: Vec::new(),
            unsupported: Vec::new(),
            methods: Unique::new(&["call", "with", "insert", "contains"]),
            modules: Unique::new(&[]),
            current_state: None,
            expressions: Vec::new(),
            reads_context: false,
            _machine: machine,
        }
    }

    /// The nested module of every branch of a Parallel state (pushed to `modules`), and the
    /// futures that run them on `task_input` (cloned for all but the last branch).
    pub(crate) fn parallel_branches(
        &mut self,
        s: &State,
        parallel: &Parallel,
        path: &[String],
        modules: &mut Vec<TokenStream>,
    ) -> Vec<TokenStream> {
        let mut calls = Vec::new();
        let count = parallel.branches.len();
        for (i, branch) in parallel.branches.iter().enumerate() {
            let module = format_ident!("{}", self.modules.take(format!("{}_branch_{}", names::snake(&s.name), i + 1)));
            let doc = format!(" Branch {} of the Parallel state `{}`.", i + 1, s.name);
            modules.push(self.nested_module(s, branch, path, &module, &doc));
            let input = if i + 1 == count { quote!(task_input) } else { quote!(task_input.clone()) };
            calls.push(quote!(Box::pin(#module::run(tasks, ex, Some(parent_vars), #input)) as BranchFuture<'_>));
        }
        calls
    }

    /// The nested module of a Map state's item processor (pushed to `modules`); returns its name.
    pub(crate) fn item_processor(
        &mut self,
        s: &State,
        processor: &StatesBlock,
        path: &[String],
        modules: &mut Vec<TokenStream>,
    ) -> Ident {
        let module = format_ident!("{}", self.modules.take(format!("{}_items", names::snake(&s.name))));
        let doc = format!(" The item processor of the Map state `{}`.", s.name);
        modules.push(self.nested_module(s, processor, path, &module, &doc));
        module
    }

    fn nested_module(
        &mut self,
        s: &State,
        block: &StatesBlock,
        path: &[String],
        module: &Ident,
        doc: &str,
    ) -> TokenStream {
        let mut inner_path = path.to_vec();
        inner_path.push(s.name.clone());
        let body = self.block(block, &inner_path);
        self.current_state = Some(s.name.clone());
        quote! {
            #[doc = #doc]
            pub mod #module {
                use super::*;
                #body
            }
        }
    }

    pub(crate) fn unsupported_at(&mut self, span: Span, message: impl Into<String>) {
        self.unsupported.push(Unsupported { message: message.into(), span, state: self.current_state.clone() });
    }

    pub(crate) fn method_for(&mut self, resource: &str, state: &str) -> Ident {
        if let Some(r) = self.resources.iter_mut().find(|r| r.resource == resource) {
            r.states.push(state.to_owned());
            return format_ident!("{}", r.method);
        }
        let method = self.methods.take(names::resource_method(resource));
        self.resources.push(Resource {
            resource: resource.to_owned(),
            method: method.clone(),
            states: vec![state.to_owned()],
        });
        format_ident!("{}", method)
    }

    /// Generates a block; `path` names the enclosing states, for module names.
    pub(crate) fn block(&mut self, block: &StatesBlock, path: &[String]) -> TokenStream {
        let mut variants = Unique::new(&["START"]);
        let mut fns = Unique::new(RESERVED_FNS);
        let idents: Vec<(Ident, Ident)> = block
            .states
            .iter()
            .map(|s| {
                (
                    format_ident!("{}", variants.take(names::camel(&s.name))),
                    format_ident!("{}", fns.take(names::snake(&s.name))),
                )
            })
            .collect();
        let variant_of =
            |name: &str| -> Option<&Ident> { block.states.iter().position(|s| s.name == name).map(|i| &idents[i].0) };
        let Some(start) = variant_of(&block.start_at.value).cloned() else {
            self.unsupported_at(block.start_at.span, "the StartAt state does not exist");
            return TokenStream::new();
        };

        let mut nested = Vec::new();
        let mut functions = Vec::new();
        let outer_expressions = std::mem::take(&mut self.expressions);
        for (i, state) in block.states.iter().enumerate() {
            self.current_state = Some(state.name.clone());
            let next = |target: &str| -> TokenStream {
                match variant_of(target) {
                    Some(v) => quote!(State::#v),
                    None => quote!(State::START),
                }
            };
            let f = StateFn { state, fn_ident: &idents[i].1, next: &next };
            let (function, modules) = if state.query_language == QueryLanguage::Jsonata {
                self.jsonata_state(&f, path)
            } else {
                self.state(&f, path)
            };
            functions.push(function);
            nested.extend(modules);
        }
        self.current_state = None;
        let expressions = std::mem::replace(&mut self.expressions, outer_expressions);
        let expressions = if expressions.is_empty() {
            TokenStream::new()
        } else {
            quote! {
                /// The JSONata expressions of this block, parsed when the workflow was compiled.
                mod expressions {
                    use super::*;
                    #(#expressions)*
                }
            }
        };

        let variant_docs = block.states.iter().zip(&idents).map(|(s, (v, _))| {
            let doc = format!(" `{}` ({})", s.name, s.type_name());
            quote!(#[doc = #doc] #v)
        });
        let name_arms = block.states.iter().zip(&idents).map(|(s, (v, _))| {
            let n = lit(&s.name);
            quote!(State::#v => #n)
        });
        let from_name_arms = block.states.iter().zip(&idents).map(|(s, (v, _))| {
            let n = lit(&s.name);
            quote!(#n => Some(State::#v))
        });
        // In a Parallel branch or Map iteration, a Task that fails the block is also aborted.
        let dispatch = block.states.iter().zip(&idents).map(|(st, (v, f))| {
            if !path.is_empty() && matches!(st.kind, StateKind::Task(_)) {
                quote!(State::#v => match #f(tasks, ex, vars, input).instrument(span).await {
                    Ok(step) => step,
                    Err(error) => {
                        ex.task_state_aborted();
                        return Err(error);
                    }
                })
            } else if is_sync(st) {
                // A state that never waits is a plain function: no future to build and poll.
                quote!(State::#v => span.in_scope(|| #f(tasks, ex, vars, input))?)
            } else {
                quote!(State::#v => #f(tasks, ex, vars, input).instrument(span).await?)
            }
        });
        // The top-level loop is where an execution can be paused and where redrive checkpoints are taken.
        let boundary =
            if path.is_empty() { quote!(ex.boundary(state.name(), &input, vars).await;) } else { TokenStream::new() };
        let all = idents.iter().map(|(v, _)| quote!(State::#v));
        quote! {
            /// The states of this block.
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum State {
                #(#variant_docs),*
            }

            impl State {
                /// The `StartAt` state.
                pub const START: State = State::#start;
                /// Every state, in definition order.
                pub const ALL: &'static [State] = &[#(#all),*];

                /// The state's name in the ASL file.
                pub fn name(self) -> &'static str {
                    match self { #(#name_arms),* }
                }

                /// The state with this name in the ASL file.
                pub fn from_name(name: &str) -> Option<State> {
                    match name { #(#from_name_arms,)* _ => None }
                }
            }

            /// Runs this block from `StartAt` to its end, in a new variable scope inside `parent`.
            pub async fn run<T: Tasks>(tasks: &T, ex: &Execution, parent: Option<&Variables<'_>>, input: Value) -> Result<Value, Error> {
                let mut vars = Variables::scope(parent);
                run_from(tasks, ex, &mut vars, State::START, input).await
            }

            /// Runs this block from `state` to its end.
            pub async fn run_from<T: Tasks>(
                tasks: &T,
                ex: &Execution,
                vars: &mut Variables<'_>,
                mut state: State,
                mut input: Value,
            ) -> Result<Value, Error> {
                loop {
                    #boundary
                    let span = tracing::info_span!("state", name = state.name(), retry_count = tracing::field::Empty);
                    let step = match state {
                        #(#dispatch),*
                    };
                    match step {
                        Step::Next(next, output) => {
                            state = next;
                            input = output;
                        }
                        Step::End(output) => return Ok(output),
                    }
                }
            }

            #(#functions)*

            #expressions

            #(#nested)*
        }
    }

    /// One state function (and the modules of its nested blocks).
    fn state(&mut self, f: &StateFn, path: &[String]) -> (TokenStream, Vec<TokenStream>) {
        let s = f.state;
        let name = lit(&s.name);
        let fn_ident = f.fn_ident;
        let uses_context = state_uses_context(s);
        self.reads_context |= uses_context;
        let enter = if uses_context { format_ident!("enter_timed") } else { format_ident!("enter") };
        let state_type = state_type(s);
        let callback = callback_registration(s);
        let token = if callback.is_empty() { quote!(None) } else { quote!(Some(callback.token())) };
        let context = if uses_context {
            if matches!(s.kind, StateKind::Task(_)) {
                quote!(let mut context = ex.task_context_object(&visit, #token);)
            } else {
                quote!(let context = ex.context(&visit);)
            }
        } else {
            TokenStream::new()
        };
        let raw = Sources::new(quote!(&input), uses_context.then(|| quote!(&context)));
        let transition = match &s.transition {
            Transition::Next(n) => {
                let target = (f.next)(&n.value);
                quote!(Step::Next(#target, output))
            }
            _ => quote!(Step::End(output)),
        };
        let doc = format!(
            " `{}` ({} state).{}",
            s.name,
            s.type_name(),
            s.comment.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
        );
        let mut modules = Vec::new();

        let body = match &s.kind {
            StateKind::Pass(pass) => {
                let effective = self.input_path(s, &raw, keeps_input(s.io.result_path.as_ref()));
                let src = raw.with_input(quote!(&effective));
                let result = if let Some(p) = &s.io.parameters {
                    self.template(p, &src)
                } else if let Some(r) = &pass.result {
                    json_literal(&r.value)
                } else {
                    quote!(effective)
                };
                let output = self.result_and_output(s, &raw);
                let (assigned, apply) = self.assign(s.assign.as_ref(), &raw.with_input(quote!(&result)));
                let exited = exited(&apply);
                let effective_decl = effective;
                quote! {
                    #effective_decl
                    let result = #result;
                    #assigned
                    #output
                    #apply
                    #exited
                    Ok(#transition)
                }
            }
            StateKind::Succeed => {
                let effective = self.input_path(s, &raw, false);
                let output = self.output_path(s, quote!(effective), &raw);
                // The output is (a part of) the input, whose size was checked: no check.
                quote! {
                    #effective
                    let output = #output;
                    ex.exited(&visit, &output, None);
                    Ok(Step::End(output))
                }
            }
            StateKind::Fail(fail) => {
                let error = self.fail_field(fail.error.as_ref(), &raw, "ErrorPath");
                let cause = self.fail_field(fail.cause.as_ref(), &raw, "CausePath");
                quote! {
                    Err(fail(#error, #cause))
                }
            }
            StateKind::Wait(wait) => {
                let effective = self.input_path(s, &raw, false);
                let waiting = match &wait.duration {
                    WaitDuration::Seconds(Dynamic::Literal(n)) => {
                        let n = n.value;
                        quote!(wait_seconds(#n, &visit).await?;)
                    }
                    WaitDuration::Seconds(Dynamic::Path(p)) => {
                        match (steps(&p.path), self.path_root(p, &raw.with_input(quote!(&effective)))) {
                            (Some(st), Some(root)) => {
                                let text = lit(&p.text);
                                quote!(wait_seconds(seconds_path(#root, #st, #text, &visit)?, &visit).await?;)
                            }
                            _ => {
                                self.unsupported_at(p.span, "SecondsPath must be a definite path");
                                TokenStream::new()
                            }
                        }
                    }
                    WaitDuration::Timestamp(DynamicString::Literal(t)) => {
                        let (secs, nanos) = crate::timestamp::parse(&t.value).unwrap_or((0, 0));
                        quote!(wait_until((#secs, #nanos), &visit).await?;)
                    }
                    WaitDuration::Timestamp(DynamicString::Path(p)) => {
                        match (steps(&p.path), self.path_root(p, &raw.with_input(quote!(&effective)))) {
                            (Some(st), Some(root)) => {
                                let text = lit(&p.text);
                                quote!(wait_until(timestamp_path(#root, #st, #text, &visit)?, &visit).await?;)
                            }
                            _ => {
                                self.unsupported_at(p.span, "TimestampPath must be a definite path");
                                TokenStream::new()
                            }
                        }
                    }
                    _ => {
                        self.unsupported_at(
                            s.name_span,
                            "this Wait duration is not supported by the code generator yet",
                        );
                        TokenStream::new()
                    }
                };
                let (assigned, apply) = self.assign(s.assign.as_ref(), &raw.with_input(quote!(&effective)));
                let exited = exited(&apply);
                let output = self.output_path(s, quote!(effective), &raw);
                quote! {
                    #effective
                    #waiting
                    #assigned
                    let output = #output;
                    #apply
                    #exited
                    Ok(#transition)
                }
            }
            StateKind::Choice(choice) => {
                let effective = self.input_path(s, &raw, false);
                let src = raw.with_input(quote!(&effective));
                let uses_vars = s.assign.is_some() || choice.choices.iter().any(|r| r.assign.is_some());
                let with_assigned = |g: &mut Self, target: TokenStream, assign: Option<&Assign>| -> TokenStream {
                    if !uses_vars {
                        return target;
                    }
                    let (assigned, _) = g.assign(assign, &src);
                    if assigned.is_empty() {
                        quote!((#target, Vec::new()))
                    } else {
                        quote!({ #assigned (#target, assigned) })
                    }
                };
                let mut arms = Vec::new();
                for rule in &choice.choices {
                    let test = self.condition(&rule.condition, &src);
                    let target = (f.next)(&rule.next.value);
                    // A matched rule's Assign replaces the state's.
                    let arm = with_assigned(self, target, rule.assign.as_ref());
                    arms.push(quote!(if #test { #arm }));
                }
                let fallback = match &choice.default {
                    Some(d) => {
                        let target = (f.next)(&d.value);
                        with_assigned(self, target, s.assign.as_ref())
                    }
                    None => quote!({
                        return Err(visit.error(names::NO_CHOICE_MATCHED, "No Matches!"));
                    }),
                };
                let output = self.output_path(s, quote!(effective), &raw);
                let (bind, apply) = if uses_vars {
                    (quote!(let (next, assigned) =), apply_assigned())
                } else {
                    (quote!(let next =), TokenStream::new())
                };
                let exited = exited(&apply);
                quote! {
                    #effective
                    #bind #(#arms else)* { #fallback };
                    let output = #output;
                    #apply
                    #exited
                    Ok(Step::Next(next, output))
                }
            }
            StateKind::Task(task) => {
                let method = self.method_for(&task.resource.value, &s.name);
                let timeout = self.task_seconds(&task.timeout_seconds, &raw, "TimeoutSecondsPath");
                let heartbeat = self.task_seconds(&task.heartbeat_seconds, &raw, "HeartbeatSecondsPath");
                let timeout_arg = task.timeout_seconds.is_some().then(|| quote!(timeout));
                let heartbeat_arg = if task.heartbeat_seconds.is_some() { quote!(heartbeat) } else { quote!(None) };
                let who = task_label(&task.resource.value);
                let work = task_call(&task.resource.value, &who, &method, timeout_arg.as_ref(), &heartbeat_arg);
                let mut pre = TokenStream::new();
                if task.timeout_seconds.is_some() {
                    pre.extend(quote!(let timeout = #timeout;));
                }
                if task.heartbeat_seconds.is_some() {
                    pre.extend(quote!(let heartbeat = #heartbeat;));
                }
                self.with_handling(s, &task.handling, &raw, pre, work, &transition)
            }
            StateKind::Parallel(parallel) => {
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
                self.with_handling(s, &parallel.handling, &raw, quote!(let mut started = false;), work, &transition)
            }
            StateKind::Map(map) => {
                let Some(processor) = &map.processor else { return (TokenStream::new(), modules) };
                if map.item_reader.is_some() || map.item_batcher.is_some() || map.result_writer.is_some() {
                    self.unsupported_at(s.name_span, "ItemReader, ItemBatcher and ResultWriter (Distributed Map) are not supported by the code generator yet");
                }
                let module = self.item_processor(s, processor, path, &mut modules);
                // Nothing reads the Map's input after its items are taken out of it, unless an
                // item selector or a limit path does: then the items are moved, not copied.
                let input_read_later = map.item_selector.is_some()
                    || matches!(map.max_concurrency, Some(Dynamic::Path(_)))
                    || matches!(map.tolerated_failure_count, Some(Dynamic::Path(_)))
                    || matches!(map.tolerated_failure_percentage, Some(Dynamic::Path(_)));
                let items = match &map.items_path {
                    Some(p) if !input_read_later && matches!(p.path.root, Root::Input) && steps(&p.path).is_some() => {
                        let st = steps(&p.path);
                        let text = lit(&p.text);
                        quote!(select_owned(task_input, #st, #text, &visit)?)
                    }
                    Some(p) => {
                        let src = raw.with_input(quote!(&task_input));
                        let read = self.read(p, &src, Read::Select);
                        quote!(#read)
                    }
                    // The items are the input itself: moved, unless the item selector still reads it.
                    None if map.item_selector.is_some() => quote!(task_input.clone()),
                    None => quote!(task_input),
                };
                let selector = match &map.item_selector {
                    Some(ItemSelector::JsonPath(t)) => {
                        // The item's Context Object (`$$.Map.Item`) carries the execution's too.
                        self.reads_context = true;
                        let src = Sources {
                            input: quote!(&task_input),
                            context: Some(quote!(&item_context)),
                            vars: quote!(parent_vars),
                        };
                        let t = self.template(t, &src);
                        quote! {
                            let item_context = ex.map_item_context_object(&visit, index, None, &item);
                            let item = #t;
                        }
                    }
                    _ => TokenStream::new(),
                };
                let max_concurrency = match &map.max_concurrency {
                    Some(Dynamic::Literal(n)) => {
                        let n = n.value as usize;
                        quote!(#n)
                    }
                    Some(Dynamic::Path(p)) => {
                        let src = raw.with_input(quote!(&task_input));
                        match (steps(&p.path), self.path_root(p, &src)) {
                            (Some(st), Some(root)) => {
                                let text = lit(&p.text);
                                quote!(integer_path(#root, #st, #text, "MaxConcurrencyPath", 0, &visit)? as usize)
                            }
                            _ => quote!(0usize),
                        }
                    }
                    _ => quote!(0usize),
                };
                let tolerance_src = raw.with_input(quote!(&task_input));
                let count = match &map.tolerated_failure_count {
                    Some(Dynamic::Literal(n)) => {
                        let n = n.value;
                        quote!(#n)
                    }
                    Some(Dynamic::Path(p)) => match (steps(&p.path), self.path_root(p, &tolerance_src)) {
                        (Some(st), Some(root)) => {
                            let text = lit(&p.text);
                            quote!(tolerated_failure_count_path(#root, #st, #text, &visit)?)
                        }
                        _ => quote!(0u64),
                    },
                    _ => quote!(0u64),
                };
                let percentage = match &map.tolerated_failure_percentage {
                    Some(Dynamic::Literal(n)) => {
                        let n = n.value;
                        quote!(#n)
                    }
                    Some(Dynamic::Path(p)) => match (steps(&p.path), self.path_root(p, &tolerance_src)) {
                        (Some(st), Some(root)) => {
                            let text = lit(&p.text);
                            quote!(tolerated_failure_percentage_path(#root, #st, #text, &visit)?)
                        }
                        _ => quote!(0.0f64),
                    },
                    _ => quote!(0.0f64),
                };
                let distributed = map.processor_config.mode == MapMode::Distributed;
                let iterations = map_iterations(
                    &quote!(max_concurrency),
                    &quote!(tolerance),
                    &selector,
                    &module,
                    map.item_selector.is_some(),
                    distributed,
                );
                // AWS evaluates MaxConcurrencyPath before the Map starts, the tolerance paths after.
                let work = quote! {
                    let items = map_items(#items, &visit)?;
                    let max_concurrency = #max_concurrency;
                    started = true;
                    ex.map_started(items.len());
                    let tolerance = Tolerance { count: #count, percentage: #percentage };
                    let parent_vars = &*vars;
                    let attempt = #iterations;
                    if attempt.is_ok() {
                        ex.map_succeeded();
                    }
                    attempt
                };
                self.with_handling(s, &map.handling, &raw, quote!(let mut started = false;), work, &transition)
            }
        };
        let has_catch = !s.catch().is_empty();
        let catch_fn = if has_catch { self.catch_fn(f) } else { TokenStream::new() };
        let asyncness = if is_sync(s) { TokenStream::new() } else { quote!(async) };
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

    /// A Task's `TimeoutSeconds`/`HeartbeatSeconds` (or its `*Path`, read from the effective
    /// input) as an `Option<Duration>` expression.
    fn task_seconds(&mut self, seconds: &Option<Dynamic<u64>>, raw: &Sources, path_field: &str) -> TokenStream {
        match seconds {
            Some(Dynamic::Literal(t)) => {
                let t = t.value;
                quote!(Some(::std::time::Duration::from_secs(#t)))
            }
            Some(Dynamic::Path(p)) => {
                let src = raw.with_input(quote!(&effective));
                match (steps(&p.path), self.path_root(p, &src)) {
                    (Some(st), Some(root)) => {
                        let text = lit(&p.text);
                        let field = lit(path_field);
                        quote!(Some(::std::time::Duration::from_secs(positive_integer_path(#root, #st, #text, #field, &visit)?)))
                    }
                    _ => quote!(None),
                }
            }
            _ => quote!(None),
        }
    }

    /// `Assign`: every value evaluated now (against the variables as they were on entry), applied
    /// with `vars.assign(assigned)` when the state completes. Returns the evaluation and the
    /// application.
    fn assign(&mut self, assign: Option<&Assign>, src: &Sources) -> (TokenStream, TokenStream) {
        match assign {
            None => (TokenStream::new(), TokenStream::new()),
            Some(Assign::JsonPath(entries)) => {
                let values: Vec<TokenStream> = entries
                    .iter()
                    .map(|e| {
                        let name = lit(&e.name);
                        let value = match &e.value {
                            Template::Path(p) => self.read(p, src, Read::Field(&format!("{}.$", e.name))),
                            Template::Intrinsic(i) => self.intrinsic(&i.call, src, &format!("{}.$", e.name)),
                            other => self.template(other, src),
                        };
                        quote!((#name, #value))
                    })
                    .collect();
                (quote!(let assigned = vec![#(#values),*];), apply_assigned())
            }
            Some(Assign::Jsonata(_)) => {
                self.unsupported_at(
                    Span::default(),
                    "JSONata Assign is not supported by the code generator yet (issue #4)",
                );
                (TokenStream::new(), TokenStream::new())
            }
        }
    }

    fn path_root(&mut self, p: &PathExpr, src: &Sources) -> Option<TokenStream> {
        match &p.path.root {
            Root::Input => Some(src.input.clone()),
            Root::Context => src.context.clone(),
            Root::Variable(name) => {
                let name = lit(name);
                let vars = &src.vars;
                Some(quote!(variable(#vars, #name, &visit)?))
            }
        }
    }

    /// `let effective = ...;` from `InputPath`. `keep` says whether `input` is read later.
    fn input_path(&mut self, s: &State, raw: &Sources, keep: bool) -> TokenStream {
        match &s.io.input_path {
            None if keep => quote!(let effective = input.clone();),
            None => quote!(let effective = input;),
            Some(NullablePath::Null(_)) => quote!(let effective = Value::Object(Map::new());),
            Some(NullablePath::Path(p)) => {
                let read = self.read(p, raw, Read::Select);
                quote!(let effective = #read;)
            }
        }
    }

    /// An expression for `OutputPath` applied to `value`.
    fn output_path(&mut self, s: &State, value: TokenStream, raw: &Sources) -> TokenStream {
        match &s.io.output_path {
            None => value,
            Some(NullablePath::Null(_)) => quote!(Value::Object(Map::new())),
            Some(NullablePath::Path(p)) => {
                let src = raw.with_input(quote!(&output));
                let read = self.read(p, &src, Read::Select);
                quote!({ let output = #value; #read })
            }
        }
    }

    /// `let output = ...;` from `result`: ResultPath into the raw input, then OutputPath.
    fn result_and_output(&mut self, s: &State, raw: &Sources) -> TokenStream {
        let merged = match &s.io.result_path {
            None => quote!(result),
            Some(NullablePath::Null(_)) => quote!(input),
            Some(NullablePath::Path(p)) => match steps(&p.path) {
                Some(st) if p.path.segments.is_empty() => {
                    let _ = st;
                    quote!(result)
                }
                Some(st) => {
                    let text = lit(&p.text);
                    quote!(merge_result(input, #st, #text, result, &visit)?)
                }
                None => {
                    self.unsupported_at(p.span, "ResultPath must be a Reference Path");
                    quote!(result)
                }
            },
        };
        let name = lit(&s.name);
        let unchanged = s.io.result_path.is_none() && s.io.output_path.is_none();
        let output = self.output_path(s, merged, raw);
        if unchanged && matches!(s.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_)) {
            // The output is the result, whose size was checked already.
            return quote!(let output = #output;);
        }
        let passes_input_on = matches!(&s.kind, StateKind::Pass(p) if p.result.is_none())
            && s.io.parameters.is_none()
            && s.io.result_path.is_none();
        if passes_input_on {
            // The output is a part of the input, whose size was checked already.
            return quote!(let output = #output;);
        }
        quote! {
            let output = #output;
            check_size(&output, #name)?;
        }
    }

    /// The work of a Task, Parallel or Map state wrapped in Retry and Catch, followed by result
    /// processing. `work` evaluates to `Result<Value, Error>` from `task_input`.
    fn with_handling(
        &mut self,
        s: &State,
        handling: &ErrorHandling,
        raw: &Sources,
        pre: TokenStream,
        work: TokenStream,
        transition: &TokenStream,
    ) -> TokenStream {
        let catch_needs_input = handling.catch.iter().any(|c| keeps_input(c.result_path.as_ref()));
        let keep = keeps_input(s.io.result_path.as_ref()) || catch_needs_input;
        let effective = self.input_path(s, raw, keep);
        let src = raw.with_input(quote!(&effective));
        let has_retry = !handling.retry.is_empty();
        // A Map's legacy `Parameters` is its item selector, applied per item.
        let parameters = if matches!(s.kind, StateKind::Map(_)) { None } else { s.io.parameters.as_ref() };
        let task_input = match parameters {
            Some(p) => self.template(p, &src),
            None if has_retry => quote!(effective.clone()),
            None => quote!(effective),
        };
        // Without InputPath, Parameters or retries the task takes the state input as it is.
        let (effective, task_input) = if s.io.input_path.is_none() && parameters.is_none() && !has_retry && !keep {
            (TokenStream::new(), quote!(input))
        } else {
            (effective, task_input)
        };
        let result_src = raw.with_input(quote!(&result));
        let selected = match &s.io.result_selector {
            Some(t) => {
                let t = self.template(t, &result_src);
                quote!(let result = #t;)
            }
            None => TokenStream::new(),
        };
        let mut output = self.result_and_output(s, raw);
        if catch_needs_input {
            // The catchers still need the raw input if result processing fails: merge into a copy.
            output = quote! {
                let input = input.clone();
                #output
            };
        }
        let on_error = if s.catch().is_empty() {
            quote!(return Err(error))
        } else {
            let catch = format_ident!("{}_catch", self.catch_name(s));
            let input = if catch_needs_input { quote!(input) } else { quote!(Value::Null) };
            quote!(return #catch(ex, vars, &visit, error, #input))
        };
        let (assigned, apply) = self.assign(s.assign.as_ref(), &raw.with_input(quote!(&result)));
        let exited = exited(&apply);
        // A Task's result size was checked with the call (see `task_call`).
        let check_result = if matches!(s.kind, StateKind::Task(_)) {
            TokenStream::new()
        } else {
            let who = lit(&s.name);
            quote!(check_result_size(&result, #who)?;)
        };
        let failed_event = failed_event(s);
        // A callback task gets a new token for each retry, as in AWS: the failed attempt's token is
        // withdrawn at once (not after the backoff).
        let renew_token =
            if waits_for_callback(s) { quote!(callback = ex.callbacks().register();) } else { TokenStream::new() };
        // A Task's Context Object is rebuilt for each retry (`$$.State.RetryCount`, the new token).
        let rebuild_context = match (&s.kind, state_uses_context(s)) {
            (StateKind::Task(_), true) => {
                let token = if waits_for_callback(s) { quote!(Some(callback.token())) } else { quote!(None) };
                quote!(context = ex.task_context_object(&visit, #token);)
            }
            _ => TokenStream::new(),
        };
        let attempt_loop = if has_retry {
            retry_loop(&handling.retry, &task_input, &work, &renew_token, &rebuild_context)
        } else {
            quote! {
                let task_input = #task_input;
                let outcome = { #work };
            }
        };
        quote! {
            #effective
            #pre
            #attempt_loop
            let result = match outcome {
                Ok(result) => result,
                Err(error) => {
                    #failed_event
                    #on_error
                }
            };
            #assigned
            let processed = (|| -> Result<Value, Error> {
                #check_result
                #selected
                #output
                Ok(output)
            })();
            let output = match processed {
                Ok(output) => output,
                Err(error) => #on_error,
            };
            #apply
            #exited
            Ok(#transition)
        }
    }

    fn catch_name(&self, s: &State) -> String {
        names::snake(&s.name)
    }

    /// `fn <state>_catch(...)`: picks the first catcher that matches and builds its output.
    fn catch_fn(&mut self, f: &StateFn) -> TokenStream {
        let s = f.state;
        let ident = format_ident!("{}_catch", f.fn_ident);
        let mut arms = Vec::new();
        for c in s.catch() {
            let errors = c.error_equals.iter().map(|e| lit(&e.value));
            let target = (f.next)(&c.next.value);
            let output = match &c.result_path {
                None => quote!(error.to_output()),
                Some(NullablePath::Null(_)) => quote!(input),
                Some(NullablePath::Path(p)) if p.path.segments.is_empty() => quote!(error.to_output()),
                Some(NullablePath::Path(p)) => match steps(&p.path) {
                    Some(st) => {
                        let text = lit(&p.text);
                        quote!(merge_result(input, #st, #text, error.to_output(), visit)?)
                    }
                    None => quote!(error.to_output()),
                },
            };
            let src = Sources { input: quote!(&error_output), context: Some(quote!(&context)), vars: quote!(&*vars) };
            let (assigned, apply) = self.assign(c.assign.as_ref(), &src);
            let exited = exited(&apply);
            let error_output =
                if assigned.is_empty() { TokenStream::new() } else { quote!(let error_output = error.to_output();) };
            arms.push(quote! {
                if error.matches(&[#(#errors),*]) {
                    #error_output
                    #assigned
                    let output = #output;
                    #apply
                    #exited
                    return Ok(Step::Next(#target, output));
                }
            });
        }
        let doc =
            format!(" The catchers of `{}`: the first whose `ErrorEquals` matches decides the next state.", s.name);
        let catch_uses_context = s.catch().iter().any(|c| match &c.assign {
            Some(Assign::JsonPath(entries)) => entries.iter().any(|e| template_uses_context(&e.value)),
            _ => false,
        });
        let context = if catch_uses_context {
            quote!(let context = ex.task_context_object(visit, None);)
        } else {
            TokenStream::new()
        };
        quote! {
            #[doc = #doc]
            fn #ident(ex: &Execution, vars: &mut Variables<'_>, visit: &Visit, error: Error, input: Value) -> Result<Step<State>, Error> {
                #context
                #(#arms)*
                Err(error)
            }
        }
    }

    /// A Fail state's `Error`/`Cause` (literal, path or intrinsic): an `Option<String>` expression.
    fn fail_field(&mut self, v: Option<&DynamicString>, raw: &Sources, field: &str) -> TokenStream {
        match v {
            None => quote!(None),
            Some(DynamicString::Literal(s)) => {
                let s = lit(&s.value);
                quote!(Some(#s.to_owned()))
            }
            Some(DynamicString::Path(p)) => match (steps(&p.path), self.path_root(p, raw)) {
                (Some(st), Some(root)) => {
                    let text = lit(&p.text);
                    let field = lit(field);
                    quote!(Some(fail_string(#root, #st, #text, #field, &visit)?))
                }
                _ => {
                    let value = self.read(p, raw, Read::Field(field));
                    quote!(Some(plain(&#value)))
                }
            },
            Some(DynamicString::Intrinsic(e)) => {
                let value = self.intrinsic(&e.call, raw, field);
                quote!(Some(plain(&#value)))
            }
            Some(DynamicString::Jsonata(e)) => {
                self.unsupported_at(e.span, "JSONata is not supported by the code generator yet (issue #4)");
                quote!(None)
            }
        }
    }
}

/// A state being generated.
pub(crate) struct StateFn<'a> {
    pub(crate) state: &'a State,
    pub(crate) fn_ident: &'a Ident,
    pub(crate) next: &'a dyn Fn(&str) -> TokenStream,
}

/// Runs a Map's iterations: each item (after the item selector) through the processor module, in
/// its own variable scope, with the history events around it. Shared by both query languages.
pub(crate) fn map_iterations(
    max_concurrency: &TokenStream,
    tolerance: &TokenStream,
    selector: &TokenStream,
    module: &Ident,
    selector_reads_input: bool,
    distributed: bool,
) -> TokenStream {
    let borrow = if selector_reads_input { quote!(let task_input = &task_input;) } else { TokenStream::new() };
    if distributed {
        // A Distributed Map runs each item as a child workflow execution, with its own history:
        // the parent's shows the Map Run only.
        return quote! {{
            ex.map_run_started(&visit);
            let attempt = map(items, distributed_map_concurrency(#max_concurrency), #tolerance, |index, item| {
                #borrow
                let visit = &visit;
                async move {
                    #selector
                    let child = ex.map_run_child(&item);
                    let output = #module::run(tasks, &child, Some(parent_vars), item).await;
                    child.finish(&output);
                    output
                }
            })
            .await;
            ex.map_run_finished(&attempt);
            attempt
        }};
    }
    quote! {
        map(items, inline_map_concurrency(#max_concurrency), #tolerance, |index, item| {
            #borrow
            let visit = &visit;
            async move {
                #selector
                ex.iteration_started(visit, index);
                let output = #module::run(tasks, ex, Some(parent_vars), item).await;
                ex.iteration_finished(visit, index, &output);
                output
            }
        })
        .await
    }
}

/// For Map and Parallel states: `MapStateFailed`/`ParallelStateFailed` once the state has failed
/// for good (not between retries; not when it failed before starting).
pub(crate) fn failed_event(s: &State) -> TokenStream {
    match s.kind {
        StateKind::Map(_) => quote!(if started {
            ex.map_failed();
        }),
        StateKind::Parallel(_) => quote!(if started {
            ex.parallel_failed();
        }),
        _ => TokenStream::new(),
    }
}

/// Applies evaluated `Assign` values, keeping a copy for the `Exited` event when recording.
pub(crate) fn apply_assigned() -> TokenStream {
    quote! {
        let recorded = ex.assigned(&assigned);
        vars.assign(assigned, &visit)?;
    }
}

/// `<Type>StateExited`, with the assigned variables when `apply` assigned some.
pub(crate) fn exited(apply: &TokenStream) -> TokenStream {
    if apply.is_empty() {
        quote!(ex.exited(&visit, &output, None);)
    } else {
        quote!(ex.exited(&visit, &output, recorded);)
    }
}

/// `StateType::Pass`, ... for a state's events.
pub(crate) fn state_type(s: &State) -> TokenStream {
    let ident = format_ident!("{}", s.type_name());
    quote!(StateType::#ident)
}

/// Whether a state's function never awaits (so it is generated as a plain `fn`): Pass, Choice,
/// Succeed and Fail in JSONPath; Choice and Fail in JSONata (whose Pass and Succeed share the
/// Wait state's code).
pub(crate) fn is_sync(s: &State) -> bool {
    match s.query_language {
        QueryLanguage::Jsonata => matches!(s.kind, StateKind::Choice(_) | StateKind::Fail(_)),
        _ => matches!(s.kind, StateKind::Pass(_) | StateKind::Choice(_) | StateKind::Succeed | StateKind::Fail(_)),
    }
}

/// Whether a Task waits for a callback (`.waitForTaskToken`).
pub(crate) fn waits_for_callback(s: &State) -> bool {
    matches!(&s.kind, StateKind::Task(t) if t.resource.value.ends_with(".waitForTaskToken"))
}

/// `let mut callback = ...;`: a callback Task's token, issued on entry (`$$.Task.Token`).
pub(crate) fn callback_registration(s: &State) -> TokenStream {
    if waits_for_callback(s) { quote!(let mut callback = ex.callbacks().register();) } else { TokenStream::new() }
}

/// One call of a Task's handler with its history events, `TimeoutSeconds` and, for callback
/// resources, the wait for the callback (bounded by `HeartbeatSeconds`). Evaluates to
/// `Result<Value, Error>`; reads `task_input`.
pub(crate) fn task_call(
    resource: &str,
    who: &str,
    method: &Ident,
    timeout: Option<&TokenStream>,
    heartbeat: &TokenStream,
) -> TokenStream {
    // Without TimeoutSeconds the handler is awaited as it is (no timer in the future).
    let bounded = |call: TokenStream| match timeout {
        Some(t) => quote!(with_timeout(#t, #call).await),
        None => quote!(task_outcome(#call.await)),
    };
    let timeout = timeout.cloned().unwrap_or_else(|| quote!(None));
    let lambda_invoke = resource == "arn:aws:states:::lambda:invoke";
    let wrap = if lambda_invoke { quote!(.map(lambda_invoke_envelope)) } else { TokenStream::new() };
    // A result over the payload limit fails the task itself (TaskFailed, catchable).
    let checked = {
        let who = lit(who);
        quote!(.and_then(|result| { check_result_size(&result, #who)?; Ok(result) }))
    };
    let resource_lit = lit(resource);
    if resource.ends_with(".waitForTaskToken") {
        let waited = bounded(quote!(wait_for_callback(ex, #resource_lit, handler, &mut callback, #heartbeat)));
        quote! {
            let cx = ex.task_context(&visit, #resource_lit, Some(callback.token()));
            ex.task_scheduled(#resource_lit, &task_input, #timeout, #heartbeat);
            ex.task_started(#resource_lit);
            let handler = tasks.#method(task_input, cx);
            let attempt = #waited #checked;
            ex.task_finished(#resource_lit, &attempt);
            attempt
        }
    } else {
        let called = bounded(quote!(tasks.#method(task_input, cx)));
        quote! {
            let cx = ex.task_context(&visit, #resource_lit, None);
            ex.task_scheduled(#resource_lit, &task_input, #timeout, #heartbeat);
            ex.task_started(#resource_lit);
            let attempt = #called #wrap #checked;
            ex.task_finished(#resource_lit, &attempt);
            attempt
        }
    }
}

/// `let outcome = loop { ... };`: attempts of `work` (reading `task_input`, evaluated per attempt
/// from `task_input`) under the state's `Retry`, shared by both query languages. `before_backoff`
/// runs when an attempt has failed and will be retried, `after_backoff` once the retry count is up
/// to date.
pub(crate) fn retry_loop(
    retry: &[Retrier],
    task_input: &TokenStream,
    work: &TokenStream,
    before_backoff: &TokenStream,
    after_backoff: &TokenStream,
) -> TokenStream {
    let retriers = retriers(retry);
    quote! {
        const RETRY: &[Retrier] = &[#(#retriers),*];
        let mut retry = RetryState::new();
        let mut visit = visit;
        let outcome = loop {
            let task_input = #task_input;
            let attempt = { #work };
            match attempt {
                Ok(result) => break Ok(result),
                Err(error) => match retry.next_delay(RETRY, &error) {
                    Some(delay) => {
                        #before_backoff
                        time::sleep(delay).await;
                        visit.retry_count = retry.retry_count();
                        tracing::Span::current().record("retry_count", visit.retry_count);
                        #after_backoff
                    }
                    None => break Err(error),
                },
            }
        };
    }
}

/// The `Retrier` table of a state.
pub(crate) fn retriers(retry: &[Retrier]) -> Vec<TokenStream> {
    retry
        .iter()
        .map(|r| {
            let errors = r.error_equals.iter().map(|e| lit(&e.value));
            let interval = r.interval_seconds();
            let attempts = r.max_attempts();
            let rate = r.backoff_rate();
            let max_delay = match &r.max_delay_seconds {
                Some(d) => {
                    let d = d.value;
                    quote!(Some(#d))
                }
                None => quote!(None),
            };
            let jitter = if r.jitter == Jitter::Full { quote!(Jitter::Full) } else { quote!(Jitter::None) };
            quote!(Retrier {
                error_equals: &[#(#errors),*],
                interval_seconds: #interval,
                max_attempts: #attempts,
                backoff_rate: #rate,
                max_delay_seconds: #max_delay,
                jitter: #jitter,
            })
        })
        .collect()
}

/// How AWS names a task in `States.DataLimitExceeded` causes: the service of an optimized
/// integration (`arn:aws:states:::lambda:invoke` is `lambda`), else the resource itself.
pub(crate) fn task_label(resource: &str) -> String {
    match resource.strip_prefix("arn:aws:states:::") {
        Some(rest) => rest.split(':').next().unwrap_or(rest).to_owned(),
        None => resource.to_owned(),
    }
}

/// Whether the raw input is read after the result is known (ResultPath other than `$`).
fn keeps_input(result_path: Option<&NullablePath>) -> bool {
    match result_path {
        None => false,
        Some(NullablePath::Null(_)) => true,
        Some(NullablePath::Path(p)) => !p.path.segments.is_empty(),
    }
}

/// Whether a template reads the Context Object.
fn template_uses_context(t: &Template) -> bool {
    match t {
        Template::Literal(_) => false,
        Template::Object(fields) => fields.iter().any(|f| template_uses_context(&f.value)),
        Template::Array(items) => items.iter().any(template_uses_context),
        Template::Path(p) => matches!(p.path.root, Root::Context),
        Template::Intrinsic(e) => e
            .call
            .args
            .iter()
            .any(|a| matches!(a, crate::intrinsic::Arg::Path { path, .. } if matches!(path.root, Root::Context))),
    }
}

/// Whether any path of the state reads the Context Object (`$$`).
fn state_uses_context(s: &State) -> bool {
    fn path(p: &PathExpr) -> bool {
        matches!(p.path.root, Root::Context)
    }
    fn nullable(p: &Option<NullablePath>) -> bool {
        matches!(p, Some(NullablePath::Path(p)) if path(p))
    }
    fn call(c: &crate::intrinsic::Call) -> bool {
        c.args.iter().any(|a| match a {
            crate::intrinsic::Arg::Path { path, .. } => matches!(path.root, Root::Context),
            crate::intrinsic::Arg::Call(inner) => call(inner),
            _ => false,
        })
    }
    fn template(t: &Template) -> bool {
        match t {
            Template::Literal(_) => false,
            Template::Object(fields) => fields.iter().any(|f| template(&f.value)),
            Template::Array(items) => items.iter().any(template),
            Template::Path(p) => path(p),
            Template::Intrinsic(e) => call(&e.call),
        }
    }
    fn condition(c: &Condition) -> bool {
        match c {
            Condition::And(r) | Condition::Or(r) => r.iter().any(condition),
            Condition::Not(c) => condition(c),
            Condition::Compare { variable, operand, .. } => {
                path(variable) || matches!(operand, Operand::Path(p) if path(p))
            }
            Condition::Jsonata(_) => false,
        }
    }
    fn assign(a: &Option<Assign>) -> bool {
        match a {
            Some(Assign::JsonPath(entries)) => entries.iter().any(|e| template(&e.value)),
            _ => false,
        }
    }
    let io = &s.io;
    let mut uses = assign(&s.assign) || s.catch().iter().any(|c| assign(&c.assign));
    uses |= nullable(&io.input_path)
        || nullable(&io.output_path)
        || io.parameters.as_ref().is_some_and(template)
        || io.result_selector.as_ref().is_some_and(template);
    match &s.kind {
        StateKind::Choice(c) => uses |= c.choices.iter().any(|r| condition(&r.condition) || assign(&r.assign)),
        StateKind::Map(m) => uses |= m.items_path.as_ref().is_some_and(path),
        StateKind::Fail(f) => {
            for d in [&f.error, &f.cause].into_iter().flatten() {
                uses |= match d {
                    DynamicString::Path(p) => path(p),
                    DynamicString::Intrinsic(e) => call(&e.call),
                    _ => false,
                };
            }
        }
        _ => {}
    }
    uses
}
