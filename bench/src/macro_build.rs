//! `--macro-build`: the build time `include_workflow!` adds to a crate.
//!
//! Writes a probe crate under the target directory (`macro-build-probe/`, its own workspace, the
//! workspace's `Cargo.lock`), builds it once to compile its dependencies, then times rebuilding
//! only the probe crate with an empty `main` and with a synthetic workflow of 10, 100 and 1,000
//! states included and instantiated (its state functions are generic over the task handlers, so
//! `main` creates the execution's future with a `Registry` to have them compiled), in the dev and
//! release profiles. The added time is the difference with the empty `main`.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use asl_bench::synthetic;

pub fn run(root: &Path) {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let probe = target.join("macro-build-probe");
    std::fs::create_dir_all(probe.join("src")).expect("creating the probe crate");
    let manifest = format!(
        "[package]\nname = \"macro-build-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\nasl = {{ path = {root:?} }}\nasl-runtime = {{ path = {runtime:?} }}\n\
         serde_json = {{ version = \"1\", features = [\"preserve_order\"] }}\n",
        root = root.display().to_string(),
        runtime = root.join("asl-runtime").display().to_string(),
    );
    std::fs::write(probe.join("Cargo.toml"), manifest).expect("writing the probe manifest");
    std::fs::copy(root.join("Cargo.lock"), probe.join("Cargo.lock")).expect("copying Cargo.lock");
    let sizes = [10usize, 100, 1000];
    for n in sizes {
        std::fs::write(probe.join(format!("synthetic-{n}.asl.json")), synthetic::workflow(n))
            .expect("writing a synthetic workflow");
    }
    let baseline = "fn main() {\n    println!(\"{}\", serde_json::json!({ \"a\": 1 }));\n}\n".to_owned();
    let with = |n: usize| {
        format!(
            "asl::include_workflow!(\"synthetic-{n}.asl.json\");\n\n\
             fn main() {{\n    let workflow = synthetic_{n}::Workflow::new(asl::runtime::Registry::new());\n    \
             let execution = workflow.run(serde_json::json!({{ \"i\": 1 }}));\n    \
             println!(\"{{}}\", std::mem::size_of_val(&execution));\n}}\n"
        )
    };
    let build = |source: &str, release: bool| -> f64 {
        std::fs::write(probe.join("src/main.rs"), source).expect("writing the probe's main.rs");
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.arg("build").arg("--offline").arg("--quiet").current_dir(&probe);
        command.env("CARGO_TARGET_DIR", probe.join("target"));
        if release {
            command.arg("--release");
        }
        let started = Instant::now();
        let status = command.status().expect("running cargo");
        assert!(status.success(), "building the probe crate failed");
        started.elapsed().as_secs_f64()
    };
    println!();
    println!(
        "build time include_workflow! adds (probe crate in {}, cargo build of the probe crate only):",
        probe.display()
    );
    for release in [false, true] {
        let profile = if release { "release" } else { "dev" };
        build(&baseline, release); // dependencies
        let empty = build(&format!("{baseline}// again\n"), release);
        let mut line = format!("  {profile:<7} empty main {empty:.2} s;");
        for n in sizes {
            let t = build(&with(n), release);
            line.push_str(&format!("  {n} states +{:.2} s", t - empty));
        }
        println!("{line}");
    }
}
