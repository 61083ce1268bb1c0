//! Human approval with a callback: the order is processed, then a `.waitForTaskToken` task puts
//! the order and its task token on a queue and the execution waits. A small "portal" reads the
//! queue and approves or rejects through `send_task_success` / `send_task_failure`; an order nobody
//! decides on times out after a day (`TimeoutSeconds: 86400`) and is caught into the Failure state.
//!
//! `cargo run --example approval`
//!
//! The queue is an in-process channel; the clock is tokio's paused test clock, so the day-long
//! timeout passes at once. Executions are named and keep their history, as in Step Functions.

use asl_runtime::callback::Callbacks;
use asl_runtime::executor::{ExecutionStatus, Executor, Start};
use asl_runtime::{TaskContext, TaskError};
use serde_json::{Value, json};
use tokio::sync::mpsc;

asl_macros::include_workflow!("examples/workflows/approval.asl.json");

use approval::{Tasks, Workflow};

/// A message on the approvals queue: what the `RequestApproval` state sends.
#[derive(Debug)]
struct ApprovalRequest {
    order: Value,
    task_token: String,
}

/// The shop's systems: order processing, and the queue the approval requests go to.
struct Shop {
    queue: mpsc::UnboundedSender<ApprovalRequest>,
}

impl Tasks for Shop {
    async fn process_order(&self, input: Value, cx: TaskContext) -> Result<Value, TaskError> {
        // Logs nest under the execution's and the state's spans (names, retry count).
        tracing::info!(order = %input["order"]["id"], retry_count = cx.retry_count, "order processed");
        Ok(json!({ "processedAt": "2026-12-03T08:00:00Z" }))
    }

    /// `arn:aws:states:::sqs:sendMessage.waitForTaskToken`: the message body carries the token.
    async fn sqs_send_message_wait_for_task_token(&self, params: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let body = &params["MessageBody"];
        let task_token = body["taskToken"].as_str().ok_or_else(|| TaskError::failed("no taskToken in the message"))?;
        debug_assert_eq!(Some(task_token), cx.task_token.as_deref());
        let request = ApprovalRequest { order: body["order"].clone(), task_token: task_token.to_owned() };
        self.queue.send(request).map_err(|_| TaskError::new("SQS.QueueDoesNotExist", "the approvals queue is gone"))?;
        Ok(json!({ "MessageId": format!("msg-{}", cx.execution_name()) }))
    }
}

/// The approval portal: a manager approves orders up to 1,000, rejects bigger ones, and never
/// answers for orders marked `"manager": "on holiday"`.
async fn portal(mut queue: mpsc::UnboundedReceiver<ApprovalRequest>, callbacks: Callbacks) {
    while let Some(request) = queue.recv().await {
        let id = &request.order["id"];
        if request.order["manager"] == "on holiday" {
            println!("  [portal] order {id}: nobody is there to decide");
            continue;
        }
        let amount = request.order["amount"].as_f64().unwrap_or(0.0);
        let sent = if amount <= 1000.0 {
            println!("  [portal] order {id}: approved");
            callbacks.send_task_success(&request.task_token, json!({ "approved": true, "by": "manager" }))
        } else {
            println!("  [portal] order {id}: rejected");
            callbacks.send_task_failure(&request.task_token, Some("Rejected"), Some("over the approval limit"))
        };
        if let Err(e) = sent {
            println!("  [portal] could not answer for order {id}: {e}");
        }
    }
}

/// A workflow whose approval requests go to a fresh queue served by the portal.
fn start_shop() -> Executor<Workflow<Shop>> {
    let (queue, requests) = mpsc::unbounded_channel();
    let executor = Executor::new(Workflow::new(Shop { queue }));
    tokio::spawn(portal(requests, executor.callbacks().clone()));
    executor
}

fn order(id: &str, amount: u32, manager: &str) -> Value {
    json!({ "order": { "id": id, "amount": amount, "manager": manager } })
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    tracing_subscriber::fmt().with_target(false).without_time().with_max_level(tracing::Level::INFO).init();
    let shop = start_shop();
    for (name, input) in [
        ("order-1001", order("1001", 250, "present")),
        ("order-1002", order("1002", 5000, "present")),
        ("order-1003", order("1003", 90, "on holiday")),
    ] {
        println!("{name}:");
        let execution = shop.start_named(name, Start::input(input)).unwrap();
        let result = execution.result().await;
        let d = execution.describe();
        match result {
            Ok(output) => println!("  {}: {output}", d.status),
            Err(error) => println!("  {}: {error}", d.status),
        }
        let events: Vec<String> = execution.events().iter().map(|e| e.event_type.to_string()).collect();
        println!("  history: {}\n", events.join(", "));
    }
    // An answer with a token no task waits on (used, timed out or never issued) is refused.
    let late = shop.callbacks().send_task_success("asl-task-token-00000000000000000000000000000000", json!({}));
    println!(
        "an answer for no waiting task: {}",
        late.map(|_| "accepted".to_owned()).unwrap_or_else(|e| e.to_string())
    );
    assert!(shop.list().iter().all(|e| e.status() != ExecutionStatus::Running));
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl_runtime::history::EventType;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn an_approved_order_succeeds_with_the_portals_decision() {
        let shop = start_shop();
        let execution = shop.start_named("t-approved", Start::input(order("1", 10, "present"))).unwrap();
        let output = execution.result().await.unwrap();
        assert_eq!(output["decision"], json!({ "approved": true, "by": "manager" }));
        assert_eq!(output["processing"], json!({ "processedAt": "2026-12-03T08:00:00Z" }));
        assert_eq!(execution.status(), ExecutionStatus::Succeeded);
        use EventType::*;
        assert_eq!(
            execution.events().iter().map(|e| e.event_type).collect::<Vec<_>>(),
            [
                ExecutionStarted,
                TaskStateEntered,
                LambdaFunctionScheduled,
                LambdaFunctionStarted,
                LambdaFunctionSucceeded,
                TaskStateExited,
                TaskStateEntered,
                TaskScheduled,
                TaskStarted,
                TaskSubmitted,
                TaskSucceeded,
                TaskStateExited,
                ChoiceStateEntered,
                ChoiceStateExited,
                SucceedStateEntered,
                SucceedStateExited,
                ExecutionSucceeded,
            ]
        );
        let scheduled = &execution.events()[7];
        assert_eq!(scheduled.details.resource_type.as_deref(), Some("sqs"));
        assert_eq!(scheduled.details.resource.as_deref(), Some("sendMessage.waitForTaskToken"));
        assert_eq!(scheduled.details.timeout_in_seconds, Some(86_400));
    }

    #[tokio::test(start_paused = true)]
    async fn a_rejected_order_ends_in_the_failure_state() {
        let shop = start_shop();
        let execution = shop.start_named("t-rejected", Start::input(order("2", 5000, "present"))).unwrap();
        let error = execution.result().await.unwrap_err();
        assert_eq!(error.name, "OrderNotApproved");
        assert_eq!(execution.status(), ExecutionStatus::Failed);
        let failed = execution.events().into_iter().find(|e| e.event_type == EventType::TaskFailed).unwrap();
        assert_eq!(failed.details.error.as_deref(), Some("Rejected"));
        assert_eq!(failed.details.cause.as_deref(), Some("over the approval limit"));
    }

    #[tokio::test(start_paused = true)]
    async fn no_decision_within_a_day_times_out_into_the_failure_state() {
        let shop = start_shop();
        let started = tokio::time::Instant::now();
        let execution = shop.start_named("t-timeout", Start::input(order("3", 10, "on holiday"))).unwrap();
        let error = execution.result().await.unwrap_err();
        assert_eq!(error.name, "OrderNotApproved");
        assert_eq!(started.elapsed(), Duration::from_secs(86_400));
        let history = execution.events();
        assert!(history.iter().any(|e| e.event_type == EventType::TaskTimedOut));
        // The catcher put the timeout into $.error on the way to Failure.
        let entered_failure = history.iter().find(|e| e.details.name.as_deref() == Some("Failure")).unwrap();
        assert_eq!(entered_failure.details.input.as_ref().unwrap()["error"]["Error"], "States.Timeout");
        assert!(shop.callbacks().pending_tokens().is_empty(), "the timed-out token is withdrawn");
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_are_single_use_and_unknown_tokens_are_refused() {
        let (queue, mut requests) = mpsc::unbounded_channel();
        let shop = Executor::new(Workflow::new(Shop { queue }));
        let execution = shop.start_named("t-tokens", Start::input(order("4", 10, "present"))).unwrap();
        let request = requests.recv().await.unwrap();
        shop.callbacks().send_task_heartbeat(&request.task_token).unwrap();
        shop.callbacks().send_task_success(&request.task_token, json!({ "approved": true })).unwrap();
        let again = shop.callbacks().send_task_success(&request.task_token, json!({ "approved": false }));
        assert_eq!(again.unwrap_err().error, "TaskDoesNotExist");
        assert_eq!(shop.callbacks().send_task_failure("forged", None, None).unwrap_err().error, "InvalidToken");
        assert_eq!(execution.result().await.unwrap()["decision"], json!({ "approved": true }));
    }
}
