//! A scheduled backup: start a backup job (retrying throttling with backoff and jitter), wait five
//! minutes, poll its status in a loop until it is done, then notify the team.
//!
//! Waits use tokio's clock; this example pauses it, so five-minute waits pass instantly.
//!
//! `cargo run --example scheduled_backup`

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use asl_runtime::{TaskContext, TaskError};
use serde_json::{Value, json};

asl_macros::include_workflow!("examples/workflows/scheduled-backup.asl.json");

use scheduled_backup::{Tasks, Workflow};

/// A backup service that is throttled at first and needs a few polls to finish.
struct BackupService {
    throttled_starts: AtomicU32,
    polls_until_done: AtomicU32,
    outcome: &'static str,
    notifications: Mutex<Vec<String>>,
}

impl BackupService {
    fn new(throttled_starts: u32, polls_until_done: u32, outcome: &'static str) -> BackupService {
        BackupService {
            throttled_starts: AtomicU32::new(throttled_starts),
            polls_until_done: AtomicU32::new(polls_until_done),
            outcome,
            notifications: Mutex::new(Vec::new()),
        }
    }
}

impl Tasks for BackupService {
    async fn start_backup(&self, _input: Value, cx: TaskContext) -> Result<Value, TaskError> {
        if self.throttled_starts.load(Ordering::SeqCst) > 0 {
            self.throttled_starts.fetch_sub(1, Ordering::SeqCst);
            println!("  [{}] throttled (attempt {})", cx.state, cx.retry_count + 1);
            return Err(TaskError::new("Lambda.TooManyRequestsException", "Rate exceeded"));
        }
        println!("  [{}] backup started (attempt {})", cx.state, cx.retry_count + 1);
        Ok(json!({ "id": "bk-42" }))
    }

    async fn check_backup(&self, input: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let left = self.polls_until_done.load(Ordering::SeqCst);
        let state = if left == 0 { self.outcome } else { "RUNNING" };
        self.polls_until_done.store(left.saturating_sub(1), Ordering::SeqCst);
        println!("  [{}] backup {} is {state}", cx.state, input["backupId"]);
        Ok(json!({ "state": state, "reason": if state == "FAILED" { "disk full" } else { "" } }))
    }

    async fn sns_publish(&self, input: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let message = input["Message"].as_str().unwrap_or_default().to_owned();
        println!("  [{}] notify {}: {message}", cx.state, input["TopicArn"]);
        self.notifications.lock().map_err(|_| TaskError::failed("lock poisoned"))?.push(message);
        Ok(json!({ "MessageId": "m-1" }))
    }
}

fn main() {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().expect("tokio runtime");
    runtime.block_on(async {
        for (label, service) in [
            ("a backup that succeeds", BackupService::new(2, 2, "COMPLETED")),
            ("a backup that fails", BackupService::new(0, 1, "FAILED")),
        ] {
            println!("{label}:");
            let started = tokio::time::Instant::now();
            let result = Workflow::new(service).run(json!({ "volume": "vol-1" })).await;
            let minutes = started.elapsed().as_secs() / 60;
            match result {
                Ok(output) => println!("  succeeded after {minutes} (virtual) minutes: {output}\n"),
                Err(error) => println!("  failed after {minutes} (virtual) minutes: {error}\n"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn retries_the_throttled_start_then_polls_until_completed() {
        let service = BackupService::new(2, 2, "COMPLETED");
        let started = tokio::time::Instant::now();
        let workflow = Workflow::new(service);
        let output = workflow.run(json!({ "volume": "vol-1" })).await.unwrap();
        assert_eq!(output, json!({ "MessageId": "m-1" }));
        // Two throttled starts (jittered waits of at most 2 s and 4 s), then three 300 s waits.
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_secs(900) && elapsed <= Duration::from_secs(906), "{elapsed:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_backup_notifies_then_fails() {
        let error = Workflow::new(BackupService::new(0, 0, "FAILED")).run(json!({})).await.unwrap_err();
        assert_eq!(error.name, "BackupFailed");
        assert_eq!(error.cause.as_deref(), Some("The backup job reported FAILED."));
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_beyond_max_attempts_fails_the_execution() {
        let error = Workflow::new(BackupService::new(10, 0, "COMPLETED")).run(json!({})).await.unwrap_err();
        assert_eq!(error.name, "Lambda.TooManyRequestsException");
    }
}
