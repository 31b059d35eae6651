//! The readings against the reference, once per alternative: for every reading a case rests on
//! (`then.by_reading`) and every alternative of it but konform's default, the embedded
//! reference answers under that alternative and
//! - judged under a statement declaring it, every case of the whole corpus passes (every
//!   method conformant);
//! - judged without a statement (konform's defaults assumed), the cases resting on the reading
//!   are inconclusive where the alternative's answer differs, naming the reading and an
//!   alternative that passes, and never fail.
//!
//! A reading met only inside another's alternative (error-precedence under errors-reported:
//! first) is run with that outer alternative declared in both statements.
//!
//! The cases that do not rest on the reading are judged the same under any statement, and the
//! first run shows the reference answers them as under the default; the second run takes the
//! reading's cases alone, which keeps the binary within seconds per alternative.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use konform::case::model::Then;
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

/// For every reading met nested inside an alternative of another (error-precedence under
/// errors-reported: first), the outer alternatives that bring it into force.
fn enclosing(
    then: &Then,
    outer: &BTreeMap<String, String>,
    out: &mut BTreeMap<String, BTreeMap<String, String>>,
) {
    let Then::ByReading { by_reading } = then else {
        return;
    };
    // The fewest outer alternatives: a reading met at the top anywhere needs none.
    let base = out
        .entry(by_reading.reading.clone())
        .or_insert_with(|| outer.clone());
    if outer.len() < base.len() {
        *base = outer.clone();
    }
    for (alt, t) in &by_reading.expect {
        let mut inner = outer.clone();
        inner.insert(by_reading.reading.clone(), alt.clone());
        if let Then::ByReading { .. } = t {
            enclosing(t, &inner, out);
        }
    }
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
    let mut bases = BTreeMap::new();
    for c in &corpus.cases {
        enclosing(&c.case.then, &BTreeMap::new(), &mut bases);
    }
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
            // A nested reading is judged under the outer alternatives that bring it in force.
            let base = Statement {
                readings: bases.get(reading).cloned().unwrap_or_default(),
                ..Statement::default()
            };
            let mut statement = base.clone();
            statement.readings.insert(reading.clone(), alt.name.clone());
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
                    statement: Arc::new(base),
                }),
                embedded: None,
            };
            let resting: Vec<Arc<PlannedCase>> = cases
                .iter()
                .filter(|c| c.case.then.readings().contains(&reading.as_str()))
                .cloned()
                .collect();
            let s = runtime.block_on(run(&undeclared, resting.clone()));
            let mut inconclusive = 0;
            for c in &s.cases {
                match &c.verdict {
                    Verdict::Pass => {}
                    Verdict::Inconclusive {
                        reading: named,
                        alternative,
                        ..
                    } => {
                        // The reading, or one nested in its default's expectation that the
                        // answer also passes under (errors-reported: first answers 1014 alone,
                        // which the CPR's cpr-pattern-code: 1014 accepts as well).
                        let rests = resting
                            .iter()
                            .find(|p| p.case.id == c.id && p.case.service == c.service)
                            .map(|p| p.case.then.readings())
                            .unwrap_or_default();
                        assert!(
                            named == reading || rests.contains(&named.as_str()),
                            "{}: {named}",
                            c.id
                        );
                        // An alternative under which the answer passes: the one declared, or
                        // another that accepts it too (`unordered` accepts `newest-first`'s).
                        let named_reading = &spec.overlay.readings[named.as_str()];
                        assert!(
                            alternative == &alt.name
                                || named_reading
                                    .alternatives
                                    .iter()
                                    .any(|a| &a.name == alternative),
                            "{}: {alternative}",
                            c.id
                        );
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
