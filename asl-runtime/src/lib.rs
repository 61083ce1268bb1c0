//! Runtime for workflows compiled from Amazon States Language: what generated code calls.

pub mod callback;
pub mod choice;
pub mod concurrency;
pub mod control;
pub mod error;
pub mod execution;
pub mod executor;
pub mod history;
pub mod intrinsics;
pub mod jsonata;
pub mod jsonata_support;
pub mod jsonpath;
pub mod path;
pub mod prelude;
pub mod retry;
pub mod support;
pub mod task;
pub mod timestamp;
pub mod variables;

pub use error::Error;
pub use execution::{Execution, ExecutionInfo};
pub use task::{Registry, TaskContext, TaskError};

/// What a state function returns: the next state and its input, or the end of the block.
#[derive(Clone, Debug, PartialEq)]
pub enum Step<S> {
    Next(S, serde_json::Value),
    End(serde_json::Value),
}

/// A Parallel branch in flight (borrowing the task handlers and the execution).
pub type BranchFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<serde_json::Value, Error>> + Send + 'a>>;

/// A fresh execution name (a random version-4 UUID, as AWS generates when none is given; from a
/// fast non-cryptographic generator: names need to be unique, not secret).
pub fn new_execution_name() -> String {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid().to_string()
}
