//! Integration tests of the `asl` binary: exit codes, the three output formats, I/O errors, and a
//! generated 2,000-state definition.
//!
//! Exit codes: 0 when every file is valid, 1 when any is invalid, 2 for usage or I/O errors.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output};

const VALID: &str = r#"{
  "Comment": "A valid two-state workflow",
  "StartAt": "Hello",
  "States": {
    "Hello": {"Type": "Pass", "Result": "hi", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}
"#;

/// A warning (7:34, `States.Foo`), a missing target (8:15, the value of `Next`) and, as its
/// consequence, an unreachable state (10:5).
const INVALID: &str = r#"{
  "StartAt": "Pay",
  "States": {
    "Pay": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Retry": [{"ErrorEquals": ["States.Foo"]}],
      "Next": "Shipp"
    },
    "Ship": {"Type": "Succeed"}
  }
}
"#;

fn asl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_asl")).args(args).output().expect("the asl binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// Writes `text` to a file of this test's own (so tests can run in parallel) and returns its path.
fn write(name: &str, text: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("asl-cli-tests");
    std::fs::create_dir_all(&dir).expect("create the test directory");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the test file");
    path.to_str().expect("UTF-8 path").to_owned()
}

fn assert_no_panic(o: &Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "the binary panicked:\n{err}");
}

#[test]
fn valid_file_exits_0_and_prints_nothing_on_stdout() {
    let path = write("valid.asl.json", VALID);
    let o = asl(&["check", &path]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "asl check: 0 errors, 0 warnings in 1 file\n");
}

#[test]
fn invalid_file_exits_1_with_one_line_per_diagnostic() {
    let path = write("invalid.asl.json", INVALID);
    let o = asl(&["check", &path]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "{path}:7:34: warning[UNKNOWN_ERROR_NAME]: 'States.Foo' is not an error Step Functions defines; \
                 names starting with 'States.' are reserved, so this never matches (state 'Pay')"
            ),
            format!("{path}:8:15: error[MISSING_TRANSITION_TARGET]: Missing 'Next' target: Shipp (state 'Pay')"),
            format!("{path}:10:5: error[MISSING_TRANSITION_TARGET]: State \"Ship\" is not reachable. (state 'Ship')"),
        ]
    );
    assert_eq!(stderr(&o), "asl check: 2 errors, 1 warning in 1 file\n");
}

#[test]
fn no_warnings_hides_warnings_but_not_errors() {
    let path = write("invalid-no-warnings.asl.json", INVALID);
    let o = asl(&["check", "--no-warnings", &path]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().all(|l| l.contains(": error[")), "{out}");
}

#[test]
fn warnings_alone_do_not_fail_the_check() {
    let text = r#"{
  "StartAt": "T",
  "States": {
    "T": {"Type": "Task", "Resource": "${FunctionArn}", "End": true}
  }
}"#;
    let path = write("warning-only.asl.json", text);
    let o = asl(&["check", &path]);
    assert_eq!(o.status.code(), Some(0), "stdout: {}", stdout(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "{path}:4:39: warning[UNRESOLVED_SUBSTITUTION]: The resource '${{FunctionArn}}' holds a definition \
             substitution that was never replaced (state 'T')\n"
        )
    );
}

#[test]
fn missing_file_exits_2_with_a_clear_message() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("asl-cli-tests").join("does-not-exist.asl.json");
    let path = path.to_str().expect("UTF-8 path");
    let o = asl(&["check", path]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.starts_with(&format!("asl: {path}: no such file\n")), "{err}");
}

#[test]
fn missing_file_wins_over_an_invalid_one() {
    let invalid = write("invalid-with-missing.asl.json", INVALID);
    let o = asl(&["check", &invalid, "/nonexistent/asl-cli-test.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    assert!(stdout(&o).contains("error[MISSING_TRANSITION_TARGET]"), "the readable file is still checked");
    assert!(stderr(&o).contains("asl: /nonexistent/asl-cli-test.json: no such file"));
}

#[test]
fn directory_exits_2() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let o = asl(&["check", dir.to_str().expect("UTF-8 path")]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    assert!(stderr(&o).starts_with("asl: "), "{}", stderr(&o));
}

#[test]
fn non_utf8_file_exits_2() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("asl-cli-tests");
    std::fs::create_dir_all(&dir).expect("create the test directory");
    let path = dir.join("latin1.json");
    std::fs::write(&path, b"{\"StartAt\": \"Caf\xe9\"}").expect("write");
    let path = path.to_str().expect("UTF-8 path");
    let o = asl(&["check", path]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    assert!(stderr(&o).starts_with(&format!("asl: {path}: the file is not UTF-8 text")));
}

#[test]
fn no_arguments_exits_2_with_usage() {
    let o = asl(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    assert!(stderr(&o).contains("Usage"), "{}", stderr(&o));
}

#[test]
fn check_without_files_exits_2_with_usage() {
    let o = asl(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
    assert!(stderr(&o).contains("Usage"), "{}", stderr(&o));
}

#[test]
fn unknown_format_exits_2() {
    let path = write("valid-bad-format.asl.json", VALID);
    let o = asl(&["check", "--format", "xml", &path]);
    assert_eq!(o.status.code(), Some(2));
    assert_no_panic(&o);
}

#[test]
fn json_format_is_one_object_per_file() {
    let valid = write("json-valid.asl.json", VALID);
    let invalid = write("json-invalid.asl.json", INVALID);
    let o = asl(&["check", "--format", "json", &valid, &invalid]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "", "the JSON format prints no summary");
    let files: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    let files = files.as_array().expect("an array of files");
    assert_eq!(files.len(), 2);

    assert_eq!(files[0]["file"], valid.as_str());
    assert_eq!(files[0]["valid"], true);
    assert_eq!(files[0]["diagnostics"], serde_json::json!([]));

    assert_eq!(files[1]["file"], invalid.as_str());
    assert_eq!(files[1]["valid"], false);
    let diags = files[1]["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 3);
    assert_eq!(
        diags[1],
        serde_json::json!({
            "severity": "error",
            "code": "MISSING_TRANSITION_TARGET",
            "message": "Missing 'Next' target: Shipp",
            "state": "Pay",
            "pointer": "/States/Pay/Next",
            "line": 8,
            "column": 15,
            "end_line": 8,
            "end_column": 22,
        })
    );
    assert_eq!(diags[0]["severity"], "warning");
    assert_eq!(diags[0]["code"], "UNKNOWN_ERROR_NAME");
    assert_eq!(diags[0]["pointer"], "/States/Pay/Retry/0/ErrorEquals/0");
    assert_eq!((diags[0]["line"].as_u64(), diags[0]["column"].as_u64()), (Some(7), Some(34)));
    assert_eq!(diags[2]["code"], "MISSING_TRANSITION_TARGET");
    assert_eq!(diags[2]["state"], "Ship");
}

#[test]
fn json_format_of_a_syntax_error_has_no_state() {
    let path = write("json-syntax.asl.json", "{\n  \"StartAt\": \"A\",,\n}\n");
    let o = asl(&["check", "--format", "json", &path]);
    assert_eq!(o.status.code(), Some(1));
    let files: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is JSON");
    let d = &files[0]["diagnostics"][0];
    assert_eq!(d["code"], "INVALID_JSON_DESCRIPTION");
    assert_eq!(d["state"], serde_json::Value::Null);
    assert_eq!(d["pointer"], "");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(18)));
}

#[test]
fn human_format_underlines_the_offending_text() {
    let path = write("human.asl.json", INVALID);
    let o = asl(&["check", "--format", "human", &path]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let expected = [
        "error[MISSING_TRANSITION_TARGET]: Missing 'Next' target: Shipp".to_owned(),
        format!(" --> {path}:8:15"),
        "  |".to_owned(),
        "8 |       \"Next\": \"Shipp\"".to_owned(),
        "  |               ^^^^^^^ in state 'Pay'".to_owned(),
        "  = at /States/Pay/Next".to_owned(),
    ]
    .join("\n");
    assert!(out.contains(&expected), "expected:\n{expected}\ngot:\n{out}");
    assert!(out.contains("warning[UNKNOWN_ERROR_NAME]"), "{out}");
    assert_eq!(stderr(&o), "asl check: 2 errors, 1 warning in 1 file\n");
}

#[test]
fn comments_and_trailing_commas_are_accepted() {
    let text =
        "// a comment\n{\n  \"StartAt\": \"A\", /* inline */\n  \"States\": {\"A\": {\"Type\": \"Succeed\",},},\n}\n";
    let path = write("comments.asl.json", text);
    let o = asl(&["check", &path]);
    assert_eq!(o.status.code(), Some(0), "stdout: {}", stdout(&o));
}

// -------------------------------------------------------------------------------------------------
// A generated 2,000-state definition
// -------------------------------------------------------------------------------------------------

/// Number of states in the generated definition.
const STATES: usize = 2000;

/// A chain of Pass, Task and Choice states (Tasks with Retry and Catch), then `Recover` (the
/// catchers' target) and `Done`: `STATES` states in all, every one reachable, no diagnostics.
fn generated_definition() -> String {
    let chain = STATES - 2;
    let next = |i: usize| if i + 1 < chain { format!("S{}", i + 1) } else { "Done".to_owned() };
    let mut s = String::from("{\n  \"Comment\": \"Generated chain\",\n  \"StartAt\": \"S0\",\n  \"States\": {\n");
    for i in 0..chain {
        let body = match i % 3 {
            0 => format!(
                r#"{{"Type": "Pass", "Parameters": {{"step": {i}, "input.$": "$", "id.$": "$$.Execution.Id"}}, "ResultPath": "$.p{i}", "Next": "{}"}}"#,
                next(i)
            ),
            1 => format!(
                r#"{{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {{"FunctionName": "f{i}", "Payload.$": "$"}}, "TimeoutSeconds": 30, "Retry": [{{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}}, {{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}}], "Catch": [{{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}}], "ResultPath": "$.r{i}", "Next": "{}"}}"#,
                next(i)
            ),
            _ => format!(
                r#"{{"Type": "Choice", "Choices": [{{"Variable": "$.n", "NumericGreaterThan": {i}, "Next": "{}"}}, {{"And": [{{"Variable": "$.s", "IsString": true}}, {{"Variable": "$.s", "StringEquals": "stop"}}], "Next": "Done"}}], "Default": "{}"}}"#,
                next(i),
                next(i)
            ),
        };
        let _ = writeln!(s, "    \"S{i}\": {body},");
    }
    s.push_str("    \"Recover\": {\"Type\": \"Pass\", \"Next\": \"Done\"},\n");
    s.push_str("    \"Done\": {\"Type\": \"Succeed\"}\n  }\n}\n");
    s
}

#[test]
fn generated_2000_state_definition_checks_clean() {
    let text = generated_definition();
    let count = state_count(&text);
    assert_eq!(count, STATES);
    let path = write("chain-2000.asl.json", &text);
    let o = asl(&["check", &path]);
    assert_eq!(o.status.code(), Some(0), "stdout: {}", stdout(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "asl check: 0 errors, 0 warnings in 1 file\n");
}

/// Counts the states of the generated text independently of the checker.
fn state_count(text: &str) -> usize {
    let v: serde_json::Value = serde_json::from_str(text).expect("the generated text is JSON");
    v["States"].as_object().expect("States").len()
}
