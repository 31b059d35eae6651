//! `konform run`'s workflow flags through the binary: `--list` (text and JSON), filter
//! suggestions and the one case rule, `--max-fail`, `--rerun-failed`, `-v`, and the profile
//! warnings printed once before the run.

use crate::workflow::support::{self, CLOCK};

fn listed(args: &[&str]) -> Vec<serde_json::Value> {
    let (o, stdout, stderr) = support::run(
        support::konform()
            .args(["run", "--list", "--json"])
            .args(args),
    );
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    serde_json::from_str::<Vec<serde_json::Value>>(&stdout).expect("a JSON array")
}

#[test]
fn list_shows_the_chosen_cases_with_service_qualified_ids() {
    let all = listed(&["--method", "AddInterviewParticipant", "--no-generated"]);
    let services: std::collections::BTreeSet<&str> =
        all.iter().map(|c| c["service"].as_str().unwrap()).collect();
    assert_eq!(
        services.into_iter().collect::<Vec<_>>(),
        ["InterviewService", "PersonRegistrationService"],
        "the method name is shared by two services"
    );
    // `Service/Method`, as `spec show` prints it, chooses one service's cases.
    let one = listed(&[
        "--method",
        "InterviewService/AddInterviewParticipant",
        "--no-generated",
    ]);
    assert!(!one.is_empty() && one.len() < all.len());
    assert!(one.iter().all(|c| c["service"] == "InterviewService"));
    // Every id is listed qualified, and the qualified id chooses that case alone.
    let first = one[0]["qualified_id"].as_str().unwrap();
    assert!(first.starts_with("InterviewService/AddInterviewParticipant."));
    let alone = listed(&["--case", first]);
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0]["qualified_id"], first);
    assert!(alone[0]["line"].as_u64().unwrap() > 0);
    // Tags ignore letter case like every other filter.
    assert_eq!(
        listed(&["--tag", "SMOKE", "--no-generated"]).len(),
        listed(&["--tag", "smoke", "--no-generated"]).len()
    );
    // The text form: one line per case and a count.
    let (o, stdout, _) = support::run(support::konform().args(["run", "--list", "--case", first]));
    assert!(o.status.success());
    assert!(stdout.starts_with(first), "{stdout}");
    assert!(stdout.ends_with("1 case(s)\n"), "{stdout}");
}

#[test]
fn a_filter_that_matches_nothing_suggests_the_nearest_name() {
    for (flag, value, suggestion) in [
        ("--method", "CreateYdelsee", "CreateYdelse"),
        ("--service", "InterviewServise", "InterviewService"),
        ("--tag", "smok", "smoke"),
    ] {
        let (o, _, stderr) = support::run(support::konform().args(["run", flag, value]));
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "{flag} {value}: no case matches; did you mean `{suggestion}`?"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn max_fail_cuts_the_run_short_and_rerun_failed_runs_only_the_failures() {
    let dir = support::temp_dir("maxfail");
    let (cases, _) = support::broken_corpus(&dir);
    let cases = cases.display().to_string();
    let base = [
        "run",
        "--cases",
        &cases,
        "--method",
        "CreateYdelse",
        "--no-generated",
        "--clock",
        CLOCK,
        "-j",
        "1",
    ];
    let count = listed(&[
        "--cases",
        &cases,
        "--method",
        "CreateYdelse",
        "--no-generated",
    ])
    .len();
    assert!(count > 5);

    // The whole method: one failure among many passes.
    let full = dir.join("full");
    let (o, stdout, _) = support::run(
        support::konform()
            .args(base)
            .args(["--out", full.to_str().unwrap()]),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout.contains(&format!("{count} cases: {} pass, 1 fail", count - 1)),
        "{stdout}"
    );

    // --max-fail 1: no case starts after the first failure; the reports say so.
    let cut = dir.join("cut");
    let (o, stdout, _) = support::run(support::konform().args(base).args([
        "--max-fail",
        "1",
        "--out",
        cut.to_str().unwrap(),
    ]));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout.contains("INCOMPLETE: the run was cut short after 1 failing case(s) (--max-fail)"),
        "{stdout}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cut.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["complete"], false);
    assert!(summary["stopped"].as_str().unwrap().contains("cut short"));
    let ran = summary["cases"].as_array().unwrap().len();
    assert!(ran < count, "{ran} of {count}");
    let html = std::fs::read_to_string(cut.join("index.html")).unwrap();
    assert!(html.contains("the run was cut short after 1 failing case(s)"));

    // --rerun-failed: only the case that failed, and -v shows its exchanges as it ends.
    let again = dir.join("again");
    let (o, stdout, stderr) = support::run(support::konform().args(base).args([
        "--rerun-failed",
        full.to_str().unwrap(),
        "-v",
        "--out",
        again.to_str().unwrap(),
    ]));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.contains("rerunning 1 of the 1 case(s) that did not pass"),
        "{stderr}"
    );
    assert!(stdout.contains("1 cases: 0 pass, 1 fail"), "{stdout}");
    assert!(
        stderr.contains(&format!("--- {} (fail) ---", support::BROKEN_ID)),
        "{stderr}"
    );
    assert!(stderr.contains("--- 1 (setup) ---") && stderr.contains("(request) ---"));
    assert!(stderr.contains("POST "), "{stderr}");

    // A run without failures leaves nothing to rerun.
    let clean = dir.join("clean");
    let (o, _, _) = support::run(support::konform().args([
        "run",
        "--case",
        "CreateYdelse.accepted",
        "--no-generated",
        "--allow-incomplete",
        "--out",
        clean.to_str().unwrap(),
    ]));
    assert_eq!(o.status.code(), Some(0));
    let (o, _, stderr) =
        support::run(support::konform().args(["run", "--rerun-failed", clean.to_str().unwrap()]));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr.contains("has no failing case: nothing to run again"),
        "{stderr}"
    );
}

#[test]
fn profile_mistakes_are_warned_once_before_the_run() {
    let dir = support::temp_dir("profile");
    let roles: String = konform::target::profile::EMBEDDED_ROLES
        .iter()
        .filter(|(n, _, _)| *n != "kommune")
        .map(|(n, o, c)| {
            let code = match *n {
                "other-jobcenter" => "10101",
                "akasse" => "",
                _ => c,
            };
            format!(
                "  {n}: {{ organisation: \"{}\", code: \"{code}\" }}\n",
                o.as_str()
            )
        })
        .collect();
    let profile = dir.join("profile.yaml");
    std::fs::write(
        &profile,
        format!("name: vendor\nbase_url: http://127.0.0.1:9\nroles:\n{roles}"),
    )
    .unwrap();
    let (o, _, stderr) = support::run(support::konform().args([
        "run",
        "--target",
        profile.to_str().unwrap(),
        "--method",
        "CreateYdelse",
        "--no-generated",
        "--list",
    ]));
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    for warning in [
        "warning: profile: roles `jobcenter` and `other-jobcenter` share the organisation JobCenter 10101",
        "warning: profile: role `akasse` has no organisation code",
        "case(s) call as role `kommune`, which the profile does not define",
    ] {
        assert_eq!(
            stderr.matches(warning).count(),
            1,
            "`{warning}` once in\n{stderr}"
        );
    }
}
