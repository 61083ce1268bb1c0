//! `include_workflow!`: compiles an Amazon States Language file into a Rust module at build time.
//!
//! ```ignore
//! asl_macros::include_workflow!("workflows/order-processing.asl.json");
//! // or with a module name of your choice:
//! asl_macros::include_workflow!("workflows/order-processing.asl.json", module = orders);
//! ```
//!
//! The path is relative to the crate's `Cargo.toml` (`CARGO_MANIFEST_DIR`), or else to the source
//! file that invokes the macro. The generated module
//! embeds the file with `include_str!`, so cargo rebuilds when it changes. Every mistake in the
//! file is reported as a compile error that names `path:line:col` and shows the offending line;
//! after errors a skeleton of the module is still emitted, so the rest of the crate does not
//! drown the real problem in follow-up errors. This crate is a thin front door: all the work is
//! in `asl-codegen`.

use std::path::PathBuf;

use proc_macro::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

struct Args {
    path: LitStr,
    module: Option<Ident>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Args> {
        let path: LitStr = input.parse()?;
        let mut module = None;
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: Ident = input.parse()?;
            if key != "module" {
                return Err(syn::Error::new(key.span(), "expected `module = name`"));
            }
            input.parse::<Token![=]>()?;
            module = Some(input.parse()?);
            input.parse::<Option<Token![,]>>()?;
        }
        Ok(Args { path, module })
    }
}

/// The file a path names: relative to the crate root (`CARGO_MANIFEST_DIR`) when it exists there,
/// else relative to the source file that invokes the macro.
fn resolve(relative: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    let from_crate = base.join(relative);
    if from_crate.exists() {
        return from_crate;
    }
    proc_macro::Span::call_site()
        .local_file()
        .and_then(|file| file.parent().map(|dir| dir.join(relative)))
        .filter(|p| p.exists())
        .unwrap_or(from_crate)
}

/// Compiles an ASL file into a module; see the crate documentation.
#[proc_macro]
pub fn include_workflow(input: TokenStream) -> TokenStream {
    let args = match syn::parse::<Args>(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error().into(),
    };
    let relative = args.path.value();
    let full = resolve(&relative);
    let module = args.module.map(|m| m.to_string()).unwrap_or_else(|| asl_codegen::module_name(&full));
    let module_ident = format_ident!("{}", module);
    let span = args.path.span();

    let text = match std::fs::read_to_string(&full) {
        Ok(t) => t,
        Err(e) => {
            let message = format!("cannot read the workflow file `{relative}` (looked for {}): {e}", full.display());
            return syn::Error::new(span, message).to_compile_error().into();
        }
    };
    let include = full.to_string_lossy().into_owned();
    match asl_codegen::compile_source(&text, &relative, &module, Some(&include)) {
        Ok(tokens) => tokens.into(),
        Err(messages) => {
            let errors = messages.iter().map(|m| syn::Error::new(span, m).to_compile_error());
            quote! {
                #(#errors)*
                /// Skeleton emitted after errors in the ASL file, so uses of the module do not
                /// add errors of their own.
                #[allow(dead_code, unused_imports)]
                pub mod #module_ident {
                    use ::asl_runtime::prelude::*;
                    pub const DEFINITION: &str = include_str!(#include);
                    pub const RESOURCES: &[&str] = &[];
                    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
                    pub enum State {}
                    pub trait Tasks: Send + Sync {}
                    impl<T: Send + Sync + ?Sized> Tasks for T {}
                    pub struct Workflow<T> { tasks: T }
                    impl<T: Tasks> Workflow<T> {
                        pub fn new(tasks: T) -> Self { Workflow { tasks } }
                        pub async fn run(&self, _input: Value) -> Result<Value, Error> {
                            Err(Error::runtime("the workflow definition has errors"))
                        }
                        pub async fn execute(&self, _info: ExecutionInfo, _input: Value) -> Result<Value, Error> {
                            Err(Error::runtime("the workflow definition has errors"))
                        }
                    }
                }
            }
            .into()
        }
    }
}
