//! `konform merge`: shards over disjoint case sets become one run whose reports are written
//! again; overlapping case ids are refused. Library and command line.

use std::process::Command;

use konform::report::merge::{MergeError, Shard, merge};
use konform::run::result::{CodeCoverage, CodeStatus, MethodCoverage, MutationScore, RunSummary};

use crate::report::fixtures;

/// The fixture's cases split in two shards, each a run of its own.
fn shards() -> (RunSummary, RunSummary) {
    let all = fixtures::summary();
    let (odd, even): (Vec<_>, Vec<_>) = all
        .cases
        .iter()
        .cloned()
        .enumerate()
        .partition(|(i, _)| i % 2 == 1);
    let shard = |cases: Vec<(usize, konform::run::result::CaseResult)>, id: &str| {
        RunSummary::from_cases(
            id.to_string(),
            all.started.clone(),
            all.finished.clone(),
            all.target.clone(),
            true,
            cases.into_iter().map(|(_, c)| c).collect(),
        )
    };
    (shard(even, "shard-1"), shard(odd, "shard-2"))
}

fn shard(label: &str, summary: RunSummary) -> Shard {
    Shard {
        label: label.to_string(),
        summary,
    }
}

#[test]
fn merging_the_shards_of_a_run_gives_back_the_run() {
    let (a, b) = shards();
    assert!(!a.cases.is_empty() && !b.cases.is_empty());
    let merged = merge(
        &[shard("a", a), shard("b", b)],
        fixtures::RUN_ID.to_string(),
    )
    .expect("merge");
    assert_eq!(merged, fixtures::summary());
}

#[test]
fn run_fields_combine_times_completeness_and_flags() {
    let (mut a, mut b) = shards();
    a.started = "2026-11-24T10:00:05+01:00".to_string();
    a.finished = "2026-11-24T10:00:09+01:00".to_string();
    // Another offset: 09:00:01Z is 10:00:01+01:00, earlier than a's start.
    b.started = "2026-11-24T09:00:01Z".to_string();
    b.finished = "2026-11-24T09:00:03Z".to_string();
    b.complete = false;
    b.tls_verification_off = true;
    a.cpr_shown = true;
    b.target = "vendor".to_string();
    let m = merge(&[shard("a", a), shard("b", b)], "m".to_string()).expect("merge");
    assert_eq!(m.started, "2026-11-24T09:00:01Z");
    assert_eq!(m.finished, "2026-11-24T10:00:09+01:00");
    assert!(!m.complete, "one shard was interrupted");
    assert!(m.tls_verification_off);
    assert!(!m.cpr_shown, "one masked shard masks the whole");
    assert_eq!(
        m.target,
        "embedded reference (http://127.0.0.1:41234) + vendor"
    );
    assert_eq!(m.totals.total(), 7);
    assert_eq!(m.methods.len(), 3);
}

#[test]
fn overlapping_case_ids_are_refused_naming_case_and_shards() {
    let (a, _) = shards();
    let err = merge(
        &[shard("x/a", a.clone()), shard("x/b", a.clone())],
        "m".to_string(),
    )
    .expect_err("overlap");
    let MergeError::Overlap { cases } = &err else {
        panic!("{err}")
    };
    assert_eq!(cases.len(), a.cases.len());
    let msg = err.to_string();
    assert!(
        msg.starts_with("the shards overlap: 4 case ids are in more than one shard"),
        "{msg}"
    );
    assert!(
        msg.contains(&format!("{} in x/a and x/b", a.cases[0].id)),
        "{msg}"
    );
    assert!(matches!(
        merge(&[], "m".to_string()),
        Err(MergeError::Empty)
    ));
}

#[test]
fn coverage_joins_and_a_mutant_survives_only_if_it_survived_everywhere() {
    let (mut a, mut b) = shards();
    let cov = |cases: &[&str]| {
        vec![MethodCoverage {
            service: "InterviewService".to_string(),
            method: "CreatePersonInterview".to_string(),
            codes: vec![CodeCoverage {
                code: 4653,
                text: Some("t".to_string()),
                status: CodeStatus::Covered,
                cases: cases.iter().map(|s| s.to_string()).collect(),
                reason: None,
                passing: None,
            }],
            rules: vec![],
            kill_ratio: None,
        }]
    };
    a.coverage = cov(&["c1"]);
    b.coverage = cov(&["c2", "c1"]);
    let score = |survivors: &[&str]| MutationScore {
        mutants: 10,
        killed: 10 - survivors.len(),
        survivors: survivors
            .iter()
            .map(|s| fixtures::survivor(s, None, false))
            .collect(),
        by_kind: Default::default(),
    };
    a.mutation = Some(score(&["r1", "r2", "r3"]));
    b.mutation = Some(score(&["r2", "r3", "r4"]));
    let m = merge(
        &[shard("a", a.clone()), shard("b", b.clone())],
        "m".to_string(),
    )
    .expect("merge");
    assert_eq!(m.coverage[0].codes[0].cases, ["c1", "c2"]);
    assert_eq!(m.mutation, Some(score(&["r2", "r3"])));
    // Different mutant sets cannot be combined: no score rather than a wrong one.
    b.mutation.as_mut().expect("score").mutants = 12;
    let m = merge(
        &[shard("a", a.clone()), shard("b", b.clone())],
        "m".to_string(),
    )
    .expect("merge");
    assert_eq!(m.mutation, None);
    // Nor can a score whose survivor list is not complete.
    b.mutation = Some(MutationScore {
        mutants: 10,
        killed: 5,
        survivors: vec![fixtures::survivor("r2", None, false)],
        by_kind: Default::default(),
    });
    let m = merge(&[shard("a", a), shard("b", b)], "m".to_string()).expect("merge");
    assert_eq!(m.mutation, None);
}

fn konform() -> Command {
    Command::new(env!("CARGO_BIN_EXE_konform"))
}

#[test]
fn the_command_writes_all_three_reports_and_refuses_overlap() {
    let dir = fixtures::temp_dir("merge-cli");
    let (a, b) = shards();
    konform::report::write_all(&a, &dir.join("a")).expect("a");
    konform::report::write_all(&b, &dir.join("b")).expect("b");
    let out_dir = dir.join("merged");
    let out = konform()
        .arg("merge")
        .arg(dir.join("a"))
        .arg(dir.join("b").join("summary.json"))
        .arg("--out")
        .arg(&out_dir)
        .args(["--run-id", "merged-1"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    // The fixture has a method that is not conformant.
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("7 cases: 4 pass, 1 fail, 1 error, 1 n/a"),
        "{stdout}"
    );
    assert!(
        stdout.contains("index.html, junit.xml, summary.json"),
        "{stdout}"
    );
    let back = konform::report::json::read(&out_dir).expect("merged summary");
    assert_eq!(back.run_id, "merged-1");
    assert_eq!(
        RunSummary {
            run_id: fixtures::RUN_ID.to_string(),
            ..back
        },
        fixtures::summary()
    );
    for f in ["junit.xml", "index.html"] {
        let text = std::fs::read_to_string(out_dir.join(f)).expect("file");
        assert!(text.contains("GetFlytning.needs-a-move-flow"), "{f}");
        assert!(text.contains("CreateYdelse.startdato-pattern"), "{f}");
    }

    let out = konform()
        .arg("merge")
        .arg(dir.join("a"))
        .arg(dir.join("a"))
        .arg("--out")
        .arg(dir.join("never"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the shards overlap"), "{stderr}");
    assert!(!dir.join("never").exists(), "nothing written on overlap");
}
