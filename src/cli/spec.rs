//! `konform spec import|lint|list|show`.

use std::process::ExitCode;

use super::SpecCommand;

pub fn run(cmd: SpecCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SpecCommand::Import { .. }
        | SpecCommand::Lint(_)
        | SpecCommand::List { .. }
        | SpecCommand::Show { .. } => {
            anyhow::bail!("not built yet")
        }
    }
}
