//! An execution's event history, as AWS's `GetExecutionHistory` reports it.
//!
//! Generated code reports what happens (a state entered, a task scheduled, a Map iteration
//! finished, ...) through [`Execution`](crate::Execution)'s recording methods. Every report takes an
//! event id, because AWS's error causes quote them (`entered at the event id #4`); only an execution
//! started with a [`History`] also keeps the events, with their details cloned, and passes each to
//! the history's observers as it happens. Without one, recording is a counter increment.
//!
//! Event types and their order follow AWS (checked against the histories recorded on AWS in the
//! conformance corpus): `ExecutionStarted` is event 1; a state is `<Type>StateEntered` ...
//! `<Type>StateExited`; Lambda function ARNs report `LambdaFunction*` events, service integrations
//! `Task*` events with the service as `resourceType`; Map and Parallel states report
//! `MapStateStarted`/`MapIteration*`/`MapStateSucceeded` and `ParallelStateStarted`/...; the
//! execution ends with `ExecutionSucceeded`, `ExecutionFailed`, `ExecutionAborted` or
//! `ExecutionTimedOut`.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use serde_json::{Map, Value, json};

macro_rules! event_types {
    ($($name:ident),* $(,)?) => {
        /// The type of a history event, named as AWS names it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum EventType { $($name),* }

        impl EventType {
            /// AWS's name (`PassStateEntered`).
            pub fn as_str(self) -> &'static str {
                match self { $(EventType::$name => stringify!($name)),* }
            }

            /// The type with AWS's name, if there is one.
            pub fn from_name(name: &str) -> Option<EventType> {
                match name { $(stringify!($name) => Some(EventType::$name),)* _ => None }
            }
        }
    };
}

event_types! {
    ExecutionStarted, ExecutionSucceeded, ExecutionFailed, ExecutionAborted, ExecutionTimedOut, ExecutionRedriven,
    PassStateEntered, PassStateExited,
    TaskStateEntered, TaskStateExited, TaskStateAborted,
    ChoiceStateEntered, ChoiceStateExited,
    WaitStateEntered, WaitStateExited, WaitStateAborted,
    SucceedStateEntered, SucceedStateExited,
    FailStateEntered,
    ParallelStateEntered, ParallelStateExited, ParallelStateStarted, ParallelStateSucceeded, ParallelStateFailed,
    ParallelStateAborted,
    MapStateEntered, MapStateExited, MapStateStarted, MapStateSucceeded, MapStateFailed, MapStateAborted,
    MapIterationStarted, MapIterationSucceeded, MapIterationFailed, MapIterationAborted,
    MapRunStarted, MapRunSucceeded, MapRunFailed, MapRunAborted,
    TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded, TaskFailed, TaskTimedOut,
    LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ActivityScheduled, ActivityStarted, ActivitySucceeded, ActivityFailed, ActivityTimedOut,
    EvaluationFailed,
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a state, for its `<Type>StateEntered`/`Exited` events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateType {
    Pass,
    Task,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    pub fn entered(self) -> EventType {
        match self {
            StateType::Pass => EventType::PassStateEntered,
            StateType::Task => EventType::TaskStateEntered,
            StateType::Choice => EventType::ChoiceStateEntered,
            StateType::Wait => EventType::WaitStateEntered,
            StateType::Succeed => EventType::SucceedStateEntered,
            StateType::Fail => EventType::FailStateEntered,
            StateType::Parallel => EventType::ParallelStateEntered,
            StateType::Map => EventType::MapStateEntered,
        }
    }

    /// `<Type>StateExited`; `None` for a Fail state, which never exits (it ends its block).
    pub fn exited(self) -> Option<EventType> {
        Some(match self {
            StateType::Fail => return None,
            StateType::Pass => EventType::PassStateExited,
            StateType::Task => EventType::TaskStateExited,
            StateType::Choice => EventType::ChoiceStateExited,
            StateType::Wait => EventType::WaitStateExited,
            StateType::Succeed => EventType::SucceedStateExited,
            StateType::Parallel => EventType::ParallelStateExited,
            StateType::Map => EventType::MapStateExited,
        })
    }
}

/// How a Task resource reports its events: which family and which names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind<'a> {
    /// `arn:aws:lambda:...:function:...`: `LambdaFunction*` events.
    LambdaFunction,
    /// `arn:aws:states:...:activity:...`: `Activity*` events.
    Activity,
    /// A service integration `arn:aws:states:::lambda:invoke`: `Task*` events with
    /// `resourceType` `lambda` and `resource` `invoke`. Other resource strings (local names)
    /// are reported the same way with their whole text as `resource`.
    Service { resource_type: &'a str, resource: &'a str },
}

impl<'a> ResourceKind<'a> {
    pub fn of(resource: &'a str) -> ResourceKind<'a> {
        // arn:<partition>:<service>:<region>:<account>:<resource...>, in any partition.
        let mut parts = resource.splitn(6, ':');
        let (arn, _partition, service) = (parts.next(), parts.next(), parts.next());
        let (region, account, rest) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
        if arn != Some("arn") {
            return ResourceKind::Service { resource_type: "local", resource };
        }
        if service == Some("lambda") {
            return ResourceKind::LambdaFunction;
        }
        if service == Some("states") && rest.starts_with("activity:") {
            return ResourceKind::Activity;
        }
        if service == Some("states") && region == Some("") && account == Some("") {
            let (service, action) = match rest.strip_prefix("aws-sdk:") {
                Some(sdk) => sdk.split_once(':').unwrap_or((sdk, "")),
                None => rest.split_once(':').unwrap_or((rest, "")),
            };
            return ResourceKind::Service { resource_type: service, resource: action };
        }
        ResourceKind::Service { resource_type: "local", resource }
    }
}

/// One event of an execution's history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEvent {
    /// 1 for `ExecutionStarted`, then consecutive.
    pub id: u64,
    /// The event before this one (0 for the first state's `Entered`, as AWS reports it).
    pub previous_event_id: u64,
    pub timestamp: SystemTime,
    pub event_type: EventType,
    pub details: EventDetails,
}

/// What an event says besides its type; which fields are set depends on the type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventDetails {
    /// The state (state events) or the Map state (iteration events).
    pub name: Option<String>,
    pub input: Option<Value>,
    pub output: Option<Value>,
    /// Variables an `Exited` event's state assigned.
    pub assigned_variables: Option<Map<String, Value>>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Task events: the resource (`invoke`, or a Lambda function ARN) and its service (`lambda`).
    pub resource: Option<String>,
    pub resource_type: Option<String>,
    /// `TaskScheduled`: the task's parameters.
    pub parameters: Option<Value>,
    pub timeout_in_seconds: Option<u64>,
    pub heartbeat_in_seconds: Option<u64>,
    /// Map iteration events: the item's index. `MapStateStarted`: the number of items.
    pub index: Option<u64>,
    pub length: Option<u64>,
    /// `EvaluationFailed`: the field that failed and its state.
    pub location: Option<String>,
    pub state: Option<String>,
    /// `MapRunStarted`: the Map Run's ARN.
    pub map_run_arn: Option<String>,
}

impl HistoryEvent {
    /// The event in AWS's `GetExecutionHistory` shape: `{id, previousEventId, timestamp, type,
    /// <type>EventDetails: {...}}`, with inputs and outputs as JSON text as AWS sends them.
    pub fn to_json(&self) -> Value {
        let mut event = Map::new();
        event.insert("id".into(), self.id.into());
        event.insert("previousEventId".into(), self.previous_event_id.into());
        event.insert("timestamp".into(), crate::execution::format_system_time(self.timestamp).into());
        event.insert("type".into(), self.event_type.as_str().into());
        let d = &self.details;
        let mut details = Map::new();
        let text = |v: &Value| Value::String(v.to_string());
        if let Some(name) = &d.name {
            details.insert("name".into(), name.clone().into());
        }
        if let Some(index) = d.index {
            details.insert("index".into(), index.into());
        }
        if let Some(length) = d.length {
            details.insert("length".into(), length.into());
        }
        if let Some(resource_type) = &d.resource_type {
            details.insert("resourceType".into(), resource_type.clone().into());
        }
        if let Some(resource) = &d.resource {
            details.insert("resource".into(), resource.clone().into());
        }
        if let Some(parameters) = &d.parameters {
            details.insert("parameters".into(), text(parameters));
        }
        if let Some(input) = &d.input {
            details.insert("input".into(), text(input));
            details.insert("inputDetails".into(), json!({ "truncated": false }));
        }
        if let Some(output) = &d.output {
            details.insert("output".into(), text(output));
            details.insert("outputDetails".into(), json!({ "truncated": false }));
        }
        if let Some(vars) = &d.assigned_variables {
            let vars: Map<String, Value> = vars.iter().map(|(k, v)| (k.clone(), text(v))).collect();
            details.insert("assignedVariables".into(), Value::Object(vars));
            details.insert("assignedVariablesDetails".into(), json!({ "truncated": false }));
        }
        if let Some(t) = d.timeout_in_seconds {
            details.insert("timeoutInSeconds".into(), t.into());
        }
        if let Some(t) = d.heartbeat_in_seconds {
            details.insert("heartbeatInSeconds".into(), t.into());
        }
        if let Some(error) = &d.error {
            details.insert("error".into(), error.clone().into());
        }
        if let Some(cause) = &d.cause {
            details.insert("cause".into(), cause.clone().into());
        }
        if let Some(location) = &d.location {
            details.insert("location".into(), location.clone().into());
        }
        if let Some(state) = &d.state {
            details.insert("state".into(), state.clone().into());
        }
        if let Some(arn) = &d.map_run_arn {
            details.insert("mapRunArn".into(), arn.clone().into());
        }
        if !details.is_empty() {
            event.insert(details_key(self.event_type).into(), Value::Object(details));
        }
        Value::Object(event)
    }
}

/// AWS's name of the details member for an event type (`stateEnteredEventDetails`, ...).
fn details_key(t: EventType) -> &'static str {
    use EventType::*;
    match t {
        PassStateEntered | TaskStateEntered | ChoiceStateEntered | WaitStateEntered | SucceedStateEntered
        | FailStateEntered | ParallelStateEntered | MapStateEntered => "stateEnteredEventDetails",
        PassStateExited | TaskStateExited | ChoiceStateExited | WaitStateExited | SucceedStateExited
        | ParallelStateExited | MapStateExited => "stateExitedEventDetails",
        ExecutionStarted => "executionStartedEventDetails",
        ExecutionSucceeded => "executionSucceededEventDetails",
        ExecutionFailed => "executionFailedEventDetails",
        ExecutionAborted => "executionAbortedEventDetails",
        ExecutionTimedOut => "executionTimedOutEventDetails",
        ExecutionRedriven => "executionRedrivenEventDetails",
        TaskScheduled => "taskScheduledEventDetails",
        TaskStarted => "taskStartedEventDetails",
        TaskSubmitted => "taskSubmittedEventDetails",
        TaskSucceeded => "taskSucceededEventDetails",
        TaskFailed => "taskFailedEventDetails",
        TaskTimedOut => "taskTimedOutEventDetails",
        LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
        LambdaFunctionStarted => "lambdaFunctionStartedEventDetails",
        LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
        LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
        LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
        ActivityScheduled => "activityScheduledEventDetails",
        ActivityStarted => "activityStartedEventDetails",
        ActivitySucceeded => "activitySucceededEventDetails",
        ActivityFailed => "activityFailedEventDetails",
        ActivityTimedOut => "activityTimedOutEventDetails",
        MapStateStarted => "mapStateStartedEventDetails",
        MapIterationStarted => "mapIterationStartedEventDetails",
        MapIterationSucceeded => "mapIterationSucceededEventDetails",
        MapIterationFailed => "mapIterationFailedEventDetails",
        MapIterationAborted => "mapIterationAbortedEventDetails",
        MapRunStarted => "mapRunStartedEventDetails",
        MapRunFailed => "mapRunFailedEventDetails",
        EvaluationFailed => "evaluationFailedEventDetails",
        _ => "eventDetails",
    }
}

type Observer = Arc<dyn Fn(&HistoryEvent) + Send + Sync>;

/// The events of one execution (across its redrives), kept in id order, and the observers that
/// see each event as it is recorded.
#[derive(Default)]
pub struct History {
    events: Mutex<Vec<HistoryEvent>>,
    observers: Mutex<Vec<Observer>>,
}

impl fmt::Debug for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("History").field("events", &self.len()).finish()
    }
}

impl History {
    pub fn new() -> Arc<History> {
        Arc::new(History::default())
    }

    /// Calls `observer` with every event recorded from now on (on the thread that records it: keep
    /// it short, or hand the event to a channel).
    pub fn subscribe(&self, observer: impl Fn(&HistoryEvent) + Send + Sync + 'static) {
        self.observers.lock().unwrap_or_else(PoisonError::into_inner).push(Arc::new(observer));
    }

    /// The events so far, in id order.
    pub fn events(&self) -> Vec<HistoryEvent> {
        self.events.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn len(&self) -> usize {
        self.events.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The event types so far, in order (handy in tests).
    pub fn types(&self) -> Vec<EventType> {
        self.events.lock().unwrap_or_else(PoisonError::into_inner).iter().map(|e| e.event_type).collect()
    }

    /// The history as AWS's `GetExecutionHistory` returns it: `{"events": [...]}`.
    pub fn to_json(&self) -> Value {
        let events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        json!({ "events": events.iter().map(HistoryEvent::to_json).collect::<Vec<_>>() })
    }

    /// Appends an event with the given id (ids come from the execution's counter, so they stay
    /// consecutive across concurrent branches; the list is kept sorted by id).
    pub(crate) fn push(&self, id: u64, event_type: EventType, details: EventDetails) {
        let event = HistoryEvent {
            id,
            previous_event_id: if id <= 2 { 0 } else { id - 1 },
            timestamp: SystemTime::now(),
            event_type,
            details,
        };
        let observers: Vec<Observer> = self.observers.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if observers.is_empty() {
            self.store(event);
            return;
        }
        // Stored first, so an observer reading the history sees the event; observers are called
        // outside the locks, so they may read the history or subscribe.
        self.store(event.clone());
        for observer in &observers {
            observer(&event);
        }
    }

    fn store(&self, event: HistoryEvent) {
        let mut events = self.events.lock().unwrap_or_else(PoisonError::into_inner);
        let at = events.iter().rposition(|e| e.id < event.id).map_or(0, |i| i + 1);
        events.insert(at, event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_are_classified_as_aws_reports_them() {
        assert_eq!(ResourceKind::of("arn:aws:lambda:us-east-1:111111111111:function:f"), ResourceKind::LambdaFunction);
        assert_eq!(
            ResourceKind::of("arn:aws:states:::lambda:invoke"),
            ResourceKind::Service { resource_type: "lambda", resource: "invoke" }
        );
        assert_eq!(
            ResourceKind::of("arn:aws:states:::states:startExecution.sync:2"),
            ResourceKind::Service { resource_type: "states", resource: "startExecution.sync:2" }
        );
        assert_eq!(
            ResourceKind::of("arn:aws:states:::aws-sdk:s3:getObject"),
            ResourceKind::Service { resource_type: "s3", resource: "getObject" }
        );
        assert_eq!(ResourceKind::of("arn:aws:states:us-east-1:1:activity:a"), ResourceKind::Activity);
    }

    #[test]
    fn events_are_kept_in_id_order_and_serialised_in_aws_shape() {
        let history = History::new();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        history.subscribe(move |e| sink.lock().unwrap().push(e.id));
        history.push(3, EventType::PassStateExited, EventDetails { name: Some("A".into()), ..Default::default() });
        history.push(
            2,
            EventType::PassStateEntered,
            EventDetails { name: Some("A".into()), input: Some(json!({"a": 1})), ..Default::default() },
        );
        assert_eq!(history.types(), [EventType::PassStateEntered, EventType::PassStateExited]);
        assert_eq!(*seen.lock().unwrap(), [3, 2]);
        let first = &history.to_json()["events"][0];
        assert_eq!(first["type"], "PassStateEntered");
        assert_eq!(first["previousEventId"], 0);
        assert_eq!(first["stateEnteredEventDetails"]["input"], "{\"a\":1}");
        assert_eq!(EventType::from_name("MapIterationStarted"), Some(EventType::MapIterationStarted));
    }
}
