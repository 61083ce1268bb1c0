//! Benchmark workloads (issue #6): each workflow of `workflows/` compiled with
//! `asl::include_workflow!`, and the same work hand-written in idiomatic Rust with `serde_json` and
//! tokio, so the runner (`src/main.rs`) and the divan benches (`benches/workloads.rs`) time both in
//! one binary.
//!
//! The definitions are copies of the peer's (`../shared/peers/bench/defs/`), so the three engines
//! (compiled, hand-written, peer) run the same workflows on the same data. States are counted as
//! the peer counts them (states entered): a counter loop of N iterations enters 2N+2 states, a Map
//! or Parallel of N items or branches N+1, one execution of the 5-state workflow 5.

use std::cell::Cell;
use std::future::Future;

use asl::runtime::{TaskContext, TaskError};
use futures_util::future::join_all;
use serde_json::{Map, Value, json};

pub mod synthetic;

asl::include_workflow!("workflows/loop.asl.json");
asl::include_workflow!("workflows/map-pass.asl.json");
asl::include_workflow!("workflows/map-task.asl.json");
asl::include_workflow!("workflows/parallel-task-10.asl.json");
asl::include_workflow!("workflows/parallel-task-100.asl.json");
asl::include_workflow!("workflows/tiny5.asl.json");
asl::include_workflow!("workflows/wait-hour.asl.json");

/// The peer's trivial task handler, `async (input) => ({ y: 1, ...input })`: `y` first, then the
/// input's fields (an input `y` overrides it, in place).
pub fn noop_result(input: Value) -> Value {
    let mut map = Map::new();
    map.insert("y".to_owned(), json!(1));
    if let Value::Object(fields) = input {
        map.extend(fields);
    }
    Value::Object(map)
}

/// The trivial async task both versions call.
pub async fn noop(input: Value) -> Value {
    noop_result(input)
}

/// The Task handlers of the compiled workflows: every Task calls [`noop`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Handlers;

impl map_task::Tasks for Handlers {
    async fn noop(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        Ok(noop(input).await)
    }
}

impl parallel_task_10::Tasks for Handlers {
    async fn noop(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        Ok(noop(input).await)
    }
}

impl parallel_task_100::Tasks for Handlers {
    async fn noop(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        Ok(noop(input).await)
    }
}

impl tiny5::Tasks for Handlers {
    async fn noop(&self, input: Value, _cx: TaskContext) -> Result<Value, TaskError> {
        Ok(noop(input).await)
    }
}

impl loop_::Tasks for Handlers {}
impl map_pass::Tasks for Handlers {}
impl wait_hour::Tasks for Handlers {}

/// What a workload runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `loop.asl.json`: Pass/Choice counter loop of `size` iterations.
    Loop,
    /// `map-pass.asl.json`: Map over `size` items, a Pass inside.
    MapPass,
    /// `map-task.asl.json`: Map over `size` items, the trivial Task inside.
    Fanout,
    /// `parallel-task-<size>.asl.json`: `size` branches, one trivial Task each.
    Parallel,
    /// `tiny5.asl.json`: `size` executions of the 5-state workflow, `inflight` at a time.
    Execs { inflight: usize },
}

/// One line of the benchmark table.
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    pub name: &'static str,
    pub kind: Kind,
    pub size: usize,
    /// Arguments of `node bench/bench.mjs` for the same workload.
    pub peer_args: &'static [&'static str],
}

/// Every workload of the table, in the order of `../shared/peers/bench/run-bench.sh`.
pub const WORKLOADS: &[Workload] = &[
    Workload { name: "loop-5000", kind: Kind::Loop, size: 5_000, peer_args: &["loop", "5000"] },
    Workload { name: "loop-50000", kind: Kind::Loop, size: 50_000, peer_args: &["loop", "50000"] },
    Workload { name: "map-pass-10000", kind: Kind::MapPass, size: 10_000, peer_args: &["map", "10000", "0"] },
    Workload { name: "fanout-1000", kind: Kind::Fanout, size: 1_000, peer_args: &["fanout", "1000", "0"] },
    Workload { name: "fanout-10000", kind: Kind::Fanout, size: 10_000, peer_args: &["fanout", "10000", "0"] },
    Workload { name: "parallel-10", kind: Kind::Parallel, size: 10, peer_args: &["parallel", "10"] },
    Workload { name: "parallel-100", kind: Kind::Parallel, size: 100, peer_args: &["parallel", "100"] },
    Workload {
        name: "execs-10000x1",
        kind: Kind::Execs { inflight: 1 },
        size: 10_000,
        peer_args: &["execs", "10000", "1"],
    },
    Workload {
        name: "execs-10000x100",
        kind: Kind::Execs { inflight: 100 },
        size: 10_000,
        peer_args: &["execs", "10000", "100"],
    },
];

impl Workload {
    pub fn by_name(name: &str) -> Option<&'static Workload> {
        WORKLOADS.iter().find(|w| w.name == name)
    }

    /// The same workload at another size (tests use small ones).
    pub fn with_size(&self, size: usize) -> Workload {
        Workload { size, ..*self }
    }

    /// States entered by one run, counted as the peer counts them.
    pub fn states(&self) -> u64 {
        let n = self.size as u64;
        match self.kind {
            Kind::Loop => 2 * n + 2,
            Kind::MapPass | Kind::Fanout | Kind::Parallel => n + 1,
            Kind::Execs { .. } => 5 * n,
        }
    }

    /// Executions in one run (one, except for the execs workloads).
    pub fn executions(&self) -> u64 {
        match self.kind {
            Kind::Execs { .. } => self.size as u64,
            _ => 1,
        }
    }

    /// The input of one run (what the peer passes to `StateMachine.run`).
    pub fn input(&self) -> Value {
        match self.kind {
            Kind::Loop => json!({ "n": self.size }),
            Kind::MapPass | Kind::Fanout => {
                json!({ "items": (0..self.size).map(|v| json!({ "v": v })).collect::<Vec<_>>() })
            }
            Kind::Parallel => json!({ "x": 1 }),
            Kind::Execs { .. } => Value::Null,
        }
    }
}

/// Which version of a workload runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The workflow compiled by `include_workflow!`.
    Compiled,
    /// The hand-written Rust in [`hand`].
    Hand,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Compiled => "compiled",
            Engine::Hand => "hand",
        }
    }

    pub fn parse(text: &str) -> Option<Engine> {
        match text {
            "compiled" => Some(Engine::Compiled),
            "hand" => Some(Engine::Hand),
            _ => None,
        }
    }
}

/// Runs a workload once with `input` (from [`Workload::input`]) and returns its output (for the
/// execs workloads, a summary of every execution's output). Panics when a compiled workflow fails:
/// none of these can fail on their inputs, so a failure is a broken benchmark.
pub async fn run(workload: &Workload, engine: Engine, input: Value) -> Value {
    const FAILED: &str = "the benchmark workflow failed";
    match (workload.kind, engine) {
        (Kind::Loop, Engine::Compiled) => loop_::Workflow::new(Handlers).run(input).await.expect(FAILED),
        (Kind::Loop, Engine::Hand) => hand::counter_loop(input).await,
        (Kind::MapPass, Engine::Compiled) => map_pass::Workflow::new(Handlers).run(input).await.expect(FAILED),
        (Kind::MapPass, Engine::Hand) => hand::map_pass(input).await,
        (Kind::Fanout, Engine::Compiled) => map_task::Workflow::new(Handlers).run(input).await.expect(FAILED),
        (Kind::Fanout, Engine::Hand) => hand::fanout(input).await,
        (Kind::Parallel, Engine::Compiled) => match workload.size {
            10 => parallel_task_10::Workflow::new(Handlers).run(input).await.expect(FAILED),
            100 => parallel_task_100::Workflow::new(Handlers).run(input).await.expect(FAILED),
            other => panic!("no compiled Parallel workflow with {other} branches (there are 10 and 100)"),
        },
        (Kind::Parallel, Engine::Hand) => hand::parallel(input, workload.size).await,
        (Kind::Execs { inflight }, Engine::Compiled) => {
            let workflow = tiny5::Workflow::new(Handlers);
            executions(workload.size, inflight, |input| async { workflow.run(input).await.expect(FAILED) }).await
        }
        (Kind::Execs { inflight }, Engine::Hand) => executions(workload.size, inflight, hand::tiny5).await,
    }
}

/// Runs `count` executions of `execute`, `inflight` at a time on the current task (as the peer's
/// `execs` mode does: `inflight` workers taking the next execution number until none is left), and
/// sums up their outputs `{"x": i, "y": 1}` into `{"executions", "sumX", "sumY"}`.
pub async fn executions<F, Fut>(count: usize, inflight: usize, execute: F) -> Value
where
    F: Fn(Value) -> Fut,
    Fut: Future<Output = Value>,
{
    let next = Cell::new(0usize);
    let sum_x = Cell::new(0i64);
    let sum_y = Cell::new(0i64);
    let worker = || async {
        loop {
            let i = next.get();
            if i >= count {
                break;
            }
            next.set(i + 1);
            let output = execute(json!({ "x": i })).await;
            sum_x.set(sum_x.get() + output["x"].as_i64().unwrap_or(-1_000_000));
            sum_y.set(sum_y.get() + output["y"].as_i64().unwrap_or(-1_000_000));
        }
    };
    join_all((0..inflight.max(1)).map(|_| worker())).await;
    json!({ "executions": count, "sumX": sum_x.get(), "sumY": sum_y.get() })
}

/// The workloads written by hand: what a Rust programmer would write for the same job with
/// `serde_json::Value` data and tokio, keeping the data the workflow keeps (the same objects in and
/// out) and the same concurrency (Map and Parallel run their calls concurrently on one task).
pub mod hand {
    use super::*;

    /// `loop.asl.json`: `{"i": 0, "n": n}`, then `i += 1` while `i < n`; output `{"i": n, "n": n}`.
    /// The counter lives in the JSON object, as it does in the workflow; it is updated in place.
    pub async fn counter_loop(input: Value) -> Value {
        let mut state = json!({ "i": 0, "n": input["n"] });
        loop {
            let i = state["i"].as_i64().expect("i is an integer");
            state["i"] = json!(i + 1);
            if i + 1 >= state["n"].as_i64().expect("n is an integer") {
                return state;
            }
        }
    }

    /// `map-pass.asl.json`: each item `{"v": v}` becomes `{"v": v, "seen": true}`; output the count.
    /// A pure transformation, so a plain iterator (no async work to interleave).
    pub async fn map_pass(mut input: Value) -> Value {
        let items = match input["items"].take() {
            Value::Array(items) => items,
            _ => panic!("items is an array"),
        };
        let results: Vec<Value> =
            items.into_iter().map(|mut item| json!({ "v": item["v"].take(), "seen": true })).collect();
        json!({ "count": results.len() })
    }

    /// `map-task.asl.json`: the trivial task on every item, all concurrently; output the count.
    pub async fn fanout(mut input: Value) -> Value {
        let items = match input["items"].take() {
            Value::Array(items) => items,
            _ => panic!("items is an array"),
        };
        let results: Vec<Value> = join_all(items.into_iter().map(noop)).await;
        json!({ "count": results.len() })
    }

    /// `parallel-task-B.asl.json`: the trivial task in `branches` branches, each on a copy of the
    /// input, all concurrently; output the count.
    pub async fn parallel(input: Value, branches: usize) -> Value {
        let results: Vec<Value> = join_all((0..branches).map(|_| noop(input.clone()))).await;
        json!({ "count": results.len() })
    }

    /// `tiny5.asl.json`: Prep builds `{"x", "tag"}`, Route checks `x >= 0` (both ways lead to
    /// Call), Call runs the task on a copy and keeps its result under `r`, Shape builds `{"x", "y"}`.
    pub async fn tiny5(input: Value) -> Value {
        let mut state = json!({ "x": input["x"], "tag": "bench" });
        let _non_negative = state["x"].as_f64().expect("x is a number") >= 0.0;
        let result = noop(state.clone()).await;
        state["r"] = result;
        json!({ "x": state["x"].take(), "y": state["r"]["y"].take() })
    }
}

/// A short, stable fingerprint of a JSON value (FNV-1a of its text), to check in each run that the
/// compiled and hand-written versions produced the same output.
pub fn digest(value: &Value) -> String {
    let text = serde_json::to_string(value).expect("a Value always serialises");
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}
