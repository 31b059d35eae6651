//! Shared helpers: the binary, temporary folders, a copy of the shipped corpus with one case
//! broken on purpose.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The run's clock, so every "today" is the same in the run and in the replay.
pub const CLOCK: &str = "2026-11-24T10:00:00+01:00";

/// The binary, run from the package root, colour off, no corpus from the environment.
pub fn konform() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_konform"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KONFORM_CASES")
        .env_remove("KONFORM_SPECS")
        .env("NO_COLOR", "1")
        .env("CI", "1");
    c
}

pub fn run(c: &mut Command) -> (Output, String, String) {
    let out = c.output().expect("konform runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

/// A fresh folder under the system's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("konform-{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
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
