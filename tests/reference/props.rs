//! Property tests: whatever arrives — random bytes, random XML, random JSON, random headers —
//! the reference answers (never panics, never hangs) with a status it documents.

use proptest::prelude::*;
use serde_json::json;

use crate::harness::{Ref, mini_spec};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn xml_fragment() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-zA-Z0-9 <>&;:/\"'=-]{0,20}",
        Just("<!DOCTYPE x [<!ENTITY a \"b\">]>".to_string()),
        Just("&a;".to_string()),
        Just("<![CDATA[x]]>".to_string()),
        Just("&#0;".to_string()),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        (
            "[A-Za-z][A-Za-z0-9]{0,8}",
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(name, children)| format!("<{name}>{}</{name}>", children.concat()))
    })
}

fn envelope(body: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ActiveOrganisationHeader xmlns:h="urn:h"><h:OrganisationTypeIdentifier>2</h:OrganisationTypeIdentifier><h:OrganisationCode>10101</h:OrganisationCode></h:ActiveOrganisationHeader><h:RequestUserMetadataHeader xmlns:h="urn:h"><h:UserIdentifier>u</h:UserIdentifier></h:RequestUserMetadataHeader></s:Header><s:Body><CreateHealthLimitationRequest>{body}</CreateHealthLimitationRequest></s:Body></s:Envelope>"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn soap_answers_every_body(bytes in prop::collection::vec(any::<u8>(), 0..512), frag in xml_fragment(), action in "[A-Za-z\"#/]{0,20}") {
        let rt = runtime();
        rt.block_on(async {
            let r = Ref::start(mini_spec()).await;
            for body in [bytes.clone(), frag.clone().into_bytes(), envelope(&frag).into_bytes()] {
                let (status, text) = r
                    .post_raw("/soap/PersonRegistrationService", &[("content-type", "text/xml"), ("soapaction", &action)], body)
                    .await;
                prop_assert!(status == 200 || status == 500, "status {status}");
                prop_assert!(konform::soap::parse_envelope(&text).is_ok(), "not an envelope: {text}");
            }
            Ok(())
        })?;
    }

    #[test]
    fn rest_answers_every_body_and_header(body in "\\PC{0,200}", rid in "\\PC{0,60}", cpr in "[0-9a-z]{0,12}", json_body in prop::collection::vec(("[a-zA-Z]{1,12}", prop_oneof![Just(json!(1)), Just(json!("2026-11-01")), Just(json!(null)), Just(json!([1])), Just(json!({"a": true}))]), 0..6)) {
        let rt = runtime();
        rt.block_on(async {
            let r = Ref::start(mini_spec()).await;
            let token = r.token("Kommune:101", None).await;
            let mut headers = vec![("x-civilRegistrationIdentifier", cpr.as_str())];
            let rid_ok = rid.chars().all(|c| !c.is_control());
            if rid_ok {
                headers.push(("x-requestId", rid.as_str()));
            }
            let raw = r.client.post(r.url("/v1/ydelse"))
                .header("authorization", format!("Bearer {token}"))
                .header("x-civilRegistrationIdentifier", cpr.as_str())
                .body(body.clone())
                .send().await.unwrap();
            let status = raw.status().as_u16();
            prop_assert!(matches!(status, 200 | 400 | 412), "status {status}");
            let obj: serde_json::Map<String, serde_json::Value> = json_body.iter().cloned().collect();
            let a = r.rest("POST", "/v1/ydelse", Some(&token), &headers, Some(serde_json::Value::Object(obj))).await;
            prop_assert!(matches!(a.status, 200 | 400 | 412), "status {}", a.status);
            if a.status == 400 {
                prop_assert!(!a.codes.is_empty());
            }
            Ok(())
        })?;
    }

    #[test]
    fn state_changes_never_panic(v in prop::collection::vec(("[a-z_]{1,12}", "\\PC{0,20}"), 0..5)) {
        let rt = runtime();
        rt.block_on(async {
            let r = Ref::start(mini_spec()).await;
            let citizen: serde_json::Map<String, serde_json::Value> =
                v.iter().map(|(k, s)| (k.clone(), json!(s))).collect();
            let resp = r.client.post(r.url("/konform/state"))
                .json(&json!({"citizen": citizen}))
                .send().await.unwrap();
            prop_assert!(matches!(resp.status().as_u16(), 200 | 422));
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn deep_and_huge_xml_is_refused_quickly() {
    let r = Ref::start(mini_spec()).await;
    let deep = "<a>".repeat(10_000) + &"</a>".repeat(10_000);
    let (status, text) = r
        .post_raw(
            "/soap/PersonRegistrationService",
            &[("content-type", "text/xml")],
            envelope(&deep).into_bytes(),
        )
        .await;
    assert_eq!(status, 500);
    assert!(text.contains("<faultcode>1014</faultcode>"));
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"{}\">]>{}",
        "&lol;".repeat(10),
        envelope("&lol2;")
    );
    let (status, text) = r
        .post_raw(
            "/soap/PersonRegistrationService",
            &[("content-type", "text/xml")],
            laughs.into_bytes(),
        )
        .await;
    assert_eq!(status, 500);
    assert!(text.contains("<faultcode>1014</faultcode>"));
    let wide = format!("<x>{}</x>", "<y>1</y>".repeat(100_000));
    let (status, _) = r
        .post_raw(
            "/soap/PersonRegistrationService",
            &[("content-type", "text/xml")],
            envelope(&wide).into_bytes(),
        )
        .await;
    assert!(status == 500 || status == 413);
}
