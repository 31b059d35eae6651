//! `konform plan --target FILE`: how every chosen case's preconditions will be established on
//! a target, before anything is sent (see [`konform::provision::plan`]): one line per case,
//! then a table per method and the overall counts per mode. `konform pool suggest` writes a
//! starting pool file from the cases no pool profile serves. Nothing here touches the network.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Subcommand};

use konform::clock::Clock;
use konform::plan::PlannedCase;
use konform::provision::plan::{CasePlan, MODES, Means, Mode, Tally, plan_cases};
use konform::provision::pool::CitizenPool;
use konform::spec::Spec;
use konform::target::profile::AuthConfig;
use konform::target::{Profile, Target, TargetOptions};

use super::run::FilterArgs;

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The target profile (YAML).
    #[arg(long, value_name = "FILE")]
    pub target: PathBuf,
    #[command(flatten)]
    pub corpus: super::CorpusArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The run's clock (RFC 3339), as `konform run --clock`; default: now.
    #[arg(long)]
    pub clock: Option<String>,
    /// Leave out the generated negative cases.
    #[arg(long)]
    pub no_generated: bool,
    /// Print only the tables, not one line per case.
    #[arg(long)]
    pub summary: bool,
    /// Print the plan as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum PoolCommand {
    /// Write a starting pool file: the citizen states the not-applicable cases of a run (or of
    /// the plan) need, each with the cases it unlocks.
    Suggest(SuggestArgs),
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The target profile (YAML) the cases are planned against.
    #[arg(long, value_name = "FILE")]
    pub target: PathBuf,
    /// A run's report folder: suggest for its cases that no pool profile served. Without it,
    /// for the plan's.
    #[arg(long, value_name = "DIR")]
    pub run: Option<PathBuf>,
    /// The pool file to write; default: print it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub corpus: super::CorpusArgs,
    /// The run's clock (RFC 3339); default: now.
    #[arg(long)]
    pub clock: Option<String>,
}

/// What both commands read: the profile, the corpus, the pool.
struct Planning {
    profile: Profile,
    spec: Arc<Spec>,
    cases: Vec<Arc<PlannedCase>>,
    pool: Option<CitizenPool>,
    clock: Clock,
}

fn prepare(
    target: &Path,
    corpus_args: &super::CorpusArgs,
    clock: Option<&str>,
    generated: bool,
) -> anyhow::Result<Result<Planning, ExitCode>> {
    let clock = match clock {
        Some(s) => {
            Clock::parse_rfc3339(s).with_context(|| format!("--clock `{s}` is not RFC 3339"))?
        }
        None => Clock::now(),
    };
    let profile = Profile::load(target)?;
    let roles = konform::run::setup::known_roles(profile.roles.keys().cloned());
    let corpus = match corpus_args.load(&roles, generated) {
        Ok(c) => c,
        Err(code) => return Ok(Err(code)),
    };
    profile
        .check_against(&corpus.spec)
        .map_err(|e| anyhow::anyhow!("{}: {e}", target.display()))?;
    // The pool needs a target to be built on; planning sends nothing, so no secret is read.
    let mut offline = profile.clone();
    offline.auth = AuthConfig::None;
    let offline = Arc::new(Target::new(
        offline,
        &corpus.spec.overlay,
        None,
        &TargetOptions::default(),
    )?);
    let pool = match &profile.citizen_pool {
        Some(path) => Some(CitizenPool::load(
            path,
            offline,
            &corpus.spec,
            clock,
            profile.derive_setup,
        )?),
        None => None,
    };
    Ok(Ok(Planning {
        profile,
        spec: corpus.spec.clone(),
        cases: corpus.cases.clone(),
        pool,
        clock,
    }))
}

impl Planning {
    fn plan(&self, cases: &[Arc<PlannedCase>]) -> Vec<CasePlan> {
        let means = match (&self.pool, &self.profile.state_endpoint) {
            (Some(pool), _) => Means::Pool(pool),
            (None, Some(_)) => Means::StateEndpoint,
            (None, None) => Means::None,
        };
        plan_cases(cases, &self.profile, &means, self.clock)
    }
}

pub fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let planning = match prepare(
        &args.target,
        &args.corpus,
        args.clock.as_deref(),
        !args.no_generated,
    )? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let filter = args.filter.filter();
    let chosen: Vec<Arc<PlannedCase>> = planning
        .cases
        .iter()
        .filter(|c| filter.matches(&c.case))
        .cloned()
        .collect();
    let plans = planning.plan(&chosen);
    let tally = Tally::of(&plans);
    if args.json {
        let v = serde_json::json!({ "target": planning.profile.describe(), "cases": plans, "tally": tally });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::from(super::EXIT_OK));
    }
    println!("konform plan: {}", planning.profile.describe());
    if !args.summary {
        for p in &plans {
            let how = match &p.mode {
                Mode::Nothing => "nothing to establish".to_string(),
                Mode::StateEndpoint => "state endpoint".to_string(),
                Mode::PoolCitizen { profile } => format!("pool citizen of `{profile}`"),
                Mode::PoolAndSetup { profile, calls } => {
                    format!("pool citizen of `{profile}` + {calls} setup call(s)")
                }
                Mode::NotApplicable { reason } => format!("NOT APPLICABLE: {reason}"),
            };
            let declared = if p.declared_calls > 0 {
                format!(" (+ {} declared call(s))", p.declared_calls)
            } else {
                String::new()
            };
            println!(
                "{}/{}  {how}{declared}",
                p.service,
                konform::cpr::mask_all(&p.id)
            );
        }
        println!();
    }
    print!("{}", render_table(&tally));
    let _ = &planning.spec;
    Ok(ExitCode::from(super::EXIT_OK))
}

/// The per-method table and the overall line, as Markdown.
pub fn render_table(t: &Tally) -> String {
    let mut out = String::from("| method | cases |");
    for m in MODES {
        out.push_str(&format!(" {m} |"));
    }
    out.push_str(" applicable |\n| --- | ---: |");
    for _ in MODES {
        out.push_str(" ---: |");
    }
    out.push_str(" ---: |\n");
    let row = |name: &str, counts: &std::collections::BTreeMap<&'static str, usize>| {
        let total: usize = counts.values().sum();
        let na = counts.get("not applicable").copied().unwrap_or(0);
        let mut line = format!("| {name} | {total} |");
        for m in MODES {
            line.push_str(&format!(" {} |", counts.get(m).copied().unwrap_or(0)));
        }
        let pct = if total == 0 {
            0.0
        } else {
            (total - na) as f64 * 100.0 / total as f64
        };
        line.push_str(&format!(" {pct:.0} % |\n"));
        line
    };
    for (method, counts) in &t.methods {
        out.push_str(&row(method, counts));
    }
    out.push_str(&row("**overall**", &t.overall));
    out.push_str(&format!(
        "\n{} of {} cases applicable ({:.1} %)\n",
        t.applicable,
        t.cases,
        t.applicable_percent()
    ));
    out
}

pub fn pool(cmd: PoolCommand) -> anyhow::Result<ExitCode> {
    let PoolCommand::Suggest(args) = cmd;
    let planning = match prepare(&args.target, &args.corpus, args.clock.as_deref(), true)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    // The cases no pool profile serves: those of the run, or of the plan.
    let (wanted, source): (Vec<Arc<PlannedCase>>, String) = match &args.run {
        Some(dir) => {
            let summary = konform::report::json::read(dir)
                .with_context(|| format!("cannot read the run at {}", dir.display()))?;
            let ids: std::collections::BTreeSet<(String, String)> = summary
                .cases
                .iter()
                .filter(|c| {
                    c.verdict.reason().is_some_and(|r| {
                        r.contains("no citizen pool profile satisfies") || r.contains("used up")
                    }) && c.verdict.name() == "not-applicable"
                })
                .map(|c| (c.service.clone(), c.id.clone()))
                .collect();
            (
                planning
                    .cases
                    .iter()
                    .filter(|c| ids.contains(&(c.case.service.clone(), c.case.id.clone())))
                    .cloned()
                    .collect(),
                format!("run {}", dir.display()),
            )
        }
        None => {
            let plans = planning.plan(&planning.cases);
            let na: std::collections::BTreeSet<(String, String)> = plans
                .iter()
                .filter(|p| match &p.mode {
                    Mode::NotApplicable { reason } => {
                        reason.contains("no citizen pool profile satisfies")
                            || reason.contains("used up")
                            || reason.contains("neither a state-change endpoint")
                    }
                    _ => false,
                })
                .map(|p| (p.service.clone(), p.id.clone()))
                .collect();
            (
                planning
                    .cases
                    .iter()
                    .filter(|c| na.contains(&(c.case.service.clone(), c.case.id.clone())))
                    .cloned()
                    .collect(),
                format!("the plan of {}", args.target.display()),
            )
        }
    };
    let refs: Vec<&PlannedCase> = wanted.iter().map(|c| c.as_ref()).collect();
    let pool = planning.pool.as_ref();
    let existing = |request: &serde_json::Value| pool.and_then(|p| p.profile_for(request));
    let suggestions =
        konform::provision::suggest::suggest(&refs, &planning.profile, planning.clock, &existing);
    let text = konform::provision::suggest::render(&suggestions, &source);
    match &args.out {
        Some(path) => {
            std::fs::write(path, &text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "wrote {} profile(s) for {} case(s) to {}",
                suggestions.len(),
                refs.len(),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::from(super::EXIT_OK))
}
