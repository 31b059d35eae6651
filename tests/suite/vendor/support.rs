//! Shared helpers: the binary, temporary folders, summaries.

pub use crate::common::{CLOCK, case, konform, summary, temp_dir, text};

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

/// The embedded roles as profile YAML.
pub fn roles_yaml() -> String {
    konform::target::profile::EMBEDDED_ROLES
        .iter()
        .map(|(n, o, c)| {
            format!(
                "  {n}: {{ organisation: \"{}\", code: \"{c}\" }}\n",
                o.as_str()
            )
        })
        .collect()
}

/// Runs the binary off the async runtime.
pub async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("konform runs"))
        .await
        .unwrap()
}

/// `Service/case id` → verdict. (Generated cases of a method two services share have the
/// same id in both.)
pub fn verdicts(summary: &Value) -> std::collections::BTreeMap<String, String> {
    summary["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!(
                    "{}/{}",
                    c["service"].as_str().unwrap(),
                    c["id"].as_str().unwrap()
                ),
                c["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// No method of a run is conformant without complete evidence: every method reported
/// conformant has every documented code and rule evidenced or untestable; every method whose
/// evidence is missing is incomplete (or not applicable, or not conformant) and the terminal
/// and the HTML say so, with the share reached. Returns the incomplete methods.
pub fn check_evidence(summary: &Value, out: &Path, stdout: &str) -> Vec<String> {
    let mut incomplete = Vec::new();
    let html = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    for m in summary["methods"].as_array().expect("methods") {
        let name = m["method"].as_str().unwrap_or_default();
        let service = m["service"].as_str().unwrap_or_default();
        let e = &m["evidence"];
        let missing = e["missing_codes"].as_array().is_some_and(|a| !a.is_empty())
            || e["missing_rules"].as_array().is_some_and(|a| !a.is_empty());
        let verdict = m["verdict"].as_str().unwrap_or_default();
        if verdict == "conformant" {
            assert!(
                !missing,
                "{name} is conformant without complete evidence: {e}"
            );
        }
        if missing {
            assert_ne!(verdict, "conformant", "{name}: {e}");
        }
        if verdict == "incomplete" {
            incomplete.push(name.to_string());
            let share = format!("{} of {} codes evidenced", e["codes_evidenced"], e["codes"]);
            let line = stdout
                .lines()
                .skip_while(|l| {
                    let words: Vec<&str> = l.split_whitespace().collect();
                    !(words.first() == Some(&service) && words.get(1) == Some(&name))
                })
                .nth(1)
                .unwrap_or_else(|| panic!("{name}: no incomplete line on the terminal:\n{stdout}"));
            assert!(
                line.trim_start().starts_with("evidence") && line.contains(&share),
                "{name}: the terminal says {line:?}, not {share:?}"
            );
            let row = html
                .lines()
                .find(|l| {
                    l.starts_with("<tr class=\"mrow\"")
                        && l.contains(&format!("<td>{service}</td>"))
                        && l.contains(&format!(">{name}</a>"))
                })
                .unwrap_or_else(|| panic!("{name}: no incomplete row in the HTML"));
            assert!(
                row.contains("badge v-incomplete") && !row.contains("v-pass"),
                "{row}"
            );
            assert!(
                row.contains(&share),
                "{name}: the HTML row lacks {share:?}: {row}"
            );
        }
    }
    incomplete
}
