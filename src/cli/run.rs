//! `konform run`: run the case corpus against a target (default: the embedded reference),
//! print a verdict per method and write the reports. Exit 0 when every method is conformant,
//! 1 when one is not (or the run was interrupted), 2 for bad input or usage.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;

use konform::case::clock::Clock;
use konform::case::diagnostic;
use konform::coverage;
use konform::cpr;
use konform::provision;
use konform::report::{self, Colour, ReportOptions, TerminalOptions};
use konform::run::corpus::{self, CorpusError};
use konform::run::result::{MethodVerdict, RunSummary, Verdict};
use konform::run::{Filter, RunEnv, run_cases};
use konform::spec::Spec;
use konform::target::embedded;
use konform::target::{Profile, Target, TargetOptions};

use super::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A target profile (YAML); default: the embedded reference implementation.
    #[arg(long, value_name = "FILE")]
    pub target: Option<PathBuf>,
    /// The report folder; default `reports/<run-id>/`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Cases run at once; default: the number of cores.
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
    /// The case folder.
    #[arg(
        long,
        default_value = "cases",
        value_name = "DIR",
        env = "KONFORM_CASES"
    )]
    pub cases: PathBuf,
    /// The spec folder.
    #[arg(
        long,
        default_value = "specs",
        value_name = "DIR",
        env = "KONFORM_SPECS"
    )]
    pub specs: PathBuf,
    /// Leave out the negative cases generated from the spec's field constraints.
    #[arg(long)]
    pub no_generated: bool,
    /// The run's clock (RFC 3339) instead of the machine's: every case's "today".
    #[arg(long, value_name = "RFC3339", hide = true)]
    pub clock: Option<String>,
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
    roles: &std::collections::BTreeSet<String>,
) -> Result<corpus::Corpus, ExitCode> {
    match corpus::prepare(specs, cases, roles) {
        Ok(c) => Ok(c),
        Err(CorpusError::Spec(e)) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
        Err(CorpusError::Cases(diags)) => {
            eprint!("{}", diagnostic::render(&diags));
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
            eprintln!("error: {e}");
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
        Err(CorpusError::Cases(diags)) => {
            eprintln!("error: generated cases do not plan (a konform bug):");
            eprint!("{}", diagnostic::render(&diags));
            Err(ExitCode::from(EXIT_BAD_INPUT))
        }
    }
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    if !(args.timeout > 0.0 && args.timeout.is_finite()) {
        bail!("--timeout must be a positive number of seconds");
    }
    let clock = match &args.clock {
        Some(s) => {
            Clock::parse_rfc3339(s).with_context(|| format!("--clock `{s}` is not RFC 3339"))?
        }
        None => Clock::now(),
    };
    let profile = args.target.as_deref().map(Profile::load).transpose()?;
    let roles = corpus::known_roles(profile.iter().flat_map(|p| p.roles.keys().cloned()));
    let mut corpus = match prepare(&args.specs, &args.cases, &roles) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    if !args.no_generated
        && let Err(code) = add_generated(&mut corpus, &roles)
    {
        return Ok(code);
    }
    let models = corpus.case_models();
    let filter = args.filter.filter();
    let cases: Vec<_> = corpus
        .cases
        .iter()
        .filter(|c| filter.matches(&c.case))
        .cloned()
        .collect();
    if cases.is_empty() {
        if corpus.cases.is_empty() {
            bail!("no cases in {}", args.cases.display());
        }
        bail!(
            "no case matches the filters ({} cases in {})",
            corpus.cases.len(),
            args.cases.display()
        );
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let run_id = format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
        &uuid::Uuid::new_v4().simple().to_string()[..6]
    );
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&run_id));
    let options = TargetOptions {
        show_cpr: args.show_cpr,
        ..TargetOptions::default()
    };
    let timeout = Duration::from_secs_f64(args.timeout);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let summary = runtime.block_on(async {
        run_async(
            corpus.spec.clone(),
            profile,
            cases,
            options,
            clock,
            timeout,
            jobs,
            args.show_cpr,
            &run_id,
        )
        .await
    })?;
    let mut summary = summary;
    // The coverage matrix of the methods this run covered, with the cases that passed.
    let ran: std::collections::BTreeSet<(&str, &str)> = summary
        .0
        .methods
        .iter()
        .map(|m| (m.service.as_str(), m.method.as_str()))
        .collect();
    let mut matrix = coverage::compute(&corpus.spec, &models, Some(&summary.0));
    matrix.retain(|m| ran.contains(&(m.service.as_str(), m.method.as_str())));
    summary.0.coverage = matrix;
    let written = report::write_all_with(&summary.0, &out, &ReportOptions { secrets: summary.1 })
        .with_context(|| format!("writing the reports to {}", out.display()))?;
    let colour = if std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        Colour::Always
    } else {
        Colour::Never
    };
    let mut stdout = std::io::stdout().lock();
    report::print_summary_with(
        &summary.0,
        &mut stdout,
        &TerminalOptions {
            colour,
            written: Some(written),
        },
    )?;
    stdout.flush()?;
    Ok(ExitCode::from(exit_code(&summary.0)))
}

/// 0 when the run completed and every method is conformant, else 1.
pub fn exit_code(summary: &RunSummary) -> u8 {
    let all_conformant = summary.methods.iter().all(|m| match m.verdict {
        MethodVerdict::Conformant => true,
        MethodVerdict::NotConformant | MethodVerdict::NotApplicable => false,
    });
    if summary.complete && all_conformant {
        EXIT_OK
    } else {
        EXIT_FAILED
    }
}

#[expect(clippy::too_many_arguments, reason = "the settings of one run")]
async fn run_async(
    spec: Arc<Spec>,
    profile: Option<Profile>,
    cases: Vec<Arc<konform::case::PlannedCase>>,
    options: TargetOptions,
    clock: Clock,
    timeout: Duration,
    jobs: usize,
    show_cpr: bool,
    run_id: &str,
) -> anyhow::Result<(RunSummary, Vec<String>)> {
    // The embedded reference lives as long as this function.
    let (_embedded, target) = match profile {
        None => {
            let e = embedded::start(spec.clone(), &options).await?;
            let t = e.target.clone();
            (Some(e), t)
        }
        Some(p) => (
            None,
            Arc::new(Target::new(p, &spec.overlay, None, &options)?),
        ),
    };
    let tls_off = target.profile.insecure_tls;
    let env = Arc::new(RunEnv {
        provisioner: provision::for_target(&target),
        target: target.clone(),
        clock,
        timeout,
        show_cpr,
    });
    let started = chrono::Utc::now();
    let mut results = Vec::with_capacity(cases.len());
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // Without a signal handler the run cannot be interrupted; wait for ever.
            std::future::pending::<()>().await;
        }
        eprintln!("interrupted: writing the reports of the cases that finished");
    };
    let complete = run_cases(cases, env, jobs, interrupt, |r| {
        log_result(&r, show_cpr);
        results.push(r);
    })
    .await;
    let finished = chrono::Utc::now();
    let mut summary = RunSummary::from_cases(
        run_id.to_string(),
        started.to_rfc3339(),
        finished.to_rfc3339(),
        target.profile.describe(),
        complete,
        results,
    );
    summary.cpr_shown = show_cpr;
    summary.tls_verification_off = tls_off;
    Ok((summary, target.secrets()))
}

/// One line on stderr per case that did not pass, as it finishes.
fn log_result(r: &konform::run::result::CaseResult, show_cpr: bool) {
    let line = match &r.verdict {
        Verdict::Pass => return,
        Verdict::Fail { reason } => format!("FAIL  {}: {reason}", r.id),
        Verdict::Error { reason } => format!("ERROR {}: {reason}", r.id),
        Verdict::NotApplicable { reason } => format!("N/A   {}: {reason}", r.id),
    };
    let line = if show_cpr {
        line
    } else {
        cpr::mask_all(&line).into_owned()
    };
    eprintln!("{line}");
}
