//! Runtime for workflows compiled from Amazon States Language: what generated code calls.

pub mod choice;
pub mod error;
pub mod intrinsics;
pub mod path;
pub mod retry;
pub mod timestamp;

pub use error::Error;
