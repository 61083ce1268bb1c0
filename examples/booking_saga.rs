//! A travel booking saga: book a hotel, a flight and a car; when a step fails, run the
//! compensations of the steps already done, in reverse order, then fail with the original error.
//!
//! `cargo run --example booking_saga`

use std::sync::Mutex;

use asl_runtime::{TaskContext, TaskError};
use serde_json::{Value, json};

asl_macros::include_workflow!("examples/workflows/booking-saga.asl.json");

use booking_saga::{Tasks, Workflow};

/// Booking systems that record every call, and fail where told to.
#[derive(Default)]
struct Travel {
    fail_car: bool,
    calls: Mutex<Vec<String>>,
}

impl Travel {
    fn record(&self, what: &str) {
        println!("  {what}");
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(what.to_owned());
        }
    }
}

impl Tasks for Travel {
    async fn book_hotel(&self, _input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        self.record("book hotel");
        Ok(json!({ "reservation": "H-1" }))
    }

    async fn book_flight(&self, _input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        self.record("book flight");
        Ok(json!({ "reservation": "F-1" }))
    }

    async fn book_car(&self, _input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        self.record("book car");
        if self.fail_car {
            return Err(TaskError::new("CarUnavailable", "no cars left at the airport"));
        }
        Ok(json!({ "reservation": "C-1" }))
    }

    async fn cancel_flight(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        self.record(&format!("cancel flight {}", input["flight"]["reservation"]));
        Ok(json!({}))
    }

    async fn cancel_hotel(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        self.record(&format!("cancel hotel {}", input["hotel"]["reservation"]));
        Ok(json!({}))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    for (label, travel) in
        [("everything available", Travel::default()), ("no car", Travel { fail_car: true, ..Travel::default() })]
    {
        println!("{label}:");
        match Workflow::new(travel).run(json!({ "trip": "Lisbon" })).await {
            Ok(output) => println!("  trip booked: {output}\n"),
            Err(error) => println!("  trip failed: {error}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn books_everything() {
        let travel = Travel::default();
        let workflow = Workflow::new(travel);
        let output = workflow.run(json!({ "trip": "Lisbon" })).await.unwrap();
        assert_eq!(output["car"], json!({ "reservation": "C-1" }));
    }

    #[tokio::test]
    async fn compensates_in_reverse_order_and_fails_with_the_original_error() {
        let travel = std::sync::Arc::new(Travel { fail_car: true, ..Travel::default() });
        struct Shared(std::sync::Arc<Travel>);
        impl Tasks for Shared {
            async fn book_hotel(&self, i: Value, cx: TaskContext) -> Result<Value, TaskError> {
                self.0.book_hotel(i, cx).await
            }
            async fn book_flight(&self, i: Value, cx: TaskContext) -> Result<Value, TaskError> {
                self.0.book_flight(i, cx).await
            }
            async fn book_car(&self, i: Value, cx: TaskContext) -> Result<Value, TaskError> {
                self.0.book_car(i, cx).await
            }
            async fn cancel_flight(&self, i: Value, cx: TaskContext) -> Result<Value, TaskError> {
                self.0.cancel_flight(i, cx).await
            }
            async fn cancel_hotel(&self, i: Value, cx: TaskContext) -> Result<Value, TaskError> {
                self.0.cancel_hotel(i, cx).await
            }
        }
        let error = Workflow::new(Shared(travel.clone())).run(json!({ "trip": "Lisbon" })).await.unwrap_err();
        assert_eq!(error.name, "CarUnavailable");
        assert_eq!(error.cause.as_deref(), Some("no cars left at the airport"));
        let calls = travel.calls.lock().unwrap().clone();
        assert_eq!(calls, ["book hotel", "book flight", "book car", "cancel flight \"F-1\"", "cancel hotel \"H-1\""]);
    }
}
