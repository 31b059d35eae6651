//! The spec and the case corpus built into the binary (see `build.rs`), so `konform` runs
//! from any folder after `cargo install --path .`. The files are written out once per
//! content (a folder named by their hash, below the user's cache folder) and read from there
//! like any other corpus, so every diagnostic still names a file and a line. The main entry
//! points are [`specs_dir`] and [`cases_dir`]; [`resolve`] says which folder a command uses.

use std::path::{Path, PathBuf};

mod files {
    include!(concat!(env!("OUT_DIR"), "/shipped.rs"));
}

/// Why the shipped files could not be written out.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the shipped spec and cases to {}: {source}", path.display())]
pub struct ShippedError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// Every shipped file: its path below the package root (`specs/…`, `cases/…`) and its bytes.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    files::FILES
}

/// The folder the shipped files are written to: `$KONFORM_CACHE`, else the user's cache
/// folder (`$XDG_CACHE_HOME`, `~/.cache`), else the system's temporary folder; one subfolder
/// per content hash, so versions never mix.
fn root() -> PathBuf {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, bytes) in files() {
        for b in path.as_bytes().iter().chain(*bytes) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let base = std::env::var_os("KONFORM_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("konform")))
        .or_else(|| std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache/konform")))
        .unwrap_or_else(|| std::env::temp_dir().join("konform"));
    base.join(format!("shipped-{}-{hash:016x}", env!("CARGO_PKG_VERSION")))
}

/// Writes the shipped files out (once: a complete folder is reused) and answers its root.
/// Written to a fresh folder first and renamed into place, so a reader never sees half.
pub fn materialise() -> Result<PathBuf, ShippedError> {
    let root = root();
    if root.join(".complete").is_file() {
        return Ok(root);
    }
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ShippedError { path, source }
    };
    let staging = root.with_extension(format!("tmp-{}", std::process::id()));
    for (rel, bytes) in files() {
        let file = staging.join(rel);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(err(parent))?;
        }
        std::fs::write(&file, bytes).map_err(err(&file))?;
    }
    std::fs::write(staging.join(".complete"), b"").map_err(err(&staging))?;
    if let Some(parent) = root.parent() {
        std::fs::create_dir_all(parent).map_err(err(parent))?;
    }
    if std::fs::rename(&staging, &root).is_err() {
        // Another konform wrote it first; theirs is as good as ours.
        let _ = std::fs::remove_dir_all(&staging);
        if !root.join(".complete").is_file() {
            return Err(ShippedError {
                path: root,
                source: std::io::Error::other("the folder exists but is incomplete"),
            });
        }
    }
    Ok(root)
}

/// The folder a command reads: the one given (`--specs`, `--cases`, or their environment
/// variables); else `name` in the current folder, when there is one (a checkout of konform,
/// or a vendor's copy); else the shipped one.
pub fn resolve(given: Option<&Path>, name: &str) -> Result<PathBuf, ShippedError> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    let local = PathBuf::from(name);
    if local.is_dir() {
        return Ok(local);
    }
    Ok(materialise()?.join(name))
}

/// [`resolve`] for the spec folder.
pub fn specs_dir(given: Option<&Path>) -> Result<PathBuf, ShippedError> {
    resolve(given, "specs")
}

/// [`resolve`] for the case folder.
pub fn cases_dir(given: Option<&Path>) -> Result<PathBuf, ShippedError> {
    resolve(given, "cases")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_are_the_spec_and_the_corpus() {
        let names: Vec<&str> = files().iter().map(|(n, _)| *n).collect();
        assert!(names.contains(&"specs/overlay.yaml"), "{names:?}");
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("cases/InterviewService/"))
        );
        assert!(
            names
                .iter()
                .all(|n| n.starts_with("specs/") || n.starts_with("cases/"))
        );
    }
}
