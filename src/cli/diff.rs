//! `konform diff RUN_A RUN_B`: compare two runs' reports. Exit 1 when a case that did not fail
//! in A fails in B, 0 otherwise, 2 when a report cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use konform::report::{diff, json};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier run: a report folder or its summary.json.
    pub run_a: PathBuf,
    /// The later run: a report folder or its summary.json.
    pub run_b: PathBuf,
    /// Print the comparison as JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let a = json::read(&args.run_a).with_context(|| format!("run A ({})", args.run_a.display()))?;
    let b = json::read(&args.run_b).with_context(|| format!("run B ({})", args.run_b.display()))?;
    let d = diff::diff(&a, &b);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&d)?);
    } else {
        // Names and reasons come from report files, which anyone may have written.
        print!(
            "{}",
            konform::sanitise::for_terminal(&diff::render_text(&d))
        );
    }
    Ok(ExitCode::from(if d.has_new_failures() {
        super::EXIT_FAILED
    } else {
        super::EXIT_OK
    }))
}
