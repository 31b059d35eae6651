//! Joining the reports of shards (`konform merge DIR... --out DIR`): runs over disjoint case
//! sets become one [`RunSummary`], from which every report is rendered again. The main
//! function here is [`merge`]; overlapping case ids are refused with [`MergeError::Overlap`].
//!
//! How the run-level fields combine: `started` is the earliest start, `finished` the latest
//! end, `complete` holds when every shard completed, `cpr_shown` when every shard showed CPR
//! numbers (one masked shard masks the whole), `tls_verification_off` when any shard had it
//! off, `target` is the shards' targets joined by ` + ` when they differ. Coverage lists are
//! joined per method, code and rule. A mutation score is kept when every shard measured the
//! same number of mutants against its own cases and lists every survivor: a mutant then
//! survives only if it survived in every shard; otherwise the score is left out.

use std::collections::{BTreeMap, BTreeSet};

use crate::run::result::{CodeStatus, MethodCoverage, MutationScore, RunSummary, Survivor};

/// Why shards cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("nothing to merge: give at least one report")]
    Empty,
    #[error(
        "the shards overlap: {} case id{} in more than one shard ({}){}",
        cases.len(),
        if cases.len() == 1 { " is" } else { "s are" },
        cases.iter().take(5).map(|(id, shards)| format!("{id} in {}", shards.join(" and "))).collect::<Vec<_>>().join("; "),
        if cases.len() > 5 { format!("; and {} more", cases.len() - 5) } else { String::new() }
    )]
    Overlap {
        /// Each repeated case id with the shards that hold it.
        cases: Vec<(String, Vec<String>)>,
    },
}

/// One shard's summary and how to name it in messages (its path).
#[derive(Debug, Clone)]
pub struct Shard {
    pub label: String,
    pub summary: RunSummary,
}

/// Merges shard summaries of disjoint case sets into one run with id `run_id`.
pub fn merge(shards: &[Shard], run_id: String) -> Result<RunSummary, MergeError> {
    let first = shards.first().ok_or(MergeError::Empty)?;

    let mut holders: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for shard in shards {
        for case in &shard.summary.cases {
            holders
                .entry(case.id.as_str())
                .or_default()
                .push(shard.label.clone());
        }
    }
    let overlap: Vec<(String, Vec<String>)> = holders
        .into_iter()
        .filter(|(_, s)| s.len() > 1)
        .map(|(id, s)| (id.to_string(), s))
        .collect();
    if !overlap.is_empty() {
        return Err(MergeError::Overlap { cases: overlap });
    }

    let started = shards
        .iter()
        .map(|s| s.summary.started.as_str())
        .min_by(|a, b| instant_cmp(a, b))
        .unwrap_or(&first.summary.started)
        .to_string();
    let finished = shards
        .iter()
        .map(|s| s.summary.finished.as_str())
        .max_by(|a, b| instant_cmp(a, b))
        .unwrap_or(&first.summary.finished)
        .to_string();
    let mut targets: Vec<&str> = Vec::new();
    for s in shards {
        if !targets.contains(&s.summary.target.as_str()) {
            targets.push(&s.summary.target);
        }
    }
    let complete = shards.iter().all(|s| s.summary.complete);
    let cases = shards
        .iter()
        .flat_map(|s| s.summary.cases.iter().cloned())
        .collect();

    let mut merged = RunSummary::from_cases(
        run_id,
        started,
        finished,
        targets.join(" + "),
        complete,
        cases,
    );
    merged.cpr_shown = shards.iter().all(|s| s.summary.cpr_shown);
    merged.tls_verification_off = shards.iter().any(|s| s.summary.tls_verification_off);
    merged.coverage = merge_coverage(shards);
    merged.mutation = merge_mutation(shards);
    crate::run::evidence::judge(&mut merged);
    Ok(merged)
}

/// Orders RFC 3339 instants by time; text order when one does not read.
fn instant_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

fn merge_coverage(shards: &[Shard]) -> Vec<MethodCoverage> {
    // Shards hold disjoint cases of the same corpus: the covering cases are the union, and a
    // code or rule is covered when any shard covers it.
    let mut methods: BTreeMap<(String, String), MethodCoverage> = BTreeMap::new();
    for shard in shards {
        for m in &shard.summary.coverage {
            let merged = methods
                .entry((m.service.clone(), m.method.clone()))
                .or_insert_with(|| MethodCoverage {
                    codes: Vec::new(),
                    rules: Vec::new(),
                    kill_ratio: None,
                    ..m.clone()
                });
            for c in &m.codes {
                match merged.codes.iter_mut().find(|x| x.code == c.code) {
                    Some(x) => {
                        union(&mut x.cases, &c.cases);
                        union_opt(&mut x.passing, &c.passing);
                        if covered(&x.cases, &x.passing) {
                            x.status = CodeStatus::Covered;
                        }
                    }
                    None => merged.codes.push(c.clone()),
                }
            }
            for r in &m.rules {
                match merged.rules.iter_mut().find(|x| x.id == r.id) {
                    Some(x) => {
                        union(&mut x.cases, &r.cases);
                        union_opt(&mut x.passing, &r.passing);
                        if covered(&x.cases, &x.passing) {
                            x.status = CodeStatus::Covered;
                        }
                    }
                    None => merged.rules.push(r.clone()),
                }
            }
        }
    }
    methods.into_values().collect()
}

/// Covered in the merged run: a covering case passed in some shard (without passing lists,
/// some case covers it).
fn covered(cases: &[String], passing: &Option<Vec<String>>) -> bool {
    match passing {
        Some(p) => !p.is_empty(),
        None => !cases.is_empty(),
    }
}

fn union(into: &mut Vec<String>, more: &[String]) {
    let mut set: BTreeSet<String> = into.drain(..).collect();
    set.extend(more.iter().cloned());
    into.extend(set);
}

fn union_opt(into: &mut Option<Vec<String>>, more: &Option<Vec<String>>) {
    match (into.as_mut(), more) {
        (Some(a), Some(b)) => union(a, b),
        (None, Some(b)) => *into = Some(b.clone()),
        (_, None) => {}
    }
}

fn merge_mutation(shards: &[Shard]) -> Option<MutationScore> {
    let scores: Vec<&MutationScore> = shards
        .iter()
        .map(|s| s.summary.mutation.as_ref())
        .collect::<Option<Vec<_>>>()?;
    let mutants = scores.first()?.mutants;
    // Survivors must be the complete list for the intersection to mean anything.
    if scores
        .iter()
        .any(|s| s.mutants != mutants || s.mutants.checked_sub(s.killed) != Some(s.survivors.len()))
    {
        return None;
    }
    // A mutant survives the merged run only if it survived every shard.
    let mut survivors: BTreeMap<String, Survivor> = scores[0]
        .survivors
        .iter()
        .map(|s| (s.id.clone(), s.clone()))
        .collect();
    for s in &scores[1..] {
        let theirs: BTreeSet<&str> = s.survivors.iter().map(|s| s.id.as_str()).collect();
        survivors.retain(|id, _| theirs.contains(id.as_str()));
    }
    Some(MutationScore {
        mutants,
        killed: mutants.saturating_sub(survivors.len()),
        survivors: survivors.into_values().collect(),
        // Kills per family are not joined across shards.
        by_kind: BTreeMap::new(),
    })
}
