//! Wrong answers planted into the reference's answers on their way back, through a mutating
//! proxy on 127.0.0.1: each class of fault the answer checks exist for makes a shipped case
//! fail, naming the path and the reason. Without a mutation the same cases pass through the
//! proxy, so the proxy itself changes nothing.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use konform::plan::PlannedCase;
use konform::plan::corpus::prepare_with_spec;
use konform::reference::{self, ReferenceConfig, RunningReference};
use konform::run::result::Verdict;
use konform::run::setup::known_roles;
use konform::run::{RunEnv, run_case};
use konform::spec::Spec;
use konform::target::http::RawResponse;
use konform::target::{AnswerMutation, Profile, Target, TargetOptions};

use crate::run::support;

/// Which answers a proxy mutates: a REST verb and exact path pattern (`*` for one segment),
/// or a SOAPAction.
#[derive(Debug, Clone)]
enum Aim {
    Rest(&'static str, &'static str),
    Soap(&'static str),
}

impl Aim {
    fn hits(&self, method: &str, path: &str, headers: &HeaderMap) -> bool {
        match self {
            Aim::Rest(verb, pattern) => {
                let segs: Vec<&str> = path.split('/').collect();
                let pats: Vec<&str> = pattern.split('/').collect();
                method == *verb
                    && segs.len() == pats.len()
                    && segs.iter().zip(&pats).all(|(s, p)| *p == "*" || s == p)
            }
            Aim::Soap(action) => headers
                .get("soapaction")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim_matches('"') == *action),
        }
    }
}

struct Proxy {
    upstream: String,
    client: reqwest::Client,
    aim: Aim,
    mutation: Option<AnswerMutation>,
    applied: AtomicUsize,
}

async fn forward(State(p): State<Arc<Proxy>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 16 << 20).await.unwrap();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut out = p
        .client
        .request(
            parts.method.clone(),
            format!("{}{path_and_query}", p.upstream),
        )
        .body(bytes.to_vec());
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            out = out.header(name, value);
        }
    }
    let resp = out.send().await.expect("the reference answers");
    let mut raw = RawResponse {
        status: resp.status().as_u16(),
        headers: resp
            .headers()
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect(),
        body: resp.bytes().await.unwrap().to_vec(),
    };
    if let Some(m) = &p.mutation
        && p.aim
            .hits(parts.method.as_str(), parts.uri.path(), &parts.headers)
        && m.apply(parts.uri.path(), &mut raw)
    {
        p.applied.fetch_add(1, Ordering::SeqCst);
    }
    let mut answer = Response::builder().status(StatusCode::from_u16(raw.status).unwrap());
    for (name, value) in &raw.headers {
        if !name.eq_ignore_ascii_case("content-length")
            && !name.eq_ignore_ascii_case("transfer-encoding")
        {
            answer = answer.header(name, value);
        }
    }
    answer.body(Body::from(raw.body)).unwrap()
}

/// The reference behind a mutating proxy, and a target pointing at the proxy.
struct Rig {
    _reference: RunningReference,
    proxy: Arc<Proxy>,
    env: Arc<RunEnv>,
    spec: Arc<Spec>,
}

async fn rig(aim: Aim, mutation: Option<AnswerMutation>) -> Rig {
    let spec = corpus().0.clone();
    let secret = uuid::Uuid::new_v4().simple().to_string();
    let reference = reference::start(
        ReferenceConfig {
            spec: spec.clone(),
            test_mode: true,
            client_secret: secret.clone(),
            disabled_checks: Default::default(),
            mutant: None,
            statement: Default::default(),
        },
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .expect("the reference starts");
    let proxy = Arc::new(Proxy {
        upstream: reference.base_url(),
        client: reqwest::Client::new(),
        aim,
        mutation,
        applied: AtomicUsize::new(0),
    });
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .fallback(forward)
        .with_state(proxy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let target = Target::new(
        Profile::embedded(&url),
        &spec.overlay,
        Some(secret),
        &TargetOptions::default(),
    )
    .expect("target");
    let env = Arc::new(RunEnv::new(
        Arc::new(target),
        support::clock(),
        Duration::from_secs(10),
    ));
    Rig {
        _reference: reference,
        proxy,
        env,
        spec,
    }
}

/// The shipped spec and corpus, planned once for every test here.
fn corpus() -> &'static (Arc<Spec>, Vec<Arc<PlannedCase>>) {
    static CORPUS: OnceLock<(Arc<Spec>, Vec<Arc<PlannedCase>>)> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let spec = Arc::new(Spec::load(Path::new("specs")).expect("the shipped spec"));
        let corpus = prepare_with_spec(spec.clone(), Path::new("cases"), &known_roles([]))
            .expect("the corpus plans");
        (spec, corpus.cases)
    })
}

fn case(_spec: &Arc<Spec>, id: &str) -> Arc<PlannedCase> {
    corpus()
        .1
        .iter()
        .find(|c| c.case.id == id)
        .cloned()
        .unwrap_or_else(|| panic!("no case {id}"))
}

/// Runs a shipped case with a fault planted into its method's answers; returns the reason it
/// failed, after checking the fault was planted.
async fn fails_with(id: &str, aim: Aim, mutation: AnswerMutation) -> String {
    let rig = rig(aim, Some(mutation.clone())).await;
    let planned = case(&rig.spec, id);
    let result = run_case(&planned, &rig.env).await;
    assert!(
        rig.proxy.applied.load(Ordering::SeqCst) > 0,
        "{mutation:?} found nothing to change in the answer of {id}"
    );
    match result.verdict {
        Verdict::Fail { reason } => reason,
        other => panic!("{id} with {mutation:?}: expected a failure, got {other:?}"),
    }
}

const CATEGORY: &str = "CreatePersonCategory.registered-an-hour-ago";
const SOAP_AIM: Aim = Aim::Soap("CreatePersonCategory");

#[tokio::test]
async fn without_a_mutation_the_cases_pass_through_the_proxy() {
    let rig = rig(SOAP_AIM, None).await;
    for id in [
        CATEGORY,
        "CreatePersonCategory.invalid-cpr",
        "GetYdelse.one-benefit",
        "GetYdelser.none",
        "GetYdelse.other-citizens-benefit",
    ] {
        let planned = case(&rig.spec, id);
        let r = run_case(&planned, &rig.env).await;
        assert_eq!(r.verdict, Verdict::Pass, "{id}");
    }
}

#[tokio::test]
async fn each_mismatch_is_carried_apart_with_path_expectation_answer_and_grounds() {
    let rig = rig(
        SOAP_AIM,
        Some(AnswerMutation::Rename {
            from: "MessageIdentifier".into(),
            to: "MessageId".into(),
        }),
    )
    .await;
    let r = run_case(&case(&rig.spec, CATEGORY), &rig.env).await;
    assert!(matches!(r.verdict, Verdict::Fail { .. }), "{:?}", r.verdict);
    let missing = r
        .mismatches
        .iter()
        .find(|m| m.path == "CreatePersonCategoryResponse/ServiceReceipt/MessageIdentifier")
        .unwrap_or_else(|| panic!("no mismatch at the renamed element: {:?}", r.mismatches));
    assert_eq!(missing.expected, "guid (string) (occurs 1)");
    assert_eq!(missing.got, "nothing");
    assert!(
        missing.grounds.contains("output table"),
        "{}",
        missing.grounds
    );
    // Every reporter's details list them, one line each.
    let lines = konform::report::text::details(&r, konform::report::text::Detail::Short);
    let listed: Vec<_> = lines.iter().filter(|(l, _)| *l == "mismatch").collect();
    assert_eq!(listed.len(), r.mismatches.len());
    assert!(
        listed
            .iter()
            .any(|(_, v)| v.starts_with("`CreatePersonCategoryResponse/ServiceReceipt/MessageId`")),
        "{listed:?}"
    );
    // And the JSON carries them as fields.
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json["mismatches"].as_array().map(Vec::len),
        Some(r.mismatches.len())
    );
}

#[tokio::test]
async fn a_renamed_element_fails() {
    let reason = fails_with(
        CATEGORY,
        SOAP_AIM,
        AnswerMutation::Rename {
            from: "MessageIdentifier".into(),
            to: "MessageId".into(),
        },
    )
    .await;
    assert!(
        reason.contains("`CreatePersonCategoryResponse/ServiceReceipt/MessageId`: the spec says one of `EventDate`, `MessageIdentifier`, got an element `MessageId` the output table does not list"),
        "{reason}"
    );
    assert!(
        reason.contains("`CreatePersonCategoryResponse/ServiceReceipt/MessageIdentifier`: the spec says guid (string) (occurs 1), got nothing"),
        "{reason}"
    );
}

#[tokio::test]
async fn another_namespace_fails() {
    let reason = fails_with(
        CATEGORY,
        SOAP_AIM,
        AnswerMutation::Namespace {
            from: "urn:star:dfdg:PersonRegistrationService".into(),
            to: "urn:example:other".into(),
        },
    )
    .await;
    assert!(
        reason.contains("`CreatePersonCategoryResponse`: the spec says namespace `urn:star:dfdg:PersonRegistrationService`, got `urn:example:other` (grounds: overlay soap_services.PersonRegistrationService.namespace, an assumption)"),
        "{reason}"
    );
}

#[tokio::test]
async fn reordered_elements_fail() {
    let reason = fails_with(
        CATEGORY,
        SOAP_AIM,
        AnswerMutation::Swap {
            first: "EventDate".into(),
            second: "MessageIdentifier".into(),
        },
    )
    .await;
    assert!(
        reason.contains("`CreatePersonCategoryResponse/ServiceReceipt/EventDate`: the spec says `EventDate` before `MessageIdentifier` (the output table's sequence), got `EventDate` after `MessageIdentifier`"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_missing_mandatory_element_fails() {
    let reason = fails_with(
        CATEGORY,
        SOAP_AIM,
        AnswerMutation::Drop {
            name: "EventDate".into(),
        },
    )
    .await;
    assert!(
        reason.contains("`CreatePersonCategoryResponse/ServiceReceipt/EventDate`: the spec says dateTime (occurs 1), got nothing"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_fault_on_http_200_fails() {
    let reason = fails_with(
        "CreatePersonCategory.invalid-cpr",
        SOAP_AIM,
        AnswerMutation::ErrorOn200,
    )
    .await;
    assert!(
        reason.contains("`HTTP status`: the spec says HTTP 500 for a fault, got a SOAP Fault on HTTP 200 (grounds: SOAP 1.1 §6.2"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_wrong_json_type_fails() {
    let reason = fails_with(
        "GetYdelse.one-benefit",
        Aim::Rest("GET", "/v1/ydelse/*"),
        AnswerMutation::NumberToString {
            member: "kontaktgruppe".into(),
        },
    )
    .await;
    assert!(
        reason.contains("`ydelse/kontaktgruppe` is the string \"2\", expected the number `2`"),
        "the typed equals: {reason}"
    );
    assert!(
        reason.contains("`ydelse/kontaktgruppe`: the spec says a JSON integer (KontaktgruppeTypeCodeList (integer)), got the string \"2\""),
        "the answer check: {reason}"
    );
}

#[tokio::test]
async fn an_empty_204_where_a_collection_is_due_fails() {
    let reason = fails_with(
        "GetYdelser.none",
        Aim::Rest("GET", "/v1/ydelse"),
        AnswerMutation::Empty204,
    )
    .await;
    assert!(
        reason.contains("`ydelser` is absent, expected 0 item(s)"),
        "the count: {reason}"
    );
    assert!(
        reason.contains("`ydelser`: the spec says an answer holding YdelseDtoCollection (complex) (occurs 1), got an empty answer (HTTP 204)"),
        "the answer check: {reason}"
    );
}

#[tokio::test]
async fn another_citizens_data_returned_fails() {
    // The implementation answers the benefit the path names, whoever's CPR the header holds.
    let reason = fails_with(
        "GetYdelse.other-citizens-benefit",
        Aim::Rest("GET", "/v1/ydelse/*"),
        AnswerMutation::Replace {
            status: 200,
            content_type: "application/json".into(),
            body: r#"{"ydelse":{"kyYdelsesIdentifier":"{id}","startdato":"2026-10-25"}}"#.into(),
        },
    )
    .await;
    assert!(
        reason.starts_with("expected HTTP 404, got success (HTTP 200)"),
        "{reason}"
    );
}

/// A generated case of the shipped corpus.
fn generated_case(id: &str) -> Arc<PlannedCase> {
    static GENERATED: OnceLock<Vec<Arc<PlannedCase>>> = OnceLock::new();
    GENERATED
        .get_or_init(|| {
            let mut planned =
                prepare_with_spec(corpus().0.clone(), Path::new("cases"), &known_roles([]))
                    .expect("the corpus plans");
            planned
                .add_generated(&known_roles([]))
                .expect("the generated cases plan");
            planned.cases
        })
        .iter()
        .find(|c| c.case.id == id)
        .cloned()
        .unwrap_or_else(|| panic!("no generated case {id}"))
}

/// Runs a generated case through the proxy; its verdict and whether the fault was planted.
async fn run_generated(id: &str, aim: Aim, mutation: Option<AnswerMutation>) -> (Verdict, usize) {
    let rig = rig(aim, mutation).await;
    let result = run_case(&generated_case(id), &rig.env).await;
    (result.verdict, rig.proxy.applied.load(Ordering::SeqCst))
}

const OTHERS_BENEFIT: &str = "GetYdelse.x.identity.other-citizen";
const OTHERS_IN_LIST: &str = "GetYdelser.x.identity.other-citizen";

#[tokio::test]
async fn the_generated_other_citizen_cases_pass_on_the_reference() {
    for (id, aim) in [
        (OTHERS_BENEFIT, Aim::Rest("GET", "/v1/ydelse/*")),
        (OTHERS_IN_LIST, Aim::Rest("GET", "/v1/ydelse")),
    ] {
        let (verdict, _) = run_generated(id, aim, None).await;
        assert_eq!(verdict, Verdict::Pass, "{id}");
    }
}

#[tokio::test]
async fn another_citizens_benefit_answered_fails_the_generated_case() {
    // The benefit the path names is answered, whoever's CPR the header holds.
    let (verdict, applied) = run_generated(
        OTHERS_BENEFIT,
        Aim::Rest("GET", "/v1/ydelse/*"),
        Some(AnswerMutation::Replace {
            status: 200,
            content_type: "application/json".into(),
            body: r#"{"ydelse":{"kyYdelsesIdentifier":"{id}","startdato":"2026-10-25"}}"#.into(),
        }),
    )
    .await;
    assert!(applied > 0);
    match verdict {
        Verdict::Fail { reason } => assert!(
            reason.starts_with("expected HTTP 404, got success (HTTP 200)"),
            "{reason}"
        ),
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn another_citizens_benefit_in_the_list_fails_the_generated_case() {
    // The list holds the other citizen's benefit beside the citizen's own.
    let (verdict, applied) = run_generated(
        OTHERS_IN_LIST,
        Aim::Rest("GET", "/v1/ydelse"),
        Some(AnswerMutation::Replace {
            status: 200,
            content_type: "application/json".into(),
            body: r#"{"ydelser":[{"kyYdelsesIdentifier":"7f6c1c56-8d0e-4f7e-9d1c-0a4b7c7e0001","startdato":"2026-10-25"},{"kyYdelsesIdentifier":"7f6c1c56-8d0e-4f7e-9d1c-0a4b7c7e0002","startdato":"2026-10-25"}]}"#.into(),
        }),
    )
    .await;
    assert!(applied > 0);
    match verdict {
        Verdict::Fail { reason } => {
            assert!(reason.contains("`ydelser`"), "the path: {reason}");
            assert!(reason.contains("2"), "what came back: {reason}");
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn every_cross_cutting_rule_has_a_case_on_every_method_it_applies_to() {
    let spec = corpus().0.clone();
    let mut planned = prepare_with_spec(spec.clone(), Path::new("cases"), &known_roles([]))
        .expect("the corpus plans");
    planned
        .add_generated(&known_roles([]))
        .expect("the generated cases plan");
    let models = planned.case_models();
    let crossing = konform::coverage::cross_cutting(&spec, &models);
    let soap = crossing
        .iter()
        .filter(|m| m.rules.iter().any(|(r, _)| r.starts_with("caller-header")))
        .count();
    assert_eq!(soap, 30, "every current and deprecated SOAP method");
    for m in &crossing {
        for (rule, cases) in &m.rules {
            assert!(
                !cases.is_empty(),
                "{}/{}: no case for {rule}",
                m.service,
                m.method
            );
        }
    }
    let rest: Vec<_> = crossing
        .iter()
        .filter(|m| m.rules.iter().any(|(r, _)| r == "token.scope"))
        .collect();
    assert_eq!(rest.len(), 7, "every REST method has a scope");
    // The rules of issue 13's third part, each on the methods it applies to.
    let with = |rule: &str| -> Vec<String> {
        crossing
            .iter()
            .filter(|m| m.rules.iter().any(|(r, _)| r == rule))
            .map(|m| m.method.clone())
            .collect()
    };
    assert_eq!(
        with("caller-header.unreadable").len(),
        30,
        "8234 on every SOAP method"
    );
    assert_eq!(with("errors-reported.caller-headers").len(), 30);
    for (rule, at_least) in [
        // Where the method lists 1014 itself (elsewhere the other violation's code is the
        // reading schema-fault-code's, and two refusals of any code tell nothing apart).
        ("errors-reported.fields", 18),
        ("identity.other-citizen", 14),
        ("lifecycle.after-delete", 7),
        ("clock.danish-midnight", 10),
    ] {
        let methods = with(rule);
        assert!(methods.len() >= at_least, "{rule}: only {methods:?}");
    }
    for (rule, method) in [
        ("identity.other-citizen", "GetYdelse"),
        ("identity.other-citizen", "GetYdelser"),
        ("identity.other-citizen", "UpdateHealthLimitation"),
        // Creates that name an existing registration of the citizen beside the new one.
        ("identity.other-citizen", "CreateInterview"),
        ("identity.other-citizen", "CreatePersonInterview"),
        ("identity.other-citizen", "CreatePersonCategoryAndInterview"),
        ("identity.other-citizen", "CreateYdelse"),
        ("lifecycle.after-delete", "UpdateHealthLimitation"),
        ("lifecycle.after-delete", "DeleteHealthLimitation"),
        ("clock.danish-midnight", "UpdateContactGroup"),
        ("inherited.validation", "UpdateInterview"),
        ("inherited.validation", "UpdatePersonInterview"),
    ] {
        assert!(with(rule).iter().any(|m| m == method), "{rule} on {method}");
    }
    // Where a rule does not apply, the reason is given.
    let why = |method: &str, rule: &str| -> String {
        let m = crossing
            .iter()
            .find(|m| m.method == method)
            .unwrap_or_else(|| panic!("no method {method}"));
        assert!(
            !m.rules.iter().any(|(r, _)| r == rule),
            "{rule} applies to {method}"
        );
        m.not_applicable
            .iter()
            .find(|(r, _)| r == rule)
            .map(|(_, why)| why.clone())
            .unwrap_or_else(|| panic!("{method}: no reason why {rule} does not apply"))
    };
    for m in &crossing {
        for (rule, reason) in &m.not_applicable {
            assert!(!reason.is_empty(), "{}: {rule} without a reason", m.method);
        }
    }
    assert!(
        why("DeletePersonGroupMarking", "identity.other-citizen").contains("no CPR"),
        "the request names no citizen"
    );
    assert!(why("CreateHealthLimitation", "identity.other-citizen").contains("no identifier"));
    // No documented method reads a deleted item back: none has the rule, each delete says why.
    assert!(with("lifecycle.read-after-delete").is_empty());
    assert!(
        why("DeleteHealthLimitation", "lifecycle.read-after-delete").contains("no get method"),
        "PersonRegistrationService has no get method"
    );
    let interview_delete = crossing
        .iter()
        .find(|m| m.service == "InterviewService" && m.method == "DeleteInterviewParticipant")
        .expect("InterviewService/DeleteInterviewParticipant");
    assert!(
        interview_delete
            .not_applicable
            .iter()
            .any(|(r, why)| r == "lifecycle.read-after-delete"
                && why.starts_with("GetInterviewInfo answers InterviewParticipant items")),
        "{:?}",
        interview_delete.not_applicable
    );
}

#[tokio::test]
async fn another_citizens_benefit_accepted_by_create_fails_the_generated_case() {
    // CreateYdelse with another citizen's KY identifier is accepted (and would move that
    // citizen's benefit): the generated case expects 100051.
    let id = "CreateYdelse.x.identity.other-citizen";
    let (verdict, _) = run_generated(id, Aim::Rest("POST", "/v1/ydelse"), None).await;
    assert_eq!(verdict, Verdict::Pass, "{id} on the reference");
    let (verdict, applied) = run_generated(
        id,
        Aim::Rest("POST", "/v1/ydelse"),
        Some(AnswerMutation::Replace {
            status: 204,
            content_type: "application/json".into(),
            body: String::new(),
        }),
    )
    .await;
    assert!(applied > 0);
    match verdict {
        Verdict::Fail { reason } => assert!(
            reason.contains("100051") && reason.contains("got success"),
            "{reason}"
        ),
        other => panic!("expected a failure, got {other:?}"),
    }
}
