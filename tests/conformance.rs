//! Every case in `cases/` against the embedded reference, each as its own test
//! (libtest-mimic), named `<Service>::<Method>::<case id>` so that
//! `cargo test --test conformance -- CreateYdelse` filters by name. The reference is started
//! once for the whole binary. A case passes only with the verdict `pass`: a failure, an error
//! and "not applicable" all fail the test, since the reference must establish every precondition.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};

use konform::case::diagnostic;
use konform::clock::Clock;
use konform::plan::corpus::{self, CorpusError};
use konform::run::result::Verdict;
use konform::run::run_case;
use konform::run::setup::{self, Settings};

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (specs, cases) = (root.join("specs"), root.join("cases"));
    if !specs.is_dir() || !cases.is_dir() {
        eprintln!("no specs/ or cases/ folder: nothing to run");
        libtest_mimic::run(&args, Vec::new()).exit();
    }
    // The whole corpus: hand-written cases and the ones generated from the field constraints.
    let roles = konform::run::setup::known_roles([]);
    let prepared = corpus::prepare(&specs, &cases, &roles)
        .and_then(|mut c| c.add_generated(&roles).map(|()| c));
    let corpus = match prepared {
        Ok(c) => c,
        Err(e) => {
            let message = match e {
                CorpusError::Spec(e) => e.to_string(),
                CorpusError::Cases(d) => diagnostic::render(&d),
            };
            let trial = Trial::test("corpus::loads", move || Err(Failed::from(message)));
            libtest_mimic::run(&args, vec![trial]).exit();
        }
    };
    let runtime = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime"),
    );
    let setup = runtime
        .block_on(setup::start(
            &corpus.spec,
            None,
            Settings::new(Clock::now(), Duration::from_secs(10)),
        ))
        .expect("the embedded reference starts");
    let env = setup.env.clone();
    let trials = corpus
        .cases
        .iter()
        .map(|case| {
            let name = format!(
                "{}::{}::{}",
                case.case.service, case.case.method, case.case.id
            );
            let (case, env, runtime) = (case.clone(), env.clone(), runtime.clone());
            Trial::test(name, move || {
                let r = runtime.block_on(run_case(&case, &env));
                let (kind, reason) = match &r.verdict {
                    Verdict::Pass => return Ok(()),
                    Verdict::Fail { reason } => ("fail", reason),
                    Verdict::Error { reason } => ("error", reason),
                    Verdict::NotApplicable { reason } => ("not applicable", reason),
                    Verdict::Inconclusive { reason, .. } => ("inconclusive", reason),
                };
                let mut message = format!("{kind}: {reason}\n  case: {}\n", r.origin);
                for x in &r.exchanges {
                    message.push_str(&format!(
                        "  > {} {}\n  > {}\n",
                        x.request.method, x.request.url, x.request.body
                    ));
                    if let Some(resp) = &x.response {
                        message.push_str(&format!("  < {} {}\n", resp.status, resp.body));
                    }
                }
                Err(Failed::from(message))
            })
        })
        .collect();
    let conclusion = libtest_mimic::run(&args, trials);
    drop(setup);
    conclusion.exit();
}
