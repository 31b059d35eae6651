//! What every module of the integration tests shares: the `konform` binary as a user runs it,
//! the run's clock, temporary folders, the test data, and reading a run's `summary.json`.
//! Each area's `support` module adds what only that area needs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The run's clock, so every "today" is the same in a run and in its replay.
pub const CLOCK: &str = "2026-11-24T10:00:00+01:00";

/// The binary, run from the package root, colour off, with no corpus, spec or secret taken
/// from the environment of whoever runs the tests.
pub fn konform() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_konform"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KONFORM_CASES")
        .env_remove("KONFORM_SPECS")
        .env_remove("KONFORM_CLIENT_SECRET")
        .env("NO_COLOR", "1");
    c
}

/// A fresh folder under the system's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("konform-{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A path under `tests/data`.
pub fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// A folder copied, recursively.
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

/// A run's `summary.json`.
pub fn summary(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary.json"))
        .expect("json")
}

/// A case of a summary by id, or by `Service/id` where two services share the method name.
pub fn case<'a>(summary: &'a Value, id: &str) -> &'a Value {
    let (service, id) = match id.split_once('/') {
        Some((s, i)) => (Some(s), i),
        None => (None, id),
    };
    summary["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id && service.is_none_or(|s| c["service"] == s))
        .unwrap_or_else(|| panic!("no case {id} in the summary"))
}

/// Standard output and standard error, one after the other.
pub fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
