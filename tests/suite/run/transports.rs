//! What the transports put on the wire: REST headers, bearer tokens and bodies; SOAP envelopes
//! with the caller headers and the spec's field order; size limits; recorded exchanges.

use std::time::Duration;

use konform::run::result::Verdict;
use konform::run::{RunEnv, run_case};
use konform::target::profile::{AuthConfig, OAuth2, ServiceEndpoint, SoapVersionName};
use konform::target::{Failure, Outcome, Target, TargetOptions};
use serde_json::json;
use std::sync::Arc;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::run::support::{self, run_one};

#[tokio::test]
async fn rest_sends_documented_headers_a_bearer_token_and_a_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=Kommune%3A101"))
        .and(body_string_contains("client_secret=s3cret-value"))
        .and(body_string_contains("scope=test.thing.write"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "tok-123", "token_type": "Bearer"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .and(header("authorization", "Bearer tok-123"))
        .and(header("content-type", "application/json"))
        .respond_with(support::thing_created(&serde_json::Value::Null))
        .mount(&server)
        .await;
    let spec = support::spec();
    let cases = support::plan_yaml(
        &spec,
        "TestRestService",
        "CreateThing",
        r#"
- id: CreateThing.kth
  title: codes become numbers, dates follow their field's type
  given: { caller: kommune }
  when:
    headers: { X-REQUESTID: "${uuid}" }
    body:
      thingIdentifier: "${uuid}"
      startdato: "${today}"
      tidspunkt: "${today-7d}"
      kontaktgruppe: "${code:kontaktgruppe:KTH}"
  then: { success: true }
- id: CreateThing.kth-again
  title: the token is fetched once per role and scope
  given: { caller: kommune }
  when: { body: { thingIdentifier: "${uuid}", startdato: "${today}" } }
  then: { success: true }
"#,
    );
    let mut profile = support::profile(&server.uri());
    profile.auth = AuthConfig::Oauth2(OAuth2 {
        token_url: "/oauth2/token".into(),
        client_secret_env: "UNUSED".into(),
        ..OAuth2::default()
    });
    let target = Arc::new(
        Target::new(
            profile,
            &spec.overlay,
            Some("s3cret-value".into()),
            &TargetOptions::default(),
        )
        .unwrap(),
    );
    let env = RunEnv::new(target, support::clock(), Duration::from_secs(5));
    for case in &cases {
        let r = run_case(case, &env).await;
        assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
        let req = &r.exchanges[0].request;
        let auth = req
            .headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .unwrap();
        assert_eq!(auth.1, "***", "the token is never recorded");
        assert!(!serde_json::to_string(&r).unwrap().contains("tok-123"));
    }
    let first = &server.received_requests().await.unwrap()[1];
    let body: serde_json::Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(body["kontaktgruppe"], json!(2));
    assert_eq!(body["startdato"], "2026-11-24");
    assert_eq!(body["tidspunkt"], "2026-11-17T00:00:00+01:00");
    assert!(first.headers.get("x-requestid").is_some());
}

#[tokio::test]
async fn rest_fills_path_parameters_and_reads_a_get() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/thing/abc%20def"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"errors": [{"code": 100051, "text": "t"}]})),
        )
        .mount(&server)
        .await;
    let r = run_one(
        &server.uri(),
        "TestRestService",
        "GetThing",
        r#"
- id: GetThing.other-person
  title: a path parameter is filled and encoded
  when: { path: { thingIdentifier: "abc def" } }
  then: { error: 100051 }
"#,
    )
    .await;
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
}

#[tokio::test]
async fn soap_writes_the_caller_headers_and_the_specs_field_order() {
    let server = MockServer::start().await;
    let ok = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><CreateMeetingResponse xmlns="urn:test:soap"><ServiceReceipt><EventDate>2026-11-24T10:00:00+01:00</EventDate><MessageIdentifier>6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10</MessageIdentifier></ServiceReceipt></CreateMeetingResponse></s:Body></s:Envelope>"#;
    Mock::given(method("POST"))
        .and(path("/TestSoapService"))
        .and(header("soapaction", "\"CreateMeeting\""))
        .and(header("content-type", "text/xml; charset=utf-8"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(ok, "text/xml; charset=utf-8"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/konform/state"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"cpr": "0101901234"})))
        .mount(&server)
        .await;
    let r = run_one(
        &server.uri(),
        "TestSoapService",
        "CreateMeeting",
        r#"
- id: CreateMeeting.ok
  title: a meeting is registered
  given: { caller: akasse, citizen: {} }
  when:
    body:
      PersonMeeting:
        ParticipantCollection: { Participant: [a, b] }
        MeetingTypeIdentifier: 1
        MeetingTime: "${now-1h}"
      PersonCivilRegistrationIdentifier: "${cpr}"
  then:
    success: true
    fields:
      ServiceReceipt/MessageIdentifier: { matches: guid }
      ServiceReceipt/EventDate: { equals: "${now}" }
"#,
    )
    .await;
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    let sent = &server.received_requests().await.unwrap()[1];
    let xml = String::from_utf8_lossy(&sent.body);
    assert!(xml.contains("<h:ActiveOrganisationHeader xmlns:h=\"urn:test:headers\"><h:OrganisationTypeIdentifier>1</h:OrganisationTypeIdentifier><h:OrganisationCode>12</h:OrganisationCode></h:ActiveOrganisationHeader>"), "{xml}");
    assert!(
        xml.contains("<h:UserIdentifier>konform</h:UserIdentifier>"),
        "{xml}"
    );
    assert!(xml.contains("<CreateMeetingRequest xmlns=\"urn:test:soap\"><PersonCivilRegistrationIdentifier>0101901234</PersonCivilRegistrationIdentifier><PersonMeeting><MeetingTime>2026-11-24T09:00:00+01:00</MeetingTime><MeetingTypeIdentifier>1</MeetingTypeIdentifier><ParticipantCollection><Participant>a</Participant><Participant>b</Participant></ParticipantCollection></PersonMeeting>"), "{xml}");
    // The recorded request masks the CPR.
    assert!(r.exchanges[1].request.body.contains(
        "<PersonCivilRegistrationIdentifier>010190-****</PersonCivilRegistrationIdentifier>"
    ));
}

#[tokio::test]
async fn soap_omits_headers_on_request_and_reads_faults() {
    let server = MockServer::start().await;
    let fault =
        konform::soap::write_fault(konform::soap::SoapVersion::V12, &[(8232, "missing".into())]);
    Mock::given(method("POST"))
        .and(path("/TestSoapService"))
        .and(header(
            "content-type",
            "application/soap+xml; charset=utf-8; action=\"CreateMeeting\"",
        ))
        .respond_with(
            ResponseTemplate::new(500).set_body_raw(fault, "application/soap+xml; charset=utf-8"),
        )
        .mount(&server)
        .await;
    let spec = support::spec();
    let cases = support::plan_yaml(
        &spec,
        "TestSoapService",
        "CreateMeeting",
        r#"
- id: CreateMeeting.no-organisation
  title: without ActiveOrganisationHeader
  when:
    omit: [ActiveOrganisationHeader]
    body: { Meeting: { MeetingTime: "${now}", MeetingTypeIdentifier: 1 } }
  then: { error: 8232 }
"#,
    );
    let mut profile = support::profile(&server.uri());
    profile.services.insert(
        "TestSoapService".into(),
        ServiceEndpoint {
            soap_version: Some(SoapVersionName::V12),
            ..Default::default()
        },
    );
    let r = run_case(
        &cases[0],
        &support::env_for(&spec, profile, Duration::from_secs(5)),
    )
    .await;
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    let xml = &r.exchanges[0].request.body;
    assert!(!xml.contains("ActiveOrganisationHeader"), "{xml}");
    assert!(xml.contains("RequestUserMetadataHeader"), "{xml}");
    assert!(
        xml.contains("http://www.w3.org/2003/05/soap-envelope"),
        "{xml}"
    );
}

#[tokio::test]
async fn an_answer_over_the_size_limit_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(64 * 1024)))
        .mount(&server)
        .await;
    let spec = support::spec();
    let cases = support::plan_yaml(
        &spec,
        "TestRestService",
        "CreateThing",
        r#"
- id: CreateThing.huge
  title: a huge answer
  when: { body: { thingIdentifier: "${uuid}", startdato: "${today}" } }
  then: { success: true }
"#,
    );
    let options = TargetOptions {
        max_response_bytes: 1024,
        ..TargetOptions::default()
    };
    let target = Arc::new(
        Target::new(
            support::profile(&server.uri()),
            &spec.overlay,
            None,
            &options,
        )
        .unwrap(),
    );
    let env = RunEnv::new(target, support::clock(), Duration::from_secs(5));
    let r = run_case(&cases[0], &env).await;
    assert!(matches!(r.verdict, Verdict::Error { .. }), "{r:#?}");
    assert!(matches!(
        r.outcome,
        Some(Outcome::TransportFailure {
            failure: Failure::TooLarge,
            ..
        })
    ));
    assert!(r.exchanges[0].response.as_ref().unwrap().truncated);
}
