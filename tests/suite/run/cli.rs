//! `konform run` and `konform lint` end to end: the binary against a wiremock target through a
//! profile file, its exit codes, its output and its reports.

use std::process::Output;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::run::support;

const CPR: &str = "0101901234";

fn konform(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_konform"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KONFORM_CASES")
        .env_remove("KONFORM_SPECS")
        .output()
        .expect("konform runs")
}

/// A target that implements the two test methods correctly.
struct Conformant;
impl Respond for Conformant {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        if req.url.path() == "/konform/state" {
            return ResponseTemplate::new(200).set_body_json(json!({"cpr": CPR}));
        }
        if req.url.path() == "/TestSoapService" {
            let fault = konform::soap::write_fault(
                konform::soap::SoapVersion::V11,
                &[(4653, format!("too old for {CPR}"))],
            );
            return ResponseTemplate::new(500).set_body_raw(fault, "text/xml; charset=utf-8");
        }
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
        if body.get("slutdato").is_some() {
            return ResponseTemplate::new(400).set_body_json(json!({"errors": [{"code": 4669}]}));
        }
        support::thing_created(&body["thingIdentifier"])
    }
}

fn write_profile(dir: &std::path::Path, base: &str) -> String {
    let file = dir.join("profile.yaml");
    let roles: String = konform::target::profile::EMBEDDED_ROLES
        .iter()
        .map(|(n, o, c)| {
            format!(
                "  {n}: {{ organisation: \"{}\", code: \"{c}\" }}\n",
                o.as_str()
            )
        })
        .collect();
    std::fs::write(
        &file,
        format!(
            "name: wiremock\nbase_url: {base}\nroles:\n{roles}state_endpoint: /konform/state\n"
        ),
    )
    .unwrap();
    file.to_string_lossy().into_owned()
}

async fn run_against(server: &MockServer, extra: &[&str]) -> (Output, std::path::PathBuf) {
    let dir = support::temp_dir("cli");
    let profile = write_profile(&dir, &server.uri());
    let out = dir.join("report");
    let mut args = vec![
        "run",
        "--target",
        &profile,
        "--cases",
        "tests/data/cases_ok",
        "--specs",
        "tests/data/specs",
        "--clock",
        "2026-11-24T10:00:00+01:00",
        "--out",
    ];
    let out_s = out.to_string_lossy().into_owned();
    args.push(&out_s);
    args.extend_from_slice(extra);
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let output = tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        konform(&a)
    })
    .await
    .unwrap();
    (output, out)
}

#[tokio::test]
async fn run_exits_0_when_every_method_is_conformant_and_writes_the_reports() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(Conformant)
        .mount(&server)
        .await;
    // The hand-written cases only: the generated ones have tests of their own. No case of
    // them evidences CreateThing's 9393, so CreateThing is incomplete: exit 3, and 0 only
    // when incomplete methods are allowed.
    let (output, _) = run_against(&server, &["--no-generated"]).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(
        stdout.contains(
            "  evidence  1 of 2 codes evidenced, 1 of 2 rules evidenced; missing codes 9393; missing rules CreateThing.request-id"
        ),
        "{stdout}"
    );
    let (output, out) = run_against(&server, &["--no-generated", "--allow-incomplete"]).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("incomplete"),
        "the reports still say so: {stdout}"
    );
    assert!(stdout.contains("CreateThing"), "{stdout}");
    assert!(stdout.contains("CreateMeeting"), "{stdout}");
    for file in ["summary.json", "junit.xml", "index.html"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(!text.contains(CPR), "{file} holds a CPR");
    }
    assert!(!stdout.contains(CPR) && !stderr.contains(CPR));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["complete"], true);
    assert_eq!(summary["totals"]["pass"], 3);
    // The pinned clock of CreateMeeting.too-old reached the state-change request.
    let states: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/konform/state")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert!(
        states
            .iter()
            .any(|s| s["now"] == "2026-06-01T10:00:00+02:00"),
        "{states:?}"
    );
    assert!(
        states
            .iter()
            .any(|s| s["now"] == "2026-11-24T10:00:00+01:00"),
        "{states:?}"
    );
}

#[tokio::test]
async fn run_exits_1_when_a_method_is_not_conformant_and_logs_it_masked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/konform/state"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"cpr": CPR})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(
                json!({"errors": [{"code": 9393, "text": format!("ukendt {CPR}")}]}),
            ),
        )
        .mount(&server)
        .await;
    let (output, _) = run_against(&server, &["--method", "CreateThing", "--jobs", "1"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("FAIL  CreateThing.end-before-start: expected error 4669, got error 9393 (ukendt 010190-****)"), "{stderr}");
    assert!(!stderr.contains(CPR));
}

#[test]
fn bad_input_exits_2_with_every_problem() {
    let output = konform(&[
        "run",
        "--cases",
        "tests/data/cases_bad",
        "--specs",
        "tests/data/specs",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        std::fs::read_to_string(support::data("cases_bad.expected")).unwrap()
    );
    let output = konform(&[
        "run",
        "--cases",
        "tests/data/cases_ok",
        "--specs",
        "tests/data/specs",
        "--case",
        "Nothing*",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--case Nothing*: no case matches"));
    let output = konform(&["run", "--jobs", "x"]);
    assert_eq!(output.status.code(), Some(2));
}
