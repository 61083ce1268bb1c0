//! Compiles every conformance case through asl-codegen, in one build.
//!
//! Reads the case directory from `ASL_CONFORMANCE_CASES` (default `../../shared/conformance/cases`
//! relative to this crate), generates one module per case and a table of all cases into
//! `$OUT_DIR/cases.rs`. A case the generator cannot compile yet is listed with the reason, and
//! reported as SKIP by the runner.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = std::env::var_os("ASL_CONFORMANCE_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../../shared/conformance/cases"));
    println!("cargo:rerun-if-env-changed=ASL_CONFORMANCE_CASES");
    println!("cargo:rerun-if-changed={}", dir.display());

    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();

    let mut modules = proc_macro2_free::Out::default();
    let mut table = String::new();
    for (i, file) in files.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let Ok(case) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        let group = file.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let name = file.file_stem().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let definition = serde_json::to_string_pretty(&case["definition"]).unwrap_or_default();
        let module = format!("case_{i}");
        let skip = skip_reason(&case).or_else(|| {
            match asl_codegen::compile_source(&definition, &format!("{group}/{name}"), &module, None) {
                Ok(tokens) => {
                    modules.push(tokens.to_string());
                    None
                }
                Err(messages) => Some(first_line(&messages.join(" "))),
            }
        });
        let file_lit = format!("{:?}", file.display().to_string());
        match skip {
            None => {
                let _ = writeln!(
                    table,
                    "Case {{ group: {group:?}, name: {name:?}, file: {file_lit}, run: Some(|tasks, ex, input| Box::pin(async move {{ {module}::Workflow::new(tasks).execute_in(&ex, Start::input(input)).await }})), skip: None }},"
                );
            }
            Some(reason) => {
                let _ = writeln!(
                    table,
                    "Case {{ group: {group:?}, name: {name:?}, file: {file_lit}, run: None, skip: Some({reason:?}) }},"
                );
            }
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let code = format!(
        "{}\n\n/// Every case found, in file order.\npub static CASES: &[Case] = &[\n{table}];\n",
        modules.text
    );
    if let Err(e) = std::fs::write(out.join("cases.rs"), code) {
        panic!("cannot write the generated cases: {e}");
    }
}

/// Why a case is not run, decided from its recorded metadata.
fn skip_reason(case: &serde_json::Value) -> Option<String> {
    let needs = case["needs"].as_array().cloned().unwrap_or_default();
    // Credentials only name a role to assume; a local run ignores them.
    if let Some(n) = needs.iter().find(|n| n["kind"] != "lambda" && n["kind"] != "credentials") {
        return Some(format!("needs an AWS service: {}", n["kind"].as_str().unwrap_or("?")));
    }
    if needs.iter().any(|n| n["behaviour"].is_null() && n["invoked_in_recording"] != false) {
        return Some("needs a Lambda function whose behaviour was not recorded".into());
    }
    None
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    line.strip_prefix("error[UNSUPPORTED]: ").unwrap_or(line).to_owned()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Accumulates generated module text (the token streams' text form; rustc parses it fine).
mod proc_macro2_free {
    #[derive(Default)]
    pub struct Out {
        pub text: String,
    }
    impl Out {
        pub fn push(&mut self, module: String) {
            self.text.push_str(&module);
            self.text.push('\n');
        }
    }
}
