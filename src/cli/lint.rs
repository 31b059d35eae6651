//! `konform lint`: check every case file against the spec, reporting every problem at once:
//! the method exists, covered and expected codes are documented for it, request fields exist
//! in its input tree (current or former names), placeholders can be filled, ids are unique.
//! Exit 0 when clean, 1 when problems were found, 2 when the spec cannot be read.

use std::process::ExitCode;

use clap::Args;

use konform::case::{diagnostic, load_dir};
use konform::plan::plan;
use konform::run::setup::known_roles;
use konform::spec::Spec;

use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK};

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub corpus: super::CorpusArgs,
}

pub fn run(args: LintArgs) -> anyhow::Result<ExitCode> {
    let spec = match Spec::load(&args.corpus.specs) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    let loaded = load_dir(&args.corpus.cases);
    let planned = plan(&spec, &loaded.cases, &known_roles([]));
    let mut all = loaded.diagnostics;
    all.extend(planned.diagnostics);
    all.sort();
    if all.is_empty() {
        println!(
            "{} cases in {} files: no problems",
            loaded.cases.len(),
            loaded.files
        );
        Ok(ExitCode::from(EXIT_OK))
    } else {
        eprint!("{}", diagnostic::render(&all));
        Ok(ExitCode::from(EXIT_FAILED))
    }
}
