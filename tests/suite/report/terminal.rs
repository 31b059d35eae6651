//! The terminal summary: a line per method in aligned columns, the failing cases under a
//! method that is not conformant, totals, where the reports went; colour only when asked.

use konform::report::{Colour, TerminalOptions, Written};

use crate::report::fixtures;

fn printed(summary: &konform::run::result::RunSummary, opts: &TerminalOptions) -> String {
    let mut out = Vec::new();
    konform::report::print_summary_with(summary, &mut out, opts).expect("print");
    String::from_utf8(out).expect("utf8")
}

#[test]
fn a_line_per_method_in_aligned_columns_then_totals() {
    let mut out = Vec::new();
    konform::report::print_summary(&fixtures::summary(), &mut out).expect("print");
    let out = String::from_utf8(out).expect("utf8");
    insta::assert_snapshot!("terminal", out);
    assert!(!out.contains('\x1b'), "no colour unless asked");
    let lines: Vec<&str> = out.lines().collect();
    // Columns line up: VERDICT starts at the same place in the header and method lines.
    let col = lines[0].find("VERDICT").expect("header");
    // Method lines start at the left edge; a failing case's details are indented below.
    let methods: Vec<&str> = lines[1..]
        .iter()
        .take_while(|l| !l.is_empty())
        .filter(|l| !l.starts_with(' '))
        .copied()
        .collect();
    assert_eq!(methods.len(), 3, "{out}");
    for &l in &methods {
        let word = &l[col..];
        assert!(
            word.starts_with("not applicable")
                || word.starts_with("not conformant")
                || word.starts_with("conformant"),
            "{l}"
        );
    }
    // Numbers are right-aligned under their header.
    let end = lines[0].find("PASS").expect("PASS") + "PASS".len();
    for &l in &methods {
        assert!(l[..end].ends_with(|c: char| c.is_ascii_digit()), "{l}");
    }
    assert!(
        out.contains("3 methods: 1 conformant, 1 not conformant, 0 incomplete, 1 not applicable")
    );
    // Each failing case cites the document line its expectation rests on.
    assert!(
        lines.iter().any(|l| l.trim_start().starts_with("grounds")
            && l.ends_with("001_87d7a0a3447f30f0.txt:2417 \"4653 | The interview date is too old | The interview date is too old\"")),
        "{out}"
    );
    assert!(out.contains("7 cases: 4 pass, 1 fail, 1 error, 1 n/a"));
}

#[test]
fn colour_when_asked_and_where_the_reports_went() {
    let dir = std::path::PathBuf::from("reports/run-1");
    let opts = TerminalOptions {
        colour: Colour::Always,
        written: Some(Written {
            summary_json: dir.join("summary.json"),
            junit_xml: dir.join("junit.xml"),
            index_html: dir.join("index.html"),
        }),
    };
    let out = printed(&fixtures::summary(), &opts);
    assert!(out.contains("\x1b[1;31mnot conformant"), "{out}");
    assert!(out.contains("\x1b[32mconformant"), "{out}");
    assert!(
        out.lines()
            .last()
            .expect("line")
            .starts_with("reports: reports/run-1/index.html, junit.xml, summary.json"),
        "{out}"
    );
}

#[test]
fn warns_about_an_incomplete_run_tls_off_and_shown_cprs_and_masks_otherwise() {
    let mut s = fixtures::with_cprs();
    s.complete = false;
    s.tls_verification_off = true;
    let masked = printed(&s, &TerminalOptions::default());
    assert!(masked.contains("INCOMPLETE"));
    assert!(masked.contains("TLS verification was off"));
    assert!(!masked.contains(fixtures::CPR) && masked.contains("010190-****"));
    s.cpr_shown = true;
    let shown = printed(&s, &TerminalOptions::default());
    assert!(shown.contains(fixtures::CPR));
    assert!(shown.contains("CPR numbers are shown unmasked"));
}

#[test]
fn lists_at_most_five_failing_cases_per_method() {
    let mut s = fixtures::summary();
    let template = s
        .cases
        .iter()
        .find(|c| c.verdict.name() == "fail")
        .expect("a failing case")
        .clone();
    for i in 0..8 {
        let mut c = template.clone();
        c.id = format!("{}-{i}", c.id);
        s.cases.push(c);
    }
    let s = konform::run::result::RunSummary::from_cases(
        s.run_id, s.started, s.finished, s.target, true, s.cases,
    );
    let out = printed(&s, &TerminalOptions::default());
    let listed = out
        .lines()
        .filter(|l| l.starts_with("  fail ") || l.starts_with("  error"))
        .count();
    assert_eq!(listed, 5, "{out}");
    assert!(out.contains("… and 5 more (see the reports)"), "{out}");
}

/// An incomplete method is never green: amber, with the share reached and what is missing.
#[test]
fn an_incomplete_method_says_how_much_evidence_it_reached() {
    let s = fixtures::with_coverage();
    let out = printed(&s, &TerminalOptions::default());
    let line = out
        .lines()
        .find(|l| l.contains("CreateYdelse"))
        .expect("CreateYdelse line");
    assert!(line.contains("incomplete"), "{line}");
    assert!(
        out.contains(
            "  evidence  1 of 2 codes evidenced, 0 of 1 rules evidenced; missing codes 4669; \
             missing rules CreateYdelse.kth-lovhenvisning"
        ),
        "{out}"
    );
    assert!(
        out.contains("0 conformant, 1 not conformant, 1 incomplete"),
        "{out}"
    );
    let coloured = printed(
        &s,
        &TerminalOptions {
            colour: Colour::Always,
            written: None,
        },
    );
    let verdict = coloured
        .lines()
        .find(|l| l.contains("CreateYdelse"))
        .expect("line");
    assert!(verdict.contains("\x1b[1;33mincomplete"), "{verdict:?}");
    assert!(!verdict.contains("\x1b[32m"), "never green: {verdict:?}");
}
