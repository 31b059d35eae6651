//! `index.html`: the run for people, as one self-contained static page (inline CSS and JS,
//! nothing fetched from the network). The main function here is [`render`].
//!
//! The page shows, top to bottom: the run header (target, times, a complete or INCOMPLETE
//! banner, whether CPR numbers are masked, a banner when TLS verification was off), the verdict
//! per method in a table, the coverage matrix and mutation score when the run measured them,
//! filters, and every case grouped by method, each a `<details>`: a case that did not pass with
//! its reason, expectation beside the outcome, grounds and exchanges; a pass in brief (its
//! expectation, outcome and file), so the page of a large run stays small (summary.json keeps
//! every exchange). Every piece of case text and every byte the target
//! answered is escaped: a response body holding `<script>` shows as text.
//!
//! The filters are plain inline JS over `data-` attributes. Without JS the filter bar stays
//! hidden and every case shows.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::text;
use crate::run::result::{
    CaseResult, CodeStatus, Counts, GateSummary, MethodCoverage, MethodSummary, MethodVerdict,
    MutationScore, RunSummary, Verdict,
};
use crate::target::outcome::Exchange;

/// The file name inside a report folder.
pub const FILE_NAME: &str = "index.html";

/// Escapes text for an HTML text node or a quoted attribute.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newlines have no business in a page.
            c if c.is_control() && c != '\n' && c != '\t' && c != '\r' => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A fragment id for a method: `m-Service.Method`.
fn method_anchor(service: &str, method: &str) -> String {
    format!("m-{}", slug(&format!("{service}.{method}")))
}

fn case_anchor(id: &str) -> String {
    format!("c-{}", slug(id))
}

/// Letters, digits, `.`, `-` and `_` kept; anything else becomes `_`.
fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn method_verdict_class(v: MethodVerdict) -> &'static str {
    match v {
        MethodVerdict::Conformant => "v-pass",
        MethodVerdict::NotConformant => "v-fail",
        // Never green: evidence is missing.
        MethodVerdict::Incomplete => "v-incomplete",
        // Never green either: a reading the statement does not declare decides.
        MethodVerdict::Inconclusive => "v-inconclusive",
        MethodVerdict::NotApplicable => "v-na",
    }
}

fn verdict_class(v: &Verdict) -> &'static str {
    match v {
        Verdict::Pass => "v-pass",
        Verdict::Fail { .. } => "v-fail",
        Verdict::Error { .. } => "v-error",
        Verdict::NotApplicable { .. } => "v-na",
        Verdict::Inconclusive { .. } => "v-inconclusive",
    }
}

/// The page of a summary that already went through the redactor.
pub fn render(summary: &RunSummary) -> String {
    let mut h = String::with_capacity(64 * 1024 + summary.cases.len() * 4096);
    let title = format!("konform report: {}", summary.target);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    header(&mut h, summary);
    methods_table(&mut h, summary);
    coverage(&mut h, summary);
    filters(&mut h, summary);
    cases(&mut h, summary);
    let _ = write!(
        h,
        "<footer>konform {} · summary.json schema version {}</footer>\n\
         <script>{JS}</script>\n</body>\n</html>\n",
        esc(env!("CARGO_PKG_VERSION")),
        summary.schema_version
    );
    h
}

fn header(h: &mut String, s: &RunSummary) {
    let overall = overall_verdict(&s.methods);
    let _ = write!(
        h,
        "<header>\n<h1>konform conformance report <span class=\"badge {}\">{}</span></h1>\n",
        method_verdict_class(overall),
        esc(&text::method_verdict_label(overall).to_uppercase())
    );
    h.push_str("<dl class=\"meta\">\n");
    let duration = text::elapsed_ms(&s.started, &s.finished)
        .map(text::duration_ms)
        .unwrap_or_else(|| "?".to_string());
    for (k, v) in [
        ("target", s.target.as_str()),
        ("run", s.run_id.as_str()),
        ("started", s.started.as_str()),
        ("finished", s.finished.as_str()),
        ("wall time", duration.as_str()),
    ] {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    let _ = writeln!(
        h,
        "<dt>status</dt><dd>{}</dd>",
        if s.complete {
            "<span class=\"badge v-pass\">complete</span>"
        } else {
            "<span class=\"badge v-fail\">INCOMPLETE</span>"
        }
    );
    h.push_str("</dl>\n");
    if !s.complete {
        let _ = writeln!(
            h,
            "<div class=\"banner bad\" id=\"incomplete\"><strong>INCOMPLETE RUN.</strong> {}; \
             this report holds only the {} cases that finished. Verdicts of \
             methods whose cases did not all run are not a certification.</div>",
            esc(s.stopped.as_deref().unwrap_or("The run was interrupted")),
            s.cases.len()
        );
    }
    if s.tls_verification_off {
        h.push_str(
            "<div class=\"banner warn\" id=\"tls-off\"><strong>TLS VERIFICATION WAS OFF.</strong> \
             The target's certificates were not checked in this run.</div>\n",
        );
    }
    if let Some(g) = &s.gate {
        gate(h, g);
    }
    if s.cpr_shown {
        h.push_str(
            "<div class=\"banner warn\" id=\"cpr-notice\"><strong>CPR NUMBERS ARE SHOWN.</strong> \
             This run was asked to show CPR numbers unmasked: the report holds personal data. \
             Handle and delete it accordingly.</div>\n",
        );
    } else {
        h.push_str(
            "<p class=\"notice\" id=\"cpr-notice\">CPR numbers are masked (<code>010190-****</code>); \
             authorization values are replaced by <code>***</code>.</p>\n",
        );
    }
    let t = &s.totals;
    let mv = method_verdict_counts(&s.methods);
    // A zero is never coloured: it is neither good nor bad news.
    let b = |class: &str, n: usize, what: &str| {
        let class = if n == 0 { "c-zero" } else { class };
        format!("<b class=\"{class}\">{n} {what}</b>")
    };
    let _ = writeln!(
        h,
        "<p class=\"totals\">{} methods: {}, {}, {}, {}, {}. {} cases: {}, {}, {}, {}, {}.</p>",
        s.methods.len(),
        b("c-pass", mv.0, "conformant"),
        b("c-fail", mv.1, "not conformant"),
        b("c-incomplete", mv.2, "incomplete"),
        b("c-inconclusive", mv.4, "inconclusive"),
        b("c-na", mv.3, "not applicable"),
        t.total(),
        b("c-pass", t.pass, "pass"),
        b("c-fail", t.fail, "fail"),
        b("c-error", t.error, "error"),
        b("c-inconclusive", t.inconclusive, "inconclusive"),
        b("c-na", t.not_applicable, "not applicable"),
    );
    if let Some(st) = &s.statement {
        let _ = writeln!(h, "<p class=\"statement\">Readings: {}</p>", esc(st));
    }
    failures_index(h, s);
    h.push_str("</header>\n");
}

/// Not conformant if any method is; conformant only if every method is; incomplete when some
/// method lacks evidence (incomplete, or not applicable beside others that ran); not
/// applicable when nothing ran.
fn overall_verdict(methods: &[MethodSummary]) -> MethodVerdict {
    let (ok, bad, inc, na, inconclusive) = method_verdict_counts(methods);
    if bad > 0 {
        MethodVerdict::NotConformant
    } else if inconclusive > 0 {
        MethodVerdict::Inconclusive
    } else if ok > 0 && inc == 0 && na == 0 {
        MethodVerdict::Conformant
    } else if inc > 0 || ok > 0 {
        MethodVerdict::Incomplete
    } else {
        MethodVerdict::NotApplicable
    }
}

fn method_verdict_counts(methods: &[MethodSummary]) -> (usize, usize, usize, usize, usize) {
    let mut c = (0, 0, 0, 0, 0);
    for m in methods {
        match m.verdict {
            MethodVerdict::Conformant => c.0 += 1,
            MethodVerdict::NotConformant => c.1 += 1,
            MethodVerdict::Incomplete => c.2 += 1,
            MethodVerdict::NotApplicable => c.3 += 1,
            MethodVerdict::Inconclusive => c.4 += 1,
        }
    }
    c
}

/// A method's evidence for the methods table: the share reached, what is missing in the
/// tooltip.
fn evidence_cell(m: &MethodSummary) -> String {
    match &m.evidence {
        None => "<span class=\"dim\">–</span>".to_string(),
        Some(e) if e.is_complete() => esc(&e.share()),
        Some(e) => format!(
            "<span class=\"c-incomplete\" title=\"{}\">{}</span><br><small>{}</small>",
            esc(&e.missing()),
            esc(&e.share()),
            esc(&e.missing())
        ),
    }
}

/// `p/f/e/n` with a tooltip, or a dash when no case is counted.
fn apart(c: &Counts) -> String {
    if c.total() == 0 {
        return "<span class=\"dim\">–</span>".to_string();
    }
    format!(
        "<span title=\"{}\">{} <small>({}/{}/{}/{})</small></span>",
        esc(&text::counts(c)),
        c.total(),
        c.pass,
        c.fail,
        c.error,
        c.not_applicable
    )
}

fn methods_table(h: &mut String, s: &RunSummary) {
    h.push_str(
        "<section id=\"methods\">\n<h2>Verdict per method</h2>\n<table class=\"methods\">\n<thead><tr>\
         <th>service</th><th>method</th><th>verdict</th><th class=\"n\">pass</th>\
         <th class=\"n\">fail</th><th class=\"n\">error</th><th class=\"n\">n/a</th>\
         <th class=\"n\">cases</th>\
         <th class=\"n\" title=\"cases resting on overlay assumptions: total (pass/fail/error/n-a)\">on assumptions</th>\
         <th class=\"n\" title=\"cases generated by konform gen: total (pass/fail/error/n-a)\">generated</th>\
         <th title=\"documented codes and rules with a case that passed in this run (or declared untestable)\">evidence</th>\
         </tr></thead>\n<tbody>\n",
    );
    for m in &s.methods {
        let c = &m.counts;
        let _ = writeln!(
            h,
            "<tr class=\"mrow\" data-service=\"{svc}\" data-verdict=\"{vc}\"><td>{svc}</td>\
             <td><a href=\"#{anchor}\">{method}</a></td>\
             <td><span class=\"badge {vc}\">{verdict}</span></td>\
             <td class=\"n\">{}</td><td class=\"n{}\">{}</td><td class=\"n{}\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"evidence\">{}</td></tr>",
            c.pass,
            if c.fail > 0 { " c-fail" } else { "" },
            c.fail,
            if c.error > 0 { " c-error" } else { "" },
            c.error,
            c.not_applicable,
            c.total(),
            apart(&m.assumed),
            apart(&m.generated),
            evidence_cell(m),
            svc = esc(&m.service),
            vc = method_verdict_class(m.verdict),
            anchor = esc(&method_anchor(&m.service, &m.method)),
            method = esc(&m.method),
            verdict = esc(text::method_verdict_label(m.verdict)),
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

/// The place of the coverage matrix and the mutation score: rendered when the summary
/// carries them, a marked placeholder otherwise.
fn coverage(h: &mut String, s: &RunSummary) {
    h.push_str(
        "<!-- konform:coverage: the per-method coverage matrix and the mutation kill ratio \
         (summary fields `coverage` and `mutation`) -->\n\
         <section id=\"coverage\">\n<h2>Coverage and mutation score</h2>\n",
    );
    match &s.mutation {
        Some(m) => mutation(h, m),
        None => h.push_str(
            "<p class=\"placeholder\" id=\"mutation-placeholder\">Mutation kill ratio: not \
             measured in this run.</p>\n",
        ),
    }
    if s.coverage.is_empty() {
        h.push_str(
            "<p class=\"placeholder\" id=\"coverage-placeholder\">Coverage matrix (documented \
             error codes and rules per method, and the cases covering each): not measured in \
             this run.</p>\n",
        );
    } else {
        for m in &s.coverage {
            coverage_matrix(h, m);
        }
    }
    h.push_str("</section>\n");
}

/// The regression gate's judgement (`--waivers`): whether the run passes, and every list that
/// decided it.
fn gate(h: &mut String, g: &GateSummary) {
    let _ = writeln!(
        h,
        "<div class=\"banner {}\" id=\"gate\"><strong>REGRESSION GATE {}</strong> (waivers: <code>{}</code>): \
         {} waived, {} unwaived, {} expired, {} unexpected passes, {} unmatched.",
        if g.passed { "ok" } else { "bad" },
        if g.passed { "PASSED" } else { "FAILED" },
        esc(&g.file),
        g.waived.len(),
        g.unwaived.len(),
        g.expired.len(),
        g.unexpected_passes.len(),
        g.unmatched.len()
    );
    let list = |h: &mut String, label: &str, ids: &[String]| {
        if !ids.is_empty() {
            let items: Vec<String> = ids
                .iter()
                .map(|i| format!("<code>{}</code>", esc(i)))
                .collect();
            let _ = writeln!(h, "<br>{}: {}", esc(label), items.join(", "));
        }
    };
    list(h, "unwaived failures", &g.unwaived);
    list(
        h,
        "unexpected passes (their waivers can go)",
        &g.unexpected_passes,
    );
    list(h, "waivers naming no case of this run", &g.unmatched);
    let expired: Vec<String> = g
        .expired
        .iter()
        .map(|e| format!("{} ({}, expired after {})", e.case, e.ticket, e.expires))
        .collect();
    list(h, "expired waivers", &expired);
    h.push_str("</div>\n");
}

fn mutation(h: &mut String, m: &MutationScore) {
    let ratio = if m.mutants == 0 {
        "–".to_string()
    } else {
        format!("{:.1} %", 100.0 * m.killed as f64 / m.mutants as f64)
    };
    let _ = writeln!(
        h,
        "<p id=\"mutation\">Mutation kill ratio: <b>{} of {} mutants killed ({})</b>.</p>",
        m.killed,
        m.mutants,
        esc(&ratio)
    );
    if !m.by_kind.is_empty() {
        h.push_str(
            "<table id=\"mutation-kinds\"><thead><tr><th>mutant family</th><th>mutants</th>\
             <th>killed</th><th>kill ratio</th></tr></thead><tbody>\n",
        );
        for (kind, k) in &m.by_kind {
            let ratio = if k.mutants == 0 {
                "–".to_string()
            } else {
                format!("{:.1} %", 100.0 * k.killed as f64 / k.mutants as f64)
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(kind),
                k.mutants,
                k.killed,
                esc(&ratio)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !m.survivors.is_empty() {
        h.push_str(
            "<p>Survivors (no case detected the planted fault):</p>\n<ul class=\"survivors\">\n",
        );
        for sv in &m.survivors {
            let _ = writeln!(
                h,
                "<li><code>{}</code> {} — {}{}</li>",
                esc(&sv.id),
                esc(sv.method.as_deref().unwrap_or("(every method)")),
                esc(&sv.reason),
                if sv.explained {
                    " <span class=\"badge v-not-applicable\">explained</span>"
                } else {
                    ""
                }
            );
        }
        h.push_str("</ul>\n");
    }
}

fn coverage_matrix(h: &mut String, m: &MethodCoverage) {
    let count = |status: CodeStatus| {
        m.codes.iter().filter(|c| c.status == status).count()
            + m.rules.iter().filter(|r| r.status == status).count()
    };
    let kill = m
        .kill_ratio
        .map(|k| format!(", {} of {} mutants killed", k.killed, k.mutants))
        .unwrap_or_default();
    let _ = write!(
        h,
        "<details class=\"coverage\" data-service=\"{}\"><summary>{}.{}: {} covered, {} untestable, \
         {} uncovered{}</summary>\n<table><thead><tr><th>code or rule</th><th>text</th>\
         <th>covering cases</th></tr></thead><tbody>\n",
        esc(&m.service),
        esc(&m.service),
        esc(&m.method),
        count(CodeStatus::Covered),
        count(CodeStatus::Untestable),
        count(CodeStatus::Uncovered),
        esc(&kill)
    );
    // In a run, a code counts as covered only when a covering case passed in it; its other
    // covering cases are listed as not evidencing it.
    let links = |cases: &[String], status: CodeStatus| -> String {
        if cases.is_empty() {
            return "<span class=\"badge v-fail\">uncovered</span>".to_string();
        }
        let list = cases
            .iter()
            .map(|c| format!("<a href=\"#{}\">{}</a>", esc(&case_anchor(c)), esc(c)))
            .collect::<Vec<_>>()
            .join(", ");
        match status {
            CodeStatus::Covered | CodeStatus::Untestable => list,
            CodeStatus::Uncovered => format!(
                "<span class=\"badge v-incomplete\">not evidenced</span> no covering case \
                 passed in this run: {list}"
            ),
        }
    };
    for c in &m.codes {
        let cases = match (c.status, c.reason.as_deref()) {
            (CodeStatus::Untestable, Some(reason)) => {
                format!(
                    "<span class=\"badge v-not-applicable\">untestable</span> {}",
                    esc(reason)
                )
            }
            _ => links(&c.cases, c.status),
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            c.code,
            esc(c.text.as_deref().unwrap_or("")),
            cases
        );
    }
    for r in &m.rules {
        let cases = match (r.status, r.reason.as_deref()) {
            (CodeStatus::Untestable, Some(reason)) => format!(
                "<span class=\"badge v-not-applicable\">untestable</span> {}",
                esc(reason)
            ),
            _ => links(&r.cases, r.status),
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            esc(&r.id),
            esc(&r.text),
            cases
        );
    }
    h.push_str("</tbody></table></details>\n");
}

fn filters(h: &mut String, s: &RunSummary) {
    let services: BTreeSet<&str> = s.cases.iter().map(|c| c.service.as_str()).collect();
    // Hidden until the script shows it: with JS off there is nothing to filter with, and
    // every case is shown.
    h.push_str(
        "<h2 id=\"cases-heading\">Cases</h2>\n<section id=\"filters\" hidden>\n<form onsubmit=\"return false\">\n\
         <fieldset><legend>verdict</legend>\n",
    );
    for (value, label) in [
        ("pass", "pass"),
        ("fail", "fail"),
        ("error", "error"),
        ("not-applicable", "not applicable"),
    ] {
        let _ = writeln!(
            h,
            "<label><input type=\"checkbox\" name=\"verdict\" value=\"{value}\" checked> {label}</label>"
        );
    }
    h.push_str(
        "</fieldset>\n<label>service <select id=\"f-service\"><option value=\"\">all</option>\n",
    );
    for svc in services {
        let _ = writeln!(h, "<option value=\"{0}\">{0}</option>", esc(svc));
    }
    h.push_str(
        "</select></label>\n<label>search <input type=\"search\" id=\"f-text\" \
         placeholder=\"id, title, reason, body…\"></label>\n\
         <span id=\"f-count\" aria-live=\"polite\"></span>\n</form>\n</section>\n",
    );
}

/// Whether a case did not pass and could be judged: a failure, an error, or a verdict added
/// later such as inconclusive. These come first, open, with their exchanges.
fn failing(c: &CaseResult) -> bool {
    !matches!(c.verdict, Verdict::Pass | Verdict::NotApplicable { .. })
}

/// The failing cases at the top of the page, each a link to its details below.
fn failures_index(h: &mut String, s: &RunSummary) {
    let failing: Vec<&CaseResult> = s.cases.iter().filter(|c| failing(c)).collect();
    if failing.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<section id=\"failures\">\n<h2>Failures ({})</h2>\n<ul class=\"failures\">",
        failing.len()
    );
    for c in failing {
        let _ = writeln!(
            h,
            "<li><span class=\"badge {}\">{}</span> <a href=\"#{}\"><code>{}</code></a> {}</li>",
            verdict_class(&c.verdict),
            esc(text::verdict_label(&c.verdict)),
            esc(&case_anchor(&c.id)),
            esc(&c.id),
            esc(&text::one_line(c.verdict.reason().unwrap_or(""), 160)),
        );
    }
    h.push_str("</ul>\n</section>\n");
}

fn cases(h: &mut String, s: &RunSummary) {
    h.push_str("<main id=\"cases\">\n");
    // Methods with failures first, and in each method the failing cases first; the order
    // is otherwise the summary's (service, method, id).
    let mut groups: Vec<&[CaseResult]> = Vec::new();
    let mut i = 0;
    while i < s.cases.len() {
        let first = &s.cases[i];
        let mut j = i;
        while j < s.cases.len()
            && s.cases[j].service == first.service
            && s.cases[j].method == first.method
        {
            j += 1;
        }
        groups.push(&s.cases[i..j]);
        i = j;
    }
    groups.sort_by_key(|g| !g.iter().any(failing));
    for group in groups {
        let first = &group[0];
        let verdict = s
            .methods
            .iter()
            .find(|m| m.service == first.service && m.method == first.method)
            .map(|m| m.verdict);
        let _ = write!(
            h,
            "<section class=\"method\" id=\"{}\" data-service=\"{}\">\n<h3>{}.{}",
            esc(&method_anchor(&first.service, &first.method)),
            esc(&first.service),
            esc(&first.service),
            esc(&first.method)
        );
        if let Some(v) = verdict {
            let _ = write!(
                h,
                " <span class=\"badge {}\">{}</span>",
                method_verdict_class(v),
                esc(text::method_verdict_label(v))
            );
        }
        h.push_str("</h3>\n");
        let mut ordered: Vec<&CaseResult> = group.iter().collect();
        ordered.sort_by_key(|c| !failing(c));
        let passed = ordered
            .iter()
            .filter(|c| matches!(c.verdict, Verdict::Pass))
            .count();
        for case in ordered {
            case_details(h, case);
        }
        if passed > 0 {
            let _ = writeln!(
                h,
                "<p class=\"dim passes\">{passed} passing case{} shown in brief; their exchanges are in summary.json.</p>",
                if passed == 1 { "" } else { "s" }
            );
        }
        h.push_str("</section>\n");
    }
    if s.cases.is_empty() {
        h.push_str("<p class=\"placeholder\">No case finished in this run.</p>\n");
    }
    h.push_str("</main>\n");
}

fn case_details(h: &mut String, c: &CaseResult) {
    // Failures and errors open, their exchanges too: they are what a reader came for.
    let open = failing(c);
    let mut marks = String::new();
    if !c.assumes.is_empty() {
        marks.push_str(
            " <span class=\"mark\" title=\"rests on overlay assumptions\">assumption</span>",
        );
    }
    if c.generated {
        marks.push_str(" <span class=\"mark\" title=\"generated by konform gen\">generated</span>");
    }
    let _ = writeln!(
        h,
        "<details class=\"case\" id=\"{}\" data-verdict=\"{}\" data-service=\"{}\"{}>\n\
         <summary><span class=\"badge {}\">{}</span> <code class=\"id\">{}</code> {}{marks}\
         <span class=\"dur\">{}</span></summary>",
        esc(&case_anchor(&c.id)),
        esc(c.verdict.name()),
        esc(&c.service),
        if open { " open" } else { "" },
        verdict_class(&c.verdict),
        esc(text::verdict_label(&c.verdict)),
        esc(&c.id),
        esc(&c.title),
        esc(&text::duration_ms(c.duration_ms)),
    );
    h.push_str("<dl class=\"facts\">\n");
    if matches!(c.verdict, Verdict::Pass) {
        // Passes in brief: what was expected and what came, and where the case is. Their
        // grounds, callers and exchanges are in summary.json; a page of a large run stays a
        // size a browser opens.
        let _ = writeln!(
            h,
            "<dt>expected</dt><dd>{}</dd>\n<dt>outcome</dt><dd>{}</dd>\n\
             <dt>origin</dt><dd><code>{}</code>{}</dd>",
            esc(&c.expected),
            esc(&text::outcome_or_none(c.outcome.as_ref())),
            esc(&c.origin),
            if c.generated { " (generated)" } else { "" },
        );
        if c.attempts > 1 {
            // A pass that took retries says so: the target was not reachable at once.
            let _ = writeln!(
                h,
                "<dt>time</dt><dd>{}, {} attempts</dd>",
                esc(&text::duration_ms(c.duration_ms)),
                c.attempts
            );
        }
        h.push_str("</dl>\n</details>\n");
        return;
    }
    if let Some(reason) = c.verdict.reason() {
        let _ = writeln!(
            h,
            "<dt>reason</dt><dd class=\"reason {}\">{}</dd>",
            verdict_class(&c.verdict),
            esc(reason)
        );
    }
    if let Some(caller) = &c.caller {
        let _ = writeln!(h, "<dt>caller</dt><dd>{}</dd>", esc(&caller.to_string()));
    }
    let _ = writeln!(h, "<dt>expected</dt><dd>{}</dd>", esc(&c.expected));
    let _ = writeln!(
        h,
        "<dt>outcome</dt><dd>{}</dd>",
        esc(&text::outcome_or_none(c.outcome.as_ref()))
    );
    let mut covers: Vec<String> = c.covers.codes.iter().map(|x| x.to_string()).collect();
    covers.extend(c.covers.rules.iter().cloned());
    if !covers.is_empty() {
        let _ = writeln!(h, "<dt>covers</dt><dd>{}</dd>", esc(&covers.join(", ")));
    }
    if !c.assumes.is_empty() {
        let _ = writeln!(h, "<dt>assumes</dt><dd>{}</dd>", esc(&c.assumes.join(", ")));
    }
    grounds(h, c);
    mismatches(h, c);
    if !c.tags.is_empty() {
        let _ = writeln!(h, "<dt>tags</dt><dd>{}</dd>", esc(&c.tags.join(", ")));
    }
    let _ = writeln!(
        h,
        "<dt>origin</dt><dd><code>{}</code>{}</dd>",
        esc(&c.origin),
        if c.generated { " (generated)" } else { "" }
    );
    let _ = writeln!(
        h,
        "<dt>time</dt><dd>{}, {} attempt{}</dd>",
        esc(&text::duration_ms(c.duration_ms)),
        c.attempts,
        if c.attempts == 1 { "" } else { "s" }
    );
    h.push_str("</dl>\n");
    if let Some(r) = &c.reproduce {
        let _ = writeln!(
            h,
            "<div class=\"repro\"><h4>run it again</h4><pre class=\"rerun\">{}</pre>",
            esc(&r.konform)
        );
        if !r.curl.is_empty() {
            let _ = writeln!(
                h,
                "<h4>replay with curl</h4><pre class=\"curl\">{}</pre>",
                esc(&r.curl.join("\n"))
            );
        }
        h.push_str("</div>\n");
    }
    if let Some(outcome) = &c.outcome
        && let Ok(json) = serde_json::to_string_pretty(outcome)
    {
        let _ = writeln!(
            h,
            "<details class=\"outcome\"><summary>normalised outcome</summary><pre>{}</pre></details>",
            esc(&json)
        );
    }
    for (i, e) in c.exchanges.iter().enumerate() {
        exchange(h, e, i, c.exchanges.len(), open);
    }
    h.push_str("</details>\n");
}

/// What the case's expectation rests on: each document line (document, line, quoted text) or
/// overlay entry. Said outright when there is none, so a failing verdict never stands on
/// nothing silently.
/// The answer's mismatches as a table: path, what the spec says, what came back, grounds.
fn mismatches(h: &mut String, c: &CaseResult) {
    if c.mismatches.is_empty() {
        return;
    }
    h.push_str("<dt>mismatches</dt><dd class=\"mismatches\"><table><thead><tr><th>path</th><th>the spec says</th><th>got</th><th>grounds</th></tr></thead><tbody>");
    for m in &c.mismatches {
        let _ = write!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&m.path),
            esc(&m.expected),
            esc(&m.got),
            esc(&m.grounds)
        );
    }
    h.push_str("</tbody></table></dd>\n");
}

fn grounds(h: &mut String, c: &CaseResult) {
    if c.grounds.is_empty() {
        if matches!(c.verdict, Verdict::Fail { .. }) {
            h.push_str("<dt>grounds</dt><dd class=\"grounds none\">none recorded</dd>\n");
        }
        return;
    }
    h.push_str("<dt>grounds</dt><dd class=\"grounds\"><ul>");
    for g in &c.grounds {
        match &g.at {
            Some(at) => {
                let _ = write!(
                    h,
                    "<li>{}: <code>{}:{}</code> <q>{}</q></li>",
                    esc(&g.on),
                    esc(&at.doc),
                    at.line,
                    esc(&at.text)
                );
            }
            None => {
                let _ = write!(h, "<li>{}</li>", esc(&g.cite()));
            }
        }
    }
    h.push_str("</ul></dd>\n");
}

fn exchange(h: &mut String, e: &Exchange, i: usize, n: usize, open: bool) {
    let role = if i + 1 == n { "request" } else { "setup" };
    let status = match &e.response {
        Some(r) => format!("→ {}", r.status),
        None => "→ no response".to_string(),
    };
    let _ = writeln!(
        h,
        "<details class=\"exchange\"{}><summary>{}. <span class=\"role\">{role}</span> \
         <code>{} {}</code> {}</summary>\n<div class=\"pair\"><div><h4>request</h4><pre>{}</pre></div>\
         <div><h4>response</h4><pre>{}</pre></div></div></details>",
        if open { " open" } else { "" },
        i + 1,
        esc(&e.request.method),
        esc(&e.request.url),
        esc(&status),
        esc(&text::request(e)),
        esc(&text::response(e)),
    );
}

const CSS: &str = r#"
:root{--fg:#1d2330;--dim:#6b7280;--bg:#fff;--line:#e3e6ea;--pass:#13795b;--pass-bg:#e5f5ee;--fail:#b42318;--fail-bg:#fde8e6;--err:#9a3412;--err-bg:#fdeedc;--na:#4b5563;--na-bg:#eef0f3;--warn-bg:#fff4d6;--warn:#7a4d00}
*{box-sizing:border-box}
[hidden]{display:none !important}
body{margin:0 auto;max-width:1280px;padding:1.2rem 1.5rem 3rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}
h2{font-size:1.15rem;margin:1.6rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
h4{margin:.2rem 0;font-size:.8rem;text-transform:uppercase;color:var(--dim);letter-spacing:.04em}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
pre{background:#f6f7f9;border:1px solid var(--line);border-radius:4px;padding:.5rem .6rem;overflow:auto;max-height:32rem;white-space:pre-wrap;word-break:break-word;margin:.2rem 0}
a{color:#1d4ed8;text-decoration:none}a:hover{text-decoration:underline}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.3rem 0 .8rem}
dl.meta dt,dl.facts dt{color:var(--dim)}dl.meta dd,dl.facts dd{margin:0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.5rem 0}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.78rem;font-weight:600;white-space:nowrap;vertical-align:middle}
.v-pass{color:var(--pass);background:var(--pass-bg)}.v-fail{color:var(--fail);background:var(--fail-bg)}.v-error{color:var(--err);background:var(--err-bg)}.v-na{color:var(--na);background:var(--na-bg)}.v-incomplete{color:var(--warn);background:var(--warn-bg)}.c-incomplete{color:var(--warn)}.v-inconclusive{color:var(--warn);background:var(--warn-bg)}.c-inconclusive{color:var(--warn)}dd.grounds ul{margin:0;padding-left:1.1rem}dd.grounds q{font-style:italic}
dd.reason{padding:.1rem .4rem;border-radius:3px}
.c-zero{color:var(--fg);font-weight:400}.c-pass{color:var(--pass)}.c-fail{color:var(--fail);font-weight:600}.c-error{color:var(--err);font-weight:600}.c-na{color:var(--na)}
.banner{padding:.6rem .8rem;border-radius:5px;margin:.5rem 0;border:1px solid}
.banner.bad{background:var(--fail-bg);color:var(--fail);border-color:#f4b5ae}
.banner.warn{background:var(--warn-bg);color:var(--warn);border-color:#f0d38a}
.banner.ok{background:var(--pass-bg);color:var(--pass);border-color:#9fd8b4}
.notice{color:var(--dim);margin:.3rem 0}
.totals{font-size:1rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.78rem;text-transform:uppercase;letter-spacing:.03em;color:var(--dim);background:#fafbfc}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:hover{background:#fafbfc}
small,.dim{color:var(--dim)}
.placeholder{color:var(--dim);font-style:italic;border:1px dashed var(--line);padding:.5rem .7rem;border-radius:4px}
details.coverage{margin:.3rem 0}
#filters form{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:center;background:#fafbfc;border:1px solid var(--line);border-radius:5px;padding:.5rem .8rem}
#filters fieldset{border:0;margin:0;padding:0;display:flex;gap:.7rem;align-items:center}
#filters legend{float:left;color:var(--dim);margin-right:.4rem}
#filters input[type=search]{width:18rem;padding:.2rem .4rem}
#f-count{color:var(--dim)}
details.case{border:1px solid var(--line);border-radius:5px;margin:.35rem 0;padding:.1rem .7rem}
details.case>summary{cursor:pointer;padding:.35rem 0}
details.case[open]>summary{border-bottom:1px solid var(--line);margin-bottom:.3rem}
details.case .id{font-weight:600}
.dur{float:right;color:var(--dim);font-size:.8rem}
.mark{font-size:.72rem;border:1px solid var(--line);border-radius:3px;padding:0 .3rem;color:var(--dim);margin-left:.3rem}
details.exchange,details.outcome{margin:.3rem 0 .5rem}
details.exchange>summary,details.outcome>summary{cursor:pointer;color:#374151}
.role{font-size:.75rem;text-transform:uppercase;color:var(--dim)}
.pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:.6rem}
code{overflow-wrap:anywhere}
section,main,details{min-width:0;max-width:100%}
#methods{overflow-x:auto}
ul.failures{padding-left:1.2rem}ul.failures li{margin:.15rem 0}
@media (max-width:900px){.pair{grid-template-columns:1fr}}
footer{margin-top:2rem;color:var(--dim);font-size:.8rem}
"#;

const JS: &str = r#"
(function(){
  var bar=document.getElementById('filters');
  if(!bar){return;}
  bar.hidden=false;
  var boxes=[].slice.call(bar.querySelectorAll('input[name=verdict]'));
  var svc=document.getElementById('f-service'), q=document.getElementById('f-text'), count=document.getElementById('f-count');
  var cases=[].slice.call(document.querySelectorAll('details.case'));
  var text=cases.map(function(c){return c.textContent.toLowerCase();});
  function apply(){
    var on={}; boxes.forEach(function(b){on[b.value]=b.checked;});
    var s=svc.value, t=q.value.trim().toLowerCase(), shown=0;
    cases.forEach(function(c,i){
      var show=on[c.getAttribute('data-verdict')] && (!s||c.getAttribute('data-service')===s) && (!t||text[i].indexOf(t)>=0);
      c.hidden=!show; if(show){shown++;}
    });
    [].forEach.call(document.querySelectorAll('section.method'),function(m){m.hidden=!m.querySelector('details.case:not([hidden])');});
    [].forEach.call(document.querySelectorAll('tr.mrow, details.coverage'),function(r){r.hidden=!!s&&r.getAttribute('data-service')!==s;});
    count.textContent='showing '+shown+' of '+cases.length+' cases';
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  svc.addEventListener('change',apply); q.addEventListener('input',apply);
  apply();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(esc("a\u{1b}[31mb"), "a\\u{001b}[31mb");
        assert_eq!(slug("Create Ydelse.<x>"), "Create_Ydelse._x_");
    }
}
