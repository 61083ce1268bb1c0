//! `asl`: check Amazon States Language files from the command line.
//!
//! `asl check FILE...` prints one line per diagnostic, `path:line:col: error[CODE]: message`, and
//! exits 0 when every file is valid, 1 when any is invalid, 2 for usage or I/O errors.

use std::io::Write;
use std::process::ExitCode;

use asl_codegen::render::Source;
use asl_codegen::{Diagnostic, analyze};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "asl", version, about = "Check and compile Amazon States Language (AWS Step Functions) workflows")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check ASL files and report every problem with its line and column.
    Check {
        /// The files to check (`.asl.json` or `.json`; comments and trailing commas are accepted).
        #[arg(required = true)]
        files: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Do not print warnings (they never change the exit status).
        #[arg(long)]
        no_warnings: bool,
    },
    /// Print the Rust module generated for an ASL file.
    Gen {
        /// The workflow file.
        file: String,
        /// Name of the generated module (default: the file name in snake case).
        #[arg(long)]
        module: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One line per diagnostic: `path:line:col: error[CODE]: message`.
    Text,
    /// Each diagnostic with the offending source line underlined.
    Human,
    /// A JSON array with one object per file.
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let usage = e.use_stderr();
            let _ = e.print();
            return ExitCode::from(if usage { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check { files, format, no_warnings } => check(&files, format, no_warnings),
        Command::Gen { file, module } => generate(&file, module),
    }
}

fn check(files: &[String], format: Format, no_warnings: bool) -> ExitCode {
    let mut any_invalid = false;
    let mut io_error = false;
    let mut json_files = Vec::new();
    let (mut errors, mut warnings) = (0usize, 0usize);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in files {
        let text = match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    eprintln!("asl: {path}: the file is not UTF-8 text");
                    io_error = true;
                    continue;
                }
            },
            Err(e) => {
                eprintln!("asl: {path}: {}", describe_io_error(&e));
                io_error = true;
                continue;
            }
        };
        let analysis = analyze(&text);
        let source = Source::new(path, &text);
        let shown: Vec<&Diagnostic> = analysis.diagnostics.iter().filter(|d| !no_warnings || d.is_error()).collect();
        let file_errors = analysis.errors().count();
        errors += file_errors;
        warnings += analysis.diagnostics.len() - file_errors;
        any_invalid |= file_errors > 0;
        match format {
            Format::Text => {
                for d in &shown {
                    let _ = writeln!(out, "{}", source.short(d));
                }
            }
            Format::Human => {
                for d in &shown {
                    let _ = writeln!(out, "{}\n", source.excerpt(d));
                }
            }
            Format::Json => json_files.push(serde_json::json!({
                "file": path,
                "valid": file_errors == 0,
                "diagnostics": shown.iter().map(|d| diagnostic_json(&source, d)).collect::<Vec<_>>(),
            })),
        }
    }
    if format == Format::Json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&json_files).unwrap_or_default());
    } else {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        eprintln!(
            "asl check: {}, {} in {}",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files.len(), "file")
        );
    }
    if io_error {
        ExitCode::from(2)
    } else if any_invalid {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn generate(file: &str, module: Option<String>) -> ExitCode {
    let path = std::path::Path::new(file);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("asl: {file}: {}", describe_io_error(&e));
            return ExitCode::from(2);
        }
    };
    let module = module.unwrap_or_else(|| asl_codegen::module_name(path));
    match asl_codegen::compile_source(&text, file, &module, None) {
        Ok(tokens) => {
            print!("{}", asl_codegen::emit::format_tokens(tokens));
            ExitCode::SUCCESS
        }
        Err(messages) => {
            for m in messages {
                eprintln!("{m}\n");
            }
            ExitCode::from(1)
        }
    }
}

fn diagnostic_json(source: &Source, d: &Diagnostic) -> serde_json::Value {
    let start = d.locate(source.text, &source.index);
    let end = source.index.line_col(source.text, d.span.end);
    serde_json::json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "message": d.message,
        "state": d.state,
        "pointer": d.pointer,
        "line": start.line,
        "column": start.col,
        "end_line": end.line,
        "end_column": end.col,
    })
}

fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory, not a file".to_owned(),
        _ => e.to_string(),
    }
}
