//! `cargo run --release -p asl-bench`: the benchmark table of issue #6.
//!
//! For each workload, the compiled workflow and the hand-written version each run in a child
//! process (this binary re-executed with a hidden argument) so that each reports its own peak
//! memory; the peer (`node bench/bench.mjs`, from `../shared/peers`) runs when Node and its
//! `node_modules` are there. Then the memory of executions suspended in a Wait, and the time to
//! generate code for workflows of 10, 100 and 1,000 states.
//!
//! Options: `--reps N` (runs per engine and workload, median reported; default 7),
//! `--peer-reps N` (default 3), `--only NAME,..`, `--no-peer`, `--peers DIR` (or `ASL_PEERS_DIR`;
//! default `../shared/peers` beside the workspace), `--install-peers` (`npm install` there when
//! `node_modules` is missing), `--suspended N` (default 100000, 0 to skip), `--no-codegen`,
//! `--macro-build` (also time building a crate that includes synthetic workflows; slow),
//! `--no-table` (skip the workloads, e.g. with `--macro-build` alone).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use asl_bench::{
    Engine, Handlers, WORKLOADS, Workload, digest, loop_, map_pass, map_task, run, synthetic, tiny5, wait_hour,
};
use serde_json::{Value, json};

mod macro_build;

struct Options {
    reps: usize,
    peer_reps: usize,
    only: Option<Vec<String>>,
    peer: bool,
    peers_dir: PathBuf,
    install_peers: bool,
    suspended: usize,
    codegen: bool,
    macro_build: bool,
    table: bool,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the bench crate is inside the workspace").to_owned()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--child") => return child(&args[1..]),
        Some("--child-suspended") => return child_suspended(&args[1..]),
        _ => {}
    }
    let options = parse_options(&args);
    let peer = if options.peer && options.table { Peer::find(&options) } else { None };
    print_header(&options, peer.as_ref());
    if options.table {
        table(&options, peer.as_ref());
    }
    if options.suspended > 0 {
        suspended(options.suspended);
    }
    if options.codegen {
        codegen();
    }
    if options.macro_build {
        macro_build::run(&workspace_root());
    }
}

fn parse_options(args: &[String]) -> Options {
    let mut options = Options {
        reps: 7,
        peer_reps: 3,
        only: None,
        peer: true,
        peers_dir: std::env::var_os("ASL_PEERS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("../shared/peers")),
        install_peers: false,
        suspended: 100_000,
        codegen: true,
        macro_build: false,
        table: true,
    };
    let mut args = args.iter();
    let number = |value: Option<&String>, flag: &str| -> usize {
        value.and_then(|v| v.parse().ok()).unwrap_or_else(|| usage(&format!("{flag} needs a number")))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reps" => options.reps = number(args.next(), "--reps").max(1),
            "--peer-reps" => options.peer_reps = number(args.next(), "--peer-reps").max(1),
            "--suspended" => options.suspended = number(args.next(), "--suspended"),
            "--only" => {
                let names = args.next().unwrap_or_else(|| usage("--only needs workload names"));
                let names: Vec<String> = names.split(',').map(str::to_owned).collect();
                for name in &names {
                    if Workload::by_name(name).is_none() {
                        usage(&format!("no workload named {name}"));
                    }
                }
                options.only = Some(names);
            }
            "--no-peer" => options.peer = false,
            "--peers" => options.peers_dir = PathBuf::from(args.next().unwrap_or_else(|| usage("--peers needs a dir"))),
            "--install-peers" => options.install_peers = true,
            "--no-codegen" => options.codegen = false,
            "--macro-build" => options.macro_build = true,
            "--no-table" => options.table = false,
            "--help" | "-h" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    options
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("asl-bench: {problem}");
    }
    eprintln!(
        "usage: asl-bench [--reps N] [--peer-reps N] [--only NAME,..] [--no-peer] [--peers DIR] [--install-peers]\n\
         \x20                [--suspended N] [--no-codegen] [--macro-build] [--no-table]\n\
         workloads: {}",
        WORKLOADS.iter().map(|w| w.name).collect::<Vec<_>>().join(", ")
    );
    std::process::exit(2)
}

// ---------------------------------------------------------------------------------------------
// Children: one engine on one workload, or a crowd of suspended executions.

/// `--child WORKLOAD ENGINE REPS`: prints `CHILD seconds=<median of one run> hwm_kb=.. digest=..`,
/// the peak resident memory being that of the process after its first run (runtime, input, run).
fn child(args: &[String]) {
    let workload = args.first().and_then(|n| Workload::by_name(n)).expect("--child: a workload name");
    let engine = args.get(1).and_then(|e| Engine::parse(e)).expect("--child: compiled or hand");
    let reps: usize = args.get(2).and_then(|r| r.parse().ok()).expect("--child: a number of runs");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");

    // One warm-up run, which also tells how many runs make one timed sample of at least 50 ms.
    let input = workload.input();
    let started = Instant::now();
    let output = runtime.block_on(run(workload, engine, input));
    let once = started.elapsed().max(Duration::from_nanos(1));
    // The peak of one run (the later samples keep several inputs at once).
    let peak_kb = proc_status_kb("VmHWM:");
    let per_sample =
        (Duration::from_millis(50).as_secs_f64() / once.as_secs_f64()).ceil().clamp(1.0, 100_000.0) as usize;

    let mut samples = Vec::with_capacity(reps);
    for _ in 0..reps {
        let inputs: Vec<Value> = (0..per_sample).map(|_| workload.input()).collect();
        let started = Instant::now();
        runtime.block_on(async {
            for input in inputs {
                std::hint::black_box(run(workload, engine, input).await);
            }
        });
        samples.push(started.elapsed().as_secs_f64() / per_sample as f64);
    }
    println!(
        "CHILD seconds={} hwm_kb={} digest={} runs_per_sample={per_sample}",
        median(&mut samples),
        peak_kb,
        digest(&output)
    );
}

/// `--child-suspended compiled|hand|payload N`: starts N executions that wait an hour (or, for
/// `payload`, only keeps N payloads) and prints the resident memory before and after.
fn child_suspended(args: &[String]) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static STARTED: AtomicUsize = AtomicUsize::new(0);

    let what = args.first().map(String::as_str).expect("--child-suspended: compiled, hand or payload");
    let n: usize = args.get(1).and_then(|r| r.parse().ok()).expect("--child-suspended: a count");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let workflow: &'static wait_hour::Workflow<Handlers> = Box::leak(Box::new(wait_hour::Workflow::new(Handlers)));
    // Warm the allocator and the runtime up with a few, so that "before" is not an empty process.
    let mut kept = Vec::new();
    let before = runtime.block_on(async {
        let warm = 100;
        for i in 0..warm {
            spawn_suspended(what, workflow, i, &STARTED, &mut kept);
        }
        while STARTED.load(Ordering::SeqCst) < warm {
            tokio::task::yield_now().await;
        }
        proc_status_kb("VmRSS:")
    });
    let after = runtime.block_on(async {
        for i in 0..n {
            spawn_suspended(what, workflow, i, &STARTED, &mut kept);
        }
        // On a current-thread runtime a task runs to its first suspension point (the Wait) within
        // one poll, so once every task has counted itself, every execution is waiting.
        while STARTED.load(Ordering::SeqCst) < n + 100 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        proc_status_kb("VmRSS:")
    });
    println!("CHILD before_kb={before} after_kb={after} count={n} kept={}", std::hint::black_box(kept.len()));
}

fn spawn_suspended(
    what: &str,
    workflow: &'static wait_hour::Workflow<Handlers>,
    i: usize,
    started: &'static std::sync::atomic::AtomicUsize,
    kept: &mut Vec<Value>,
) {
    use std::sync::atomic::Ordering;
    match what {
        "compiled" => {
            tokio::spawn(async move {
                started.fetch_add(1, Ordering::SeqCst);
                let _ = workflow.run(json!({ "id": i })).await;
            });
        }
        "hand" => {
            tokio::spawn(async move {
                started.fetch_add(1, Ordering::SeqCst);
                let input = json!({ "id": i });
                let state = json!({ "id": input["id"], "started": true });
                tokio::time::sleep(Duration::from_secs(3600)).await;
                std::hint::black_box(state);
            });
        }
        "payload" => {
            kept.push(json!({ "id": i, "started": true }));
            started.fetch_add(1, Ordering::SeqCst);
        }
        other => panic!("--child-suspended: unknown kind {other}"),
    }
}

/// A `kB` field of `/proc/self/status` (`VmHWM:` peak resident, `VmRSS:` resident now); 0 where
/// there is no /proc.
fn proc_status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 { samples[n / 2] } else { (samples[n / 2 - 1] + samples[n / 2]) / 2.0 }
}

/// Runs this binary with `args` and returns the fields of its `CHILD` line.
fn run_child(args: &[&str]) -> Vec<(String, String)> {
    let exe = std::env::current_exe().expect("the path of this binary");
    let output = Command::new(exe).args(args).output().expect("re-running this binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let Some(line) = stdout.lines().find(|l| l.starts_with("CHILD ")) else {
        panic!("child {args:?} failed ({}):\n{}", output.status, String::from_utf8_lossy(&output.stderr));
    };
    line["CHILD ".len()..]
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn field<T: std::str::FromStr>(fields: &[(String, String)], name: &str) -> T {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or_else(|| panic!("the child's line has no {name}: {fields:?}"))
}

// ---------------------------------------------------------------------------------------------
// The peer.

struct Peer {
    dir: PathBuf,
    node_version: String,
    /// `/usr/bin/time`, for the peer's peak memory (else its own end-of-run RSS).
    time: Option<PathBuf>,
}

impl Peer {
    fn find(options: &Options) -> Option<Peer> {
        let node_version = match Command::new("node").arg("--version").output() {
            Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            _ => {
                println!("peer: skipped (no `node` on PATH)");
                return None;
            }
        };
        let dir = options.peers_dir.clone();
        if !dir.join("bench/bench.mjs").exists() {
            println!("peer: skipped ({} has no bench/bench.mjs; set --peers or ASL_PEERS_DIR)", dir.display());
            return None;
        }
        if !dir.join("node_modules/aws-local-stepfunctions").exists() {
            if !options.install_peers {
                println!(
                    "peer: skipped ({} has no node_modules; pass --install-peers to run `npm install` there)",
                    dir.display()
                );
                return None;
            }
            println!("peer: npm install --no-audit --no-fund in {}", dir.display());
            let ok = Command::new("npm")
                .args(["install", "--no-audit", "--no-fund"])
                .current_dir(&dir)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                println!("peer: skipped (npm install failed)");
                return None;
            }
        }
        let time = Some(PathBuf::from("/usr/bin/time")).filter(|t| t.exists());
        Some(Peer { dir, node_version, time })
    }

    /// Runs `node bench/bench.mjs ARGS` once: its JSON line and its peak RSS in kB.
    fn run_once(&self, args: &[&str]) -> Option<(Value, u64)> {
        let time_file = std::env::temp_dir().join(format!("asl-bench-peer-time-{}", std::process::id()));
        let mut command = match &self.time {
            Some(time) => {
                let mut c = Command::new(time);
                c.arg("-f").arg("%M").arg("-o").arg(&time_file).arg("node");
                c
            }
            None => Command::new("node"),
        };
        let output = command.arg("bench/bench.mjs").args(args).current_dir(&self.dir).output().ok()?;
        if !output.status.success() {
            eprintln!("peer {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
            return None;
        }
        let line = String::from_utf8_lossy(&output.stdout);
        let json: Value = serde_json::from_str(line.lines().last()?).ok()?;
        let peak_kb = std::fs::read_to_string(&time_file)
            .ok()
            .and_then(|t| t.trim().lines().last().and_then(|l| l.trim().parse().ok()))
            .unwrap_or_else(|| (json["rssMB"].as_f64().unwrap_or(0.0) * 1024.0) as u64);
        let _ = std::fs::remove_file(&time_file);
        Some((json, peak_kb))
    }
}

// ---------------------------------------------------------------------------------------------
// The table.

struct Row {
    /// Median seconds per run.
    compiled: f64,
    hand: f64,
    /// Median states/s or executions/s of the peer, as it reports them.
    peer: Option<f64>,
    peak_kb: [u64; 3],
}

fn print_header(options: &Options, peer: Option<&Peer>) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name").map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    println!(
        "{date}; machine: {cores} cores, {cpu}; {rustc}; node {}",
        peer.map_or("(not run)", |p| p.node_version.as_str())
    );
    println!(
        "compiled and hand-written: tokio current-thread runtime, each engine and workload in its own process, \
         median of {} samples (a sample: enough runs for 50 ms); peer: median of {} processes",
        options.reps, options.peer_reps
    );
    println!();
}

fn table(options: &Options, peer: Option<&Peer>) {
    println!(
        "{:<16} {:>9}  {:>11} {:>11} {:>8}  {:>11} {:>9}  {:>22}",
        "workload", "states", "compiled", "hand", "c/hand", "peer", "c/peer", "peak MB compiled/hand/peer"
    );
    let mut mismatches = 0;
    for workload in WORKLOADS {
        if options.only.as_ref().is_some_and(|only| !only.iter().any(|n| n == workload.name)) {
            continue;
        }
        let reps = options.reps.to_string();
        let compiled = run_child(&["--child", workload.name, "compiled", &reps]);
        let hand = run_child(&["--child", workload.name, "hand", &reps]);
        let (compiled_digest, hand_digest): (String, String) = (field(&compiled, "digest"), field(&hand, "digest"));
        if compiled_digest != hand_digest {
            mismatches += 1;
        }
        let mut peak_kb = [field(&compiled, "hwm_kb"), field(&hand, "hwm_kb"), 0];
        let per_exec = matches!(workload.kind, asl_bench::Kind::Execs { .. });
        let peer_rate = peer.and_then(|peer| {
            let mut rates = Vec::new();
            for _ in 0..options.peer_reps {
                let (json, kb) = peer.run_once(workload.peer_args)?;
                let rate = if per_exec { json["execsPerSec"].as_f64() } else { json["statesPerSec"].as_f64() };
                rates.push(rate?);
                peak_kb[2] = peak_kb[2].max(kb);
            }
            Some(median(&mut rates))
        });
        let row =
            Row { compiled: field(&compiled, "seconds"), hand: field(&hand, "seconds"), peer: peer_rate, peak_kb };
        print_row(workload, &row, per_exec, compiled_digest == hand_digest);
    }
    println!(
        "rates: states/s (st/s) as the peer counts states entered; execs/s (ex/s) for the execs workloads. c/hand and c/peer: compiled rate / other rate."
    );
    if mismatches > 0 {
        println!("!! {mismatches} workload(s) where the compiled and hand-written outputs differ (marked MISMATCH)");
        std::process::exit(1);
    }
    println!("outputs: compiled and hand-written outputs identical on every workload");
}

fn print_row(workload: &Workload, row: &Row, per_exec: bool, same: bool) {
    let (amount, unit) =
        if per_exec { (workload.executions() as f64, "ex/s") } else { (workload.states() as f64, "st/s") };
    let compiled = amount / row.compiled;
    let hand = amount / row.hand;
    let peer = row.peer.map_or("-".to_owned(), |p| format!("{} {unit}", human(p)));
    let vs_peer = row.peer.map_or("-".to_owned(), |p| format!("{:.0}x", compiled / p));
    let mb = |kb: u64| if kb == 0 { "-".to_owned() } else { format!("{:.1}", kb as f64 / 1024.0) };
    println!(
        "{:<16} {:>9}  {:>11} {:>11} {:>8}  {:>11} {:>9}  {:>22}{}",
        workload.name,
        workload.states(),
        format!("{} {unit}", human(compiled)),
        format!("{} {unit}", human(hand)),
        format!("{:.2}x", compiled / hand),
        peer,
        vs_peer,
        format!("{} / {} / {}", mb(row.peak_kb[0]), mb(row.peak_kb[1]), mb(row.peak_kb[2])),
        if same { "" } else { "  MISMATCH" }
    );
}

/// 1234567 as `1.23M`.
fn human(x: f64) -> String {
    if x >= 1e9 {
        format!("{:.2}G", x / 1e9)
    } else if x >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

// ---------------------------------------------------------------------------------------------
// Memory per suspended execution.

fn suspended(n: usize) {
    println!();
    let count = n.to_string();
    let per = |what: &str| -> f64 {
        let fields = run_child(&["--child-suspended", what, &count]);
        let (before, after): (u64, u64) = (field(&fields, "before_kb"), field(&fields, "after_kb"));
        (after.saturating_sub(before) * 1024) as f64 / n as f64
    };
    let payload = per("payload");
    let compiled = per("compiled");
    let hand = per("hand");
    let future = std::mem::size_of_val(&wait_hour::Workflow::new(Handlers).run(json!({ "id": 0 })));
    let ex = asl::runtime::Execution::new(asl::runtime::ExecutionInfo::new("bench", "sizes"), Value::Null);
    let sizes = [
        ("tiny5 execution", std::mem::size_of_val(&tiny5::Workflow::new(Handlers).run(Value::Null))),
        ("loop execution", std::mem::size_of_val(&loop_::Workflow::new(Handlers).run(Value::Null))),
        ("map-pass iteration", std::mem::size_of_val(&map_pass::each_items::run(&Handlers, &ex, None, Value::Null))),
        ("map-task iteration", std::mem::size_of_val(&map_task::fan_items::run(&Handlers, &ex, None, Value::Null))),
        ("hand-written fan-out call", std::mem::size_of_val(&asl_bench::noop(Value::Null))),
    ];
    println!(
        "suspended in a Wait ({n} executions at once, wait-hour.asl.json, resident memory after - before, per execution):"
    );
    println!(
        "  compiled {compiled:.0} B, hand-written tokio task sleeping {hand:.0} B, payload {{\"id\",\"started\"}} alone {payload:.0} B; compiled beyond its payload {:.0} B (target < 2048 B); size of the compiled execution's future {future} B",
        compiled - payload
    );
    let sizes: Vec<String> = sizes.iter().map(|(what, size)| format!("{what} {size} B")).collect();
    println!("  future sizes: {}", sizes.join(", "));
}

// ---------------------------------------------------------------------------------------------
// Code generation time.

fn codegen() {
    println!();
    println!("code generation (asl_codegen::compile_source: parse, model, check, emit tokens; median of 5):");
    for states in [10, 100, 1000] {
        let text = synthetic::workflow(states);
        let mut samples = Vec::new();
        let mut size = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let tokens = asl_codegen::compile_source(&text, "synthetic.asl.json", "synthetic", None)
                .unwrap_or_else(|errors| panic!("the synthetic workflow is invalid: {errors:?}"));
            samples.push(started.elapsed().as_secs_f64());
            size = tokens.to_string().len();
        }
        println!(
            "  {states:>5} states: {:>9.2} ms   ({} KB of ASL, {} KB of generated tokens)",
            median(&mut samples) * 1e3,
            text.len() / 1024,
            size / 1024
        );
    }
}
