//! Hand-made run summaries: every verdict, every outcome kind, setup exchanges, cases on
//! assumptions and generated cases, and (in [`with_cprs`]) CPR numbers and secrets in every
//! place a string can hold them.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use konform::case::model::Covers;
use konform::plan::grounds::Ground;
use konform::run::result::{
    CaseResult, CodeCoverage, CodeStatus, KillRatio, MethodCoverage, MutationScore, RuleCoverage,
    RunSummary, Survivor, Verdict,
};
use konform::spec::Provenance;
use konform::target::outcome::{
    DfdgError, Exchange, Failure, Outcome, RecordedRequest, RecordedResponse,
};

pub const RUN_ID: &str = "6f0c8e1a-3b7d-4c2e-9f10-2a5b7c9d1e3f";
pub const CPR: &str = "0101901234";
pub const CPR2: &str = "1203851111";
pub const TOKEN: &str = "tok-SECRET-4711-abcdef";

/// A fresh, empty folder under cargo's per-target temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "report-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

pub fn exchange(method: &str, url: &str, body: &str, status: u16, response_body: &str) -> Exchange {
    Exchange {
        request: RecordedRequest {
            method: method.to_string(),
            url: url.to_string(),
            headers: vec![
                ("Authorization".to_string(), "***".to_string()),
                (
                    "x-requestId".to_string(),
                    "0b5e2f4c-1d3a-4e6b-8c7d-9e0f1a2b3c4d".to_string(),
                ),
            ],
            body: body.to_string(),
        },
        response: Some(RecordedResponse {
            status,
            headers: vec![("content-type".to_string(), "application/json".to_string())],
            body: response_body.to_string(),
            truncated: false,
        }),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "a fixture builder, read at the call site"
)]
pub fn case(
    service: &str,
    method: &str,
    slug: &str,
    verdict: Verdict,
    expected: &str,
    outcome: Option<Outcome>,
    exchanges: Vec<Exchange>,
    assumes: &[&str],
    generated: bool,
) -> CaseResult {
    CaseResult {
        id: format!("{method}.{slug}"),
        title: format!("{method} {}", slug.replace('-', " ")),
        service: service.to_string(),
        method: method.to_string(),
        covers: Covers {
            codes: vec![4653],
            rules: vec![format!("{method}.rule-1")],
            fields: if generated {
                vec!["startdato".to_string()]
            } else {
                vec![]
            },
        },
        tags: vec!["smoke".to_string()],
        assumes: assumes.iter().map(|s| s.to_string()).collect(),
        generated,
        origin: if generated {
            "gen:constraints".to_string()
        } else {
            format!("cases/{service}/{method}.yaml:12")
        },
        verdict,
        expected: expected.to_string(),
        outcome,
        exchanges,
        duration_ms: 12.5,
        attempts: 1,
        caller: None,
        reproduce: None,
        grounds: std::iter::once(Ground {
            on: "error 4653".to_string(),
            at: Some(Provenance {
                doc: "001_87d7a0a3447f30f0.txt".to_string(),
                line: 2417,
                text: "4653 | The interview date is too old | The interview date is too old"
                    .to_string(),
            }),
            basis: None,
        })
        .chain(assumes.iter().map(|a| Ground {
            on: format!("overlay {a}"),
            at: None,
            basis: Some("assumption: a value the documents do not give".to_string()),
        }))
        .collect(),
        trimmed: vec![],
        mismatches: vec![],
    }
}

fn dfdg(code: u32, text: &str) -> Outcome {
    Outcome::DfdgError {
        status: 400,
        errors: vec![DfdgError {
            code,
            text: Some(text.to_string()),
        }],
    }
}

/// A run over three methods of two services: one conformant, one not, one not applicable.
pub fn summary() -> RunSummary {
    let ydelse = "VisiteringOgStatus.YdelsesVisiteringService";
    let interview = "InterviewService";
    let url = "http://127.0.0.1:41234/v1/ydelse";
    let soap = "http://127.0.0.1:41234/InterviewService";
    let cases = vec![
        case(
            ydelse,
            "CreateYdelse",
            "accepts-a-valid-ydelse",
            Verdict::Pass,
            "success",
            Some(Outcome::Success {
                status: 201,
                body: serde_json::json!({ "ydelsesidentifier": "b1c2" }),
            }),
            vec![exchange(
                "POST",
                url,
                r#"{"startdato":"2026-01-01"}"#,
                201,
                r#"{"ydelsesidentifier":"b1c2"}"#,
            )],
            &[],
            false,
        ),
        case(
            ydelse,
            "CreateYdelse",
            "kth-2025-without-lovhenvisning",
            Verdict::Pass,
            "error 100049",
            Some(dfdg(100049, "Lovhenvisning skal være angivet")),
            vec![exchange(
                "POST",
                url,
                r#"{"kontaktgruppe":2}"#,
                400,
                r#"{"errors":[{"code":100049,"text":"Lovhenvisning skal være angivet"}]}"#,
            )],
            &["code_lists.kontaktgruppe.KTH"],
            false,
        ),
        case(
            ydelse,
            "CreateYdelse",
            "startdato-pattern",
            Verdict::Pass,
            "error 1001",
            Some(dfdg(1001, "ugyldig dato")),
            vec![exchange(
                "POST",
                url,
                r#"{"startdato":"x"}"#,
                400,
                r#"{"errors":[{"code":1001}]}"#,
            )],
            &[],
            true,
        ),
        case(
            interview,
            "CreatePersonInterview",
            "date-more-than-7-days-old",
            Verdict::Fail {
                reason: "expected error 4653, got success (HTTP 200)".to_string(),
            },
            "error 4653",
            Some(Outcome::Success {
                status: 200,
                body: serde_json::json!({ "note": "<script>alert(1)</script>" }),
            }),
            vec![
                exchange(
                    "POST",
                    "http://127.0.0.1:41234/konform/state",
                    r#"{"citizen":{"status":"alive"}}"#,
                    200,
                    r#"{"cpr":"masked","ids":{}}"#,
                ),
                exchange(
                    "POST",
                    soap,
                    "<soap:Envelope><soap:Body><CreatePersonInterviewRequest/></soap:Body></soap:Envelope>",
                    200,
                    "<html><script>alert('owned')</script></html>",
                ),
            ],
            &[],
            false,
        ),
        case(
            interview,
            "CreatePersonInterview",
            "target-down",
            Verdict::Error {
                reason: "connection refused by 127.0.0.1:41234".to_string(),
            },
            "error 4654",
            Some(Outcome::TransportFailure {
                failure: Failure::Refused,
                detail: "tcp connect error".to_string(),
            }),
            vec![Exchange {
                request: RecordedRequest {
                    method: "POST".to_string(),
                    url: soap.to_string(),
                    headers: vec![],
                    body: String::new(),
                },
                response: None,
            }],
            &[],
            true,
        ),
        case(
            interview,
            "CreatePersonInterview",
            "repeated-request-id",
            Verdict::Pass,
            "HTTP 412",
            Some(Outcome::HttpStatus {
                status: 412,
                body: String::new(),
            }),
            vec![exchange("POST", soap, "<x/>", 412, "")],
            &["transport.rest.412"],
            false,
        ),
        case(
            "BorgerFlytteService",
            "GetFlytning",
            "needs-a-move-flow",
            Verdict::NotApplicable {
                reason: "the target cannot establish a move flow (422: no moves)".to_string(),
            },
            "success",
            None,
            vec![exchange(
                "POST",
                "http://127.0.0.1:41234/konform/state",
                "{}",
                422,
                r#"{"error":"no moves"}"#,
            )],
            &[],
            false,
        ),
    ];
    let mut s = RunSummary::from_cases(
        RUN_ID.to_string(),
        "2026-11-24T10:00:00+01:00".to_string(),
        "2026-11-24T10:00:02.250+01:00".to_string(),
        "embedded reference (http://127.0.0.1:41234)".to_string(),
        true,
        cases,
    );
    // Without a coverage matrix, no method documents anything to evidence: CreateYdelse is
    // conformant on its passes alone (`with_coverage` gives it codes to evidence).
    konform::run::evidence::judge(&mut s);
    s
}

/// [`summary`] with the optional coverage and mutation fields filled.
pub fn with_coverage() -> RunSummary {
    let mut s = summary();
    // CreateYdelse evidences 100049 but not 4669: incomplete.
    s.coverage.push(MethodCoverage {
        service: "VisiteringOgStatus.YdelsesVisiteringService".to_string(),
        method: "CreateYdelse".to_string(),
        codes: vec![
            CodeCoverage {
                code: 100049,
                text: Some("Lovhenvisning skal være angivet".to_string()),
                status: CodeStatus::Covered,
                cases: vec!["CreateYdelse.kth-2025-without-lovhenvisning".to_string()],
                reason: None,
                passing: Some(vec![
                    "CreateYdelse.kth-2025-without-lovhenvisning".to_string(),
                ]),
            },
            CodeCoverage {
                code: 4669,
                text: Some("Slutdatoen må ikke ligge før startdatoen".to_string()),
                status: CodeStatus::Uncovered,
                cases: vec!["CreateYdelse.slutdato-before-startdato".to_string()],
                reason: None,
                passing: Some(vec![]),
            },
        ],
        rules: vec![RuleCoverage {
            id: "CreateYdelse.kth-lovhenvisning".to_string(),
            text: "Lovhenvisning skal angives ved KTH".to_string(),
            codes: vec![100049],
            status: CodeStatus::Uncovered,
            cases: vec![],
            reason: None,
            passing: Some(vec![]),
        }],
        kill_ratio: None,
    });
    s.coverage.push(MethodCoverage {
        service: "InterviewService".to_string(),
        method: "CreatePersonInterview".to_string(),
        codes: vec![
            CodeCoverage {
                code: 4653,
                text: Some("date more than 7 days in the past".to_string()),
                status: CodeStatus::Covered,
                cases: vec!["CreatePersonInterview.date-more-than-7-days-old".to_string()],
                reason: None,
                passing: Some(vec![
                    "CreatePersonInterview.date-more-than-7-days-old".to_string(),
                ]),
            },
            CodeCoverage {
                code: 4654,
                text: None,
                status: CodeStatus::Uncovered,
                cases: vec![],
                reason: None,
                passing: Some(vec![]),
            },
            CodeCoverage {
                code: 8183,
                text: None,
                status: CodeStatus::Untestable,
                cases: vec![],
                reason: Some("the document gives no text for 8183".to_string()),
                passing: Some(vec![]),
            },
        ],
        rules: vec![RuleCoverage {
            id: "CreatePersonInterview.rule-1".to_string(),
            text: "a rule stated in prose".to_string(),
            codes: vec![4653],
            status: CodeStatus::Covered,
            cases: vec!["CreatePersonInterview.repeated-request-id".to_string()],
            reason: None,
            passing: Some(vec![
                "CreatePersonInterview.repeated-request-id".to_string(),
            ]),
        }],
        kill_ratio: Some(KillRatio {
            mutants: 4,
            killed: 3,
        }),
    });
    // In the order coverage::compute gives: by service, then method.
    s.coverage
        .sort_by(|a, b| (&a.service, &a.method).cmp(&(&b.service, &b.method)));
    konform::run::evidence::judge(&mut s);
    s.mutation = Some(MutationScore {
        mutants: 40,
        killed: 37,
        survivors: vec![
            survivor(
                "CreatePersonInterview/rule-7",
                Some("PersonRegistrationService.CreatePersonInterview"),
                false,
            ),
            survivor(
                "CreatePersonInterview/rule-8",
                Some("PersonRegistrationService.CreatePersonInterview"),
                false,
            ),
            survivor("validation/unknown-element", None, true),
        ],
        by_kind: Default::default(),
    });
    s
}

/// A run with CPR numbers and secrets in every string a report renders: bodies, URLs,
/// headers, reasons, titles, ids, expectations, outcome texts and keys, coverage.
pub fn with_cprs() -> RunSummary {
    let mut s = with_coverage();
    s.target = format!("vendor test ({CPR})");
    for (i, c) in s.cases.iter_mut().enumerate() {
        let cpr = if i % 2 == 0 { CPR } else { CPR2 };
        let dashed = format!("{}-{}", &cpr[..6], &cpr[6..]);
        c.id = format!("{}.for-{cpr}", c.id);
        c.title = format!("{} for borger {dashed}", c.title);
        c.origin = format!("cases/{cpr}.yaml:1");
        c.tags.push(cpr.to_string());
        c.assumes.push(format!("pool.{cpr}"));
        c.covers.rules.push(format!("rule-{cpr}"));
        c.expected = format!("{} for {cpr}", c.expected);
        c.verdict = match &c.verdict {
            Verdict::Pass => Verdict::Pass,
            Verdict::Fail { reason } => Verdict::Fail {
                reason: format!("{reason}; cpr {cpr} was accepted"),
            },
            Verdict::Error { reason } => Verdict::Error {
                reason: format!("{reason} ({cpr})"),
            },
            Verdict::NotApplicable { reason } => Verdict::NotApplicable {
                reason: format!("{reason} for {cpr}"),
            },
            Verdict::Inconclusive {
                reason,
                reading,
                alternative,
            } => Verdict::Inconclusive {
                reason: format!("{reason} ({cpr})"),
                reading: reading.clone(),
                alternative: alternative.clone(),
            },
        };
        c.outcome = Some(match i % 4 {
            0 => Outcome::Success {
                status: 200,
                body: serde_json::json!({
                    "cpr": cpr,
                    "asNumber": 1203851111u64,
                    cpr: "key holds it",
                    "list": [format!("<cpr>{cpr}</cpr>")],
                    "access_token": TOKEN
                }),
            },
            1 => Outcome::DfdgError {
                status: 400,
                errors: vec![DfdgError {
                    code: 4404,
                    text: Some(format!("CPR {dashed} findes ikke")),
                }],
            },
            2 => Outcome::HttpStatus {
                status: 404,
                body: format!("no person {cpr}"),
            },
            _ => Outcome::TransportFailure {
                failure: Failure::Unparsable,
                detail: format!("bad xml near {cpr}"),
            },
        });
        c.exchanges = vec![Exchange {
            request: RecordedRequest {
                method: "POST".to_string(),
                url: format!(
                    "http://127.0.0.1:41234/v1/person/{cpr}?cpr={cpr}&access_token={TOKEN}"
                ),
                headers: vec![
                    ("Authorization".to_string(), format!("Bearer {TOKEN}")),
                    ("x-civilRegistrationIdentifier".to_string(), cpr.to_string()),
                    ("X-Api-Key".to_string(), TOKEN.to_string()),
                ],
                body: format!(
                    "<PersonCivilRegistrationIdentifier>{cpr}</PersonCivilRegistrationIdentifier><wsse:Password>{TOKEN}</wsse:Password>"
                ),
            },
            response: Some(RecordedResponse {
                status: 200,
                headers: vec![("x-echo-cpr".to_string(), dashed.clone())],
                body: format!(
                    r#"{{"cpr":"{cpr}","other":"{dashed}","token":"{TOKEN}","n":{cpr}}}"#
                ),
                truncated: true,
            }),
        }];
    }
    s.coverage[0].codes[0].text = Some(format!("borger {CPR} er død"));
    s.coverage[0].codes[0].cases = vec![format!("case-{CPR}")];
    s.mutation.as_mut().expect("fixture").survivors = vec![Survivor {
        id: format!("rule-{CPR2}"),
        method: Some(format!("M-{CPR2}")),
        reason: format!("no case for {CPR2}"),
        explained: false,
    }];
    // Rebuild the per-method summaries for the changed ids.
    RunSummary {
        coverage: s.coverage.clone(),
        mutation: s.mutation.clone(),
        ..RunSummary::from_cases(
            s.run_id.clone(),
            s.started.clone(),
            s.finished.clone(),
            s.target.clone(),
            s.complete,
            s.cases.clone(),
        )
    }
}

/// A survivor of a mutation run, for fixtures.
pub fn survivor(id: &str, method: Option<&str>, explained: bool) -> Survivor {
    Survivor {
        id: id.to_string(),
        method: method.map(str::to_string),
        reason: format!("switching {id} off went unnoticed"),
        explained,
    }
}
