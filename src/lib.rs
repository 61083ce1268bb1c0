//! Amazon States Language workflows compiled to typed async Rust.
//!
//! This facade re-exports the two crates a workflow crate needs: the `include_workflow!` macro and
//! the runtime the generated code calls. See the README for the build.rs route and the CLI.

pub use asl_macros::include_workflow;
pub use asl_runtime as runtime;
