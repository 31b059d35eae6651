//! Loading and planning report every problem in every file at once, with file:line:col, the
//! field and a "did you mean"; checked against the golden output beside the bad input.
//! `KONFORM_BLESS=1 cargo test --test suite run::` rewrites the golden file; review the diff.

use konform::case::{diagnostic, load_dir};
use konform::plan::plan;
use konform::run::setup::known_roles;

use crate::run::support;

#[test]
fn every_problem_in_every_file_is_reported_at_once() {
    let spec = support::spec();
    let root = std::path::Path::new("tests/data/cases_bad");
    assert!(root.is_dir(), "run from the crate root");
    let loaded = load_dir(root);
    let planned = plan(&spec, &loaded.cases, &known_roles([]));
    let all = planned.all_diagnostics(loaded.diagnostics.clone());
    let rendered = diagnostic::render(&all);
    let golden = support::data("cases_bad.expected");
    if std::env::var_os("KONFORM_BLESS").is_some() {
        std::fs::write(&golden, &rendered).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(
        rendered,
        expected,
        "diagnostics differ from {}",
        golden.display()
    );
    // Only the two cases that share an id (a corpus-wide problem) plan on their own, and the
    // boundary case that states its expectation under every alternative of its reading.
    assert_eq!(planned.cases.len(), 3);
    assert!(
        planned
            .cases
            .iter()
            .any(|c| c.case.id == "CreateThing.boundary-every-reading")
    );
    assert!(all.iter().all(|d| d.file.starts_with(root)));
}

#[test]
fn the_good_corpus_loads_and_plans_cleanly() {
    let spec = support::spec();
    let loaded = load_dir(&support::data("cases_ok"));
    assert!(
        loaded.diagnostics.is_empty(),
        "{}",
        diagnostic::render(&loaded.diagnostics)
    );
    let planned = plan(&spec, &loaded.cases, &known_roles([]));
    assert!(
        planned.diagnostics.is_empty(),
        "{}",
        diagnostic::render(&planned.diagnostics)
    );
    assert_eq!(planned.cases.len(), loaded.cases.len());
    assert!(!planned.cases.is_empty());
}

#[test]
fn loading_never_panics_on_arbitrary_text() {
    use proptest::prelude::*;
    let spec = support::spec();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(256));
    let strategy = proptest::string::string_regex(
        r#"(- |  |id: |title: |when: |then: |body: |\{|\}|\[|\]|"|\$\{|today|-8d|error: |[a-z]|[0-9]|:|\n){0,40}"#,
    )
    .unwrap();
    runner
        .run(&strategy, |text| {
            let path = std::path::Path::new("TestRestService/CreateThing.yaml");
            let (cases, _) =
                konform::case::load::load_text(path, "x", "TestRestService", "CreateThing", &text);
            let _ = plan(&spec, &cases, &known_roles([]));
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_withdrawn_method_may_be_expected_to_answer_4588_and_no_other_method_may() {
    use konform::case::load::load_text;
    use konform::spec::Spec;
    let spec = Spec::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs"
    )))
    .expect("the project spec loads");
    let problems = |service: &str, method: &str, body: &str| {
        let yaml = format!(
            "- id: {method}.refused\n  title: refused\n  when:\n    body: {body}\n  then: {{ error: 4588 }}\n"
        );
        let path = std::path::PathBuf::from(format!("{service}/{method}.yaml"));
        let (loaded, diags) = load_text(&path, &path.to_string_lossy(), service, method, &yaml);
        assert!(diags.is_empty(), "{}", diagnostic::render(&diags));
        let planned = plan(&spec, &loaded, &known_roles([]));
        (
            planned.diagnostics.len(),
            diagnostic::render(&planned.diagnostics),
        )
    };
    // GetTransferData is BORTFALDER and documents no codes: 4588 is its refusal.
    let withdrawn = problems(
        "BorgerFlytteService",
        "GetTransferData",
        "{ PersonCivilRegistrationIdentifier: \"0101901234\", PersonNotificationIdentifier: \"${uuid}\", MunicipalityCode: \"101\" }",
    );
    assert_eq!(withdrawn.0, 0, "{}", withdrawn.1);
    // CreateTilflytningsbekraeftelse is current and documents no 4588.
    let current = problems(
        "BorgerFlytteService",
        "CreateTilflytningsbekraeftelse",
        "{ borgerflytningId: \"${uuid}\" }",
    );
    assert_eq!(current.0, 1, "{}", current.1);
    assert!(
        current.1.contains(
            "no document grounds: code 4588 is not in CreateTilflytningsbekraeftelse's error table"
        ),
        "{}",
        current.1
    );
}
