//! `konform mutate`: runs the corpus against every mutant (a check of the reference switched
//! off, a fault derived from the spec, a wrong answer planted by the mutating proxy) and
//! reports, per family, per method and overall, the mutants, those killed, and every survivor
//! with what it changed and why no case saw it. It writes the reports of the intact run with
//! the kill ratio per family and per method beside the coverage matrix. `--answers --target
//! URL` runs the answer mutants through the proxy in front of a target someone started.
//! Exit 0 when every survivor is declared equivalent in the overlay's `unkillable` (or the
//! score reaches `--min-score`) and no declaration is wrong, 1 otherwise, 2 for bad input.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use serde_json::json;

use konform::clock::Clock;
use konform::mutate::{self, Kind, Mutant, MutateOptions, Upstream};
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
    /// Run every Nth mutant of each family only (a reduced mode for a quick look; 1 = all).
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
    /// Print `{"derived", "mutants", "killed", "score", "by_kind", "by_method", "survivors":
    /// [...]}` instead of tables (`derived`: the mutants selected before `--every`).
    #[arg(long)]
    pub json: bool,
    /// Only mutants of these families (check, boundary, codes, access, identity, reporting,
    /// answers); repeatable.
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only the answer mutants (the same as `--kind answers`).
    #[arg(long)]
    pub answers: bool,
    /// With `--answers`: the base URL of a running target (`konform serve`) to put the
    /// mutating proxy in front of; its OAuth2 client secret is read from KONFORM_CLIENT_SECRET.
    #[arg(long, value_name = "URL", requires = "answers")]
    pub target: Option<String>,
    /// Exit 0 when the score (killed among the mutants not declared equivalent) reaches this
    /// percentage, even with survivors.
    #[arg(long, value_name = "PERCENT")]
    pub min_score: Option<f64>,
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
    let mut kinds = Vec::new();
    for k in &args.kinds {
        match Kind::parse(k) {
            Some(k) => kinds.push(k),
            None => {
                eprintln!(
                    "error: unknown mutant family {k:?} (check, boundary, codes, access, identity, reporting, answers)"
                );
                return Ok(ExitCode::from(EXIT_BAD_INPUT));
            }
        }
    }
    if args.answers {
        kinds.push(Kind::Answers);
    }
    let mut checks: Vec<_> = mutate::derive(&corpus.spec)
        .into_iter()
        .filter(|d| kinds.is_empty() || kinds.contains(&d.kind))
        .filter(|d| match (&d.check.service, &d.check.method) {
            // Without a method filter, every method's mutants run, those of methods without
            // cases too (they survive, and say so).
            (Some(s), Some(m)) => !filtered || methods.contains(&(s.clone(), m.clone())),
            // Checks every method makes run against every case; with a method filter they
            // still run, against the filtered cases.
            _ => true,
        })
        .filter(|d| {
            args.checks.is_empty() || args.checks.iter().any(|t| d.check.id.contains(t.as_str()))
        })
        .collect();
    let complete = !filtered && args.checks.is_empty() && kinds.is_empty() && args.every <= 1;
    let derived = checks.len();
    if args.every > 1 {
        // Every Nth of each family, so a reduced run keeps every family in proportion.
        let mut seen: std::collections::BTreeMap<Kind, usize> = Default::default();
        checks.retain(|d| {
            let n = seen.entry(d.kind).or_default();
            *n += 1;
            (*n - 1).is_multiple_of(args.every)
        });
    }
    let upstream = match &args.target {
        Some(url) => Upstream::Url {
            base_url: url.trim_end_matches('/').to_string(),
            secret: std::env::var("KONFORM_CLIENT_SECRET")
                .ok()
                .filter(|s| !s.is_empty()),
        },
        None => Upstream::Embedded,
    };
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
    let baseline = runtime.block_on(mutate::baseline_at(
        corpus.spec.clone(),
        cases.clone(),
        &options,
        &upstream,
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
        upstream,
        |m: &Mutant| {
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
    let declared = survivors.len() - unexplained;
    let wrong = mutate::equivalence_errors(&mutants, &corpus.spec.overlay.unkillable, complete);
    let score = score(mutants.len(), killed, declared);
    let by_kind = mutate::per_kind(&mutants);
    if args.json {
        let list: Vec<_> = survivors
            .iter()
            .zip(mutants.iter().filter(|m| !m.killed()))
            .map(|(s, m)| {
                json!({
                    "id": s.id,
                    "kind": m.kind,
                    "method": s.method,
                    "changed": m.check.breaks,
                    "reason": s.reason,
                    "explained": s.explained,
                    "equivalent": s.explained,
                })
            })
            .collect();
        let per_method: serde_json::Map<String, serde_json::Value> = mutate::per_method(&mutants)
            .into_iter()
            .map(|(k, (n, kd))| (k, json!({"mutants": n, "killed": kd})))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "derived": derived,
                "mutants": mutants.len(),
                "killed": killed,
                "equivalent": declared,
                "score": score,
                "by_kind": by_kind,
                "by_method": per_method,
                "survivors": list,
                "wrong_equivalents": wrong,
                "seconds": elapsed.as_secs_f64(),
            }))?
        );
    } else {
        let mut out = std::io::stdout().lock();
        print_table(&mut out, &mutants)?;
        writeln!(out)?;
        for (kind, k) in &by_kind {
            writeln!(
                out,
                "{kind:10}  {:>6} mutants  {:>6} killed",
                k.mutants, k.killed
            )?;
        }
        writeln!(
            out,
            "\n{} mutants: {killed} killed, {} survived ({declared} declared equivalent); score {score:.1} %  ({:.1} s)",
            mutants.len(),
            survivors.len(),
            elapsed.as_secs_f64()
        )?;
        for s in &survivors {
            writeln!(
                out,
                "  survivor {} [{}]{}: {}",
                s.id,
                s.method.as_deref().unwrap_or("every method"),
                if s.explained { " (equivalent)" } else { "" },
                s.reason
            )?;
        }
        for w in &wrong {
            writeln!(out, "  wrong equivalence: {w}")?;
        }
        writeln!(out, "reports: {}", written.index_html.display())?;
    }
    let bar_met = args.min_score.is_some_and(|min| score >= min);
    Ok(ExitCode::from(
        if (unexplained == 0 || bar_met) && wrong.is_empty() && failing.is_empty() {
            EXIT_OK
        } else {
            EXIT_FAILED
        },
    ))
}

/// The mutation score in percent: killed among the mutants not declared equivalent.
fn score(mutants: usize, killed: usize, equivalent: usize) -> f64 {
    let counted = mutants.saturating_sub(equivalent);
    if counted == 0 {
        100.0
    } else {
        100.0 * killed as f64 / counted as f64
    }
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
