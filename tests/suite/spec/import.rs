//! The committed `specs/` is what importing STAR's documents gives, byte for byte, and it loads.
//!
//! The documents are not copied into the project: they are read from `../shared/seeds` relative
//! to the crate root, or from the folder named by `KONFORM_DOCS`. Where they are absent the test
//! says so and passes as skipped, except under CI (`CI=true`), where their absence fails it.

use std::path::{Path, PathBuf};

use konform::spec::Spec;
use konform::spec::import::{self, Document};
use konform::spec::overlay::Overlay;

fn docs_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("KONFORM_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"));
    if dir.is_dir() {
        return Some(dir);
    }
    let reason = format!(
        "skipped: the service documents are not at {} (set KONFORM_DOCS)",
        dir.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{reason}; under CI their absence is a failure");
    }
    println!("{reason}");
    None
}

fn read_docs(dir: &Path) -> Vec<Document> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert_eq!(
        paths.len(),
        5,
        "expected the five service documents in {}",
        dir.display()
    );
    paths.iter().map(|p| Document::read(p).unwrap()).collect()
}

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")
}

fn committed_overlay() -> Overlay {
    let text = std::fs::read_to_string(specs_dir().join("overlay.yaml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

#[test]
fn a_fresh_import_reproduces_the_committed_specs_byte_for_byte() {
    let Some(dir) = docs_dir() else { return };
    let services = import::import(&read_docs(&dir), &committed_overlay()).unwrap();
    assert_eq!(services.len(), 5);
    for spec in &services {
        let path = specs_dir().join(import::file_name(&spec.service));
        let committed =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let fresh = import::render(spec).unwrap();
        assert!(
            committed == fresh,
            "{} differs from a fresh import; run `konform spec import ../shared/seeds/*.txt --out specs`",
            path.display()
        );
    }
    // No stale service files either.
    let mut names: Vec<String> = std::fs::read_dir(specs_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && n != "overlay.yaml")
        .collect();
    names.sort();
    let mut expected: Vec<String> = services
        .iter()
        .map(|s| import::file_name(&s.service))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn the_committed_specs_load_and_equal_the_import() {
    let spec = Spec::load(&specs_dir()).unwrap();
    assert_eq!(spec.methods().count(), 39);
    assert!(!spec.overlay.untestable.is_empty());
    let Some(dir) = docs_dir() else { return };
    let services = import::import(&read_docs(&dir), &spec.overlay).unwrap();
    for s in services {
        assert_eq!(spec.services.get(&s.service), Some(&s), "{}", s.service);
    }
}

#[test]
fn importing_twice_gives_the_same_text() {
    let Some(dir) = docs_dir() else { return };
    let docs = read_docs(&dir);
    let overlay = committed_overlay();
    let a: Vec<String> = import::import(&docs, &overlay)
        .unwrap()
        .iter()
        .map(|s| import::render(s).unwrap())
        .collect();
    let b: Vec<String> = import::import(&docs, &overlay)
        .unwrap()
        .iter()
        .map(|s| import::render(s).unwrap())
        .collect();
    assert_eq!(a, b);
}

/// Every error row, field row, access row and document rule of every method carries its
/// provenance, and the provenance points at the document line that holds it.
#[test]
fn every_row_of_every_method_cites_its_document_line() {
    use konform::spec::model::{Field, RuleSource};
    use konform::spec::{Citable, Provenance};

    let spec = Spec::load(&specs_dir()).unwrap();
    let docs: Option<Vec<Document>> = docs_dir().map(|d| read_docs(&d));
    let mut checked = 0usize;
    let mut missing: Vec<String> = Vec::new();
    let mut check = |what: String, at: &Option<Provenance>, needle: &str, doc: &str| {
        let Some(at) = at else {
            missing.push(what);
            return;
        };
        assert_eq!(at.doc, doc, "{what}: cites another document");
        assert!(
            at.text.contains(needle),
            "{what}: the quoted text {:?} does not hold {needle:?}",
            at.text
        );
        if let Some(docs) = &docs {
            let d = docs.iter().find(|d| d.name == at.doc).unwrap();
            let line = d.text.lines().nth(at.line - 1).unwrap_or_else(|| {
                panic!("{what}: line {} is past the end of {}", at.line, at.doc)
            });
            // The spec quotes the text after the importer's mojibake repair (`Ê` → `æ`),
            // so the comparison is over ASCII.
            let ascii = |s: &str| -> String { s.chars().filter(char::is_ascii).collect() };
            let first = line.trim_matches([' ', '\t', '\u{a0}']);
            assert!(
                !first.is_empty() && ascii(&at.text).starts_with(&ascii(first)),
                "{what}: {}:{} reads {first:?}, the spec quotes {:?}",
                at.doc,
                at.line,
                at.text
            );
        }
        checked += 1;
    };
    fn fields<'a>(tree: &'a [Field], out: &mut Vec<&'a Field>) {
        for f in tree {
            out.push(f);
            fields(&f.children, out);
        }
    }
    for m in spec.methods() {
        let doc = m.service.source.as_str();
        let name = &m.method.name;
        for e in &m.method.errors {
            check(
                format!("{name} error {}", e.code),
                &e.at,
                &e.code.to_string(),
                doc,
            );
            assert_eq!(spec.cite(&m, Citable::Code(e.code)).len(), 1);
        }
        for a in &m.method.access {
            check(
                format!("{name} access {}", a.organisation),
                &a.at,
                a.organisation.as_str(),
                doc,
            );
        }
        let mut all = Vec::new();
        fields(&m.method.input, &mut all);
        fields(&m.method.output, &mut all);
        for f in all {
            check(format!("{name} field {}", f.name), &f.at, &f.name, doc);
        }
        for r in m
            .method
            .rules
            .iter()
            .filter(|r| r.source == RuleSource::Document)
        {
            check(format!("{name} rule {}", r.id), &r.at, "", doc);
        }
    }
    assert!(missing.is_empty(), "rows without provenance: {missing:#?}");
    assert!(checked > 1000, "only {checked} rows checked");
}

/// An overlay entry that rests on a document line cites it as the spec does: every `at` of
/// the overlay's `untestable` is the provenance of the error row or rule it declares.
#[test]
fn the_overlays_untestable_entries_cite_the_rows_they_rest_on() {
    let spec = Spec::load(&specs_dir()).unwrap();
    let mut cited = 0;
    for (key, entry) in &spec.overlay.untestable {
        let Some(at) = &entry.at else { continue };
        let found = spec.methods().any(|m| {
            m.method.errors.iter().any(|e| e.at.as_ref() == Some(at))
                || m.method.rules.iter().any(|r| r.at.as_ref() == Some(at))
        });
        assert!(found, "{key}: {at} is no row of the spec");
        cited += 1;
    }
    assert!(
        cited >= 30,
        "only {cited} untestable entries cite their line"
    );
}

/// Every reading of the overlay cites the document lines that leave it open, as written: each
/// `at` is the line of the seed it names (whitespace compared as one space, the documents'
/// no-break spaces included), and the catalogue has no problem.
#[test]
fn every_reading_cites_the_document_lines_that_leave_it_open() {
    let Some(dir) = docs_dir() else { return };
    let overlay = committed_overlay();
    assert!(
        overlay.reading_problems().is_empty(),
        "{:?}",
        overlay.reading_problems()
    );
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cited = 0;
    for (name, reading) in &overlay.readings {
        for at in &reading.at {
            let text = std::fs::read_to_string(dir.join(&at.doc))
                .unwrap_or_else(|e| panic!("{name}: {}: {e}", at.doc));
            let line = text
                .lines()
                .nth(at.line - 1)
                .unwrap_or_else(|| panic!("{name}: {} has no line {}", at.doc, at.line));
            assert_eq!(squash(line), squash(&at.text), "{name}: {at}");
            cited += 1;
        }
    }
    assert!(overlay.readings.len() >= 18, "{}", overlay.readings.len());
    assert!(cited >= overlay.readings.len());
}

/// The README's table of readings is the catalogue's (`KONFORM_BLESS=1` rewrites it).
#[test]
fn the_readme_lists_every_reading_as_the_overlay_has_it() {
    const BEGIN: &str = "<!-- readings:begin (generated from specs/overlay.yaml) -->\n";
    const END: &str = "<!-- readings:end -->";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let table = konform::spec::statement::markdown_table(&committed_overlay());
    let start = readme
        .find(BEGIN)
        .expect("the README has the readings markers")
        + BEGIN.len();
    let end = readme
        .find(END)
        .expect("the README has the readings end marker");
    if std::env::var_os("KONFORM_BLESS").is_some() {
        let fresh = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "README.md's readings table differs from the overlay; KONFORM_BLESS=1 rewrites it"
    );
}
