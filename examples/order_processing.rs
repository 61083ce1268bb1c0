//! Order processing: verify the payment, update the inventory, notify the customer. A declined
//! card or missing stock is caught into a Fail state, so the execution fails with that error.
//!
//! `cargo run --example order_processing`

use std::collections::HashMap;
use std::sync::Mutex;

use asl_runtime::task::{input, output};
use asl_runtime::{TaskContext, TaskError};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

asl_macros::include_workflow!("examples/workflows/order-processing.asl.json");

use order_processing::{Tasks, Workflow};

/// The order the workflow receives and passes along.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct Order {
    order_id: String,
    card: String,
    amount_cents: u64,
    lines: Vec<Line>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payment_id: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
struct Line {
    sku: String,
    quantity: u32,
}

/// The shop's systems, as the workflow's Task handlers.
struct Shop {
    stock: Mutex<HashMap<String, u32>>,
}

impl Shop {
    fn new() -> Shop {
        Shop { stock: Mutex::new(HashMap::from([("book".to_owned(), 5), ("lamp".to_owned(), 1)])) }
    }
}

impl Tasks for Shop {
    async fn verify_payment_function(&self, order: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let mut order: Order = input(order)?;
        println!("  [{}] verifying payment of {} cents for {}", cx.state, order.amount_cents, order.order_id);
        if order.card.starts_with("0000") {
            return Err(TaskError::new("PaymentVerificationFailed", format!("card {} was declined", order.card)));
        }
        order.payment_id = Some(format!("pay-{}", order.order_id));
        output(&order)
    }

    async fn update_inventory_function(&self, order: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let order: Order = input(order)?;
        let mut stock = self.stock.lock().map_err(|_| TaskError::failed("stock lock poisoned"))?;
        for line in &order.lines {
            let available = stock.get(&line.sku).copied().unwrap_or(0);
            if available < line.quantity {
                return Err(TaskError::new("InventoryUpdateFailed", format!("only {available} of {} left", line.sku)));
            }
        }
        for line in &order.lines {
            *stock.entry(line.sku.clone()).or_default() -= line.quantity;
        }
        println!("  [{}] reserved {} line(s)", cx.state, order.lines.len());
        output(&order)
    }

    async fn notify_customer_function(&self, order: Value, cx: TaskContext) -> Result<Value, TaskError> {
        let order: Order = input(order)?;
        println!("  [{}] emailing the customer about {}", cx.state, order.order_id);
        Ok(json!({ "orderId": order.order_id, "paymentId": order.payment_id, "status": "CONFIRMED" }))
    }
}

fn order(id: &str, card: &str, sku: &str, quantity: u32) -> Value {
    json!({ "order_id": id, "card": card, "amount_cents": 2599, "lines": [{ "sku": sku, "quantity": quantity }] })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let workflow = Workflow::new(Shop::new());
    for (label, input) in [
        ("a good order", order("A-1", "4111", "book", 2)),
        ("a declined card", order("A-2", "0000", "book", 1)),
        ("more lamps than in stock", order("A-3", "4111", "lamp", 3)),
    ] {
        println!("{label}:");
        match workflow.run(input).await {
            Ok(output) => println!("  succeeded: {output}\n"),
            Err(error) => println!("  failed: {error}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_good_order_is_confirmed() {
        let output = Workflow::new(Shop::new()).run(order("T-1", "4111", "book", 2)).await.unwrap();
        assert_eq!(output, json!({ "orderId": "T-1", "paymentId": "pay-T-1", "status": "CONFIRMED" }));
    }

    #[tokio::test]
    async fn a_declined_card_fails_with_the_catchers_fail_state() {
        let error = Workflow::new(Shop::new()).run(order("T-2", "0000", "book", 1)).await.unwrap_err();
        assert_eq!(error.name, "PaymentVerificationFailed");
        assert_eq!(error.cause.as_deref(), Some("Payment verification failed. Please check payment details."));
    }

    #[tokio::test]
    async fn missing_stock_fails_with_inventory_update_failed() {
        let error = Workflow::new(Shop::new()).run(order("T-3", "4111", "lamp", 3)).await.unwrap_err();
        assert_eq!(error.name, "InventoryUpdateFailed");
    }

    #[tokio::test]
    async fn a_malformed_order_is_a_task_failure_naming_the_type() {
        let error = Workflow::new(Shop::new()).run(json!({ "order_id": 1 })).await.unwrap_err();
        assert_eq!(error.name, "States.TaskFailed");
        assert!(error.cause.unwrap().contains("Order"));
    }
}
