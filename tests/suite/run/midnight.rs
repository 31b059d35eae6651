//! The `clock.danish-midnight` cases catch an implementation that takes "today" in UTC: the
//! embedded reference with its Danish time switched off (`clock/danish-time`, so "now" and the
//! request's instants are read in UTC) fails some of them pinned just after Danish midnight, in
//! winter (+01:00) and in summer (+02:00) time, while the reference in Danish time passes them
//! all.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use konform::generate::{cross, midnight};
use konform::plan::PlannedCase;
use konform::plan::corpus::prepare;
use konform::reference::rules::DANISH_TIME;
use konform::reference::{self, ReferenceConfig, RunningReference};
use konform::run::result::Verdict;
use konform::run::setup::known_roles;
use konform::run::{RunEnv, run_case};
use konform::spec::Spec;
use konform::spec::statement::Statement;
use konform::target::{Profile, Target, TargetOptions};

use crate::run::support;

/// The shipped spec and the generated `clock.danish-midnight` cases.
fn midnight_cases() -> (Arc<Spec>, Vec<Arc<PlannedCase>>) {
    let mut planned = prepare(Path::new("specs"), Path::new("cases"), &known_roles([]))
        .expect("the corpus plans");
    planned
        .add_generated(&known_roles([]))
        .expect("the generated cases plan");
    let cases = planned
        .cases
        .iter()
        .filter(|c| cross::rule_of(&c.case) == Some(midnight::RULE))
        .cloned()
        .collect();
    (planned.spec.clone(), cases)
}

async fn start(spec: &Arc<Spec>, utc: bool) -> (RunningReference, RunEnv) {
    let secret = uuid::Uuid::new_v4().simple().to_string();
    let mut config = ReferenceConfig::new(spec.clone(), secret.clone());
    if utc {
        config.disabled_checks.insert(DANISH_TIME.to_string());
    }
    let running = reference::start(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .expect("the reference starts");
    let target = Target::new(
        Profile::embedded(&running.base_url()),
        &spec.overlay,
        Some(secret),
        &TargetOptions::default(),
    )
    .expect("target");
    let mut env = RunEnv::new(Arc::new(target), support::clock(), Duration::from_secs(10));
    // Judged under a statement declaring konform's defaults, the alternatives the reference
    // answers under: a case that would pass under another alternative fails, not inconclusive.
    env.statement = Arc::new(Statement::defaults(&spec.overlay));
    (running, env)
}

/// Where a case's clock is pinned: `(season, after midnight)`.
fn moment(case: &PlannedCase) -> (&'static str, bool) {
    let clock = case.case.given.clock.as_deref().unwrap_or("");
    let season = if clock.ends_with("+02:00") {
        "summer"
    } else {
        "winter"
    };
    (season, clock.contains("T00:00:30"))
}

#[tokio::test]
async fn the_danish_midnight_cases_catch_an_implementation_that_takes_today_in_utc() {
    let (spec, cases) = midnight_cases();
    assert!(cases.len() >= 40, "only {} midnight cases", cases.len());

    // In Danish time, every one passes.
    let (danish, env) = start(&spec, false).await;
    for case in &cases {
        let r = run_case(case, &env).await;
        assert_eq!(r.verdict, Verdict::Pass, "{} in Danish time", case.case.id);
    }
    danish.shutdown().await;

    // In UTC, some fail: just after Danish midnight, in winter and in summer time.
    let (utc, env) = start(&spec, true).await;
    let mut failed: Vec<(String, (&str, bool), String)> = Vec::new();
    for case in &cases {
        let r = run_case(case, &env).await;
        match r.verdict {
            Verdict::Pass => {}
            Verdict::Fail { reason } => failed.push((case.case.id.clone(), moment(case), reason)),
            other => panic!("{} in UTC: neither pass nor fail: {other:?}", case.case.id),
        }
    }
    utc.shutdown().await;
    eprintln!(
        "{} of {} midnight cases fail on the UTC reference",
        failed.len(),
        cases.len()
    );
    for season in ["winter", "summer"] {
        let caught: Vec<&(String, (&str, bool), String)> = failed
            .iter()
            .filter(|(_, m, _)| *m == (season, true))
            .collect();
        assert!(
            !caught.is_empty(),
            "no {season} case just after Danish midnight fails on the UTC reference"
        );
        for (id, _, reason) in &caught {
            // The failure says what was expected and what came back.
            assert!(
                reason.starts_with("expected "),
                "{id}: the reason names the expectation: {reason}"
            );
        }
    }
    // Two known ones, with their reasons: a health limitation that started yesterday (Danish
    // time) starts in the past (4668); half a minute after Danish midnight it is still
    // yesterday in UTC, so the UTC reference takes it as starting today. Its base is pinned in
    // winter; the summer one is the same base moved half a year.
    for id in [
        "CreateHealthLimitation.x.clock.started-yesterday-late.after-midnight",
        "CreateHealthLimitation.x.clock.started-yesterday-late.summer-after-midnight",
    ] {
        let (_, _, reason) = failed
            .iter()
            .find(|(f, _, _)| f == id)
            .unwrap_or_else(|| panic!("{id} passes on the UTC reference"));
        assert_eq!(
            reason, "expected error 4668, got success (HTTP 200)",
            "{id}"
        );
    }
}
