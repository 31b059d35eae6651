//! `konform run`: run cases against a target.

use std::process::ExitCode;

use clap::Args;

#[derive(Debug, Args)]
pub struct RunArgs {}

pub fn run(_args: RunArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`konform run` is not built yet")
}
