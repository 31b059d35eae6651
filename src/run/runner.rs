//! Running many cases: at most `jobs` at a time on the tokio runtime, each result handed to a
//! callback as soon as it is ready (so a collector always holds everything finished), and an
//! interrupt that stops the run and leaves it marked incomplete. The main entry point is
//! [`run_cases`].

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use super::execute::{RunEnv, result, run_case};
use super::result::{CaseResult, Verdict};
use crate::plan::PlannedCase;

/// Runs every case; returns `true` when the run completed, `false` when it was interrupted.
pub async fn run_cases<I, F>(
    cases: Vec<Arc<PlannedCase>>,
    env: Arc<RunEnv>,
    jobs: usize,
    interrupt: I,
    on_result: F,
) -> bool
where
    I: Future<Output = ()>,
    F: FnMut(CaseResult),
{
    run_cases_until(cases, env, jobs, None, interrupt, on_result).await == RunEnd::Complete
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// Every case ran.
    Complete,
    /// Interrupted (Ctrl-C): running cases were abandoned.
    Interrupted,
    /// `max_fail` cases failed: no further case was started, the running ones finished.
    CutShort { failures: usize },
}

/// [`run_cases`], stopping the scheduling of new cases once `max_fail` cases have failed
/// (any verdict but pass and not applicable; see [`Verdict::is_failure`]).
pub async fn run_cases_until<I, F>(
    cases: Vec<Arc<PlannedCase>>,
    env: Arc<RunEnv>,
    jobs: usize,
    max_fail: Option<usize>,
    interrupt: I,
    mut on_result: F,
) -> RunEnd
where
    I: Future<Output = ()>,
    F: FnMut(CaseResult),
{
    let mut failures = 0usize;
    let mut on_result = move |r: CaseResult| {
        if r.verdict.is_failure() {
            failures += 1;
        }
        on_result(r);
        failures
    };
    let mut failed = 0usize;
    let jobs = jobs.max(1);
    let mut pending = cases.into_iter();
    let mut running: JoinSet<CaseResult> = JoinSet::new();
    let mut by_task: HashMap<tokio::task::Id, Arc<PlannedCase>> = HashMap::new();
    tokio::pin!(interrupt);
    loop {
        let stop = max_fail.is_some_and(|n| failed >= n);
        while running.len() < jobs && !stop {
            let Some(case) = pending.next() else { break };
            let env = env.clone();
            let task_case = case.clone();
            let handle = running.spawn(async move { run_case(&task_case, &env).await });
            by_task.insert(handle.id(), case);
        }
        tokio::select! {
            biased;
            () = &mut interrupt => {
                running.abort_all();
                return RunEnd::Interrupted;
            }
            joined = running.join_next_with_id() => match joined {
                None if stop && pending.len() > 0 => return RunEnd::CutShort { failures: failed },
                None => return RunEnd::Complete,
                Some(Ok((id, r))) => {
                    by_task.remove(&id);
                    failed = on_result(r);
                }
                Some(Err(e)) => {
                    // A case that panicked is reported as an error, and the run goes on.
                    if let Some(case) = by_task.remove(&e.id()) {
                        let verdict = Verdict::Error {
                            reason: format!("the harness failed on this case: {e}"),
                        };
                        failed = on_result(result(&case, verdict, None, Vec::new(), Duration::ZERO, env.show_cpr));
                    }
                }
            }
        }
    }
}
