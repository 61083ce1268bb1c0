//! Synthetic workflows of any size, for the compile-time figures: a chain of Pass, Choice and Task
//! states (a third of each) ending in a Succeed state.

use serde_json::{Map, Value, json};

/// A valid ASL definition of exactly `states` states (at least 1).
pub fn workflow(states: usize) -> String {
    let states = states.max(1);
    let name = |i: usize| format!("S{i:04}");
    let mut map = Map::new();
    for i in 0..states - 1 {
        let next = name(i + 1);
        let state = match i % 3 {
            0 => json!({
                "Type": "Pass",
                "Parameters": { "i.$": "$.i", "step": i, "sum.$": "States.MathAdd($.i, 1)", "r.$": "$.r" },
                "Next": next,
            }),
            1 => json!({
                "Type": "Choice",
                "Choices": [
                    { "Variable": "$.i", "NumericGreaterThan": i, "Next": next },
                    { "And": [
                        { "Variable": "$.r", "IsPresent": true },
                        { "Variable": "$.i", "NumericLessThanEquals": 0 }
                    ], "Next": next }
                ],
                "Default": next,
            }),
            _ => json!({
                "Type": "Task",
                "Resource": format!("arn:aws:lambda:us-east-1:123456789012:function:work{}", i % 7),
                "ResultPath": "$.r",
                "Retry": [{ "ErrorEquals": ["States.Timeout"], "MaxAttempts": 2 }],
                "Catch": [{ "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": next }],
                "Next": next,
            }),
        };
        map.insert(name(i), state);
    }
    map.insert(name(states - 1), json!({ "Type": "Succeed" }));
    let definition = json!({
        "Comment": format!("Synthetic chain of {states} states"),
        "StartAt": name(0),
        "States": Value::Object(map),
    });
    serde_json::to_string_pretty(&definition).expect("a Value always serialises")
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_workflows_are_valid_and_have_the_asked_number_of_states() {
        for n in [1, 10, 100] {
            let text = super::workflow(n);
            let analysis = asl_codegen::analyze(&text);
            let errors: Vec<_> = analysis.errors().map(|d| d.message.clone()).collect();
            assert!(errors.is_empty(), "{n} states: {errors:?}");
            let machine = analysis.machine.expect("a model");
            assert_eq!(machine.body.states.len(), n);
            assert!(asl_codegen::compile_source(&text, "synthetic.asl.json", "synthetic", None).is_ok());
        }
    }
}
