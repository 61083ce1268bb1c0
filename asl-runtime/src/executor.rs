//! Executions as Step Functions users know them: named, watched, stopped, paused, redriven.
//!
//! An [`Executor`] runs executions of one compiled workflow (anything implementing
//! [`StateMachine`], which every generated `Workflow` does) as tokio tasks. Each gets an
//! [`ExecutionHandle`] to await its result, describe it, read its [`History`], stop, pause or
//! resume it. Names are unique per executor: starting an execution under a name already used
//! returns the existing execution, as `StartExecution` does for an identical request.
//! [`Executor::redrive`] restarts a failed, aborted or timed-out execution from the top-level
//! state where it stopped, with that state's input and the variables it saw, counting
//! `$$.Execution.RedriveCount` up, as `RedriveExecution` does.
//!
//! Nested workflows (`arn:aws:states:::states:startExecution[.sync|.sync:2]`) call
//! [`start_execution`] from their Task handler with the child's executor.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use futures_util::FutureExt;
use serde_json::{Map, Value, json};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::callback::Callbacks;
use crate::control::{Checkpoint, Control};
use crate::error::{Error, names};
use crate::execution::{Execution, ExecutionInfo, format_system_time};
use crate::history::{EventDetails, EventType, History, HistoryEvent};
use crate::task::{TaskContext, TaskError};

/// Where an execution starts: a state (default `StartAt`), its input and the variables it sees.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Start {
    /// A top-level state's name; `None` is `StartAt`.
    pub state: Option<String>,
    pub input: Value,
    pub variables: HashMap<String, Value>,
}

impl Start {
    /// From `StartAt` with `input`.
    pub fn input(input: Value) -> Start {
        Start { state: None, input, variables: HashMap::new() }
    }

    /// From the state named `state` with `input`.
    pub fn at(state: impl Into<String>, input: Value) -> Start {
        Start { state: Some(state.into()), input, variables: HashMap::new() }
    }

    /// With these variables set (as if assigned by earlier states).
    pub fn with_variables(mut self, variables: HashMap<String, Value>) -> Start {
        self.variables = variables;
        self
    }
}

/// A compiled workflow that executions can run: generated `Workflow`s implement it.
pub trait StateMachine: Send + Sync + 'static {
    /// The state machine's name (in ARNs and `$$.StateMachine.Name`).
    fn name(&self) -> &str;

    /// The definition's `TimeoutSeconds`.
    fn timeout(&self) -> Option<Duration>;

    /// The callback table its `.waitForTaskToken` tasks wait in.
    fn callbacks(&self) -> Callbacks;

    /// Runs one execution from `start` to its end (without the machine's timeout: the caller
    /// applies it).
    fn run_execution<'a>(
        &'a self,
        ex: &'a Execution,
        start: Start,
    ) -> impl Future<Output = Result<Value, Error>> + Send + 'a;
}

/// `DescribeExecution`'s status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExecutionStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}

impl ExecutionStatus {
    /// AWS's spelling (`RUNNING`, `SUCCEEDED`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
        }
    }
}

impl fmt::Display for ExecutionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an executor refused a request, with AWS's exception names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutorError {
    /// `ExecutionDoesNotExist`, `ExecutionNotRedrivable`, `ExecutionAlreadyExists`.
    pub error: &'static str,
    pub message: String,
}

impl fmt::Display for ExecutorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

impl std::error::Error for ExecutorError {}

/// What `DescribeExecution` tells about an execution.
#[derive(Clone, Debug, PartialEq)]
pub struct Description {
    pub name: String,
    pub execution_arn: String,
    pub state_machine_arn: String,
    pub status: ExecutionStatus,
    pub input: Value,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub start_date: SystemTime,
    pub stop_date: Option<SystemTime>,
    pub redrive_count: u32,
    /// While paused: the top-level state the execution waits to enter.
    pub paused_at: Option<String>,
}

impl Description {
    /// The description in `DescribeExecution`'s JSON shape (input and output as JSON text).
    pub fn to_json(&self) -> Value {
        let mut d = Map::new();
        d.insert("executionArn".into(), self.execution_arn.clone().into());
        d.insert("stateMachineArn".into(), self.state_machine_arn.clone().into());
        d.insert("name".into(), self.name.clone().into());
        d.insert("status".into(), self.status.as_str().into());
        d.insert("startDate".into(), format_system_time(self.start_date).into());
        if let Some(stop) = self.stop_date {
            d.insert("stopDate".into(), format_system_time(stop).into());
        }
        d.insert("input".into(), self.input.to_string().into());
        if let Some(output) = &self.output {
            d.insert("output".into(), output.to_string().into());
        }
        if let Some(error) = &self.error {
            d.insert("error".into(), error.clone().into());
        }
        if let Some(cause) = &self.cause {
            d.insert("cause".into(), cause.clone().into());
        }
        d.insert("redriveCount".into(), self.redrive_count.into());
        Value::Object(d)
    }
}

/// An observer of every execution's events: the execution name and the event.
type EventObserver = Arc<dyn Fn(&str, &HistoryEvent) + Send + Sync>;

/// Runs and keeps the executions of one workflow.
pub struct Executor<M> {
    machine: Arc<M>,
    callbacks: Callbacks,
    observers: Vec<EventObserver>,
    executions: Mutex<HashMap<String, ExecutionHandle>>,
    keep_history: bool,
    account: String,
    region: String,
}

impl<M: StateMachine> Executor<M> {
    /// An executor using the workflow's callback table, keeping every execution's history.
    pub fn new(machine: M) -> Executor<M> {
        Executor {
            callbacks: machine.callbacks(),
            observers: Vec::new(),
            machine: Arc::new(machine),
            executions: Mutex::new(HashMap::new()),
            keep_history: true,
            account: "000000000000".to_owned(),
            region: "local".to_owned(),
        }
    }

    /// Shares a callback table (so one `send_task_success` entry point serves several workflows).
    /// It replaces the workflow's own table for these executions: send to this one
    /// (`Executor::callbacks`), not to `machine().callbacks()`.
    pub fn with_callbacks(mut self, callbacks: Callbacks) -> Executor<M> {
        self.callbacks = callbacks;
        self
    }

    /// Counts events without keeping them (for speed; `history()` stays empty).
    pub fn without_history(mut self) -> Executor<M> {
        self.keep_history = false;
        self
    }

    /// Calls `observer` with each event of every execution started from now on, as it happens
    /// (with the execution's name). Needs the history kept: after `without_history` observers are
    /// not called.
    pub fn on_event(mut self, observer: impl Fn(&str, &HistoryEvent) + Send + Sync + 'static) -> Executor<M> {
        self.observers.push(Arc::new(observer));
        self
    }

    /// The account and Region used in ARNs.
    pub fn in_account(mut self, account: &str, region: &str) -> Executor<M> {
        self.account = account.to_owned();
        self.region = region.to_owned();
        self
    }

    pub fn machine(&self) -> &M {
        &self.machine
    }

    /// Where `SendTaskSuccess`/`SendTaskFailure`/`SendTaskHeartbeat` go for these executions.
    pub fn callbacks(&self) -> &Callbacks {
        &self.callbacks
    }

    /// Starts an execution with a generated name (a UUID).
    ///
    /// Executions run as tokio tasks: call this (and `start_named`, `redrive`) inside a tokio
    /// runtime, or `tokio::spawn` panics.
    pub fn start(&self, input: Value) -> ExecutionHandle {
        let mut executions = self.executions.lock().unwrap_or_else(PoisonError::into_inner);
        let mut name = crate::new_execution_name();
        while executions.contains_key(&name) {
            name = crate::new_execution_name();
        }
        self.launch_new(&mut executions, &name, Start::input(input))
    }

    /// Starts an execution named `name`. As `StartExecution`: if an execution of that name exists
    /// and was started with the same input, that execution is returned; with another input the
    /// start is refused with `ExecutionAlreadyExists`.
    pub fn start_named(&self, name: &str, start: Start) -> Result<ExecutionHandle, ExecutorError> {
        let mut executions = self.executions.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(existing) = executions.get(name) {
            if existing.shared.input == start.input {
                return Ok(existing.clone());
            }
            return Err(ExecutorError {
                error: "ExecutionAlreadyExists",
                message: format!("Execution Already Exists: '{}'", existing.arn()),
            });
        }
        Ok(self.launch_new(&mut executions, name, start))
    }

    /// Forgets an execution that has ended (executors keep every execution, with its input and
    /// history, until told otherwise). Returns it, or `None` when it is unknown or still running.
    pub fn forget(&self, name: &str) -> Option<ExecutionHandle> {
        let mut executions = self.executions.lock().unwrap_or_else(PoisonError::into_inner);
        if executions.get(name)?.status() == ExecutionStatus::Running {
            return None;
        }
        executions.remove(name)
    }

    fn launch_new(
        &self,
        executions: &mut HashMap<String, ExecutionHandle>,
        name: &str,
        start: Start,
    ) -> ExecutionHandle {
        let info = ExecutionInfo::in_account(self.machine.name(), name, &self.account, &self.region);
        let history = self.keep_history.then(History::new);
        if let Some(history) = &history {
            for observer in &self.observers {
                let (observer, name) = (observer.clone(), name.to_owned());
                history.subscribe(move |event| observer(&name, event));
            }
        }
        let handle = ExecutionHandle::new(info, start.input.clone(), history);
        self.launch(&handle, start, false);
        executions.insert(name.to_owned(), handle.clone());
        handle
    }

    /// The execution named `name`.
    pub fn get(&self, name: &str) -> Option<ExecutionHandle> {
        self.executions.lock().unwrap_or_else(PoisonError::into_inner).get(name).cloned()
    }

    /// Every execution started here.
    pub fn list(&self) -> Vec<ExecutionHandle> {
        self.executions.lock().unwrap_or_else(PoisonError::into_inner).values().cloned().collect()
    }

    /// `RedriveExecution`: restarts a FAILED, ABORTED or TIMED_OUT execution from the top-level
    /// state it stopped in (a Parallel or Map state runs again whole), with that state's input
    /// and variables; the history continues with `ExecutionRedriven`.
    pub fn redrive(&self, name: &str) -> Result<ExecutionHandle, ExecutorError> {
        // Held until the redrive is launched: two redrives of one execution cannot both start.
        let executions = self.executions.lock().unwrap_or_else(PoisonError::into_inner);
        let handle = executions.get(name).cloned().ok_or_else(|| ExecutorError {
            error: "ExecutionDoesNotExist",
            message: format!("Execution Does Not Exist: '{name}'"),
        })?;
        let status = handle.status();
        if matches!(status, ExecutionStatus::Running | ExecutionStatus::Succeeded) {
            return Err(ExecutorError {
                error: "ExecutionNotRedrivable",
                message: format!(
                    "Execution '{name}' is {status}; only FAILED, ABORTED and TIMED_OUT executions can be redriven"
                ),
            });
        }
        let Some(Checkpoint { state, input, variables }) = handle.shared.control.checkpoint() else {
            return Err(ExecutorError {
                error: "ExecutionNotRedrivable",
                message: format!("Execution '{name}' stopped before entering a state"),
            });
        };
        handle.prepare_redrive();
        self.launch(&handle, Start { state: Some(state), input, variables }, true);
        drop(executions);
        Ok(handle)
    }

    fn launch(&self, handle: &ExecutionHandle, start: Start, redriven: bool) {
        let shared = handle.shared.clone();
        let machine = self.machine.clone();
        let callbacks = self.callbacks.clone();
        let timeout = machine.timeout();
        let stop = shared.stop.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let span = tracing::info_span!("execution", name = %shared.info().name, state_machine = machine.name());
        tokio::spawn(
            async move {
                let info = shared.info();
                let mut ex = Execution::new((*info).clone(), shared.input.clone())
                    .with_callbacks(callbacks)
                    .with_control(shared.control.clone())
                    .with_cancellation(stop.child_token());
                if let Some(history) = &shared.history {
                    ex = ex.with_history(history.clone());
                }
                if redriven {
                    // Event ids go on from where the execution stopped.
                    ex = ex.redriven(shared.last_event_id.load(std::sync::atomic::Ordering::Relaxed));
                }
                // A panicking task handler fails the execution (States.Runtime) instead of leaving
                // it RUNNING forever.
                let run = std::panic::AssertUnwindSafe(machine.run_execution(&ex, start)).catch_unwind().map(|r| {
                    r.unwrap_or_else(|panic| {
                        let what = panic
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| panic.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        Err(Error::runtime(format!("A task handler panicked: {what}")))
                    })
                });
                let outcome = tokio::select! {
                    // A stop wins over whatever the cancelled tasks return meanwhile.
                    biased;
                    _ = stop.cancelled() => {
                        let (error, cause) = shared.stop_reason.lock().unwrap_or_else(PoisonError::into_inner).clone();
                        Outcome::Aborted { error, cause }
                    }
                    outcome = async {
                        match timeout {
                            Some(limit) => tokio::time::timeout(limit, run).await.unwrap_or_else(|_| Err(Error::execution_timed_out())),
                            None => run.await,
                        }
                    } => Outcome::from(outcome),
                };
                // Task handlers' work is cancelled with the execution, whatever ended it.
                stop.cancel();
                match &outcome {
                    Outcome::Finished(result) => ex.finish(result),
                    Outcome::Aborted { error, cause } => {
                        ex.record(EventType::ExecutionAborted, || EventDetails {
                            error: error.clone(),
                            cause: cause.clone(),
                            ..EventDetails::default()
                        });
                    }
                }
                tracing::debug!(status = %outcome.status(), "execution ended");
                shared.last_event_id.store(ex.last_event_id(), std::sync::atomic::Ordering::Relaxed);
                shared.end(outcome);
            }
            .instrument(span),
        );
    }
}

/// How an execution ended.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Finished(Result<Value, Error>),
    Aborted { error: Option<String>, cause: Option<String> },
}

impl From<Result<Value, Error>> for Outcome {
    fn from(result: Result<Value, Error>) -> Outcome {
        Outcome::Finished(result)
    }
}

impl Outcome {
    fn status(&self) -> ExecutionStatus {
        match self {
            Outcome::Finished(Ok(_)) => ExecutionStatus::Succeeded,
            Outcome::Finished(Err(e)) if e.is_execution_timeout() => ExecutionStatus::TimedOut,
            Outcome::Finished(Err(_)) => ExecutionStatus::Failed,
            Outcome::Aborted { .. } => ExecutionStatus::Aborted,
        }
    }
}

struct Shared {
    info: Mutex<Arc<ExecutionInfo>>,
    input: Value,
    history: Option<Arc<History>>,
    control: Arc<Control>,
    stop: Mutex<CancellationToken>,
    stop_reason: Mutex<(Option<String>, Option<String>)>,
    start_date: SystemTime,
    /// The id of the last event when the execution last ended (a redrive goes on from it).
    last_event_id: std::sync::atomic::AtomicU64,
    /// `None` while running.
    ended: watch::Sender<Option<(Outcome, SystemTime)>>,
}

impl Shared {
    fn info(&self) -> Arc<ExecutionInfo> {
        self.info.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn end(&self, outcome: Outcome) {
        self.ended.send_replace(Some((outcome, SystemTime::now())));
    }
}

/// One execution: await it, describe it, read its history, stop, pause or resume it.
#[derive(Clone)]
pub struct ExecutionHandle {
    shared: Arc<Shared>,
}

impl fmt::Debug for ExecutionHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExecutionHandle").field("name", &self.name()).field("status", &self.status()).finish()
    }
}

impl ExecutionHandle {
    fn new(info: ExecutionInfo, input: Value, history: Option<Arc<History>>) -> ExecutionHandle {
        ExecutionHandle {
            shared: Arc::new(Shared {
                info: Mutex::new(Arc::new(info)),
                input,
                history,
                control: Arc::new(Control::new()),
                stop: Mutex::new(CancellationToken::new()),
                stop_reason: Mutex::new((None, None)),
                start_date: SystemTime::now(),
                last_event_id: std::sync::atomic::AtomicU64::new(0),
                ended: watch::Sender::new(None),
            }),
        }
    }

    pub fn name(&self) -> String {
        self.shared.info().name.clone()
    }

    /// The execution ARN.
    pub fn arn(&self) -> String {
        self.shared.info().id.clone()
    }

    pub fn status(&self) -> ExecutionStatus {
        match &*self.shared.ended.borrow() {
            None => ExecutionStatus::Running,
            Some((outcome, _)) => outcome.status(),
        }
    }

    /// `DescribeExecution`.
    pub fn describe(&self) -> Description {
        let info = self.shared.info();
        let ended = self.shared.ended.borrow().clone();
        let (status, output, error, cause, stop_date) = match ended {
            None => (ExecutionStatus::Running, None, None, None, None),
            Some((outcome, at)) => {
                let status = outcome.status();
                match outcome {
                    Outcome::Finished(Ok(v)) => (status, Some(v), None, None, Some(at)),
                    Outcome::Finished(Err(e)) => (status, None, Some(e.name.to_string()), e.cause, Some(at)),
                    Outcome::Aborted { error, cause } => (status, None, error, cause, Some(at)),
                }
            }
        };
        Description {
            name: info.name.clone(),
            execution_arn: info.id.clone(),
            state_machine_arn: info.state_machine_id.to_string(),
            status,
            input: self.shared.input.clone(),
            output,
            error,
            cause,
            start_date: self.shared.start_date,
            stop_date,
            redrive_count: info.redrive_count.unwrap_or(0),
            paused_at: self.shared.control.paused_at(),
        }
    }

    /// Waits for the execution to end: its output, or the error it failed with. A stopped
    /// execution gives the error named in [`ExecutionHandle::stop`] (default `ExecutionAborted`).
    pub async fn result(&self) -> Result<Value, Error> {
        let mut ended = self.shared.ended.subscribe();
        let outcome = match ended.wait_for(Option::is_some).await {
            Ok(done) => done.as_ref().map(|(o, _)| o.clone()),
            Err(_) => None,
        };
        match outcome {
            Some(Outcome::Finished(result)) => result,
            Some(Outcome::Aborted { error, cause }) => Err(Error {
                name: error.unwrap_or_else(|| "ExecutionAborted".to_owned()).into(),
                cause,
                terminal: true,
            }),
            None => Err(Error::runtime("the execution's task ended without a result")),
        }
    }

    /// The events so far (empty when the executor keeps no history).
    pub fn events(&self) -> Vec<crate::history::HistoryEvent> {
        self.shared.history.as_ref().map(|h| h.events()).unwrap_or_default()
    }

    /// The history itself (`to_json()`, `subscribe`), when the executor keeps one.
    pub fn history(&self) -> Option<&Arc<History>> {
        self.shared.history.as_ref()
    }

    /// `StopExecution`: running tasks are cancelled, the execution ends ABORTED with this error
    /// and cause. Stopping an execution that has ended does nothing.
    pub fn stop(&self, error: Option<&str>, cause: Option<&str>) {
        if self.status() != ExecutionStatus::Running {
            return;
        }
        *self.shared.stop_reason.lock().unwrap_or_else(PoisonError::into_inner) =
            (error.map(str::to_owned), cause.map(str::to_owned));
        self.shared.stop.lock().unwrap_or_else(PoisonError::into_inner).cancel();
    }

    /// Pauses before the next top-level state (the state running now finishes first).
    pub fn pause(&self) {
        self.shared.control.pause();
    }

    pub fn resume(&self) {
        self.shared.control.resume();
    }

    /// Resets the handle for a redrive: running again, a fresh stop signal, one more redrive.
    fn prepare_redrive(&self) {
        let mut info = self.shared.info.lock().unwrap_or_else(PoisonError::into_inner);
        let mut next = (**info).clone();
        next.redrive_count = Some(next.redrive_count.unwrap_or(0) + 1);
        *info = Arc::new(next);
        *self.shared.stop.lock().unwrap_or_else(PoisonError::into_inner) = CancellationToken::new();
        self.shared.control.resume();
        self.shared.control.clear_paused_at();
        self.shared.ended.send_replace(None);
    }
}

/// Stops a child execution when dropped before it ended (the parent's task was cancelled).
struct StopOnDrop(Option<ExecutionHandle>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if let Some(child) = self.0.take() {
            child.stop(Some("States.Aborted"), Some("The parent execution was stopped"));
        }
    }
}

/// How a nested execution is awaited, from the resource's suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Integration {
    /// `startExecution`: returns at once with the execution's ARN and start date.
    RequestResponse,
    /// `.sync`: waits; `Input`/`Output` as JSON text.
    Sync,
    /// `.sync:2`: waits; `Input`/`Output` as JSON.
    Sync2,
    /// `.waitForTaskToken`: starts the child, then the state waits for a callback.
    WaitForTaskToken,
}

/// The Task handler of `arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`:
/// starts an execution of `child` from the task's parameters `{StateMachineArn, Input, Name}`
/// and answers as AWS does: `{ExecutionArn, StartDate}` at once; with `.sync`/`.sync:2` the
/// child's `DescribeExecution` once it ends (its `Output` as JSON text or as JSON); a failed,
/// timed-out or aborted child fails the task with `States.TaskFailed` whose cause is that
/// description as JSON text.
pub async fn start_execution<M: StateMachine>(
    child: &Executor<M>,
    parameters: Value,
    cx: &TaskContext,
) -> Result<Value, TaskError> {
    let integration = match cx.resource.rsplit_once("startExecution") {
        Some((_, ".sync")) => Integration::Sync,
        Some((_, ".sync:2")) => Integration::Sync2,
        Some((_, ".waitForTaskToken")) => Integration::WaitForTaskToken,
        _ => Integration::RequestResponse,
    };
    let input = match parameters.get("Input") {
        None | Some(Value::Null) => json!({}),
        // AWS accepts the input as JSON text too.
        Some(Value::String(text)) => serde_json::from_str(text).map_err(|e| {
            TaskError::new(
                "States.Runtime",
                format!("Invalid State Machine Execution Input: '{e}' (the Input parameter is not JSON)"),
            )
        })?,
        Some(other) => other.clone(),
    };
    let handle = match parameters.get("Name").and_then(Value::as_str) {
        Some(name) => child
            .start_named(name, Start::input(input))
            .map_err(|e| TaskError::new(format!("StepFunctions.{}", e.error), e.message))?,
        None => child.start(input),
    };
    let described = |d: &Description, parsed: bool| {
        let text_or_json = |v: &Value| if parsed { v.clone() } else { Value::String(v.to_string()) };
        let mut out = Map::new();
        out.insert("ExecutionArn".into(), d.execution_arn.clone().into());
        out.insert("Input".into(), text_or_json(&d.input));
        out.insert("InputDetails".into(), json!({ "Included": true }));
        out.insert("Name".into(), d.name.clone().into());
        if let Some(output) = &d.output {
            out.insert("Output".into(), text_or_json(output));
            out.insert("OutputDetails".into(), json!({ "Included": true }));
        }
        if let Some(error) = &d.error {
            out.insert("Error".into(), error.clone().into());
        }
        if let Some(cause) = &d.cause {
            out.insert("Cause".into(), cause.clone().into());
        }
        out.insert("RedriveCount".into(), d.redrive_count.into());
        let redrivable =
            matches!(d.status, ExecutionStatus::Failed | ExecutionStatus::Aborted | ExecutionStatus::TimedOut);
        out.insert("RedriveStatus".into(), if redrivable { "REDRIVABLE" } else { "NOT_REDRIVABLE" }.into());
        out.insert("StartDate".into(), format_system_time(d.start_date).into());
        out.insert("StateMachineArn".into(), d.state_machine_arn.clone().into());
        out.insert("Status".into(), d.status.as_str().into());
        if let Some(stop) = d.stop_date {
            out.insert("StopDate".into(), format_system_time(stop).into());
        }
        Value::Object(out)
    };
    match integration {
        Integration::RequestResponse | Integration::WaitForTaskToken => {
            let d = handle.describe();
            Ok(json!({ "ExecutionArn": d.execution_arn, "StartDate": format_system_time(d.start_date) }))
        }
        Integration::Sync | Integration::Sync2 => {
            // Stopping the parent (which drops this future) stops the child.
            let guard = StopOnDrop(Some(handle.clone()));
            let _ = handle.result().await;
            drop(guard);
            let d = handle.describe();
            let body = described(&d, integration == Integration::Sync2);
            match d.status {
                ExecutionStatus::Succeeded => Ok(body),
                _ => Err(TaskError::new(names::TASK_FAILED, body.to_string())),
            }
        }
    }
}
