//! The `summary.json` schema, pinned by a type of its own (as ripgrep's tests/json.rs does):
//! every object denies unknown fields, every required field is required, so a change of the
//! written shape breaks this test until the schema version, the README and this type move
//! together. It deliberately does not reuse konform's own types.

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::report::fixtures;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    schema_version: u32,
    run_id: String,
    started: String,
    finished: String,
    target: String,
    complete: bool,
    cpr_shown: bool,
    tls_verification_off: bool,
    totals: Counts,
    methods: Vec<Method>,
    cases: Vec<Case>,
    coverage: Vec<Coverage>,
    mutation: Option<Mutation>,
    /// The implementation statement in one line; absent where the run names none.
    #[serde(default)]
    #[expect(dead_code, reason = "free-form, absent in the fixture")]
    statement: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
struct Counts {
    pass: usize,
    fail: usize,
    error: usize,
    not_applicable: usize,
    inconclusive: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Method {
    service: String,
    method: String,
    verdict: MethodVerdict,
    counts: Counts,
    assumed: Counts,
    generated: Counts,
    #[serde(default)]
    evidence: Option<Evidence>,
}

#[derive(Debug, Deserialize, PartialEq, Clone)]
#[serde(deny_unknown_fields)]
struct Evidence {
    codes: usize,
    codes_evidenced: usize,
    codes_untestable: usize,
    #[serde(default)]
    missing_codes: Vec<u32>,
    rules: usize,
    rules_evidenced: usize,
    rules_untestable: usize,
    #[serde(default)]
    missing_rules: Vec<String>,
}

#[derive(Debug, Deserialize, PartialEq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum MethodVerdict {
    Conformant,
    NotConformant,
    Incomplete,
    Inconclusive,
    NotApplicable,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    title: String,
    service: String,
    method: String,
    covers: Covers,
    tags: Vec<String>,
    assumes: Vec<String>,
    generated: bool,
    origin: String,
    verdict: CaseVerdict,
    /// Present exactly when the verdict is not `pass`.
    #[serde(default)]
    reason: Option<String>,
    expected: String,
    #[serde(default)]
    outcome: Option<Outcome>,
    exchanges: Vec<Exchange>,
    duration_ms: f64,
    attempts: u32,
    grounds: Vec<Ground>,
    /// For an inconclusive verdict: the reading and the alternative the answer passes under.
    #[serde(default)]
    #[expect(dead_code, reason = "absent in the fixture")]
    reading: Option<String>,
    #[serde(default)]
    #[expect(dead_code, reason = "absent in the fixture")]
    alternative: Option<String>,
    /// What the per-case size budget left out; absent when nothing was.
    #[serde(default)]
    #[expect(dead_code, reason = "free-form notes")]
    trimmed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ground {
    on: String,
    /// `<document>:<line>: <text>`, for a line of the documents.
    #[serde(default)]
    at: Option<String>,
    /// The overlay entry's reason or source.
    #[serde(default)]
    basis: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum CaseVerdict {
    Pass,
    Fail,
    Error,
    NotApplicable,
    Inconclusive,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Covers {
    #[serde(default)]
    codes: Vec<u32>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    fields: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
enum Outcome {
    Success {
        status: u16,
        #[expect(dead_code, reason = "free-form: the target's body")]
        body: serde_json::Value,
    },
    DfdgError {
        status: u16,
        errors: Vec<DfdgError>,
    },
    HttpStatus {
        status: u16,
        body: String,
    },
    TransportFailure {
        failure: Failure,
        detail: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DfdgError {
    code: u32,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Failure {
    Timeout,
    Refused,
    Reset,
    Unparsable,
    TooLarge,
    Tls,
    Other,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exchange {
    request: Request,
    #[serde(default)]
    response: Option<Response>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    #[serde(default)]
    truncated: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Coverage {
    service: String,
    method: String,
    codes: Vec<CodeCoverage>,
    rules: Vec<RuleCoverage>,
    #[serde(default)]
    kill_ratio: Option<KillRatio>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KillRatio {
    mutants: usize,
    killed: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeCoverage {
    code: u32,
    text: Option<String>,
    status: String,
    cases: Vec<String>,
    reason: Option<String>,
    #[serde(default)]
    passing: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleCoverage {
    id: String,
    text: String,
    codes: Vec<u32>,
    status: String,
    cases: Vec<String>,
    reason: Option<String>,
    #[serde(default)]
    passing: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mutation {
    mutants: usize,
    killed: usize,
    survivors: Vec<Survivor>,
    #[serde(default)]
    by_kind: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Survivor {
    id: String,
    method: Option<String>,
    reason: String,
    explained: bool,
}

fn written(summary: &konform::run::result::RunSummary, name: &str) -> (String, Summary) {
    let dir = fixtures::temp_dir(name);
    let w = konform::report::write_all(summary, &dir).expect("write reports");
    let text = std::fs::read_to_string(&w.summary_json).expect("read summary.json");
    let parsed: Summary = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("summary.json does not match the pinned schema: {e}\n{text}"));
    (text, parsed)
}

#[test]
fn written_summary_matches_the_pinned_schema() {
    let summary = fixtures::with_coverage();
    let (_, s) = written(&summary, "schema");
    assert_eq!(
        s.schema_version, 3,
        "bump the README and this test together"
    );
    assert_eq!(s.run_id, fixtures::RUN_ID);
    assert_eq!(s.started, "2026-11-24T10:00:00+01:00");
    assert_eq!(s.finished, "2026-11-24T10:00:02.250+01:00");
    assert!(s.target.starts_with("embedded reference"));
    assert!(s.complete && !s.cpr_shown && !s.tls_verification_off);
    assert_eq!(
        s.totals,
        Counts {
            pass: 4,
            fail: 1,
            error: 1,
            not_applicable: 1,
            inconclusive: 0,
        }
    );
    // Per method: verdict and counts, sorted by service then method.
    let methods: Vec<(&str, &str, MethodVerdict, usize)> = s
        .methods
        .iter()
        .map(|m| {
            (
                m.service.as_str(),
                m.method.as_str(),
                m.verdict,
                m.counts.pass + m.counts.fail + m.counts.error + m.counts.not_applicable,
            )
        })
        .collect();
    assert_eq!(
        methods,
        vec![
            (
                "BorgerFlytteService",
                "GetFlytning",
                MethodVerdict::NotApplicable,
                1
            ),
            (
                "InterviewService",
                "CreatePersonInterview",
                MethodVerdict::NotConformant,
                3
            ),
            (
                "VisiteringOgStatus.YdelsesVisiteringService",
                "CreateYdelse",
                MethodVerdict::Incomplete,
                3
            ),
        ]
    );
    // No conformant without evidence: CreateYdelse's 4669 has no passing case.
    let evidence = s.methods[2].evidence.clone().expect("evidence");
    assert_eq!(
        (
            evidence.codes,
            evidence.codes_evidenced,
            evidence.missing_codes
        ),
        (2, 1, vec![4669])
    );
    // The failing case cites the document line its expectation rests on.
    let failing = s
        .cases
        .iter()
        .find(|c| c.verdict == CaseVerdict::Fail)
        .expect("a failing case");
    assert_eq!(failing.grounds[0].on, "error 4653");
    assert!(
        failing.grounds[0]
            .at
            .as_deref()
            .is_some_and(|a| a.starts_with("001_87d7a0a3447f30f0.txt:2417: 4653 |")),
        "{:?}",
        failing.grounds[0]
    );
    assert!(failing.grounds[0].basis.is_none());
    // A generated case names the field whose documented row it breaks.
    let generated = s
        .cases
        .iter()
        .find(|c| c.generated && c.verdict == CaseVerdict::Pass)
        .expect("a generated case");
    assert_eq!(generated.covers.fields, vec!["startdato".to_string()]);
    let ydelse = &s.methods[2];
    assert_eq!(ydelse.assumed.pass, 1, "one case rests on an assumption");
    assert_eq!(ydelse.generated.pass, 1, "one case is generated");
    let interview = &s.methods[1];
    assert_eq!(interview.generated.error, 1);
    assert_eq!(interview.assumed.pass, 1);

    // Per case: verdict with its reason exactly when it is not a pass; expectation, outcome,
    // exchanges and timing.
    assert_eq!(s.cases.len(), 7);
    for c in &s.cases {
        assert_eq!(
            c.reason.is_some(),
            c.verdict != CaseVerdict::Pass,
            "reason of {}",
            c.id
        );
        assert!(c.id.starts_with(&format!("{}.", c.method)), "{}", c.id);
        assert!(!c.title.is_empty() && !c.service.is_empty() && !c.origin.is_empty());
        assert!(!c.expected.is_empty());
        assert!(!c.exchanges.is_empty(), "{} has exchanges", c.id);
        assert!(c.duration_ms > 0.0 && c.attempts == 1);
        assert_eq!(c.covers.codes, vec![4653]);
        assert_eq!(c.covers.rules.len(), 1);
        assert_eq!(c.tags, vec!["smoke"]);
        let _ = (&c.assumes, c.generated);
        for e in &c.exchanges {
            assert!(e.request.url.starts_with("http://127.0.0.1:"));
            let _ = (&e.request.method, &e.request.headers, &e.request.body);
            if let Some(r) = &e.response {
                let _ = (r.status, &r.headers, &r.body, r.truncated);
            }
        }
        match &c.outcome {
            None => assert_eq!(c.verdict, CaseVerdict::NotApplicable),
            Some(Outcome::Success { status, .. }) => assert!(*status < 300),
            Some(Outcome::DfdgError { status, errors }) => {
                assert_eq!(*status, 400);
                assert!(errors.iter().all(|e| e.code > 0 && e.text.is_some()));
            }
            Some(Outcome::HttpStatus { status, body }) => {
                assert_eq!((*status, body.as_str()), (412, ""))
            }
            Some(Outcome::TransportFailure { failure, detail }) => {
                assert!(matches!(failure, Failure::Refused));
                assert!(!detail.is_empty());
                let _ = [
                    Failure::Timeout,
                    Failure::Reset,
                    Failure::Unparsable,
                    Failure::TooLarge,
                    Failure::Tls,
                    Failure::Other,
                ];
            }
        }
    }
    let cov = &s.coverage[0];
    assert_eq!(
        (cov.service.as_str(), cov.method.as_str()),
        ("InterviewService", "CreatePersonInterview")
    );
    assert_eq!(cov.codes[0].code, 4653);
    assert!(cov.codes[0].text.is_some() && cov.codes[1].cases.is_empty());
    assert_eq!(
        cov.codes
            .iter()
            .map(|c| c.status.as_str())
            .collect::<Vec<_>>(),
        ["covered", "uncovered", "untestable"]
    );
    assert!(
        cov.codes[2]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("8183"))
    );
    assert_eq!(cov.codes[0].passing.as_ref().map(Vec::len), Some(1));
    let rule = &cov.rules[0];
    assert_eq!(rule.id, "CreatePersonInterview.rule-1");
    assert_eq!(
        (
            rule.text.as_str(),
            rule.codes.as_slice(),
            rule.status.as_str()
        ),
        ("a rule stated in prose", &[4653][..], "covered")
    );
    assert_eq!(rule.cases.len(), 1);
    assert!(rule.reason.is_none());
    assert_eq!(rule.passing.as_ref().map(Vec::len), Some(1));
    let k = cov.kill_ratio.as_ref().expect("kill ratio");
    assert_eq!((k.mutants, k.killed), (4, 3));
    let m = s.mutation.expect("mutation score");
    assert_eq!((m.mutants, m.killed, m.survivors.len()), (40, 37, 3));
    // Families are counted only by `konform mutate`; an empty count is left out.
    assert!(m.by_kind.is_empty());
    let sv = &m.survivors[2];
    assert_eq!(
        (sv.id.as_str(), sv.method.as_deref(), sv.explained),
        ("validation/unknown-element", None, true)
    );
    assert!(sv.reason.contains("unnoticed"));
}

#[test]
fn a_run_without_coverage_still_writes_every_field() {
    let (text, s) = written(&fixtures::summary(), "schema-bare");
    assert!(s.coverage.is_empty() && s.mutation.is_none());
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(v["coverage"], serde_json::json!([]));
    assert_eq!(v["mutation"], serde_json::Value::Null);
}

#[test]
fn the_written_summary_reads_back_into_the_same_run() {
    let summary = fixtures::with_coverage();
    let dir = fixtures::temp_dir("roundtrip");
    konform::report::write_all(&summary, &dir).expect("write");
    let back = konform::report::json::read(&dir).expect("read back");
    assert_eq!(back, summary);
}

#[test]
fn reading_refuses_another_schema_version() {
    let dir = fixtures::temp_dir("version");
    let w = konform::report::write_all(&fixtures::summary(), &dir).expect("write");
    let text = std::fs::read_to_string(&w.summary_json).expect("read");
    let newer = text.replacen("\"schema_version\": 3", "\"schema_version\": 99", 1);
    assert_ne!(newer, text);
    std::fs::write(&w.summary_json, newer).expect("write");
    let err = konform::report::json::read(&w.summary_json).expect_err("version 99");
    let msg = err.to_string();
    assert!(
        msg.contains("schema version 99") && msg.contains("summary.json"),
        "{msg}"
    );
}

/// Every field path of a fully populated summary.json is explained in the README's schema
/// table, and the table names no field that is not written.
#[test]
fn the_readme_documents_every_field() {
    let summary = fixtures::with_coverage();
    let dir = fixtures::temp_dir("readme");
    let w = konform::report::write_all(&summary, &dir).expect("write");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&w.summary_json).expect("read"))
            .expect("json");
    let mut written = BTreeSet::new();
    paths(&v, "", &mut written);
    // The response's `truncated` is written only when true; the fixture has none.
    written.insert("cases[].exchanges[].response.truncated".to_string());
    // `trimmed` is written only when the size budget left something out; the fixture fits.
    written.insert("cases[].trimmed".to_string());
    // The caller, the reproduction and why a run stopped early: absent in the fixture.
    for field in [
        "cases[].caller",
        "cases[].caller.role",
        "cases[].caller.organisation",
        "cases[].caller.code",
        "cases[].reproduce",
        "cases[].reproduce.konform",
        "cases[].reproduce.curl",
        "stopped",
        // Counted per mutant family by `konform mutate` only; a map keyed by family.
        "mutation.by_kind",
        // An inconclusive verdict's reading and alternative, and the statement line.
        "cases[].reading",
        "cases[].alternative",
        "statement",
    ] {
        written.insert(field.to_string());
    }
    // Optional fields the fixture leaves out in some places but documents.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reports.md"))
        .expect("docs/reports.md");
    let section = readme
        .split("### The `summary.json` schema")
        .nth(1)
        .expect("README has a summary.json schema section")
        .split("\n## ")
        .next()
        .expect("section");
    let documented: BTreeSet<String> = section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1).map(str::to_string))
        .collect();
    let missing: Vec<_> = written.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&written).collect();
    assert!(missing.is_empty(), "fields not in the README: {missing:?}");
    assert!(stale.is_empty(), "README fields never written: {stale:?}");
}

/// Field paths of a JSON tree (`cases[].outcome.kind`), not descending into free-form bodies
/// nor into counts objects (the README explains their four fields once).
fn paths(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            let keys: Vec<&str> = map.keys().map(String::as_str).collect();
            if keys == ["pass", "fail", "error", "not_applicable", "inconclusive"] {
                return;
            }
            for (k, child) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                if p != "cases[].outcome.body" {
                    paths(child, &p, out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            // Header pairs are arrays of two strings, not objects: stop there.
            for item in items {
                if item.is_object() {
                    paths(item, &format!("{prefix}[]"), out);
                }
            }
        }
        _ => {}
    }
}
