//! No report or log line of a default run holds an unmasked CPR number, even when the target
//! echoes it in every answer; `--show-cpr` shows it.

use std::time::Duration;

use konform::run::result::RunSummary;
use konform::run::run_case;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::run::support;

const CPR: &str = "0101901234";

async fn echoing_target() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/konform/state"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"cpr": CPR, "ids": {}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "errors": [ { "code": 9393, "text": format!("borger {CPR} kendes ikke") } ],
            "cpr": CPR
        })))
        .mount(&server)
        .await;
    server
}

const CASE: &str = r#"
- id: CreateThing.echo
  title: the target echoes the CPR everywhere
  given: { citizen: {} }
  when:
    headers: { x-civilRegistrationIdentifier: "${cpr}" }
    query: {}
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { success: true }
"#;

#[tokio::test]
async fn results_and_reports_mask_cpr_numbers() {
    let server = echoing_target().await;
    let spec = support::spec();
    let cases = support::plan_yaml(&spec, "TestRestService", "CreateThing", CASE);
    let env = support::env_for(
        &spec,
        support::profile(&server.uri()),
        Duration::from_secs(5),
    );
    let r = run_case(&cases[0], &env).await;
    assert!(matches!(
        r.verdict,
        konform::run::result::Verdict::Fail { .. }
    ));
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(CPR), "{json}");
    assert!(json.contains("010190-****"), "masked, not dropped: {json}");
    let summary = RunSummary::from_cases(
        "r".into(),
        "s".into(),
        "f".into(),
        "t".into(),
        true,
        vec![r],
    );
    let dir = support::temp_dir("privacy");
    let written = konform::report::write_all(&summary, &dir).unwrap();
    for file in [written.summary_json, written.junit_xml, written.index_html] {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(CPR), "{} holds the CPR", file.display());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn show_cpr_keeps_them() {
    let server = echoing_target().await;
    let spec = support::spec();
    let cases = support::plan_yaml(&spec, "TestRestService", "CreateThing", CASE);
    let target = konform::target::TargetOptions {
        show_cpr: true,
        ..Default::default()
    };
    let t = std::sync::Arc::new(
        konform::target::Target::new(
            support::profile(&server.uri()),
            &spec.overlay,
            None,
            &target,
        )
        .unwrap(),
    );
    let env = konform::run::RunEnv {
        show_cpr: true,
        ..konform::run::RunEnv::new(t, support::clock(), Duration::from_secs(5))
    };
    let r = run_case(&cases[0], &env).await;
    assert!(serde_json::to_string(&r).unwrap().contains(CPR));
}
