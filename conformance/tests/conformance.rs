//! The conformance yardstick: runs every case and checks that nothing regressed.

use asl_conformance::{TraceVerdict, Verdict, run_all, summary};

const KNOWN: &str = include_str!("../known-failures.txt");

#[test]
fn pass_count_never_goes_down() {
    let min_passes: usize = KNOWN
        .lines()
        .find_map(|l| l.strip_prefix("min-passes:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("known-failures.txt has a `min-passes:` line");
    let known: Vec<&str> = KNOWN
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" | "))
        .filter_map(|l| l.split(" | ").next())
        .collect();

    let results = run_all();
    println!("{}", summary(&results));
    let mut new_failures = Vec::new();
    let mut fixed = Vec::new();
    for (case, verdict, _) in &results {
        let id = format!("{}/{}", case.group, case.name);
        match verdict {
            Verdict::Fail(why) if !known.contains(&id.as_str()) => new_failures.push(format!("{id}: {why}")),
            Verdict::Pass if known.contains(&id.as_str()) => fixed.push(id),
            _ => {}
        }
    }
    let passes = results.iter().filter(|(_, v, _)| *v == Verdict::Pass).count();
    let min_traces: usize = KNOWN
        .lines()
        .find_map(|l| l.strip_prefix("min-history-matches:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("known-failures.txt has a `min-history-matches:` line");
    let traces = results.iter().filter(|(_, _, t)| *t == TraceVerdict::Match).count();
    assert!(
        traces >= min_traces,
        "{traces} histories match AWS's recorded traces, fewer than the {min_traces} recorded in known-failures.txt"
    );
    assert!(
        new_failures.is_empty(),
        "{} case(s) fail that are not in known-failures.txt:\n{}",
        new_failures.len(),
        new_failures.join("\n")
    );
    assert!(passes >= min_passes, "{passes} cases pass, fewer than the {min_passes} recorded in known-failures.txt");
    assert!(fixed.is_empty(), "these cases pass now; remove them from known-failures.txt:\n{}", fixed.join("\n"));
}
