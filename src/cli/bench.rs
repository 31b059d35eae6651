//! `konform bench`: what a `konform run` of the corpus costs against the embedded reference,
//! beside what its requests cost without the harness. Each round is the whole run path a user
//! runs (the cases, each result redacted as it is recorded, the reproductions, the coverage
//! matrix, the evidence, the three report files and the terminal summary); the raw loop
//! replays the same request mix (every exchange of every case, in the same order per case,
//! the same number at once) on a plain reqwest client. It prints both per case and their
//! ratio; loading the corpus, done once per run, is printed apart.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;

use konform::case::Case;
use konform::clock::Clock;
use konform::plan::PlannedCase;
use konform::report::mask::Redactor;
use konform::report::repro::ReproContext;
use konform::report::{self, TerminalOptions};
use konform::run::result::Verdict;
use konform::run::setup::{self, Settings};
use konform::spec::Spec;
use konform::target::{Exchange, Target};

use super::run::FilterArgs;

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub corpus: super::CorpusArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Cases run at once (and cases replayed at once in the raw loop); default: what
    /// `konform run` takes against the embedded reference.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Run the corpus until at least this many seconds have passed.
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
    pub seconds: f64,
}

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let roles = konform::run::setup::known_roles([]);
    let loading = Instant::now();
    let corpus = match args.corpus.load(&roles, true) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let loading = loading.elapsed();
    let filter = args.filter.filter();
    let cases: Vec<Arc<PlannedCase>> = corpus
        .cases
        .iter()
        .filter(|c| filter.matches(&c.case))
        .cloned()
        .collect();
    if cases.is_empty() {
        bail!("no cases to measure");
    }
    let models = corpus.case_models();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let seconds = super::seconds(args.seconds.max(0.1), "--seconds")?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let jobs = args
        .jobs
        .unwrap_or_else(|| setup::default_jobs(true, cores))
        .max(1);
    let out = std::env::temp_dir().join(format!("konform-bench-{}", uuid::Uuid::new_v4().simple()));
    let measured = runtime.block_on(bench(
        corpus.spec.clone(),
        &models,
        cases,
        jobs,
        seconds,
        &out,
    ));
    let _ = std::fs::remove_dir_all(&out);
    let m = measured?;
    let per_case = |d: Duration, n: usize| d.as_secs_f64() * 1e3 / n.max(1) as f64;
    let run_ms = per_case(m.runs.wall, m.runs.cases);
    let cases_ms = per_case(m.runs.case_loop, m.runs.cases);
    let raw_ms = per_case(m.raw.wall, m.raw.cases);
    println!(
        "corpus: {} cases, {} requests per run ({} not passing); loaded in {:.0} ms",
        m.cases,
        m.requests,
        m.not_passed,
        loading.as_secs_f64() * 1e3
    );
    println!("jobs: {jobs}, cores: {cores}, runs: {}", m.runs.rounds);
    println!(
        "whole run (cases, redaction, reports): {:>8.3} ms per case  {:>8.0} cases/s",
        run_ms,
        1e3 / run_ms
    );
    println!(
        "  of which the case loop:              {:>8.3} ms per case",
        cases_ms
    );
    println!(
        "  of which after the last case:        {:>8.3} ms per case",
        run_ms - cases_ms
    );
    println!(
        "raw loop (same requests, plain client): {:>7.3} ms per case  {:>8.0} requests/s",
        raw_ms,
        m.raw.requests as f64 / m.raw.wall.as_secs_f64().max(1e-9)
    );
    println!(
        "  {} of {} replayed requests answered with the status the run got",
        m.raw.same_status, m.raw.requests
    );
    println!(
        "ratio (whole run / raw):                {:>7.2}",
        run_ms / raw_ms.max(1e-9)
    );
    Ok(ExitCode::from(super::EXIT_OK))
}

/// What the rounds of whole runs added up to.
#[derive(Default)]
struct Runs {
    rounds: usize,
    cases: usize,
    wall: Duration,
    case_loop: Duration,
}

/// What the raw loop added up to.
#[derive(Default)]
struct Raw {
    cases: usize,
    requests: usize,
    same_status: usize,
    wall: Duration,
}

struct Measured {
    cases: usize,
    requests: usize,
    not_passed: usize,
    runs: Runs,
    raw: Raw,
}

/// One request of the mix, ready to send again: its recorded form with the token it carried
/// (recorded as `***`), and the status the run got.
struct Replay {
    method: reqwest::Method,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
    status: Option<u16>,
}

async fn bench(
    spec: Arc<Spec>,
    models: &[Case],
    cases: Vec<Arc<PlannedCase>>,
    jobs: usize,
    budget: Duration,
    out: &std::path::Path,
) -> anyhow::Result<Measured> {
    let clock = Clock::now();
    let setup = setup::start(&spec, None, Settings::new(clock, Duration::from_secs(10))).await?;
    // The request mix is recorded on a reference of its own, with CPR numbers kept (a masked
    // one would be refused, cheaper than the run's request); nothing of it is reported.
    let mut recording = Settings::new(clock, Duration::from_secs(10));
    recording.show_cpr = true;
    recording.options.show_cpr = true;
    let mix_setup = setup::start(&spec, None, recording).await?;
    let recorded = mix_setup
        .run(
            "bench-mix",
            cases.clone(),
            jobs,
            std::future::pending(),
            |_| {},
        )
        .await;
    let mix = Arc::new(request_mix(mix_setup.target(), &cases, &recorded.cases).await);
    // Warm-up: tokens fetched, connections open.
    let first = whole_run(&setup, &spec, models, cases.clone(), jobs, out).await?;
    let mut runs = Runs::default();
    while runs.wall < budget {
        let r = whole_run(&setup, &spec, models, cases.clone(), jobs, out).await?;
        runs.rounds += 1;
        runs.cases += r.cases;
        runs.wall += r.wall;
        runs.case_loop += r.case_loop;
    }
    raw_loop(mix.clone(), jobs).await?;
    let mut raw = Raw::default();
    while raw.wall < runs.wall.min(budget) {
        let r = raw_loop(mix.clone(), jobs).await?;
        raw.cases += r.cases;
        raw.requests += r.requests;
        raw.same_status += r.same_status;
        raw.wall += r.wall;
    }
    drop(mix_setup);
    drop(setup);
    Ok(Measured {
        cases: first.cases,
        requests: recorded.cases.iter().map(|c| c.exchanges.len()).sum(),
        not_passed: first.not_passed,
        runs,
        raw,
    })
}

/// One whole run's figures.
struct WholeRun {
    cases: usize,
    not_passed: usize,
    wall: Duration,
    case_loop: Duration,
}

/// One run as `konform run` makes it: each result redacted as it is recorded, the reports
/// written to `out`, the terminal summary printed to nowhere.
async fn whole_run(
    setup: &setup::Setup,
    spec: &Spec,
    models: &[Case],
    cases: Vec<Arc<PlannedCase>>,
    jobs: usize,
    out: &std::path::Path,
) -> anyhow::Result<WholeRun> {
    let started = Instant::now();
    let redactor = Redactor::new(false).with_secrets(setup.secrets());
    let mut summary = setup
        .run_until("bench", cases, jobs, None, std::future::pending(), |r| {
            redactor.record(r)
        })
        .await;
    let case_loop = started.elapsed();
    let not_passed = summary
        .cases
        .iter()
        .filter(|c| !matches!(c.verdict, Verdict::Pass))
        .count();
    let written = super::run::finish(
        &mut summary,
        spec,
        models,
        &redactor,
        &ReproContext::default(),
        None,
        out,
    )?;
    report::print_redacted(
        &summary,
        &mut std::io::sink(),
        &TerminalOptions {
            written: Some(written),
            ..TerminalOptions::default()
        },
    )?;
    Ok(WholeRun {
        cases: summary.cases.len(),
        not_passed,
        wall: started.elapsed(),
        case_loop,
    })
}

/// The requests of every case, in order, with the bearer token of the case's caller where the
/// recording shows `***`; `x-requestId` is made fresh at each replay (a repeated one is
/// refused with 412, which would cost the reference less than the run's request did).
async fn request_mix(
    target: &Arc<Target>,
    cases: &[Arc<PlannedCase>],
    results: &[konform::run::result::CaseResult],
) -> Vec<Vec<Replay>> {
    let planned: std::collections::HashMap<(&str, &str), &PlannedCase> = cases
        .iter()
        .map(|c| ((c.case.service.as_str(), c.case.id.as_str()), c.as_ref()))
        .collect();
    let mut mix = Vec::with_capacity(results.len());
    for result in results {
        let token = match planned.get(&(result.service.as_str(), result.id.as_str())) {
            Some(case) => target
                .bearer(&case.caller, &case.method)
                .await
                .ok()
                .flatten(),
            None => None,
        };
        mix.push(
            result
                .exchanges
                .iter()
                .filter_map(|e| replay(e, token.as_deref()))
                .collect(),
        );
    }
    mix
}

fn replay(e: &Exchange, token: Option<&str>) -> Option<Replay> {
    let method = reqwest::Method::from_bytes(e.request.method.as_bytes()).ok()?;
    let headers = e
        .request
        .headers
        .iter()
        .filter_map(|(name, value)| {
            if name.eq_ignore_ascii_case("authorization") {
                token.map(|t| (name.clone(), format!("Bearer {t}")))
            } else if name.eq_ignore_ascii_case("content-length")
                || name.eq_ignore_ascii_case("host")
            {
                None
            } else {
                Some((name.clone(), value.clone()))
            }
        })
        .collect();
    Some(Replay {
        method,
        url: e.request.url.clone(),
        headers,
        body: e.request.body.clone(),
        status: e.response.as_ref().map(|r| r.status),
    })
}

/// The request mix on a plain reqwest client: `jobs` cases at a time, each case's requests
/// one after another, as the harness sends them.
async fn raw_loop(mix: Arc<Vec<Vec<Replay>>>, jobs: usize) -> anyhow::Result<Raw> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .build()?;
    let next = Arc::new(AtomicUsize::new(0));
    let same = Arc::new(AtomicUsize::new(0));
    let sent = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..jobs {
        let (client, mix, next, same, sent) = (
            client.clone(),
            mix.clone(),
            next.clone(),
            same.clone(),
            sent.clone(),
        );
        tasks.spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = mix.get(i) else { break };
                for r in case {
                    let mut request = client.request(r.method.clone(), &r.url);
                    for (name, value) in &r.headers {
                        let value = if name.eq_ignore_ascii_case("x-requestid") {
                            uuid::Uuid::new_v4().to_string()
                        } else {
                            value.clone()
                        };
                        request = request.header(name.as_str(), value);
                    }
                    if !r.body.is_empty() {
                        request = request.body(r.body.clone());
                    }
                    let response = request.send().await?;
                    let status = response.status().as_u16();
                    let _ = response.bytes().await?;
                    sent.fetch_add(1, Ordering::Relaxed);
                    if r.status == Some(status) {
                        same.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            Ok::<(), reqwest::Error>(())
        });
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    Ok(Raw {
        cases: mix.len(),
        requests: sent.load(Ordering::Relaxed),
        same_status: same.load(Ordering::Relaxed),
        wall: started.elapsed(),
    })
}
