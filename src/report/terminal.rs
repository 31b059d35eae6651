//! The terminal summary printed at the end of `konform run`: a line per method with its
//! verdict and counts in aligned columns, the failing cases under a method that is not
//! conformant (a few, the rest are in the reports) with their details ([`text::details`]: the
//! grounds its expectation rests on among them), the evidence reached under a method that is
//! incomplete, then the totals and where the reports went. The main function here is
//! [`print`]; colour only when asked ([`Colour::detect`]).
//!
//! ```text
//! SERVICE                    METHOD                 VERDICT         PASS  FAIL  ERROR  N/A
//! InterviewService           CreatePersonInterview  not conformant     4     1      0    0
//!   fail   CreatePersonInterview.date-too-old
//!          case      InterviewService/CreatePersonInterview.date-too-old
//!          file      cases/InterviewService/CreatePersonInterview.yaml:40
//!          caller    jobcenter (JobCenter 10101)
//!          expected  error 4653
//!          …         (actual, reason, request, answer, rerun, curl)
//! PersonRegistrationService  GetPerson              incomplete         3     0      0    1
//!   evidence  1 of 4 codes evidenced, 0 of 1 rules evidenced; missing codes 1001, 1010, 4404; …
//!
//! 2 methods: 0 conformant, 1 not conformant, 1 incomplete, 0 not applicable
//! 9 cases: 7 pass, 1 fail, 0 error, 1 n/a  (embedded reference, 1.2 s)
//! reports: reports/6f0c…/index.html, junit.xml, summary.json
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, IsTerminal, Write};

use super::Written;
use super::mask::Redactor;
use super::text;
use crate::run::result::{CaseResult, MethodVerdict, RunSummary, Verdict};
use crate::sanitise;

/// How many failing cases are listed under a method before "and N more".
const FAILURES_SHOWN: usize = 5;

/// Whether to colour the verdicts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Colour {
    #[default]
    Never,
    Always,
}

impl Colour {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect() -> Colour {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if io::stdout().is_terminal() && !no_color {
            Colour::Always
        } else {
            Colour::Never
        }
    }
}

/// What [`print`] adds to the bare summary.
#[derive(Debug, Clone, Default)]
pub struct TerminalOptions {
    pub colour: Colour,
    /// The files of the run, for the closing line.
    pub written: Option<Written>,
}

fn paint(colour: Colour, code: &str, s: &str) -> String {
    match colour {
        Colour::Never => s.to_string(),
        Colour::Always => format!("\x1b[{code}m{s}\x1b[0m"),
    }
}

fn method_colour(v: MethodVerdict) -> &'static str {
    match v {
        MethodVerdict::Conformant => "32",
        MethodVerdict::NotConformant => "1;31",
        // Never green: evidence is missing.
        MethodVerdict::Incomplete => "1;33",
        MethodVerdict::Inconclusive => "1;33",
        MethodVerdict::NotApplicable => "33",
    }
}

/// A value with every text escaped for the terminal ([`sanitise::for_terminal`]): what a
/// target or a report file says cannot drive the terminal; konform's own colours can. Used
/// for the few failing cases shown in full; names and counts are escaped where printed.
fn escaped<T: serde::Serialize + serde::de::DeserializeOwned + Clone>(item: &T) -> T {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(e) = sanitise::for_terminal(s) {
                    *s = e;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(map) => map.values_mut().for_each(walk),
            serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            }
        }
    }
    let Ok(mut value) = serde_json::to_value(item) else {
        return item.clone();
    };
    walk(&mut value);
    serde_json::from_value(value).unwrap_or_else(|_| item.clone())
}

fn esc(s: &str) -> String {
    sanitise::for_terminal(s).into_owned()
}

/// Prints the summary. Text is redacted like the report files (CPR numbers, secrets) and
/// escaped for the terminal.
pub fn print(summary: &RunSummary, out: &mut dyn Write, opts: &TerminalOptions) -> io::Result<()> {
    let redactor = Redactor::new(summary.cpr_shown);
    print_redacted(&redactor.summary(summary), out, opts)
}

/// [`print`] for a summary that already went through the redactor (a run's summary: its cases
/// redacted as they were recorded, the rest sealed): nothing is copied. The method lines come
/// from the per-method counts; only the failing cases shown are looked at.
pub fn print_redacted(
    s: &RunSummary,
    out: &mut dyn Write,
    opts: &TerminalOptions,
) -> io::Result<()> {
    let c = opts.colour;
    // The failing cases of each method that is not conformant, in one pass over the cases.
    let mut failing: BTreeMap<(&str, &str), Vec<&CaseResult>> = BTreeMap::new();
    let not_conformant: BTreeSet<(&str, &str)> = s
        .methods
        .iter()
        .filter(|m| m.verdict == MethodVerdict::NotConformant)
        .map(|m| (m.service.as_str(), m.method.as_str()))
        .collect();
    for k in &s.cases {
        let key = (k.service.as_str(), k.method.as_str());
        if matches!(k.verdict, Verdict::Fail { .. } | Verdict::Error { .. })
            && not_conformant.contains(&key)
        {
            failing.entry(key).or_default().push(k);
        }
    }

    let headers = [
        "SERVICE", "METHOD", "VERDICT", "PASS", "FAIL", "ERROR", "N/A",
    ];
    let rows: Vec<[String; 7]> = s
        .methods
        .iter()
        .map(|m| {
            [
                esc(&m.service),
                esc(&m.method),
                text::method_verdict_label(m.verdict).to_string(),
                m.counts.pass.to_string(),
                m.counts.fail.to_string(),
                m.counts.error.to_string(),
                m.counts.not_applicable.to_string(),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    // Text columns left-aligned, numbers right-aligned; padding before colouring so escape
    // codes never shift a column.
    let line = |cells: [&str; 7], verdict: Option<MethodVerdict>| -> String {
        let mut parts = Vec::with_capacity(7);
        for (i, cell) in cells.iter().enumerate() {
            let padded = if i < 3 {
                format!("{cell:<w$}", w = widths[i])
            } else {
                format!("{cell:>w$}", w = widths[i])
            };
            let painted = match (i, verdict) {
                (2, Some(v)) => paint(c, method_colour(v), &padded),
                _ => padded,
            };
            parts.push(painted);
        }
        parts.join("  ").trim_end().to_string()
    };

    writeln!(out, "{}", line(headers, None))?;
    for (m, row) in s.methods.iter().zip(&rows) {
        let cells = [
            row[0].as_str(),
            row[1].as_str(),
            row[2].as_str(),
            row[3].as_str(),
            row[4].as_str(),
            row[5].as_str(),
            row[6].as_str(),
        ];
        writeln!(out, "{}", line(cells, Some(m.verdict)))?;
        if let Some(e) = &m.evidence
            && matches!(
                m.verdict,
                MethodVerdict::Incomplete | MethodVerdict::NotApplicable
            )
            && !e.is_complete()
        {
            writeln!(
                out,
                "  {}  {}; {}",
                paint(c, "33", "evidence"),
                esc(&e.share()),
                esc(&text::one_line(&e.missing(), 160))
            )?;
        }
        if matches!(
            m.verdict,
            MethodVerdict::NotConformant | MethodVerdict::Inconclusive
        ) {
            for k in s
                .cases
                .iter()
                .filter(|k| k.service == m.service && k.method == m.method)
                .take(FAILURES_SHOWN)
            {
                if let Verdict::Inconclusive {
                    reading,
                    alternative,
                    ..
                } = &k.verdict
                {
                    writeln!(
                        out,
                        "  {}  {}: passes under {reading}: {alternative}, which the statement does not declare",
                        paint(c, "33", "inconclusive"),
                        k.id
                    )?;
                }
            }
        }
        if m.verdict == MethodVerdict::NotConformant {
            let failing = failing
                .get(&(m.service.as_str(), m.method.as_str()))
                .map(Vec::as_slice)
                .unwrap_or_default();
            for k in failing.iter().take(FAILURES_SHOWN) {
                let k = escaped(*k);
                let label = text::verdict_label(&k.verdict);
                writeln!(
                    out,
                    "  {}  {}",
                    paint(c, "31", &format!("{label:<5}")),
                    k.id
                )?;
                write!(
                    out,
                    "{}",
                    text::details_text(&k, text::Detail::Short, "        ")
                )?;
            }
            if failing.len() > FAILURES_SHOWN {
                writeln!(
                    out,
                    "  … and {} more (see the reports)",
                    failing.len() - FAILURES_SHOWN
                )?;
            }
        }
    }

    let (ok, bad, inc, na, inconclusive) = s.methods.iter().fold((0, 0, 0, 0, 0), |acc, m| match m
        .verdict
    {
        MethodVerdict::Conformant => (acc.0 + 1, acc.1, acc.2, acc.3, acc.4),
        MethodVerdict::NotConformant => (acc.0, acc.1 + 1, acc.2, acc.3, acc.4),
        MethodVerdict::Incomplete => (acc.0, acc.1, acc.2 + 1, acc.3, acc.4),
        MethodVerdict::NotApplicable => (acc.0, acc.1, acc.2, acc.3 + 1, acc.4),
        MethodVerdict::Inconclusive => (acc.0, acc.1, acc.2, acc.3, acc.4 + 1),
    });
    writeln!(out)?;
    // Inconclusive only where there is one: a run without a statement's gap reads as before.
    let inconclusive = if inconclusive > 0 {
        format!(
            ", {}",
            paint(c, "1;33", &format!("{inconclusive} inconclusive"))
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} methods: {}, {}, {}, {}{inconclusive}",
        s.methods.len(),
        // A zero is never coloured: it is neither good nor bad news.
        paint(
            c,
            if ok > 0 { "32" } else { "0" },
            &format!("{ok} conformant")
        ),
        paint(
            c,
            if bad > 0 { "1;31" } else { "0" },
            &format!("{bad} not conformant")
        ),
        paint(
            c,
            if inc > 0 { "1;33" } else { "0" },
            &format!("{inc} incomplete")
        ),
        paint(
            c,
            if na > 0 { "33" } else { "0" },
            &format!("{na} not applicable")
        ),
    )?;
    let wall = text::elapsed_ms(&s.started, &s.finished)
        .map(|ms| format!(", {}", text::duration_ms(ms)))
        .unwrap_or_default();
    writeln!(
        out,
        "{} cases: {}  ({}{wall})",
        s.totals.total(),
        text::counts(&s.totals),
        esc(&s.target)
    )?;
    if let Some(st) = &s.statement {
        writeln!(out, "readings: {st}")?;
    }
    if !s.complete {
        let why = s
            .stopped
            .as_deref()
            .map_or_else(|| "the run was interrupted".to_string(), esc);
        writeln!(
            out,
            "{}",
            paint(
                c,
                "1;31",
                &format!("INCOMPLETE: {why}; the reports hold only the cases that finished")
            )
        )?;
    }
    if s.tls_verification_off {
        writeln!(
            out,
            "{}",
            paint(c, "33", "TLS verification was off for this run")
        )?;
    }
    if s.cpr_shown {
        writeln!(
            out,
            "{}",
            paint(
                c,
                "33",
                "CPR numbers are shown unmasked in the reports: they hold personal data"
            )
        )?;
    }
    if let Some(w) = &opts.written {
        let dir = w
            .index_html
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        writeln!(
            out,
            "reports: {}/{}, {}, {}",
            dir,
            file_name(&w.index_html),
            file_name(&w.junit_xml),
            file_name(&w.summary_json)
        )?;
    }
    Ok(())
}

fn file_name(p: &std::path::Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
