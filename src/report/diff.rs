//! Comparing two runs (`konform diff RUN_A RUN_B`): per method, the cases that newly fail,
//! newly pass, changed otherwise, were added or were removed, matched by case id. The main
//! type here is [`RunDiff`], built by [`diff`]; [`render_text`] writes it for people.
//!
//! "Failing" means `fail` or `error`. A case newly fails when it is in both runs, did not fail
//! in A and fails in B; a case added in B that fails is listed as added, not as newly failing,
//! because it says nothing about a regression. [`RunDiff::has_new_failures`] drives the exit
//! code of `konform diff`.
//!
//! ```text
//! InterviewService.CreatePersonInterview: conformant → not conformant
//!   newly failing  CreatePersonInterview.date-too-old: pass → fail (expected error 4653, got success)
//!   added          CreatePersonInterview.new-case (pass)
//! 1 newly failing, 0 newly passing, 0 changed, 1 added, 0 removed, in 1 of 3 methods
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::mask::Redactor;
use super::text;
use crate::run::result::{CaseResult, MethodVerdict, RunSummary, Verdict};

/// Which run a side of the comparison is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRef {
    pub run_id: String,
    pub target: String,
    pub started: String,
    pub complete: bool,
}

/// A case present in both runs whose verdict changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseChange {
    pub id: String,
    /// The verdict in A and in B (`pass`, `fail`, `error`, `not-applicable`).
    pub before: String,
    pub after: String,
    /// B's reason, when B's verdict has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A case in only one of the runs, with its verdict there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseOnly {
    pub id: String,
    pub verdict: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The differences of one method; only methods with a difference are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MethodDiff {
    pub service: String,
    pub method: String,
    /// The method's verdict in A and in B; absent when the method had no case in that run.
    pub verdict_before: Option<MethodVerdict>,
    pub verdict_after: Option<MethodVerdict>,
    pub newly_failing: Vec<CaseChange>,
    pub newly_passing: Vec<CaseChange>,
    /// Any other verdict change (`fail` → `error`, `pass` → `not-applicable`, ...).
    pub changed: Vec<CaseChange>,
    pub added: Vec<CaseOnly>,
    pub removed: Vec<CaseOnly>,
}

impl MethodDiff {
    fn is_empty(&self) -> bool {
        self.verdict_before == self.verdict_after
            && self.newly_failing.is_empty()
            && self.newly_passing.is_empty()
            && self.changed.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
    }
}

/// The comparison of run A (before) with run B (after).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunDiff {
    pub a: RunRef,
    pub b: RunRef,
    /// Methods in either run.
    pub methods_compared: usize,
    pub methods: Vec<MethodDiff>,
}

impl RunDiff {
    /// Whether a case that did not fail in A fails in B.
    pub fn has_new_failures(&self) -> bool {
        self.methods.iter().any(|m| !m.newly_failing.is_empty())
    }

    fn count(&self, f: impl Fn(&MethodDiff) -> usize) -> usize {
        self.methods.iter().map(f).sum()
    }
}

fn failing(v: &Verdict) -> bool {
    match v {
        Verdict::Fail { .. } | Verdict::Error { .. } => true,
        Verdict::Pass | Verdict::NotApplicable { .. } | Verdict::Inconclusive { .. } => false,
    }
}

fn run_ref(s: &RunSummary) -> RunRef {
    RunRef {
        run_id: s.run_id.clone(),
        target: s.target.clone(),
        started: s.started.clone(),
        complete: s.complete,
    }
}

/// Compares run `a` (before) with run `b` (after). Texts are redacted: CPR numbers stay
/// masked unless both runs showed them.
pub fn diff(a: &RunSummary, b: &RunSummary) -> RunDiff {
    let redactor = Redactor::new(a.cpr_shown && b.cpr_shown);
    let a = redactor.summary(a);
    let b = redactor.summary(b);

    let by_id = |s: &RunSummary| -> BTreeMap<String, CaseResult> {
        s.cases.iter().map(|c| (c.id.clone(), c.clone())).collect()
    };
    let (cases_a, cases_b) = (by_id(&a), by_id(&b));
    let verdicts = |s: &RunSummary| -> BTreeMap<(String, String), MethodVerdict> {
        s.methods
            .iter()
            .map(|m| ((m.service.clone(), m.method.clone()), m.verdict))
            .collect()
    };
    let (verdicts_a, verdicts_b) = (verdicts(&a), verdicts(&b));

    let mut methods: BTreeMap<(String, String), MethodDiff> = BTreeMap::new();
    let keys: BTreeSet<(String, String)> = verdicts_a
        .keys()
        .chain(verdicts_b.keys())
        .cloned()
        .chain(
            a.cases
                .iter()
                .chain(&b.cases)
                .map(|c| (c.service.clone(), c.method.clone())),
        )
        .collect();
    for key in &keys {
        methods.insert(
            key.clone(),
            MethodDiff {
                service: key.0.clone(),
                method: key.1.clone(),
                verdict_before: verdicts_a.get(key).copied(),
                verdict_after: verdicts_b.get(key).copied(),
                newly_failing: Vec::new(),
                newly_passing: Vec::new(),
                changed: Vec::new(),
                added: Vec::new(),
                removed: Vec::new(),
            },
        );
    }
    for (id, after) in &cases_b {
        let key = (after.service.clone(), after.method.clone());
        let m = methods.get_mut(&key).expect("every case's method is a key");
        match cases_a.get(id) {
            None => m.added.push(CaseOnly {
                id: id.clone(),
                verdict: after.verdict.name().to_string(),
                reason: after.verdict.reason().map(str::to_string),
            }),
            Some(before) => {
                if before.verdict.name() == after.verdict.name() {
                    continue;
                }
                let change = CaseChange {
                    id: id.clone(),
                    before: before.verdict.name().to_string(),
                    after: after.verdict.name().to_string(),
                    reason: after.verdict.reason().map(str::to_string),
                };
                if failing(&after.verdict) && !failing(&before.verdict) {
                    m.newly_failing.push(change);
                } else if after.verdict == Verdict::Pass {
                    m.newly_passing.push(change);
                } else {
                    m.changed.push(change);
                }
            }
        }
    }
    for (id, before) in &cases_a {
        if cases_b.contains_key(id) {
            continue;
        }
        let key = (before.service.clone(), before.method.clone());
        let m = methods.get_mut(&key).expect("every case's method is a key");
        m.removed.push(CaseOnly {
            id: id.clone(),
            verdict: before.verdict.name().to_string(),
            reason: before.verdict.reason().map(str::to_string),
        });
    }

    RunDiff {
        a: run_ref(&a),
        b: run_ref(&b),
        methods_compared: keys.len(),
        methods: methods.into_values().filter(|m| !m.is_empty()).collect(),
    }
}

fn verdict_word(v: Option<MethodVerdict>) -> &'static str {
    match v {
        Some(v) => text::method_verdict_label(v),
        None => "absent",
    }
}

/// The comparison for people: a block per method with a difference, then the totals.
pub fn render_text(d: &RunDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "A: run {} against {} ({}){}",
        d.a.run_id,
        d.a.target,
        d.a.started,
        if d.a.complete { "" } else { ", INCOMPLETE" }
    );
    let _ = writeln!(
        out,
        "B: run {} against {} ({}){}",
        d.b.run_id,
        d.b.target,
        d.b.started,
        if d.b.complete { "" } else { ", INCOMPLETE" }
    );
    if d.a.target != d.b.target {
        out.push_str("note: the runs are against different targets\n");
    }
    if !d.a.complete || !d.b.complete {
        out.push_str(
            "note: an incomplete run holds only the cases that finished; added and removed \
             cases may be cases that did not run\n",
        );
    }
    out.push('\n');
    for m in &d.methods {
        let _ = write!(out, "{}.{}", m.service, m.method);
        if m.verdict_before == m.verdict_after {
            let _ = writeln!(out, ": {}", verdict_word(m.verdict_after));
        } else {
            let _ = writeln!(
                out,
                ": {} → {}",
                verdict_word(m.verdict_before),
                verdict_word(m.verdict_after)
            );
        }
        for (label, changes) in [
            ("newly failing", &m.newly_failing),
            ("newly passing", &m.newly_passing),
            ("changed", &m.changed),
        ] {
            for c in changes {
                let _ = write!(out, "  {label:<14} {}: {} → {}", c.id, c.before, c.after);
                match &c.reason {
                    Some(r) => {
                        let _ = writeln!(out, " ({})", r.lines().next().unwrap_or(""));
                    }
                    None => out.push('\n'),
                }
            }
        }
        for (label, cases) in [("added", &m.added), ("removed", &m.removed)] {
            for c in cases {
                let _ = writeln!(out, "  {label:<14} {} ({})", c.id, c.verdict);
            }
        }
    }
    if d.methods.is_empty() {
        out.push_str("no differences\n");
    } else {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} newly failing, {} newly passing, {} changed, {} added, {} removed, in {} of {} methods",
        d.count(|m| m.newly_failing.len()),
        d.count(|m| m.newly_passing.len()),
        d.count(|m| m.changed.len()),
        d.count(|m| m.added.len()),
        d.count(|m| m.removed.len()),
        d.methods.len(),
        d.methods_compared
    );
    out
}
