//! `konform mutate`: runs the corpus against every mutant of the reference (one check switched
//! off at a time) and reports, per method and overall, the mutants, those killed, and every
//! survivor with what it broke. It writes the reports of the intact run with the kill ratio
//! beside the coverage matrix. Exit 0 when every survivor is explained in the overlay's
//! `unkillable`, 1 otherwise, 2 for bad input.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use konform::clock::Clock;
use konform::mutate::{self, Mutant, MutateOptions};
use konform::reference::check_ids;
use konform::report;
use konform::run::result::Verdict;

use super::run::FilterArgs;
use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK};

#[derive(Debug, Args)]
pub struct MutateArgs {
    #[command(flatten)]
    pub corpus: super::CorpusArgs,
    /// Only mutants of these methods' checks (and the cases of these methods); repeatable.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Only mutants whose check id holds this text (repeatable).
    #[arg(long = "check", value_name = "TEXT")]
    pub checks: Vec<String>,
    /// Run every Nth mutant only (a reduced mode for CI; 1 = all).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub every: usize,
    /// Leave out the generated cases.
    #[arg(long)]
    pub no_generated: bool,
    /// Mutants run at once, each against its own reference; default: the number of cores.
    #[arg(long, value_name = "N")]
    pub at_once: Option<usize>,
    /// Cases run at once against one mutant.
    #[arg(long, short = 'j', default_value_t = 8)]
    pub jobs: usize,
    /// Time allowed per case, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// The report folder; default `reports/<run-id>/`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print `{"mutants", "killed", "survivors": [{"id", "method", "reason"}]}` instead of tables.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: MutateArgs) -> anyhow::Result<ExitCode> {
    let roles = konform::run::setup::known_roles(std::iter::empty());
    let corpus = match args.corpus.load(&roles, !args.no_generated) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let filter = args.filter.filter();
    let cases: Vec<_> = corpus
        .cases
        .iter()
        .filter(|c| filter.matches(&c.case))
        .cloned()
        .collect();
    if cases.is_empty() {
        eprintln!("error: no case matches the filters");
        return Ok(ExitCode::from(EXIT_BAD_INPUT));
    }
    let methods: std::collections::BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| (c.case.service.clone(), c.case.method.clone()))
        .collect();
    let filtered = !args.filter.service.is_empty()
        || !args.filter.method.is_empty()
        || !args.filter.case.is_empty()
        || !args.filter.tag.is_empty();
    let mut checks: Vec<_> = check_ids(&corpus.spec)
        .into_iter()
        .filter(|c| match (&c.service, &c.method) {
            // Without a method filter, every method's checks are mutants, those of methods
            // without cases too (they survive, and say so).
            (Some(s), Some(m)) => !filtered || methods.contains(&(s.clone(), m.clone())),
            // Checks every method makes run against every case; with a method filter they
            // still run, against the filtered cases.
            _ => true,
        })
        .filter(|c| args.checks.is_empty() || args.checks.iter().any(|t| c.id.contains(t.as_str())))
        .collect();
    if args.every > 1 {
        checks = checks.into_iter().step_by(args.every).collect();
    }
    let options = MutateOptions {
        mutants_at_once: args
            .at_once
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        jobs: args.jobs.max(1),
        timeout: super::seconds(args.timeout, "--timeout")?,
        clock: Clock::now(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let started_at = chrono::Utc::now();
    let started = Instant::now();

    // The intact reference first: only cases that pass there can kill a mutant.
    let baseline = runtime.block_on(mutate::baseline(
        corpus.spec.clone(),
        cases.clone(),
        &options,
    ))?;
    let passing: std::collections::BTreeSet<String> = baseline
        .iter()
        .filter(|r| r.verdict == Verdict::Pass)
        .map(|r| r.id.clone())
        .collect();
    let failing: Vec<String> = baseline
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .map(|r| r.id.clone())
        .collect();
    if !failing.is_empty() {
        eprintln!(
            "warning: {} case(s) do not pass on the intact reference and are left out: {}",
            failing.len(),
            failing.join(", ")
        );
    }
    let live: Vec<_> = cases
        .iter()
        .filter(|c| passing.contains(&c.case.id))
        .cloned()
        .collect();

    let total = checks.len();
    let mut done = 0usize;
    let quiet = args.json;
    let mutants = runtime.block_on(mutate::run_mutants(
        corpus.spec.clone(),
        live,
        checks,
        options,
        |m| {
            done += 1;
            if !quiet && !m.killed() {
                eprintln!(
                    "[{done}/{total}] survivor {} ({})",
                    m.check.id,
                    m.method_label()
                );
            }
        },
    ));
    let elapsed = started.elapsed();

    let survivors = mutate::survivors(&mutants, &corpus.spec.overlay.unkillable);
    let killed = mutants.iter().filter(|m| m.killed()).count();

    // The reports of the intact run, with the kill ratio beside the coverage matrix.
    let run_id = format!("{}-mutate", started_at.format("%Y%m%dT%H%M%SZ"));
    let summary = mutate::intact_summary(
        &corpus.spec,
        &corpus.case_models(),
        &run_id,
        started_at,
        baseline,
        &mutants,
        filtered.then_some(&methods),
    );
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&run_id));
    let written = report::write_all(&summary, &out)
        .with_context(|| format!("writing the reports to {}", out.display()))?;

    let unexplained = survivors.iter().filter(|s| !s.explained).count();
    if args.json {
        let list: Vec<_> = survivors
            .iter()
            .map(|s| json!({"id": s.id, "method": s.method, "reason": s.reason, "explained": s.explained}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"mutants": mutants.len(), "killed": killed, "survivors": list})
            )?
        );
    } else {
        let mut out = std::io::stdout().lock();
        print_table(&mut out, &mutants)?;
        writeln!(
            out,
            "\n{} mutants: {killed} killed ({:.1} %), {} survived ({} explained in the overlay)  ({:.1} s)",
            mutants.len(),
            if mutants.is_empty() {
                100.0
            } else {
                100.0 * killed as f64 / mutants.len() as f64
            },
            survivors.len(),
            survivors.len() - unexplained,
            elapsed.as_secs_f64()
        )?;
        for s in &survivors {
            writeln!(
                out,
                "  survivor {} [{}]{}: {}",
                s.id,
                s.method.as_deref().unwrap_or("every method"),
                if s.explained { " (explained)" } else { "" },
                s.reason
            )?;
        }
        writeln!(out, "reports: {}", written.index_html.display())?;
    }
    Ok(ExitCode::from(if unexplained == 0 && failing.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAILED
    }))
}

fn print_table(out: &mut impl Write, mutants: &[Mutant]) -> std::io::Result<()> {
    let rows = mutate::per_method(mutants);
    let width = rows.keys().map(String::len).max().unwrap_or(6).max(6);
    writeln!(out, "{:width$}  MUTANTS  KILLED  SURVIVED", "METHOD")?;
    for (method, (n, k)) in &rows {
        writeln!(out, "{method:width$}  {n:>7}  {k:>6}  {:>8}", n - k)?;
    }
    Ok(())
}
