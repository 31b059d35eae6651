//! The regression gate: known failures, each waived with a reason, a ticket and an expiry date.
//! A run whose every failure is waived passes the gate; an expired waiver fails it; a waived
//! case that now passes is reported as an unexpected pass so the file can be cleaned. The main
//! types here are [`WaiverFile`] and [`Gate`].
//!
//! ```yaml
//! waivers:
//!   - case: CreateYdelse.kth-2025-without-lovhenvisning
//!     reason: the KY integration does not send lovhenvisning yet
//!     ticket: DFDG-1234
//!     expires: 2026-12-31
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diag::{YamlError, read_yaml};
use crate::run::result::{ExpiredWaiver, GateSummary, RunSummary, Verdict};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverFile {
    #[serde(default)]
    pub waivers: Vec<Waiver>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The case id.
    pub case: String,
    pub reason: String,
    pub ticket: String,
    /// The last day the waiver holds (`YYYY-MM-DD`).
    pub expires: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum WaiverError {
    #[error(transparent)]
    Yaml(#[from] YamlError),
    #[error("{}: {problems}", path.display())]
    Invalid { path: PathBuf, problems: String },
    #[error("cannot write waiver file {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl WaiverFile {
    /// Reads and checks a waiver file: every field present, no case waived twice, no empty
    /// reason or ticket. Every problem is reported at once.
    pub fn load(path: &Path) -> Result<WaiverFile, WaiverError> {
        let file: WaiverFile = read_yaml(path, "waiver file")?;
        let mut problems = Vec::new();
        let mut seen = BTreeMap::new();
        for (i, w) in file.waivers.iter().enumerate() {
            if let Some(first) = seen.insert(w.case.as_str(), i) {
                problems.push(format!(
                    "case {} is waived twice (entries {} and {})",
                    w.case,
                    first + 1,
                    i + 1
                ));
            }
            if w.reason.trim().is_empty() {
                problems.push(format!("waiver of {} has no reason", w.case));
            }
            if w.ticket.trim().is_empty() {
                problems.push(format!("waiver of {} has no ticket", w.case));
            }
        }
        if !problems.is_empty() {
            return Err(WaiverError::Invalid {
                path: path.into(),
                problems: problems.join("; "),
            });
        }
        Ok(file)
    }

    pub fn save(&self, path: &Path) -> Result<(), WaiverError> {
        let mut text = String::from(
            "# Known failures of this target, each with a reason, a ticket and an expiry date.\n",
        );
        text.push_str(
            "# Written by `konform waivers update`; edit reasons, tickets and dates by hand.\n",
        );
        text.push_str(&serde_saphyr::to_string(self).expect("waivers serialise"));
        std::fs::write(path, text).map_err(|source| WaiverError::Write {
            path: path.into(),
            source,
        })
    }
}

/// The gate's judgement of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    /// Failing (or erroring) cases with a valid waiver.
    pub waived: Vec<String>,
    /// Failing cases with no waiver: these fail the gate.
    pub unwaived: Vec<String>,
    /// Waivers past their expiry date: these fail the gate.
    pub expired: Vec<Waiver>,
    /// Waived cases that passed: the waiver can go.
    pub unexpected_passes: Vec<String>,
    /// Waivers naming a case the run did not have (filtered out, renamed or removed).
    pub unmatched: Vec<String>,
}

impl Gate {
    /// The gate as a run summary carries it; `file` is the waiver file's path.
    pub fn summary(&self, file: &Path) -> GateSummary {
        GateSummary {
            passed: self.passed(),
            file: file.display().to_string(),
            waived: self.waived.clone(),
            unwaived: self.unwaived.clone(),
            expired: self
                .expired
                .iter()
                .map(|w| ExpiredWaiver {
                    case: w.case.clone(),
                    ticket: w.ticket.clone(),
                    expires: w.expires.to_string(),
                })
                .collect(),
            unexpected_passes: self.unexpected_passes.clone(),
            unmatched: self.unmatched.clone(),
        }
    }

    /// Whether the run passes the gate.
    pub fn passed(&self) -> bool {
        self.unwaived.is_empty() && self.expired.is_empty()
    }
}

/// Judges a run against the waivers, as of `today`. A waiver holds through its expiry day.
pub fn judge(summary: &RunSummary, waivers: &WaiverFile, today: NaiveDate) -> Gate {
    let by_case: BTreeMap<&str, &Waiver> = waivers
        .waivers
        .iter()
        .map(|w| (w.case.as_str(), w))
        .collect();
    let mut gate = Gate::default();
    for w in &waivers.waivers {
        if w.expires < today {
            gate.expired.push(w.clone());
        }
    }
    for case in &summary.cases {
        let waiver = by_case.get(case.id.as_str());
        match (&case.verdict, waiver) {
            (Verdict::Fail { .. } | Verdict::Error { .. }, Some(w)) if w.expires >= today => {
                gate.waived.push(case.id.clone())
            }
            (Verdict::Fail { .. } | Verdict::Error { .. }, _) => {
                gate.unwaived.push(case.id.clone())
            }
            (Verdict::Pass, Some(_)) => gate.unexpected_passes.push(case.id.clone()),
            (Verdict::Pass, None)
            | (Verdict::NotApplicable { .. }, _)
            | (Verdict::Inconclusive { .. }, _) => {}
        }
    }
    let ran: std::collections::BTreeSet<&str> =
        summary.cases.iter().map(|c| c.id.as_str()).collect();
    gate.unmatched = waivers
        .waivers
        .iter()
        .filter(|w| !ran.contains(w.case.as_str()))
        .map(|w| w.case.clone())
        .collect();
    gate
}

/// The waiver file after a run: waivers of cases that still fail are kept as they are, waivers
/// of cases that passed are dropped, and every unwaived failure gets a new waiver with the given
/// reason, ticket and expiry. Waivers of cases the run did not have are kept.
pub fn update(
    summary: &RunSummary,
    existing: &WaiverFile,
    reason: &str,
    ticket: &str,
    expires: NaiveDate,
) -> WaiverFile {
    let by_case: BTreeMap<&str, &Waiver> = existing
        .waivers
        .iter()
        .map(|w| (w.case.as_str(), w))
        .collect();
    let ran: BTreeMap<&str, &Verdict> = summary
        .cases
        .iter()
        .map(|c| (c.id.as_str(), &c.verdict))
        .collect();
    let mut out: Vec<Waiver> = existing
        .waivers
        .iter()
        .filter(|w| !matches!(ran.get(w.case.as_str()), Some(Verdict::Pass)))
        .cloned()
        .collect();
    for case in &summary.cases {
        let failing = matches!(case.verdict, Verdict::Fail { .. } | Verdict::Error { .. });
        if failing && !by_case.contains_key(case.id.as_str()) {
            out.push(Waiver {
                case: case.id.clone(),
                reason: reason.to_string(),
                ticket: ticket.to_string(),
                expires,
            });
        }
    }
    out.sort_by(|a, b| a.case.cmp(&b.case));
    WaiverFile { waivers: out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::model::Covers;
    use crate::run::result::CaseResult;

    fn result(id: &str, verdict: Verdict) -> CaseResult {
        CaseResult {
            id: id.into(),
            title: id.into(),
            service: "S".into(),
            method: "M".into(),
            covers: Covers::default(),
            tags: vec![],
            assumes: vec![],
            generated: false,
            origin: "cases/S/M.yaml:1".into(),
            verdict,
            expected: "success".into(),
            outcome: None,
            exchanges: vec![],
            duration_ms: 1.0,
            attempts: 1,
            caller: None,
            reproduce: None,
            grounds: vec![],
            trimmed: vec![],
            mismatches: vec![],
        }
    }

    fn summary(cases: Vec<CaseResult>) -> RunSummary {
        RunSummary::from_cases("r".into(), "s".into(), "f".into(), "t".into(), true, cases)
    }

    fn fail() -> Verdict {
        Verdict::Fail {
            reason: "expected error 4653, got success".into(),
        }
    }

    fn waiver(case: &str, expires: &str) -> Waiver {
        Waiver {
            case: case.into(),
            reason: "known".into(),
            ticket: "T-1".into(),
            expires: expires.parse().unwrap(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_waived_failure_passes_the_gate_until_it_expires() {
        let run = summary(vec![result("M.a", fail()), result("M.b", Verdict::Pass)]);
        let file = WaiverFile {
            waivers: vec![waiver("M.a", "2026-12-31")],
        };
        let gate = judge(&run, &file, day("2026-12-31"));
        assert!(gate.passed(), "{gate:?}");
        assert_eq!(gate.waived, vec!["M.a"]);

        let gate = judge(&run, &file, day("2027-01-01"));
        assert!(!gate.passed());
        assert_eq!(gate.expired.len(), 1);
        assert_eq!(gate.unwaived, vec!["M.a"]);
    }

    #[test]
    fn an_unwaived_failure_fails_and_a_fixed_case_is_an_unexpected_pass() {
        let run = summary(vec![
            result("M.a", Verdict::Pass),
            result(
                "M.c",
                Verdict::Error {
                    reason: "timeout".into(),
                },
            ),
        ]);
        let file = WaiverFile {
            waivers: vec![waiver("M.a", "2026-12-31"), waiver("M.gone", "2026-12-31")],
        };
        let gate = judge(&run, &file, day("2026-11-24"));
        assert!(!gate.passed());
        assert_eq!(gate.unwaived, vec!["M.c"]);
        assert_eq!(gate.unexpected_passes, vec!["M.a"]);
        assert_eq!(gate.unmatched, vec!["M.gone"]);
    }

    #[test]
    fn not_applicable_cases_are_neither_failures_nor_passes() {
        let run = summary(vec![result(
            "M.a",
            Verdict::NotApplicable {
                reason: "no state change".into(),
            },
        )]);
        let gate = judge(&run, &WaiverFile::default(), day("2026-11-24"));
        assert!(gate.passed());
        assert!(gate.waived.is_empty() && gate.unexpected_passes.is_empty());
    }

    #[test]
    fn update_keeps_still_failing_drops_fixed_and_adds_new() {
        let run = summary(vec![
            result("M.a", fail()),
            result("M.b", Verdict::Pass),
            result("M.c", fail()),
        ]);
        let existing = WaiverFile {
            waivers: vec![
                waiver("M.a", "2026-12-31"),
                waiver("M.b", "2026-12-31"),
                waiver("M.x", "2026-12-31"),
            ],
        };
        let updated = update(&run, &existing, "new failure", "T-2", day("2027-03-01"));
        let cases: Vec<&str> = updated.waivers.iter().map(|w| w.case.as_str()).collect();
        assert_eq!(cases, vec!["M.a", "M.c", "M.x"]);
        assert_eq!(updated.waivers[1].ticket, "T-2");
        assert_eq!(
            updated.waivers[0].ticket, "T-1",
            "existing waivers are kept as written"
        );
    }

    #[test]
    fn files_round_trip_and_bad_files_name_the_problem() {
        let dir = std::env::temp_dir().join(format!("konform-waivers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("waivers.yaml");
        let file = WaiverFile {
            waivers: vec![waiver("M.a", "2026-12-31")],
        };
        file.save(&path).unwrap();
        assert_eq!(WaiverFile::load(&path).unwrap(), file);

        std::fs::write(
            &path,
            "waivers:\n  - case: M.a\n    reason: r\n    ticket: t\n    expires: not-a-date\n",
        )
        .unwrap();
        let err = WaiverFile::load(&path).unwrap_err().to_string();
        assert!(err.contains("waivers.yaml:5:"), "{err}");

        std::fs::write(&path, "waivers:\n  - {case: M.a, reason: r, ticket: t, expires: 2026-01-01}\n  - {case: M.a, reason: '', ticket: t, expires: 2026-01-01}\n").unwrap();
        let err = WaiverFile::load(&path).unwrap_err().to_string();
        assert!(
            err.contains("waived twice") && err.contains("no reason"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
