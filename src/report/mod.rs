//! Reports rendered from one [`RunSummary`]: `summary.json` (machine), `junit.xml` (CI),
//! `index.html` (people) and the terminal summary. Reporters never re-read an old report and
//! never import a transport. The main entry points are [`write_all`] and [`print_summary`].

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::run::result::RunSummary;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("reports are not built yet")]
    NotBuilt,
}

/// The files one run wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub summary_json: PathBuf,
    pub junit_xml: PathBuf,
    pub index_html: PathBuf,
}

/// Writes `summary.json`, `junit.xml` and `index.html` into `dir` (created if missing).
/// CPR numbers are masked unless `summary.cpr_shown`.
pub fn write_all(summary: &RunSummary, dir: &Path) -> Result<Written, ReportError> {
    let _ = (summary, dir);
    Err(ReportError::NotBuilt)
}

/// Prints a line per method and the totals.
pub fn print_summary(summary: &RunSummary, out: &mut dyn Write) -> std::io::Result<()> {
    let _ = summary;
    writeln!(out, "reports are not built yet")
}
