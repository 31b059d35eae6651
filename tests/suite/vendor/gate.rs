//! The regression gate, a waiver file's round trip: a failing case is waived with `konform
//! waivers update` and the run exits 0; the waiver expires and the run exits 1; the target is
//! fixed and the waived case is reported as an unexpected pass, after which `waivers update`
//! drops its waiver.

use std::path::Path;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::vendor::support::{self, CLOCK, konform, roles_yaml};

const CASES: &str = r#"
- id: CreateThing.end-before-start
  title: an end before the start is rejected
  covers: { codes: [4669] }
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}", slutdato: "${today-1d}" }
  then: { error: 4669 }
- id: CreateThing.ok
  title: a thing is created
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { success: true }
"#;

/// Answers `code` to a request with a `slutdato`, success otherwise.
async fn mount(server: &MockServer, code: u32) {
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .and(wiremock::matchers::body_string_contains("slutdato"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"errors": [{"code": code}]})))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        // An answer the test spec's output table allows: every answer is checked against it.
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "thingIdentifier": "6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10",
            "startdato": "2026-11-24",
            "items": []
        })))
        .mount(server)
        .await;
}

async fn run(dir: &Path, out: &str, waivers: bool) -> std::process::Output {
    let mut c = konform();
    c.args([
        "run",
        "--specs",
        "tests/data/specs",
        "--no-generated",
        // The gate is what these runs test; the test spec's one method is incomplete by design.
        "--allow-incomplete",
        "--clock",
        CLOCK,
    ])
    .arg("--target")
    .arg(dir.join("profile.yaml"))
    .arg("--cases")
    .arg(dir.join("cases"))
    .arg("--out")
    .arg(dir.join(out));
    if waivers {
        c.arg("--waivers").arg(dir.join("waivers.yaml"));
    }
    support::run(c).await
}

fn waivers_update(dir: &Path, run: &str, expires: &str) -> std::process::Output {
    konform()
        .args(["waivers", "update", "--run"])
        .arg(dir.join(run))
        .arg("--file")
        .arg(dir.join("waivers.yaml"))
        .args([
            "--reason",
            "the KY integration rejects with 9393 until release 4.2",
            "--ticket",
            "DFDG-1234",
            "--expires",
            expires,
        ])
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiver_file_round_trip() {
    let server = MockServer::start().await;
    mount(&server, 9393).await;
    let dir = support::temp_dir("gate");
    std::fs::write(
        dir.join("profile.yaml"),
        format!(
            "name: gate\nbase_url: {}\nroles:\n{}",
            server.uri(),
            roles_yaml()
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("cases/TestRestService")).unwrap();
    std::fs::write(dir.join("cases/TestRestService/CreateThing.yaml"), CASES).unwrap();

    // 1. The failure fails the run.
    let out = run(&dir, "r1", false).await;
    assert_eq!(out.status.code(), Some(1), "{}", support::text(&out));

    // 2. Waived from the run, it passes the gate.
    let update = waivers_update(&dir, "r1", "2026-12-31");
    assert_eq!(update.status.code(), Some(0), "{}", support::text(&update));
    let file = std::fs::read_to_string(dir.join("waivers.yaml")).unwrap();
    assert!(
        file.contains("case: CreateThing.end-before-start")
            && file.contains("ticket: DFDG-1234")
            && file.contains("2026-12-31")
            && !file.contains("CreateThing.ok"),
        "{file}"
    );
    let out = run(&dir, "r2", true).await;
    let text = support::text(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("gate ("), "{text}");
    assert!(
        text.contains(": passed: 1 waived, 0 unwaived, 0 expired"),
        "{text}"
    );
    let summary = support::summary(&dir.join("r2"));
    assert_eq!(summary["gate"]["passed"], true);
    assert_eq!(
        summary["gate"]["waived"],
        json!(["CreateThing.end-before-start"])
    );
    assert_eq!(
        summary["totals"]["fail"], 1,
        "a waived failure is still a failure"
    );

    // 3. Expired (the run's clock is 2026-11-24), it fails the run again.
    let expired = file.replace("2026-12-31", "2026-11-23");
    std::fs::write(dir.join("waivers.yaml"), &expired).unwrap();
    let out = run(&dir, "r3", true).await;
    let text = support::text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("expired     CreateThing.end-before-start: the waiver (DFDG-1234) expired after 2026-11-23"),
        "{text}"
    );
    let summary = support::summary(&dir.join("r3"));
    assert_eq!(summary["gate"]["passed"], false);
    assert_eq!(
        summary["gate"]["expired"][0]["case"],
        "CreateThing.end-before-start"
    );
    let html = std::fs::read_to_string(dir.join("r3").join("index.html")).unwrap();
    assert!(
        html.contains("REGRESSION GATE FAILED"),
        "the page shows the gate"
    );
    assert!(html.contains("CreateThing.end-before-start (DFDG-1234, expired after 2026-11-23)"));

    // 4. Fixed, the waived case is an unexpected pass: reported, and the gate passes.
    std::fs::write(dir.join("waivers.yaml"), &file).unwrap();
    mount(&server, 4669).await;
    let out = run(&dir, "r4", true).await;
    let text = support::text(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("unexpected  CreateThing.end-before-start passes now (DFDG-1234, until 2026-12-31): its waiver can go"),
        "{text}"
    );
    let summary = support::summary(&dir.join("r4"));
    assert_eq!(
        summary["gate"]["unexpected_passes"],
        json!(["CreateThing.end-before-start"])
    );
    let html = std::fs::read_to_string(dir.join("r4").join("index.html")).unwrap();
    assert!(html.contains("REGRESSION GATE PASSED"));
    assert!(html.contains(
        "unexpected passes (their waivers can go): <code>CreateThing.end-before-start</code>"
    ));

    // 5. Updating from the fixed run drops the waiver.
    let update = waivers_update(&dir, "r4", "2026-12-31");
    let text = support::text(&update);
    assert!(text.contains("0 added, 1 dropped"), "{text}");
    let file = std::fs::read_to_string(dir.join("waivers.yaml")).unwrap();
    assert!(!file.contains("CreateThing.end-before-start"), "{file}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_waiver_file_is_bad_input() {
    let dir = support::temp_dir("gate-bad");
    std::fs::write(
        dir.join("waivers.yaml"),
        "waivers:\n  - { case: X.y, reason: '', ticket: t, expires: 2026-01-01 }\n",
    )
    .unwrap();
    let out = konform()
        .args(["run", "--waivers"])
        .arg(dir.join("waivers.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        support::text(&out).contains("has no reason"),
        "{}",
        support::text(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
