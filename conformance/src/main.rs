//! `cargo run -p asl-conformance`: runs every conformance case and prints one line per case,
//! `PASS|FAIL|SKIP <group>/<name>` (with the difference for FAIL), then the counts.

use asl_conformance::{TraceVerdict, Verdict, run_all, summary};

fn main() {
    let results = run_all();
    for (case, verdict, trace) in &results {
        match verdict {
            Verdict::Pass => println!("PASS {}/{}", case.group, case.name),
            Verdict::Fail(why) => println!("FAIL {}/{}: {why}", case.group, case.name),
            Verdict::Skip(why) => println!("SKIP {}/{}: {why}", case.group, case.name),
        }
        if let TraceVerdict::Mismatch(why) = trace {
            println!("HISTORY {}/{}: {why}", case.group, case.name);
        }
    }
    println!("{}", summary(&results));
}
