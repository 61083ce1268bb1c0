//! Every definition in the conformance corpus (`shared/conformance/cases`) ran on real AWS, so the
//! static checks must accept all of them: no errors (warnings are allowed).

mod support;

use asl_codegen::analyze;
use asl_codegen::render::Source;

#[test]
fn every_conformance_definition_is_accepted() {
    let dir = std::env::var_os("ASL_CONFORMANCE_CASES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| support::shared_dir().join("conformance/cases"));
    let files = support::json_files(&dir);
    assert!(files.len() >= 100, "expected the conformance cases under {}, found {}", dir.display(), files.len());
    let mut refused = Vec::new();
    for file in &files {
        let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let text = serde_json::to_string_pretty(&case["definition"]).unwrap();
        let analysis = analyze(&text);
        if analysis.has_errors() {
            let name = file.strip_prefix(&dir).unwrap().display().to_string();
            let source = Source::new(&name, &text);
            let errors: Vec<String> = analysis.errors().map(|d| source.short(d)).collect();
            refused.push(errors.join("\n"));
        }
    }
    assert!(refused.is_empty(), "{} of {} definitions refused:\n{}", refused.len(), files.len(), refused.join("\n"));
}
