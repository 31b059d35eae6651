//! Joining the reports of shards (`konform merge DIR... --out DIR`): runs over disjoint case
//! sets become one [`RunSummary`], from which every report is rendered again. The main
//! function here is [`merge`]; overlapping case ids are refused with [`MergeError::Overlap`].
//!
//! How the run-level fields combine: `started` is the earliest start, `finished` the latest
//! end, `complete` holds when every shard completed, `cpr_shown` when every shard showed CPR
//! numbers (one masked shard masks the whole), `tls_verification_off` when any shard had it
//! off, `target` is the shards' targets joined by ` + ` when they differ. Coverage lists are
//! joined per method, code and rule. A mutation score is kept when every shard measured the
//! same number of mutants against its own cases: a mutant then survives only if it survived
//! in every shard; otherwise it is left out.

use std::collections::{BTreeMap, BTreeSet};

use crate::run::result::{CodeCoverage, MethodCoverage, MutationScore, RuleCoverage, RunSummary};

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
    type Codes = BTreeMap<u32, (Option<String>, BTreeSet<String>)>;
    type Rules = BTreeMap<String, BTreeSet<String>>;
    let mut methods: BTreeMap<(String, String), (Codes, Rules)> = BTreeMap::new();
    for shard in shards {
        for m in &shard.summary.coverage {
            let (codes, rules) = methods
                .entry((m.service.clone(), m.method.clone()))
                .or_default();
            for c in &m.codes {
                let entry = codes.entry(c.code).or_default();
                if entry.0.is_none() {
                    entry.0.clone_from(&c.text);
                }
                entry.1.extend(c.cases.iter().cloned());
            }
            for r in &m.rules {
                rules
                    .entry(r.rule.clone())
                    .or_default()
                    .extend(r.cases.iter().cloned());
            }
        }
    }
    methods
        .into_iter()
        .map(|((service, method), (codes, rules))| MethodCoverage {
            service,
            method,
            codes: codes
                .into_iter()
                .map(|(code, (text, cases))| CodeCoverage {
                    code,
                    text,
                    cases: cases.into_iter().collect(),
                })
                .collect(),
            rules: rules
                .into_iter()
                .map(|(rule, cases)| RuleCoverage {
                    rule,
                    cases: cases.into_iter().collect(),
                })
                .collect(),
        })
        .collect()
}

fn merge_mutation(shards: &[Shard]) -> Option<MutationScore> {
    let scores: Vec<&MutationScore> = shards
        .iter()
        .map(|s| s.summary.mutation.as_ref())
        .collect::<Option<Vec<_>>>()?;
    let mutants = scores.first()?.mutants;
    if scores.iter().any(|s| s.mutants != mutants) {
        return None;
    }
    let mut survivors: BTreeSet<String> = scores[0].survivors.iter().cloned().collect();
    for s in &scores[1..] {
        let theirs: BTreeSet<String> = s.survivors.iter().cloned().collect();
        survivors = survivors.intersection(&theirs).cloned().collect();
    }
    Some(MutationScore {
        mutants,
        killed: mutants.saturating_sub(survivors.len()),
        survivors: survivors.into_iter().collect(),
    })
}
