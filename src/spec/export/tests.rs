//! Tests of the exports on the committed spec (`specs/`): generation is deterministic, every
//! method, code, scope and field constraint reaches the files, readings are marked, and a
//! profile's names replace the overlay's.

use std::path::Path;

use serde_json::Value;

use super::*;
use crate::soap::parse_document;
use crate::spec::model::{Binding, FieldLocation, Transport};

fn spec() -> Spec {
    Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")).expect("specs/ loads")
}

fn file<'a>(files: &'a [ExportFile], name: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{name} was not exported"))
        .content
}

fn openapi_of(files: &[ExportFile], service: &str) -> Value {
    serde_json::from_str(file(files, &openapi::openapi_file(service))).unwrap()
}

#[test]
fn generation_is_deterministic_and_complete() {
    let spec = spec();
    let a = export(&spec, &Format::ALL, &ExportOptions::default()).unwrap();
    let b = export(&spec, &Format::ALL, &ExportOptions::default()).unwrap();
    assert_eq!(a, b, "two exports of the same spec differ");
    let names: Vec<&str> = a.iter().map(|f| f.name.as_str()).collect();
    let mut expected = vec![xsd::FAULT_FILE.to_string()];
    for s in spec.services.values() {
        if is_soap(s) {
            expected.push(wsdl::wsdl_file(&s.service));
            expected.push(xsd::body_file(&s.service));
            expected.push(xsd::header_file(&s.service));
        }
        if is_rest(s) {
            expected.push(openapi::openapi_file(&s.service));
        }
    }
    expected.sort();
    assert_eq!(names, expected);
    // Every XML file is well formed.
    for f in a.iter().filter(|f| !f.name.ends_with(".json")) {
        parse_document(&f.content).unwrap_or_else(|e| panic!("{}: {e}", f.name));
    }
    // The formats select their files.
    let only_xsd = export(&spec, &[Format::Xsd], &ExportOptions::default()).unwrap();
    assert!(only_xsd.iter().all(|f| f.name.ends_with(".xsd")));
    let only_openapi = export(&spec, &[Format::Openapi], &ExportOptions::default()).unwrap();
    assert!(
        only_openapi
            .iter()
            .all(|f| f.name.ends_with(".openapi.json"))
    );
    assert_eq!(only_openapi.len(), 2);
}

#[test]
fn every_soap_method_is_an_operation_with_its_action_headers_fault_and_codes() {
    let spec = spec();
    let files = export(&spec, &Format::ALL, &ExportOptions::default()).unwrap();
    for s in spec.services.values().filter(|s| is_soap(s)) {
        let wsdl = file(&files, &wsdl::wsdl_file(&s.service));
        let schema = file(&files, &xsd::body_file(&s.service));
        for m in &s.methods {
            let Binding::Soap {
                action,
                request_element,
                ..
            } = &m.binding
            else {
                continue;
            };
            assert!(
                wsdl.contains(&format!("<wsdl:operation name=\"{}\">", m.name)),
                "{}: no operation",
                m.name
            );
            assert!(wsdl.contains(&format!("soapAction=\"{action}\"")));
            assert!(
                schema.contains(&format!("<xs:element name=\"{request_element}\">")),
                "{}: no request element",
                m.name
            );
            for e in &m.errors {
                assert!(
                    wsdl.contains(&e.code.to_string()),
                    "{}: code {} not documented",
                    m.name,
                    e.code
                );
            }
        }
        let ops = s
            .methods
            .iter()
            .filter(|m| m.binding.transport() == Transport::Soap)
            .count();
        // Each operation binds both caller headers and the DFDG fault.
        assert_eq!(
            wsdl.matches("part=\"ActiveOrganisationHeader\"").count(),
            ops
        );
        assert_eq!(
            wsdl.matches("part=\"RequestUserMetadataHeader\"").count(),
            ops
        );
        assert_eq!(wsdl.matches("<soap:fault name=\"DfdgFault\"").count(), ops);
        assert!(wsdl.contains(&format!(
            "location=\"{DEFAULT_BASE_URL}/soap/{}\"",
            s.service
        )));
        let names = ExportOptions::default().soap_names(&spec, &s.service);
        assert!(schema.contains(&format!("targetNamespace=\"{}\"", names.namespace)));
    }
}

#[test]
fn xsd_carries_patterns_lengths_ranges_cardinalities_and_former_names() {
    let spec = spec();
    let files = export(&spec, &[Format::Xsd], &ExportOptions::default()).unwrap();
    let prs = file(&files, "PersonRegistrationService.xsd");
    // The CPR pattern, verbatim.
    assert!(
        prs.contains("<xs:pattern value=\"((((0[1-9]|1[0-9]|2[0-9]|3[0-1])(01|03|05|07|08|10|12))")
    );
    // Length 1-100 of AuthorityName; an optional element.
    assert!(prs.contains("<xs:minLength value=\"1\"/>"));
    assert!(prs.contains("<xs:maxLength value=\"100\"/>"));
    assert!(prs.contains("minOccurs=\"0\""));
    assert!(prs.contains("type=\"xs:dateTime\""));
    assert!(prs.contains("type=\"xs:boolean\""));
    // The header schema takes its members from the document's "used in a SOAP header" element.
    let headers = file(&files, "PersonRegistrationService.headers.xsd");
    assert!(headers.contains("<xs:element name=\"ActiveOrganisationHeader\">"));
    assert!(headers.contains("<xs:maxInclusive value=\"100\"/>"));
    assert!(headers.contains("BorgerFlytteService/"));
    // A renamed element is a choice of both names.
    let interview = file(&files, "InterviewService.xsd");
    let renamed = spec.services["InterviewService"]
        .methods
        .iter()
        .flat_map(|m| m.input.iter().chain(&m.output))
        .flat_map(|f| std::iter::once(f).chain(&f.children))
        .find(|f| f.former_name.is_some());
    if let Some(f) = renamed {
        assert!(interview.contains("<xs:choice"));
        assert!(interview.contains(&format!(
            "<xs:element name=\"{}\"",
            f.former_name.as_deref().unwrap()
        )));
    }
    // Integers keep their documented range; a repeated element is unbounded.
    let field = |min, max| crate::spec::model::Field {
        name: "N".into(),
        former_name: None,
        location: FieldLocation::Body,
        type_name: Some("int".into()),
        base: Some("int".into()),
        occurs: crate::spec::model::Occurs { min: 0, max: None },
        pattern: None,
        length: None,
        min_inclusive: min,
        max_inclusive: max,
        description: None,
        children: vec![],
        at: None,
    };
    assert_eq!(
        xsd::simple_type(&field(Some(1), Some(100))),
        xsd::Simple::Restricted {
            base: "xs:int",
            facets: vec![
                ("xs:minInclusive", "1".into()),
                ("xs:maxInclusive", "100".into())
            ]
        }
    );
    assert_eq!(
        xsd::simple_type(&field(None, None)),
        xsd::Simple::Builtin("xs:int")
    );
}

#[test]
fn openapi_has_operations_headers_scopes_codes_and_readings() {
    let spec = spec();
    let files = export(&spec, &[Format::Openapi], &ExportOptions::default()).unwrap();
    for s in spec.services.values().filter(|s| is_rest(s)) {
        let doc = openapi_of(&files, &s.service);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["servers"][0]["url"], DEFAULT_BASE_URL);
        let scopes = &doc["components"]["securitySchemes"][openapi::SECURITY_SCHEME]["flows"]["clientCredentials"]
            ["scopes"];
        for m in &s.methods {
            let Binding::Rest { verb, path } = &m.binding else {
                continue;
            };
            let op = &doc["paths"][path.as_str()][verb.as_str().to_ascii_lowercase()];
            assert_eq!(
                op["operationId"],
                m.name.as_str(),
                "{} {path}",
                verb.as_str()
            );
            if let Some(scope) = &m.scope {
                assert!(scopes.get(scope).is_some(), "{}: scope {scope}", m.name);
                assert_eq!(
                    op["security"][0][openapi::SECURITY_SCHEME][0],
                    scope.as_str()
                );
            }
            let codes: Vec<u64> = op["x-dfdg-codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].as_u64().unwrap())
                .collect();
            for e in &m.errors {
                assert!(codes.contains(&(e.code as u64)), "{}: {}", m.name, e.code);
            }
            let params = op["parameters"].as_array().unwrap();
            for f in m.header_fields().chain(m.path_fields()) {
                let p = params
                    .iter()
                    .find(|p| p["name"] == f.name.as_str())
                    .unwrap_or_else(|| panic!("{}: no parameter {}", m.name, f.name));
                if f.name.eq_ignore_ascii_case("x-requestId") {
                    assert_eq!(p["in"], "header");
                    assert_eq!(p["schema"]["maxLength"], 46);
                    assert!(op["responses"].get("412").is_some(), "{}: no 412", m.name);
                }
            }
            assert_eq!(
                op["responses"]["400"]["$ref"],
                "#/components/responses/DfdgErrors"
            );
            let readings: Vec<&str> = op["x-konform-reading"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["name"].as_str().unwrap())
                .collect();
            assert!(readings.contains(&"rest-error-body"));
            assert!(readings.contains(&"refused-caller-status"));
            assert!(op["description"].as_str().unwrap().contains(&s.source));
        }
    }
    // Request bodies: required members, patterns anchored, no unknown members.
    let doc = openapi_of(&files, "VisiteringOgStatus.YdelsesVisiteringService");
    let body =
        &doc["paths"]["/v1/ydelse"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(body["additionalProperties"], false);
    assert!(
        body["required"]
            .as_array()
            .unwrap()
            .contains(&Value::from("startdato"))
    );
    // GetYdelser answers the collection member as the array of items.
    let answer = &doc["paths"]["/v1/ydelse"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert_eq!(answer["properties"]["ydelser"]["type"], "array");
    // A renamed member has its current name; the former one is named in its description.
    let syg = openapi_of(&files, "SygemeldingService");
    let body = &syg["paths"]["/v1/sygemelding"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert!(body["properties"].get("AbsenceItem").is_none());
    assert!(
        body["properties"]["Sygemelding"]["description"]
            .as_str()
            .unwrap()
            .contains("Formerly AbsenceItem")
    );
    let cpr = &body["properties"]["PersonCivilRegistrationIdentifier"]["pattern"];
    assert!(cpr.as_str().unwrap().starts_with("^(?:((((0[1-9]"));
    assert!(cpr.as_str().unwrap().ends_with(")$"));
    // UpdateSygemelding's empty receipt is an answer without a body, marked as a reading.
    let update = &syg["paths"]["/v1/sygemelding/{fravaerIdentifier}"]["put"];
    assert!(update["responses"]["200"].get("content").is_none());
    assert!(
        update["x-konform-reading"]
            .to_string()
            .contains("empty-answer")
    );
}

#[test]
fn a_profile_replaces_the_overlays_names_and_says_so() {
    let spec = spec();
    let mut options = ExportOptions::default();
    options.soap_overrides.insert(
        "InterviewService".into(),
        SoapOverride {
            path: Some("/ws/Interview".into()),
            namespace: Some("urn:vendor:interview".into()),
            header_namespace: None,
            origin: "target.yaml".into(),
        },
    );
    let names = options.soap_names(&spec, "InterviewService");
    assert_eq!(names.namespace, "urn:vendor:interview");
    assert_eq!(names.header_namespace, "urn:star:dfdg:headers");
    assert!(names.basis.contains("target.yaml"), "{}", names.basis);
    let files = export(&spec, &[Format::Wsdl], &options).unwrap();
    let wsdl = file(&files, "InterviewService.wsdl");
    assert!(wsdl.contains("targetNamespace=\"urn:vendor:interview\""));
    assert!(wsdl.contains("location=\"http://127.0.0.1:8080/ws/Interview\""));
    assert!(
        file(&files, "InterviewService.xsd").contains("targetNamespace=\"urn:vendor:interview\"")
    );
    // One namespace for body and headers: one schema holds both.
    options
        .soap_overrides
        .get_mut("InterviewService")
        .unwrap()
        .header_namespace = Some("urn:vendor:interview".into());
    let files = export(&spec, &[Format::Wsdl], &options).unwrap();
    assert!(
        files
            .iter()
            .all(|f| f.name != "InterviewService.headers.xsd")
    );
    assert!(file(&files, "InterviewService.xsd").contains("ActiveOrganisationHeader"));
    // Served WSDLs import their schemas from the endpoint.
    options.schema_locations = SchemaLocations::Served;
    let files = export(&spec, &[Format::Wsdl], &options).unwrap();
    assert!(
        file(&files, "InterviewService.wsdl")
            .contains("schemaLocation=\"/ws/Interview?xsd=InterviewService.xsd\"")
    );
}
