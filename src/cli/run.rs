//! `konform run`: run the case corpus (or one shard of it) against a target (default: the
//! embedded reference), print a verdict per method and write the reports. Exit 0 when every
//! method is conformant — or, with `--waivers`, when the run passes the regression gate —,
//! 1 when not (or the run was interrupted), 2 for bad input or usage.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;

use konform::case::diagnostic;
use konform::clock::Clock;
use konform::coverage;
use konform::plan::corpus::{self, CorpusError};
use konform::report::mask::Redactor;
use konform::report::repro::{self, ReproContext, TokenSource};
use konform::report::{self, Colour, TerminalOptions};
use konform::run::Filter;
use konform::run::filter::Shard;
use konform::run::result::{GateSummary, MethodVerdict, RunSummary};
use konform::run::setup::{self, Settings};
use konform::spec::Spec;
use konform::target::profile::AuthConfig;
use konform::target::{Profile, Target, TargetOptions};
use konform::waiver::{self, WaiverFile};
use std::collections::BTreeMap;

use super::progress::Progress;
use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INCOMPLETE, EXIT_INCONCLUSIVE, EXIT_OK};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A target profile (YAML); default: the embedded reference implementation.
    #[arg(long, value_name = "FILE")]
    pub target: Option<PathBuf>,
    /// The report folder; default `reports/<run-id>/`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Cases run at once; default: two per core against the embedded reference, eight per
    /// core (16 to 64) against a target profile, whose cost is its latency.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Time allowed per case, preconditions included, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Show CPR numbers unmasked in logs and reports.
    #[arg(long)]
    pub show_cpr: bool,
    #[command(flatten)]
    pub corpus: super::CorpusArgs,
    /// Leave out the negative cases generated from the spec's field constraints.
    #[arg(long)]
    pub no_generated: bool,
    /// The run's clock (RFC 3339) instead of the machine's: every case's "today", and the
    /// day waivers expire against.
    #[arg(long, value_name = "RFC3339", hide = true)]
    pub clock: Option<String>,
    /// Run only the K-th of N disjoint shards of the chosen cases (`--shard 2/4`); join the
    /// shards' reports with `konform merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Try a case again up to N times when the target cannot be reached (connection refused
    /// or broken); a wrong answer is never retried.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub retries: u32,
    /// A waiver file: the run passes when every failure is waived and no waiver has expired.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Do not verify TLS certificates (self-signed test environments). Reports say so.
    #[arg(long)]
    pub insecure: bool,
    /// List the chosen cases (after the filters and the shard) instead of running them.
    #[arg(long)]
    pub list: bool,
    /// With `--list`: a JSON array, one object per case.
    #[arg(long, requires = "list")]
    pub json: bool,
    /// Run only the cases that did not pass in an earlier run (its report folder or its
    /// summary.json); the filters narrow them further.
    #[arg(long, value_name = "RUN_DIR", visible_alias = "failed-from")]
    pub rerun_failed: Option<PathBuf>,
    /// Start no further case after N cases failed (or ended in error); the cases running
    /// finish, the reports are written and say the run was cut short.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_fail: Option<u64>,
    /// Print every exchange (request and answer) of each case as it finishes.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Exit 0 even when a method is incomplete (a documented code or rule without a passing
    /// case in this run, or no case of it could run), as long as nothing failed. For CI jobs
    /// that run a part of the corpus on purpose (filters, shards); the reports still say
    /// incomplete.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// The target's implementation statement (`konform ics template`): its alternative per
    /// reading; overrides the profile's `ics`. Undeclared readings are read as konform's
    /// defaults, and a case failing only under one is inconclusive (exit 4).
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
}

/// The case filters, shared with `konform bench`.
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Only cases of this service (repeatable).
    #[arg(long, value_name = "SERVICE")]
    pub service: Vec<String>,
    /// Only cases of this method (repeatable).
    #[arg(long, value_name = "METHOD")]
    pub method: Vec<String>,
    /// Only cases whose id holds this text, or matches this glob (`CreateYdelse.*`) (repeatable).
    #[arg(long = "case", value_name = "ID")]
    pub case: Vec<String>,
    /// Only cases with this tag (repeatable).
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
}

impl FilterArgs {
    pub fn filter(&self) -> Filter {
        Filter {
            services: self.service.clone(),
            methods: self.method.clone(),
            cases: self.case.clone(),
            tags: self.tag.clone(),
        }
    }
}

/// Loads and plans the corpus, printing every problem; `Err(code)` ends the command.
pub fn prepare(
    specs: &std::path::Path,
    cases: &std::path::Path,
    extra: &[PathBuf],
    roles: &std::collections::BTreeSet<String>,
) -> Result<corpus::Corpus, ExitCode> {
    let prepared = Spec::load(specs)
        .map_err(CorpusError::from)
        .and_then(|spec| corpus::prepare_with_extra(Arc::new(spec), cases, extra, roles));
    match prepared {
        Ok(c) => Ok(c),
        Err(CorpusError::Spec(e)) => {
            super::signal::err_line(&format!("error: {e}"));
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
        Err(CorpusError::Cases(diags)) => {
            super::signal::err_text(&diagnostic::render(&diags));
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

/// Adds the generated cases to a prepared corpus, printing any problem.
pub fn add_generated(
    corpus: &mut corpus::Corpus,
    roles: &std::collections::BTreeSet<String>,
) -> Result<(), ExitCode> {
    match corpus.add_generated(roles) {
        Ok(()) => Ok(()),
        Err(CorpusError::Spec(e)) => {
            super::signal::err_line(&format!("error: {e}"));
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
        Err(CorpusError::Cases(diags)) => {
            super::signal::err_line("error: generated cases do not plan (a konform bug):");
            super::signal::err_text(&diagnostic::render(&diags));
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let timeout = super::seconds(args.timeout, "--timeout")?;
    let clock = match &args.clock {
        Some(s) => {
            Clock::parse_rfc3339(s).with_context(|| format!("--clock `{s}` is not RFC 3339"))?
        }
        None => Clock::now(),
    };
    let profile = args.target.as_deref().map(Profile::load).transpose()?;
    let waivers = args.waivers.as_deref().map(WaiverFile::load).transpose()?;
    let roles =
        konform::run::setup::known_roles(profile.iter().flat_map(|p| p.roles.keys().cloned()));
    let corpus = match args.corpus.load(&roles, !args.no_generated) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    if let (Some(p), Some(path)) = (&profile, &args.target) {
        p.check_against(&corpus.spec)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    let ics = args
        .ics
        .clone()
        .or_else(|| profile.as_ref().and_then(|p| p.ics.clone()));
    let statement = match &ics {
        Some(path) => konform::spec::statement::Statement::load(path, &corpus.spec.overlay)?,
        None => konform::spec::statement::Statement::default(),
    };
    let models = corpus.case_models();
    if corpus.cases.is_empty() {
        bail!("no cases in {}", args.corpus.cases_dir()?.display());
    }
    let chosen = match setup::choose_checked(&corpus.cases, &args.filter.filter(), args.shard) {
        Ok(chosen) => chosen,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(EXIT_BAD_INPUT));
        }
    };
    let mut cases = chosen.cases;
    if let Some(dir) = &args.rerun_failed
        && let Some(code) = only_failed(dir, &mut cases)?
    {
        return Ok(code);
    }
    if let Some(shard) = args.shard {
        super::signal::err_line(&format!(
            "shard {}/{}: {} of {} cases",
            shard.index,
            shard.count,
            cases.len(),
            chosen.matched
        ));
        if cases.is_empty() {
            // An empty shard is no error: with few cases and many shards it happens.
            super::signal::err_line("this shard has no cases; writing an empty report");
        }
    }
    if let Some(p) = &profile {
        let mut used = BTreeMap::<String, usize>::new();
        for c in &cases {
            *used.entry(c.caller.clone()).or_default() += 1;
        }
        for w in konform::target::audit::audit(p, &used) {
            eprintln!("warning: profile: {w}");
        }
    }
    if args.list {
        let mut stdout = std::io::stdout().lock();
        super::list::print(&cases, args.json, &mut stdout)?;
        return Ok(ExitCode::from(EXIT_OK));
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            setup::default_jobs(profile.is_none(), cores)
        })
        .max(1);
    let run_id = setup::run_id(chrono::Utc::now());
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&run_id));
    report::check_writable(&out)
        .with_context(|| format!("the report folder {} (--out)", out.display()))?;
    let settings = Settings {
        options: TargetOptions {
            show_cpr: args.show_cpr,
            insecure: args.insecure,
            ..TargetOptions::default()
        },
        clock,
        timeout,
        show_cpr: args.show_cpr,
        retries: args.retries,
        statement: Arc::new(statement.clone()),
    };
    if args.insecure || profile.as_ref().is_some_and(|p| p.insecure_tls) {
        super::signal::err_line(
            "warning: TLS certificate verification is off for this run; the reports say so",
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let live = Live {
        jobs,
        max_fail: args.max_fail.map(|n| n as usize),
        verbose: args.verbose,
        rerun_flags: rerun_flags(&args),
    };
    let (mut summary, redactor, repro) = runtime.block_on(async {
        run_async(&corpus.spec, profile, cases, settings, live, &run_id).await
    })?;
    summary.statement = Some(statement.summary(&corpus.spec.overlay));
    let gate = waivers
        .as_ref()
        .zip(args.waivers.as_deref())
        .map(|(file, path)| (file, path, clock.today()));
    let written = finish(
        &mut summary,
        &corpus.spec,
        &models,
        &redactor,
        &repro,
        gate,
        &out,
    )?;
    let colour = if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Colour::Always
    } else {
        Colour::Never
    };
    // The reports are on disk: a reader that went away (`konform run | head`) changes
    // nothing about the run, whose exit code stays its verdict.
    let mut stdout = std::io::stdout().lock();
    let printed = report::print_redacted(
        &summary,
        &mut stdout,
        &TerminalOptions {
            colour,
            written: Some(written),
        },
    )
    .and_then(|()| match &summary.gate {
        Some(gate) => print_gate(gate, waivers.as_ref(), &mut stdout),
        None => Ok(()),
    })
    .and_then(|()| stdout.flush());
    super::signal::ignore_closed(printed)?;
    Ok(ExitCode::from(exit_code(&summary, args.allow_incomplete)))
}

/// What a run does after its last case, up to the reports on disk: the reproductions, the
/// coverage matrix of the methods it covered, the evidence per method, the gate's judgement
/// (with a waiver file, judged on `today`), the redaction of what the run added (its cases
/// were redacted as they finished), and the three report files. `konform bench` times this
/// too.
pub fn finish(
    summary: &mut RunSummary,
    spec: &Spec,
    models: &[konform::case::Case],
    redactor: &Redactor,
    repro: &ReproContext,
    gate: Option<(&WaiverFile, &std::path::Path, chrono::NaiveDate)>,
    out: &std::path::Path,
) -> anyhow::Result<report::Written> {
    report::repro::attach(summary, repro);
    summary.coverage = coverage::of_run(spec, models, summary);
    konform::run::evidence::judge(summary);
    if let Some((file, path, today)) = gate {
        summary.gate = Some(waiver::judge(summary, file, today).summary(path));
    }
    redactor.seal(summary);
    report::write_redacted(summary, out, redactor)
        .with_context(|| format!("writing the reports to {}", out.display()))
}

/// The gate's judgement on the terminal, below the summary.
fn print_gate(
    gate: &GateSummary,
    file: Option<&WaiverFile>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let ticket = |case: &str| {
        file.and_then(|f| f.waivers.iter().find(|w| w.case == case))
            .map(|w| format!(" ({}, until {})", w.ticket, w.expires))
            .unwrap_or_default()
    };
    writeln!(out)?;
    writeln!(
        out,
        "gate ({}): {}: {} waived, {} unwaived, {} expired, {} unexpected pass(es)",
        gate.file,
        if gate.passed { "passed" } else { "FAILED" },
        gate.waived.len(),
        gate.unwaived.len(),
        gate.expired.len(),
        gate.unexpected_passes.len()
    )?;
    for case in &gate.unwaived {
        writeln!(out, "  unwaived    {case}: fails without a waiver")?;
    }
    for w in &gate.expired {
        writeln!(
            out,
            "  expired     {}: the waiver ({}) expired after {}",
            w.case, w.ticket, w.expires
        )?;
    }
    for case in &gate.unexpected_passes {
        writeln!(
            out,
            "  unexpected  {case} passes now{}: its waiver can go (konform waivers update)",
            ticket(case)
        )?;
    }
    for case in &gate.waived {
        writeln!(out, "  waived      {case}{}", ticket(case))?;
    }
    for case in &gate.unmatched {
        writeln!(out, "  unmatched   {case}: waived, but not in this run")?;
    }
    Ok(())
}

/// With a waiver file: 0 when the run completed and passed the gate, else 1. Without: 1 when
/// a method is not conformant or the run was interrupted; else 4 when a case is inconclusive
/// (it fails only under konform's default of a reading the implementation statement does not
/// declare); else 3 when a method is incomplete or not applicable (0 with `allow_incomplete`);
/// else 0. The gate judges failures only, so with a waiver file an incomplete method still
/// exits 3 unless allowed, and an inconclusive case 4.
pub fn exit_code(summary: &RunSummary, allow_incomplete: bool) -> u8 {
    let failed = summary.methods.iter().any(|m| match m.verdict {
        MethodVerdict::NotConformant => true,
        MethodVerdict::Conformant
        | MethodVerdict::Incomplete
        | MethodVerdict::Inconclusive
        | MethodVerdict::NotApplicable => false,
    });
    let failed = match &summary.gate {
        Some(gate) => !gate.passed,
        None => failed,
    };
    if !summary.complete || failed {
        EXIT_FAILED
    } else if konform::run::evidence::any_inconclusive(summary) {
        EXIT_INCONCLUSIVE
    } else if konform::run::evidence::any_incomplete(summary) && !allow_incomplete {
        EXIT_INCOMPLETE
    } else {
        EXIT_OK
    }
}

/// Sets the run up, runs the cases with a progress line and SIGINT/SIGTERM handling, and answers the
/// summary, each case redacted as it finished, with the redactor (CPR numbers unless shown,
/// the target's secrets) for the rest.
async fn run_async(
    spec: &Arc<Spec>,
    profile: Option<Profile>,
    cases: Vec<Arc<konform::plan::PlannedCase>>,
    settings: Settings,
    live: Live,
    run_id: &str,
) -> anyhow::Result<(RunSummary, Redactor, ReproContext)> {
    let show_cpr = settings.show_cpr;
    let embedded_target = profile.is_none();
    // The embedded reference, if any, lives as long as `setup`.
    let setup = setup::start(spec, profile, settings).await?;
    let secrets = Arc::new(std::sync::Mutex::new(RunSecrets::new(
        show_cpr,
        setup.target().clone(),
    )));
    let line_secrets = secrets.clone();
    let redact: super::progress::Redact = Box::new(move |line: &str| {
        line_secrets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .current()
            .text(line)
    });
    let progress = std::sync::Mutex::new(Progress::new(cases.len(), redact));
    let interrupt = async {
        let signal = super::signal::interrupted().await;
        progress
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .line(&format!(
                "interrupted ({signal}): writing the reports of the cases that finished"
            ));
    };
    let verbose = live.verbose;
    let summary = setup
        .run_until(run_id, cases, live.jobs, live.max_fail, interrupt, |r| {
            secrets
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .current()
                .record(r);
            let mut progress = progress.lock().unwrap_or_else(|p| p.into_inner());
            progress.case(r);
            if verbose {
                progress.exchanges(r);
            }
        })
        .await;
    progress.lock().unwrap_or_else(|p| p.into_inner()).finish();
    let target = setup.target();
    let repro = ReproContext {
        run_flags: live.rerun_flags,
        local_base: embedded_target
            .then(|| target.profile.base_url.clone())
            .flatten(),
        tokens: token_sources(target, embedded_target),
        cpr_shown: show_cpr,
    };
    let redactor = secrets
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .current()
        .clone();
    Ok((summary, redactor, repro))
}

/// The run's redactor, built again whenever the target's secrets change (an OAuth2 token
/// issued during the run joins them), so every result is redacted once, when it is recorded,
/// with every secret known by then.
struct RunSecrets {
    show_cpr: bool,
    target: Arc<Target>,
    known: Vec<String>,
    redactor: Redactor,
}

impl RunSecrets {
    fn new(show_cpr: bool, target: Arc<Target>) -> RunSecrets {
        let known = target.secrets();
        let redactor = Redactor::new(show_cpr).with_secrets(known.clone());
        RunSecrets {
            show_cpr,
            target,
            known,
            redactor,
        }
    }

    fn current(&mut self) -> &Redactor {
        let now = self.target.secrets();
        // Secrets only join (tokens issued); `secrets()` answers them sorted.
        if now.iter().any(|s| self.known.binary_search(s).is_err()) {
            self.redactor = Redactor::new(self.show_cpr).with_secrets(now.clone());
            self.known = now;
        }
        &self.redactor
    }
}

/// What `konform run` adds to the library's run: how many cases at once, when to stop, what
/// to print live, and the flags a reproduction repeats.
struct Live {
    jobs: usize,
    max_fail: Option<usize>,
    verbose: bool,
    rerun_flags: Vec<String>,
}

/// `--rerun-failed`: keeps of `cases` those that did not pass in the earlier run. `Some(code)`
/// ends the command (nothing failed then).
fn only_failed(
    dir: &std::path::Path,
    cases: &mut Vec<Arc<konform::plan::PlannedCase>>,
) -> anyhow::Result<Option<ExitCode>> {
    let earlier =
        report::json::read(dir).with_context(|| format!("--rerun-failed {}", dir.display()))?;
    let failed: std::collections::BTreeSet<(String, String)> = earlier
        .cases
        .iter()
        .filter(|c| c.verdict.is_failure())
        .map(|c| (c.service.clone(), c.id.clone()))
        .collect();
    if failed.is_empty() {
        eprintln!(
            "run {} has no failing case: nothing to run again",
            earlier.run_id
        );
        return Ok(Some(ExitCode::from(EXIT_OK)));
    }
    let before = failed.len();
    cases.retain(|c| failed.contains(&(c.case.service.clone(), c.case.id.clone())));
    eprintln!(
        "rerunning {} of the {before} case(s) that did not pass in run {}",
        cases.len(),
        earlier.run_id
    );
    if cases.is_empty() {
        bail!(
            "none of the {before} failing case(s) of run {} is in the corpus (or the filters) now",
            earlier.run_id
        );
    }
    Ok(None)
}

/// The flags of this run a `konform run --case ID` line must repeat to run the case the
/// same way: the target, the corpus, the clock, `--show-cpr`, `--insecure`.
fn rerun_flags(args: &RunArgs) -> Vec<String> {
    let mut flags = Vec::new();
    let mut pair = |flag: &str, value: String| {
        flags.push(flag.to_string());
        flags.push(value);
    };
    if let Some(t) = &args.target {
        pair("--target", t.display().to_string());
    }
    if let Some(specs) = &args.corpus.specs {
        pair("--specs", specs.display().to_string());
    }
    if let Some(cases) = &args.corpus.cases {
        pair("--cases", cases.display().to_string());
    }
    for extra in &args.corpus.cases_extra {
        pair("--cases-extra", extra.display().to_string());
    }
    if let Some(c) = &args.clock {
        pair("--clock", c.clone());
    }
    if args.show_cpr {
        flags.push("--show-cpr".into());
    }
    if args.insecure {
        flags.push("--insecure".into());
    }
    flags
}

/// How each role of the target gets its bearer token, for the curl commands.
fn token_sources(target: &Target, embedded: bool) -> BTreeMap<String, TokenSource> {
    let profile = &target.profile;
    let base = profile.base_url.clone().unwrap_or_default();
    let absolute = |url: &str| {
        if url.starts_with("http://") || url.starts_with("https://") {
            url.to_string()
        } else {
            format!(
                "{}/{}",
                base.trim_end_matches('/'),
                url.trim_start_matches('/')
            )
        }
    };
    profile
        .roles
        .iter()
        .filter_map(|(name, role)| {
            let source = match &profile.auth {
                AuthConfig::None => return None,
                AuthConfig::Bearer => TokenSource::Env(
                    role.token_env
                        .clone()
                        .unwrap_or_else(|| repro::TOKEN_VAR.to_string()),
                ),
                AuthConfig::Oauth2(o) => TokenSource::OAuth2 {
                    token_url: absolute(&o.token_url),
                    client_id: role
                        .client_id
                        .clone()
                        .unwrap_or_else(|| format!("{}:{}", role.organisation, role.code)),
                    // `konform serve` reads its client secret from KONFORM_CLIENT_SECRET.
                    secret_env: if embedded {
                        "KONFORM_CLIENT_SECRET".to_string()
                    } else {
                        role.client_secret_env
                            .clone()
                            .unwrap_or_else(|| o.client_secret_env.clone())
                    },
                },
            };
            Some((name.clone(), source))
        })
        .collect()
}
