//! The robustness matrix end to end: one `konform run` against a target that misbehaves in
//! every way at once. Each case ends in error with its own clear reason, the run completes and
//! writes its reports, and the 50 MB answer is never read whole.

use std::sync::atomic::Ordering;

use crate::robust::misbehaving::{FIFTY_MB, Misbehaving};
use crate::robust::support::{self, case, rest_case, soap_case};

/// Case id, outcome failure kind (or `http-status`), what the reason must say.
const MATRIX: &[(&str, &str, &str)] = &[
    (
        "CreateThing.hang",
        "timeout",
        "timeout: no answer within 1 s",
    ),
    (
        "CreateThing.drip",
        "timeout",
        "timeout: no answer within 1 s",
    ),
    (
        "CreateThing.reset",
        "reset",
        "connection reset: the connection broke mid-answer",
    ),
    (
        "CreateThing.html500",
        "http-status",
        "the target failed: HTTP 500 without a DFDG error (`<html><head><title>500 Internal Server Error",
    ),
    (
        "CreateThing.badjson",
        "unparsable",
        "unreadable answer: HTTP 200 with a body that is not JSON",
    ),
    (
        "CreateThing.wrongtype",
        "unparsable",
        "unreadable answer: HTTP 200 with content type `text/html` where JSON was due: <html><body>Down for maintenance",
    ),
    (
        "CreateThing.huge",
        "too-large",
        "answer too large: the answer is larger than the limit of 10485760 bytes",
    ),
    (
        "CreateThing.huge-declared",
        "too-large",
        "answer too large: the answer declares 52428800 bytes, more than the limit of 10485760 bytes",
    ),
    (
        "CreateMeeting.badxml",
        "unparsable",
        "unreadable answer: HTTP 200 with an unreadable SOAP answer: invalid XML",
    ),
    (
        "CreateMeeting.nocode",
        "unparsable",
        "unreadable answer: a SOAP fault without a numeric code: faultcode `soap:Server`, faultstring `Object reference not set",
    ),
    (
        "CreateMeeting.xxe",
        "unparsable",
        "unreadable answer: HTTP 200 with an unreadable SOAP answer: DTDs are refused",
    ),
    (
        "CreateMeeting.laughs",
        "unparsable",
        "unreadable answer: HTTP 200 with an unreadable SOAP answer: DTDs are refused",
    ),
    (
        "CreateMeeting.soap-html500",
        "unparsable",
        "unreadable answer: HTTP 500 with content type `text/html` where a SOAP envelope was due",
    ),
    (
        "CreateMeeting.soap-json",
        "unparsable",
        "unreadable answer: HTTP 200 with content type `application/json` where a SOAP envelope was due",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_misbehaviour_is_an_error_with_its_reason_and_the_run_writes_its_reports() {
    let server = Misbehaving::start().await;
    let dir = support::temp_dir("matrix");
    let profile = support::write_profile(&dir, &server.base_url(), "");
    let (mut rest, mut soap) = (String::new(), String::new());
    for (id, _, _) in MATRIX {
        let (method, behaviour) = id.split_once('.').unwrap();
        match method {
            "CreateThing" => rest.push_str(&rest_case(behaviour)),
            _ => soap.push_str(&soap_case(behaviour)),
        }
    }
    let cases = support::write_cases(&dir, &rest, &soap);
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    args.extend(["--timeout", "1", "--jobs", "16"].map(String::from));
    let started = std::time::Instant::now();
    let output = support::run(args).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    // Every case ran at once: the hang and the drip cost one timeout, not the run.
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());

    let summary = support::summary(&out);
    assert_eq!(summary["complete"], true);
    assert_eq!(summary["totals"]["error"], MATRIX.len(), "{stdout}");
    let mut wrong = Vec::new();
    for (id, kind, reason) in MATRIX {
        let c = case(&summary, id);
        let got_reason = c["reason"].as_str().unwrap_or("");
        let got_kind = c["outcome"]["failure"]
            .as_str()
            .or(c["outcome"]["kind"].as_str())
            .unwrap_or("none");
        if c["verdict"] != "error" || got_kind != *kind || !got_reason.starts_with(reason) {
            wrong.push(format!(
                "{id}: {} / {got_kind} / {got_reason}\n   expected error / {kind} / {reason}",
                c["verdict"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    for file in ["junit.xml", "index.html"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(text.contains("CreateThing.huge-declared"), "{file}");
    }
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert_eq!(junit.matches("<error").count(), MATRIX.len(), "{junit}");
    // The 50 MB answer was cut off at the limit: the target could not even write half of it.
    let written = server.huge_written.load(Ordering::SeqCst);
    assert!(
        written < FIFTY_MB / 2,
        "the client read {written} bytes of a 50 MB answer"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
