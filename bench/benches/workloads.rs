//! `cargo bench -p asl-bench`: every workload, compiled and hand-written, under divan (for
//! per-workload timing with divan's statistics; the comparison table is `cargo run --release -p
//! asl-bench`).

use asl_bench::{Engine, Workload, run};

fn main() {
    divan::main();
}

const NAMES: &[&str] = &[
    "loop-5000",
    "loop-50000",
    "map-pass-10000",
    "fanout-1000",
    "fanout-10000",
    "parallel-10",
    "parallel-100",
    "execs-10000x1",
    "execs-10000x100",
];

fn bench(bencher: divan::Bencher, name: &str, engine: Engine) {
    let workload: &Workload = Workload::by_name(name).expect("a workload");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    bencher.with_inputs(|| workload.input()).bench_local_values(|input| runtime.block_on(run(workload, engine, input)));
}

#[divan::bench(args = NAMES, sample_count = 10)]
fn compiled(bencher: divan::Bencher, name: &str) {
    bench(bencher, name, Engine::Compiled);
}

#[divan::bench(args = NAMES, sample_count = 10)]
fn hand(bencher: divan::Bencher, name: &str) {
    bench(bencher, name, Engine::Hand);
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_workload_is_benched() {
        let workloads = asl_bench::WORKLOADS;
        assert_eq!(super::NAMES.len(), workloads.len());
        assert!(workloads.iter().all(|w| super::NAMES.contains(&w.name)));
    }
}
