//! Errors as Step Functions names them, and which Retry/Catch entries match them.
//!
//! An [`Error`] is what a state fails with: a name (`States.Timeout`, `States.TaskFailed`, or a
//! task's own name such as `PaymentDeclined`) and an optional cause. The matching rules follow what
//! AWS does (INVENTORY §5): `States.ALL` matches everything except `States.Runtime` (and
//! `States.DataLimitExceeded` raised at a state boundary); `States.TaskFailed` matches any
//! non-`States.*` error; `States.Runtime` can never be retried or caught, not even by name.

use std::borrow::Cow;
use std::fmt;

/// The error names Step Functions defines.
pub mod names {
    pub const ALL: &str = "States.ALL";
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    pub const TIMEOUT: &str = "States.Timeout";
    pub const TASK_FAILED: &str = "States.TaskFailed";
    pub const PERMISSIONS: &str = "States.Permissions";
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    pub const RUNTIME: &str = "States.Runtime";
}

/// A failure with Step Functions' error name and cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub name: Cow<'static, str>,
    pub cause: Option<String>,
    /// True for errors raised where AWS does not let Retry/Catch see them (a payload over the limit
    /// at a state boundary). `States.Runtime` is always uncatchable regardless.
    pub terminal: bool,
}

impl Error {
    pub fn new(name: impl Into<Cow<'static, str>>, cause: impl Into<String>) -> Error {
        Error { name: name.into(), cause: Some(cause.into()), terminal: false }
    }

    /// An error with a name and no cause.
    pub fn named(name: impl Into<Cow<'static, str>>) -> Error {
        Error { name: name.into(), cause: None, terminal: false }
    }

    /// `States.Runtime`: the execution fails, nothing can catch it.
    pub fn runtime(cause: impl Into<String>) -> Error {
        Error::new(names::RUNTIME, cause)
    }

    /// `States.Runtime` with AWS's prefix naming the state and the event id where it was entered.
    pub fn runtime_in_state(state: &str, entered_event_id: u64, detail: impl fmt::Display) -> Error {
        Error::runtime(format!(
            "An error occurred while executing the state '{state}' (entered at the event id #{entered_event_id}). {detail}"
        ))
    }

    /// The execution ran past its `TimeoutSeconds` (status TIMED_OUT, not FAILED).
    pub fn execution_timed_out() -> Error {
        Error { name: names::TIMEOUT.into(), cause: None, terminal: true }
    }

    /// Whether this is the execution-level timeout.
    pub fn is_execution_timeout(&self) -> bool {
        self.terminal && self.name == names::TIMEOUT
    }

    pub fn is(&self, name: &str) -> bool {
        self.name == name
    }

    /// Whether a Retry or Catch entry with this `ErrorEquals` list applies to the error.
    pub fn matches(&self, error_equals: &[&str]) -> bool {
        if !self.is_catchable() {
            return false;
        }
        error_equals.iter().any(|&e| match e {
            names::ALL => true,
            names::TASK_FAILED => self.name == names::TASK_FAILED || !self.name.starts_with("States."),
            // A heartbeat timeout is also a timeout (INVENTORY §7.1).
            names::TIMEOUT => self.name == names::TIMEOUT || self.name == names::HEARTBEAT_TIMEOUT,
            name => self.name == name,
        })
    }

    /// `States.Runtime` and boundary data-limit errors end the execution whatever the state says.
    pub fn is_catchable(&self) -> bool {
        !(self.terminal || self.name == names::RUNTIME)
    }

    /// The Error Output a catcher receives: `{"Error": ..., "Cause": ...}`.
    pub fn to_output(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        map.insert("Error".into(), self.name.as_ref().into());
        if let Some(cause) = &self.cause {
            map.insert("Cause".into(), cause.as_str().into());
        }
        serde_json::Value::Object(map)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cause {
            Some(cause) => write!(f, "{}: {cause}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_follows_aws() {
        let custom = Error::new("PaymentDeclined", "no funds");
        assert!(custom.matches(&["PaymentDeclined"]));
        assert!(custom.matches(&["States.TaskFailed"]));
        assert!(custom.matches(&["States.ALL"]));
        assert!(!custom.matches(&["Other"]));

        let timeout = Error::named(names::TIMEOUT);
        assert!(!timeout.matches(&["States.TaskFailed"]));
        assert!(timeout.matches(&["States.ALL"]));

        let heartbeat = Error::named(names::HEARTBEAT_TIMEOUT);
        assert!(heartbeat.matches(&["States.Timeout"]));
        assert!(heartbeat.matches(&["States.HeartbeatTimeout"]));

        let runtime = Error::runtime("bad path");
        assert!(!runtime.matches(&["States.ALL"]));
        assert!(!runtime.matches(&["States.Runtime"]), "AWS: not even an explicit catcher");
    }

    #[test]
    fn error_output_shape() {
        assert_eq!(Error::new("E", "c").to_output(), serde_json::json!({"Error": "E", "Cause": "c"}));
        assert_eq!(Error::named("E").to_output(), serde_json::json!({"Error": "E"}));
    }
}
