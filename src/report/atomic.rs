//! Writing a report file whole or not at all: the bytes go to a temporary file in the same
//! folder, are flushed to disk, and the temporary file is renamed over the report. An
//! interrupted run leaves either the previous file or the new one, never half of one.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ReportError;

/// Distinguishes temporary files of concurrent writes within one process.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically. The parent folder must exist.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    write_with(path, |w| w.write_all(bytes))
}

/// Writes what `fill` writes to `path` atomically, through a buffer: a report that is
/// rendered piece by piece never has to be whole in memory. The parent folder must exist.
pub fn write_with<F>(path: &Path, fill: F) -> Result<(), ReportError>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    let tmp = temp_path(path);
    let result = write_then_rename(&tmp, path, fill);
    if result.is_err() {
        // Best effort: the error that matters is the one being returned.
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// `.<name>.<pid>.<n>.tmp` beside the target: same folder, so the rename stays on one
/// file system; a leading dot, so a listing of the report folder does not show it.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".to_string());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

fn write_then_rename<F>(tmp: &Path, path: &Path, fill: F) -> std::io::Result<()>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, File::create(tmp)?);
    fill(&mut out)?;
    let file = out
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    file.sync_all()?;
    drop(file);
    fs::rename(tmp, path)
}
