//! Task handlers: what a Task state calls, what it gets to know, and how its failures are named.
//!
//! Generated code declares a trait with one method per Task resource; each method receives the
//! task's input and a [`TaskContext`] and returns `Result<Value, TaskError>`. A [`Registry`] maps
//! resource strings to async closures instead, for tests, mocks and tools.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use tokio_util::sync::CancellationToken;

use crate::callback::{CallbackError, Callbacks};
use crate::error::{Error, names};
use crate::execution::{ExecutionInfo, Shared};

/// What a task handler may know about the call: which execution and state it serves, how often
/// it was retried, its callback token, and whether the execution is being stopped.
#[derive(Clone, Debug)]
pub struct TaskContext {
    pub(crate) shared: Arc<Shared>,
    /// The Task state's name.
    pub state: &'static str,
    /// The `Resource` string.
    pub resource: &'static str,
    /// Retries of this state already done (`$$.State.RetryCount`).
    pub retry_count: u32,
    /// The task token of a `.waitForTaskToken` resource (`$$.Task.Token`).
    pub task_token: Option<String>,
}

impl TaskContext {
    /// A context for calling a handler outside a workflow (tests, tools).
    pub fn detached(state: &'static str, resource: &'static str) -> TaskContext {
        let shared = Shared {
            info: ExecutionInfo::new("detached", "detached"),
            callbacks: Callbacks::shared(),
            cancellation: None,
        };
        TaskContext { shared: Arc::new(shared), state, resource, retry_count: 0, task_token: None }
    }

    /// The execution's names (`$$.Execution.Name`, its ARN, the state machine's), for logs.
    pub fn execution(&self) -> &ExecutionInfo {
        &self.shared.info
    }

    /// `$$.Execution.Name`.
    pub fn execution_name(&self) -> &str {
        &self.shared.info.name
    }

    /// Where callbacks and heartbeats for the task token go.
    pub fn callbacks(&self) -> &Callbacks {
        &self.shared.callbacks
    }

    /// `SendTaskHeartbeat` for this task's token (a no-op without a token).
    pub fn heartbeat(&self) -> Result<(), CallbackError> {
        match &self.task_token {
            Some(token) => self.shared.callbacks.send_task_heartbeat(token),
            None => Ok(()),
        }
    }

    /// Cancelled when the execution ends, however it ends (stopped, timed out, failed, done); a
    /// stopped execution also drops the handler's future, so this is for work the handler handed
    /// off. `None` for executions that cannot be stopped (run with `Workflow::run`, not an
    /// `Executor`).
    pub fn cancellation(&self) -> Option<&CancellationToken> {
        self.shared.cancellation.as_ref()
    }

    /// Resolves when the execution is stopped (never, for executions that cannot be stopped).
    pub async fn cancelled(&self) {
        match &self.shared.cancellation {
            Some(token) => token.cancelled().await,
            None => std::future::pending().await,
        }
    }
}

/// A task's failure: an error name (`PaymentDeclined`, `Lambda.ServiceException`, ...) and a cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskError {
    pub error: String,
    pub cause: Option<String>,
}

impl TaskError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> TaskError {
        TaskError { error: error.into(), cause: Some(cause.into()) }
    }

    /// An error with a name only.
    pub fn named(error: impl Into<String>) -> TaskError {
        TaskError { error: error.into(), cause: None }
    }

    /// `States.TaskFailed` with a cause: a failure with no more specific name.
    pub fn failed(cause: impl Into<String>) -> TaskError {
        TaskError::new(names::TASK_FAILED, cause)
    }
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.cause {
            Some(c) => write!(f, "{}: {c}", self.error),
            None => f.write_str(&self.error),
        }
    }
}

impl std::error::Error for TaskError {}

impl From<TaskError> for Error {
    fn from(e: TaskError) -> Error {
        Error { name: e.error.into(), cause: e.cause, terminal: false }
    }
}

/// Reads a task's JSON input as a Rust type. A mismatch is a `States.TaskFailed` naming the type,
/// so Retry/Catch can handle it like any task failure.
pub fn input<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, TaskError> {
    serde_json::from_value(value).map_err(|e| {
        TaskError::failed(format!("the task input does not match the Rust type `{}`: {e}", std::any::type_name::<T>()))
    })
}

/// Turns a task's Rust result into JSON.
pub fn output<T: serde::Serialize>(value: &T) -> Result<Value, TaskError> {
    serde_json::to_value(value).map_err(|e| {
        TaskError::failed(format!(
            "the task result of type `{}` cannot be turned into JSON: {e}",
            std::any::type_name::<T>()
        ))
    })
}

/// The future a task handler returns.
pub type TaskFuture = Pin<Box<dyn Future<Output = Result<Value, TaskError>> + Send>>;

type Handler = dyn Fn(Value, TaskContext) -> TaskFuture + Send + Sync;

/// Task handlers looked up by resource string at run time.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, Arc<Handler>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").field("resources", &self.handlers.keys().collect::<Vec<_>>()).finish()
    }
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Registers the handler for a resource (replacing any earlier one).
    pub fn with<F, Fut>(mut self, resource: impl Into<String>, handler: F) -> Registry
    where
        F: Fn(Value, TaskContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, TaskError>> + Send + 'static,
    {
        self.insert(resource, handler);
        self
    }

    /// Registers the handler for a resource in place.
    pub fn insert<F, Fut>(&mut self, resource: impl Into<String>, handler: F)
    where
        F: Fn(Value, TaskContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, TaskError>> + Send + 'static,
    {
        self.handlers.insert(resource.into(), Arc::new(move |input, cx| Box::pin(handler(input, cx)) as TaskFuture));
    }

    /// Registers a handler that takes and returns Rust types (converted with serde at the edge).
    pub fn with_typed<I, O, F, Fut>(mut self, resource: impl Into<String>, handler: F) -> Registry
    where
        I: serde::de::DeserializeOwned + Send + 'static,
        O: serde::Serialize + 'static,
        F: Fn(I, TaskContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<O, TaskError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.insert(resource, move |value: Value, cx: TaskContext| {
            let handler = handler.clone();
            async move {
                let typed: I = input(value)?;
                let result = handler(typed, cx).await?;
                output(&result)
            }
        });
        self
    }

    pub fn contains(&self, resource: &str) -> bool {
        self.handlers.contains_key(resource)
    }

    /// Calls the handler registered for `cx.resource`. A missing handler is `States.Runtime`
    /// naming the resource and the state: the workflow cannot run as configured.
    pub fn call(&self, input: Value, cx: TaskContext) -> TaskFuture {
        match self.handlers.get(cx.resource) {
            Some(handler) => handler(input, cx),
            None => {
                let message = format!(
                    "No task handler is registered for the resource '{}' (used by the state '{}')",
                    cx.resource, cx.state
                );
                Box::pin(async move { Err(TaskError::new(names::RUNTIME, message)) })
            }
        }
    }
}

/// A task's outcome as the state sees it (a handler cannot raise an uncatchable error by name).
pub fn task_outcome(result: Result<Value, TaskError>) -> Result<Value, Error> {
    result.map_err(Error::from)
}

/// Runs a task with its `TimeoutSeconds`: past it, the task is dropped (cancelled) and the state
/// fails with `States.Timeout`.
pub async fn with_timeout<F>(timeout: Option<Duration>, task: F) -> Result<Value, Error>
where
    F: Future<Output = Result<Value, TaskError>>,
{
    let result = match timeout {
        Some(limit) => match tokio::time::timeout(limit, task).await {
            Ok(r) => r,
            Err(_) => return Err(Error::named(names::TIMEOUT)),
        },
        None => task.await,
    };
    result.map_err(|e| {
        let mut error = Error::from(e);
        // A handler cannot raise an uncatchable error by name; only a missing handler is States.Runtime.
        error.terminal = false;
        error
    })
}

/// The response `arn:aws:states:::lambda:invoke` returns: the function's output under `Payload`,
/// inside the Lambda API envelope (AWS-recorded shape).
pub fn lambda_invoke_envelope(payload: Value) -> Value {
    json!({
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "Connection": ["keep-alive"],
                "Content-Type": ["application/json"],
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Type": "application/json",
                "X-Amz-Executed-Version": "$LATEST",
            },
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": { "RequestId": "00000000-0000-0000-0000-000000000000" },
        "StatusCode": 200,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(resource: &'static str) -> TaskContext {
        TaskContext::detached("S", resource)
    }

    #[tokio::test]
    async fn registry_dispatches_by_resource() {
        let registry = Registry::new()
            .with("double", |input: Value, _cx| async move { Ok(json!(input.as_i64().unwrap_or(0) * 2)) });
        assert_eq!(registry.call(json!(21), cx("double")).await, Ok(json!(42)));
        let missing = registry.call(json!(1), cx("nope")).await.unwrap_err();
        assert_eq!(missing.error, "States.Runtime");
        assert!(missing.cause.unwrap().contains("'nope'"));
    }

    #[tokio::test(start_paused = true)]
    async fn timeout_cancels_the_task() {
        let slow = async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok(json!("late"))
        };
        let r = with_timeout(Some(Duration::from_secs(5)), slow).await;
        assert_eq!(r, Err(Error::named(names::TIMEOUT)));
        let fast = async { Ok(json!(1)) };
        assert_eq!(with_timeout(Some(Duration::from_secs(5)), fast).await, Ok(json!(1)));
    }

    #[test]
    fn handler_errors_keep_their_names() {
        let e: Error = TaskError::new("PaymentDeclined", "no funds").into();
        assert!(e.matches(&["PaymentDeclined"]));
        assert_eq!(e.to_output(), json!({"Error": "PaymentDeclined", "Cause": "no funds"}));
    }
}
