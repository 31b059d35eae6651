//! Planning a corpus: the spec loaded, every case file loaded and planned against it, every
//! problem of either collected. The main entry point is [`prepare`].

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::{PlannedCase, plan};
use crate::case::diagnostic::Diagnostic;
use crate::case::load::LoadedCase;
use crate::case::load_dir;
use crate::case::node::{Node, NodeValue, Pos};
use crate::generate::{self, Skipped};
use crate::spec::{Spec, SpecError};

/// A planned corpus.
#[derive(Debug)]
pub struct Corpus {
    pub spec: Arc<Spec>,
    pub cases: Vec<Arc<PlannedCase>>,
    /// How many case files were read.
    pub files: usize,
    /// How many of `cases` were generated from the field constraints.
    pub generated: usize,
    /// Methods no cases could be generated for, with the reason.
    pub not_generated: Vec<Skipped>,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{} problem(s) in the case files", .0.len())]
    Cases(Vec<Diagnostic>),
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
        generated: 0,
        not_generated: Vec::new(),
    })
}

impl Corpus {
    /// Adds the negative cases generated from the spec's field constraints (`konform gen`),
    /// planned like hand-written ones. A generated case that does not plan is a bug in the
    /// generator, reported like a case-file problem.
    pub fn add_generated(&mut self, roles: &BTreeSet<String>) -> Result<(), CorpusError> {
        let hand: Vec<_> = self.cases.iter().map(|c| (*c.case).clone()).collect();
        let generated = generate::generate(&self.spec, &hand);
        // Generated cases have no source text: an empty node gives their problems no position.
        let node = Arc::new(Node {
            pos: Pos::default(),
            value: NodeValue::Map(Vec::new()),
        });
        let loaded: Vec<LoadedCase> = generated
            .cases
            .into_iter()
            .map(|case| LoadedCase {
                path: case.origin.file.clone().into(),
                case,
                node: node.clone(),
            })
            .collect();
        let planned = plan(&self.spec, &loaded, roles);
        if !planned.diagnostics.is_empty() {
            return Err(CorpusError::Cases(planned.diagnostics));
        }
        // Ids are unique across the corpus, generated cases included (reports, diffs, shards
        // and waivers key cases by id).
        let mut seen: BTreeSet<&str> = self.cases.iter().map(|c| c.case.id.as_str()).collect();
        let clashes: Vec<Diagnostic> = planned
            .cases
            .iter()
            .filter(|c| !seen.insert(c.case.id.as_str()))
            .map(|c| {
                Diagnostic::new(
                    std::path::Path::new(&c.case.origin.file),
                    Pos::default(),
                    format!("generated case id `{}` is used twice", c.case.id),
                )
            })
            .collect();
        if !clashes.is_empty() {
            return Err(CorpusError::Cases(clashes));
        }
        self.generated = planned.cases.len();
        self.cases.extend(planned.cases.into_iter().map(Arc::new));
        self.not_generated = generated.skipped;
        Ok(())
    }

    /// The cases' models, for coverage.
    pub fn case_models(&self) -> Vec<crate::case::Case> {
        self.cases.iter().map(|c| (*c.case).clone()).collect()
    }
}
