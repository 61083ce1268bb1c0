//! Executions as Step Functions users know them: named starts, history, stop, timeouts,
//! heartbeats, redrive, start-at-state, pause/resume, nested `.sync` workflows and tracing.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asl::runtime::executor::{ExecutionStatus, Executor, Start, start_execution};
use asl::runtime::history::EventType::{self, *};
use asl::runtime::{TaskContext, TaskError};
use serde_json::{Value, json};
use tokio::sync::Notify;

asl::include_workflow!("tests/asl/executions/steps.asl.json");
asl::include_workflow!("tests/asl/executions/deadline.asl.json");
asl::include_workflow!("tests/asl/executions/heartbeat.asl.json");
asl::include_workflow!("tests/asl/executions/child.asl.json");
asl::include_workflow!("tests/asl/executions/parent.asl.json");
asl::include_workflow!("tests/asl/executions/delegate.asl.json");
asl::include_workflow!("tests/asl/executions/reporter.asl.json");
asl::include_workflow!("tests/asl/executions/retried_callback.asl.json");

/// The `work` task of `steps`: counts its calls, can fail its first call, can wait for a go.
#[derive(Default)]
struct Work {
    calls: AtomicUsize,
    fail_first: bool,
    /// When set, each call waits for a notification (or for cancellation).
    gate: Option<Arc<Notify>>,
    cancelled: Arc<AtomicBool>,
}

impl steps::Tasks for Arc<Work> {
    async fn work(&self, _input: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let call = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        tracing::info!(call, "working");
        if let Some(gate) = &self.gate {
            // Work the handler hands off watches the execution's cancellation token.
            if let Some(token) = cx.cancellation().cloned() {
                let cancelled = self.cancelled.clone();
                tokio::spawn(async move {
                    token.cancelled().await;
                    cancelled.store(true, Ordering::SeqCst);
                });
            }
            gate.notified().await;
        }
        if self.fail_first && call == 1 {
            return Err(TaskError::new("Flaky", "the first call always fails"));
        }
        Ok(json!({ "call": call, "execution": cx.execution_name() }))
    }
}

fn types(events: &[asl::runtime::history::HistoryEvent]) -> Vec<EventType> {
    events.iter().map(|e| e.event_type).collect()
}

#[tokio::test]
async fn a_named_execution_runs_once_and_records_its_history_in_aws_order() {
    let work = Arc::new(Work::default());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let executor = Executor::new(steps::Workflow::new(work.clone()))
        .on_event(move |name, e| sink.lock().unwrap().push((name.to_owned(), e.id)));
    let first = executor.start_named("order-7", Start::input(json!({ "order": 7 }))).unwrap();
    // The same name and input: the same execution (StartExecution is idempotent so); another
    // input under a taken name: ExecutionAlreadyExists.
    let second = executor.start_named("order-7", Start::input(json!({ "order": 7 }))).unwrap();
    assert_eq!(first.arn(), second.arn());
    let other = executor.start_named("order-7", Start::input(json!({ "order": 8 }))).unwrap_err();
    assert_eq!(other.error, "ExecutionAlreadyExists");
    let output = first.result().await.unwrap();
    assert_eq!(output, json!({ "work": { "call": 1, "execution": "order-7" }, "prepared": true, "redrives": 0 }));
    assert_eq!(work.calls.load(Ordering::SeqCst), 1, "the second start returned the first execution");
    assert_eq!(first.arn(), "arn:aws:states:local:000000000000:execution:steps:order-7");

    let history = first.events();
    assert_eq!(
        types(&history),
        [
            ExecutionStarted,
            PassStateEntered,
            PassStateExited,
            TaskStateEntered,
            TaskScheduled,
            TaskStarted,
            TaskSucceeded,
            TaskStateExited,
            PassStateEntered,
            PassStateExited,
            ExecutionSucceeded,
        ]
    );
    assert_eq!(history.iter().map(|e| e.id).collect::<Vec<_>>(), (1..=11).collect::<Vec<u64>>());
    assert_eq!(history[1].previous_event_id, 0, "AWS: the first state's previous event is 0");
    assert_eq!(history[2].details.assigned_variables.as_ref().unwrap()["prepared"], json!(true));
    assert_eq!(history[6].details.output, Some(json!({ "call": 1, "execution": "order-7" })));
    // Observers saw every event as it happened, with the execution's name.
    assert_eq!(*seen.lock().unwrap(), (1..=11).map(|id| ("order-7".to_owned(), id)).collect::<Vec<_>>());

    // GetExecutionHistory's JSON shape: details under a per-type key, payloads as JSON text.
    let json = first.history().unwrap().to_json();
    let entered = &json["events"][1];
    assert_eq!(entered["type"], "PassStateEntered");
    assert_eq!(entered["stateEnteredEventDetails"]["name"], "Prepare");
    assert_eq!(entered["stateEnteredEventDetails"]["input"], "{\"order\":7}");
    assert_eq!(json["events"][10]["executionSucceededEventDetails"]["output"], output.to_string());
    let described = first.describe();
    assert_eq!(described.status, ExecutionStatus::Succeeded);
    assert_eq!(described.to_json()["status"], "SUCCEEDED");
}

#[tokio::test]
async fn stop_cancels_the_running_task_and_ends_aborted() {
    let gate = Arc::new(Notify::new());
    let work = Arc::new(Work { gate: Some(gate), ..Work::default() });
    let executor = Executor::new(steps::Workflow::new(work.clone()));
    let execution = executor.start_named("to-stop", Start::input(json!({}))).unwrap();
    while work.calls.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    assert_eq!(execution.status(), ExecutionStatus::Running);
    execution.stop(Some("Cancelled.ByUser"), Some("the customer changed their mind"));
    let error = execution.result().await.unwrap_err();
    assert_eq!(error.name, "Cancelled.ByUser");
    assert_eq!(execution.status(), ExecutionStatus::Aborted);
    let described = execution.describe();
    assert_eq!(described.cause.as_deref(), Some("the customer changed their mind"));
    assert!(described.stop_date.is_some());
    assert_eq!(types(&execution.events()).last(), Some(&ExecutionAborted));
    // The handler's future was dropped; the work it handed off saw the cancellation.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(work.cancelled.load(Ordering::SeqCst), "the spawned work was told to stop");
}

#[tokio::test(start_paused = true)]
async fn the_machines_timeout_seconds_ends_the_execution_timed_out() {
    let executor = Executor::new(deadline::Workflow::new(asl::runtime::Registry::new()));
    let started = tokio::time::Instant::now();
    let execution = executor.start(json!({}));
    let error = execution.result().await.unwrap_err();
    assert!(error.is_execution_timeout());
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert_eq!(execution.status(), ExecutionStatus::TimedOut);
    assert_eq!(types(&execution.events()), [ExecutionStarted, WaitStateEntered, ExecutionTimedOut]);
    // The simple API gives the same error.
    let error = deadline::Workflow::new(asl::runtime::Registry::new()).run(json!({})).await.unwrap_err();
    assert!(error.is_execution_timeout());
}

/// The `long-job` callback handler: heartbeats `beats` times, 8 s apart, then falls silent.
struct LongJob {
    beats: usize,
}

impl heartbeat::Tasks for LongJob {
    async fn lambda_invoke_wait_for_task_token(&self, params: Value, cx: TaskContext) -> Result<Value, TaskError> {
        assert_eq!(params["Payload"]["token"].as_str(), cx.task_token.as_deref(), "$$.Task.Token is the task's token");
        let beats = self.beats;
        tokio::spawn(async move {
            for _ in 0..beats {
                tokio::time::sleep(Duration::from_secs(8)).await;
                cx.heartbeat().unwrap();
            }
        });
        Ok(json!({ "StatusCode": 202 }))
    }
}

#[tokio::test(start_paused = true)]
async fn a_callback_without_heartbeats_fails_with_heartbeat_timeout() {
    let workflow = heartbeat::Workflow::new(LongJob { beats: 3 });
    let started = tokio::time::Instant::now();
    let error = workflow.run(json!({ "job": 1 })).await.unwrap_err();
    assert_eq!(error.name, "States.HeartbeatTimeout");
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(34),
        "three heartbeats 8 s apart kept it alive for 24 s, then 10 s"
    );
    assert!(workflow.callbacks().pending_tokens().is_empty());

    let executor = Executor::new(heartbeat::Workflow::new(LongJob { beats: 0 }));
    let execution = executor.start(json!({}));
    assert!(execution.result().await.is_err());
    let history = execution.events();
    assert_eq!(
        types(&history),
        [ExecutionStarted, TaskStateEntered, TaskScheduled, TaskStarted, TaskSubmitted, TaskTimedOut, ExecutionFailed]
    );
    assert_eq!(history[2].details.heartbeat_in_seconds, Some(10));
    assert_eq!(history[5].details.error.as_deref(), Some("States.HeartbeatTimeout"));
}

#[tokio::test]
async fn redrive_restarts_a_failed_execution_from_the_state_that_failed() {
    let work = Arc::new(Work { fail_first: true, ..Work::default() });
    let executor = Executor::new(steps::Workflow::new(work.clone()));
    let execution = executor.start_named("flaky", Start::input(json!({ "order": 1 }))).unwrap();
    assert_eq!(execution.result().await.unwrap_err().name, "Flaky");
    assert_eq!(execution.status(), ExecutionStatus::Failed);

    let redriven = executor.redrive("flaky").unwrap();
    let output = redriven.result().await.unwrap();
    // `Work` ran again with the input it had; `Prepare` did not run again, its variable survived.
    assert_eq!(output, json!({ "work": { "call": 2, "execution": "flaky" }, "prepared": true, "redrives": 1 }));
    assert_eq!(redriven.describe().redrive_count, 1);
    let history = types(&redriven.events());
    assert_eq!(history.iter().filter(|t| **t == PassStateEntered).count(), 2, "Prepare once, Finish once");
    let failed_at = history.iter().position(|t| *t == ExecutionFailed).unwrap();
    assert_eq!(&history[failed_at..failed_at + 3], [ExecutionFailed, ExecutionRedriven, TaskStateEntered]);
    assert_eq!(history.last(), Some(&ExecutionSucceeded));

    let again = executor.redrive("flaky").unwrap_err();
    assert_eq!(again.error, "ExecutionNotRedrivable");
    assert_eq!(executor.redrive("nobody").unwrap_err().error, "ExecutionDoesNotExist");
}

#[tokio::test]
async fn without_a_history_a_redrive_still_goes_on_with_the_event_ids() {
    let executor = Executor::new(steps::Workflow::new(Arc::new(Work::default()))).without_history();
    // `Finish` reads the variable `prepared`, which nobody assigned: States.Runtime, quoting the
    // event id the state was entered at.
    let execution = executor.start_named("no-vars", Start::at("Finish", json!({ "work": 1 }))).unwrap();
    let first = execution.result().await.unwrap_err();
    assert!(first.cause.as_deref().unwrap().contains("(entered at the event id #2)"), "{first}");
    assert!(execution.events().is_empty(), "no history kept");
    // 3 ExecutionFailed, 4 ExecutionRedriven, 5 Finish entered again.
    let again = executor.redrive("no-vars").unwrap().result().await.unwrap_err();
    assert!(again.cause.as_deref().unwrap().contains("(entered at the event id #5)"), "{again}");
}

/// A task handler that panics.
struct Panicky;

impl steps::Tasks for Panicky {
    async fn work(&self, _input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        panic!("the handler has a bug")
    }
}

#[tokio::test]
async fn a_panicking_handler_fails_the_execution_instead_of_hanging_it() {
    let executor = Executor::new(steps::Workflow::new(Panicky));
    let execution = executor.start(json!({}));
    let error = execution.result().await.unwrap_err();
    assert_eq!(error.name, "States.Runtime");
    assert_eq!(error.cause.as_deref(), Some("A task handler panicked: the handler has a bug"));
    assert_eq!(execution.status(), ExecutionStatus::Failed);
    assert_eq!(types(&execution.events()).last(), Some(&ExecutionFailed));
}

#[tokio::test]
async fn an_execution_can_start_at_any_state_with_input_and_variables() {
    let work = Arc::new(Work::default());
    let executor = Executor::new(steps::Workflow::new(work.clone()));
    let start = Start::at("Finish", json!({ "work": "done elsewhere" }))
        .with_variables(HashMap::from([("prepared".to_owned(), json!("by hand"))]));
    let output = executor.start_named("from-finish", start).unwrap().result().await.unwrap();
    assert_eq!(output, json!({ "work": "done elsewhere", "prepared": "by hand", "redrives": 0 }));
    assert_eq!(work.calls.load(Ordering::SeqCst), 0);

    let unknown = executor.start_named("nowhere", Start::at("Nope", json!({}))).unwrap().result().await.unwrap_err();
    assert_eq!(unknown.name, "States.Runtime");
    assert!(unknown.cause.unwrap().contains("'Nope'"));

    // The plain API too.
    let output = steps::Workflow::new(work.clone())
        .execute_from(asl::runtime::ExecutionInfo::new("steps", "e"), steps::State::Finish, json!({ "work": 1 }))
        .await
        .unwrap_err();
    assert_eq!(output.name, "States.Runtime", "without the variable `prepared` Finish cannot read it");
}

#[tokio::test]
async fn pause_holds_the_execution_at_the_next_state_until_resumed() {
    let gate = Arc::new(Notify::new());
    let work = Arc::new(Work { gate: Some(gate.clone()), ..Work::default() });
    let executor = Executor::new(steps::Workflow::new(work.clone()));
    let execution = executor.start_named("paused", Start::input(json!({}))).unwrap();
    while work.calls.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    execution.pause();
    gate.notify_one();
    // `Work` finishes; the execution then waits before `Finish`.
    while execution.describe().paused_at.is_none() {
        tokio::task::yield_now().await;
    }
    assert_eq!(execution.describe().paused_at.as_deref(), Some("Finish"));
    assert_eq!(execution.status(), ExecutionStatus::Running);
    assert_eq!(types(&execution.events()).last(), Some(&TaskStateExited));
    execution.resume();
    assert_eq!(execution.result().await.unwrap()["work"]["call"], 1);
    assert_eq!(execution.describe().paused_at, None);
}

/// The parent's handlers start the child workflow in-process.
struct Nested {
    child: Executor<child::Workflow<asl::runtime::Registry>>,
}

impl parent::Tasks for Nested {
    async fn states_start_execution_sync(&self, params: Value, cx: TaskContext) -> Result<Value, TaskError> {
        start_execution(&self.child, params, &cx).await
    }

    async fn states_start_execution_sync_2(&self, params: Value, cx: TaskContext) -> Result<Value, TaskError> {
        start_execution(&self.child, params, &cx).await
    }
}

#[tokio::test]
async fn nested_workflows_answer_sync_as_json_text_and_sync_2_as_json() {
    let nested = Nested { child: Executor::new(child::Workflow::new(asl::runtime::Registry::new())) };
    let parent = parent::Workflow::new(nested);
    let output = parent.run(json!({ "n": 21 })).await.unwrap();
    assert_eq!(output["sync"], json!({ "output": "{\"doubled\":42}", "status": "SUCCEEDED" }));
    assert_eq!(output["sync2"], json!({ "doubled": 42 }));
    assert_eq!(parent.tasks().child.list().len(), 2, "one child execution per call");

    // A failed child fails the parent's task with States.TaskFailed and the child's description.
    let error = parent.run(json!({ "n": -1 })).await.unwrap_err();
    assert_eq!(error.name, "States.TaskFailed");
    let described: Value = serde_json::from_str(error.cause.as_deref().unwrap()).unwrap();
    assert_eq!(described["Status"], "FAILED");
    assert_eq!(described["Error"], "NegativeNumber");
    assert_eq!(described["Cause"], "n must not be negative");
}

/// The child's task: sends the parent's token its result (`SendTaskSuccess` from the child).
struct Reporter;

impl reporter::Tasks for Reporter {
    async fn report(&self, input: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let token = input["token"].as_str().ok_or_else(|| TaskError::failed("no token"))?;
        let n = input["n"].as_i64().unwrap_or(0);
        cx.callbacks()
            .send_task_success(token, json!({ "doubled": n * 2 }))
            .map_err(|e| TaskError::new(e.error, e.message))?;
        Ok(json!({ "reported": true }))
    }
}

struct Delegating {
    child: Executor<reporter::Workflow<Reporter>>,
}

impl delegate::Tasks for Delegating {
    async fn states_start_execution_wait_for_task_token(
        &self,
        params: Value,
        cx: TaskContext,
    ) -> Result<Value, TaskError> {
        start_execution(&self.child, params, &cx).await
    }
}

#[tokio::test]
async fn a_nested_wait_for_task_token_child_answers_on_the_parents_token() {
    // One callback table for both workflows: the child's SendTaskSuccess reaches the parent's task.
    let callbacks = asl::runtime::callback::Callbacks::new();
    let child = Executor::new(reporter::Workflow::new(Reporter).with_callbacks(callbacks.clone()));
    let parent = Executor::new(delegate::Workflow::new(Delegating { child }).with_callbacks(callbacks.clone()));
    let execution = parent.start_named("delegating", Start::input(json!({ "n": 21 }))).unwrap();
    assert_eq!(execution.result().await.unwrap(), json!({ "doubled": 42 }));
    let history = types(&execution.events());
    assert_eq!(
        history,
        [
            ExecutionStarted,
            TaskStateEntered,
            TaskScheduled,
            TaskStarted,
            TaskSubmitted,
            TaskSucceeded,
            TaskStateExited,
            ExecutionSucceeded
        ]
    );
    let child = &parent.machine().tasks().child;
    assert_eq!(child.list().len(), 1);
    assert_eq!(child.list()[0].result().await.unwrap(), json!({ "reported": true }));
    assert!(callbacks.pending_tokens().is_empty());
}

/// Sends each token it is given to a channel (the "queue").
struct Outbox(tokio::sync::mpsc::UnboundedSender<String>);

impl retried_callback::Tasks for Outbox {
    async fn sqs_send_message_wait_for_task_token(&self, params: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let token = params["MessageBody"]["token"].as_str().unwrap_or_default().to_owned();
        assert_eq!(Some(token.as_str()), cx.task_token.as_deref());
        self.0.send(token).map_err(|_| TaskError::failed("queue closed"))?;
        Ok(json!({}))
    }
}

#[tokio::test(start_paused = true)]
async fn a_retried_callback_task_gets_a_new_token_and_the_old_one_is_withdrawn() {
    let (outbox, mut queue) = tokio::sync::mpsc::unbounded_channel();
    let executor = Executor::new(retried_callback::Workflow::new(Outbox(outbox)));
    let execution = executor.start(json!({}));
    let first = queue.recv().await.unwrap();
    // Nobody answers the first attempt: it times out after 10 s and is retried with a new token.
    let second = queue.recv().await.unwrap();
    assert_ne!(first, second);
    let late = executor.callbacks().send_task_success(&first, json!("late"));
    assert_eq!(late.unwrap_err().error, "TaskDoesNotExist");
    executor.callbacks().send_task_success(&second, json!({ "answer": 42 })).unwrap();
    assert_eq!(execution.result().await.unwrap(), json!({ "answer": 42 }));
    let history = types(&execution.events());
    assert_eq!(history.iter().filter(|t| **t == TaskTimedOut).count(), 1);
    assert_eq!(history.iter().filter(|t| **t == TaskScheduled).count(), 2);
}

#[test]
fn task_logs_nest_under_the_execution_and_state_spans() {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .with_max_level(tracing::Level::INFO)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let workflow = steps::Workflow::new(Arc::new(Work::default()));
            workflow.execute(asl::runtime::ExecutionInfo::new("steps", "traced-1"), json!({})).await.unwrap();
        });
    });
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let line = logs.lines().find(|l| l.contains("working")).unwrap();
    assert!(line.contains("execution{name=traced-1 state_machine=\"steps\"}"), "{line}");
    assert!(line.contains("state{name=\"Work\"}"), "{line}");
}
