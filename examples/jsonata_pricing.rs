//! A workflow written in JSONata with variables: look up the customer and remember their tier
//! (`Assign`), price every cart line in a Map whose items come from a variable, then let a Choice
//! `Condition` decide the discount and build the result with JSONata (`$sum`, `$round`, `$join`).
//!
//! `cargo run --example jsonata_pricing`

use asl_runtime::{TaskContext, TaskError};
use serde_json::{Value, json};

asl_macros::include_workflow!("examples/workflows/pricing-jsonata.asl.json");

use pricing_jsonata::{Tasks, Workflow};

struct Shop;

impl Tasks for Shop {
    async fn get_customer(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        let tier = if input["customerId"] == "c-gold" { "gold" } else { "standard" };
        Ok(json!({ "id": input["customerId"], "tier": tier }))
    }

    async fn price_line(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        let unit = match input["sku"].as_str() {
            Some("book") => 1250,
            Some("lamp") => 4999,
            _ => 100,
        };
        Ok(json!({ "unitCents": unit }))
    }
}

fn cart(customer: &str) -> Value {
    json!({ "customerId": customer, "cart": [{ "sku": "book", "quantity": 2 }, { "sku": "lamp", "quantity": 1 }] })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let workflow = Workflow::new(Shop);
    for customer in ["c-gold", "c-new"] {
        match workflow.run(cart(customer)).await {
            Ok(output) => println!("{customer}: {}", serde_json::to_string_pretty(&output).unwrap_or_default()),
            Err(error) => println!("{customer}: failed: {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn gold_customers_get_ten_percent_off_large_carts() {
        let output = Workflow::new(Shop).run(cart("c-gold")).await.unwrap();
        assert_eq!(output["subtotalCents"], 7499);
        assert_eq!(output["discountPercent"], 10);
        assert_eq!(output["totalCents"], 6749);
        assert_eq!(output["summary"], "2 x book, 1 x lamp");
        assert_eq!(output["lines"][1], json!({ "sku": "lamp", "quantity": 1, "position": 2, "lineCents": 4999 }));
    }

    #[tokio::test]
    async fn other_customers_pay_the_subtotal() {
        let output = Workflow::new(Shop).run(cart("c-new")).await.unwrap();
        assert_eq!(output["tier"], "standard");
        assert_eq!(output["discountPercent"], 0);
        assert_eq!(output["totalCents"], 7499);
    }
}
