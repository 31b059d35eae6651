//! `konform lint`: check case files against the spec.

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct LintArgs {}

pub fn run(_args: LintArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`konform lint` is not built yet")
}
