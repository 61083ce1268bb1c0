//! Callback tasks (`.waitForTaskToken`): a task token, the wait for `SendTaskSuccess`,
//! `SendTaskFailure` or `SendTaskHeartbeat`, and the heartbeat timeout.
//!
//! A `.waitForTaskToken` Task state registers a token in the execution's [`Callbacks`] table
//! (`$$.Task.Token`, [`TaskContext::task_token`](crate::TaskContext)), calls its handler (which
//! hands the token to someone: a queue, a person, another system) and then waits until someone
//! calls [`Callbacks::send_task_success`] or [`Callbacks::send_task_failure`] with that token.
//! `HeartbeatSeconds` bounds the time between two [`Callbacks::send_task_heartbeat`] calls
//! (`States.HeartbeatTimeout`); `TimeoutSeconds` bounds the whole wait (`States.Timeout`). A token
//! is valid while its task waits; afterwards it is unknown (`TaskDoesNotExist`). JSONPath states
//! issue a new token for each retry, as AWS does; JSONata states, whose `Arguments` are evaluated
//! once per visit, keep one token per visit and re-arm it for each retry.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc;

use crate::error::names;
use crate::task::TaskError;

/// Prefix of the tokens this runtime issues (anything else is an `InvalidToken`).
const TOKEN_PREFIX: &str = "asl-task-token-";

/// What a caller sends for a waiting task.
#[derive(Clone, Debug, PartialEq)]
enum Message {
    Success(Value),
    Failure { error: Option<String>, cause: Option<String> },
    Heartbeat,
}

/// Why a `send_task_*` call was refused, with AWS's exception names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackError {
    /// `InvalidToken` (not a token this runtime issued) or `TaskDoesNotExist` (no task is
    /// waiting on it: it finished, timed out, or never existed).
    pub error: &'static str,
    pub message: String,
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

impl std::error::Error for CallbackError {}

/// The task tokens that tasks are waiting on: AWS's `SendTaskSuccess`/`SendTaskFailure`/
/// `SendTaskHeartbeat` API for in-process workflows. Cheap to clone (shared).
#[derive(Clone)]
pub struct Callbacks {
    waiting: Arc<Mutex<HashMap<String, mpsc::UnboundedSender<Message>>>>,
}

type Table = Arc<Mutex<HashMap<String, mpsc::UnboundedSender<Message>>>>;

/// The table of executions started without one of their own (tokens are unique, so sharing it
/// is safe; it saves an allocation per execution).
static DEFAULT_TABLE: std::sync::LazyLock<Table> = std::sync::LazyLock::new(Table::default);

impl fmt::Debug for Callbacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callbacks").field("waiting", &self.waiting().len()).finish()
    }
}

impl Default for Callbacks {
    /// A table of its own, as [`Callbacks::new`].
    fn default() -> Callbacks {
        Callbacks::new()
    }
}

impl Callbacks {
    /// A table of its own (a workflow or executor's).
    pub fn new() -> Callbacks {
        Callbacks { waiting: Table::default() }
    }

    /// The process-wide table of executions that were given none (`Execution::new`): tokens are
    /// unique, so sharing it is safe, and it saves an allocation per execution. Its
    /// `pending_tokens` lists the tokens of every such execution.
    pub fn shared() -> Callbacks {
        Callbacks { waiting: DEFAULT_TABLE.clone() }
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, HashMap<String, mpsc::UnboundedSender<Message>>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Issues a token for a task about to wait; the token stays valid until the returned
    /// [`PendingCallback`] is dropped.
    pub fn register(&self) -> PendingCallback {
        let token = format!("{TOKEN_PREFIX}{}", uuid::Uuid::new_v4().simple());
        let (sender, receiver) = mpsc::unbounded_channel();
        self.waiting().insert(token.clone(), sender.clone());
        PendingCallback { token, sender, receiver, callbacks: self.clone() }
    }

    /// The tokens tasks are waiting on now.
    pub fn pending_tokens(&self) -> Vec<String> {
        self.waiting().keys().cloned().collect()
    }

    /// `SendTaskSuccess`: the waiting task succeeds with `output` as its result.
    pub fn send_task_success(&self, token: &str, output: Value) -> Result<(), CallbackError> {
        self.send(token, Message::Success(output), true)
    }

    /// `SendTaskFailure`: the waiting task fails with `error` (default `States.TaskFailed`) and
    /// `cause`, which its Retry and Catch see.
    pub fn send_task_failure(
        &self,
        token: &str,
        error: Option<&str>,
        cause: Option<&str>,
    ) -> Result<(), CallbackError> {
        let message = Message::Failure { error: error.map(str::to_owned), cause: cause.map(str::to_owned) };
        self.send(token, message, true)
    }

    /// `SendTaskHeartbeat`: the task is still being worked on (restarts its `HeartbeatSeconds`).
    pub fn send_task_heartbeat(&self, token: &str) -> Result<(), CallbackError> {
        self.send(token, Message::Heartbeat, false)
    }

    fn send(&self, token: &str, message: Message, completes: bool) -> Result<(), CallbackError> {
        if !token.starts_with(TOKEN_PREFIX) || token.len() > 1024 {
            return Err(CallbackError {
                error: "InvalidToken",
                message: format!("Invalid token: '{}'", token.chars().take(80).collect::<String>()),
            });
        }
        let mut waiting = self.waiting();
        let delivered = match waiting.get(token) {
            Some(sender) => sender.send(message).is_ok(),
            None => false,
        };
        if !delivered {
            waiting.remove(token);
            return Err(CallbackError {
                error: "TaskDoesNotExist",
                message: "Task does not exist anymore (it completed, timed out or was never started)".to_owned(),
            });
        }
        if completes {
            // A token completes its task once: later calls find no task.
            waiting.remove(token);
        }
        Ok(())
    }
}

/// A token a task is waiting on. Dropping it withdraws the token.
#[derive(Debug)]
pub struct PendingCallback {
    token: String,
    /// Kept to re-arm the token with the same channel (a message sent meanwhile is not lost).
    sender: mpsc::UnboundedSender<Message>,
    receiver: mpsc::UnboundedReceiver<Message>,
    callbacks: Callbacks,
}

impl PendingCallback {
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Waits for the callback: a success gives the task's result, a failure its error; without a
    /// heartbeat for `heartbeat`, `States.HeartbeatTimeout`.
    pub async fn wait(&mut self, heartbeat: Option<Duration>) -> Result<Value, TaskError> {
        loop {
            let message = match heartbeat {
                Some(limit) => match tokio::time::timeout(limit, self.receiver.recv()).await {
                    Ok(message) => message,
                    Err(_) => return Err(TaskError::named(names::HEARTBEAT_TIMEOUT)),
                },
                None => self.receiver.recv().await,
            };
            match message {
                Some(Message::Success(output)) => return Ok(output),
                Some(Message::Failure { error, cause }) => {
                    return Err(TaskError { error: error.unwrap_or_else(|| names::TASK_FAILED.to_owned()), cause });
                }
                Some(Message::Heartbeat) => continue,
                // The table dropped the sender: nobody can complete this token any more.
                None => return std::future::pending().await,
            }
        }
    }

    /// The token is reusable for another attempt of the same visit: re-registers it if a callback
    /// completed it (an answer that came between the attempts is still in the channel and
    /// completes the next one).
    pub fn rearm(&mut self) {
        let mut waiting = self.callbacks.waiting();
        if !waiting.contains_key(&self.token) {
            waiting.insert(self.token.clone(), self.sender.clone());
        }
    }
}

impl Drop for PendingCallback {
    fn drop(&mut self) {
        self.callbacks.waiting().remove(&self.token);
    }
}

/// Runs a callback task: the handler hands the token over (its result, if any, is the
/// `TaskSubmitted` output), then the task waits for the callback.
pub async fn wait_for_callback<F>(
    ex: &crate::Execution,
    resource: &str,
    handler: F,
    pending: &mut PendingCallback,
    heartbeat: Option<Duration>,
) -> Result<Value, TaskError>
where
    F: Future<Output = Result<Value, TaskError>>,
{
    pending.rearm();
    let submitted = handler.await?;
    ex.task_submitted(resource, &submitted);
    pending.wait(heartbeat).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn success_failure_and_unknown_tokens() {
        let callbacks = Callbacks::new();
        let mut pending = callbacks.register();
        let token = pending.token().to_owned();
        callbacks.send_task_heartbeat(&token).unwrap();
        callbacks.send_task_success(&token, json!({"approved": true})).unwrap();
        assert_eq!(pending.wait(None).await, Ok(json!({"approved": true})));
        let again = callbacks.send_task_success(&token, json!(1)).unwrap_err();
        assert_eq!(again.error, "TaskDoesNotExist");
        assert_eq!(callbacks.send_task_success("nonsense", json!(1)).unwrap_err().error, "InvalidToken");

        let mut pending = callbacks.register();
        callbacks.send_task_failure(pending.token(), Some("Rejected"), Some("by the manager")).unwrap();
        assert_eq!(pending.wait(None).await, Err(TaskError::new("Rejected", "by the manager")));
        let token = pending.token().to_owned();
        drop(pending);
        assert!(callbacks.pending_tokens().is_empty());
        assert_eq!(callbacks.send_task_heartbeat(&token).unwrap_err().error, "TaskDoesNotExist");
    }

    #[tokio::test(start_paused = true)]
    async fn heartbeats_keep_the_task_alive_until_they_stop() {
        let callbacks = Callbacks::new();
        let mut pending = callbacks.register();
        let token = pending.token().to_owned();
        let beats = {
            let callbacks = callbacks.clone();
            tokio::spawn(async move {
                for _ in 0..3 {
                    tokio::time::sleep(Duration::from_secs(8)).await;
                    callbacks.send_task_heartbeat(&token).unwrap();
                }
            })
        };
        let started = tokio::time::Instant::now();
        let outcome = pending.wait(Some(Duration::from_secs(10))).await;
        assert_eq!(outcome, Err(TaskError::named(names::HEARTBEAT_TIMEOUT)));
        assert_eq!(started.elapsed(), Duration::from_secs(34), "three beats 8 s apart, then 10 s of silence");
        beats.await.unwrap();
    }
}
