//! konform runs from any folder: the spec and the shipped corpus are built into the binary,
//! and a vendor's own case folder adds to the shipped corpus (`--cases-extra`).

use std::process::Command;

use crate::workflow::support;

/// The binary run in `dir`, with its shipped files written below `dir/cache`.
fn konform_in(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_konform"));
    c.current_dir(dir)
        .env_remove("KONFORM_CASES")
        .env_remove("KONFORM_SPECS")
        .env("KONFORM_CACHE", dir.join("cache"))
        .env("NO_COLOR", "1")
        .env("CI", "1");
    c
}

const VENDOR_CASE: &str = "- id: CreateYdelse.vendor-own-benefit
  title: the vendor's own case, beside the shipped ones
  given: { caller: kommune, citizen: {} }
  when:
    headers: { x-requestId: \"${uuid}\", x-civilregistrationIdentifier: \"${cpr}\" }
    body: { kyYdelsesIdentifier: \"${uuid}\", startdato: \"${today}\" }
  then: { success: true }
";

#[test]
fn runs_from_another_folder_with_a_vendor_folder_beside_the_shipped_corpus() {
    let dir = support::temp_dir("anywhere");
    assert!(!dir.join("specs").exists() && !dir.join("cases").exists());
    let (o, stdout, stderr) = support::run(konform_in(&dir).args(["spec", "list"]));
    assert!(o.status.success(), "{stderr}");
    assert!(stdout.contains("CreateYdelse"), "{stdout}");

    let (o, stdout, stderr) = support::run(konform_in(&dir).args([
        "run",
        "--case",
        "CreateYdelse.accepted",
        "--no-generated",
        // One case evidences one method only in part: incomplete, which is not the point here.
        "--allow-incomplete",
        "--out",
        "report",
    ]));
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 cases: 1 pass"), "{stdout}");
    assert!(dir.join("report/summary.json").is_file());

    // A vendor folder adds to the shipped corpus rather than replacing it.
    let vendor = dir.join("vendor-cases/VisiteringOgStatus.YdelsesVisiteringService");
    std::fs::create_dir_all(&vendor).unwrap();
    std::fs::write(vendor.join("CreateYdelse.yaml"), VENDOR_CASE).unwrap();
    let list = |extra: bool| {
        let mut c = konform_in(&dir);
        c.args([
            "run",
            "--list",
            "--json",
            "--method",
            "CreateYdelse",
            "--no-generated",
        ]);
        if extra {
            c.args(["--cases-extra", "vendor-cases"]);
        }
        let (o, stdout, stderr) = support::run(&mut c);
        assert!(o.status.success(), "{stderr}");
        serde_json::from_str::<Vec<serde_json::Value>>(&stdout).unwrap()
    };
    let shipped = list(false);
    let both = list(true);
    assert_eq!(both.len(), shipped.len() + 1);
    assert!(
        both.iter()
            .any(|c| c["id"] == "CreateYdelse.vendor-own-benefit")
    );
    let (o, stdout, stderr) = support::run(konform_in(&dir).args([
        "run",
        "--cases-extra",
        "vendor-cases",
        "--case",
        "CreateYdelse.vendor-own-benefit",
        "--no-generated",
        "--allow-incomplete",
        "--out",
        "report-vendor",
    ]));
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{stderr}");
    // lint checks the vendor folder too; an id clash with the shipped corpus is a problem.
    let (o, out, _) =
        support::run(konform_in(&dir).args(["lint", "--cases-extra", "vendor-cases"]));
    assert!(o.status.success(), "{out}");
    std::fs::write(
        vendor.join("CreateYdelse.yaml"),
        VENDOR_CASE.replace("vendor-own-benefit", "accepted"),
    )
    .unwrap();
    let (o, _, stderr) =
        support::run(konform_in(&dir).args(["lint", "--cases-extra", "vendor-cases"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr.contains("case id `CreateYdelse.accepted` is also in"),
        "{stderr}"
    );
}
