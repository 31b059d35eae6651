//! Shared helpers: the `konform` binary, temporary folders, profiles and case files for the
//! test spec (`tests/data/specs`), and reading a run's summary.

pub use crate::common::{CLOCK, case, konform, summary, temp_dir};

use std::path::{Path, PathBuf};
use std::process::Output;

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
