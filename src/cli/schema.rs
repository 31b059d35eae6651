//! `konform schema`: write the JSON Schema of the case format.

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct SchemaArgs {}

pub fn run(_args: SchemaArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`konform schema` is not built yet")
}
