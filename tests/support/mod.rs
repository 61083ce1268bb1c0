//! Shared helpers for the root integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared material (`validation/`, `conformance/`, ...): `$ASL_SHARED_DIR`, or `../shared`
/// beside the workspace.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("ASL_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.is_dir(),
        "the shared test material is missing: expected it at {} (set ASL_SHARED_DIR to its location)",
        dir.display()
    );
    dir
}

/// Every `*.json` file under `dir`, sorted.
pub fn json_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
