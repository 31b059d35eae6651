//! `konform waivers update --run DIR --file FILE`: write the waiver file from a run. Waivers
//! of cases that still fail are kept as written, waivers of cases that now pass are dropped,
//! every unwaived failure gets a new waiver with `--reason`, `--ticket` and `--expires`
//! (`konform::waiver::update`). Exit 0, or 2 when the run or the file cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use konform::report::json;
use konform::waiver::{self, WaiverFile};

#[derive(Debug, Subcommand)]
pub enum WaiversCommand {
    /// Write the waiver file from a run: keep still-failing, drop fixed, add new failures.
    Update(UpdateArgs),
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The run's report folder (or its summary.json).
    #[arg(long, value_name = "DIR")]
    pub run: PathBuf,
    /// The waiver file to update (created if missing).
    #[arg(long, value_name = "FILE")]
    pub file: PathBuf,
    /// Why the new failures are accepted for now.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The ticket tracking the new failures.
    #[arg(long, value_name = "ID", default_value = "none")]
    pub ticket: String,
    /// The last day the new waivers hold (YYYY-MM-DD); default: 90 days from today.
    #[arg(long, value_name = "DATE")]
    pub expires: Option<NaiveDate>,
}

pub fn run(cmd: WaiversCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        WaiversCommand::Update(args) => update(args),
    }
}

fn update(args: UpdateArgs) -> anyhow::Result<ExitCode> {
    let summary = json::read(&args.run).with_context(|| format!("run {}", args.run.display()))?;
    let existing = if args.file.exists() {
        WaiverFile::load(&args.file)?
    } else {
        WaiverFile::default()
    };
    let reason = args
        .reason
        .unwrap_or_else(|| format!("failing in run {}", summary.run_id));
    if reason.trim().is_empty() || args.ticket.trim().is_empty() {
        anyhow::bail!("--reason and --ticket must not be empty");
    }
    let today = konform::clock::Clock::now().today();
    if let Some(expires) = args.expires
        && expires < today
    {
        // A waiver that has already expired would fail the very next gate it is meant for.
        anyhow::bail!(
            "--expires {expires} is in the past (today is {today}); give a day from today on"
        );
    }
    let expires = args.expires.unwrap_or_else(|| {
        today
            .checked_add_days(chrono::Days::new(90))
            .unwrap_or(today)
    });
    let updated = waiver::update(&summary, &existing, &reason, &args.ticket, expires);
    let had: std::collections::BTreeSet<&str> =
        existing.waivers.iter().map(|w| w.case.as_str()).collect();
    let has: std::collections::BTreeSet<&str> =
        updated.waivers.iter().map(|w| w.case.as_str()).collect();
    let added = has.difference(&had).count();
    let dropped: Vec<&&str> = had.difference(&has).collect();
    updated.save(&args.file)?;
    println!(
        "{}: {} waiver(s): {} kept, {added} added, {} dropped (passing now)",
        args.file.display(),
        updated.waivers.len(),
        has.intersection(&had).count(),
        dropped.len()
    );
    for case in dropped {
        println!("  dropped {case}");
    }
    Ok(ExitCode::from(super::EXIT_OK))
}
