//! One execution of a workflow: its identity, the Context Object, and its history events.
//!
//! Generated code threads an [`Execution`] through every state function. It is cheap to share
//! (`&Execution` across Parallel branches and Map iterations) and holds no state of the workflow
//! itself: that is the plain `(State, Value)` pair (and the variables) the driver loop carries,
//! which is what a redrive checkpoint keeps.
//!
//! Generated code reports each step (`enter`, `exited`, `task_scheduled`, `map_started`, ...);
//! the execution numbers the events as AWS's history does (`ExecutionStarted` is event 1, the
//! first state is entered at event 2, ...), because AWS's error causes quote the ids: `An error
//! occurred while executing the state 'X' (entered at the event id #2)`. With a
//! [`History`](crate::history::History) the events are also kept, with their details.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use tokio_util::sync::CancellationToken;

use crate::callback::Callbacks;
use crate::control::Control;
use crate::error::{Error, names};
use crate::history::{EventDetails, EventType, History, ResourceKind, StateType};
use crate::task::TaskContext;
use crate::variables::Variables;

/// Names and ids that the Context Object (`$$`) exposes. The state machine's names are shared
/// between its executions ([`ExecutionInfo::next`] makes the next execution's names cheaply).
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutionInfo {
    /// `$$.Execution.Name`.
    pub name: String,
    /// `$$.Execution.Id`: the execution ARN.
    pub id: String,
    /// `$$.StateMachine.Name`.
    pub state_machine_name: Arc<str>,
    /// `$$.StateMachine.Id`: the state machine ARN.
    pub state_machine_id: Arc<str>,
    /// `$$.Execution.RoleArn`.
    pub role_arn: Arc<str>,
    /// `$$.Execution.StartTime`.
    pub start_time: SystemTime,
    /// `$$.Execution.RedriveCount`; `None` for Express workflows, whose context has no such field.
    pub redrive_count: Option<u32>,
}

impl ExecutionInfo {
    /// Names in AWS's shapes for a state machine and execution name, in a local account and Region.
    pub fn new(state_machine_name: &str, execution_name: &str) -> ExecutionInfo {
        ExecutionInfo::in_account(state_machine_name, execution_name, "000000000000", "local")
    }

    /// Names in AWS's shapes for the given account and Region.
    pub fn in_account(state_machine_name: &str, execution_name: &str, account: &str, region: &str) -> ExecutionInfo {
        ExecutionInfo {
            name: execution_name.to_owned(),
            id: format!("arn:aws:states:{region}:{account}:execution:{state_machine_name}:{execution_name}"),
            state_machine_name: state_machine_name.into(),
            state_machine_id: format!("arn:aws:states:{region}:{account}:stateMachine:{state_machine_name}").into(),
            role_arn: format!("arn:aws:iam::{account}:role/{state_machine_name}-role").into(),
            start_time: SystemTime::now(),
            redrive_count: Some(0),
        }
    }

    /// Another execution of the same state machine, named `execution_name`, starting now.
    pub fn next(&self, execution_name: &str) -> ExecutionInfo {
        self.named(execution_name.to_owned(), format!("{}{execution_name}", self.execution_arn_prefix()))
    }

    /// Another execution of the same state machine with this name and ARN, starting now (for
    /// callers that keep the ARN prefix: `next` without searching the state machine ARN).
    pub fn named(&self, name: String, id: String) -> ExecutionInfo {
        ExecutionInfo {
            name,
            id,
            state_machine_name: self.state_machine_name.clone(),
            state_machine_id: self.state_machine_id.clone(),
            role_arn: self.role_arn.clone(),
            start_time: SystemTime::now(),
            redrive_count: self.redrive_count.map(|_| 0),
        }
    }

    /// The execution ARNs' common beginning: `arn:aws:states:<region>:<account>:execution:<machine>:`.
    pub fn execution_arn_prefix(&self) -> String {
        match self.state_machine_id.split_once(":stateMachine:") {
            Some((prefix, name)) => format!("{prefix}:execution:{name}:"),
            None => format!("{}:", self.state_machine_id),
        }
    }
}

/// What an execution shares with its task handlers: names, callbacks, cancellation.
#[derive(Clone, Debug)]
pub(crate) struct Shared {
    pub(crate) info: ExecutionInfo,
    pub(crate) callbacks: Callbacks,
    /// Only managed executions (an [`Executor`](crate::executor::Executor)'s) can be stopped.
    pub(crate) cancellation: Option<CancellationToken>,
}

/// A running execution: its names, its input, its event counter and (optionally) its history,
/// the callback tokens it may wait on, and the control a managed execution is steered by.
#[derive(Debug)]
pub struct Execution {
    shared: Arc<Shared>,
    input: Value,
    /// The id of the last history event (ExecutionStarted is 1).
    events: AtomicU64,
    history: Option<Arc<History>>,
    control: Option<Arc<Control>>,
}

impl Execution {
    /// Starts an execution: `ExecutionStarted` is event 1. Without [`Execution::with_history`]
    /// events are only counted.
    pub fn new(info: ExecutionInfo, input: Value) -> Execution {
        let shared = Shared { info, callbacks: Callbacks::shared(), cancellation: None };
        Execution { shared: Arc::new(shared), input, events: AtomicU64::new(1), history: None, control: None }
    }

    /// Keeps the events in `history` (recording `ExecutionStarted` now, unless the history already
    /// has events: a redriven execution continues its history, see [`Execution::redriven`]).
    pub fn with_history(self, history: Arc<History>) -> Execution {
        if history.is_empty() {
            let details = EventDetails { input: Some(self.input.clone()), ..EventDetails::default() };
            history.push(1, EventType::ExecutionStarted, details);
        }
        Execution { history: Some(history), ..self }
    }

    /// A redrive of an execution whose last event was `last_event_id`: ids go on from there, and
    /// `ExecutionRedriven` is the next event.
    pub fn redriven(self, last_event_id: u64) -> Execution {
        self.events.store(last_event_id, Ordering::Relaxed);
        self.record(EventType::ExecutionRedriven, EventDetails::default);
        self
    }

    /// Task tokens of `.waitForTaskToken` states are registered in `callbacks` (shared with
    /// whoever calls `send_task_success`).
    pub fn with_callbacks(mut self, callbacks: Callbacks) -> Execution {
        Arc::make_mut(&mut self.shared).callbacks = callbacks;
        self
    }

    /// Lets `control` pause the execution between states and remember where it failed.
    pub fn with_control(mut self, control: Arc<Control>) -> Execution {
        self.control = Some(control);
        self
    }

    /// Task handlers see `cancellation` cancelled when the execution is stopped.
    pub fn with_cancellation(mut self, cancellation: CancellationToken) -> Execution {
        Arc::make_mut(&mut self.shared).cancellation = Some(cancellation);
        self
    }

    /// What a task handler gets to know about its call.
    pub fn task_context(&self, visit: &Visit, resource: &'static str, task_token: Option<&str>) -> TaskContext {
        TaskContext {
            shared: self.shared.clone(),
            state: visit.name,
            resource,
            retry_count: visit.retry_count,
            task_token: task_token.map(str::to_owned),
        }
    }

    pub fn info(&self) -> &ExecutionInfo {
        &self.shared.info
    }

    /// `$$.Execution.Input`.
    pub fn input(&self) -> &Value {
        &self.input
    }

    pub fn history(&self) -> Option<&Arc<History>> {
        self.history.as_ref()
    }

    pub fn callbacks(&self) -> &Callbacks {
        &self.shared.callbacks
    }

    pub fn control(&self) -> Option<&Arc<Control>> {
        self.control.as_ref()
    }

    /// Whether events are kept (so their details are worth building).
    pub fn recording(&self) -> bool {
        self.history.is_some()
    }

    /// Records one event and returns its id. `details` is only called when events are kept.
    pub fn record(&self, event_type: EventType, details: impl FnOnce() -> EventDetails) -> u64 {
        self.record_with(|| (event_type, details()))
    }

    /// [`Execution::record`] for events whose type also takes work to find (a task's resource
    /// family): `event` is only called when events are kept.
    pub fn record_with(&self, event: impl FnOnce() -> (EventType, EventDetails)) -> u64 {
        let id = self.events.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(history) = &self.history {
            let (event_type, details) = event();
            history.push(id, event_type, details);
        }
        id
    }

    /// The id of the last event recorded.
    pub fn last_event_id(&self) -> u64 {
        self.events.load(Ordering::Relaxed)
    }

    /// Enters a state: records `<Type>StateEntered` and returns the visit (without reading the
    /// clock: for states that never build the Context Object).
    pub fn enter(&self, name: &'static str, state_type: StateType, input: &Value) -> Visit {
        let id = self.record(state_type.entered(), || EventDetails {
            name: Some(name.to_owned()),
            input: Some(input.clone()),
            ..EventDetails::default()
        });
        Visit { name, state_type, entered_event_id: id, entered_time: None, retry_count: 0 }
    }

    /// [`Execution::enter`] for a state that reads `$$.State.EnteredTime`.
    pub fn enter_timed(&self, name: &'static str, state_type: StateType, input: &Value) -> Visit {
        Visit { entered_time: Some(SystemTime::now()), ..self.enter(name, state_type, input) }
    }

    /// The variables an `Assign` is about to set, for the `Exited` event (only when recording).
    pub fn assigned(&self, assigned: &[(&'static str, Value)]) -> Option<Map<String, Value>> {
        self.recording().then(|| assigned.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    /// Leaves a state: records `<Type>StateExited` with the output and the assigned variables.
    pub fn exited(&self, visit: &Visit, output: &Value, assigned: Option<Map<String, Value>>) {
        if let Some(event_type) = visit.state_type.exited() {
            self.record(event_type, || EventDetails {
                name: Some(visit.name.to_owned()),
                output: Some(output.clone()),
                assigned_variables: assigned.filter(|a| !a.is_empty()),
                ..EventDetails::default()
            });
        }
    }

    /// A task is scheduled: `LambdaFunctionScheduled`, `ActivityScheduled` or `TaskScheduled`.
    pub fn task_scheduled(
        &self,
        resource: &str,
        parameters: &Value,
        timeout: Option<Duration>,
        heartbeat: Option<Duration>,
    ) {
        self.record_with(|| {
            let kind = ResourceKind::of(resource);
            let mut details = EventDetails {
                timeout_in_seconds: timeout.map(|t| t.as_secs()),
                heartbeat_in_seconds: heartbeat.map(|t| t.as_secs()),
                ..EventDetails::default()
            };
            let event_type = match kind {
                ResourceKind::Service { resource_type, resource } => {
                    details.resource_type = Some(resource_type.to_owned());
                    details.resource = Some(resource.to_owned());
                    details.parameters = Some(parameters.clone());
                    EventType::TaskScheduled
                }
                other => {
                    details.resource = Some(resource.to_owned());
                    details.input = Some(parameters.clone());
                    if other == ResourceKind::LambdaFunction {
                        EventType::LambdaFunctionScheduled
                    } else {
                        EventType::ActivityScheduled
                    }
                }
            };
            (event_type, details)
        });
    }

    /// The task started (`...Started`).
    pub fn task_started(&self, resource: &str) {
        self.record_with(|| {
            let kind = ResourceKind::of(resource);
            let event_type = match kind {
                ResourceKind::LambdaFunction => EventType::LambdaFunctionStarted,
                ResourceKind::Activity => EventType::ActivityStarted,
                ResourceKind::Service { .. } => EventType::TaskStarted,
            };
            (event_type, service_details(kind))
        });
    }

    /// A callback or `.sync` task was handed over and is now awaited: `TaskSubmitted`.
    pub fn task_submitted(&self, resource: &str, output: &Value) {
        self.record(EventType::TaskSubmitted, || EventDetails {
            output: Some(output.clone()),
            ..service_details(ResourceKind::of(resource))
        });
    }

    /// The task's outcome: `...Succeeded` with its result, `...TimedOut` or `...Failed`.
    pub fn task_finished(&self, resource: &str, outcome: &Result<Value, Error>) {
        self.record_with(|| {
            let kind = ResourceKind::of(resource);
            let timed_out = matches!(outcome, Err(e) if e.is(names::TIMEOUT) || e.is(names::HEARTBEAT_TIMEOUT));
            let event_type = match (&kind, outcome, timed_out) {
                (ResourceKind::LambdaFunction, Ok(_), _) => EventType::LambdaFunctionSucceeded,
                (ResourceKind::LambdaFunction, Err(_), true) => EventType::LambdaFunctionTimedOut,
                (ResourceKind::LambdaFunction, Err(_), false) => EventType::LambdaFunctionFailed,
                (ResourceKind::Activity, Ok(_), _) => EventType::ActivitySucceeded,
                (ResourceKind::Activity, Err(_), true) => EventType::ActivityTimedOut,
                (ResourceKind::Activity, Err(_), false) => EventType::ActivityFailed,
                (ResourceKind::Service { .. }, Ok(_), _) => EventType::TaskSucceeded,
                (ResourceKind::Service { .. }, Err(_), true) => EventType::TaskTimedOut,
                (ResourceKind::Service { .. }, Err(_), false) => EventType::TaskFailed,
            };
            let mut details = service_details(kind);
            match outcome {
                Ok(output) => details.output = Some(output.clone()),
                Err(error) => {
                    details.error = Some(error.name.to_string());
                    details.cause = error.cause.clone();
                }
            }
            (event_type, details)
        });
    }

    /// `ParallelStateStarted`.
    pub fn parallel_started(&self) {
        self.record(EventType::ParallelStateStarted, EventDetails::default);
    }

    /// `ParallelStateSucceeded`.
    pub fn parallel_succeeded(&self) {
        self.record(EventType::ParallelStateSucceeded, EventDetails::default);
    }

    /// `ParallelStateFailed` (once the state has failed for good, not between retries).
    pub fn parallel_failed(&self) {
        self.record(EventType::ParallelStateFailed, EventDetails::default);
    }

    /// `MapStateStarted` with the number of items.
    pub fn map_started(&self, length: usize) {
        self.record(EventType::MapStateStarted, || EventDetails {
            length: Some(length as u64),
            ..EventDetails::default()
        });
    }

    /// `MapStateSucceeded`.
    pub fn map_succeeded(&self) {
        self.record(EventType::MapStateSucceeded, EventDetails::default);
    }

    /// `MapStateFailed` (once the state has failed for good, not between retries).
    pub fn map_failed(&self) {
        self.record(EventType::MapStateFailed, EventDetails::default);
    }

    /// `MapRunStarted`: a Distributed Map's run of child executions begins.
    pub fn map_run_started(&self, visit: &Visit) {
        self.record(EventType::MapRunStarted, || {
            let info = &self.shared.info;
            let arn = format!(
                "{}/{}:{}",
                info.state_machine_id.replacen(":stateMachine:", ":mapRun:", 1),
                visit.name,
                visit.entered_event_id
            );
            EventDetails { map_run_arn: Some(arn), ..EventDetails::default() }
        });
    }

    /// `MapRunSucceeded` or `MapRunFailed`.
    pub fn map_run_finished(&self, outcome: &Result<Value, Error>) {
        let event_type = if outcome.is_ok() { EventType::MapRunSucceeded } else { EventType::MapRunFailed };
        self.record(event_type, EventDetails::default);
    }

    /// The child execution a Distributed Map runs one item in: the same names, callbacks and
    /// cancellation, `item` as its input, and its own event ids (its history is not the parent's).
    pub fn map_run_child(&self, item: &Value) -> Execution {
        Execution {
            shared: self.shared.clone(),
            input: item.clone(),
            events: AtomicU64::new(1),
            history: None,
            control: None,
        }
    }

    /// `TaskStateAborted`: a Task failed its Parallel branch or Map iteration.
    pub fn task_state_aborted(&self) {
        self.record(EventType::TaskStateAborted, EventDetails::default);
    }

    /// `MapIterationStarted` for item `index` of the Map state `visit`.
    pub fn iteration_started(&self, visit: &Visit, index: usize) {
        self.record(EventType::MapIterationStarted, || iteration_details(visit, index));
    }

    /// `MapIterationSucceeded` or `MapIterationFailed`.
    pub fn iteration_finished(&self, visit: &Visit, index: usize, outcome: &Result<Value, Error>) {
        let event_type = if outcome.is_ok() { EventType::MapIterationSucceeded } else { EventType::MapIterationFailed };
        self.record(event_type, || iteration_details(visit, index));
    }

    /// `EvaluationFailed`: an expression of the state could not be evaluated
    /// (`States.QueryEvaluationError`; other errors are not evaluation failures).
    pub fn evaluation_failed(&self, visit: &Visit, error: &Error) {
        if !error.is(names::QUERY_EVALUATION_ERROR) {
            return;
        }
        self.record(EventType::EvaluationFailed, || {
            // The causes name the field: "... specified for the field 'Arguments/FunctionName' ...".
            let location = error.cause.as_deref().and_then(|c| {
                let rest = &c[c.find("for the field '")? + "for the field '".len()..];
                Some(rest[..rest.find('\'')?].to_owned())
            });
            EventDetails {
                error: Some(error.name.to_string()),
                cause: error.cause.clone(),
                location,
                state: Some(visit.name.to_owned()),
                ..EventDetails::default()
            }
        });
    }

    /// Records how the execution ended: `ExecutionSucceeded`, `ExecutionFailed`,
    /// `ExecutionTimedOut` or `ExecutionAborted`.
    pub fn finish(&self, outcome: &Result<Value, Error>) {
        let event_type = match outcome {
            Ok(_) => EventType::ExecutionSucceeded,
            Err(e) if e.is_execution_timeout() => EventType::ExecutionTimedOut,
            Err(_) => EventType::ExecutionFailed,
        };
        self.record(event_type, || match outcome {
            Ok(output) => EventDetails { output: Some(output.clone()), ..EventDetails::default() },
            Err(e) => {
                EventDetails { error: Some(e.name.to_string()), cause: e.cause.clone(), ..EventDetails::default() }
            }
        });
    }

    /// Called by the top-level driver loop before each state: waits while the execution is
    /// paused and remembers where it is (for redrive). Free when the execution has no control.
    pub async fn boundary(&self, state: &'static str, input: &Value, vars: &Variables<'_>) {
        if let Some(control) = &self.control {
            control.boundary(state, input, vars).await;
        }
    }

    /// Builds the Context Object for a state visit (`$$`).
    pub fn context(&self, visit: &Visit) -> Value {
        let info = &self.shared.info;
        let mut execution = json!({
            "Id": info.id,
            "Input": self.input,
            "StartTime": format_system_time(info.start_time),
            "Name": info.name,
            "RoleArn": &*info.role_arn,
        });
        if let (Some(count), Some(map)) = (info.redrive_count, execution.as_object_mut()) {
            map.insert("RedriveCount".into(), count.into());
        }
        json!({
            "Execution": execution,
            "StateMachine": { "Id": &*info.state_machine_id, "Name": &*info.state_machine_name },
            "State": {
                "Name": visit.name,
                "EnteredTime": format_system_time(visit.entered_time.unwrap_or_else(SystemTime::now)),
            },
        })
    }

    /// The Context Object inside a Task (adds `State.RetryCount` and, for callbacks, `Task.Token`).
    pub fn task_context_object(&self, visit: &Visit, token: Option<&str>) -> Value {
        let mut cx = self.context(visit);
        if let Some(state) = cx.get_mut("State").and_then(Value::as_object_mut) {
            state.insert("RetryCount".into(), visit.retry_count.into());
        }
        if let (Some(token), Some(map)) = (token, cx.as_object_mut()) {
            map.insert("Task".into(), json!({ "Token": token }));
        }
        cx
    }

    /// The Context Object for a Map state's `ItemSelector`: adds `Map.Item`.
    pub fn map_item_context_object(&self, visit: &Visit, index: usize, key: Option<&str>, value: &Value) -> Value {
        let mut cx = self.context(visit);
        let mut item = Map::new();
        if let Some(key) = key {
            item.insert("Key".into(), key.into());
        }
        item.insert("Index".into(), index.into());
        item.insert("Value".into(), value.clone());
        item.insert("Source".into(), "STATE_DATA".into());
        if let Some(map) = cx.as_object_mut() {
            map.insert("Map".into(), json!({ "Item": item }));
        }
        cx
    }
}

/// One visit of a state: what error causes and `$$.State` report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub name: &'static str,
    pub state_type: StateType,
    pub entered_event_id: u64,
    /// When the state was entered (read only for states that build the Context Object).
    pub entered_time: Option<SystemTime>,
    /// Retries done so far in this visit (`$$.State.RetryCount`).
    pub retry_count: u32,
}

impl Visit {
    /// `States.Runtime` with AWS's prefix naming this state.
    pub fn runtime_error(&self, detail: impl std::fmt::Display) -> crate::Error {
        crate::Error::runtime_in_state(self.name, self.entered_event_id, detail)
    }

    /// An error of another name with AWS's state prefix in the cause.
    pub fn error(&self, name: &'static str, detail: impl std::fmt::Display) -> crate::Error {
        crate::Error::new(
            name,
            format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). {detail}",
                self.name, self.entered_event_id
            ),
        )
    }
}

fn service_details(kind: ResourceKind<'_>) -> EventDetails {
    match kind {
        ResourceKind::Service { resource_type, resource } => EventDetails {
            resource_type: Some(resource_type.to_owned()),
            resource: Some(resource.to_owned()),
            ..EventDetails::default()
        },
        _ => EventDetails::default(),
    }
}

fn iteration_details(visit: &Visit, index: usize) -> EventDetails {
    EventDetails { name: Some(visit.name.to_owned()), index: Some(index as u64), ..EventDetails::default() }
}

/// Formats a point in time as ISO 8601 with milliseconds.
pub fn format_system_time(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    format_iso8601(since.as_secs() as i64, since.subsec_millis())
}

/// Formats seconds since the epoch (UTC) as ISO 8601 with milliseconds.
pub fn format_iso8601(secs: i64, millis: u32) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::StateType;

    #[test]
    fn event_ids_start_after_execution_started() {
        let ex = Execution::new(ExecutionInfo::new("sm", "run-1"), json!({"a": 1}));
        let first = ex.enter("First", StateType::Pass, &json!({}));
        assert_eq!(first.entered_event_id, 2);
        ex.exited(&first, &json!({}), None);
        assert_eq!(ex.enter("Second", StateType::Pass, &json!({})).entered_event_id, 4);
        assert_eq!(
            first.runtime_error("boom").cause.as_deref(),
            Some("An error occurred while executing the state 'First' (entered at the event id #2). boom")
        );
    }

    #[test]
    fn context_object_has_aws_shape() {
        let ex = Execution::new(ExecutionInfo::in_account("sm", "run-1", "111111111111", "us-east-1"), json!({"a": 1}));
        let visit = ex.enter("S", StateType::Task, &json!({}));
        let cx = ex.context(&visit);
        assert_eq!(cx["Execution"]["Id"], "arn:aws:states:us-east-1:111111111111:execution:sm:run-1");
        assert_eq!(cx["Execution"]["Input"], json!({"a": 1}));
        assert_eq!(cx["StateMachine"]["Name"], "sm");
        assert_eq!(cx["State"]["Name"], "S");
        assert!(cx["State"].get("RetryCount").is_none(), "only Task states have RetryCount");
        let task = ex.task_context_object(&visit, Some("tok"));
        assert_eq!(task["State"]["RetryCount"], 0);
        assert_eq!(task["Task"]["Token"], "tok");
    }

    #[test]
    fn formats_timestamps() {
        assert_eq!(format_iso8601(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_iso8601(951_782_400 + 86_399, 999), "2000-02-29T23:59:59.999Z");
        assert!(crate::timestamp::is_valid(&format_system_time(SystemTime::now())));
    }
}
