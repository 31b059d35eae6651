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

/// Runs `konform mutate --json` with these arguments; answers the JSON and the exit code.
fn mutate_json(args: &[&str], out: &std::path::Path) -> (serde_json::Value, Option<i32>) {
    let output = konform()
        .args(["mutate", "--json", "--out"])
        .arg(out)
        .args(args)
        .output()
        .expect("konform runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    (json, output.status.code())
}

/// The floor of the mutation score (killed among the mutants not declared equivalent) that CI
/// holds the corpus to. The target is 97 %; the corpus reaches 77.4 % of the
/// spec-derived mutants today (every survivor is listed with the reason no case saw it: mostly
/// access-table cells no case exercises, counts and lengths of elements no case sends, methods
/// the generator cannot derive cases for, the exact success status, several errors at once).
/// Raise it as cases are added; never lower it.
const SCORE_FLOOR: f64 = 72.0;

/// The bar, enforced in CI on the whole corpus: at least 2,000 mutants derived over every
/// family; of a fixed sample of them (every 7th of each family, in the order derived, so the
/// run fits CI time on 2 cores), the score at least [`SCORE_FLOOR`], every survivor with its
/// reason, and no equivalence declaration wrong. `konform mutate` without `--every` runs them
/// all.
#[test]
fn the_corpus_holds_the_mutation_score_floor_over_every_family() {
    let out = temp_dir("full");
    let (json, _) = mutate_json(&["--every", "7"], &out);
    assert!(
        json["derived"].as_u64() >= Some(2000),
        "only {} mutants derived",
        json["derived"]
    );
    let mutants = json["mutants"].as_u64().expect("mutants");
    let killed = json["killed"].as_u64().expect("killed");
    let equivalent = json["equivalent"].as_u64().expect("equivalent");
    let survivors = json["survivors"].as_array().expect("survivors");
    assert!(mutants >= 2000 / 7, "only {mutants} mutants in the sample");
    for kind in [
        "check",
        "boundary",
        "codes",
        "access",
        "identity",
        "reporting",
        "answers",
    ] {
        assert!(
            json["by_kind"][kind]["mutants"].as_u64().unwrap_or(0) > 0,
            "no {kind} mutants: {}",
            json["by_kind"]
        );
    }
    let score = json["score"].as_f64().expect("score");
    let unexplained: Vec<_> = survivors
        .iter()
        .filter(|s| s["explained"] != true)
        .collect();
    assert!(
        killed as f64 >= SCORE_FLOOR / 100.0 * (mutants - equivalent) as f64
            && score >= SCORE_FLOOR,
        "{killed} of {mutants} killed ({equivalent} equivalent), score {score}: {unexplained:#?}"
    );
    assert_eq!(survivors.len() as u64, mutants - killed);
    for s in survivors {
        assert!(
            s["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "survivor without a reason: {s}"
        );
    }
    assert_eq!(json["wrong_equivalents"], serde_json::json!([]), "{json:#}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary"))
            .expect("json");
    assert_eq!(summary["mutation"]["by_kind"], json["by_kind"]);
    let html = std::fs::read_to_string(out.join("index.html")).expect("html");
    assert!(
        html.contains("id=\"mutation-kinds\""),
        "the report shows the kill ratio per family"
    );
}

/// Spec-derived faults in the reference are killed by the cases that can see them: a length
/// bound one off, a sibling code, an access cell, an error answered as success.
#[test]
fn spec_derived_faults_are_killed() {
    let out = temp_dir("derived");
    let (json, _) = mutate_json(
        &[
            "--method",
            "CreatePersonInterview",
            "--check",
            "codes/CreatePersonInterview/4653-as-",
            "--check",
            "boundary/CreatePersonInterview/PersonCivilRegistrationIdentifier/",
        ],
        &out,
    );
    let mutants = json["mutants"].as_u64().expect("mutants");
    assert!(mutants >= 3, "{json:#}");
    assert_eq!(json["killed"].as_u64(), Some(mutants), "{json:#}");
    assert!(json["by_kind"]["codes"]["killed"].as_u64() >= Some(2));
}

/// A mutant no case can see is reported as not reached, with no case run for it.
#[test]
fn a_fault_no_case_reaches_survives_as_not_reached() {
    let out = temp_dir("unreached");
    let (json, code) = mutate_json(
        &[
            "--method",
            "CreatePersonInterview",
            "--check",
            "reporting/CreatePersonInterview/first-error-only",
        ],
        &out,
    );
    assert_eq!(json["mutants"], 1, "{json:#}");
    if json["killed"] == 0 {
        let reason = json["survivors"][0]["reason"].as_str().unwrap_or("");
        assert!(reason.contains("no case reaches it"), "{reason}");
        assert_eq!(code, Some(1));
    }
}

/// The answer mutants through the mutating proxy in front of `konform serve` started by hand:
/// a renamed, dropped or reordered element, another namespace, an empty 204, a fault on 200.
#[test]
fn answer_mutants_are_killed_through_the_proxy_in_front_of_konform_serve() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    const SECRET: &str = "mutate-test-secret";
    let mut child = konform()
        .args(["serve", "--test-mode", "--addr", "127.0.0.1:0"])
        .env("KONFORM_CLIENT_SECRET", SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("konform serve starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let base = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.split("listening on ").nth(1) {
                    break url.trim().to_string();
                }
            }
            _ => {
                let _ = child.kill();
                panic!("konform serve did not start");
            }
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    let out = temp_dir("answers-serve");
    let output = konform()
        .args(["mutate", "--json", "--answers", "--target", &base])
        .args([
            "--method",
            "CreateHealthLimitation",
            "--method",
            "GetYdelse",
            "--out",
        ])
        .arg(&out)
        .env("KONFORM_CLIENT_SECRET", SECRET)
        .output()
        .expect("konform runs");
    let _ = child.kill();
    let _ = child.wait();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    let mutants = json["mutants"].as_u64().expect("mutants");
    assert!(mutants >= 8, "{json:#}");
    assert_eq!(
        json["by_kind"]["answers"]["mutants"].as_u64(),
        Some(mutants)
    );
    let killed = json["killed"].as_u64().expect("killed");
    for id in [
        "answers/CreateHealthLimitation/namespace",
        "answers/CreateHealthLimitation/error-on-200",
        "answers/CreateHealthLimitation/empty-204",
        "answers/GetYdelse/empty-204",
    ] {
        assert!(
            !json["survivors"]
                .as_array()
                .expect("survivors")
                .iter()
                .any(|s| s["id"] == id),
            "{id} survived: {json:#}"
        );
    }
    assert!(killed * 10 >= mutants * 8, "{json:#}");
}
