//! Invoice generation: gather the customer and the order from two systems in parallel, price every
//! order line with a Map (at most 10 at a time), render the invoice and store it.
//!
//! `cargo run --example invoice_fanout`

use std::sync::atomic::{AtomicU32, Ordering};

use asl_runtime::{TaskContext, TaskError};
use serde_json::{Value, json};

asl_macros::include_workflow!("examples/workflows/invoice-fanout.asl.json");

use invoice_fanout::{Tasks, Workflow};

struct Backoffice {
    /// Pricing fails once for this line index, to show the Map's per-item Retry.
    flaky_line: Option<u64>,
    pricing_calls: AtomicU32,
}

impl Tasks for Backoffice {
    async fn get_customer(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        Ok(json!({ "id": input["customerId"], "name": "Ada", "currency": "EUR" }))
    }

    async fn get_order(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        Ok(json!({ "id": input["orderId"], "lines": [
            { "sku": "book", "quantity": 2, "unitCents": 1250 },
            { "sku": "lamp", "quantity": 1, "unitCents": 4999 },
            { "sku": "pen", "quantity": 10, "unitCents": 120 },
        ]}))
    }

    async fn price_line(&self, input: Value, cx: TaskContext) -> Result<Value, TaskError> {
        self.pricing_calls.fetch_add(1, Ordering::SeqCst);
        let index = input["index"].as_u64().unwrap_or(0);
        if self.flaky_line == Some(index) && cx.retry_count == 0 {
            return Err(TaskError::new("PricingUnavailable", "try again"));
        }
        let line = &input["line"];
        let total = line["quantity"].as_u64().unwrap_or(0) * line["unitCents"].as_u64().unwrap_or(0);
        Ok(json!({ "sku": line["sku"], "totalCents": total, "currency": input["currency"] }))
    }

    async fn render_invoice_pdf(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        let total: u64 =
            input["lines"].as_array().map_or(0, |l| l.iter().filter_map(|x| x["totalCents"].as_u64()).sum());
        println!("  rendering {} line(s) for {}, total {total} cents", input["lineCount"], input["customer"]["name"]);
        Ok(json!({ "key": format!("invoice-{total}.pdf"), "bytes": 1024 }))
    }

    async fn s3_copy_object(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        println!("  storing {} (copied from {})", input["Key"], input["CopySource"]);
        Ok(json!({ "CopyObjectResult": {} }))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let workflow = Workflow::new(Backoffice { flaky_line: Some(1), pricing_calls: AtomicU32::new(0) });
    match workflow.run(json!({ "customerId": "c-7", "orderId": "o-9" })).await {
        Ok(output) => println!("invoice done:\n{}", serde_json::to_string_pretty(&output).unwrap_or_default()),
        Err(error) => println!("failed: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn gathers_prices_in_item_order_and_stores_the_invoice() {
        let tasks = Backoffice { flaky_line: Some(1), pricing_calls: AtomicU32::new(0) };
        let workflow = Workflow::new(tasks);
        let output = workflow.run(json!({ "customerId": "c-7", "orderId": "o-9" })).await.unwrap();
        assert_eq!(output["data"]["customer"]["currency"], "EUR");
        assert_eq!(
            output["pricedLines"],
            json!([
                { "sku": "book", "totalCents": 2500, "currency": "EUR" },
                { "sku": "lamp", "totalCents": 4999, "currency": "EUR" },
                { "sku": "pen", "totalCents": 1200, "currency": "EUR" },
            ])
        );
        assert_eq!(output["invoice"], json!({ "pdfKey": "invoice-8699.pdf" }));
        assert!(output.get("CopyObjectResult").is_none(), "ResultPath null keeps the input");
    }
}
