//! `konform schema`: write the JSON Schema of the case-file format (or of a target profile),
//! so an editor with a YAML language server validates and completes case files.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use konform::case::schema;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The schema of a target profile instead of a case file.
    #[arg(long)]
    pub profile: bool,
}

pub fn run(args: SchemaArgs) -> anyhow::Result<ExitCode> {
    let text = if args.profile {
        konform::target::profile::profile_schema()
    } else {
        schema::case_file_schema()
    };
    match args.out {
        Some(path) => std::fs::write(&path, text + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => println!("{text}"),
    }
    Ok(ExitCode::from(super::EXIT_OK))
}
