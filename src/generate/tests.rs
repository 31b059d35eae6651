//! Tests of negative-case generation on a small hand-written spec: the expected code per change,
//! determinism, unique ids across services, and violations a method cannot answer.

use serde_json::json;

use super::*;
use crate::case::given::Given;
use crate::spec::model::{ServiceSpec, Transport};
use crate::spec::overlay::{Basis, GeneralFault};

const SPEC: &str = r#"
service: TestService
version: TestService (Version 1)
layout: cells
source: test.txt
transport: soap
methods:
  - name: CreateThing
    status: current
    binding: { soap: { action: CreateThing, request_element: CreateThingRequest } }
    input:
      - name: CreateThingRequest
        occurs: "1"
        children:
          - { name: PersonCivilRegistrationIdentifier, type: PersonCivilRegistrationIdentifierType, base: string, occurs: "1", pattern: "((0[1-9])(01)[0-9]{6})|0000000000" }
          - name: Thing
            occurs: "1"
            children:
              - { name: Name, base: string, occurs: "1", length: { min: 1, max: 5 } }
              - { name: Count, base: int, occurs: "0 - 1", min_inclusive: 0, max_inclusive: 10 }
              - { name: Email, base: string, occurs: "0 - 1", pattern: "[a-z]+@[a-z]+" }
              - { name: When, type: dateTime, occurs: "1" }
    errors:
      - { code: 1001, text: Invalid cpr }
"#;

fn spec() -> Spec {
    let service: ServiceSpec = serde_saphyr::from_str(SPEC).unwrap();
    let mut spec = Spec::default();
    spec.services.insert(service.service.clone(), service);
    spec.overlay.general_faults.push(GeneralFault {
        code: 1014,
        text: "Failed to validate message".into(),
        transports: vec![Transport::Soap],
        basis: Basis::Assumption {
            reason: "test".into(),
        },
    });
    spec
}

fn base() -> Case {
    Case {
        id: "CreateThing.ok".into(),
        title: "ok".into(),
        service: "TestService".into(),
        method: "CreateThing".into(),
        covers: Covers::default(),
        tags: vec![],
        assumes: vec![],
        given: Given::default(),
        when: When {
            body: json!({"PersonCivilRegistrationIdentifier": "${cpr}", "Thing": {"Name": "abc", "When": "${now}"}}),
            ..When::default()
        },
        then: Then::Success {
            success: SuccessFlag(true),
            fields: Default::default(),
        },
        origin: Origin {
            file: "t.yaml".into(),
            line: 1,
            generated: false,
        },
    }
}

#[test]
fn derives_one_change_per_case_with_the_expected_code() {
    let spec = spec();
    let generated = generate(&spec, &[base()]);
    assert!(generated.skipped.is_empty());
    let ids: Vec<&str> = generated.cases.iter().map(|c| c.id.as_str()).collect();
    for expected in [
        "CreateThing.gen.PersonCivilRegistrationIdentifier.missing",
        "CreateThing.gen.PersonCivilRegistrationIdentifier.cpr-30-February",
        "CreateThing.gen.Thing.Name.too-long",
        "CreateThing.gen.Thing.Name.longest-accepted",
        "CreateThing.gen.Thing.Name.too-short",
        "CreateThing.gen.Thing.Count.above-max",
        "CreateThing.gen.Thing.Count.below-min",
        "CreateThing.gen.Thing.Count.not-integer",
        "CreateThing.gen.Thing.Email.pattern",
        "CreateThing.gen.Thing.When.not-dateTime",
        "CreateThing.gen.Thing.missing",
        "CreateThing.gen.KonformUnknownElement.unknown",
    ] {
        assert!(ids.contains(&expected), "missing {expected} in {ids:#?}");
    }
    let by_id = |id: &str| generated.cases.iter().find(|c| c.id == id).unwrap();

    let cpr = by_id("CreateThing.gen.PersonCivilRegistrationIdentifier.cpr-30-February");
    // 1001 is documented: the code is the reading cpr-pattern-code's.
    assert_eq!(
        cpr.then,
        super::by_reading(
            "cpr-pattern-code",
            [
                ("1001", Then::Error { error: 1001 }),
                ("1014", Then::Error { error: 1014 })
            ]
        )
    );
    assert_eq!(cpr.covers.codes, vec![1001], "1001 is documented");
    assert_eq!(
        cpr.when.body["PersonCivilRegistrationIdentifier"],
        "3002901234"
    );

    let long = by_id("CreateThing.gen.Thing.Name.too-long");
    // 1014 is not documented: the reading schema-fault-code decides.
    assert_eq!(
        long.then,
        super::by_reading(
            "schema-fault-code",
            [
                ("1014", Then::Error { error: 1014 }),
                (
                    "any",
                    Then::Refused {
                        refused: crate::case::model::SuccessFlag(true)
                    }
                )
            ]
        )
    );
    assert_eq!(long.when.body["Thing"]["Name"], "aaaaaa");
    assert!(
        long.covers.codes.is_empty(),
        "1014 is not documented by this method"
    );
    assert_eq!(long.assumes, vec!["general_faults.1014".to_string()]);

    let accepted = by_id("CreateThing.gen.Thing.Name.longest-accepted");
    assert!(matches!(accepted.then, Then::Success { .. }));
    assert_eq!(accepted.when.body["Thing"]["Name"], "aaaaa");

    let count = by_id("CreateThing.gen.Thing.Count.above-max");
    assert_eq!(
        count.when.body["Thing"]["Count"], 11,
        "an absent optional field is added"
    );

    let missing = by_id("CreateThing.gen.Thing.missing");
    assert!(missing.when.body.get("Thing").is_none());

    for case in &generated.cases {
        assert!(case.origin.generated);
        assert!(case.tags.contains(&TAG.to_string()));
        assert_eq!(case.given, Given::default());
    }
}

#[test]
fn is_deterministic_and_ids_are_unique() {
    let spec = spec();
    let a = generate(&spec, &[base()]);
    let b = generate(&spec, &[base()]);
    assert_eq!(a.cases, b.cases);
    let mut ids: Vec<&str> = a.cases.iter().map(|c| c.id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "generated ids repeat");
}

#[test]
fn a_method_without_a_success_case_is_skipped_with_a_reason() {
    let spec = spec();
    let mut failing = base();
    failing.then = Then::Error { error: 1001 };
    let generated = generate(&spec, &[failing]);
    assert!(generated.cases.is_empty());
    assert_eq!(generated.skipped.len(), 1);
    assert!(generated.skipped[0].reason.contains("success case"));
}

#[test]
fn long_accepted_values_stay_unique_per_request() {
    let field: Field = serde_saphyr::from_str(
        "{ name: x-requestId, location: header, base: string, occurs: \"1\", length: { max: 46 } }",
    )
    .unwrap();
    let v = values::violations(&field, true, false);
    let accepted = v
        .iter()
        .find(|v| matches!(v, Violation::LongestAccepted { .. }))
        .unwrap();
    let Some(Value::String(s)) = accepted.value() else {
        panic!()
    };
    assert!(s.starts_with("${uuid}"));
    assert_eq!(s.len() - "${uuid}".len() + 36, 46);
    assert!(accepted.describe().contains("46 characters"));
}

#[test]
fn violations_the_method_cannot_answer_are_left_out_and_said() {
    let mut spec = spec();
    spec.overlay.general_faults.clear();
    let generated = generate(&spec, &[base()]);
    assert!(
        generated
            .cases
            .iter()
            .all(|c| c.then != Then::Error { error: 1014 })
    );
    assert!(
        generated
            .cases
            .iter()
            .any(|c| c.then.codes().contains(&1001)),
        "1001 is documented"
    );
    assert_eq!(generated.skipped.len(), 1);
    assert!(
        generated.skipped[0].reason.contains("1014"),
        "{:?}",
        generated.skipped
    );
}

#[test]
fn service_slugs_are_kebab_case_without_service() {
    assert_eq!(
        service_slug("PersonRegistrationService"),
        "person-registration"
    );
    assert_eq!(service_slug("InterviewService"), "interview");
    assert_eq!(
        service_slug("VisiteringOgStatus.YdelsesVisiteringService"),
        "ydelses-visitering"
    );
}

#[test]
fn a_method_name_two_services_share_gets_the_service_in_its_ids() {
    let mut spec = spec();
    let mut twin = spec.services["TestService"].clone();
    twin.service = "OtherService".into();
    spec.services.insert(twin.service.clone(), twin);
    let mut other = base();
    other.service = "OtherService".into();
    other.id = "CreateThing.other.ok".into();
    let generated = generate(&spec, &[base(), other]);
    let mut ids: Vec<&str> = generated.cases.iter().map(|c| c.id.as_str()).collect();
    assert!(
        ids.iter().any(|i| i.starts_with("CreateThing.test.gen.")),
        "{ids:?}"
    );
    assert!(
        ids.iter().any(|i| i.starts_with("CreateThing.other.gen.")),
        "{ids:?}"
    );
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "generated ids repeat across services");
}
