//! Everything generated code uses, in one import: `use asl_runtime::prelude::*;`.

pub use std::cmp::Ordering;
pub use std::future::Future;

pub use serde::Serialize;
pub use serde::de::DeserializeOwned;
pub use serde_json::{self, Map, Value, json};

pub use crate::callback::{Callbacks, PendingCallback, wait_for_callback};
pub use crate::choice;
pub use crate::concurrency::{Tolerance, distributed_map_concurrency, inline_map_concurrency, map, parallel};
pub use crate::error::{Error, names};
pub use crate::execution::{Execution, ExecutionInfo, Visit};
pub use crate::executor::{Start, StateMachine};
pub use crate::history::StateType;
pub use crate::intrinsics;
pub use crate::jsonata;
pub use crate::jsonata::eval::Bindings;
pub use crate::jsonata_support::*;
pub use crate::jsonpath::{self, Path as JsonPath};
pub use crate::path::Step as PathStep;
pub use crate::retry::{Jitter, Retrier, RetryState};
pub use crate::support::*;
pub use crate::task::{Registry, TaskContext, TaskError, lambda_invoke_envelope, task_outcome, with_timeout};
pub use crate::variables::{Variables, variable};
pub use crate::{BranchFuture, Step, new_execution_name};
pub use tokio::time;
pub use tracing::{self, Instrument};
