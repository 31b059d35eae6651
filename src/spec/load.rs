//! Loading `specs/` into a [`Spec`]: every `<Service>.yaml` plus `overlay.yaml`. Every problem
//! in every file is collected and reported together, each with file, line and column.

use std::fmt;
use std::path::{Path, PathBuf};

use super::model::{ServiceSpec, Spec};
use super::overlay::Overlay;

/// The overlay's file name inside the spec folder.
pub const OVERLAY_FILE: &str = "overlay.yaml";

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    pub file: PathBuf,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

impl fmt::Display for SpecProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read spec folder {}: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no service files in spec folder {}", .0.display())]
    Empty(PathBuf),
    #[error("{} problem(s) in the spec:\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Problems(Vec<SpecProblem>),
}

impl Spec {
    /// Loads every service file and the overlay from `dir`.
    pub fn load(dir: &Path) -> Result<Spec, SpecError> {
        let entries = std::fs::read_dir(dir).map_err(|source| SpecError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        let mut spec = Spec::default();
        let mut problems = Vec::new();
        for file in files {
            let text = match crate::input::read_to_string(&file) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(SpecProblem {
                        file,
                        line: None,
                        column: None,
                        message: e.to_string(),
                    });
                    continue;
                }
            };
            let is_overlay = file.file_name().is_some_and(|n| n == OVERLAY_FILE);
            let parsed = if is_overlay {
                serde_saphyr::from_str::<Overlay>(&text).map(|o| spec.overlay = o)
            } else {
                serde_saphyr::from_str::<ServiceSpec>(&text).map(|s| {
                    spec.services.insert(s.service.clone(), s);
                })
            };
            if let Err(e) = parsed {
                problems.push(problem_from_yaml(&file, &e));
            }
        }
        if !problems.is_empty() {
            return Err(SpecError::Problems(problems));
        }
        if spec.services.is_empty() {
            return Err(SpecError::Empty(dir.to_path_buf()));
        }
        Ok(spec)
    }
}

/// Turns a YAML error into a problem with the file, line and column it carries.
pub fn problem_from_yaml(file: &Path, e: &serde_saphyr::Error) -> SpecProblem {
    let loc = e.location();
    SpecProblem {
        file: file.to_path_buf(),
        line: loc.map(|l| l.line()),
        column: loc.map(|l| l.column()),
        message: e.to_string().lines().next().unwrap_or_default().to_string(),
    }
}
