//! The importer never panics: cut-off, shuffled and garbled documents give a spec or an error
//! naming the file and line, never a crash. Built from the seed documents where they are
//! present (see `spec/import.rs` for where they are looked for) and from generated text.

use std::path::{Path, PathBuf};

use konform::spec::import::{self, Document, ImportError};
use konform::spec::overlay::Overlay;
use proptest::prelude::*;

fn seeds() -> Vec<Document> {
    let dir = std::env::var_os("KONFORM_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("the service documents are not at {}", dir.display());
        }
        println!(
            "skipped: the service documents are not at {}",
            dir.display()
        );
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| Document::read(p).unwrap()).collect()
}

fn check(docs: &[Document]) {
    match import::import(docs, &Overlay::default()) {
        Ok(services) => {
            for s in &services {
                import::render(s).unwrap();
            }
        }
        Err(ImportError::Malformed { file, line, .. }) => {
            assert!(docs.iter().any(|d| d.name == file));
            assert!(line >= 1);
        }
        Err(_) => {}
    }
}

#[test]
fn cut_off_documents_never_panic() {
    let seeds = seeds();
    for doc in &seeds {
        let lines: Vec<&str> = doc.text.lines().collect();
        let step = (lines.len() / 15).max(1);
        let is_diff = doc.text.contains("Versions Compared");
        for cut in (0..lines.len()).step_by(step) {
            for kept in [&lines[..cut], &lines[cut..]] {
                let cut_doc = Document {
                    name: doc.name.clone(),
                    text: kept.join("\n"),
                };
                check(std::slice::from_ref(&cut_doc));
                if is_diff && (cut / step).is_multiple_of(2) {
                    // With the other documents too: the diff layout uses their names.
                    let mut all: Vec<Document> = seeds
                        .iter()
                        .filter(|d| d.name != doc.name)
                        .cloned()
                        .collect();
                    all.push(cut_doc);
                    check(&all);
                }
            }
        }
    }
}

#[test]
fn a_malformed_row_is_reported_with_file_and_line() {
    let text = "DemoService (Version 1, 2024-1)\n\nCreateThing\n\nScope\n\nIkke defineret\n\nInput\n\nElement\n\nType\n\nCreateThingRequest\n\nCreateThingRequestType\n\n\u{a0}\n\n1\n\n\u{a0}\n\n-\u{a0}\u{a0}\u{a0}\u{a0}Name\n\nstring\n\nLength: x\n\n1\n\nNavn.\n";
    let err = import::import(
        &[Document {
            name: "demo.txt".into(),
            text: text.into(),
        }],
        &Overlay::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ImportError::Malformed { file, line, .. } if file == "demo.txt" && *line > 1),
        "{err}"
    );
    assert!(err.to_string().starts_with("demo.txt:"), "{err}");
}

fn seed_lines() -> Vec<(String, Vec<String>)> {
    seeds()
        .into_iter()
        .map(|d| (d.name, d.text.lines().map(str::to_string).collect()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn shuffled_and_dropped_lines_never_panic(
        pick in 0usize..5,
        drops in proptest::collection::vec(any::<prop::sample::Index>(), 0..20),
        swaps in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..10),
    ) {
        let seeds = seed_lines();
        if seeds.is_empty() {
            return Ok(());
        }
        let (name, mut lines) = seeds[pick % seeds.len()].clone();
        for d in drops {
            if !lines.is_empty() {
                let k = d.index(lines.len());
                lines.remove(k);
            }
        }
        for (a, b) in swaps {
            if !lines.is_empty() {
                let (a, b) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(a, b);
            }
        }
        check(&[Document { name, text: lines.join("\n") }]);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(\\PC|\n|\u{a0}|-|\\||•){0,400}") {
        check(&[Document { name: "x.txt".into(), text }]);
    }
}
