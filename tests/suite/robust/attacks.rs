//! Attacks from issue 16, one test (or more) per item, each against the [`Hostile`] target
//! or with a hostile file: no secret leaves, no panic, no hang, every run leaves a report.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::robust::hostile::{Answer, Hostile, Request, assert_nowhere, outputs, text};
use crate::robust::support::{self, konform, rest_case, soap_case};

const OK_JSON: &str =
    r#"{"thingIdentifier":"6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10","startdato":"2026-11-24"}"#;
const SECRET_ENV: &str = "KONFORM_HOSTILE_SECRET";

/// A profile calling `base` with OAuth2 (`/token` on the same host unless `token_url` says
/// otherwise) plus `extra` lines.
fn oauth_profile(dir: &Path, base: &str, oauth: &str, extra: &str) -> PathBuf {
    support::write_profile(
        dir,
        base,
        &format!(
            "auth:\n  oauth2: {{ token_url: /token, client_secret_env: {SECRET_ENV}{oauth} }}\n{extra}"
        ),
    )
}

/// Runs with these arguments and environment variables.
async fn run_with(args: Vec<String>, env: Vec<(&'static str, String)>) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut c = konform();
        c.args(&args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("konform runs")
    })
    .await
    .unwrap()
}

fn no_panic(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{}", text(output));
    assert_ne!(output.status.code(), Some(101), "{}", text(output));
}

// 1. Client secret sent to another host.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_endpoint_redirect_is_never_followed() {
    const SECRET: &str = "cs-redirect-never-sent-elsewhere-71";
    let elsewhere = Hostile::start(|_| Answer::token("stolen-token-0001", "3600")).await;
    for status in [307, 308, 302] {
        let to = format!("{}/collect", elsewhere.url());
        let target = Hostile::start(move |r: &Request| {
            if r.path.starts_with("/token") {
                Answer::redirect(status, &to)
            } else {
                Answer::json(200, OK_JSON)
            }
        })
        .await;
        let dir = support::temp_dir("token-redirect");
        let profile = oauth_profile(&dir, &target.url(), "", "");
        let cases = support::write_cases(&dir, &rest_case("ok"), "");
        let out = dir.join("report");
        let output = run_with(
            support::run_args(&profile, &cases, &out),
            vec![(SECRET_ENV, SECRET.to_string())],
        )
        .await;
        assert_eq!(output.status.code(), Some(1), "{}", text(&output));
        assert!(elsewhere.received().is_empty(), "the other host was asked");
        let summary = support::summary(&out);
        let case = support::case(&summary, "CreateThing.ok");
        assert_eq!(case["verdict"], "error");
        let reason = case["reason"].as_str().unwrap();
        assert!(
            reason.contains(&format!("redirected role `jobcenter` (HTTP {status})"))
                && reason.contains("never follows"),
            "{reason}"
        );
        assert_nowhere(&outputs(&output, &out), &[("client secret", SECRET)]);
    }
}

// 2. Client secret printed with `client_auth: basic`; credentials form-encoded first.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_credentials_are_form_encoded_and_never_printed() {
    const SECRET: &str = "s3cr:t&x y+ø";
    let target = Hostile::start(|r: &Request| {
        if r.path.starts_with("/token") {
            let auth = r.header("authorization").unwrap_or_default();
            let b64 = auth.trim_start_matches("Basic ").to_string();
            Answer::json(
                401,
                format!(
                    r#"{{"error":"invalid_client","error_description":"you sent {auth}; credentials {b64}"}}"#
                ),
            )
        } else {
            Answer::json(200, OK_JSON)
        }
    })
    .await;
    let dir = support::temp_dir("basic");
    let profile = oauth_profile(&dir, &target.url(), ", client_auth: basic", "");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let output = run_with(
        support::run_args(&profile, &cases, &out),
        vec![(SECRET_ENV, SECRET.to_string())],
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let token_request = target
        .received()
        .into_iter()
        .find(|r| r.path.starts_with("/token"))
        .expect("a token request");
    assert_eq!(token_request.method, "POST");
    let sent = token_request.header("authorization").unwrap();
    // base64("JobCenter%3A10101:s3cr%3At%26x+y%2B%C3%B8"), RFC 6749 §2.3.1.
    let expected = "Basic Sm9iQ2VudGVyJTNBMTAxMDE6czNjciUzQXQlMjZ4K3klMkIlQzMlQjg=";
    assert_eq!(sent, expected);
    let summary = support::summary(&out);
    assert_eq!(
        support::case(&summary, "CreateThing.ok")["verdict"],
        "error"
    );
    assert_nowhere(
        &outputs(&output, &out),
        &[
            ("client secret", SECRET),
            ("Basic credentials", expected.trim_start_matches("Basic ")),
        ],
    );
}

// 3. The case timeout bounds parsing: a namespace bomb is read in linear time.

fn namespace_bomb() -> String {
    let mut xml = String::from(
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>"#,
    );
    for level in 0..60 {
        xml.push_str(&format!("<l{level}"));
        for p in 0..2000 {
            xml.push_str(&format!(" xmlns:p{p}=\"urn:{level}\""));
        }
        xml.push('>');
    }
    xml.push_str(&"<p1:a/>".repeat(60_000));
    for level in (0..60).rev() {
        xml.push_str(&format!("</l{level}>"));
    }
    xml.push_str("</soap:Body></soap:Envelope>");
    xml
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_bomb_is_read_within_the_case_timeout() {
    let bomb = namespace_bomb();
    assert!(bomb.len() > 2_000_000, "{}", bomb.len());
    let target = Hostile::start(move |_| Answer::xml(200, bomb.clone())).await;
    let dir = support::temp_dir("ns-bomb");
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(&dir, "", &soap_case("bomb"));
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    args.extend(["--timeout", "5"].map(String::from));
    let started = Instant::now();
    let output = run_with(args, vec![]).await;
    // Before: minutes in the quadratic lookup, past any timeout.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    no_panic(&output);
    let summary = support::summary(&out);
    assert_ne!(
        support::case(&summary, "CreateMeeting.bomb")["verdict"],
        "pass"
    );
}

// 4. Terminal escape injection: run, diff and merge print no control characters.

fn assert_no_controls(name: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        assert!(
            !(c.is_control() && c != '\n' && c != '\t'),
            "{name} holds the control character {:?}:\n{text}",
            c
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escape_sequences_from_a_target_never_reach_the_terminal() {
    let evil = r#"{"errors":[{"code":9393,"text":"\u001b]0;owned\u0007\u001b[2J\rok\u009b31m"}]}"#;
    let target = Hostile::start(move |_| Answer::json(400, evil)).await;
    let dir = support::temp_dir("escapes");
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(&dir, &rest_case("escape"), "");
    let out = dir.join("report");
    let output = run_with(support::run_args(&profile, &cases, &out), vec![]).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("\\x1b]0;owned\\x07"),
        "{}",
        text(&output)
    );
    assert_no_controls("run stdout", &output.stdout);
    assert_no_controls("run stderr", &output.stderr);
    // The JSON report keeps the text, escaped as JSON does.
    let summary = support::summary(&out);
    assert!(summary.to_string().contains("owned"));

    let diff = run_with(
        vec![
            "diff".into(),
            out.display().to_string(),
            out.display().to_string(),
        ],
        vec![],
    )
    .await;
    no_panic(&diff);
    assert_no_controls("diff stdout", &diff.stdout);
    let merged = dir.join("merged");
    let merge = run_with(
        vec![
            "merge".into(),
            out.display().to_string(),
            "--out".into(),
            merged.display().to_string(),
        ],
        vec![],
    )
    .await;
    no_panic(&merge);
    assert_no_controls("merge stdout", &merge.stdout);
    assert_no_controls("merge stderr", &merge.stderr);
}

// 5. A secret that is a common word keeps summary.json readable.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_that_is_a_common_word_leaves_the_reports_readable() {
    let target = Hostile::start(|r: &Request| {
        if r.path.starts_with("/token") {
            Answer::token("tok-7Hq2-common-word-run", "3600")
        } else {
            Answer::json(200, OK_JSON)
        }
    })
    .await;
    let dir = support::temp_dir("common-word");
    let profile = oauth_profile(&dir, &target.url(), "", "");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let output = run_with(
        support::run_args(&profile, &cases, &out),
        vec![(SECRET_ENV, "pass".to_string())],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let summary = support::summary(&out);
    assert_eq!(summary["totals"]["pass"], 1, "{summary:#}");
    assert_eq!(support::case(&summary, "CreateThing.ok")["verdict"], "pass");
    for command in ["diff", "merge"] {
        let mut args = vec![command.to_string(), out.display().to_string()];
        if command == "diff" {
            args.push(out.display().to_string());
        } else {
            // The one-case run is incomplete by design; only a failure may fail it.
            args.extend([
                "--out".into(),
                dir.join("merged").display().to_string(),
                "--allow-incomplete".into(),
            ]);
        }
        let o = run_with(args, vec![]).await;
        assert_eq!(o.status.code(), Some(0), "{command}: {}", text(&o));
    }
}

// 6. One size budget per case: 250,000 errors stay bounded.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quarter_million_errors_keep_the_summary_small() {
    let mut fault = String::from(
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>x</faultstring><detail><Errors>"#,
    );
    fault.push_str(&"<Error><Code>9393</Code></Error>".repeat(250_000));
    fault.push_str("</Errors></detail></soap:Fault></soap:Body></soap:Envelope>");
    let target = Hostile::start(move |_| Answer::xml(500, fault.clone())).await;
    let dir = support::temp_dir("many-errors");
    let profile = support::write_profile(&dir, &target.url(), "max_response_bytes: 16777216\n");
    let soap: String = (0..3).map(|i| soap_case(&format!("many{i}"))).collect();
    let cases = support::write_cases(&dir, "", &soap);
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    // Reading 250,000 elements takes seconds in a debug build on a shared machine.
    args.extend(["--timeout", "300"].map(String::from));
    let output = run_with(args, vec![]).await;
    no_panic(&output);
    let size = std::fs::metadata(out.join("summary.json")).unwrap().len();
    assert!(size < 2 * 1024 * 1024, "summary.json is {size} bytes");
    let summary = support::summary(&out);
    let case = support::case(&summary, "CreateMeeting.many0");
    assert!(case["outcome"]["errors"].is_array(), "{case:#}");
    assert_eq!(case["outcome"]["errors"].as_array().unwrap().len(), 100);
    assert_eq!(case["trimmed"][0], "errors: the first 100 of 250000 kept");
}

// 7. Arithmetic overflow: errors, never panics.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_token_lifetime_is_no_panic() {
    let target = Hostile::start(|r: &Request| {
        if r.path.starts_with("/token") {
            Answer::token("tok-forever-0001", "18446744073709551615")
        } else {
            Answer::json(200, OK_JSON)
        }
    })
    .await;
    let dir = support::temp_dir("expires-in");
    let profile = oauth_profile(&dir, &target.url(), "", "");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let output = run_with(
        support::run_args(&profile, &cases, &out),
        vec![(SECRET_ENV, "a-secret-value".to_string())],
    )
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[test]
fn huge_time_offsets_are_lint_errors() {
    let dir = support::temp_dir("huge-times");
    let case = r#"- id: CreateThing.far
  title: far in the future
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today+9999999999999d}" }
  then: { success: true }
- id: CreateThing.far-clock
  title: a clock far away
  given: { clock: "now+99999999999999999s" }
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { success: true }
"#;
    let cases = support::write_cases(&dir, case, "");
    let output = konform()
        .args(["lint", "--specs", "tests/data/specs", "--cases"])
        .arg(&cases)
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("today+9999999999999d"), "{stderr}");
    assert!(stderr.contains("now+99999999999999999s"), "{stderr}");
}

#[test]
fn a_huge_timeout_is_bad_input() {
    for value in ["1e20", "inf", "NaN", "0"] {
        let output = konform()
            .args([
                "run",
                "--specs",
                "tests/data/specs",
                "--cases",
                "tests/data/cases_ok",
                "--timeout",
                value,
            ])
            .output()
            .unwrap();
        no_panic(&output);
        assert_eq!(output.status.code(), Some(2), "{value}: {}", text(&output));
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("--timeout"),
            "{}",
            text(&output)
        );
    }
}

/// A finished run of one passing case, its report folder.
async fn passing_run(name: &str) -> (Hostile, PathBuf) {
    let target = Hostile::start(|_| Answer::json(200, OK_JSON)).await;
    let dir = support::temp_dir(name);
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let output = run_with(support::run_args(&profile, &cases, &out), vec![]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    (target, out)
}

fn edit_summary(out: &Path, edit: impl Fn(&mut Value)) -> PathBuf {
    let mut summary = support::summary(out);
    edit(&mut summary);
    let file = out.with_extension("edited.json");
    std::fs::write(&file, summary.to_string()).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merging_an_absurd_duration_is_no_panic() {
    let (_target, out) = passing_run("merge-duration").await;
    let text_of = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let edited = regex::Regex::new(r#""duration_ms": [0-9.e+-]+"#)
        .unwrap()
        .replace_all(&text_of, r#""duration_ms": 1e308"#)
        .into_owned();
    let file = out.with_extension("huge.json");
    std::fs::write(&file, edited).unwrap();
    let merged = out.with_extension("merged");
    let output = run_with(
        vec![
            "merge".into(),
            file.display().to_string(),
            "--out".into(),
            merged.display().to_string(),
        ],
        vec![],
    )
    .await;
    no_panic(&output);
    assert!(merged.join("junit.xml").exists(), "{}", text(&output));
}

// 8. SIGTERM writes the reports; a closed stdout neither panics nor loses them.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_writes_a_partial_report_and_merge_exits_like_run() {
    let hanging = std::sync::Arc::new(tokio::sync::Notify::new());
    let h = hanging.clone();
    let target = Hostile::start(move |r: &Request| {
        if r.text().contains("behaviour=hang") {
            h.notify_one();
            Answer::Hang
        } else {
            Answer::json(200, OK_JSON)
        }
    })
    .await;
    let dir = support::temp_dir("sigterm");
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(
        &dir,
        &format!("{}{}", rest_case("ok"), rest_case("hang")),
        "",
    );
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    args.extend(["--jobs", "1", "--timeout", "600"].map(String::from));
    let child = konform()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    hanging.notified().await;
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("interrupted (SIGTERM)"),
        "{}",
        text(&output)
    );
    let summary = support::summary(&out);
    assert_eq!(summary["complete"], false);
    assert!(out.join("junit.xml").exists() && out.join("index.html").exists());

    // 9. Merging the interrupted shard exits 1, as the run did.
    let merged = dir.join("merged");
    let merge = run_with(
        vec![
            "merge".into(),
            out.display().to_string(),
            "--out".into(),
            merged.display().to_string(),
        ],
        vec![],
    )
    .await;
    assert_eq!(merge.status.code(), Some(1), "{}", text(&merge));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merge_of_an_all_not_applicable_shard_exits_one() {
    let (_target, out) = passing_run("merge-na").await;
    let file = edit_summary(&out, |s| {
        for case in s["cases"].as_array_mut().unwrap() {
            case["verdict"] = "not-applicable".into();
            case["reason"] = "no way to establish the state".into();
        }
    });
    let merged = out.with_extension("merged");
    let output = run_with(
        vec![
            "merge".into(),
            file.display().to_string(),
            "--out".into(),
            merged.display().to_string(),
        ],
        vec![],
    )
    .await;
    // Nothing failed, but nothing is evidenced either: not applicable is missing evidence,
    // exit 3 (never 0).
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_stdout_neither_panics_nor_loses_the_reports() {
    let target = Hostile::start(|_| Answer::json(200, OK_JSON)).await;
    let dir = support::temp_dir("closed-stdout");
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let args = support::run_args(&profile, &cases, &out);
    let output = tokio::task::spawn_blocking(move || {
        let mut child = konform()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away at once (`konform run | head -0`).
        drop(child.stdout.take());
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(support::summary(&out)["complete"], true);
}

// 10. Symbolic link loops under --cases.

#[cfg(unix)]
#[test]
fn symlink_loops_under_cases_end_and_repeat_nothing() {
    let dir = support::temp_dir("symlinks");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let service = cases.join("TestRestService");
    std::os::unix::fs::symlink("..", service.join("up")).unwrap();
    std::os::unix::fs::symlink(".", service.join("here")).unwrap();
    std::os::unix::fs::symlink("TestRestService", cases.join("Again")).unwrap();
    let mut child = konform()
        .args(["lint", "--specs", "tests/data/specs", "--cases"])
        .arg(&cases)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("lint hangs on a symlink loop");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    no_panic(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("symbolic link loop"), "{stderr}");
    // The real folder is read, the link to it is the repeat.
    assert!(!stderr.contains("unknown service"), "{stderr}");
    assert!(
        !stderr.contains("duplicate"),
        "no case is read twice: {stderr}"
    );
}

// 11. CPR numbers in every form a target can echo.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cprs_echoed_in_any_form_are_masked() {
    let forms = [
        "0101904321",
        "010190 4321",
        "010190.4321",
        "010190/4321",
        "99010190432188",
        "01019043210101904321",
        "&#48;&#49;&#48;&#49;&#57;&#48;&#52;&#51;&#50;&#49;",
    ];
    let text_field = forms.join(" | ");
    let body = format!(
        r#"{{"errors":[{{"code":9393,"text":"{text_field} \u0030101904321"}}],"n":101904321}}"#
    );
    let target = Hostile::start(move |_| Answer::json(400, body.clone())).await;
    let dir = support::temp_dir("cpr-forms");
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(&dir, &rest_case("cpr"), "");
    let out = dir.join("report");
    let output = run_with(support::run_args(&profile, &cases, &out), vec![]).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let all = outputs(&output, &out);
    for (name, text) in &all {
        assert!(!text.contains("4321"), "{name} holds a CPR serial:\n{text}");
        assert!(
            !text.contains("&#52;&#51;&#50;&#49;"),
            "{name} holds an escaped CPR serial"
        );
    }
}

// 12. The smaller points.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_json_body_on_an_error_status_is_that_status() {
    let target = Hostile::start(|_| Answer::json(401, "")).await;
    let dir = support::temp_dir("empty-401");
    let profile = support::write_profile(&dir, &target.url(), "");
    let case = r#"- id: CreateThing.unauthorised
  title: an empty 401
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { by_reading: { reading: missing-token-status, expect: { rfc6750: { status: 401 }, "400": { status: 400 } } } }
"#;
    let cases = support::write_cases(&dir, case, "");
    let out = dir.join("report");
    let output = run_with(support::run_args(&profile, &cases, &out), vec![]).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_redirects_stay_on_the_target_and_show_the_real_url() {
    let elsewhere = Hostile::start(|_| Answer::json(200, OK_JSON)).await;
    let to = format!("{}/v1/thing", elsewhere.url());
    let target = Hostile::start(move |r: &Request| {
        if r.text().contains("behaviour=away") {
            Answer::redirect(307, &to)
        } else if r.path == "/v1/thing" {
            Answer::redirect(308, "/v2/thing")
        } else {
            Answer::json(200, OK_JSON)
        }
    })
    .await;
    let dir = support::temp_dir("api-redirect");
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(
        &dir,
        &format!("{}{}", rest_case("away"), rest_case("moved")),
        "",
    );
    let out = dir.join("report");
    let output = run_with(support::run_args(&profile, &cases, &out), vec![]).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        elsewhere.received().is_empty(),
        "the CPR went to another host"
    );
    let summary = support::summary(&out);
    let away = support::case(&summary, "CreateThing.away");
    assert_eq!(away["verdict"], "error");
    assert!(
        away["reason"].as_str().unwrap().contains("not followed"),
        "{away:#}"
    );
    let moved = support::case(&summary, "CreateThing.moved");
    assert_eq!(moved["verdict"], "pass", "{moved:#}");
    let urls: Vec<&str> = moved["exchanges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["request"]["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls.len(), 2, "{urls:?}");
    assert!(
        urls[0].ends_with("/v1/thing") && urls[1].ends_with("/v2/thing"),
        "{urls:?}"
    );
}

#[test]
fn the_embedded_reference_is_never_reached_through_a_proxy() {
    let out = support::temp_dir("no-proxy").join("report");
    let output = konform()
        .args([
            "run",
            "--no-generated",
            "--allow-incomplete",
            "--case",
            "GetTransferData.withdrawn",
            "--clock",
            support::CLOCK,
            "--out",
        ])
        .arg(&out)
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("http_proxy", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[test]
fn diagnostics_show_a_window_of_a_long_line() {
    let dir = support::temp_dir("long-line");
    let case = format!(
        "- id: CreateThing.long\n  title: x\n  when: {{ body: {{ thingIdentifier: \"{}\" }} }}\n  then: {{ succes: true }}\n  bogus: [{}]\n",
        "a".repeat(2_000_000),
        "1, ".repeat(1_000_000)
    );
    let cases = support::write_cases(&dir, &case, "");
    let output = konform()
        .args(["lint", "--specs", "tests/data/specs", "--cases"])
        .arg(&cases)
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        output.stderr.len() < 32 * 1024,
        "stderr is {} bytes",
        output.stderr.len()
    );
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_as_input_files() {
    let dir = support::temp_dir("fifo");
    let fifo = dir.join("profile.yaml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for profile in [Path::new("/dev/zero"), fifo.as_path()] {
        let mut child = konform()
            .args([
                "run",
                "--specs",
                "tests/data/specs",
                "--cases",
                "tests/data/cases_ok",
                "--target",
            ])
            .arg(profile)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(30) {
                child.kill().unwrap();
                panic!("{} hangs the run", profile.display());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", text(&output));
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("not a regular file"),
            "{}",
            text(&output)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_out_is_found_before_the_run() {
    let target = Hostile::start(|_| Answer::json(200, OK_JSON)).await;
    let dir = support::temp_dir("unwritable");
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let blocker = dir.join("a-file");
    std::fs::write(&blocker, "").unwrap();
    let out = blocker.join("report");
    let output = run_with(support::run_args(&profile, &cases, &out), vec![]).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--out"),
        "{}",
        text(&output)
    );
    assert!(target.received().is_empty(), "the run went ahead");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_in_the_base_url_are_never_printed() {
    let target = Hostile::start(|_| Answer::json(400, r#"{"errors":[{"code":9393}]}"#)).await;
    let dir = support::temp_dir("url-credentials");
    let base = format!("http://konform:hunter2-url-password@{}", target.addr);
    let profile = support::write_profile(&dir, &base, "");
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let output = run_with(support::run_args(&profile, &cases, &out), vec![]).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_nowhere(
        &outputs(&output, &out),
        &[("URL password", "hunter2-url-password")],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiver_expiring_in_the_past_is_refused() {
    let (_target, out) = passing_run("waiver-past").await;
    let file = out.with_extension("waivers.yaml");
    let output = run_with(
        vec![
            "waivers".into(),
            "update".into(),
            "--run".into(),
            out.display().to_string(),
            "--file".into(),
            file.display().to_string(),
            "--expires".into(),
            "2000-01-01".into(),
        ],
        vec![],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("in the past"),
        "{}",
        text(&output)
    );
    assert!(!file.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compressed_utf16_and_bom_answers_are_named() {
    let target = Hostile::start(|r: &Request| {
        let t = r.text();
        if t.contains("behaviour=gzip") {
            Answer::with(
                200,
                &[
                    ("content-type", "application/json"),
                    ("content-encoding", "gzip"),
                ],
                b"\x1f\x8b\x08\0\0\0\0\0".to_vec(),
            )
        } else if t.contains("behaviour=utf16") {
            Answer::json(200, b"\xFF\xFE{\0}\0".to_vec())
        } else {
            Answer::json(200, format!("\u{feff}{OK_JSON}"))
        }
    })
    .await;
    let dir = support::temp_dir("encodings");
    let profile = support::write_profile(&dir, &target.url(), "");
    let cases = support::write_cases(
        &dir,
        &format!(
            "{}{}{}",
            rest_case("gzip"),
            rest_case("utf16"),
            rest_case("bom")
        ),
        "",
    );
    let out = dir.join("report");
    let output = run_with(support::run_args(&profile, &cases, &out), vec![]).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let summary = support::summary(&out);
    for (id, words) in [
        ("CreateThing.gzip", "content-encoding: gzip"),
        ("CreateThing.utf16", "UTF-16"),
        ("CreateThing.bom", "byte order mark"),
    ] {
        let case = support::case(&summary, id);
        assert_eq!(case["verdict"], "error", "{case:#}");
        assert!(case["reason"].as_str().unwrap().contains(words), "{case:#}");
    }
}
