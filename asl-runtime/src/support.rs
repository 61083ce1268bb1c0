//! Helpers that generated code calls: each step of the data flow with AWS's error wording, so the
//! generated state functions stay short and read like the ASL they come from.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::error::{Error, names};
use crate::execution::Visit;
use crate::path::{self, Step};

/// The payload limit of a state's input, output or task result (256 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// `InputPath` / `OutputPath` / `ItemsPath` with a definite path, reading a borrowed value.
pub fn select(value: &Value, steps: &[Step], text: &str, visit: &Visit) -> Result<Value, Error> {
    path::get(value, steps).cloned().map_err(|miss| visit.runtime_error(format!("Invalid path '{text}' : {miss}")))
}

/// Like [`select`], but moves the selected value out of an input nobody reads afterwards.
pub fn select_owned(mut value: Value, steps: &[Step], text: &str, visit: &Visit) -> Result<Value, Error> {
    path::take(&mut value, steps).map_err(|miss| visit.runtime_error(format!("Invalid path '{text}' : {miss}")))
}

/// A `.$` field of a payload template (or a Fail `ErrorPath`/`CausePath`): a miss is
/// `States.Runtime` quoting the path, the field and the input (AWS-recorded wording).
pub fn field(value: &Value, steps: &[Step], text: &str, field: &str, visit: &Visit) -> Result<Value, Error> {
    path::get(value, steps).cloned().map_err(|_| missing_in_field(value, text, field, visit))
}

/// The error for a path that found nothing in a `.$` field.
pub fn missing_in_field(value: &Value, text: &str, field: &str, visit: &Visit) -> Error {
    visit.runtime_error(format!(
        "The JSONPath '{text}' specified for the field '{field}' could not be found in the input '{}'",
        compact(value)
    ))
}

/// Evaluates a path with the query engine (indefinite paths: wildcards, filters, slices, unions);
/// `field` names the `.$` field for the error message of a payload template.
pub fn query(
    value: &Value,
    context: Option<&Value>,
    path: &crate::jsonpath::Path,
    text: &str,
    field: Option<&str>,
    visit: &Visit,
) -> Result<Value, Error> {
    let mut env = crate::jsonpath::Env::new(value);
    if let Some(context) = context {
        env = env.with_context(context);
    }
    path.query_value(&env).map_err(|miss| match field {
        Some(field) => missing_in_field(value, text, field, visit),
        None => visit.runtime_error(format!("Invalid path '{text}' : {miss}")),
    })
}

/// `ResultPath`: puts `result` into the raw input at a reference path.
pub fn merge_result(mut raw: Value, steps: &[Step], text: &str, result: Value, visit: &Visit) -> Result<Value, Error> {
    match path::set(&mut raw, steps, result) {
        Ok(()) => Ok(raw),
        Err(_) => Err(visit.error(
            names::RESULT_PATH_MATCH_FAILURE,
            format!("Unable to apply ResultPath '{text}' to the input '{}'", compact(&raw)),
        )),
    }
}

/// A Choice rule's `Variable`: any operator but `IsPresent` fails the execution on a miss.
pub fn choice_variable<'v>(value: &'v Value, steps: &[Step], text: &str, visit: &Visit) -> Result<&'v Value, Error> {
    path::get(value, steps).map_err(|_| {
        visit.runtime_error(format!(
            "Invalid path '{text}': The choice state's condition path references an invalid value."
        ))
    })
}

/// `IsPresent`.
pub fn is_present(value: &Value, steps: &[Step]) -> bool {
    path::get(value, steps).is_ok()
}

/// `SecondsPath`: a non-negative integer, with AWS's three error messages.
pub fn seconds_path(value: &Value, steps: &[Step], text: &str, visit: &Visit) -> Result<u64, Error> {
    let v = path::get(value, steps).map_err(|_| {
        visit.runtime_error(format!("The SecondsPath parameter does not reference an input value: {text}"))
    })?;
    match v.as_i64().or_else(|| v.as_u64().map(|u| u as i64)) {
        Some(n) if n < 0 => {
            Err(visit.runtime_error(format!("The SecondsPath parameter references a negative value: {text} == {n}")))
        }
        Some(n) => Ok(n as u64),
        None => Err(visit.runtime_error(format!(
            "The SecondsPath parameter cannot be parsed as a long value: {text} == {}",
            plain(v)
        ))),
    }
}

/// `TimestampPath`: a timestamp string.
pub fn timestamp_path(value: &Value, steps: &[Step], text: &str, visit: &Visit) -> Result<(i64, u32), Error> {
    let v = path::get(value, steps).map_err(|_| {
        visit.runtime_error(format!("The TimestampPath parameter does not reference an input value: {text}"))
    })?;
    v.as_str().and_then(crate::timestamp::parse).ok_or_else(|| {
        visit.runtime_error(format!(
            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {text} == {}",
            plain(v)
        ))
    })
}

/// A positive integer read through a `...Path` field (`TimeoutSecondsPath`, `HeartbeatSecondsPath`).
pub fn positive_integer_path(
    value: &Value,
    steps: &[Step],
    text: &str,
    field: &str,
    visit: &Visit,
) -> Result<u64, Error> {
    let v = path::get(value, steps).map_err(|miss| visit.runtime_error(format!("Invalid path '{text}' : {miss}")))?;
    match v.as_u64() {
        Some(n) if n > 0 => Ok(n),
        _ => Err(visit.runtime_error(format!(
            "The {field} field refers to value \"{}\" which is not a valid integer: {text}",
            plain(v)
        ))),
    }
}

/// An integer of at least `min` read through a `...Path` field (`MaxConcurrencyPath`,
/// `ToleratedFailureCountPath`), with AWS's message for anything else.
pub fn integer_path(
    value: &Value,
    steps: &[Step],
    text: &str,
    field: &str,
    min: u64,
    visit: &Visit,
) -> Result<u64, Error> {
    let v = path::get(value, steps).map_err(|miss| visit.runtime_error(format!("Invalid path '{text}' : {miss}")))?;
    match as_integer(v).and_then(|n| u64::try_from(n).ok()) {
        Some(n) if n >= min => Ok(n),
        _ => Err(visit.runtime_error(format!(
            "The {field} field refers to value \"{}\" which is not a valid integer: {text}",
            plain(v)
        ))),
    }
}

/// An integer from a JSON number or a numeric string (AWS parses `"1"` as 1 in `...Path` fields).
fn as_integer(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse::<i64>().ok()))
}

/// The longest Wait AWS accepts: 2^31 - 1 seconds (a timestamp 24,855 days ahead is fine, 24,856 is not).
const MAX_WAIT_SECONDS: u64 = i32::MAX as u64;

/// Waits a number of seconds (tokio time, so tests can pause the clock).
pub async fn wait_seconds(seconds: u64, visit: &Visit) -> Result<(), Error> {
    if seconds > MAX_WAIT_SECONDS {
        return Err(visit.runtime_error("Wait state delay is too long."));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    Ok(())
}

/// Waits until a timestamp (seconds and nanoseconds since the epoch); a past one does not wait.
pub async fn wait_until(at: (i64, u32), visit: &Visit) -> Result<(), Error> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let target = Duration::new(at.0.max(0) as u64, at.1);
    let delay = target.saturating_sub(now);
    if delay.as_secs() > MAX_WAIT_SECONDS {
        return Err(visit.runtime_error("Wait state delay is too long."));
    }
    tokio::time::sleep(delay).await;
    Ok(())
}

/// A Fail state's `ErrorPath`/`CausePath` value: strings as they are, anything else as JSON.
pub fn fail_string(value: &Value, steps: &[Step], text: &str, field: &str, visit: &Visit) -> Result<String, Error> {
    path::get(value, steps).map(plain).map_err(|_| missing_in_field(value, text, field, visit))
}

/// The items of an Inline Map: the selected value must be an array (AWS-recorded: an object, a
/// string, `true` or `null` all fail with `Map state input must be an array but was: ...`). The
/// error is `States.Runtime` in JSONPath states and `States.QueryEvaluationError` in JSONata ones.
pub fn map_items(value: Value, visit: &Visit) -> Result<Vec<(usize, Value)>, Error> {
    items_or(value, visit, names::RUNTIME)
}

/// [`map_items`] for a JSONata Map.
pub fn map_items_jsonata(value: Value, visit: &Visit) -> Result<Vec<(usize, Value)>, Error> {
    items_or(value, visit, names::QUERY_EVALUATION_ERROR)
}

fn items_or(value: Value, visit: &Visit, error: &'static str) -> Result<Vec<(usize, Value)>, Error> {
    match value {
        Value::Array(items) => Ok(items.into_iter().enumerate().collect()),
        other => Err(visit.error(error, format!("Map state input must be an array but was: {}", compact(&other)))),
    }
}

/// Refuses a state output over 256 KiB: `States.DataLimitExceeded` at the state boundary, which
/// no Retry or Catch can handle (AWS-recorded).
pub fn check_size(value: &Value, state: &str) -> Result<(), Error> {
    check_result_size(value, state).map_err(|mut e| {
        e.terminal = true;
        e
    })
}

/// Refuses a task result over 256 KiB: `States.DataLimitExceeded` as a task failure, which the
/// state's Retry and Catch see (AWS-recorded: a `States.ALL` catcher receives it). `who` is how AWS
/// names the task: the service for optimized integrations (`lambda`), else the resource.
pub fn check_result_size(value: &Value, who: &str) -> Result<(), Error> {
    if size_exceeds(value, MAX_PAYLOAD_BYTES) {
        return Err(Error::new(
            names::DATA_LIMIT_EXCEEDED,
            format!(
                "The state/task '{who}' returned a result with a size exceeding the maximum number of bytes service limit."
            ),
        ));
    }
    Ok(())
}

/// `ToleratedFailureCountPath`: a non-negative integer.
pub fn tolerated_failure_count_path(value: &Value, steps: &[Step], text: &str, visit: &Visit) -> Result<u64, Error> {
    let v = path::get(value, steps).map_err(|miss| visit.runtime_error(format!("Invalid path '{text}' : {miss}")))?;
    match as_integer(v) {
        Some(n) if n < 0 => Err(visit.runtime_error("ToleratedFailureCount cannot be negative.")),
        Some(n) => Ok(n as u64),
        None => Err(visit.runtime_error(format!(
            "The ToleratedFailureCountPath field refers to value \"{}\" which is not a valid integer: {text}",
            plain(v)
        ))),
    }
}

/// `ToleratedFailurePercentagePath`: a number from 0 to 100.
pub fn tolerated_failure_percentage_path(
    value: &Value,
    steps: &[Step],
    text: &str,
    visit: &Visit,
) -> Result<f64, Error> {
    let v = path::get(value, steps).map_err(|miss| visit.runtime_error(format!("Invalid path '{text}' : {miss}")))?;
    let number = v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse::<f64>().ok()).filter(|f| f.is_finite()));
    match number {
        Some(p) if !(0.0..=100.0).contains(&p) => {
            Err(visit.runtime_error("ToleratedFailurePercentage must be between 0 and 100."))
        }
        Some(p) => Ok(p),
        None => Err(visit.runtime_error(format!(
            "The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid float: {text}",
            plain(v)
        ))),
    }
}

/// True when the compact JSON text of `value` is longer than `limit` bytes, without building it.
fn size_exceeds(value: &Value, limit: usize) -> bool {
    json_len(value, limit) > limit
}

/// The length of `value`'s compact JSON text (as serde_json writes it), counted by walking the
/// value; counting stops soon after `limit` is passed (the result is then some number > limit).
pub fn json_len(value: &Value, limit: usize) -> usize {
    fn string_len(s: &str) -> usize {
        2 + s
            .bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
                0..=0x1f => 6,
                _ => 1,
            })
            .sum::<usize>()
    }
    fn number_len(n: &serde_json::Number) -> usize {
        fn digits(mut n: u64) -> usize {
            let mut d = 1;
            while n >= 10 {
                n /= 10;
                d += 1;
            }
            d
        }
        if let Some(u) = n.as_u64() {
            return digits(u);
        }
        if let Some(i) = n.as_i64() {
            return 1 + digits(i.unsigned_abs());
        }
        struct Count(usize);
        impl std::fmt::Write for Count {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0 += s.len();
                Ok(())
            }
        }
        let mut count = Count(0);
        let _ = std::fmt::write(&mut count, format_args!("{n}"));
        count.0
    }
    fn walk(value: &Value, total: &mut usize, limit: usize) {
        if *total > limit {
            return;
        }
        *total += match value {
            Value::Null => 4,
            Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(n) => number_len(n),
            Value::String(s) => string_len(s),
            Value::Array(items) => {
                *total += 2 + items.len().saturating_sub(1);
                for item in items {
                    walk(item, total, limit);
                }
                0
            }
            Value::Object(map) => {
                *total += 2 + map.len().saturating_sub(1);
                for (key, item) in map {
                    *total += string_len(key) + 1;
                    walk(item, total, limit);
                }
                0
            }
        };
    }
    let mut total = 0;
    walk(value, &mut total, limit);
    total
}

/// Compact JSON text, as AWS quotes inputs in error causes.
pub fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A value as AWS prints it in messages: strings without quotes, the rest as JSON.
pub fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => compact(other),
    }
}

/// The Error Output of a Fail state (no `Error`/`Cause` when the state gives none).
pub fn fail(error: Option<String>, cause: Option<String>) -> Error {
    Error { name: error.unwrap_or_default().into(), cause, terminal: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_len_counts_what_serde_json_writes() {
        for v in [
            json!(null),
            json!([]),
            json!({}),
            json!([1, -2.5, 1e300, true, false, null]),
            json!({"a": {"b": [1, "two", {"c": "\"quoted\" \\ \n\t\u{1} é 😀"}]}, "": ""}),
            json!(u64::MAX),
            json!(0.1),
        ] {
            assert_eq!(json_len(&v, usize::MAX), serde_json::to_string(&v).unwrap().len(), "{v}");
        }
        assert!(json_len(&Value::Array(vec![json!("x"); 1000]), 10) > 10);
    }
    use crate::execution::{Execution, ExecutionInfo};
    use serde_json::json;

    fn visit() -> Visit {
        Execution::new(ExecutionInfo::new("sm", "e"), json!({})).enter("S", crate::history::StateType::Pass, &json!({}))
    }

    #[test]
    fn aws_wording_for_path_misses() {
        let v = visit();
        let input = json!({"a": 1});
        let e = select(&input, &[Step::Field("NoSuchInputPath")], "$.NoSuchInputPath", &v).unwrap_err();
        assert_eq!(
            e.cause.as_deref(),
            Some(
                "An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
            )
        );
        let e = field(&input, &[Step::Field("no_such_jsonpath")], "$.no_such_jsonpath", "value.$", &v).unwrap_err();
        assert!(e.cause.unwrap().ends_with("The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{\"a\":1}'"));
    }

    #[test]
    fn seconds_path_errors() {
        let v = visit();
        let at = [Step::Field("s")];
        assert_eq!(seconds_path(&json!({"s": 3}), &at, "$.s", &v), Ok(3));
        assert!(
            seconds_path(&json!({"s": -1}), &at, "$.s", &v)
                .unwrap_err()
                .cause
                .unwrap()
                .ends_with("references a negative value: $.s == -1")
        );
        assert!(
            seconds_path(&json!({"s": 1.5}), &at, "$.s", &v)
                .unwrap_err()
                .cause
                .unwrap()
                .ends_with("cannot be parsed as a long value: $.s == 1.5")
        );
        assert!(
            seconds_path(&json!({}), &at, "$.s", &v)
                .unwrap_err()
                .cause
                .unwrap()
                .ends_with("does not reference an input value: $.s")
        );
    }

    #[test]
    fn size_limit() {
        assert!(check_size(&json!("small"), "S").is_ok());
        let big = Value::String("a".repeat(MAX_PAYLOAD_BYTES + 1));
        let e = check_size(&big, "S").unwrap_err();
        assert_eq!(e.name, "States.DataLimitExceeded");
        assert!(!e.is_catchable());
    }
}
