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
    mut on_result: F,
) -> bool
where
    I: Future<Output = ()>,
    F: FnMut(CaseResult),
{
    let jobs = jobs.max(1);
    let mut pending = cases.into_iter();
    let mut running: JoinSet<CaseResult> = JoinSet::new();
    let mut by_task: HashMap<tokio::task::Id, Arc<PlannedCase>> = HashMap::new();
    tokio::pin!(interrupt);
    loop {
        while running.len() < jobs {
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
                return false;
            }
            joined = running.join_next_with_id() => match joined {
                None => return true,
                Some(Ok((id, r))) => {
                    by_task.remove(&id);
                    on_result(r);
                }
                Some(Err(e)) => {
                    // A case that panicked is reported as an error, and the run goes on.
                    if let Some(case) = by_task.remove(&e.id()) {
                        let verdict = Verdict::Error {
                            reason: format!("the harness failed on this case: {e}"),
                        };
                        on_result(result(&case, verdict, None, Vec::new(), Duration::ZERO, env.show_cpr));
                    }
                }
            }
        }
    }
}
