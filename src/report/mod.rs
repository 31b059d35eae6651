//! Reports rendered from one [`RunSummary`]: `summary.json` (machine), `junit.xml` (CI),
//! `index.html` (people) and the terminal summary. Reporters never re-read an old report and
//! never import a transport. The main entry points are [`write_all`] and [`print_summary`];
//! [`diff`] compares two runs and [`merge`] joins the reports of shards.
//!
//! Every report goes through [`mask::Redactor`] first: CPR numbers are masked unless the run
//! was asked to show them, secrets never appear. A run redacts once: each case as it is
//! recorded and the rest before the reports ([`write_redacted`], [`print_redacted`]); the
//! entry points that take any summary ([`write_all`], [`print_summary`]) redact a copy.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::run::result::RunSummary;

mod atomic;
pub mod diff;
pub mod html;
pub mod json;
pub mod junit;
pub mod mask;
pub mod merge;
pub mod repro;
pub mod terminal;
pub mod text;

pub use terminal::{Colour, TerminalOptions};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the report folder {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot serialise {what}: {source}")]
    Json {
        what: String,
        source: serde_json::Error,
    },
    #[error("cannot serialise junit.xml: {message}")]
    Junit { message: String },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a konform summary: {source}", path.display())]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "{} has summary schema version {}, this konform reads version {expected}",
        path.display(),
        found.map(|v| v.to_string()).unwrap_or_else(|| "(none)".to_string())
    )]
    SchemaVersion {
        path: PathBuf,
        found: Option<u64>,
        expected: u32,
    },
    #[error(transparent)]
    Merge(#[from] merge::MergeError),
}

/// The files one run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub summary_json: PathBuf,
    pub junit_xml: PathBuf,
    pub index_html: PathBuf,
}

/// What [`write_all_with`] adds to the summary's own settings.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Secret values (tokens, client secrets read from the environment) to replace by `***`
    /// wherever they occur, on top of the Authorization headers and token-like fields that are
    /// always redacted.
    pub secrets: Vec<String>,
}

/// Makes sure the reports can be written to `dir` (creating it, writing and removing a probe
/// file), so an unwritable `--out` is found before a run, not after it.
pub fn check_writable(dir: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let probe = dir.join(format!(".konform-probe-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&probe, b"").map_err(|source| ReportError::Write {
        path: probe.clone(),
        source,
    })?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Writes `summary.json`, `junit.xml` and `index.html` into `dir` (created if missing).
/// CPR numbers are masked unless `summary.cpr_shown`.
pub fn write_all(summary: &RunSummary, dir: &Path) -> Result<Written, ReportError> {
    write_all_with(summary, dir, &ReportOptions::default())
}

/// [`write_all`], with secret values to redact. Each file is written atomically (a temporary
/// file in `dir`, then a rename), so an interrupted run never leaves half a report.
pub fn write_all_with(
    summary: &RunSummary,
    dir: &Path,
    options: &ReportOptions,
) -> Result<Written, ReportError> {
    let redactor = mask::Redactor::new(summary.cpr_shown).with_secrets(options.secrets.clone());
    write_redacted(&redactor.summary(summary), dir, &redactor)
}

/// Writes the reports of a summary that already went through `redactor` (a run redacts each
/// case once as it is recorded, [`mask::Redactor::record`], and the rest once before the
/// reports, [`mask::Redactor::seal`]): no field is redacted again. Only CPR numbers are looked
/// for once more, in the JSON tree's strings and in the whole JUnit and HTML texts, so a field
/// a reporter adds later cannot leak one.
pub fn write_redacted(
    summary: &RunSummary,
    dir: &Path,
    redactor: &mask::Redactor,
) -> Result<Written, ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let written = Written {
        summary_json: dir.join(json::FILE_NAME),
        junit_xml: dir.join(junit::FILE_NAME),
        index_html: dir.join(html::FILE_NAME),
    };
    atomic::write_with(&written.summary_json, |out| {
        json::write(summary, redactor, out).map_err(std::io::Error::other)
    })?;
    {
        let junit_xml = junit::render(summary)?;
        atomic::write(&written.junit_xml, redactor.cpr(&junit_xml).as_bytes())?;
    }
    let index_html = html::render(summary);
    atomic::write(&written.index_html, redactor.cpr(&index_html).as_bytes())?;
    Ok(written)
}

/// Prints a line per method and the totals, without colour.
pub fn print_summary(summary: &RunSummary, out: &mut dyn Write) -> std::io::Result<()> {
    terminal::print(summary, out, &TerminalOptions::default())
}

/// [`print_summary_with`] for a summary that already went through the redactor (see
/// [`write_redacted`]).
pub fn print_redacted(
    summary: &RunSummary,
    out: &mut dyn Write,
    options: &TerminalOptions,
) -> std::io::Result<()> {
    terminal::print_redacted(summary, out, options)
}

/// [`print_summary`] with colour and the closing "reports:" line.
pub fn print_summary_with(
    summary: &RunSummary,
    out: &mut dyn Write,
    options: &TerminalOptions,
) -> std::io::Result<()> {
    terminal::print(summary, out, options)
}
