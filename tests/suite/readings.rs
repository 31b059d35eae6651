//! The readings against the reference, once per alternative: for every reading a case rests on
//! (`then.by_reading`) and every alternative of it but konform's default, the embedded
//! reference answers under that alternative and
//! - judged under a statement declaring it, every case of the whole corpus passes (every
//!   method conformant);
//! - judged without a statement (konform's defaults assumed), the cases resting on the reading
//!   are inconclusive where the alternative's answer differs, naming the reading and the
//!   alternative, and never fail.
//!
//! The cases that do not rest on the reading are judged the same under any statement, and the
//! first run shows the reference answers them as under the default; the second run takes the
//! reading's cases alone, which keeps the binary within seconds per alternative.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use konform::clock::Clock;
use konform::plan::PlannedCase;
use konform::plan::corpus;
use konform::run::execute::RunEnv;
use konform::run::result::{RunSummary, Verdict};
use konform::run::setup::{self, Settings, Setup};
use konform::spec::statement::Statement;

fn corpus() -> corpus::Corpus {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let roles = setup::known_roles([]);
    let mut c = corpus::prepare(&root.join("specs"), &root.join("cases"), &roles)
        .unwrap_or_else(|e| panic!("the corpus loads: {e:?}"));
    c.add_generated(&roles).expect("the generated cases plan");
    c
}

async fn run(setup: &Setup, cases: Vec<Arc<PlannedCase>>) -> RunSummary {
    setup
        .run("readings", cases, 4, std::future::pending(), |_| {})
        .await
}

fn not_passing(s: &RunSummary) -> Vec<String> {
    s.cases
        .iter()
        .filter(|c| c.verdict != Verdict::Pass)
        .map(|c| format!("{} {}: {:?}", c.verdict.name(), c.id, c.verdict.reason()))
        .collect()
}

#[test]
fn the_reference_answers_under_every_alternative_and_undeclared_ones_are_inconclusive() {
    let corpus = corpus();
    let spec = corpus.spec.clone();
    let cases: Vec<Arc<PlannedCase>> = corpus.cases.clone();
    let used: BTreeSet<String> = corpus
        .cases
        .iter()
        .flat_map(|c| c.case.then.readings().into_iter().map(str::to_string))
        .collect();
    assert!(
        used.len() >= 6,
        "the corpus rests on {} readings: {used:?}",
        used.len()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let clock = Clock::now();
    let mut inconclusive_seen = 0;
    for reading in &used {
        let r = &spec.overlay.readings[reading];
        for alt in r.alternatives.iter().filter(|a| a.name != r.default) {
            let statement = Statement::declaring(reading, &alt.name);
            let mut settings = Settings::new(clock, Duration::from_secs(10));
            settings.statement = Arc::new(statement.clone());
            let declared = runtime
                .block_on(setup::start(&spec, None, settings))
                .expect("the embedded reference starts");
            // Declared: the whole corpus passes.
            let s = runtime.block_on(run(&declared, cases.clone()));
            assert_eq!(s.cases.len(), cases.len());
            let bad = not_passing(&s);
            assert!(
                bad.is_empty(),
                "{reading}: {} declared, {} cases do not pass:\n{}",
                alt.name,
                bad.len(),
                bad.join("\n")
            );
            // Undeclared: the same reference, judged under konform's defaults.
            let env = &declared.env;
            let undeclared = Setup {
                env: Arc::new(RunEnv {
                    target: env.target.clone(),
                    provisioner: env.provisioner.clone(),
                    clock: env.clock,
                    timeout: env.timeout,
                    show_cpr: false,
                    retries: 0,
                    statement: Arc::default(),
                }),
                embedded: None,
            };
            let resting: Vec<Arc<PlannedCase>> = cases
                .iter()
                .filter(|c| c.case.then.readings().contains(&reading.as_str()))
                .cloned()
                .collect();
            let s = runtime.block_on(run(&undeclared, resting));
            let mut inconclusive = 0;
            for c in &s.cases {
                match &c.verdict {
                    Verdict::Pass => {}
                    Verdict::Inconclusive {
                        reading: named,
                        alternative,
                        ..
                    } => {
                        assert_eq!(named, reading, "{}", c.id);
                        assert_eq!(alternative, &alt.name, "{}", c.id);
                        inconclusive += 1;
                    }
                    other => panic!(
                        "{reading}: {} undeclared, {} is {} ({:?}), not inconclusive",
                        alt.name,
                        c.id,
                        other.name(),
                        other.reason()
                    ),
                }
            }
            // `any` accepts the code the default gives: nothing differs under it.
            if !(reading == "schema-fault-code" && alt.name == "any") {
                assert!(
                    inconclusive > 0,
                    "{reading}: {} answers as the default does",
                    alt.name
                );
            }
            inconclusive_seen += inconclusive;
            drop(undeclared);
            drop(declared);
        }
    }
    assert!(inconclusive_seen > 10, "{inconclusive_seen}");
}
