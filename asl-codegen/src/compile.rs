//! The one entry point the three front doors share (`include_workflow!`, build.rs, `asl gen`):
//! an ASL file in, a Rust module out, or every problem rendered with its location.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

use crate::diagnostic::Diagnostic;
use crate::emit::{self, Options};
use crate::render::Source;

/// Why a workflow could not be compiled.
#[derive(Debug)]
pub enum CompileError {
    /// The file could not be read.
    Io { path: PathBuf, error: std::io::Error },
    /// The definition has errors (all of them, each rendered with a source excerpt) or uses
    /// something the generator does not support yet.
    Invalid { path: PathBuf, messages: Vec<String> },
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompileError::Io { path, error } => write!(f, "cannot read the workflow file {}: {error}", path.display()),
            CompileError::Invalid { messages, .. } => f.write_str(&messages.join("\n\n")),
        }
    }
}

impl std::error::Error for CompileError {}

/// The module name for a workflow file: its file stem in snake case (`order-processing.asl.json`
/// gives `order_processing`).
pub fn module_name(path: &Path) -> String {
    let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("workflow");
    let stem = file.strip_suffix(".json").unwrap_or(file);
    let stem = stem.strip_suffix(".asl").unwrap_or(stem);
    emit::names::snake(stem)
}

/// Compiles ASL text to a module. `display_path` appears in messages; `include_path`, when given,
/// is embedded with `include_str!` so cargo rebuilds when the file changes.
pub fn compile_source(
    text: &str,
    display_path: &str,
    module: &str,
    include_path: Option<&str>,
) -> Result<TokenStream, Vec<String>> {
    let analysis = crate::analyze(text);
    let source = Source::new(display_path, text);
    let errors: Vec<&Diagnostic> = analysis.errors().collect();
    if !errors.is_empty() {
        return Err(errors.iter().map(|d| source.compile_error(d)).collect());
    }
    let Some(machine) = analysis.machine else { return Err(vec!["the definition is not a JSON object".into()]) };
    let options = Options { module_name: module.to_owned(), source_path: include_path.map(str::to_owned) };
    emit::generate(&machine, text, &options).map_err(|unsupported| {
        unsupported
            .iter()
            .map(|u| {
                let d = Diagnostic::error("UNSUPPORTED", u.message.clone(), "", u.span).with_state(u.state.as_deref());
                source.compile_error(&d)
            })
            .collect()
    })
}

/// Reads and compiles a workflow file.
pub fn compile_file(path: &Path, module: &str) -> Result<TokenStream, CompileError> {
    let text = std::fs::read_to_string(path).map_err(|error| CompileError::Io { path: path.to_owned(), error })?;
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    compile_source(&text, &path.display().to_string(), module, absolute.to_str())
        .map_err(|messages| CompileError::Invalid { path: path.to_owned(), messages })
}

/// Generates code for workflow files from a build script, into `OUT_DIR`.
///
/// In `build.rs`:
///
/// ```no_run
/// asl_codegen::Builder::new()
///     .workflow("workflows/order-processing.asl.json")
///     .generate()
///     .unwrap_or_else(|e| panic!("{e}"));
/// ```
///
/// and in the crate: `include!(concat!(env!("OUT_DIR"), "/workflows.rs"));`.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    workflows: Vec<(PathBuf, Option<String>)>,
    out_file: Option<PathBuf>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Adds a workflow file (relative to the crate), as a module named after the file.
    pub fn workflow(mut self, path: impl Into<PathBuf>) -> Builder {
        self.workflows.push((path.into(), None));
        self
    }

    /// Adds a workflow file as a module with the given name.
    pub fn workflow_as(mut self, path: impl Into<PathBuf>, module: &str) -> Builder {
        self.workflows.push((path.into(), Some(module.to_owned())));
        self
    }

    /// Where to write (default `$OUT_DIR/workflows.rs`).
    pub fn out_file(mut self, path: impl Into<PathBuf>) -> Builder {
        self.out_file = Some(path.into());
        self
    }

    /// Generates every workflow into one formatted file and tells cargo to rerun when any
    /// workflow file changes. All errors of all files are reported together.
    pub fn generate(self) -> Result<PathBuf, CompileError> {
        let out = match self.out_file {
            Some(p) => p,
            None => PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_else(|| ".".into())).join("workflows.rs"),
        };
        let mut modules = TokenStream::new();
        let mut messages = Vec::new();
        for (path, module) in &self.workflows {
            println!("cargo:rerun-if-changed={}", path.display());
            let module = module.clone().unwrap_or_else(|| module_name(path));
            match compile_file(path, &module) {
                Ok(tokens) => modules.extend(tokens),
                Err(CompileError::Invalid { messages: m, .. }) => messages.extend(m),
                Err(e) => return Err(e),
            }
        }
        if !messages.is_empty() {
            return Err(CompileError::Invalid { path: out, messages });
        }
        let text = format!(
            "// Generated by asl-codegen from Amazon States Language files. Do not edit.\n\n{}",
            emit::format_tokens(modules)
        );
        std::fs::write(&out, text).map_err(|error| CompileError::Io { path: out.clone(), error })?;
        Ok(out)
    }
}
