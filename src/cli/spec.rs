//! `konform spec import|lint|list|show`.

use std::process::ExitCode;

use anyhow::Context;

use konform::spec::import::{self, Document};
use konform::spec::load::OVERLAY_FILE;
use konform::spec::overlay::Overlay;

use super::SpecCommand;

pub fn run(cmd: SpecCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        SpecCommand::Import { docs, out } => {
            let docs = docs
                .iter()
                .map(|p| Document::read(p))
                .collect::<Result<Vec<_>, _>>()?;
            let overlay_path = out.join(OVERLAY_FILE);
            let overlay = if overlay_path.exists() {
                let text = std::fs::read_to_string(&overlay_path)
                    .with_context(|| format!("cannot read {}", overlay_path.display()))?;
                serde_saphyr::from_str::<Overlay>(&text)
                    .with_context(|| format!("cannot parse {}", overlay_path.display()))?
            } else {
                Overlay::default()
            };
            let services = import::import(&docs, &overlay)?;
            let written = import::write_specs(&out, &services)?;
            for (path, s) in written.iter().zip(&services) {
                println!("{} ({} methods)", path.display(), s.methods.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        SpecCommand::Lint(_) | SpecCommand::List { .. } | SpecCommand::Show { .. } => {
            anyhow::bail!("not built yet")
        }
    }
}
