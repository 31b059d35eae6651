//! Property tests: whatever arrives — random bytes, random XML, random JSON, random headers —
//! the reference answers (never panics, never hangs) with a status it documents.

use proptest::prelude::*;
use serde_json::json;

use crate::reference::harness::{Ref, mini_spec};

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

/// Bodies built from a method's own field tree, each field present or not, valid-looking or
/// garbage: the reference answers, and never with a code the method does not document.
mod spec_driven {
    use std::collections::BTreeSet;

    use konform::spec::model::{Binding, Field, FieldKind, MethodStatus};
    use proptest::prelude::*;
    use serde_json::{Map, Value, json};

    use crate::reference::harness::{NOW, Ref};
    use crate::reference::methods::spec;

    struct Entropy(std::vec::IntoIter<u8>);

    impl Entropy {
        fn next(&mut self) -> u8 {
            self.0.next().unwrap_or(0)
        }
    }

    fn leaf(f: &Field, e: &mut Entropy, cpr: &str) -> Value {
        let garbage = [
            "",
            "x",
            "<&>",
            "-1",
            "99999999999999999999",
            "2026-13-45",
            "ja",
        ];
        if e.next().is_multiple_of(4) {
            return json!(garbage[e.next() as usize % garbage.len()]);
        }
        let name = f.name.to_ascii_lowercase();
        if name.contains("civilregistrationidentifier") || name == "personnummer" {
            return json!(cpr);
        }
        json!(match f.kind() {
            FieldKind::Integer =>
                ["1", "2", "11", "18", "9999", "0"][e.next() as usize % 6].to_string(),
            FieldKind::Boolean => ["true", "false"][e.next() as usize % 2].to_string(),
            FieldKind::Date => "2026-11-24".to_string(),
            FieldKind::DateTime => [
                "2026-11-24T09:00:00",
                "2026-11-10T09:00:00",
                "2027-01-01T00:00:00"
            ][e.next() as usize % 3]
                .to_string(),
            FieldKind::Time => "10:00:00".to_string(),
            FieldKind::Guid => uuid::Uuid::new_v4().to_string(),
            FieldKind::String | FieldKind::Complex => "tekst".to_string(),
        })
    }

    fn tree(fields: &[Field], e: &mut Entropy, cpr: &str, depth: usize) -> Value {
        let mut m = Map::new();
        for f in fields {
            let present = f.is_required() || e.next().is_multiple_of(2);
            if !present || e.next().is_multiple_of(16) {
                continue;
            }
            let n = if f.occurs.is_repeated() {
                1 + (e.next() % 2) as usize
            } else {
                1
            };
            let mut items: Vec<Value> = (0..n)
                .map(|_| {
                    if f.children.is_empty() || depth > 6 {
                        leaf(f, e, cpr)
                    } else {
                        tree(&f.children, e, cpr, depth + 1)
                    }
                })
                .collect();
            let v = if items.len() == 1 {
                items.remove(0)
            } else {
                Value::Array(items)
            };
            m.insert(f.name.clone(), v);
        }
        if e.next().is_multiple_of(32) {
            m.insert("Unexpected".into(), json!("1"));
        }
        Value::Object(m)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn soap_methods_answer_only_documented_codes(pick in any::<u16>(), entropy in prop::collection::vec(any::<u8>(), 256), caller in 1u32..=5) {
            let spec = spec();
            let methods: Vec<_> = spec.methods().filter(|m| matches!(m.method.binding, Binding::Soap { .. })).collect();
            let m = methods[pick as usize % methods.len()];
            let fields = match (&m.method.binding, m.method.input.as_slice()) {
                (Binding::Soap { request_element, .. }, [only]) if &only.name == request_element => only.children.clone(),
                _ => m.method.input.clone(),
            };
            let mut allowed: BTreeSet<u32> = m.method.errors.iter().map(|e| e.code).collect();
            allowed.extend(spec.overlay.general_faults.iter().map(|f| f.code));
            allowed.extend([1001, 1014]);
            if m.method.status == MethodStatus::Withdrawn {
                allowed.insert(4588);
            }
            let rt = super::runtime();
            rt.block_on(async {
                let r = Ref::start(spec.clone()).await;
                let (cpr, _) = r.state(json!({"now": NOW, "citizen": {
                    "jobcenter": "10101", "kommune": "101", "akasse": "12", "anden_aktoer": "555",
                    "contact_groups": [{"type": 1, "start": "2026-10-01T00:00:00+01:00"}]}})).await;
                let mut e = Entropy(entropy.clone().into_iter());
                let body = tree(&fields, &mut e, &cpr, 0);
                let code = ["12", "10101", "101", "STAR", "555"][caller as usize - 1];
                let a = r.soap(&m.service.service, &m.method.name, Some((caller, code)), body.clone()).await;
                prop_assert!(a.status == 200 || a.status == 500, "status {} for {}", a.status, m.method.name);
                for c in &a.codes {
                    prop_assert!(allowed.contains(c), "{} answered undocumented {c} to {body}", m.method.name);
                }
                Ok(())
            })?;
        }
    }
}
