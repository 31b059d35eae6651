//! Ctrl-C end to end: `konform run` against a target that hangs, interrupted with SIGINT once
//! the hanging request has arrived, writes the reports of the cases that finished, marked
//! incomplete, and exits 1.

use std::process::Stdio;

use crate::robust::misbehaving::Misbehaving;
use crate::robust::support::{self, rest_case};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_writes_a_partial_report_marked_incomplete() {
    let server = Misbehaving::start().await;
    let dir = support::temp_dir("sigint");
    let profile = support::write_profile(&dir, &server.base_url(), "");
    // One case at a time, in file order: the first answers, the second hangs.
    let cases = support::write_cases(
        &dir,
        &format!("{}{}", rest_case("ok"), rest_case("hang")),
        "",
    );
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    args.extend(["--jobs", "1", "--timeout", "600"].map(String::from));
    let child = support::konform()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("konform starts");
    let pid = child.id();

    // The hanging request has arrived: the first case has finished.
    server.hanging.notified().await;
    let status = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("interrupted (SIGINT): writing the reports of the cases that finished"),
        "{stderr}"
    );

    let summary = support::summary(&out);
    assert_eq!(summary["complete"], false);
    let ids: Vec<&str> = summary["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["CreateThing.ok"], "only the finished case");
    assert_eq!(summary["cases"][0]["verdict"], "pass");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("INCOMPLETE"), "the HTML report says so");
    assert!(out.join("junit.xml").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
