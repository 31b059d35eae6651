//! Planning, the stage between the case language and the targets: loaded cases resolved
//! against the spec into [`PlannedCase`]s, with every spec lookup done once here and every
//! template compiled, so running a case does no lookups and no parsing. A case that names an
//! unknown method or field, or covers a code its method does not document, is an error here,
//! never at run time. The main entry points are [`plan`] (cases) and [`corpus::prepare`] (the
//! spec and a folder of case files).
//!
//! The pieces: the planned [`model`], [`method`] information, the [`planner`] pass with
//! [`request`] and [`expect`] planning, the [`grounds`] of every expectation, template
//! compilation ([`compile`]) and the [`corpus`].

pub mod compile;
pub mod corpus;
pub mod expect;
pub mod grounds;
pub mod method;
pub mod model;
pub mod planner;
pub mod request;
#[cfg(test)]
mod tests;

pub use compile::compile_value;
pub use method::{MethodCall, MethodInfo};
pub use model::{
    CompiledCheck, EqualsCheck, EqualsType, Expect, OMIT_VALUES, Omit, PlannedCall, PlannedCase,
    PlannedCheck, PlannedRequest,
};
pub use planner::overlay_entry_exists;
pub use request::path_params;

pub use crate::case::matcher::Matcher;

use std::collections::{BTreeSet, HashMap};

use crate::case::diagnostic::Diagnostic;
use crate::case::load::LoadedCase;
use crate::spec::Spec;

/// The result of planning a corpus.
#[derive(Debug, Default)]
pub struct Plan {
    pub cases: Vec<PlannedCase>,
    pub diagnostics: Vec<Diagnostic>,
    /// Case files named after no method of their service: said once per file.
    pub unknown_files: BTreeSet<std::path::PathBuf>,
}

impl Plan {
    /// The loader's diagnostics and the planner's, as one sorted list. A file named after no
    /// method is one problem, said once: the loader's requests to rename its case ids to the
    /// file's name are left out (the file's name is what is wrong).
    pub fn all_diagnostics(&self, loaded: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = loaded
            .into_iter()
            .filter(|d| {
                !(self.unknown_files.contains(&d.file) && d.message.starts_with("case id `"))
            })
            .collect();
        all.extend(self.diagnostics.iter().cloned());
        all.sort();
        all
    }
}

/// Resolves every loaded case against the spec. `roles` are the caller role names cases may
/// use (`given.caller`, organisation references).
pub fn plan(spec: &Spec, cases: &[LoadedCase], roles: &BTreeSet<String>) -> Plan {
    let mut planner = planner::Planner {
        spec,
        roles,
        methods: HashMap::new(),
        out: Plan::default(),
    };
    for loaded in cases {
        planner.plan_case(loaded);
    }
    planner.out.diagnostics.sort();
    planner.out
}
