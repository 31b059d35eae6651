//! `konform ics template [--out FILE]`: write an implementation statement to fill in, with every
//! reading of the overlay's catalogue (the question, the alternatives, konform's default, the
//! document lines that leave it open), each set to its default. `konform ics check FILE`
//! checks a filled-in statement against the catalogue. Exit 0, or 2 on bad input.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use konform::spec::Spec;
use konform::spec::statement::{Statement, template};

use super::SpecArgs;

#[derive(Debug, Subcommand)]
pub enum IcsCommand {
    /// Write a statement with every reading, its alternatives, default and document lines.
    Template(TemplateArgs),
    /// Check a statement: every reading and alternative it declares is in the catalogue.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The statement.
    pub file: PathBuf,
}

pub fn run(cmd: IcsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        IcsCommand::Template(args) => {
            let spec = load(&args.spec)?;
            let text = template(&spec.overlay);
            match args.out {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => print!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        IcsCommand::Check(args) => {
            let spec = load(&args.spec)?;
            let s = Statement::load(&args.file, &spec.overlay)?;
            println!("{}", s.summary(&spec.overlay));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load(args: &SpecArgs) -> anyhow::Result<Spec> {
    let dir = args.dir()?;
    Spec::load(&dir).with_context(|| format!("cannot load the spec from {}", dir.display()))
}
