//! The conformance runner: every case recorded on real AWS (`shared/conformance`), compiled by
//! the code generator (see `build.rs`), run with its input and execution names, and compared with
//! what AWS returned.
//!
//! Lambda functions the cases call are emulated from the behaviours the cases record (identity,
//! raise `Exception`, return 257 KiB, sleep past a timeout, ...). Comparison follows the corpus
//! README: JSON compared structurally, AWS's placeholder tokens (`date`, `<uuid:1>`, ...) match
//! any value, the Lambda response envelope is compared on `Payload` and `StatusCode`.

#![allow(clippy::all, unused_imports, unused_variables, unused_mut, dead_code, non_snake_case)]

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use std::sync::Arc;

use asl_runtime::executor::Start;
use asl_runtime::history::{EventType, History, HistoryEvent};
use asl_runtime::{Error, Execution, ExecutionInfo, Registry, TaskContext, TaskError};
use serde_json::{Value, json};

/// A case's generated workflow, run with a task registry in a prepared execution.
pub type RunFn = fn(Registry, Arc<Execution>, Value) -> Pin<Box<dyn Future<Output = Result<Value, Error>> + Send>>;

/// One conformance case as the build compiled it.
pub struct Case {
    pub group: &'static str,
    pub name: &'static str,
    pub file: &'static str,
    pub run: Option<RunFn>,
    /// Why the case is not run (a feature the generator does not support yet, an AWS service).
    pub skip: Option<&'static str>,
}

mod generated {
    use super::Case;
    use asl_runtime::executor::Start;
    include!(concat!(env!("OUT_DIR"), "/cases.rs"));
}

pub use generated::CASES;

/// What happened to one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail(String),
    Skip(String),
}

/// How a case's history compared with the per-state events AWS recorded (`aws_trace`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceVerdict {
    /// The case has no recorded trace, or was not run.
    NotRecorded,
    Match,
    Mismatch(String),
}

/// Runs one case and compares it with AWS's recording: its outcome, and its history.
pub async fn run_case(case: &Case) -> (Verdict, TraceVerdict) {
    let Some(run) = case.run else {
        return (Verdict::Skip(case.skip.unwrap_or("").to_owned()), TraceVerdict::NotRecorded);
    };
    let recorded: Value = match std::fs::read_to_string(case.file).ok().and_then(|t| serde_json::from_str(&t).ok()) {
        Some(v) => v,
        None => return (Verdict::Fail(format!("cannot read {}", case.file)), TraceVerdict::NotRecorded),
    };
    let cx = &recorded["execution_context"];
    let text = |v: &Value, default: &str| v.as_str().unwrap_or(default).to_owned();
    let mut info = ExecutionInfo::in_account(
        &text(&cx["state_machine_name"], "sm"),
        &text(&cx["execution_name"], "execution"),
        &text(&cx["account"], "111111111111"),
        &text(&cx["region"], "us-east-1"),
    );
    info.role_arn = text(&cx["role_arn"], &info.role_arn).into();
    if recorded["state_machine_type"] == "EXPRESS" {
        // Express executions have no redrive, and synchronous ones an `express:` ARN.
        info.redrive_count = None;
        info.id = format!(
            "arn:aws:states:{}:{}:express:{}:{}:{}",
            text(&cx["region"], "us-east-1"),
            text(&cx["account"], "111111111111"),
            info.state_machine_name,
            info.name,
            "00000000-0000-0000-0000-000000000000"
        );
    }
    let registry = lambda_registry(&recorded);
    let history = History::new();
    let input = rebase_timestamps(&recorded, recorded["input"].clone());
    let ex = Arc::new(Execution::new(info, input.clone()).with_history(history.clone()));
    let outcome = run(registry, ex, input).await;
    let trace = match recorded["aws_trace"].as_array() {
        Some(trace) if !trace.is_empty() => match compare_trace(&recorded, trace, &history.events()) {
            Ok(()) => TraceVerdict::Match,
            Err(why) => TraceVerdict::Mismatch(why),
        },
        _ => TraceVerdict::NotRecorded,
    };
    (compare(&recorded, outcome), trace)
}

/// Cases whose input holds a time relative to when the corpus was made
/// (`snapshot_caveats.time_dependent_input`): "'now' at test time" or "now + N days", with N the
/// test's parameter (`...boundary[24856]`). The README asks to regenerate them: every timestamp in
/// the input becomes now (+ N days).
fn rebase_timestamps(case: &Value, input: Value) -> Value {
    let caveat = case["snapshot_caveats"]["time_dependent_input"].as_str().unwrap_or("");
    if caveat.is_empty() {
        return input;
    }
    let days: i64 = if caveat.contains("now + N days") {
        let test_id = case["source_detail"]["test_id"].as_str().unwrap_or("");
        let parameter = test_id.rsplit_once('[').and_then(|(_, p)| p.strip_suffix(']'));
        match parameter.and_then(|p| p.parse().ok()) {
            Some(days) => days,
            None => return input,
        }
    } else {
        0
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs() as i64;
    let target = now + days * 86_400;
    fn walk(v: Value, target: i64) -> Value {
        match v {
            Value::String(s) if asl_runtime::timestamp::parse(&s).is_some() => {
                Value::String(asl_runtime::execution::format_iso8601(target, 0))
            }
            Value::Array(items) => Value::Array(items.into_iter().map(|i| walk(i, target)).collect()),
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, walk(v, target))).collect()),
            other => other,
        }
    }
    walk(input, target)
}

/// Compares a history with AWS's recorded per-state events. The recording leaves out the
/// execution-level events, gives events of concurrent branches id 0 (their order is not
/// deterministic) and drops some of the events around them; so: every recorded event with an id
/// must be ours with that id, type and state name; the id-0 events must be among ours (as a
/// multiset of type and name); and our last per-state event must be the recording's last.
///
/// The details of the events with ids are compared too: a state's input when entered, its output
/// and assigned variables when exited (structurally, with the case's placeholders).
pub fn compare_trace(case: &Value, trace: &[Value], events: &[HistoryEvent]) -> Result<(), String> {
    let placeholders = Placeholders::of(case);
    let ours: Vec<&HistoryEvent> = events
        .iter()
        .filter(|e| {
            !matches!(
                e.event_type,
                EventType::ExecutionStarted
                    | EventType::ExecutionSucceeded
                    | EventType::ExecutionFailed
                    | EventType::ExecutionAborted
                    | EventType::ExecutionTimedOut
            )
        })
        .collect();
    let describe = |e: &HistoryEvent| match &e.details.name {
        Some(n) => format!("{} {}({n})", e.id, e.event_type),
        None => format!("{} {}", e.id, e.event_type),
    };
    let listing = || ours.iter().map(|e| describe(e)).collect::<Vec<_>>().join(", ");
    let mut matched = vec![false; ours.len()];
    let mut unordered = Vec::new();
    for t in trace {
        let id = t["id"].as_u64().unwrap_or(0);
        let ty = t["type"].as_str().unwrap_or("");
        let name = t["name"].as_str();
        if id == 0 {
            unordered.push((ty, name));
            continue;
        }
        let Some(i) = ours.iter().position(|e| e.id == id) else {
            return Err(format!("AWS has event {id} {ty}; ours end before it: {}", listing()));
        };
        let e = ours[i];
        if e.event_type.as_str() != ty || (name.is_some() && e.details.name.as_deref() != name) {
            return Err(format!(
                "event {id}: AWS has {ty}({}), ours is {}; ours: {}",
                name.unwrap_or(""),
                describe(e),
                listing()
            ));
        }
        let state_event = ty.ends_with("StateEntered") || ty.ends_with("StateExited");
        let details = [("input", &e.details.input), ("output", &e.details.output)];
        for (field, ours) in details.into_iter().filter(|_| state_event) {
            let Some(want) = t.get(field) else { continue };
            let got = ours.clone().unwrap_or(Value::Null);
            let mut path = String::from("$");
            if let Err(at) = matches(want, &got, &placeholders, &mut path) {
                return Err(format!(
                    "event {id} {ty}: {field} differs at {at}: AWS {}, ours {}",
                    short(want),
                    short(&got)
                ));
            }
        }
        if let Some(want) = t.get("assignedVariables") {
            let got = e.details.assigned_variables.clone().map(Value::Object).unwrap_or(json!({}));
            let mut path = String::from("$");
            if let Err(at) = matches(want, &got, &placeholders, &mut path) {
                return Err(format!(
                    "event {id} {ty}: assigned variables differ at {at}: AWS {}, ours {}",
                    short(want),
                    short(&got)
                ));
            }
        }
        matched[i] = true;
    }
    for (ty, name) in unordered {
        let found = ours.iter().enumerate().position(|(i, e)| {
            !matched[i] && e.event_type.as_str() == ty && (name.is_none() || e.details.name.as_deref() == name)
        });
        match found {
            Some(i) => matched[i] = true,
            None => {
                return Err(format!(
                    "AWS has a concurrent {ty}({}) that ours lack; ours: {}",
                    name.unwrap_or(""),
                    listing()
                ));
            }
        }
    }
    let last_recorded = trace.iter().filter_map(|t| t["id"].as_u64()).max().unwrap_or(0);
    let last_ours = ours.last().map_or(0, |e| e.id);
    if last_recorded != 0 && trace.last().and_then(|t| t["id"].as_u64()) != Some(0) && last_ours != last_recorded {
        return Err(format!("AWS's last per-state event is {last_recorded}, ours is {last_ours}: {}", listing()));
    }
    Ok(())
}

/// Handlers for every Lambda function the case uses, by ARN and for `lambda:invoke`.
fn lambda_registry(case: &Value) -> Registry {
    let mut registry = Registry::new();
    let needs = case["needs"].as_array().cloned().unwrap_or_default();
    let functions: Vec<(String, String)> = needs
        .iter()
        .filter_map(|n| Some((n["arn"].as_str()?.to_owned(), n["behaviour"].as_str().unwrap_or("").to_owned())))
        .collect();
    for (arn, behaviour) in &functions {
        let behaviour = behaviour.clone();
        registry.insert(arn.clone(), move |input, _cx| {
            let behaviour = behaviour.clone();
            async move { emulate(&behaviour, input, false).await }
        });
    }
    let by_name = functions.clone();
    let region = case["execution_context"]["region"].as_str().unwrap_or("us-east-1").to_owned();
    let account = case["execution_context"]["account"].as_str().unwrap_or("111111111111").to_owned();
    registry.insert("arn:aws:states:::lambda:invoke", move |params: Value, _cx: TaskContext| {
        let by_name = by_name.clone();
        let (region, account) = (region.clone(), account.clone());
        async move {
            let name = params["FunctionName"].as_str().unwrap_or("").to_owned();
            let behaviour = by_name
                .iter()
                .find(|(arn, _)| *arn == name || arn.rsplit(':').next() == Some(name.as_str()) || arn.contains(&format!(":{name}:")))
                .map(|(_, b)| b.clone())
                .ok_or_else(|| {
                    let arn = if name.starts_with("arn:") { name.clone() } else { format!("arn:aws:lambda:{region}:{account}:function:{name}") };
                    TaskError::new(
                        "Lambda.ResourceNotFoundException",
                        format!("Function not found: {arn}:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: 00000000-0000-0000-0000-000000000000; Proxy: null)"),
                    )
                })?;
            // A string Payload is sent as the request body itself.
            let payload = match &params["Payload"] {
                Value::String(s) => serde_json::from_str(s).unwrap_or(Value::String(s.clone())),
                // No payload (or null) reaches the function as an empty event.
                Value::Null => json!({}),
                other => other.clone(),
            };
            emulate(&behaviour, payload, true).await
        }
    });
    registry
}

/// Runs one recorded Lambda behaviour. `compact` selects the cause JSON style: the optimized
/// integration reports it without spaces, the legacy ARN form with Python's default spacing.
async fn emulate(behaviour: &str, event: Value, compact: bool) -> Result<Value, TaskError> {
    let cause = |message: &str, error_type: &str, line: u32, raise: &str| {
        let v = json!({
            "errorMessage": message,
            "errorType": error_type,
            "requestId": "00000000-0000-0000-0000-000000000000",
            "stackTrace": [format!("  File \"/var/task/handler.py\", line {line}, in handler\n    {raise}\n")],
        });
        if compact { v.to_string() } else { python_json(&v) }
    };
    if behaviour.starts_with("identity") {
        Ok(event)
    } else if behaviour.starts_with("raises Exception") {
        Err(TaskError::new(
            "Exception",
            cause("Some exception was raised.", "Exception", 2, "raise Exception(\"Some exception was raised.\")"),
        ))
    } else if behaviour.starts_with("raises CustomException") {
        Err(TaskError::new("CustomException", cause("", "CustomException", 9, "raise CustomException()")))
    } else if behaviour.starts_with("returns 257 KiB") {
        Ok(Value::String("a".repeat(257 * 1024)))
    } else if behaviour.contains("returning bytes") {
        Ok(json!("HelloWorld!"))
    } else if behaviour.starts_with("returns the constant") {
        Ok(json!({"Return": "HelloWorld"}))
    } else if behaviour.starts_with("sleeps 60 s") {
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok(event)
    } else {
        Err(TaskError::new("Emulator.UnknownBehaviour", behaviour.to_owned()))
    }
}

/// JSON text with Python's default `json.dumps` spacing (`", "` and `": "`).
fn python_json(v: &Value) -> String {
    match v {
        Value::Array(items) => format!("[{}]", items.iter().map(python_json).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), python_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// Compares an outcome with the recorded expectation.
pub fn compare(case: &Value, outcome: Result<Value, Error>) -> Verdict {
    let expected = &case["expected"];
    let placeholders = Placeholders::of(case);
    let status = expected["status"].as_str().unwrap_or("");
    match (status, outcome) {
        ("SUCCEEDED", Ok(output)) => {
            let mut path = String::from("$");
            match matches(&expected["output"], &output, &placeholders, &mut path) {
                Ok(()) => Verdict::Pass,
                Err(why) => Verdict::Fail(format!(
                    "output differs at {why}\n    expected {}\n    actual   {}",
                    short(&expected["output"]),
                    short(&output)
                )),
            }
        }
        ("FAILED", Err(error)) if error.is_execution_timeout() => {
            Verdict::Fail("expected FAILED, got TIMED_OUT".into())
        }
        ("FAILED", Err(error)) => {
            let want = expected["error"].as_str().unwrap_or("");
            if !expected["error"].is_null() && error.name != want {
                return Verdict::Fail(format!("error {} (cause {:?}), expected {want}", error.name, error.cause));
            }
            let lambda = case["tier"] == "lambda";
            if let Some(want_cause) = expected["cause"].as_str() {
                let compare_cause = !(lambda && want_cause.contains("stackTrace"));
                let got = error.cause.clone().unwrap_or_default();
                if compare_cause && !placeholders.string_matches(want_cause, &got) {
                    return Verdict::Fail(format!("cause differs\n    expected {want_cause}\n    actual   {got}"));
                }
            }
            Verdict::Pass
        }
        ("TIMED_OUT", Err(error)) if error.is_execution_timeout() => Verdict::Pass,
        (status, Ok(output)) => Verdict::Fail(format!("expected {status}, succeeded with {}", short(&output))),
        (status, Err(error)) => Verdict::Fail(format!("expected {status}, failed with {error}")),
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 300 { format!("{}…", &s[..s.char_indices().nth(300).map_or(s.len(), |(i, _)| i)]) } else { s }
}

/// AWS's placeholder tokens for one case: mapped tokens are replaced by the case's own values;
/// the others match any value of their kind.
struct Placeholders {
    map: Vec<(String, String)>,
}

/// Tokens that stand for a value that differs on every run.
/// (`snf_role_arn` and `lambda_function_name` are the labels LocalStack's snapshots put in place of
/// the role ARN and the function name in the recorded histories.)
const WILDCARDS: &[&str] = &[
    "date",
    "timestamp",
    "snf_role_arn",
    "lambda_function_name",
    "start-time",
    "entered-time",
    "RequestId",
    "X-Amzn-Trace-Id",
    "x-amzn-RequestId",
    "RandomNumberGenerated",
    "LogResult",
];

impl Placeholders {
    fn of(case: &Value) -> Placeholders {
        let mut map: Vec<(String, String)> = case["placeholder_map"]
            .as_object()
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect())
            .unwrap_or_default();
        map.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        Placeholders { map }
    }

    fn is_wildcard(token: &str) -> bool {
        WILDCARDS.contains(&token) || (token.starts_with('<') && token.ends_with('>'))
    }

    /// Whether `actual` matches the expected string, with tokens inside it.
    fn string_matches(&self, expected: &str, actual: &str) -> bool {
        if expected == actual || Self::is_wildcard(expected) {
            return true;
        }
        let mut e = expected.to_owned();
        for (token, value) in &self.map {
            e = e.replace(token.as_str(), value);
        }
        if e == actual {
            return true;
        }
        // Remaining `<...>` tokens match any text.
        let mut pieces: Vec<&str> = Vec::new();
        let mut rest = e.as_str();
        while let Some(start) = rest.find('<') {
            match rest[start..].find('>') {
                Some(end) => {
                    pieces.push(&rest[..start]);
                    rest = &rest[start + end + 1..];
                }
                None => break,
            }
        }
        pieces.push(rest);
        if pieces.len() == 1 {
            return false;
        }
        let mut remaining = actual;
        for (i, piece) in pieces.iter().enumerate() {
            if i == 0 {
                match remaining.strip_prefix(piece) {
                    Some(r) => remaining = r,
                    None => return false,
                }
            } else if i + 1 == pieces.len() {
                return remaining.ends_with(piece);
            } else {
                match remaining.find(piece) {
                    Some(at) => remaining = &remaining[at + piece.len()..],
                    None => return false,
                }
            }
        }
        true
    }
}

/// Structural comparison; `Err` names the first difference.
fn matches(expected: &Value, actual: &Value, p: &Placeholders, path: &mut String) -> Result<(), String> {
    match (expected, actual) {
        (Value::String(e), _) if Placeholders::is_wildcard(e) => Ok(()),
        (Value::String(e), Value::String(a)) => {
            if p.string_matches(e, a) {
                Ok(())
            } else {
                Err(path.clone())
            }
        }
        (Value::Number(e), Value::Number(a)) => {
            if e == a || e.as_f64() == a.as_f64() {
                Ok(())
            } else {
                Err(path.clone())
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            // The Lambda response envelope: only Payload and StatusCode are the function's.
            let envelope =
                e.contains_key("SdkHttpMetadata") && e.contains_key("Payload") && e.contains_key("StatusCode");
            if !envelope && e.len() != a.len() {
                let missing: Vec<&String> = e.keys().filter(|k| !a.contains_key(*k)).collect();
                let extra: Vec<&String> = a.keys().filter(|k| !e.contains_key(*k)).collect();
                return Err(format!("{path} (missing {missing:?}, unexpected {extra:?})"));
            }
            for (k, ev) in e {
                if envelope && !matches!(k.as_str(), "Payload" | "StatusCode") && !is_user_key(k) {
                    continue;
                }
                let Some(av) = a.get(k) else { return Err(format!("{path}.{k} (missing)")) };
                let len = path.len();
                path.push('.');
                path.push_str(k);
                matches(ev, av, p, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{path} (length {} vs {})", e.len(), a.len()));
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                matches(ev, av, p, path)?;
                path.truncate(len);
            }
            Ok(())
        }
        (e, a) if e == a => Ok(()),
        _ => Err(path.clone()),
    }
}

/// Keys a workflow may add next to the Lambda envelope (e.g. `ResultPath: "$.final"` into it).
fn is_user_key(k: &str) -> bool {
    !matches!(k, "ExecutedVersion" | "SdkHttpMetadata" | "SdkResponseMetadata" | "LogResult")
}

/// Runs every case on a paused tokio clock (waits and timeouts take no real time), returning the
/// verdicts in case order.
pub fn run_all() -> Vec<(&'static Case, Verdict, TraceVerdict)> {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build() {
        Ok(rt) => rt,
        Err(e) => panic!("cannot start tokio: {e}"),
    };
    CASES
        .iter()
        .map(|case| {
            let (verdict, trace) = runtime.block_on(async {
                match tokio::time::timeout(Duration::from_secs(400 * 86_400), run_case(case)).await {
                    Ok(v) => v,
                    Err(_) => {
                        (Verdict::Fail("did not finish within 400 (virtual) days".into()), TraceVerdict::NotRecorded)
                    }
                }
            });
            (case, verdict, trace)
        })
        .collect()
}

/// The summary line.
pub fn summary(results: &[(&Case, Verdict, TraceVerdict)]) -> String {
    let count = |f: fn(&Verdict) -> bool| results.iter().filter(|(_, v, _)| f(v)).count();
    let traces = |f: fn(&TraceVerdict) -> bool| results.iter().filter(|(_, _, t)| f(t)).count();
    format!(
        "conformance: {} passed, {} failed, {} skipped; history: {} of {} recorded traces match",
        count(|v| *v == Verdict::Pass),
        count(|v| matches!(v, Verdict::Fail(_))),
        count(|v| matches!(v, Verdict::Skip(_))),
        traces(|t| *t == TraceVerdict::Match),
        traces(|t| *t != TraceVerdict::NotRecorded),
    )
}
