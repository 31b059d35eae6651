//! Privacy: no CPR number survives in any report file unless the run was asked to show them,
//! and no token or secret ever does.

use std::sync::LazyLock;

use regex::Regex;

use crate::report::fixtures;

/// Anything that reads as a CPR number: a valid DDMMYY, an optional dash, four digits, not
/// inside a longer digit run.
static CPR_LIKE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])([0-9]{6})-?([0-9]{4})(?:[^0-9]|$)").expect("re"));

fn cprs_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(c) = CPR_LIKE.captures_at(text, at) {
        let ten = format!("{}{}", &c[1], &c[2]);
        if konform::cpr::is_valid(&ten) && ten != "0000000000" {
            found.push(ten);
        }
        at = c.get(2).expect("group").end();
    }
    found
}

fn files(summary: &konform::run::result::RunSummary, name: &str) -> Vec<(String, String)> {
    let dir = fixtures::temp_dir(name);
    let w = konform::report::write_all(summary, &dir).expect("write");
    [w.summary_json, w.junit_xml, w.index_html]
        .into_iter()
        .map(|p| {
            (
                p.file_name().expect("name").to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).expect("read"),
            )
        })
        .collect()
}

#[test]
fn the_fixture_really_is_full_of_cprs() {
    let raw = serde_json::to_string(&fixtures::with_cprs()).expect("json");
    assert!(
        cprs_in(&raw).len() > 50,
        "the fixture must exercise the masking"
    );
}

#[test]
fn no_cpr_survives_in_any_report_file() {
    for (name, text) in files(&fixtures::with_cprs(), "privacy-masked") {
        let found = cprs_in(&text);
        assert!(found.is_empty(), "{name} holds CPR numbers: {found:?}");
        assert!(text.contains("010190-****"), "{name} shows the masked form");
        assert!(text.contains("120385-****"), "{name} shows the masked form");
    }
}

#[test]
fn shown_cprs_are_shown_everywhere() {
    let mut s = fixtures::with_cprs();
    s.cpr_shown = true;
    for (name, text) in files(&s, "privacy-shown") {
        assert!(
            text.contains(fixtures::CPR),
            "{name} shows {}",
            fixtures::CPR
        );
        assert!(
            text.contains(fixtures::CPR2),
            "{name} shows {}",
            fixtures::CPR2
        );
    }
}

#[test]
fn secrets_never_appear_even_with_cprs_shown() {
    for shown in [false, true] {
        let mut s = fixtures::with_cprs();
        s.cpr_shown = shown;
        for (name, text) in files(&s, "privacy-secrets") {
            assert!(
                !text.contains(fixtures::TOKEN),
                "{name} (cpr shown: {shown}) leaks the token"
            );
            assert!(text.contains("***"), "{name}");
        }
    }
}

#[test]
fn secret_values_given_by_the_caller_are_removed_wherever_they_are() {
    let mut s = fixtures::summary();
    s.cases[0].title = "sent with client-secret-XYZ-42 by mistake".to_string();
    s.cases[0].exchanges[0].request.body = "{\"note\":\"client-secret-XYZ-42\"}".to_string();
    let dir = fixtures::temp_dir("privacy-literal");
    let options = konform::report::ReportOptions {
        secrets: vec!["client-secret-XYZ-42".to_string()],
    };
    let w = konform::report::write_all_with(&s, &dir, &options).expect("write");
    for p in [w.summary_json, w.junit_xml, w.index_html] {
        let text = std::fs::read_to_string(&p).expect("read");
        assert!(!text.contains("client-secret-XYZ-42"), "{}", p.display());
    }
}

#[test]
fn the_masked_summary_is_still_valid_json_and_the_schema() {
    let dir = fixtures::temp_dir("privacy-json");
    let w = konform::report::write_all(&fixtures::with_cprs(), &dir).expect("write");
    let back = konform::report::json::read(&w.summary_json).expect("reads back");
    assert_eq!(back.cases.len(), 7);
    // A CPR that was a JSON number became the masked string.
    let body = serde_json::to_string(&back.cases[0].outcome).expect("json");
    assert!(body.contains("\"asNumber\":\"120385-****\""), "{body}");
}
