//! The transports, the token and state-change endpoints and the shared flow, on a small
//! hand-written spec (`fixtures/mini`), so they are tested apart from the real documents.

use std::sync::Arc;

use konform::reference::{self, ReferenceConfig};
use serde_json::{Value, json};

use crate::reference::harness::{Ref, mini_spec};

const JC: Option<(u32, &str)> = Some((2, "10101"));
const SVC: &str = "PersonRegistrationService";
const PATH: &str = "/soap/PersonRegistrationService";

fn limitation(cpr: &str, start: &str) -> Value {
    json!({"HealthLimitation": {
        "PersonCivilRegistrationIdentifier": cpr,
        "HealthLimitationDocumentation": "true",
        "StartDate": start,
    }})
}

async fn citizen(r: &Ref, extra: Value) -> String {
    let mut c = json!({"jobcenter": "10101", "kommune": "101"});
    if let (Some(c), Some(e)) = (c.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            c.insert(k.clone(), v.clone());
        }
    }
    r.state(json!({"now": crate::reference::harness::NOW, "citizen": c}))
        .await
        .0
}

#[tokio::test]
async fn a_soap_call_is_accepted_with_a_receipt() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation(&cpr, "2026-11-24T12:00:00"),
        )
        .await;
    assert!(a.ok(), "{}", a.raw);
    assert_eq!(a.status, 200);
    let receipt = &a.body["ServiceReceipt"];
    assert_eq!(receipt["EventDate"], "2026-11-24T10:00:00+01:00");
    assert!(uuid::Uuid::parse_str(receipt["MessageIdentifier"].as_str().unwrap()).is_ok());
    assert!(a.raw.contains("CreateHealthLimitationResponse"));
}

#[tokio::test]
async fn rule_codes_come_with_their_documented_texts() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation(&cpr, "2026-11-20T12:00:00"),
        )
        .await;
    assert_eq!(a.status, 500);
    assert_eq!(a.codes, vec![4668]);
    assert_eq!(a.texts, vec!["The startdate must not be in the past"]);
    // Every error found is listed.
    let mut body = limitation(&cpr, "2026-11-20T12:00:00");
    body["HealthLimitation"]["EndDate"] = json!("2026-11-19T12:00:00");
    let a = r.soap(SVC, "CreateHealthLimitation", JC, body).await;
    assert_eq!(a.codes, vec![4668, 4669, 4742]);
}

#[tokio::test]
async fn caller_headers_are_required_and_readable() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            None,
            limitation(&cpr, "2026-11-24T12:00:00"),
        )
        .await;
    assert_eq!(a.codes, vec![8232, 8233]);
    assert_eq!(a.texts[0], "ActiveOrganisationHeader is missing");
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            Some((99, "1")),
            limitation(&cpr, "2026-11-24T12:00:00"),
        )
        .await;
    assert_eq!(a.codes, vec![8234]);
}

#[tokio::test]
async fn organisation_types_follow_method_access() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({"akasse": "12"})).await;
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            Some((1, "12")),
            limitation(&cpr, "2026-11-24T12:00:00"),
        )
        .await;
    assert_eq!(a.codes, vec![4575]);
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            Some((3, "101")),
            limitation(&cpr, "2026-11-24T12:00:00"),
        )
        .await;
    assert!(a.ok(), "{}", a.raw);
}

#[tokio::test]
async fn schema_violations_give_1001_and_1014() {
    let r = Ref::start(mini_spec()).await;
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation("3102901234", "2026-11-24T12:00:00"),
        )
        .await;
    assert_eq!(a.codes, vec![1001]);
    assert_eq!(a.texts, vec!["Invalid cpr"]);
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation("0101901234", "tomorrow"),
        )
        .await;
    assert_eq!(a.codes, vec![1014]);
    let mut body = limitation("0101901234", "2026-11-24T12:00:00");
    body["HealthLimitation"]["Surprise"] = json!("x");
    let a = r.soap(SVC, "CreateHealthLimitation", JC, body).await;
    assert_eq!(a.codes, vec![1014]);
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            json!({"HealthLimitation": {}}),
        )
        .await;
    assert_eq!(a.codes, vec![1014]);
    // CPR and another violation: both codes.
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation("3102901234", "x"),
        )
        .await;
    assert_eq!(a.codes, vec![1001, 1014]);
}

#[tokio::test]
async fn the_citizen_is_checked() {
    let r = Ref::start(mini_spec()).await;
    let unknown = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation("0101901234", "2026-11-24T12:00:00"),
        )
        .await;
    assert_eq!(unknown.codes, vec![1010]);
    for (status, code) in [("dead", 4405), ("unknown", 1010), ("nonexistent", 4404)] {
        let cpr = citizen(&r, json!({"status": status})).await;
        let a = r
            .soap(
                SVC,
                "CreateHealthLimitation",
                JC,
                limitation(&cpr, "2026-11-24T12:00:00"),
            )
            .await;
        assert_eq!(a.codes, vec![code], "{status}");
    }
}

#[tokio::test]
async fn unreadable_xml_is_a_1014_fault() {
    let r = Ref::start(mini_spec()).await;
    let headers = [
        ("content-type", "text/xml"),
        ("soapaction", "CreateHealthLimitation"),
    ];
    let bodies: [&[u8]; 5] = [
        b"<not xml",
        b"<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>",
        b"<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><X>&custom;</X></s:Body></s:Envelope>",
        b"\xff\xfe\x00<",
        b"",
    ];
    for body in bodies {
        let (status, text) = r.post_raw(PATH, &headers, body.to_vec()).await;
        let a = crate::reference::harness::decode_soap(status, text);
        assert_eq!(
            (a.status, a.codes.clone()),
            (500, vec![1014]),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[tokio::test]
async fn soap_12_envelopes_are_answered_in_kind() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let xml = format!(
        r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Header><h:ActiveOrganisationHeader xmlns:h="urn:h"><h:OrganisationTypeIdentifier>2</h:OrganisationTypeIdentifier><h:OrganisationCode>10101</h:OrganisationCode></h:ActiveOrganisationHeader><h:RequestUserMetadataHeader xmlns:h="urn:h"><h:UserIdentifier>u</h:UserIdentifier></h:RequestUserMetadataHeader></env:Header><env:Body><CreateHealthLimitationRequest xmlns="urn:x"><HealthLimitation><PersonCivilRegistrationIdentifier>{cpr}</PersonCivilRegistrationIdentifier><HealthLimitationDocumentation>false</HealthLimitationDocumentation><StartDate>2026-11-20T00:00:00</StartDate></HealthLimitation></CreateHealthLimitationRequest></env:Body></env:Envelope>"#
    );
    let ct = "application/soap+xml; charset=utf-8; action=\"CreateHealthLimitation\"";
    let (status, text) = r
        .post_raw(PATH, &[("content-type", ct)], xml.clone().into_bytes())
        .await;
    assert_eq!(status, 500);
    assert!(
        text.contains("http://www.w3.org/2003/05/soap-envelope"),
        "{text}"
    );
    let a = crate::reference::harness::decode_soap(status, text);
    assert_eq!(a.codes, vec![4668]);
    let ok = xml.replace("2026-11-20", "2026-11-25");
    let (status, text) = r
        .post_raw(PATH, &[("content-type", ct)], ok.into_bytes())
        .await;
    assert_eq!(status, 200, "{text}");
}

#[tokio::test]
async fn deprecated_methods_answer_4588() {
    let r = Ref::start(mini_spec()).await;
    let a = r
        .soap(SVC, "CreateCivicConsent", JC, json!({"Consent": "true"}))
        .await;
    assert_eq!(a.codes, vec![4588]);
    assert_eq!(a.texts, vec!["Method cannot be used"]);
}

#[tokio::test]
async fn a_pinned_clock_decides_today() {
    let r = Ref::start(mini_spec()).await;
    // The server clock says 2026-11-24; this citizen lives on 2025-07-01.
    let (cpr, _) = r
        .state(json!({"now": "2025-07-01T09:00:00+02:00", "citizen": {"jobcenter": "10101"}}))
        .await;
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation(&cpr, "2025-07-01T12:00:00"),
        )
        .await;
    assert!(a.ok(), "{}", a.raw);
    assert_eq!(
        a.body["ServiceReceipt"]["EventDate"],
        "2025-07-01T09:00:00+02:00"
    );
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation(&cpr, "2025-06-30T12:00:00"),
        )
        .await;
    assert_eq!(a.codes, vec![4668]);
}

#[tokio::test]
async fn a_disabled_check_is_a_mutant() {
    let r = Ref::start_with(
        mini_spec(),
        &["CreateHealthLimitation/4668", "validation/cpr"],
    )
    .await;
    let cpr = citizen(&r, json!({})).await;
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation(&cpr, "2026-11-20T12:00:00"),
        )
        .await;
    assert!(a.ok(), "{}", a.raw);
    let a = r
        .soap(
            SVC,
            "CreateHealthLimitation",
            JC,
            limitation("3102901234", "2026-11-24T12:00:00"),
        )
        .await;
    assert_eq!(
        a.codes,
        vec![1010],
        "the CPR check is off, so the citizen lookup answers"
    );
}

#[tokio::test]
async fn check_ids_list_global_and_method_checks() {
    let spec = mini_spec();
    let ids: Vec<String> = reference::check_ids(&spec)
        .into_iter()
        .map(|c| c.id)
        .collect();
    for id in [
        "validation/pattern",
        "validation/cardinality",
        "auth/4575",
        "rest/412",
        "CreateHealthLimitation/4668",
        "CreateHealthLimitation/4405",
        "CreateCivicConsent/4588",
        "CreateYdelse/100049",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "check ids are unique");
}

// REST

fn ydelse(id: &str, start: &str) -> Value {
    json!({"kyYdelsesIdentifier": id, "startdato": start, "kontaktgruppe": 1})
}

#[tokio::test]
async fn a_rest_call_is_accepted_and_read_back() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let token = r.token("Kommune:101", None).await;
    let id = uuid::Uuid::new_v4().to_string();
    let a = r
        .rest(
            "POST",
            "/v1/ydelse",
            Some(&token),
            &[
                ("x-civilRegistrationIdentifier", &cpr),
                ("x-requestId", "r1"),
            ],
            Some(ydelse(&id, "2026-11-01")),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.raw);
    assert!(a.raw.is_empty());
    let a = r
        .rest(
            "GET",
            "/v1/ydelse",
            Some(&token),
            &[("x-civilRegistrationIdentifier", &cpr)],
            None,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.raw);
    assert_eq!(a.body["ydelser"][0]["kyYdelsesIdentifier"], json!(id));
    assert_eq!(a.body["ydelser"][0]["startdato"], "2026-11-01");
}

#[tokio::test]
async fn rest_errors_list_every_code_with_its_text() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let token = r.token("Kommune:101", None).await;
    let mut body = ydelse(&uuid::Uuid::new_v4().to_string(), "2025-07-01");
    body["slutdato"] = json!("2025-06-01");
    body["kontaktgruppe"] = json!(2);
    body["ydelsesAfgoerelsesType"] = json!(7);
    let a = r
        .rest(
            "POST",
            "/v1/ydelse",
            Some(&token),
            &[
                ("x-civilRegistrationIdentifier", &cpr),
                ("x-requestId", "r2"),
            ],
            Some(body),
        )
        .await;
    assert_eq!(a.status, 400, "{}", a.raw);
    assert_eq!(a.codes, vec![4669, 100049]);
    assert_eq!(a.texts[0], "Slutdatoen må ikke ligge før startdatoen");
}

#[tokio::test]
async fn tokens_and_scopes_guard_rest() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let h = [
        ("x-civilRegistrationIdentifier", cpr.as_str()),
        ("x-requestId", "a"),
    ];
    let body = Some(ydelse(&uuid::Uuid::new_v4().to_string(), "2026-11-01"));
    assert_eq!(
        r.rest("POST", "/v1/ydelse", None, &h, body.clone())
            .await
            .status,
        401
    );
    assert_eq!(
        r.rest("POST", "/v1/ydelse", Some("nope"), &h, body.clone())
            .await
            .status,
        401
    );
    let read_only = r
        .token("Kommune:101", Some("visiteringogstatus.ydelse.read"))
        .await;
    assert_eq!(
        r.rest("POST", "/v1/ydelse", Some(&read_only), &h, body)
            .await
            .status,
        403
    );
    // Bad token requests.
    let bad = r
        .client
        .post(r.url("/oauth2/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&client_id=JobCenter:1&client_secret=wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 401);
    let v: Value = bad.json().await.unwrap();
    assert_eq!(v["error"], "invalid_client");
}

#[tokio::test]
async fn without_a_secret_the_token_endpoint_refuses() {
    let mut config = ReferenceConfig::new(Arc::new(mini_spec()), "");
    config.test_mode = false;
    let running = reference::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{}/oauth2/token", running.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&client_id=JobCenter:1&client_secret=")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .contains("KONFORM_CLIENT_SECRET")
    );
    // Not in test mode: no state-change endpoint.
    let r = client
        .post(format!("{}/konform/state", running.base_url()))
        .json(&json!({"citizen": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    running.shutdown().await;
}

#[tokio::test]
async fn repeated_and_long_request_ids() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let token = r.token("Kommune:101", None).await;
    let call = |rid: String| {
        let (r, token, cpr) = (&r, token.clone(), cpr.clone());
        async move {
            r.rest(
                "POST",
                "/v1/ydelse",
                Some(&token),
                &[
                    ("x-civilRegistrationIdentifier", &cpr),
                    ("x-requestId", &rid),
                ],
                Some(ydelse(&uuid::Uuid::new_v4().to_string(), "2026-11-01")),
            )
            .await
        }
    };
    assert_eq!(call("same".into()).await.status, 200);
    let again = call("same".into()).await;
    assert_eq!(again.status, 412);
    assert!(again.codes.is_empty());
    let long = call("x".repeat(47)).await;
    assert_eq!((long.status, long.codes), (400, vec![1014]));
    assert_eq!(call("y".repeat(46)).await.status, 200);
}

#[tokio::test]
async fn access_levels_decide_the_refusal() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let other = r.token("Kommune:999", None).await;
    let a = r
        .rest(
            "POST",
            "/v1/ydelse",
            Some(&other),
            &[
                ("x-civilRegistrationIdentifier", &cpr),
                ("x-requestId", "z1"),
            ],
            Some(ydelse(&uuid::Uuid::new_v4().to_string(), "2026-11-01")),
        )
        .await;
    // CreateYdelse does not document 4575: a refused caller gets the bare status of the
    // refused-caller reading, never an undocumented code.
    assert_eq!((a.status, a.codes), (400, vec![]));
    let jc = r.token("JobCenter:10101", None).await;
    let a = r
        .rest(
            "POST",
            "/v1/ydelse",
            Some(&jc),
            &[
                ("x-civilRegistrationIdentifier", &cpr),
                ("x-requestId", "z2"),
            ],
            Some(ydelse(&uuid::Uuid::new_v4().to_string(), "2026-11-01")),
        )
        .await;
    assert_eq!((a.status, a.codes), (400, vec![]), "JobCenter has no row");
    let star = r.token("STAR:STAR", None).await;
    let a = r
        .rest(
            "POST",
            "/v1/ydelse",
            Some(&star),
            &[
                ("x-civilRegistrationIdentifier", &cpr),
                ("x-requestId", "z3"),
            ],
            Some(ydelse(&uuid::Uuid::new_v4().to_string(), "2026-11-01")),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.raw);
}

#[tokio::test]
async fn bad_json_and_bad_headers_give_1014_or_1001() {
    let r = Ref::start(mini_spec()).await;
    let cpr = citizen(&r, json!({})).await;
    let token = r.token("Kommune:101", None).await;
    let raw = r
        .client
        .post(r.url("/v1/ydelse"))
        .header("authorization", format!("Bearer {token}"))
        .header("x-civilRegistrationIdentifier", &cpr)
        .header("x-requestId", "j1")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 400);
    let v: Value = raw.json().await.unwrap();
    assert_eq!(v["errors"][0]["code"], 1014);
    let a = r
        .rest(
            "POST",
            "/v1/ydelse",
            Some(&token),
            &[
                ("x-civilRegistrationIdentifier", "3102901234"),
                ("x-requestId", "j2"),
            ],
            Some(ydelse(&uuid::Uuid::new_v4().to_string(), "2026-11-01")),
        )
        .await;
    assert_eq!(a.codes, vec![1001]);
    let a = r
        .rest(
            "POST",
            "/v1/ydelse",
            Some(&token),
            &[("x-civilRegistrationIdentifier", &cpr), ("x-requestId", "j3")],
            Some(json!({"kyYdelsesIdentifier": "nope", "startdato": "2026-11-01", "kontaktgruppe": "1"})),
        )
        .await;
    assert_eq!(a.codes, vec![1014]);
    let a = r
        .rest(
            "POST",
            "/v1/ydelse",
            Some(&token),
            &[("x-civilRegistrationIdentifier", &cpr)],
            Some(ydelse("x", "y")),
        )
        .await;
    assert_eq!(a.codes, vec![1014], "no x-requestId");
}

#[tokio::test]
async fn bodies_over_a_mebibyte_are_refused() {
    let r = Ref::start(mini_spec()).await;
    let big = vec![b'a'; 2 * 1024 * 1024];
    let (status, _) = r
        .post_raw(
            PATH,
            &[
                ("content-type", "text/xml"),
                ("soapaction", "CreateHealthLimitation"),
            ],
            big,
        )
        .await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn unknown_paths_and_verbs() {
    let r = Ref::start(mini_spec()).await;
    let a = r.rest("GET", "/nowhere", None, &[], None).await;
    assert_eq!(a.status, 404);
    let a = r.rest("DELETE", "/v1/ydelse", None, &[], None).await;
    assert_eq!(a.status, 405);
    let a = r
        .rest("GET", "/soap/PersonRegistrationService", None, &[], None)
        .await;
    assert_eq!(a.status, 405);
}

#[tokio::test]
async fn unestablishable_states_answer_422() {
    let r = Ref::start(mini_spec()).await;
    for body in [
        json!({"now": "yesterday"}),
        json!({"citizen": {"contact_groups": [{"type": 1, "start": "soon"}]}}),
        json!({"citizen": {"no_such_field": 1}}),
        json!([1, 2]),
    ] {
        let resp = r
            .client
            .post(r.url("/konform/state"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 422, "{body}");
        let v: Value = resp.json().await.unwrap();
        assert!(v["error"].is_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thousands_of_citizens_in_parallel() {
    let r = Arc::new(Ref::start(mini_spec()).await);
    let mut tasks = Vec::new();
    for i in 0..400 {
        let r = r.clone();
        tasks.push(tokio::spawn(async move {
            let cpr = citizen(&r, json!({})).await;
            let start = if i % 2 == 0 {
                "2026-11-24T12:00:00"
            } else {
                "2026-11-01T12:00:00"
            };
            let a = r
                .soap(SVC, "CreateHealthLimitation", JC, limitation(&cpr, start))
                .await;
            (cpr, i % 2 == 0, a)
        }));
    }
    let mut cprs = std::collections::HashSet::new();
    for t in tasks {
        let (cpr, ok, a) = t.await.unwrap();
        assert!(cprs.insert(cpr));
        if ok {
            assert!(a.ok(), "{}", a.raw);
        } else {
            assert_eq!(a.codes, vec![4668]);
        }
    }
    // And many more state changes, all with fresh CPRs.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let r = r.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for _ in 0..250 {
                out.push(citizen(&r, json!({})).await);
            }
            out
        }));
    }
    for t in tasks {
        for cpr in t.await.unwrap() {
            assert!(konform::cpr::is_valid(&cpr));
            assert!(cprs.insert(cpr));
        }
    }
    assert_eq!(cprs.len(), 2400);
}
