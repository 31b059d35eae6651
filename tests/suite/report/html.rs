//! `index.html`: one self-contained page (nothing from the network), the run header and its
//! banners, the verdict table, the coverage place, filters, and every case escaped.

use regex::Regex;

use konform::run::result::{RunSummary, Verdict};

use crate::report::fixtures;

fn html_of(summary: &RunSummary, name: &str) -> String {
    let dir = fixtures::temp_dir(name);
    let w = konform::report::write_all(summary, &dir).expect("write");
    std::fs::read_to_string(w.index_html).expect("read index.html")
}

#[test]
fn the_page_is_self_contained() {
    let html = html_of(&fixtures::with_coverage(), "html-offline");
    // No resource is loaded from anywhere: no src, no stylesheet link, no CSS url or import.
    for needle in [" src=", "<link", "@import", "url(", "//fonts", "cdn"] {
        assert!(!html.contains(needle), "index.html contains {needle:?}");
    }
    // Links only to fragments of the page itself.
    let href = Regex::new(r#"href="([^"]*)""#).expect("re");
    for cap in href.captures_iter(&html) {
        assert!(cap[1].starts_with('#'), "external link {}", &cap[1]);
    }
    // A Content-Security-Policy that forbids any fetch.
    assert!(html.contains("default-src 'none'"));
    // Exactly one script element: our own inline filter script.
    assert_eq!(html.matches("<script>").count(), 1);
    assert_eq!(html.matches("</script>").count(), 1);
    // Every <details> and <section> is closed.
    assert_eq!(
        html.matches("<details").count(),
        html.matches("</details>").count()
    );
    assert_eq!(
        html.matches("<section").count(),
        html.matches("</section>").count()
    );
}

#[test]
fn target_answers_and_case_text_are_escaped() {
    let mut s = fixtures::summary();
    s.cases[0].title = "a <b>bold</b> title & \"quotes\"".to_string();
    s.cases[0].id = "CreateYdelse.\"><img onerror=x>".to_string();
    let html = html_of(&s, "html-escape");
    // The HTML answer, pretty-printed as XML and escaped.
    assert!(html.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert"));
    // The JSON outcome body with a script tag, pretty-printed and escaped.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("a &lt;b&gt;bold&lt;/b&gt; title &amp; &quot;quotes&quot;"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>bold"));
}

#[test]
fn header_shows_target_times_and_state() {
    let html = html_of(&fixtures::summary(), "html-header");
    assert!(html.contains("embedded reference (http://127.0.0.1:41234)"));
    assert!(
        html.contains("2026-11-24T10:00:00+01:00")
            && html.contains("2026-11-24T10:00:02.250+01:00")
    );
    assert!(
        html.contains("2.2 s") || html.contains("2.3 s"),
        "wall time"
    );
    assert!(html.contains(">complete</span>"));
    assert!(!html.contains("id=\"incomplete\""));
    assert!(!html.contains("id=\"tls-off\""));
    assert!(html.contains("CPR numbers are masked"));

    let mut s = fixtures::summary();
    s.complete = false;
    s.tls_verification_off = true;
    s.cpr_shown = true;
    let html = html_of(&s, "html-banners");
    assert!(html.contains("id=\"incomplete\"") && html.contains("INCOMPLETE RUN"));
    assert!(html.contains("id=\"tls-off\"") && html.contains("TLS VERIFICATION WAS OFF"));
    assert!(html.contains("CPR NUMBERS ARE SHOWN"));
}

#[test]
fn the_method_table_has_a_row_per_method_with_counts_apart() {
    let html = html_of(&fixtures::summary(), "html-table");
    let rows: Vec<&str> = html
        .lines()
        .filter(|l| l.starts_with("<tr class=\"mrow\""))
        .collect();
    assert_eq!(rows.len(), 3);
    let ydelse = rows
        .iter()
        .find(|r| r.contains("CreateYdelse"))
        .expect("CreateYdelse row");
    assert!(ydelse.contains("badge v-pass\">conformant"));
    // 3 pass, 0 fail, 0 error, 0 n/a, 3 cases; one on assumptions, one generated.
    let nums: Vec<&str> = Regex::new(r#"<td class="n[^"]*">([^<]*)<"#)
        .expect("re")
        .captures_iter(ydelse)
        .map(|c| c.get(1).expect("group").as_str())
        .collect();
    assert_eq!(nums[..5], ["3", "0", "0", "0", "3"]);
    assert!(ydelse.contains("title=\"1 pass, 0 fail, 0 error, 0 n/a\">1 <small>(1/0/0/0)</small>"));
    let interview = rows
        .iter()
        .find(|r| r.contains("CreatePersonInterview"))
        .expect("row");
    assert!(interview.contains("badge v-fail\">not conformant"));
    assert!(interview.contains("href=\"#m-InterviewService.CreatePersonInterview\""));
    assert!(html.contains("id=\"m-InterviewService.CreatePersonInterview\""));
}

#[test]
fn every_case_is_a_details_with_reason_expected_outcome_and_exchanges() {
    let s = fixtures::summary();
    let html = html_of(&s, "html-cases");
    for c in &s.cases {
        let start = html
            .find(&format!("<details class=\"case\" id=\"c-{}\"", c.id))
            .unwrap_or_else(|| panic!("{} missing", c.id));
        let block = &html[start..];
        let block = &block[..block.find("\n</details>\n").expect("closed")];
        assert!(block.contains(&format!("data-verdict=\"{}\"", c.verdict.name())));
        assert!(block.contains(&format!("<dt>expected</dt><dd>{}</dd>", c.expected)));
        assert!(block.contains("<dt>outcome</dt>"));
        if let Some(reason) = c.verdict.reason() {
            assert!(block.contains(reason), "{}", c.id);
        }
        // Failures show their exchanges open, passes only in brief.
        let (open, closed) = match c.verdict {
            Verdict::Pass => (0, 0),
            Verdict::NotApplicable { .. } => (0, c.exchanges.len()),
            _ => (c.exchanges.len(), 0),
        };
        assert_eq!(
            block.matches("<details class=\"exchange\" open>").count(),
            open,
            "{}",
            c.id
        );
        assert_eq!(
            block.matches("<details class=\"exchange\">").count(),
            closed,
            "{}",
            c.id
        );
    }
    // Failures and errors are open; passes are not.
    assert!(html.contains("data-verdict=\"fail\" data-service=\"InterviewService\" open>"));
    assert!(html.contains("data-verdict=\"pass\" data-service=\"InterviewService\">"));
}

#[test]
fn filters_are_hidden_without_script_and_list_the_services() {
    let html = html_of(&fixtures::summary(), "html-filters");
    assert!(html.contains("<section id=\"filters\" hidden>"));
    for svc in [
        "BorgerFlytteService",
        "InterviewService",
        "VisiteringOgStatus.YdelsesVisiteringService",
    ] {
        assert!(html.contains(&format!("<option value=\"{svc}\">{svc}</option>")));
    }
    for v in ["pass", "fail", "error", "not-applicable"] {
        assert!(html.contains(&format!("name=\"verdict\" value=\"{v}\" checked")));
    }
}

#[test]
fn coverage_and_mutation_have_a_marked_place() {
    let bare = html_of(&fixtures::summary(), "html-cov-bare");
    assert!(bare.contains("<!-- konform:coverage"));
    assert!(
        bare.contains("id=\"coverage-placeholder\"")
            && bare.contains("id=\"mutation-placeholder\"")
    );
    let full = html_of(&fixtures::with_coverage(), "html-cov");
    assert!(!full.contains("id=\"coverage-placeholder\""));
    assert!(full.contains("37 of 40 mutants killed (92.5 %)"));
    assert!(
        full.contains(
            "InterviewService.CreatePersonInterview: 2 covered, 1 untestable, 1 uncovered, 3 of 4 mutants killed"
        )
    );
    assert!(full.contains("href=\"#c-CreatePersonInterview.date-more-than-7-days-old\""));
    assert!(full.contains("uncovered"));
    assert!(full.contains("untestable</span> the document gives no text for 8183"));
}

#[test]
fn html_snapshot() {
    let html = html_of(&fixtures::with_coverage(), "html-snapshot");
    // The inline CSS and JS are long and stable; the snapshot is about the content.
    let style = html.find("<style>").expect("style");
    let style_end = html.find("</style>").expect("style end");
    let body = format!(
        "{}<style>…</style>{}",
        &html[..style],
        &html[style_end + 8..]
    );
    let script = body.find("<script>").expect("script");
    let body = format!("{}<script>…</script>\n</body>\n</html>\n", &body[..script]);
    insta::with_settings!({filters => crate::report::redactions()}, {
        insta::assert_snapshot!("html", body);
    });
}

/// A failing case cites its grounds (document, line, quoted text; overlay entries with their
/// reason); an incomplete method's badge is amber, with the share reached, and never green.
#[test]
fn failing_cases_cite_grounds_and_incomplete_is_never_green() {
    let html = html_of(&fixtures::with_coverage(), "html-grounds");
    let fail = html
        .split("<details class=\"case\" id=\"c-CreatePersonInterview.date-more-than-7-days-old\"")
        .nth(1)
        .expect("the failing case")
        .split("</dl>")
        .next()
        .expect("its facts");
    assert!(
        fail.contains(
            "<dt>grounds</dt><dd class=\"grounds\"><ul><li>error 4653: \
             <code>001_87d7a0a3447f30f0.txt:2417</code> <q>4653 | The interview date is too old"
        ),
        "{fail}"
    );
    let row = html
        .lines()
        .find(|l| l.starts_with("<tr class=\"mrow\"") && l.contains("CreateYdelse"))
        .expect("CreateYdelse row");
    assert!(
        row.contains("<span class=\"badge v-incomplete\">incomplete</span>"),
        "{row}"
    );
    assert!(!row.contains("v-pass"), "{row}");
    assert!(
        row.contains("1 of 2 codes evidenced, 0 of 1 rules evidenced"),
        "{row}"
    );
    assert!(row.contains("missing codes 4669"), "{row}");
    assert!(html.contains("<b class=\"c-incomplete\">1 incomplete</b>"));
    // The page's badge is never green while a method is incomplete.
    let mut s = fixtures::with_coverage();
    s.methods.retain(|m| m.method == "CreateYdelse");
    let only = html_of(&s, "html-incomplete-badge");
    let h1 = only.lines().find(|l| l.starts_with("<h1>")).expect("h1");
    assert!(h1.contains("badge v-incomplete\">INCOMPLETE"), "{h1}");
    // A covering case that did not pass does not evidence its code.
    assert!(html.contains("<span class=\"badge v-incomplete\">not evidenced</span>"));
}
