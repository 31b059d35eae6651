//! `junit.xml`: the run for CI, written with quick-junit. The main function here is
//! [`render`]. One `<testsuite>` per method, named `Service.Method`; one `<testcase>` per case,
//! named by the case id, classname `Service.Method`. A wrong answer is a `<failure>` with the
//! expectation beside the answer, a case that could not run is an `<error>`, a case whose
//! preconditions the target cannot establish is `<skipped>` with the reason. A failure's body
//! cites the grounds its expectation rests on (`grounds:  doc:line "text"`). A method that is
//! incomplete (a documented code or rule without a passing case) gets one more test case,
//! [`EVIDENCE_CASE`], failing with type `incomplete`, so CI never shows it green. The exchanges
//! of every case that did not pass go to its `<system-out>` (a pass's are in summary.json).
//!
//! ```xml
//! <testsuites name="konform" tests="2" skipped="0" failures="1" errors="0" …>
//!     <testsuite name="InterviewService.CreatePersonInterview" tests="2" failures="1" …>
//!         <testcase name="CreatePersonInterview.date-too-old" classname="InterviewService.CreatePersonInterview" time="0.012">
//!             <failure message="expected error 4653, got success (HTTP 200)" type="fail">expected: error 4653
//! actual:   success (HTTP 200)</failure>
//!             <system-out>--- 1 (request) ---
//! POST http://127.0.0.1:PORT/…</system-out>
//!         </testcase>
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::ReportError;
use super::text;
use crate::run::result::{CaseResult, MethodSummary, MethodVerdict, RunSummary, Verdict};

/// The file name inside a report folder.
pub const FILE_NAME: &str = "junit.xml";

/// The name of the extra test case an incomplete method's suite holds; case ids always hold a
/// dot (`<Method>.<slug>`), so it never clashes with one.
pub const EVIDENCE_CASE: &str = "evidence";

/// The JUnit XML of a summary that already went through the redactor.
pub fn render(summary: &RunSummary) -> Result<String, ReportError> {
    let mut report = Report::new("konform");
    if let Ok(uuid) = uuid::Uuid::parse_str(&summary.run_id) {
        report.set_uuid(uuid);
    }
    if let Ok(started) = chrono::DateTime::parse_from_rfc3339(&summary.started) {
        report.set_timestamp(started);
    }
    if let Some(ms) = text::elapsed_ms(&summary.started, &summary.finished) {
        report.set_time(millis(ms));
    }

    // Suites in the summary's method order; cases grouped by method even if a hand-made
    // summary left them unsorted.
    let mut by_method: BTreeMap<(&str, &str), Vec<&CaseResult>> = BTreeMap::new();
    for case in &summary.cases {
        by_method
            .entry((case.service.as_str(), case.method.as_str()))
            .or_default()
            .push(case);
    }
    let mut order: Vec<(&str, &str)> = summary
        .methods
        .iter()
        .map(|m| (m.service.as_str(), m.method.as_str()))
        .filter(|k| by_method.contains_key(k))
        .collect();
    for key in by_method.keys() {
        if !order.contains(key) {
            order.push(*key);
        }
    }

    for key in order {
        let cases = &by_method[&key];
        let suite_name = format!("{}.{}", key.0, key.1);
        let mut suite = TestSuite::new(suite_name.as_str());
        let method = summary
            .methods
            .iter()
            .find(|m| m.service == key.0 && m.method == key.1);
        if let Some(m) = method {
            suite.add_property(Property::new(
                "verdict",
                text::method_verdict_label(m.verdict),
            ));
            if let Some(e) = &m.evidence {
                suite.add_property(Property::new("evidence", e.share()));
            }
        }
        suite.add_property(Property::new("target", summary.target.as_str()));
        suite.set_time(millis(cases.iter().map(|c| c.duration_ms).sum()));
        for case in cases {
            suite.add_test_case(test_case(case, &suite_name));
        }
        if let Some(tc) = method.and_then(|m| evidence_case(m, &suite_name)) {
            suite.add_test_case(tc);
        }
        report.add_test_suite(suite);
    }

    report.to_string().map_err(|e| ReportError::Junit {
        message: e.to_string(),
    })
}

fn test_case(case: &CaseResult, classname: &str) -> TestCase {
    let status = match &case.verdict {
        Verdict::Pass => TestCaseStatus::success(),
        Verdict::Fail { reason } => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(reason.as_str())
                .set_type("fail")
                .set_description(text::details_text(case, text::Detail::Full, ""));
            s
        }
        Verdict::Error { reason } => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            s.set_message(reason.as_str())
                .set_type("error")
                .set_description(text::details_text(case, text::Detail::Full, ""));
            s
        }
        Verdict::NotApplicable { reason } => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(reason.as_str()).set_type("not-applicable");
            s
        }
        // Never green: the implementation statement has to declare the reading.
        Verdict::Inconclusive {
            reason,
            reading,
            alternative,
        } => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(reason.as_str())
                .set_type("inconclusive")
                .set_description(format!(
                    "inconclusive: passes under {reading}: {alternative}, which the implementation statement does not declare\n{}",
                    text::details_text(case, text::Detail::Full, "")
                ));
            s
        }
    };
    let mut tc = TestCase::new(case.id.as_str(), status);
    tc.set_classname(classname);
    tc.set_time(millis(case.duration_ms));
    tc.add_property(Property::new("title", case.title.as_str()));
    tc.add_property(Property::new("expected", case.expected.as_str()));
    tc.add_property(Property::new("origin", case.origin.as_str()));
    if let Some(caller) = &case.caller {
        tc.add_property(Property::new("caller", caller.to_string()));
    }
    if let Some(r) = &case.reproduce {
        tc.add_property(Property::new("rerun", r.konform.as_str()));
    }
    if !case.covers.codes.is_empty() {
        let codes: Vec<String> = case.covers.codes.iter().map(u32::to_string).collect();
        tc.add_property(Property::new("covers.codes", codes.join(",")));
    }
    if !case.covers.rules.is_empty() {
        tc.add_property(Property::new("covers.rules", case.covers.rules.join(",")));
    }
    if !case.assumes.is_empty() {
        tc.add_property(Property::new("assumes", case.assumes.join(",")));
    }
    if case.generated {
        tc.add_property(Property::new("generated", "true"));
    }
    // A pass's exchanges are in summary.json: CI reads the ones of what did not pass, and
    // the file stays proportionate to the failures, not to the corpus.
    if !case.exchanges.is_empty() && !matches!(case.verdict, Verdict::Pass) {
        tc.set_system_out(text::exchanges(&case.exchanges));
    }
    tc
}

/// The test case that keeps an incomplete method from showing green in CI: a failure of type
/// `incomplete` named [`EVIDENCE_CASE`], with the share reached and what is missing.
fn evidence_case(m: &MethodSummary, classname: &str) -> Option<TestCase> {
    let e = m.evidence.as_ref()?;
    let missing = match m.verdict {
        MethodVerdict::Incomplete | MethodVerdict::NotApplicable => !e.is_complete(),
        MethodVerdict::Conformant | MethodVerdict::NotConformant | MethodVerdict::Inconclusive => {
            false
        }
    };
    if !missing {
        return None;
    }
    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
    s.set_message(format!("incomplete: {}", e.share()))
        .set_type("incomplete")
        .set_description(format!(
            "no \"conformant\" without evidence: {}\n{}",
            e.share(),
            e.missing()
        ));
    let mut tc = TestCase::new(EVIDENCE_CASE, s);
    tc.set_classname(classname);
    Some(tc)
}

fn millis(ms: f64) -> Duration {
    if ms.is_finite() && ms > 0.0 {
        // A report from elsewhere may say anything (`duration_ms: 1e308`): saturate.
        Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX)
    } else {
        Duration::ZERO
    }
}
