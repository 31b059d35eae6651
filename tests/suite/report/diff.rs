//! `konform diff`: per method, newly failing, newly passing, changed, added and removed
//! cases; exit 1 exactly when something newly fails. Library and command line.

use std::process::Command;

use konform::report::diff::diff;
use konform::run::result::{RunSummary, Verdict};

use crate::report::fixtures;

fn rebuilt(s: RunSummary) -> RunSummary {
    let mut r = RunSummary::from_cases(
        s.run_id, s.started, s.finished, s.target, s.complete, s.cases,
    );
    // Judged like a run (no coverage matrix: nothing documented to evidence).
    konform::run::evidence::judge(&mut r);
    r
}

/// Run B: one pass turns into a fail, the failing case passes, the error becomes not
/// applicable, one case is removed and one added (failing).
fn later_run() -> RunSummary {
    let mut b = fixtures::summary();
    b.run_id = "run-b".to_string();
    for c in &mut b.cases {
        match c.id.as_str() {
            "CreateYdelse.accepts-a-valid-ydelse" => {
                c.verdict = Verdict::Fail {
                    reason: "expected success, got error 100049".to_string(),
                }
            }
            "CreatePersonInterview.date-more-than-7-days-old" => c.verdict = Verdict::Pass,
            "CreatePersonInterview.target-down" => {
                c.verdict = Verdict::NotApplicable {
                    reason: "no citizen".to_string(),
                }
            }
            _ => {}
        }
    }
    b.cases.retain(|c| c.id != "CreateYdelse.startdato-pattern");
    let mut added = b.cases[0].clone();
    added.id = "GetFlytning.new-case".to_string();
    added.verdict = Verdict::Fail {
        reason: "new".to_string(),
    };
    b.cases.push(added);
    rebuilt(b)
}

#[test]
fn classifies_every_change_per_method() {
    let a = fixtures::summary();
    let b = later_run();
    let d = diff(&a, &b);
    assert!(d.has_new_failures());
    assert_eq!(d.methods_compared, 3);
    let names: Vec<String> = d
        .methods
        .iter()
        .map(|m| format!("{}.{}", m.service, m.method))
        .collect();
    assert_eq!(
        names,
        [
            "BorgerFlytteService.GetFlytning",
            "InterviewService.CreatePersonInterview",
            "VisiteringOgStatus.YdelsesVisiteringService.CreateYdelse"
        ]
    );
    let flyt = &d.methods[0];
    assert_eq!(flyt.added.len(), 1);
    assert_eq!(flyt.added[0].id, "GetFlytning.new-case");
    assert_eq!(flyt.added[0].verdict, "fail");
    assert!(
        flyt.newly_failing.is_empty(),
        "an added case is not a regression"
    );
    let interview = &d.methods[1];
    assert_eq!(interview.newly_passing.len(), 1);
    assert_eq!(interview.newly_passing[0].before, "fail");
    assert_eq!(interview.changed.len(), 1);
    assert_eq!(
        (
            interview.changed[0].before.as_str(),
            interview.changed[0].after.as_str()
        ),
        ("error", "not-applicable")
    );
    let ydelse = &d.methods[2];
    assert_eq!(ydelse.newly_failing.len(), 1);
    assert_eq!(
        ydelse.newly_failing[0].id,
        "CreateYdelse.accepts-a-valid-ydelse"
    );
    assert_eq!(
        ydelse.newly_failing[0].reason.as_deref(),
        Some("expected success, got error 100049")
    );
    assert_eq!(ydelse.removed.len(), 1);
    assert_eq!(ydelse.removed[0].id, "CreateYdelse.startdato-pattern");
    assert_eq!(
        (ydelse.verdict_before, ydelse.verdict_after),
        (
            Some(konform::run::result::MethodVerdict::Conformant),
            Some(konform::run::result::MethodVerdict::NotConformant)
        )
    );
}

#[test]
fn the_same_run_has_no_differences_and_the_reverse_regresses_what_b_fixed() {
    let a = fixtures::summary();
    let d = diff(&a, &a);
    assert!(d.methods.is_empty() && !d.has_new_failures());
    assert!(konform::report::diff::render_text(&d).contains("no differences"));
    // B → A: what B fixed fails again (the pass, and the not-applicable case that was an
    // error in A); the case A adds is not a regression.
    let back = diff(&later_run(), &a);
    assert!(back.has_new_failures());
    let ids: Vec<&str> = back
        .methods
        .iter()
        .flat_map(|m| m.newly_failing.iter().map(|c| c.id.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            "CreatePersonInterview.date-more-than-7-days-old",
            "CreatePersonInterview.target-down"
        ]
    );
}

#[test]
fn text_lists_each_change() {
    let text = konform::report::diff::render_text(&diff(&fixtures::summary(), &later_run()));
    insta::assert_snapshot!("diff", text);
}

fn konform() -> Command {
    Command::new(env!("CARGO_BIN_EXE_konform"))
}

#[test]
fn the_command_exits_1_on_a_new_failure_0_otherwise_2_on_bad_input() {
    let dir = fixtures::temp_dir("diff-cli");
    let (a, b) = (dir.join("a"), dir.join("b"));
    konform::report::write_all(&fixtures::summary(), &a).expect("write a");
    konform::report::write_all(&later_run(), &b).expect("write b");

    let out = konform().arg("diff").arg(&a).arg(&b).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("newly failing  CreateYdelse.accepts-a-valid-ydelse: pass → fail"));

    // Folders or summary.json files; no new failure from a run to itself.
    let out = konform()
        .arg("diff")
        .arg(a.join("summary.json"))
        .arg(&a)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let out = konform()
        .args(["diff", "--json"])
        .arg(&a)
        .arg(&b)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["b"]["run_id"], "run-b");
    assert_eq!(v["methods"].as_array().expect("methods").len(), 3);

    let out = konform()
        .arg("diff")
        .arg(&a)
        .arg(dir.join("missing"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("run B") && stderr.contains("missing"),
        "{stderr}"
    );
}
