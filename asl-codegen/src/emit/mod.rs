//! Code generation: a checked [`StateMachine`] becomes a module of async Rust.
//!
//! For each `States` block (the machine, every Parallel branch, every Map item processor) the
//! generator writes an `enum State`, one `async fn` per state and a driver loop; nested blocks
//! become nested modules. Task resources become methods of a `Tasks` trait. Data flow is compiled:
//! definite paths become static step lists read by [`asl_runtime::path`], payload templates become
//! direct construction, Choice rules become inline comparisons, intrinsic calls become calls of
//! runtime functions with their arguments already parsed. Only indefinite JSONPath (wildcards,
//! filters, slices, unions) is evaluated by a query engine at run time.
//!
//! The output is a [`TokenStream`]; [`generate_file`] formats it with prettyplease.

mod block;
mod dataflow;
mod jsonata_state;
mod jsonata_tokens;
pub mod names;

use proc_macro2::{Span as TokenSpan, TokenStream};
use quote::{format_ident, quote};

use crate::model::*;
use crate::span::Span;

/// What the generator needs besides the model.
#[derive(Clone, Debug)]
pub struct Options {
    /// Name of the generated module (`order_processing`).
    pub module_name: String,
    /// Absolute path of the ASL file, for `include_str!` (so cargo rebuilds when it changes).
    /// Without it the definition text is embedded as a string literal.
    pub source_path: Option<String>,
}

/// A construct the generator cannot compile (yet), with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    pub message: String,
    pub span: Span,
    pub state: Option<String>,
}

/// Generates the module for a machine. `source` is the ASL text (embedded as `DEFINITION`).
pub fn generate(machine: &StateMachine, source: &str, options: &Options) -> Result<TokenStream, Vec<Unsupported>> {
    let mut cx = block::Generator::new(machine);
    let body = cx.block(&machine.body, &[]);
    if !cx.unsupported.is_empty() {
        return Err(cx.unsupported);
    }
    let module = format_ident!("{}", options.module_name);
    let definition = match &options.source_path {
        Some(path) => quote!(include_str!(#path)),
        None => quote!(#source),
    };
    let trait_methods = cx.resources.iter().map(|r| {
        let method = format_ident!("{}", r.method);
        let resource = &r.resource;
        let used_by = r.states.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        let doc = format!(" `{resource}`, used by {used_by}.");
        quote! {
            #[doc = #doc]
            fn #method(&self, input: Value, cx: TaskContext) -> impl Future<Output = Result<Value, TaskError>> + Send;
        }
    });
    let registry_methods = cx.resources.iter().map(|r| {
        let method = format_ident!("{}", r.method);
        quote! {
            fn #method(&self, input: Value, cx: TaskContext) -> impl Future<Output = Result<Value, TaskError>> + Send {
                self.call(input, cx)
            }
        }
    });
    let resource_list = cx.resources.iter().map(|r| &r.resource);
    let machine_name = &options.module_name;
    let reads_context = cx.reads_context;
    let timeout = match &machine.timeout_seconds {
        Some(t) => {
            let secs = t.value;
            quote!(Some(#secs))
        }
        None => quote!(None),
    };
    Ok(quote! {
        #[allow(clippy::all, unused_imports, unused_variables, unused_mut, unused_assignments, unused_parens, dead_code, non_snake_case)]
        pub mod #module {
            use ::asl_runtime::prelude::*;

            /// The ASL definition this module was generated from.
            pub const DEFINITION: &str = #definition;

            /// Every Task resource the workflow calls.
            pub const RESOURCES: &[&str] = &[#(#resource_list),*];

            /// The workflow's Task handlers: one method per Task resource.
            pub trait Tasks: Send + Sync {
                #(#trait_methods)*
            }

            /// Handlers looked up by resource string at run time (tests, mocks, tools).
            impl Tasks for Registry {
                #(#registry_methods)*
            }

            /// The state machine's name (in ARNs and `$$.StateMachine.Name`).
            pub const NAME: &str = #machine_name;

            /// The definition's `TimeoutSeconds`: past it an execution ends TIMED_OUT.
            pub const TIMEOUT_SECONDS: Option<u64> = #timeout;

            /// Runs the workflow with a set of Task handlers.
            pub struct Workflow<T> {
                tasks: T,
                callbacks: Callbacks,
                /// The state machine's names, shared by the executions `run` starts.
                names: ExecutionInfo,
                /// `arn:aws:states:local:000000000000:execution:<machine>:`, for their ARNs.
                execution_arn_prefix: String,
            }

            /// Whether a state reads the Context Object: only then does an execution keep a copy
            /// of its input for `$$.Execution.Input`.
            const READS_CONTEXT: bool = #reads_context;

            impl<T: Tasks> Workflow<T> {
                pub fn new(tasks: T) -> Self {
                    let names = ExecutionInfo::new(NAME, "");
                    let execution_arn_prefix = names.execution_arn_prefix();
                    Workflow { tasks, callbacks: Callbacks::new(), names, execution_arn_prefix }
                }

                /// Shares a callback table with other workflows (one `send_task_success` entry point).
                pub fn with_callbacks(mut self, callbacks: Callbacks) -> Self {
                    self.callbacks = callbacks;
                    self
                }

                /// Where `.waitForTaskToken` tasks wait: `send_task_success`, `send_task_failure`,
                /// `send_task_heartbeat`.
                pub fn callbacks(&self) -> &Callbacks {
                    &self.callbacks
                }

                pub fn tasks(&self) -> &T {
                    &self.tasks
                }

                /// Runs one execution to its end with a generated name.
                pub fn run(&self, input: Value) -> impl Future<Output = Result<Value, Error>> + Send + '_ {
                    let name = new_execution_name();
                    let id = format!("{}{name}", self.execution_arn_prefix);
                    self.execute(self.names.named(name, id), input)
                }

                /// Runs one execution with Rust types at the edges: the input is turned into JSON and
                /// the output read back as `O` (a mismatch is a `States.Runtime` error naming the type).
                pub async fn run_typed<I: Serialize, O: DeserializeOwned>(&self, input: &I) -> Result<O, Error> {
                    let input = serde_json::to_value(input)
                        .map_err(|e| Error::runtime(format!("the workflow input cannot be turned into JSON: {e}")))?;
                    let output = self.run(input).await?;
                    serde_json::from_value(output).map_err(|e| {
                        Error::runtime(format!("the workflow output does not match the Rust type `{}`: {e}", ::std::any::type_name::<O>()))
                    })
                }

                /// Runs one execution with the given names (they appear in `$$.Execution`, `$$.StateMachine`).
                ///
                /// (The functions that start executions prepare what they can before returning
                /// their future, which then holds only what the execution needs while it runs.)
                pub fn execute(&self, info: ExecutionInfo, input: Value) -> impl Future<Output = Result<Value, Error>> + Send + '_ {
                    let context_input = if READS_CONTEXT { input.clone() } else { Value::Null };
                    let ex = Execution::new(info, context_input).with_callbacks(self.callbacks.clone());
                    async move { self.execute_in(&ex, Start::input(input)).await }
                }

                /// Runs from a given state with a given input (the rest of the workflow as usual).
                pub fn execute_from(&self, info: ExecutionInfo, state: State, input: Value) -> impl Future<Output = Result<Value, Error>> + Send + '_ {
                    let context_input = if READS_CONTEXT { input.clone() } else { Value::Null };
                    let ex = Execution::new(info, context_input).with_callbacks(self.callbacks.clone());
                    async move { self.execute_in(&ex, Start::at(state.name(), input)).await }
                }

                /// Runs an execution prepared by the caller (with a history, a control, ...) from
                /// `start`, within the machine's `TimeoutSeconds`, and records how it ended.
                pub fn execute_in<'a>(&'a self, ex: &'a Execution, start: Start) -> impl Future<Output = Result<Value, Error>> + Send + 'a {
                    let (entry, vars) = entry(start);
                    async move {
                        let span = tracing::info_span!("execution", name = %ex.info().name, state_machine = NAME);
                        let run = self.run_entry(ex, entry, vars).instrument(span);
                        let result = match TIMEOUT_SECONDS {
                            Some(secs) => match time::timeout(::std::time::Duration::from_secs(secs), run).await {
                                Ok(result) => result,
                                Err(_) => Err(Error::execution_timed_out()),
                            },
                            None => run.await,
                        };
                        ex.finish(&result);
                        result
                    }
                }

                /// Runs from `start` to the end (no timeout; see [`Workflow::execute_in`]).
                pub fn run_execution<'a>(&'a self, ex: &'a Execution, start: Start) -> impl Future<Output = Result<Value, Error>> + Send + 'a {
                    let (entry, vars) = entry(start);
                    self.run_entry(ex, entry, vars)
                }

                async fn run_entry(&self, ex: &Execution, entry: Result<(State, Value), Error>, mut vars: Variables<'static>) -> Result<Value, Error> {
                    let (state, input) = entry?;
                    run_from(&self.tasks, ex, &mut vars, state, input).await
                }
            }

            /// Where a [`Start`] begins: the top-level state and its input, and the variables.
            /// (Resolved before an execution's future is built, so that the future holds no copy.)
            fn entry(start: Start) -> (Result<(State, Value), Error>, Variables<'static>) {
                let state = match &start.state {
                    None => Ok(State::START),
                    Some(name) => State::from_name(name)
                        .ok_or_else(|| Error::runtime(format!("The workflow has no top-level state named '{name}'"))),
                };
                (state.map(|s| (s, start.input)), Variables::with_values(start.variables))
            }

            /// Named executions, history, stop, pause and redrive: `Executor::new(Workflow::new(tasks))`.
            impl<T: Tasks + 'static> StateMachine for Workflow<T> {
                fn name(&self) -> &str {
                    NAME
                }

                fn timeout(&self) -> Option<::std::time::Duration> {
                    TIMEOUT_SECONDS.map(::std::time::Duration::from_secs)
                }

                fn callbacks(&self) -> Callbacks {
                    self.callbacks.clone()
                }

                fn run_execution<'a>(&'a self, ex: &'a Execution, start: Start) -> impl Future<Output = Result<Value, Error>> + Send + 'a {
                    Workflow::run_execution(self, ex, start)
                }
            }

            #body
        }
    })
}

/// Generates and formats the module as a file (for build.rs and `asl gen`).
pub fn generate_file(machine: &StateMachine, source: &str, options: &Options) -> Result<String, Vec<Unsupported>> {
    let tokens = generate(machine, source, options)?;
    Ok(format_tokens(tokens))
}

/// Formats tokens with prettyplease (falling back to the raw token text if they do not parse).
pub fn format_tokens(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}

/// A string literal token.
pub(crate) fn lit(s: &str) -> proc_macro2::Literal {
    let mut l = proc_macro2::Literal::string(s);
    l.set_span(TokenSpan::call_site());
    l
}
