//! `konform mutate` end to end on the real spec and corpus: a mutant a case detects is killed,
//! one no case can see survives with the reason, and the reports carry the kill ratio.

use std::process::Command;

fn konform() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_konform"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("konform-mutate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_pattern_mutant_is_killed_by_the_generated_cases() {
    let out = temp_dir("killed");
    let output = konform()
        .args([
            "mutate",
            "--json",
            "--check",
            "validation/pattern",
            "--method",
            "CreatePersonInterview",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("konform runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(json["mutants"], 1, "{json}");
    assert_eq!(json["killed"], 1, "{json}");
    assert_eq!(json["survivors"].as_array().map(Vec::len), Some(0));
    assert_eq!(output.status.code(), Some(0));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("json");
    assert_eq!(summary["mutation"]["killed"], 1);
}

#[test]
fn a_mutant_no_case_can_see_survives_with_its_reason_and_fails_the_command() {
    let out = temp_dir("survivor");
    // GetYdelser's cases are all accepted requests: nothing checks patterns there.
    let output = konform()
        .args([
            "mutate",
            "--json",
            "--no-generated",
            "--check",
            "validation/pattern",
            "--method",
            "GetYdelser",
            "--out",
        ])
        .arg(&out)
        .output()
        .expect("konform runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(
        (json["mutants"].as_u64(), json["killed"].as_u64()),
        (Some(1), Some(0)),
        "{json}"
    );
    let survivor = &json["survivors"][0];
    assert_eq!(survivor["id"], "validation/pattern");
    assert!(
        survivor["reason"]
            .as_str()
            .is_some_and(|r| r.contains("went unnoticed")),
        "{survivor}"
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "an unexplained survivor fails the command"
    );
    let html = std::fs::read_to_string(out.join("index.html")).expect("html");
    assert!(
        html.contains("0 of 1 mutants killed"),
        "the report shows the kill ratio"
    );
}

/// The bar, enforced in CI on the whole corpus: at least 200 mutants, at least 95 %
/// killed, every survivor with a reason. (About 20 s in a debug build.)
#[test]
fn the_corpus_kills_at_least_95_percent_of_every_mutant() {
    let out = temp_dir("full");
    let output = konform()
        .args(["mutate", "--json", "--out"])
        .arg(&out)
        .output()
        .expect("konform runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let mutants = json["mutants"].as_u64().expect("mutants");
    let killed = json["killed"].as_u64().expect("killed");
    let survivors = json["survivors"].as_array().expect("survivors");
    assert!(mutants >= 200, "only {mutants} mutants");
    assert!(
        killed as f64 >= 0.95 * mutants as f64,
        "{killed} of {mutants} killed: {survivors:#?}"
    );
    assert_eq!(survivors.len() as u64, mutants - killed);
    for s in survivors {
        assert!(
            s["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "survivor without a reason: {s}"
        );
    }
}
