//! What a vendor profile changes on the wire: OAuth2 per role (client id, secret variable,
//! scope per method, HTTP Basic), tokens cached until shortly before they expire and then
//! fetched again, SOAP headers and namespaces per role and service, error codes read where the
//! profile says, and a profile checked against the spec.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use konform::run::result::Verdict;
use konform::run::{RunEnv, run_case};
use konform::target::client::TokenClock;
use konform::target::profile::{
    AuthConfig, ClientAuth, ErrorLocation, OAuth2, ServiceEndpoint, TransportName, UserMetadata,
};
use konform::target::{Profile, Target, TargetOptions};
use serde_json::json;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::run::support;

const CASE: &str = r#"
- id: CreateThing.ok
  title: a thing is created
  given: { caller: kommune }
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { success: true }
"#;

/// Hands out `tok-1`, `tok-2`, ... with the given lifetime.
struct Tokens {
    issued: AtomicUsize,
    expires_in: u64,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": self.expires_in
        }))
    }
}

/// A clock the test moves.
fn manual_clock() -> (TokenClock, Arc<AtomicU64>) {
    let start = Instant::now();
    let offset = Arc::new(AtomicU64::new(0));
    let o = offset.clone();
    (
        TokenClock(Arc::new(move || {
            start + Duration::from_secs(o.load(Ordering::SeqCst))
        })),
        offset,
    )
}

/// A run environment; the client secret is given directly (the environment variables are
/// tested end to end, on a child process, in `tests/suite/vendor/secrets.rs`).
fn env(spec: &konform::spec::Spec, profile: Profile, options: &TargetOptions) -> RunEnv {
    let target = Arc::new(
        Target::new(
            profile,
            &spec.overlay,
            Some("per-role-secret".into()),
            options,
        )
        .expect("target"),
    );
    RunEnv::new(target, support::clock(), Duration::from_secs(5))
}

#[tokio::test]
async fn tokens_are_cached_until_shortly_before_they_expire() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(body_string_contains("client_id=kommune-101"))
        .and(body_string_contains("client_secret=per-role-secret"))
        .and(body_string_contains("scope=profile.scope"))
        .respond_with(Tokens {
            issued: AtomicUsize::new(0),
            expires_in: 100,
        })
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .respond_with(move |req: &Request| {
            let auth = req
                .headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_string());
            s.lock().unwrap().push(auth.unwrap_or_default());
            support::thing_created(&serde_json::Value::Null)
        })
        .mount(&server)
        .await;
    let spec = support::spec();
    let cases = support::plan_yaml(&spec, "TestRestService", "CreateThing", CASE);
    let mut profile = support::profile(&server.uri());
    profile.auth = AuthConfig::Oauth2(OAuth2 {
        token_url: "/oauth2/token".into(),
        client_secret_env: "KONFORM_TEST_UNUSED".into(),
        scopes: [("CreateThing".to_string(), "profile.scope".to_string())].into(),
        client_auth: ClientAuth::Form,
    });
    profile.roles.get_mut("kommune").unwrap().client_id = Some("kommune-101".into());
    let (clock, offset) = manual_clock();
    let options = TargetOptions {
        clock,
        ..TargetOptions::default()
    };
    let env = env(&spec, profile, &options);
    for elapsed in [0, 89, 91, 100, 180, 182] {
        offset.store(elapsed, Ordering::SeqCst);
        let r = run_case(&cases[0], &env).await;
        assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    }
    // A 100 s token is used for 90 s: fetched at 0, 91 and 182.
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-2",
            "Bearer tok-2",
            "Bearer tok-3"
        ]
    );
    // Every access token is among the secrets reports redact.
    let secrets = env.target.secrets();
    for t in ["tok-1", "tok-2", "tok-3", "per-role-secret"] {
        assert!(secrets.iter().any(|s| s == t), "{t} in {secrets:?}");
    }
}

#[tokio::test]
async fn basic_client_auth_and_a_refusal_asked_once() {
    let server = MockServer::start().await;
    // kommune: client id and secret form-encoded, then HTTP Basic (RFC 6749 §2.3.1): base64 of
    // "Kommune%3A101:s3cret" (the colon in the id would otherwise end it early).
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(header(
            "authorization",
            "Basic S29tbXVuZSUzQTEwMTpzM2NyZXQ=",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"access_token": "tok-basic"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .and(header("authorization", "Bearer tok-basic"))
        .respond_with(support::thing_created(&serde_json::Value::Null))
        .mount(&server)
        .await;
    let spec = support::spec();
    let mut profile = support::profile(&server.uri());
    profile.auth = AuthConfig::Oauth2(OAuth2 {
        token_url: "/oauth2/token".into(),
        client_auth: ClientAuth::Basic,
        ..OAuth2::default()
    });
    let target = Arc::new(
        Target::new(
            profile,
            &spec.overlay,
            Some("s3cret".into()),
            &TargetOptions::default(),
        )
        .unwrap(),
    );
    let env = RunEnv::new(target, support::clock(), Duration::from_secs(5));
    let ok = support::plan_yaml(&spec, "TestRestService", "CreateThing", CASE);
    assert_eq!(run_case(&ok[0], &env).await.verdict, Verdict::Pass);
    let refused = support::plan_yaml(
        &spec,
        "TestRestService",
        "CreateThing",
        &CASE.replace("caller: kommune", "caller: akasse"),
    );
    for _ in 0..3 {
        let r = run_case(&refused[0], &env).await;
        assert_eq!(
            r.verdict,
            Verdict::Error {
                reason: "transport failure: the token endpoint refused role `akasse` (client id `A-kasse:12`) with HTTP 401: invalid_client".into()
            }
        );
    }
    // `.expect(1)`: the refusal was asked once, not for every case.
}

#[tokio::test]
async fn soap_headers_and_namespaces_per_role_and_service() {
    let server = MockServer::start().await;
    let ok = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><CreateMeetingResponse xmlns="urn:vendor:soap"><ServiceReceipt><EventDate>2026-11-24T10:00:00+01:00</EventDate><MessageIdentifier>6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10</MessageIdentifier></ServiceReceipt></CreateMeetingResponse></s:Body></s:Envelope>"#;
    Mock::given(method("POST"))
        .and(path("/services/Meeting.svc"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(ok, "text/xml"))
        .mount(&server)
        .await;
    let spec = support::spec();
    let cases = support::plan_yaml(
        &spec,
        "TestSoapService",
        "CreateMeeting",
        r#"
- id: CreateMeeting.ok
  title: a meeting is registered
  given: { caller: akasse }
  when:
    body:
      PersonCivilRegistrationIdentifier: "0101901234"
      Meeting: { MeetingTime: "${now-1h}", MeetingTypeIdentifier: 1 }
  then: { success: true }
"#,
    );
    let mut profile = support::profile(&server.uri());
    profile.services.insert(
        "TestSoapService".into(),
        ServiceEndpoint {
            transport: Some(TransportName::Soap),
            soap_path: Some("/services/Meeting.svc".into()),
            namespace: Some("urn:vendor:soap".into()),
            header_namespace: Some("urn:vendor:headers".into()),
            ..ServiceEndpoint::default()
        },
    );
    let akasse = profile.roles.get_mut("akasse").unwrap();
    akasse.organisation_type_identifier = Some(7);
    akasse.user = Some(UserMetadata {
        user_identifier: "ak-user".into(),
        user_name: "A-kasse Tester".into(),
    });
    profile.check_against(&spec).unwrap();
    let r = run_case(&cases[0], &env(&spec, profile, &TargetOptions::default())).await;
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    let xml = &server.received_requests().await.unwrap()[0];
    let xml = String::from_utf8_lossy(&xml.body);
    for part in [
        "<h:ActiveOrganisationHeader xmlns:h=\"urn:vendor:headers\"><h:OrganisationTypeIdentifier>7</h:OrganisationTypeIdentifier><h:OrganisationCode>12</h:OrganisationCode>",
        "<h:UserIdentifier>ak-user</h:UserIdentifier><h:UserName>A-kasse Tester</h:UserName>",
        "<CreateMeetingRequest xmlns=\"urn:vendor:soap\">",
    ] {
        assert!(xml.contains(part), "{part}\n{xml}");
    }
}

#[tokio::test]
async fn error_codes_are_read_where_the_profile_says() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .respond_with(ResponseTemplate::new(422).set_body_json(
            json!({"fejl": {"fejlkode": "4669", "fejltekst": "Slutdatoen må ikke ligge før startdatoen"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/TestSoapService"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>Valideringsfejl</faultstring><detail><Fejl><Kode>4653</Kode><Kode>4657</Kode></Fejl></detail></s:Fault></s:Body></s:Envelope>"#,
            "text/xml",
        ))
        .mount(&server)
        .await;
    let spec = support::spec();
    let mut profile = support::profile(&server.uri());
    profile.error_codes.rest = vec![ErrorLocation {
        items: Some("/fejl".into()),
        code: "/fejlkode".into(),
        text: Some("/fejltekst".into()),
    }];
    profile.error_codes.soap = vec![ErrorLocation {
        items: None,
        code: "detail/Fejl/Kode".into(),
        text: None,
    }];
    let env = env(&spec, profile, &TargetOptions::default());
    let rest = support::plan_yaml(
        &spec,
        "TestRestService",
        "CreateThing",
        r#"
- id: CreateThing.end-before-start
  title: an end before the start
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}", slutdato: "${today-1d}" }
  then: { error: 4669 }
"#,
    );
    assert_eq!(run_case(&rest[0], &env).await.verdict, Verdict::Pass);
    let soap = support::plan_yaml(
        &spec,
        "TestSoapService",
        "CreateMeeting",
        r#"
- id: CreateMeeting.two-codes
  title: both codes from the vendor's detail element
  when:
    body:
      PersonCivilRegistrationIdentifier: "0101901234"
      Meeting: { MeetingTime: "${now-1h}", MeetingTypeIdentifier: 1 }
  then: { by_reading: { reading: errors-reported, expect: { all: { errors: [4653, 4657] }, first: { refused: true } } } }
"#,
    );
    let r = run_case(&soap[0], &env).await;
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
}

#[test]
fn a_profile_is_checked_against_the_spec() {
    let spec = support::spec();
    let mut p = support::profile("http://127.0.0.1:1");
    p.services
        .insert("TestSoapServise".into(), ServiceEndpoint::default());
    p.services.insert(
        "TestRestService".into(),
        ServiceEndpoint {
            transport: Some(TransportName::Soap),
            soap_version: Some(konform::target::profile::SoapVersionName::V12),
            ..ServiceEndpoint::default()
        },
    );
    p.auth = AuthConfig::Oauth2(OAuth2 {
        token_url: "/t".into(),
        scopes: [("CreateThng".to_string(), "x".to_string())].into(),
        ..OAuth2::default()
    });
    let err = p.check_against(&spec).unwrap_err().to_string();
    for expected in [
        "services: no service `TestSoapServise` in the spec (did you mean `TestSoapService`?)",
        "services.TestRestService: the profile says soap, the spec binds the service to rest",
        "services.TestRestService.soap_version: a SOAP setting on a REST service",
        "auth.oauth2.scopes: no method `CreateThng` in the spec",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
}
