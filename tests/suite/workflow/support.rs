//! Shared helpers: the binary, temporary folders, a copy of the shipped corpus with one case
//! broken on purpose.

pub use crate::common::{CLOCK, copy_dir, temp_dir};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary as [`crate::common::konform`] runs it, as under CI (no progress bar).
pub fn konform() -> Command {
    let mut c = crate::common::konform();
    c.env("CI", "1");
    c
}

pub fn run(c: &mut Command) -> (Output, String, String) {
    let out = c.output().expect("konform runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

/// The file of the broken case, relative to the corpus root.
pub const BROKEN_FILE: &str = "VisiteringOgStatus.YdelsesVisiteringService/CreateYdelse.yaml";
/// The broken case: the reference answers 4669 (as the documents say), the case expects 9393.
pub const BROKEN_ID: &str = "CreateYdelse.end-before-start";

/// The shipped corpus copied into `dir/cases`, with [`BROKEN_ID`] expecting 9393 instead of
/// 4669; returns the corpus folder and the case's line.
pub fn broken_corpus(dir: &Path) -> (PathBuf, usize) {
    let cases = dir.join("cases");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"), &cases);
    let file = cases.join(BROKEN_FILE);
    let text = std::fs::read_to_string(&file).unwrap();
    let start = text
        .find(&format!("- id: {BROKEN_ID}\n"))
        .expect("the case is in the corpus");
    let line = text[..start].lines().count() + 1;
    let then = start + text[start..].find("then: { error: 4669 }").unwrap();
    let broken = format!(
        "{}then: {{ error: 9393 }}{}",
        &text[..then],
        &text[then + "then: { error: 4669 }".len()..]
    );
    std::fs::write(&file, broken).unwrap();
    (cases, line)
}
