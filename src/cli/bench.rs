//! `konform bench`: how fast the harness runs the corpus against the embedded reference, beside
//! the raw request rate of a plain reqwest loop against the same server. Prints cases per
//! second, requests per second, and the harness's own wall time per case (the run's wall time
//! less what its requests cost at the raw rate).

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;

use konform::clock::Clock;
use konform::plan::PlannedCase;
use konform::run::result::Verdict;
use konform::run::setup::{self, Settings};
use konform::run::{RunEnv, run_cases};

use super::run::FilterArgs;

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(flatten)]
    pub corpus: super::CorpusArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Cases run at once (and requests in flight in the raw loop).
    #[arg(long, short = 'j', default_value_t = 32)]
    pub jobs: usize,
    /// Run the corpus until at least this many seconds have passed.
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
    pub seconds: f64,
}

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let roles = konform::run::setup::known_roles([]);
    let corpus = match args.corpus.load(&roles, true) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let seconds = super::seconds(args.seconds.max(0.1), "--seconds")?;
    runtime.block_on(bench(corpus.spec.clone(), cases, args.jobs.max(1), seconds))?;
    Ok(ExitCode::from(super::EXIT_OK))
}

struct Round {
    cases: usize,
    requests: usize,
    not_passed: usize,
    wall: Duration,
}

async fn bench(
    spec: Arc<konform::spec::Spec>,
    cases: Vec<Arc<PlannedCase>>,
    jobs: usize,
    budget: Duration,
) -> anyhow::Result<()> {
    let setup = setup::start(
        &spec,
        None,
        Settings::new(Clock::now(), Duration::from_secs(10)),
    )
    .await?;
    let env = setup.env.clone();
    let base_url = match &setup.embedded {
        Some(e) => e.reference.base_url(),
        None => bail!("the bench runs against the embedded reference"),
    };
    let round = |env: Arc<RunEnv>| {
        let cases = cases.clone();
        async move {
            let started = Instant::now();
            let (mut n, mut requests, mut not_passed) = (0, 0, 0);
            run_cases(cases, env, jobs, std::future::pending(), |r| {
                n += 1;
                requests += r.exchanges.len();
                if !matches!(r.verdict, Verdict::Pass) {
                    not_passed += 1;
                }
            })
            .await;
            Round {
                cases: n,
                requests,
                not_passed,
                wall: started.elapsed(),
            }
        }
    };
    // Warm-up: tokens fetched, connections open.
    let warm = round(env.clone()).await;
    let mut total = Round {
        cases: 0,
        requests: 0,
        not_passed: 0,
        wall: Duration::ZERO,
    };
    while total.wall < budget {
        let r = round(env.clone()).await;
        total.cases += r.cases;
        total.requests += r.requests;
        total.not_passed += r.not_passed;
        total.wall += r.wall;
    }
    let raw = raw_loop(&base_url, total.requests.max(1000), jobs).await?;
    let secs = total.wall.as_secs_f64();
    let per_request_raw = raw.as_secs_f64() / total.requests.max(1000) as f64;
    let harness = (secs - total.requests as f64 * per_request_raw) / total.cases as f64;
    println!(
        "corpus: {} cases, {} requests per round ({} not passing)",
        warm.cases, warm.requests, warm.not_passed
    );
    println!(
        "jobs: {jobs}, cores: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "cases/s:                 {:>10.0}",
        total.cases as f64 / secs
    );
    println!(
        "requests/s (harness):    {:>10.0}",
        total.requests as f64 / secs
    );
    println!("requests/s (raw loop):   {:>10.0}", 1.0 / per_request_raw);
    println!(
        "harness time per case:   {:>10.1} µs (wall, beyond its requests at the raw rate)",
        harness * 1e6
    );
    drop(setup);
    Ok(())
}

/// A plain reqwest loop: `n` state-change requests (a citizen with a contact group), `jobs`
/// at a time, on one shared client.
async fn raw_loop(base: &str, n: usize, jobs: usize) -> anyhow::Result<Duration> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .build()?;
    let url = format!("{base}/konform/state");
    let now = Clock::now();
    let body = serde_json::json!({
        "now": now.rfc3339(),
        "citizen": { "jobcenter": "10101", "kommune": "101",
                     "contact_groups": [ { "id": "cg", "type": 1, "start": now.rfc3339() } ] },
        "projects": []
    })
    .to_string();
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..jobs {
        let (client, url, body, next) = (client.clone(), url.clone(), body.clone(), next.clone());
        tasks.spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let resp = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await?;
                let _ = resp.bytes().await?;
            }
            Ok::<(), reqwest::Error>(())
        });
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    Ok(started.elapsed())
}
