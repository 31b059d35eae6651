//! `summary.json`: the [`RunSummary`] as JSON, schema version
//! [`SCHEMA_VERSION`](crate::run::result::SCHEMA_VERSION), every field documented in the
//! README ("The `summary.json` schema"). The main function here is [`render`]; [`read`] loads
//! one back (for `konform diff` and `konform merge`).
//!
//! ```json
//! { "schema_version": 1, "run_id": "…", "complete": true, "cpr_shown": false,
//!   "totals": { "pass": 40, "fail": 1, "error": 0, "not_applicable": 1 },
//!   "methods": [ … ], "cases": [ … ], "coverage": [], "mutation": null }
//! ```

use std::path::{Path, PathBuf};

use super::ReportError;
use super::mask::Redactor;
use crate::run::result::{RunSummary, SCHEMA_VERSION};

/// The file name inside a report folder.
pub const FILE_NAME: &str = "summary.json";

/// The summary as pretty JSON, ending in a newline. `summary` must already have gone through
/// [`Redactor::summary`], which redacts the values of its text fields (never keys, never the
/// names and enum values the file's readers depend on); every string value is masked for CPR
/// numbers once more on the JSON tree, so a field added later cannot leak one.
pub fn render(summary: &RunSummary, redactor: &Redactor) -> Result<String, ReportError> {
    let mut value = serde_json::to_value(summary).map_err(|source| ReportError::Json {
        what: FILE_NAME.to_string(),
        source,
    })?;
    redactor.cpr_strings(&mut value);
    let mut text = serde_json::to_string_pretty(&value).map_err(|source| ReportError::Json {
        what: FILE_NAME.to_string(),
        source,
    })?;
    text.push('\n');
    Ok(text)
}

/// Where a run's summary is: `path` itself if it is a file, `path/summary.json` if a folder.
pub fn locate(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    }
}

/// Reads a `summary.json` (or a report folder holding one), refusing another schema version.
pub fn read(path: &Path) -> Result<RunSummary, ReportError> {
    let file = locate(path);
    let text = crate::input::read_to_string(&file).map_err(|source| ReportError::Read {
        path: file.clone(),
        source,
    })?;
    // Check the version before the shape, so an old or newer file says so rather than
    // failing on whichever field changed.
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .map_err(|source| ReportError::Parse {
            path: file.clone(),
            source,
        })?
        .get("schema_version")
        .and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(SCHEMA_VERSION)) {
        return Err(ReportError::SchemaVersion {
            path: file,
            found: version,
            expected: SCHEMA_VERSION,
        });
    }
    serde_json::from_str(&text).map_err(|source| ReportError::Parse { path: file, source })
}
