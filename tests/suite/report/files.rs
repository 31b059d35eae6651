//! Where and how the reports are written: the folder is created, each file is replaced whole
//! through a temporary file in the same folder, and a failed write leaves no temporary file.

use crate::report::fixtures;

fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn creates_the_folder_and_writes_three_files_and_nothing_else() {
    let base = fixtures::temp_dir("files");
    let dir = base.join("reports").join("run-1");
    let w = konform::report::write_all(&fixtures::summary(), &dir).expect("write");
    assert_eq!(w.summary_json, dir.join("summary.json"));
    assert_eq!(w.junit_xml, dir.join("junit.xml"));
    assert_eq!(w.index_html, dir.join("index.html"));
    assert_eq!(listing(&dir), ["index.html", "junit.xml", "summary.json"]);
}

#[test]
fn writing_again_replaces_the_files_whole() {
    let dir = fixtures::temp_dir("files-again");
    std::fs::write(dir.join("summary.json"), "x".repeat(10_000_000)).expect("big old file");
    let mut summary = fixtures::summary();
    konform::report::write_all(&summary, &dir).expect("first");
    summary.target = "second target".to_string();
    konform::report::write_all(&summary, &dir).expect("second");
    let json = std::fs::read_to_string(dir.join("summary.json")).expect("read");
    assert!(json.contains("second target") && !json.contains("xxxx"));
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    assert_eq!(listing(&dir), ["index.html", "junit.xml", "summary.json"]);
}

#[test]
fn a_failed_write_names_the_file_and_leaves_no_temporary_file() {
    let dir = fixtures::temp_dir("files-fail");
    // A non-empty folder where junit.xml should go: the rename onto it fails.
    std::fs::create_dir_all(dir.join("junit.xml").join("inside")).expect("blocker");
    let err = konform::report::write_all(&fixtures::summary(), &dir).expect_err("blocked");
    let msg = err.to_string();
    assert!(
        msg.starts_with("cannot write ") && msg.contains("junit.xml"),
        "{msg}"
    );
    let left: Vec<String> = listing(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[test]
fn a_folder_that_cannot_be_created_is_an_error_not_a_panic() {
    let dir = fixtures::temp_dir("files-nodir");
    let file = dir.join("a-file");
    std::fs::write(&file, "").expect("file");
    let err = konform::report::write_all(&fixtures::summary(), &file.join("reports"))
        .expect_err("parent is a file");
    assert!(
        err.to_string().contains("cannot create the report folder"),
        "{err}"
    );
}
