//! `--retries N`: a case is tried again only while the target cannot be reached (connection
//! refused or broken before an answer), never after a wrong answer, and a retried case says
//! how often it was sent (`attempts`).

use std::sync::atomic::Ordering;

use crate::robust::misbehaving::Misbehaving;
use crate::robust::support::{self, case, rest_case};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_is_retried_and_then_an_error() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = support::temp_dir("refused");
    let profile = support::write_profile(&dir, &format!("http://127.0.0.1:{port}"), "");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    args.extend(["--retries", "2"].map(String::from));
    let output = support::run(args).await;
    assert_eq!(output.status.code(), Some(1));
    let summary = support::summary(&out);
    let c = case(&summary, "CreateThing.ok");
    assert_eq!(c["verdict"], "error");
    assert_eq!(c["outcome"]["failure"], "refused");
    assert_eq!(c["attempts"], 3);
    let reason = c["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("connection refused: ") && reason.ends_with(" (after 3 attempts)"),
        "{reason}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_broken_once_passes_on_the_second_attempt_and_is_marked() {
    let server = Misbehaving::start().await;
    let dir = support::temp_dir("flaky");
    let profile = support::write_profile(&dir, &server.base_url(), "");
    let cases = support::write_cases(&dir, &rest_case("flaky"), "");
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    args.extend(["--retries", "3"].map(String::from));
    let output = support::run(args).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let summary = support::summary(&out);
    let c = case(&summary, "CreateThing.flaky");
    assert_eq!(c["verdict"], "pass");
    assert_eq!(c["attempts"], 2);
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
    // Both attempts' requests are in the report, and the log names the retry.
    assert_eq!(c["exchanges"].as_array().unwrap().len(), 2);
    assert!(
        stderr.contains("PASS  CreateThing.flaky (after 2 attempts)"),
        "{stderr}"
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("2 attempts"),
        "the HTML report marks the retry"
    );

    // Without --retries the same break is an error at once.
    let server = Misbehaving::start().await;
    let profile = support::write_profile(&dir, &server.base_url(), "");
    let out = dir.join("report-no-retries");
    let output = support::run(support::run_args(&profile, &cases, &out)).await;
    assert_eq!(output.status.code(), Some(1));
    let summary = support::summary(&out);
    let c = case(&summary, "CreateThing.flaky");
    assert_eq!(c["verdict"], "error");
    assert_eq!(c["outcome"]["failure"], "reset");
    assert_eq!(c["attempts"], 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_answer_is_never_retried() {
    let server = Misbehaving::start().await;
    let dir = support::temp_dir("wrong");
    let profile = support::write_profile(&dir, &server.base_url(), "");
    let cases = support::write_cases(
        &dir,
        r#"- id: CreateThing.wrong-code
  title: the target answers the wrong code
  when:
    headers: { x-requestId: "behaviour=wrong-code" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}", slutdato: "${today-1d}" }
  then: { error: 4669 }
"#,
        "",
    );
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    args.extend(["--retries", "3"].map(String::from));
    let output = support::run(args).await;
    assert_eq!(output.status.code(), Some(1));
    let summary = support::summary(&out);
    let c = case(&summary, "CreateThing.wrong-code");
    assert_eq!(c["verdict"], "fail");
    assert_eq!(c["attempts"], 1);
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
