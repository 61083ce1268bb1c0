//! The compiled workflows and the hand-written versions compute the same outputs (small sizes).

use asl_bench::{Engine, WORKLOADS, Workload, run};
use serde_json::json;

fn small(workload: &Workload) -> Workload {
    match workload.kind {
        // The Parallel workflows exist for 10 and 100 branches only.
        asl_bench::Kind::Parallel => *workload,
        _ => workload.with_size(37),
    }
}

#[tokio::test]
async fn compiled_and_hand_written_outputs_are_the_same() {
    for workload in WORKLOADS {
        let workload = small(workload);
        let compiled = run(&workload, Engine::Compiled, workload.input()).await;
        let hand = run(&workload, Engine::Hand, workload.input()).await;
        assert_eq!(compiled, hand, "{}", workload.name);
    }
}

#[tokio::test]
async fn outputs_are_the_expected_ones() {
    let by_name = |name| small(Workload::by_name(name).expect("a workload"));
    let output = |name, engine| {
        let workload = by_name(name);
        async move { run(&workload, engine, workload.input()).await }
    };
    for engine in [Engine::Compiled, Engine::Hand] {
        assert_eq!(output("loop-5000", engine).await, json!({ "i": 37, "n": 37 }));
        assert_eq!(output("map-pass-10000", engine).await, json!({ "count": 37 }));
        assert_eq!(output("fanout-1000", engine).await, json!({ "count": 37 }));
        assert_eq!(output("parallel-100", engine).await, json!({ "count": 100 }));
        let sum_x: i64 = (0..37).sum();
        assert_eq!(output("execs-10000x100", engine).await, json!({ "executions": 37, "sumX": sum_x, "sumY": 37 }));
    }
    assert_eq!(by_name("loop-5000").states(), 76);
    assert_eq!(by_name("execs-10000x1").states(), 185);
}

#[test]
fn the_trivial_task_puts_y_first_and_lets_the_input_override_it() {
    assert_eq!(asl_bench::noop_result(json!({ "x": 1 })).to_string(), r#"{"y":1,"x":1}"#);
    assert_eq!(asl_bench::noop_result(json!({ "y": 5, "x": 1 })).to_string(), r#"{"y":5,"x":1}"#);
}
