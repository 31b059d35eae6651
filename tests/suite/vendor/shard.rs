//! CI shards: `--shard K/N` splits the cases into disjoint, stable parts by a hash of the case
//! id; `konform merge` joins the shards' reports into the run the whole corpus gives.

use std::collections::BTreeSet;

use crate::vendor::support::{self, CLOCK, konform, verdicts};

async fn run(dir: &std::path::Path, out: &str, shard: Option<&str>) -> serde_json::Value {
    run_coded(dir, out, shard).await.0
}

/// The run's summary and exit code.
async fn run_coded(
    dir: &std::path::Path,
    out: &str,
    shard: Option<&str>,
) -> (serde_json::Value, Option<i32>) {
    let mut c = konform();
    c.args(["run", "--no-generated", "--clock", CLOCK, "--out"])
        .arg(dir.join(out));
    if let Some(s) = shard {
        c.args(["--shard", s]);
    }
    let output = support::run(c).await;
    assert_ne!(output.status.code(), Some(2), "{}", support::text(&output));
    (support::summary(&dir.join(out)), output.status.code())
}

/// `Service.Method` → method verdict.
fn method_verdicts(s: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    s["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                format!(
                    "{}.{}",
                    m["service"].as_str().unwrap(),
                    m["method"].as_str().unwrap()
                ),
                m["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shards_are_disjoint_stable_and_merge_into_the_whole_run() {
    let dir = support::temp_dir("shard");
    let (whole, whole_code) = run_coded(&dir, "whole", None).await;
    let mut parts = Vec::new();
    for k in 1..=3 {
        let (part, code) = run_coded(&dir, &format!("s{k}"), Some(&format!("{k}/3"))).await;
        // A shard holds a third of the corpus: its methods miss evidence the other shards
        // hold, so it is incomplete (exit 3), never conformant on its own.
        assert!(
            method_verdicts(&part).values().any(|v| v == "incomplete"),
            "{:?}",
            method_verdicts(&part)
        );
        assert_eq!(code, Some(3), "shard {k}/3");
        parts.push(part);
    }
    let ids = |s: &serde_json::Value| -> BTreeSet<String> { verdicts(s).into_keys().collect() };
    let mut seen = BTreeSet::new();
    for p in &parts {
        let these = ids(p);
        assert!(!these.is_empty(), "every shard has cases");
        assert!(seen.is_disjoint(&these), "shards overlap");
        seen.extend(these);
    }
    assert_eq!(seen, ids(&whole), "the shards together are the whole run");
    // The same shard again holds the same cases.
    let again = run(&dir, "s1-again", Some("1/3")).await;
    assert_eq!(ids(&again), ids(&parts[0]));

    let merged = konform()
        .args(["merge", "--run-id", "merged"])
        .args((1..=3).map(|k| dir.join(format!("s{k}"))))
        .arg("--out")
        .arg(dir.join("merged"))
        .output()
        .unwrap();
    assert_ne!(merged.status.code(), Some(2), "{}", support::text(&merged));
    // The merged run is judged over the merged results: the method verdicts (evidence
    // included) and the exit code are those of the whole run.
    assert_eq!(
        merged.status.code(),
        whole_code,
        "{}",
        support::text(&merged)
    );
    let merged = support::summary(&dir.join("merged"));
    assert_eq!(method_verdicts(&merged), method_verdicts(&whole));
    let evidence = |s: &serde_json::Value| -> Vec<serde_json::Value> {
        s["methods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["evidence"].clone())
            .collect()
    };
    assert_eq!(evidence(&merged), evidence(&whole));
    assert_eq!(verdicts(&merged), verdicts(&whole));
    assert_eq!(merged["totals"], whole["totals"]);
    assert_eq!(merged["complete"], true);

    let bad = konform().args(["run", "--shard", "4/3"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        support::text(&bad).contains("1 <= K <= N"),
        "{}",
        support::text(&bad)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
