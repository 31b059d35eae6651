//! Shared helpers: the `konform` binary, temporary folders, profiles and case files for the
//! test spec (`tests/data/specs`), and reading a run's summary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub const CLOCK: &str = "2026-11-24T10:00:00+01:00";

/// The binary, run from the package root with the test spec.
pub fn konform() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_konform"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KONFORM_CASES")
        .env_remove("KONFORM_SPECS")
        .env("NO_COLOR", "1");
    c
}

/// A fresh folder under the system's temporary folder.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("konform-{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A profile with the embedded roles, no authentication and no way to establish state,
/// plus `extra` YAML lines.
pub fn write_profile(dir: &Path, base: &str, extra: &str) -> PathBuf {
    let roles: String = konform::target::profile::EMBEDDED_ROLES
        .iter()
        .map(|(n, o, c)| {
            format!(
                "  {n}: {{ organisation: \"{}\", code: \"{c}\" }}\n",
                o.as_str()
            )
        })
        .collect();
    let file = dir.join("profile.yaml");
    std::fs::write(
        &file,
        format!("name: misbehaving\nbase_url: {base}\nroles:\n{roles}{extra}"),
    )
    .unwrap();
    file
}

/// A case folder with these case files of the test services.
pub fn write_cases(dir: &Path, rest: &str, soap: &str) -> PathBuf {
    let cases = dir.join("cases");
    for (service, method, text) in [
        ("TestRestService", "CreateThing", rest),
        ("TestSoapService", "CreateMeeting", soap),
    ] {
        if text.trim().is_empty() {
            continue;
        }
        let folder = cases.join(service);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{method}.yaml")), text).unwrap();
    }
    cases
}

/// A REST case whose request names a behaviour of the misbehaving target.
pub fn rest_case(behaviour: &str) -> String {
    format!(
        r#"- id: CreateThing.{behaviour}
  title: the target answers with {behaviour}
  when:
    headers: {{ x-requestId: "behaviour={behaviour}" }}
    body: {{ thingIdentifier: "${{uuid}}", startdato: "${{today}}" }}
  then: {{ success: true }}
"#
    )
}

/// A SOAP case whose request names a behaviour of the misbehaving target.
pub fn soap_case(behaviour: &str) -> String {
    format!(
        r#"- id: CreateMeeting.{behaviour}
  title: the target answers with {behaviour}
  when:
    body:
      PersonCivilRegistrationIdentifier: "0101901234"
      Meeting:
        MeetingTime: "${{now-1h}}"
        MeetingTypeIdentifier: 1
        ParticipantCollection: {{ Participant: ["behaviour={behaviour}"] }}
  then: {{ success: true }}
"#
    )
}

/// The standard arguments of a run against `profile` over `cases`, reports into `out`.
pub fn run_args(profile: &Path, cases: &Path, out: &Path) -> Vec<String> {
    [
        "run",
        "--target",
        &profile.to_string_lossy(),
        "--cases",
        &cases.to_string_lossy(),
        "--specs",
        "tests/data/specs",
        "--no-generated",
        // These runs hold a few cases on purpose: their methods are incomplete (exit 3).
        "--allow-incomplete",
        "--clock",
        CLOCK,
        "--out",
        &out.to_string_lossy(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Runs the binary off the async runtime.
pub async fn run(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || konform().args(&args).output().expect("konform runs"))
        .await
        .unwrap()
}

pub fn summary(out: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary.json"))
        .expect("json")
}

/// One case of a summary, by id.
pub fn case<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no case {id} in the summary"))
}
