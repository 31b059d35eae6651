//! Unit tests of the planner's pieces: path parameters, template compilation with time
//! formats, overlay entries, matchers and expectations in words, and planning small cases
//! against a one-method spec (unknown method, undocumented code, body field, placeholder).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::case::load::load_text;
use crate::case::template::TValue;
use crate::clock::TimeFormat;
use crate::spec::model::Field;
use crate::spec::overlay::Overlay;

fn field(yaml: &str) -> Field {
    serde_saphyr::from_str(yaml).unwrap()
}

#[test]
fn path_params_are_the_braced_names_in_order() {
    assert_eq!(
        path_params("/persons/{cpr}/interviews/{id}"),
        vec!["cpr".to_string(), "id".to_string()]
    );
    assert!(path_params("/persons").is_empty());
    // An unclosed brace ends the scan instead of taking the rest of the path.
    assert_eq!(path_params("/a/{x}/{broken"), vec!["x".to_string()]);
}

#[test]
fn strings_learn_the_time_format_of_their_field() {
    let fields = [
        field("{ name: StartDate, base: date, occurs: \"1\" }"),
        field("{ name: At, base: dateTime, occurs: \"1\" }"),
        field("{ name: Note, base: string, occurs: \"1\" }"),
    ];
    let body = json!({
        "StartDate": "${today}",
        "At": "${today}",
        "Note": "${today}",
        "Fixed": "plain text",
    });
    let TValue::Object(members) = compile_value(&body, &fields) else {
        panic!("an object with placeholders compiles to an object")
    };
    let format = |name: &str| match &members.iter().find(|(k, _)| k == name).unwrap().1 {
        TValue::Str(_, f) => Some(*f),
        _ => None,
    };
    assert_eq!(format("StartDate"), Some(TimeFormat::Date));
    assert_eq!(format("At"), Some(TimeFormat::DateTime));
    assert_eq!(format("Note"), Some(TimeFormat::Natural));
    // A literal stays a fixed value, not a template.
    assert_eq!(format("Fixed"), None);
    // A body without placeholders is one fixed value.
    assert!(matches!(
        compile_value(&json!({"a": [1, "x"]}), &[]),
        TValue::Fixed(_)
    ));
}

#[test]
fn overlay_entries_are_found_or_named_with_a_hint() {
    let overlay = Overlay::default();
    let err = overlay_entry_exists(&overlay, "code_list.kontaktgruppe.KTH").unwrap_err();
    assert!(
        err.to_string().contains("did you mean `code_lists`?"),
        "{err}"
    );
    let err = overlay_entry_exists(&overlay, "code_lists.nope").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the overlay has no entry `code_lists.nope`"
    );
}

#[test]
fn expectations_read_in_words() {
    assert_eq!(Expect::Codes(vec![4709]).describe(), "error 4709");
    assert_eq!(Expect::Codes(vec![1, 2]).describe(), "errors 1, 2");
    assert_eq!(Expect::Status(412).describe(), "HTTP 412");
    assert_eq!(Expect::Success(Vec::new()).describe(), "success");
}

#[test]
fn matchers_take_kind_names_or_xsd_patterns() {
    use crate::case::matcher::{Matcher, matcher};
    assert!(matches!(matcher("guid"), Ok(Matcher::Guid)));
    assert!(matches!(matcher("[0-9]{4}"), Ok(Matcher::Pattern(_))));
    let err = matcher("[").unwrap_err();
    assert!(err.to_string().starts_with("`matches: [`"), "{err}");
}

/// Plans the cases of one case file's text against the shipped spec.
fn plan_text(service: &str, method: &str, yaml: &str) -> Plan {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = crate::spec::Spec::load(&root.join("specs")).unwrap();
    let rel = format!("{service}/{method}.yaml");
    let (cases, diags) = load_text(Path::new(&rel), &rel, service, method, yaml);
    assert!(diags.is_empty(), "{diags:?}");
    let roles: BTreeSet<String> = ["jobcenter".to_string()].into();
    plan(&spec, &cases, &roles)
}

#[test]
fn an_unknown_method_is_a_planning_error_with_a_hint() {
    let planned = plan_text(
        "PersonRegistrationService",
        "CreatePersonIntervew",
        "- id: CreatePersonIntervew.one\n  title: t\n  when: { body: {} }\n  then: { success: true }\n",
    );
    assert!(planned.cases.is_empty());
    let text = crate::case::diagnostic::render(&planned.diagnostics);
    assert!(
        text.contains("did you mean `CreatePersonInterview`?"),
        "{text}"
    );
}

#[test]
fn a_case_plans_with_its_method_looked_up() {
    let planned = plan_text(
        "SygemeldingService",
        "CreateSygemelding",
        "- id: CreateSygemelding.one\n  title: t\n  when: { body: {} }\n  then: { status: 412 }\n",
    );
    assert!(planned.diagnostics.is_empty(), "{:?}", planned.diagnostics);
    let case = &planned.cases[0];
    assert_eq!(case.method.name, "CreateSygemelding");
    assert_eq!(case.caller, "jobcenter");
    assert!(matches!(case.expect, Expect::Status(412)));
    let _: &Arc<MethodInfo> = &case.method;
}
