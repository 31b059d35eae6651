//! `konform spec lint|show|import` as a user runs them: exit codes, messages naming files and
//! places, ambiguity of method names shared by two services.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn konform(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_konform"))
        .args(args)
        .output()
        .unwrap()
}

fn specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")
}

/// A fresh folder under the target directory, removed first if a previous run left it.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn lint_is_clean_on_the_committed_specs() {
    let out = konform(&["spec", "lint", "--specs", specs().to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("spec lint: clean (5 services, 39 methods"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn lint_reports_every_problem_with_its_file_and_exits_1() {
    let dir = scratch("lint_broken");
    for entry in std::fs::read_dir(specs()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    // A pattern that does not compile, and a textless code no longer listed as untestable.
    let file = dir.join("InterviewService.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("pattern: (\\+)?[0-9]{3,20}", "pattern: '[0-9'", 1);
    std::fs::write(&file, text).unwrap();
    let overlay = dir.join("overlay.yaml");
    let text = std::fs::read_to_string(&overlay).unwrap();
    let text = text.replace(
        "  UpdatePersonInterview/8183:\n",
        "  UpdatePersonInterview/8183x:\n",
    );
    std::fs::write(&overlay, text).unwrap();

    let out = konform(&["spec", "lint", "--specs", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("InterviewService.yaml: InterviewService/GetInterviewInfo/output/InterviewCollection/InterviewType/ResponsibleAuthority/CaseWorker/TelephoneNumberIdentifier: pattern \"[0-9\" does not compile"), "{text}");
    assert!(text.contains("PersonRegistrationService.yaml: PersonRegistrationService/UpdatePersonInterview: error code 8183 has no text and is not in the overlay's untestable"), "{text}");
    assert!(
        text.contains("overlay.yaml: untestable/UpdatePersonInterview/8183x:"),
        "{text}"
    );
    assert!(text.contains("spec lint: 3 problem(s)"), "{text}");
}

#[test]
fn show_names_both_services_of_an_ambiguous_method() {
    let specs = specs();
    let out = konform(&[
        "spec",
        "show",
        "AddInterviewParticipant",
        "--specs",
        specs.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("InterviewService/AddInterviewParticipant"),
        "{err}"
    );
    assert!(
        err.contains("PersonRegistrationService/AddInterviewParticipant"),
        "{err}"
    );

    let out = konform(&[
        "spec",
        "show",
        "InterviewService/AddInterviewParticipant",
        "--specs",
        specs.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("InterviewService/AddInterviewParticipant  (current, soap)"),
        "{text}"
    );
    assert!(
        text.contains("InterviewIdentifier (formerly PersonInterviewIdentifier)"),
        "{text}"
    );

    // A former name finds the current method.
    let out = konform(&[
        "spec",
        "show",
        "SaveTransferData",
        "--specs",
        specs.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("BorgerFlytteService/CreateFraflytningsbekraeftelse"));

    let out = konform(&[
        "spec",
        "show",
        "NoSuchMethod",
        "--specs",
        specs.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn show_prints_rules_with_overlay_codes_and_untestable_reasons() {
    let specs = specs();
    let out = konform(&[
        "spec",
        "show",
        "CreateYdelse",
        "--specs",
        specs.to_str().unwrap(),
    ]);
    let text = stdout(&out);
    assert!(text.contains("binding: REST POST /v1/ydelse"), "{text}");
    assert!(
        text.contains("CreateYdelse.kth-lovhenvisning  [codes 100049; overlay]"),
        "{text}"
    );
    assert!(
        text.contains("x-requestid-hvis-apiet-modtager-samme-requestid-mere  [HTTP 412; document]"),
        "{text}"
    );
    let out = konform(&[
        "spec",
        "show",
        "UpdatePersonInterview",
        "--specs",
        specs.to_str().unwrap(),
    ]);
    let text = stdout(&out);
    assert!(text.contains("8183  (no text in the document)"), "{text}");
    assert!(
        text.contains("untestable: the document prints the code without a text"),
        "{text}"
    );
}

#[test]
fn import_on_the_command_line_writes_what_is_committed() {
    let seeds = std::env::var_os("KONFORM_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"));
    if !seeds.is_dir() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "the service documents are not at {}",
            seeds.display()
        );
        println!(
            "skipped: the service documents are not at {}",
            seeds.display()
        );
        return;
    }
    let out_dir = scratch("import_cli");
    std::fs::copy(specs().join("overlay.yaml"), out_dir.join("overlay.yaml")).unwrap();
    let mut args: Vec<String> = vec!["spec".into(), "import".into()];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    docs.sort();
    args.extend(docs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out_dir.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = konform(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    for entry in std::fs::read_dir(&out_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        let committed = std::fs::read_to_string(specs().join(name)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            committed,
            "{}",
            path.display()
        );
    }
}

#[test]
fn export_writes_every_format_and_check_finds_a_file_out_of_step() {
    let dir = scratch("spec-export");
    let out = konform(&[
        "spec",
        "export",
        "--specs",
        specs().to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("12 files (3 WSDL, 7 XSD, 2 OpenAPI)"),
        "{}",
        stdout(&out)
    );
    let check = |dir: &Path| {
        konform(&[
            "spec",
            "export",
            "--specs",
            specs().to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
            "--check",
        ])
    };
    let ok = check(&dir);
    assert!(ok.status.success(), "{}{}", stdout(&ok), stderr(&ok));
    // A hand edit and a stray file are both found.
    let wsdl = dir.join("InterviewService.wsdl");
    let text = std::fs::read_to_string(&wsdl).unwrap();
    std::fs::write(&wsdl, text.replace("CreateInterview", "CreateInterviewX")).unwrap();
    std::fs::write(dir.join("Old.wsdl"), "<x/>").unwrap();
    let bad = check(&dir);
    assert_eq!(bad.status.code(), Some(1));
    let err = stderr(&bad);
    assert!(
        err.contains("InterviewService.wsdl: differs from the export"),
        "{err}"
    );
    assert!(err.contains("Old.wsdl: not written by the export"), "{err}");
    // An unknown format is bad input.
    let out = konform(&[
        "spec",
        "export",
        "--format",
        "raml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown format \"raml\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_with_a_profile_takes_its_namespaces_and_endpoint() {
    let dir = scratch("spec-export-profile");
    let profile = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/target.yaml");
    let out = konform(&[
        "spec",
        "export",
        "--specs",
        specs().to_str().unwrap(),
        "--format",
        "wsdl",
        "--out",
        dir.to_str().unwrap(),
        "--profile",
        profile.to_str().unwrap(),
        "--base-url",
        "https://test.vendor.example",
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let wsdl = std::fs::read_to_string(dir.join("PersonRegistrationService.wsdl")).unwrap();
    assert!(
        wsdl.contains("targetNamespace=\"http://star.dk/dfdg/PersonRegistrationService/2024/2\"")
    );
    assert!(wsdl.contains("xmlns:h=\"http://star.dk/dfdg/headers\""));
    assert!(
        wsdl.contains("location=\"https://test.vendor.example/services/PersonRegistration.svc\"")
    );
    assert!(wsdl.contains("from the target profile"));
    let xsd = std::fs::read_to_string(dir.join("PersonRegistrationService.headers.xsd")).unwrap();
    assert!(xsd.contains("targetNamespace=\"http://star.dk/dfdg/headers\""));

    // Without --base-url, the profile's base URL per service and its token endpoint.
    let out = konform(&[
        "spec",
        "export",
        "--specs",
        specs().to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
        "--profile",
        profile.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let wsdl = std::fs::read_to_string(dir.join("PersonRegistrationService.wsdl")).unwrap();
    assert!(wsdl.contains(
        "location=\"https://soap.dfdg-test.leverandoer-a.example/services/PersonRegistration.svc\""
    ));
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            dir.join("VisiteringOgStatus.YdelsesVisiteringService.openapi.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        doc["servers"][0]["url"],
        "https://api.dfdg-test.leverandoer-a.example"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["dfdg_oauth2"]["flows"]["clientCredentials"]["tokenUrl"],
        "https://login.dfdg-test.leverandoer-a.example/oauth2/token"
    );
}
