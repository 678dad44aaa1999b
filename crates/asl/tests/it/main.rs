//! The integration tests of stepwise-asl: the shared validation corpus, the valid corpus,
//! round trips and bad input.

mod bad_input;
mod conformance;
mod corpus;
mod edits;
mod roundtrip;
mod rules_doc;

use std::path::{Path, PathBuf};

/// The repository's `tests/` directory.
pub(crate) fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests")
}

/// Every file under `dir` (recursively) whose name ends with one of `suffixes`, sorted.
pub(crate) fn files(dir: &Path, suffixes: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if suffixes.iter().any(|s| path.to_string_lossy().ends_with(s)) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}
