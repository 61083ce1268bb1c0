//! The validation corpus (`shared/validation`): 308 definitions from other projects' test suites,
//! each marked valid or invalid by its source. Every file must get its source's verdict, except the
//! deviations listed below, and every rejection must point at a state with line and column.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write;

use asl_codegen::render::Source;
use asl_codegen::{analyze, analyze_state};

/// Files where we deliberately give the opposite verdict to the source project, and why.
const DEVIATIONS: &[(&str, &str)] = &[
    (
        "invalid/aws-local-stepfunctions/StateMachine__L15__should-validate-arns-by-default-when-creating-instance.asl.json",
        "aws-local-stepfunctions refuses it only because its default ARN check rejects the resource 'mock-arn'; \
         AWS would too, but a local engine serves any resource name (issue #2), so we accept it",
    ),
    (
        "invalid/aws-local-stepfunctions/StateMachine__L51__should-not-throw-if-arn-validation-is-turned-off-when-creating-instanc.asl.json",
        "same definition shape as L15: invalid only under aws-local-stepfunctions' default ARN check ('mock-arn')",
    ),
    (
        "invalid/asl-validator/invalid-json-surround-syntax-extra-spaces.json",
        "asl-validator's surround regex does not allow a newline inside '{% ... %}'; AWS only requires the string to \
         start with exactly '{%' and end with exactly '%}' (Developer Guide, transforming-data), and ' \\n10 ' is valid JSONata",
    ),
    (
        "invalid/statebox/intrinsic-functions__format__bad-format-string.json",
        "statebox refuses 'States.Format('{}', $)' (an object argument) as the spec says, but AWS accepts it and renders it \
         Java-style (AWS-recorded: test_format_2 gives 'fst={Arg1=1, Arg2=[]}'); we warn (NON_PORTABLE_INTRINSIC)",
    ),
    (
        "valid/asl-validator/valid-assign.asl.json",
        "assigns a variable named 'top-level'; variable names must be identifiers (INVENTORY 2.7), which \
         asl-validator does not check",
    ),
    (
        "valid/statelint-awslabs/task-with-credentials.json",
        "statelint does not look inside Credentials; AWS requires 'RoleArn' there (AWS-recorded: \
         \"The field 'RoleArn' is required but was missing at /States/State0/Credentials\"), and this file has 'roleArn'",
    ),
    (
        "valid/statebox/resource-config-validity__goodbye-valid.json",
        "uses statebox's own Task field 'ResourceConfig', which AWS refuses (Field 'ResourceConfig' is not supported)",
    ),
    (
        "valid/aws-local-stepfunctions/state-fragments/stateActions_ParallelStateAction__L52__should-output-an-array-with-items-corresponding-to-the-order-of-the-br.state.json",
        "its branches reuse the state name 'Pass'; state names must be unique in the whole state machine (spec; AWS)",
    ),
];

/// The first error of each invalid file, as `code<TAB>state<TAB>line:col`, checked in.
const EXPECTED: &str = include_str!("validation_expected.tsv");

struct Entry {
    kind: String,
    path: String,
}

fn manifest() -> Vec<Entry> {
    let dir = support::shared_dir().join("validation");
    let text = std::fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Entry { kind: v["kind"].as_str().unwrap().to_owned(), path: v["path"].as_str().unwrap().to_owned() }
        })
        .collect()
}

/// Analyses one corpus file; single-state fragments are checked as a lone state.
fn first_error(path: &str) -> (bool, Option<String>) {
    let full = support::shared_dir().join("validation").join(path);
    let text = std::fs::read_to_string(&full).unwrap();
    let analysis = if path.contains("/state-fragments/") { analyze_state(&text) } else { analyze(&text) };
    let source = Source::new(path, &text);
    let first = analysis.errors().next().map(|d| {
        let at = d.locate(&text, &source.index);
        format!("{}\t{}\t{}:{}", d.code, d.state.as_deref().unwrap_or("-"), at.line, at.col)
    });
    (!analysis.has_errors(), first)
}

#[test]
fn every_file_gets_its_source_verdict() {
    let mut wrong = Vec::new();
    let mut counts = BTreeMap::new();
    for entry in manifest() {
        let (valid, first) = first_error(&entry.path);
        let expected_valid = entry.kind == "valid";
        let deviation = DEVIATIONS.iter().find(|(p, _)| *p == entry.path);
        let ok = if deviation.is_some() { valid != expected_valid } else { valid == expected_valid };
        *counts.entry((entry.kind.clone(), ok)).or_insert(0) += 1;
        if !ok {
            wrong.push(format!(
                "{} (source says {}, we say {}): {:?}",
                entry.path,
                entry.kind,
                if valid { "valid" } else { "invalid" },
                first
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} files with the wrong verdict:\n{}\ncounts: {counts:?}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn rejections_point_at_the_recorded_state_and_location() {
    let expected: BTreeMap<&str, &str> =
        EXPECTED.lines().filter(|l| !l.is_empty()).filter_map(|l| l.split_once('\t')).collect();
    let mut actual = String::new();
    let mut mismatches = Vec::new();
    for entry in manifest().iter().filter(|e| e.kind == "invalid") {
        let (_, first) = first_error(&entry.path);
        let Some(first) = first else { continue };
        writeln!(actual, "{}\t{first}", entry.path).unwrap();
        // Every rejection has a real location.
        assert!(!first.ends_with("\t0:0"), "{}: no location", entry.path);
        match expected.get(entry.path.as_str()) {
            Some(want) if *want != first => {
                mismatches.push(format!("{}\n  expected {want}\n  actual   {first}", entry.path))
            }
            // Files added to the corpus after the expectations were recorded only need the verdict.
            _ => {}
        }
    }
    if std::env::var_os("ASL_BLESS").is_some() {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/validation_expected.tsv"), actual).unwrap();
        return;
    }
    assert!(
        mismatches.is_empty(),
        "locations changed (rerun with ASL_BLESS=1 after reviewing):\n{}",
        mismatches.join("\n")
    );
}
