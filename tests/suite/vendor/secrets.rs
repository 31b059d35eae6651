//! Secrets never reach any output: `konform run` with an OAuth2 profile whose client secret
//! is in the environment, against a local token endpoint and a target that echoes the token
//! and the secret back in bodies, texts and headers, and a token endpoint that echoes the
//! secret in its refusal. Every byte of stdout, stderr and every report file is searched.

use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::vendor::support::{self, CLOCK, konform, roles_yaml};

const SECRET: &str = "cs-7Hq2-never-printed-9XzK";
/// The kommune role's own secret (`client_secret_env` on the role).
const KOMMUNE_SECRET: &str = "ks-3Ww9-never-printed-1RtY";
const TOKEN: &str = "at-Vv81-never-printed-44pQ";

const CASES: &str = r#"
- id: CreateThing.echo
  title: the target echoes what it was sent
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { error: 4669 }
- id: CreateThing.refused-token
  title: the token endpoint refuses the kommune and echoes the secret
  given: { caller: kommune }
  when:
    headers: { x-requestId: "${uuid}" }
    body: { thingIdentifier: "${uuid}", startdato: "${today}" }
  then: { error: 4669 }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_output_holds_the_client_secret_or_a_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(body_string_contains("client_id=Kommune"))
        .and(body_string_contains(format!("client_secret={KOMMUNE_SECRET}")))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": format!("client secret {KOMMUNE_SECRET} is not valid for Kommune:101")
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(body_string_contains(format!("client_secret={SECRET}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/thing"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-echo-token", TOKEN)
                .insert_header("x-echo-secret", SECRET)
                .set_body_json(json!({
                    "errors": [{"code": 9393, "text": format!("you sent Bearer {TOKEN}, secret {SECRET}")}],
                    "token": TOKEN,
                    "debug": format!("{TOKEN} {SECRET}")
                })),
        )
        .mount(&server)
        .await;
    let dir = support::temp_dir("secrets");
    std::fs::write(
        dir.join("profile.yaml"),
        format!(
            "name: secrets\nbase_url: {}\nauth:\n  oauth2: {{ token_url: /oauth2/token, client_secret_env: KONFORM_VENDOR_SECRET }}\nroles:\n{}",
            server.uri(),
            roles_yaml().replace(
                "code: \"101\" }",
                "code: \"101\", client_secret_env: KONFORM_KOMMUNE_SECRET }"
            )
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("cases/TestRestService")).unwrap();
    std::fs::write(dir.join("cases/TestRestService/CreateThing.yaml"), CASES).unwrap();
    let out = dir.join("report");
    let mut c = konform();
    c.args([
        "run",
        "--specs",
        "tests/data/specs",
        "--no-generated",
        "--clock",
        CLOCK,
    ])
    .arg("--target")
    .arg(dir.join("profile.yaml"))
    .arg("--cases")
    .arg(dir.join("cases"))
    .arg("--out")
    .arg(&out)
    .env("KONFORM_VENDOR_SECRET", SECRET)
    .env("KONFORM_KOMMUNE_SECRET", KOMMUNE_SECRET);
    let output = support::run(c).await;
    assert_eq!(output.status.code(), Some(1), "{}", support::text(&output));

    // The run did see both: the echo case failed on the echoed answer, the refusal is named.
    let summary = support::summary(&out);
    let echo = support::case(&summary, "CreateThing.echo");
    assert_eq!(echo["verdict"], "fail");
    let refused = support::case(&summary, "CreateThing.refused-token");
    assert_eq!(refused["verdict"], "error");
    assert!(
        refused["reason"]
            .as_str()
            .unwrap()
            .contains("the token endpoint refused role `kommune` (client id `Kommune:101`) with HTTP 401: invalid_client"),
        "{refused:#}"
    );

    let mut outputs = vec![
        (
            "stdout".to_string(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        ),
        (
            "stderr".to_string(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ),
    ];
    for entry in std::fs::read_dir(&out).unwrap() {
        let p = entry.unwrap().path();
        outputs.push((
            p.display().to_string(),
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    assert_eq!(outputs.len(), 5, "stdout, stderr and the three reports");
    for (name, text) in &outputs {
        for (what, value) in [
            ("client secret", SECRET),
            ("kommune's client secret", KOMMUNE_SECRET),
            ("access token", TOKEN),
        ] {
            assert!(!text.contains(value), "{name} holds the {what}:\n{text}");
        }
    }
    // Redacted, not dropped: the reports show where a secret stood.
    let json = &outputs[2..]
        .iter()
        .find(|(n, _)| n.ends_with("summary.json"))
        .unwrap()
        .1;
    assert!(json.contains("***"), "{json}");
    std::fs::remove_dir_all(&dir).unwrap();
}
