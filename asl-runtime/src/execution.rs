//! One execution of a workflow: its identity, the Context Object, and the count of history events.
//!
//! Generated code threads an [`Execution`] through every state function. It is cheap to share
//! (`&Execution` across Parallel branches and Map iterations) and holds no state of the workflow
//! itself: that is the plain `(State, Value)` pair the driver loop carries, so an execution between
//! two states stays a serialisable value.
//!
//! Event ids follow AWS's history numbering (`ExecutionStarted` is event 1, the first state is
//! entered at event 2, ...), because AWS's error causes quote them: `An error occurred while
//! executing the state 'X' (entered at the event id #2)`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

/// Names and ids that the Context Object (`$$`) exposes.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutionInfo {
    /// `$$.Execution.Name`.
    pub name: String,
    /// `$$.Execution.Id`: the execution ARN.
    pub id: String,
    /// `$$.StateMachine.Name`.
    pub state_machine_name: String,
    /// `$$.StateMachine.Id`: the state machine ARN.
    pub state_machine_id: String,
    /// `$$.Execution.RoleArn`.
    pub role_arn: String,
    /// `$$.Execution.StartTime` (ISO 8601).
    pub start_time: String,
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
            state_machine_name: state_machine_name.to_owned(),
            state_machine_id: format!("arn:aws:states:{region}:{account}:stateMachine:{state_machine_name}"),
            role_arn: format!("arn:aws:iam::{account}:role/{state_machine_name}-role"),
            start_time: now_iso8601(),
            redrive_count: Some(0),
        }
    }
}

/// A running execution.
#[derive(Debug)]
pub struct Execution {
    info: Arc<ExecutionInfo>,
    input: Value,
    /// The id of the last history event (ExecutionStarted is 1).
    events: AtomicU64,
}

impl Execution {
    /// Starts an execution: records `ExecutionStarted` (event 1).
    pub fn new(info: ExecutionInfo, input: Value) -> Execution {
        Execution { info: Arc::new(info), input, events: AtomicU64::new(1) }
    }

    pub fn info(&self) -> &ExecutionInfo {
        &self.info
    }

    /// `$$.Execution.Input`.
    pub fn input(&self) -> &Value {
        &self.input
    }

    /// Records one history event and returns its id.
    pub fn event(&self) -> u64 {
        self.events.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Records `n` history events at once (e.g. TaskScheduled, TaskStarted, TaskSucceeded).
    pub fn events(&self, n: u64) {
        self.events.fetch_add(n, Ordering::Relaxed);
    }

    /// Enters a state: records `<Type>StateEntered` and returns the visit.
    pub fn enter(&self, name: &'static str) -> Visit {
        Visit { name, entered_event_id: self.event(), entered_time: now_iso8601(), retry_count: 0 }
    }

    /// Builds the Context Object for a state visit (`$$`).
    pub fn context(&self, visit: &Visit) -> Value {
        let info = &self.info;
        let mut execution = json!({
            "Id": info.id,
            "Input": self.input,
            "StartTime": info.start_time,
            "Name": info.name,
            "RoleArn": info.role_arn,
        });
        if let (Some(count), Some(map)) = (info.redrive_count, execution.as_object_mut()) {
            map.insert("RedriveCount".into(), count.into());
        }
        json!({
            "Execution": execution,
            "StateMachine": { "Id": info.state_machine_id, "Name": info.state_machine_name },
            "State": { "Name": visit.name, "EnteredTime": visit.entered_time },
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
    pub entered_event_id: u64,
    pub entered_time: String,
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

/// The current time as ISO 8601 with milliseconds, `2024-01-31T12:00:00.123Z`.
pub fn now_iso8601() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    format_iso8601(now.as_secs() as i64, now.subsec_millis())
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

    #[test]
    fn event_ids_start_after_execution_started() {
        let ex = Execution::new(ExecutionInfo::new("sm", "run-1"), json!({"a": 1}));
        let first = ex.enter("First");
        assert_eq!(first.entered_event_id, 2);
        ex.event(); // PassStateExited
        assert_eq!(ex.enter("Second").entered_event_id, 4);
        assert_eq!(
            first.runtime_error("boom").cause.as_deref(),
            Some("An error occurred while executing the state 'First' (entered at the event id #2). boom")
        );
    }

    #[test]
    fn context_object_has_aws_shape() {
        let ex = Execution::new(ExecutionInfo::in_account("sm", "run-1", "111111111111", "us-east-1"), json!({"a": 1}));
        let visit = ex.enter("S");
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
        assert!(crate::timestamp::is_valid(&now_iso8601()));
    }
}
