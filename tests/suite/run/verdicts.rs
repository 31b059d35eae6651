//! Every verdict kind against wiremock targets: pass, fail (a wrong code, a wrong field), error
//! (a hanging target, malformed XML, a refused connection) and not applicable.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use konform::run::result::Verdict;
use konform::run::run_case;
use konform::target::{Failure, Outcome};
use serde_json::json;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::run::support::{self, run_one};

const CREATE_THING: &str = r#"
- id: CreateThing.ok
  title: a thing is created
  given: { citizen: {} }
  when:
    headers: { x-requestId: "${uuid}", x-civilRegistrationIdentifier: "${cpr}" }
    body: { thingIdentifier: "${uuid:t}", startdato: "${today-8d}" }
  then:
    success: true
    fields:
      thingIdentifier: { equals: "${uuid:t}" }
      startdato: { matches: date }
      items: { count: 2 }
      items/1/n: { equals: 2 }
"#;

async fn state_ok(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/konform/state"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"cpr": "0101901234", "ids": {}})),
        )
        .mount(server)
        .await;
}

/// Answers with the request's own thingIdentifier and startdato, as a conformant target would.
struct Echo;
impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
        ResponseTemplate::new(201).set_body_json(json!({
            "thingIdentifier": body["thingIdentifier"],
            "startdato": body["startdato"],
            "items": [ { "n": 1 }, { "n": 2 } ]
        }))
    }
}

#[tokio::test]
async fn pass_when_the_answer_matches_exactly() {
    let server = MockServer::start().await;
    state_ok(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .respond_with(Echo)
        .mount(&server)
        .await;
    let r = run_one(
        &server.uri(),
        "TestRestService",
        "CreateThing",
        CREATE_THING,
    )
    .await;
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    assert_eq!(
        r.exchanges.len(),
        2,
        "the state-change request and the case's request"
    );
    let sent: serde_json::Value = serde_json::from_str(&r.exchanges[1].request.body).unwrap();
    assert_eq!(
        sent["startdato"], "2026-11-16",
        "a date field gets a date, 8 days before the clock"
    );
    let state: serde_json::Value = serde_json::from_str(&r.exchanges[0].request.body).unwrap();
    assert_eq!(state["now"], "2026-11-24T10:00:00+01:00");
    assert_eq!(state["citizen"]["jobcenter"], "10101");
}

#[tokio::test]
async fn fail_when_a_field_check_does_not_hold() {
    let server = MockServer::start().await;
    state_ok(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "thingIdentifier": "someone-else", "startdato": "16-11-2026", "items": [ { "n": 1 } ]
        })))
        .mount(&server)
        .await;
    let r = run_one(
        &server.uri(),
        "TestRestService",
        "CreateThing",
        CREATE_THING,
    )
    .await;
    let Verdict::Fail { reason } = &r.verdict else {
        panic!("{r:#?}")
    };
    assert!(
        reason.contains("`thingIdentifier` is `someone-else`"),
        "{reason}"
    );
    assert!(
        reason.contains("`startdato` is `16-11-2026`, which is not a date"),
        "{reason}"
    );
    assert!(
        reason.contains("`items` has 1 item(s), expected 2"),
        "{reason}"
    );
    assert!(reason.contains("`items/1/n` is absent"), "{reason}");
}

#[tokio::test]
async fn fail_when_the_target_answers_the_wrong_code() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errors": [ { "code": 9393, "text": "Slutdato for ydelsen er obligatorisk" } ]
        })))
        .mount(&server)
        .await;
    let yaml = r#"
- id: CreateThing.end-before-start
  title: an end before the start is rejected
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}", slutdato: "${today-1d}" }
  then: { error: 4669 }
"#;
    let r = run_one(&server.uri(), "TestRestService", "CreateThing", yaml).await;
    assert_eq!(
        r.verdict,
        Verdict::Fail {
            reason: "expected error 4669, got error 9393 (Slutdato for ydelsen er obligatorisk) (HTTP 400)".into()
        }
    );
    assert_eq!(r.expected, "error 4669");
    assert_eq!(r.outcome.as_ref().unwrap().codes(), vec![9393]);
    // Extra codes fail too: the set must be equal.
    let both = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errors": [ { "code": 4669 }, { "code": 9393 } ]
        })))
        .mount(&both)
        .await;
    let r = run_one(&both.uri(), "TestRestService", "CreateThing", yaml).await;
    assert!(matches!(r.verdict, Verdict::Fail { .. }), "{r:#?}");
}

#[tokio::test]
async fn error_when_the_target_hangs_past_the_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let spec = support::spec();
    let cases = support::plan_yaml(
        &spec,
        "TestRestService",
        "CreateThing",
        r#"
- id: CreateThing.hang
  title: the target never answers
  when: { body: { thingIdentifier: "${uuid}", startdato: "${today}" } }
  then: { success: true }
"#,
    );
    let env = support::env_for(
        &spec,
        support::profile(&server.uri()),
        Duration::from_millis(300),
    );
    let r = run_case(&cases[0], &env).await;
    assert_eq!(
        r.verdict,
        Verdict::Error {
            reason: "timeout: no answer within 0.3 s".into()
        }
    );
    assert!(matches!(
        r.outcome,
        Some(Outcome::TransportFailure {
            failure: Failure::Timeout,
            ..
        })
    ));
    assert_eq!(r.exchanges.len(), 1, "the request is recorded");
    assert!(r.exchanges[0].response.is_none(), "no answer came");
    assert!(r.duration_ms < 5_000.0);
}

#[tokio::test]
async fn error_when_the_target_answers_malformed_xml() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/TestSoapService"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Broken></soap:Body>", "text/xml"),
        )
        .mount(&server)
        .await;
    let yaml = r#"
- id: CreateMeeting.malformed
  title: an unreadable answer is an error, not a pass
  when: { body: { Meeting: { MeetingTime: "${now-1h}", MeetingTypeIdentifier: 1 } } }
  then: { success: true }
"#;
    let r = run_one(&server.uri(), "TestSoapService", "CreateMeeting", yaml).await;
    let Verdict::Error { reason } = &r.verdict else {
        panic!("{r:#?}")
    };
    assert!(
        reason.starts_with("unreadable answer: HTTP 200 with an unreadable SOAP answer"),
        "{reason}"
    );
    // A response nobody can read must never count as the expected error either.
    let yaml_err = yaml.replace("then: { success: true }", "then: { error: 4653 }");
    let r = run_one(&server.uri(), "TestSoapService", "CreateMeeting", &yaml_err).await;
    assert!(matches!(r.verdict, Verdict::Error { .. }), "{r:#?}");
}

#[tokio::test]
async fn error_when_the_target_refuses_the_connection() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let yaml = r#"
- id: CreateThing.refused
  title: nobody listens
  when: { body: { thingIdentifier: "${uuid}", startdato: "${today}" } }
  then: { success: true }
"#;
    let r = run_one(
        &format!("http://127.0.0.1:{port}"),
        "TestRestService",
        "CreateThing",
        yaml,
    )
    .await;
    let Verdict::Error { reason } = &r.verdict else {
        panic!("{r:#?}")
    };
    assert!(reason.starts_with("connection refused"), "{reason}");
}

#[tokio::test]
async fn not_applicable_when_the_state_cannot_be_established() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/konform/state"))
        .respond_with(
            ResponseTemplate::new(422).set_body_json(json!({"error": "no dead citizens here"})),
        )
        .mount(&server)
        .await;
    let yaml = r#"
- id: CreateThing.dead
  title: a dead citizen
  given: { citizen: { status: dead } }
  when:
    headers: { x-civilRegistrationIdentifier: "${cpr}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { error: 4669 }
"#;
    let r = run_one(&server.uri(), "TestRestService", "CreateThing", yaml).await;
    assert_eq!(
        r.verdict,
        Verdict::NotApplicable {
            reason: "the target cannot establish the preconditions: no dead citizens here".into()
        }
    );
    assert!(
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .all(|r| r.url.path() == "/konform/state")
    );

    // A profile without a state endpoint, and a role the target lacks.
    let spec = support::spec();
    let cases = support::plan_yaml(&spec, "TestRestService", "CreateThing", yaml);
    let mut profile = support::profile(&server.uri());
    profile.state_endpoint = None;
    let r = run_case(
        &cases[0],
        &support::env_for(&spec, profile, Duration::from_secs(5)),
    )
    .await;
    assert_eq!(
        r.verdict,
        Verdict::NotApplicable {
            reason: "the target profile names neither a state-change endpoint nor a citizen pool"
                .into()
        }
    );
    let mut profile = support::profile(&server.uri());
    profile.roles.remove("jobcenter");
    let r = run_case(
        &cases[0],
        &support::env_for(&spec, profile, Duration::from_secs(5)),
    )
    .await;
    assert_eq!(
        r.verdict,
        Verdict::NotApplicable {
            reason: "the target has no caller role `jobcenter`".into()
        }
    );
}

/// Answers 412 to an x-requestId it has seen before, 201 otherwise.
#[derive(Default)]
struct RequestIds(Mutex<HashSet<String>>);
impl Respond for RequestIds {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let id = req
            .headers
            .get("x-requestid")
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        if self.0.lock().unwrap().insert(id) {
            ResponseTemplate::new(201)
        } else {
            ResponseTemplate::new(412)
        }
    }
}

const REPEATED_ID: &str = r#"
- id: CreateThing.repeated-request-id
  title: a repeated x-requestId answers 412
  given:
    calls:
      - method: CreateThing
        when:
          headers: { x-requestId: "${uuid:r}" }
          body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  when:
    headers: { x-requestId: "${uuid:r}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { status: 412 }
"#;

#[tokio::test]
async fn a_setup_call_shares_the_cases_named_uuids() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .and(header_exists("x-requestId"))
        .respond_with(RequestIds::default())
        .mount(&server)
        .await;
    let r = run_one(&server.uri(), "TestRestService", "CreateThing", REPEATED_ID).await;
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    assert_eq!(r.exchanges.len(), 2);
    let id = |i: usize| {
        r.exchanges[i]
            .request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-requestId"))
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(id(0), id(1));
    assert_eq!(r.exchanges[1].response.as_ref().unwrap().status, 412);

    // A target that never answers 412 fails the case.
    let lax = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(support::thing_created(&serde_json::Value::Null))
        .mount(&lax)
        .await;
    let r = run_one(&lax.uri(), "TestRestService", "CreateThing", REPEATED_ID).await;
    assert_eq!(
        r.verdict,
        Verdict::Fail {
            reason: "expected HTTP 412, got success (HTTP 201)".into()
        }
    );
}

#[tokio::test]
async fn a_failed_setup_call_makes_the_case_not_applicable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"errors": [{"code": 9393}]})))
        .mount(&server)
        .await;
    let r = run_one(&server.uri(), "TestRestService", "CreateThing", REPEATED_ID).await;
    assert_eq!(
        r.verdict,
        Verdict::NotApplicable {
            reason: "setup call 1 CreateThing did not succeed: error 9393 (HTTP 400)".into()
        }
    );
}

/// Answers the first state request with the citizen's CPR and identifier, the second with the
/// other citizen's, recording both bodies.
#[derive(Default)]
struct TwoCitizens(Mutex<Vec<serde_json::Value>>);
impl Respond for TwoCitizens {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut seen = self.0.lock().unwrap();
        seen.push(serde_json::from_slice(&req.body).unwrap_or_default());
        let answer = if seen.len() == 1 {
            json!({"cpr": "0101901234", "ids": {"mine": "11111111-1111-4111-8111-111111111111"}})
        } else {
            json!({"cpr": "0202902345", "ids": {"theirs": "22222222-2222-4222-8222-222222222222"}})
        };
        ResponseTemplate::new(200).set_body_json(answer)
    }
}

const OTHER_CITIZEN: &str = r#"
- id: CreateThing.other-citizens-identifier
  title: the other citizen's identifier, for the case's citizen
  given:
    citizen: { contact_groups: [{ id: mine, type: 1, start: today-10d }] }
    other_citizen: { kommune: other-kommune, contact_groups: [{ id: theirs, type: 2, start: today-20d }] }
  when:
    headers: { x-requestId: "${uuid}", x-civilRegistrationIdentifier: "${cpr}" }
    body: { thingIdentifier: "${ids.theirs}", startdato: "${today}" }
  then:
    success: true
    fields:
      thingIdentifier: { equals: "${ids.theirs}" }
"#;

#[tokio::test]
async fn the_other_citizen_is_established_apart_and_its_identifiers_join_the_cases() {
    let server = MockServer::start().await;
    let states = std::sync::Arc::new(TwoCitizens::default());
    Mock::given(method("POST"))
        .and(path("/konform/state"))
        .respond_with(SharedResponder(states.clone()))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .respond_with(Echo)
        .mount(&server)
        .await;
    let r = run_one(
        &server.uri(),
        "TestRestService",
        "CreateThing",
        OTHER_CITIZEN,
    )
    .await;
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    let seen = states.0.lock().unwrap();
    assert_eq!(seen.len(), 2, "one state request per citizen");
    assert_eq!(seen[0]["citizen"]["contact_groups"][0]["id"], "mine");
    assert!(seen[0].get("other_citizen").is_none());
    assert_eq!(seen[1]["citizen"]["contact_groups"][0]["id"], "theirs");
    assert_eq!(seen[1]["citizen"]["kommune"], "202", "roles resolved");
    let sent = r.exchanges.last().unwrap();
    assert!(
        sent.request
            .body
            .contains("22222222-2222-4222-8222-222222222222"),
        "{}",
        sent.request.body
    );
    // The CPR is the citizen's (masked in the exchange), never the other's.
    assert!(
        sent.request.headers.iter().any(|(n, v)| n
            .eq_ignore_ascii_case("x-civilRegistrationIdentifier")
            && v.starts_with("010190")),
        "{:?}",
        sent.request.headers
    );
}

struct SharedResponder(std::sync::Arc<TwoCitizens>);
impl Respond for SharedResponder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.0.respond(req)
    }
}

#[test]
fn an_identifier_name_given_to_both_citizens_is_refused_at_planning() {
    let spec = support::spec();
    let yaml = OTHER_CITIZEN.replace("id: theirs", "id: mine");
    let path = std::path::PathBuf::from("TestRestService/CreateThing.yaml");
    let (loaded, diags) = konform::case::load::load_text(
        &path,
        "TestRestService/CreateThing.yaml",
        "TestRestService",
        "CreateThing",
        &yaml,
    );
    assert!(diags.is_empty());
    let planned = konform::plan::plan(&spec, &loaded, &konform::run::setup::known_roles([]));
    let text = konform::case::diagnostic::render(&planned.diagnostics);
    assert!(
        text.contains("the id name `mine` is given to both citizens"),
        "{text}"
    );
}
