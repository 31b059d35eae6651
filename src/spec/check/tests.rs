//! The answer checks on the shipped spec: one answer the reference would give, then each class
//! of departure planted into it.

use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::spec::Spec;

fn spec() -> Spec {
    Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")).unwrap()
}

fn shape(service: &str, method: &str) -> AnswerShape {
    let spec = spec();
    let m = spec.service_method(service, method).unwrap();
    AnswerShape::build(&spec, m)
}

const NS: &str = "urn:star:dfdg:PersonRegistrationService";
const RECEIPT: &str = "<ServiceReceipt><EventDate>2026-11-24T10:00:00+01:00</EventDate><MessageIdentifier>6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10</MessageIdentifier></ServiceReceipt>";

fn envelope(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{body}</soap:Body></soap:Envelope>"#
    )
}

fn soap(status: u16, xml: &str, codes: &[u32]) -> Vec<Mismatch> {
    check(
        &shape("PersonRegistrationService", "CreatePersonCategory"),
        Answer::Soap {
            status,
            xml,
            codes,
            namespace: NS,
        },
    )
}

fn response(inner: &str) -> String {
    envelope(&format!(
        r#"<CreatePersonCategoryResponse xmlns="{NS}">{inner}</CreatePersonCategoryResponse>"#
    ))
}

fn one(m: &[Mismatch]) -> String {
    assert_eq!(m.len(), 1, "{m:#?}");
    m[0].to_string()
}

#[test]
fn a_conforming_soap_answer_has_no_mismatch() {
    assert_eq!(soap(200, &response(RECEIPT), &[]), vec![]);
}

#[test]
fn soap_departures_are_named_with_their_path() {
    let renamed = RECEIPT.replace("MessageIdentifier>", "MessageId>");
    let m = soap(200, &response(&renamed), &[]);
    let all = m
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("`CreatePersonCategoryResponse/ServiceReceipt/MessageId`: the spec says one of `EventDate`, `MessageIdentifier`, got an element `MessageId`"), "{all}");
    assert!(all.contains("`CreatePersonCategoryResponse/ServiceReceipt/MessageIdentifier`: the spec says guid (string) (occurs 1), got nothing"), "{all}");

    let other_ns = envelope(&format!(
        r#"<CreatePersonCategoryResponse xmlns="urn:other">{RECEIPT}</CreatePersonCategoryResponse>"#
    ));
    let m = soap(200, &other_ns, &[]);
    assert_eq!(m.len(), 4, "the element and its three descendants: {m:#?}");
    assert_eq!(
        m[0].to_string(),
        "`CreatePersonCategoryResponse`: the spec says namespace `urn:star:dfdg:PersonRegistrationService`, got `urn:other` (grounds: overlay soap_services.PersonRegistrationService.namespace, an assumption)"
    );

    let reordered = "<ServiceReceipt><MessageIdentifier>6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10</MessageIdentifier><EventDate>2026-11-24T10:00:00+01:00</EventDate></ServiceReceipt>";
    assert_eq!(
        one(&soap(200, &response(reordered), &[])),
        "`CreatePersonCategoryResponse/ServiceReceipt/EventDate`: the spec says `EventDate` before `MessageIdentifier` (the output table's sequence), got `EventDate` after `MessageIdentifier`"
    );

    let missing =
        "<ServiceReceipt><EventDate>2026-11-24T10:00:00+01:00</EventDate></ServiceReceipt>";
    assert_eq!(
        one(&soap(200, &response(missing), &[])),
        "`CreatePersonCategoryResponse/ServiceReceipt/MessageIdentifier`: the spec says guid (string) (occurs 1), got nothing"
    );

    let twice = RECEIPT.replace("</ServiceReceipt>", "<MessageIdentifier>6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10</MessageIdentifier></ServiceReceipt>");
    assert!(one(&soap(200, &response(&twice), &[])).contains("got 2 elements"));

    let bad_value = RECEIPT.replace("2026-11-24T10:00:00+01:00", "24-11-2026");
    assert_eq!(
        one(&soap(200, &response(&bad_value), &[])),
        "`CreatePersonCategoryResponse/ServiceReceipt/EventDate`: the spec says a dateTime value, got `24-11-2026`"
    );

    let wrong_element = envelope(&format!(
        r#"<CreatePersonCategoryRequest xmlns="{NS}">{RECEIPT}</CreatePersonCategoryRequest>"#
    ));
    assert!(
        one(&soap(200, &wrong_element, &[]))
            .contains("the response element `CreatePersonCategoryResponse`")
    );
}

#[test]
fn faults_follow_the_wire_rules() {
    let fault = crate::soap::write_fault(crate::soap::SoapVersion::V11, &[(1014, "x".into())]);
    assert_eq!(soap(500, &fault, &[1014]), vec![]);
    assert_eq!(
        one(&soap(200, &fault, &[1014])),
        "`HTTP status`: the spec says HTTP 500 for a fault, got a SOAP Fault on HTTP 200 (grounds: SOAP 1.1 §6.2: a SOAP fault is answered with HTTP 500)"
    );
    let undocumented = one(&soap(500, &fault, &[4857]));
    assert!(undocumented.contains("got code 4857"), "{undocumented}");
    let bare = envelope("<soap:Fault><faultcode>1014</faultcode></soap:Fault>");
    assert!(one(&soap(500, &bare, &[1014])).starts_with("`Fault/faultstring`"));
    let v12 = crate::soap::write_fault(crate::soap::SoapVersion::V12, &[(1014, "x".into())]);
    assert_eq!(soap(500, &v12, &[1014]), vec![]);
    assert_eq!(soap(400, &v12, &[1014]), vec![]);
    assert_eq!(soap(200, &v12, &[1014]).len(), 1);
}

fn rest(method: &str, status: u16, body: &Value) -> Vec<Mismatch> {
    check(
        &shape("VisiteringOgStatus.YdelsesVisiteringService", method),
        Answer::RestSuccess { status, body },
    )
}

fn ydelse() -> Value {
    json!({"kyYdelsesIdentifier": "6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10", "startdato": "2026-10-01",
           "kontaktgruppe": 2, "registrendeMyndighed": {"organisationType": 3, "myndighedskode": "101"}})
}

#[test]
fn rest_answers_are_checked_member_by_member() {
    assert_eq!(rest("GetYdelse", 200, &json!({"ydelse": ydelse()})), vec![]);
    assert_eq!(
        rest("GetYdelser", 200, &json!({"ydelser": [ydelse(), ydelse()]})),
        vec![]
    );
    assert_eq!(rest("GetYdelser", 200, &json!({"ydelser": []})), vec![]);

    let mut string_int = ydelse();
    string_int["kontaktgruppe"] = json!("2");
    assert_eq!(
        one(&rest("GetYdelse", 200, &json!({"ydelse": string_int}))),
        "`ydelse/kontaktgruppe`: the spec says a JSON integer (KontaktgruppeTypeCodeList (integer)), got the string \"2\""
    );
    assert_eq!(
        one(&rest("GetYdelser", 204, &Value::Null)),
        "`ydelser`: the spec says an answer holding YdelseDtoCollection (complex) (occurs 1), got an empty answer (HTTP 204)"
    );
    let m = one(&rest(
        "GetYdelser",
        200,
        &json!({"ydelser": {"YdelseDto": [ydelse()]}}),
    ));
    assert!(
        m.contains("an array of `YdelseDto`")
            && m.contains("grounds: reading rest-json-collections"),
        "{m}"
    );

    let mut renamed = ydelse();
    let v = renamed
        .as_object_mut()
        .unwrap()
        .remove("startdato")
        .unwrap();
    renamed["startDato"] = v;
    let m = rest("GetYdelse", 200, &json!({"ydelse": renamed}));
    assert_eq!(m.len(), 2, "{m:#?}");
    assert_eq!(m[0].path, "ydelse/startDato");
    assert_eq!(m[1].path, "ydelse/startdato");

    let mut long = ydelse();
    long["kyNoegle"] = json!("x".repeat(101));
    assert!(one(&rest("GetYdelse", 200, &json!({"ydelse": long}))).contains("1 to 100 characters"));
}

#[test]
fn rest_errors_never_on_success_and_only_documented_codes() {
    let shape = shape(
        "VisiteringOgStatus.YdelsesVisiteringService",
        "CreateYdelse",
    );
    assert_eq!(
        check(
            &shape,
            Answer::RestError {
                status: 400,
                codes: &[4669]
            }
        ),
        vec![]
    );
    assert_eq!(
        check(
            &shape,
            Answer::RestError {
                status: 200,
                codes: &[4669]
            }
        )
        .len(),
        1
    );
    assert_eq!(
        check(
            &shape,
            Answer::RestError {
                status: 400,
                codes: &[4575]
            }
        )
        .len(),
        1
    );
}
