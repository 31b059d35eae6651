//! `konform merge DIR... --out DIR`: join the reports of shards (runs over disjoint case sets)
//! into one run and write all three reports again; the method verdicts and their evidence are
//! judged over the merged results. Exits like `run` would have for the whole run: 0 when it
//! completed and every method is conformant (or it passed the gate and nothing is
//! incomplete), 1 when a method is not conformant or a shard was interrupted, 3 when a method
//! is incomplete or not applicable (0 with `--allow-incomplete`), 2 when a report cannot be
//! read or the shards overlap.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use konform::report::merge::{self, Shard};
use konform::report::{Colour, TerminalOptions, json};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' report folders (or their summary.json files).
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// The folder to write the merged reports to.
    #[arg(long)]
    pub out: PathBuf,
    /// The merged run's id. Default: a new UUID.
    #[arg(long)]
    pub run_id: Option<String>,
    /// Exit 0 even when a method of the merged run is incomplete (see `konform run`).
    #[arg(long)]
    pub allow_incomplete: bool,
}

pub fn run(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let mut shards = Vec::with_capacity(args.shards.len());
    for path in &args.shards {
        let summary = json::read(path).with_context(|| format!("shard {}", path.display()))?;
        shards.push(Shard {
            label: path.display().to_string(),
            summary,
        });
    }
    let run_id = args
        .run_id
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let merged = merge::merge(&shards, run_id)?;
    let written = konform::report::write_all(&merged, &args.out)
        .with_context(|| format!("writing the merged reports to {}", args.out.display()))?;
    let printed = konform::report::print_summary_with(
        &merged,
        &mut std::io::stdout(),
        &TerminalOptions {
            colour: Colour::detect(),
            written: Some(written),
        },
    );
    super::signal::ignore_closed(printed)?;
    // One rule for the whole run, whether it ran in one piece or in shards.
    Ok(ExitCode::from(super::run::exit_code(
        &merged,
        args.allow_incomplete,
    )))
}
