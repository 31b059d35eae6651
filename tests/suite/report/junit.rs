//! `junit.xml`, checked both ways (as nextest does): every case of the run is in the XML with
//! the right status, and every case in the XML was in the run. The XML is read back with
//! quick-xml, not with the crate that wrote it.

use std::collections::BTreeMap;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use konform::run::result::{RunSummary, Verdict};

use crate::report::fixtures;

#[derive(Debug, Clone, PartialEq, Eq)]
struct XmlCase {
    suite: String,
    classname: String,
    /// `pass`, `failure`, `error` or `skipped`.
    status: String,
    message: String,
    body: String,
    system_out: String,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name.as_bytes())
        .map(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .expect("attribute")
                .into_owned()
        })
}

/// Case name to what the XML says about it; panics on a case named twice.
fn parse(xml: &str) -> (BTreeMap<String, XmlCase>, BTreeMap<String, String>) {
    let mut reader = Reader::from_str(xml);
    let mut cases = BTreeMap::new();
    let mut root = BTreeMap::new();
    let mut suite = String::new();
    let mut current: Option<(String, XmlCase)> = None;
    let mut in_element = String::new();
    loop {
        match reader.read_event().expect("well-formed junit.xml") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testsuites" => {
                for a in [
                    "name",
                    "tests",
                    "failures",
                    "errors",
                    "skipped",
                    "uuid",
                    "timestamp",
                ] {
                    if let Some(v) = attr(&e, a) {
                        root.insert(a.to_string(), v);
                    }
                }
            }
            Event::Start(e) if e.name().as_ref() == b"testsuite" => {
                suite = attr(&e, "name").expect("suite name");
            }
            ev @ (Event::Start(_) | Event::Empty(_)) => {
                let (e, empty) = match &ev {
                    Event::Start(e) => (e, false),
                    Event::Empty(e) => (e, true),
                    _ => unreachable!("matched above"),
                };
                let name = String::from_utf8(e.name().as_ref().to_vec()).expect("utf8");
                match name.as_str() {
                    "testcase" => {
                        let case = XmlCase {
                            suite: suite.clone(),
                            classname: attr(e, "classname").unwrap_or_default(),
                            status: "pass".to_string(),
                            message: String::new(),
                            body: String::new(),
                            system_out: String::new(),
                        };
                        let id = attr(e, "name").expect("case name");
                        if empty {
                            assert!(cases.insert(id.clone(), case).is_none(), "{id} twice");
                        } else {
                            current = Some((id, case));
                        }
                    }
                    "failure" | "error" | "skipped" => {
                        let (_, c) = current.as_mut().expect("inside a testcase");
                        c.status = name.clone();
                        c.message = attr(e, "message").unwrap_or_default();
                        in_element = name;
                    }
                    "system-out" => in_element = name,
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, c)) = current.as_mut() {
                    let text = t.xml10_content().expect("text").into_owned();
                    match in_element.as_str() {
                        "failure" | "error" | "skipped" => c.body.push_str(&text),
                        "system-out" => c.system_out.push_str(&text),
                        _ => {}
                    }
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, c)) = current.as_mut() {
                    let name = String::from_utf8(r.to_vec()).expect("utf8");
                    let resolved = r.resolve_char_ref().expect("char ref").map(String::from);
                    let ch = match (name.as_str(), resolved) {
                        (_, Some(c)) => c,
                        ("lt", None) => "<".to_string(),
                        ("gt", None) => ">".to_string(),
                        ("amp", None) => "&".to_string(),
                        ("quot", None) => "\"".to_string(),
                        ("apos", None) => "'".to_string(),
                        (other, None) => panic!("unexpected entity {other}"),
                    };
                    let ch = ch.as_str();
                    match in_element.as_str() {
                        "failure" | "error" | "skipped" => c.body.push_str(ch),
                        "system-out" => c.system_out.push_str(ch),
                        _ => {}
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"testcase" => {
                    let (id, c) = current.take().expect("open testcase");
                    assert!(cases.insert(id.clone(), c).is_none(), "{id} twice");
                }
                b"failure" | b"error" | b"skipped" | b"system-out" => in_element.clear(),
                _ => {}
            },
            _ => {}
        }
    }
    (cases, root)
}

fn junit_of(summary: &RunSummary, name: &str) -> String {
    let dir = fixtures::temp_dir(name);
    let w = konform::report::write_all(summary, &dir).expect("write");
    std::fs::read_to_string(w.junit_xml).expect("read junit.xml")
}

#[test]
fn every_case_is_in_the_xml_and_every_xml_case_was_run() {
    let summary = fixtures::summary();
    let xml = junit_of(&summary, "junit-both-ways");
    let (xml_cases, root) = parse(&xml);

    for case in &summary.cases {
        let x = xml_cases
            .get(&case.id)
            .unwrap_or_else(|| panic!("{} missing from junit.xml", case.id));
        let suite = format!("{}.{}", case.service, case.method);
        assert_eq!(x.suite, suite, "{}", case.id);
        assert_eq!(x.classname, suite, "{}", case.id);
        let expected_status = match &case.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail { .. } => "failure",
            Verdict::Error { .. } => "error",
            Verdict::NotApplicable { .. } => "skipped",
            Verdict::Inconclusive { .. } => "failure",
        };
        assert_eq!(x.status, expected_status, "{}", case.id);
        if let Some(reason) = case.verdict.reason() {
            assert_eq!(x.message, reason, "{}", case.id);
        }
        // The request and response of a case that did not pass are in system-out; a pass's
        // are in summary.json only.
        let last = case.exchanges.last().expect("an exchange");
        assert_eq!(
            x.system_out.contains(&last.request.url),
            !matches!(case.verdict, Verdict::Pass),
            "{}",
            case.id
        );
    }
    for id in xml_cases.keys() {
        assert!(
            summary.cases.iter().any(|c| &c.id == id),
            "junit.xml has {id}, which the run did not have"
        );
    }
    assert_eq!(xml_cases.len(), summary.cases.len());
    assert_eq!(root["name"], "konform");
    assert_eq!(root["tests"], "7");
    assert_eq!(root["failures"], "1");
    assert_eq!(root["errors"], "1");
    assert_eq!(root["skipped"], "1");
    assert_eq!(root["uuid"], fixtures::RUN_ID);
}

#[test]
fn a_failure_shows_expected_beside_actual_and_the_exchange() {
    let xml = junit_of(&fixtures::summary(), "junit-failure");
    let (cases, _) = parse(&xml);
    let fail = &cases["CreatePersonInterview.date-more-than-7-days-old"];
    assert!(fail.body.contains("expected  error 4653"), "{}", fail.body);
    assert!(
        fail.body.contains("actual    success (HTTP 200)"),
        "{}",
        fail.body
    );
    // The setup exchange and the case's request, the response body as text.
    assert!(fail.system_out.contains("(setup)") && fail.system_out.contains("(request)"));
    assert!(fail.system_out.contains("<script>alert('owned')</script>"));
    let error = &cases["CreatePersonInterview.target-down"];
    assert!(
        error.body.contains("no answer: connection refused"),
        "{}",
        error.body
    );
    assert!(error.system_out.contains("(no response)"));
    let skipped = &cases["GetFlytning.needs-a-move-flow"];
    assert_eq!(
        skipped.message,
        "the target cannot establish a move flow (422: no moves)"
    );
}

#[test]
fn junit_snapshot() {
    let xml = junit_of(&fixtures::summary(), "junit-snapshot");
    insta::with_settings!({filters => crate::report::redactions()}, {
        insta::assert_snapshot!("junit", xml);
    });
}

#[test]
fn a_failure_cites_its_grounds_and_an_incomplete_method_fails_its_evidence_case() {
    let xml = junit_of(&fixtures::with_coverage(), "junit-grounds");
    let (cases, root) = parse(&xml);
    let fail = &cases["CreatePersonInterview.date-more-than-7-days-old"];
    assert!(
        fail.body.contains(
            "grounds   001_87d7a0a3447f30f0.txt:2417 \"4653 | The interview date is too old | \
             The interview date is too old\""
        ),
        "{}",
        fail.body
    );
    // CreateYdelse passed every case it ran, but 4669 and a rule have no passing case: the
    // suite is not green.
    let evidence = &cases[konform::report::junit::EVIDENCE_CASE];
    assert_eq!(
        evidence.suite,
        "VisiteringOgStatus.YdelsesVisiteringService.CreateYdelse"
    );
    assert_eq!(evidence.status, "failure");
    assert_eq!(
        evidence.message,
        "incomplete: 1 of 2 codes evidenced, 0 of 1 rules evidenced"
    );
    assert!(
        evidence
            .body
            .contains("missing codes 4669; missing rules CreateYdelse.kth-lovhenvisning"),
        "{}",
        evidence.body
    );
    assert_eq!(
        root["failures"], "2",
        "the case's failure and the evidence case"
    );
    // A conformant run has no evidence case.
    let (plain, _) = parse(&junit_of(&fixtures::summary(), "junit-no-evidence"));
    assert!(!plain.contains_key(konform::report::junit::EVIDENCE_CASE));
}
