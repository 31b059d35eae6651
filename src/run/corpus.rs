//! Preparing a run: the spec loaded, every case file loaded and planned against it, every
//! problem of either collected. The main entry point is [`prepare`].

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use crate::case::diagnostic::Diagnostic;
use crate::case::plan::PlannedCase;
use crate::case::{load_dir, plan};
use crate::spec::{Spec, SpecError};
use crate::target::profile::EMBEDDED_ROLES;

/// A planned corpus.
#[derive(Debug)]
pub struct Corpus {
    pub spec: Arc<Spec>,
    pub cases: Vec<Arc<PlannedCase>>,
    /// How many case files were read.
    pub files: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{} problem(s) in the case files", .0.len())]
    Cases(Vec<Diagnostic>),
}

/// The caller role names cases may use: the embedded roles and the target's.
pub fn known_roles(extra: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    EMBEDDED_ROLES
        .iter()
        .map(|(name, _, _)| name.to_string())
        .chain(extra)
        .collect()
}

/// Loads the spec and plans every case below `cases`.
pub fn prepare(
    specs: &Path,
    cases: &Path,
    roles: &BTreeSet<String>,
) -> Result<Corpus, CorpusError> {
    let spec = Arc::new(Spec::load(specs)?);
    prepare_with_spec(spec, cases, roles)
}

/// Plans every case below `cases` against a loaded spec.
pub fn prepare_with_spec(
    spec: Arc<Spec>,
    cases: &Path,
    roles: &BTreeSet<String>,
) -> Result<Corpus, CorpusError> {
    let loaded = load_dir(cases);
    let planned = plan(&spec, &loaded.cases, roles);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(planned.diagnostics);
    if !diagnostics.is_empty() {
        diagnostics.sort();
        return Err(CorpusError::Cases(diagnostics));
    }
    Ok(Corpus {
        spec,
        cases: planned.cases.into_iter().map(Arc::new).collect(),
        files: loaded.files,
    })
}
