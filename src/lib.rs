//! Amazon States Language workflows compiled to typed async Rust.
pub use asl_runtime as runtime;
