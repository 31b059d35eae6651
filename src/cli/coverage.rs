//! `konform coverage`: per method, the documented error codes with the cases that cover each,
//! the codes declared untestable with their reasons, the codes not covered, and the prose rules
//! with their cases, and the cross-cutting rules each method has cases for. `--results` adds
//! which covering cases passed in a run; `--json` prints one object per method (codes and rules). Exit 1 when a documented code is neither covered nor declared untestable.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use konform::coverage::{self, CodeStatus, MethodCoverage};
use konform::report::json as report_json;

use super::{EXIT_FAILED, EXIT_OK};

#[derive(Debug, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub corpus: super::CorpusArgs,
    /// A run's `summary.json` (or its report folder): show which covering cases passed.
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Leave out the generated cases.
    #[arg(long)]
    pub no_generated: bool,
    /// Print a JSON array, one object per method.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: CoverageArgs) -> anyhow::Result<ExitCode> {
    let roles = konform::run::setup::known_roles(std::iter::empty());
    let corpus = match args.corpus.load(&roles, !args.no_generated) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let results = match &args.results {
        None => None,
        Some(path) => {
            let file = if path.is_dir() {
                path.join("summary.json")
            } else {
                path.clone()
            };
            Some(report_json::read(&file).with_context(|| format!("reading {}", file.display()))?)
        }
    };
    let matrix = coverage::compute(&corpus.spec, &corpus.case_models(), results.as_ref());
    let totals = coverage::totals(&matrix);
    let crossing = coverage::cross_cutting(&corpus.spec, &corpus.case_models());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&matrix)?);
    } else {
        print_table(&matrix);
        print_cross_cutting(&crossing);
        let pct = |n: usize| {
            if totals.pairs == 0 {
                100.0
            } else {
                100.0 * n as f64 / totals.pairs as f64
            }
        };
        println!(
            "\n{} documented (method, code) pairs: {} covered ({:.1} %), {} untestable, {} uncovered",
            totals.pairs,
            totals.covered,
            pct(totals.covered),
            totals.untestable,
            totals.uncovered
        );
        if results.is_some() {
            println!(
                "covered by a passing case: {} ({:.1} %)",
                totals.covered_passing,
                pct(totals.covered_passing)
            );
        }
        println!(
            "{} prose rules: {} covered, {} untestable, {} uncovered",
            totals.rules,
            totals.rules_covered,
            totals.rules_untestable,
            totals.rules - totals.rules_covered - totals.rules_untestable
        );
    }
    Ok(ExitCode::from(if totals.uncovered == 0 {
        EXIT_OK
    } else {
        EXIT_FAILED
    }))
}

fn print_table(matrix: &[MethodCoverage]) {
    for m in matrix {
        let count = |s: CodeStatus| m.codes.iter().filter(|c| c.status == s).count();
        println!(
            "{}/{}: {} codes ({} covered, {} untestable, {} uncovered), {} rules ({} covered)",
            m.service,
            m.method,
            m.codes.len(),
            count(CodeStatus::Covered),
            count(CodeStatus::Untestable),
            count(CodeStatus::Uncovered),
            m.rules.len(),
            m.rules
                .iter()
                .filter(|r| r.status == CodeStatus::Covered)
                .count()
        );
        for c in &m.codes {
            match c.status {
                CodeStatus::Covered => {
                    let passing = match &c.passing {
                        Some(p) => format!(" ({} passing)", p.len()),
                        None => String::new(),
                    };
                    println!(
                        "  {:>6}  covered by {}{passing}",
                        c.code,
                        c.cases.join(", ")
                    );
                }
                CodeStatus::Untestable => {
                    println!(
                        "  {:>6}  untestable: {}",
                        c.code,
                        c.reason.as_deref().unwrap_or("")
                    );
                }
                CodeStatus::Uncovered => println!("  {:>6}  UNCOVERED", c.code),
            }
        }
        for r in &m.rules {
            match r.status {
                CodeStatus::Covered => {
                    println!("  rule {}  covered by {}", r.id, r.cases.join(", "))
                }
                CodeStatus::Untestable => {
                    println!(
                        "  rule {}  untestable: {}",
                        r.id,
                        r.reason.as_deref().unwrap_or("")
                    )
                }
                CodeStatus::Uncovered => {
                    println!("  rule {}  UNCOVERED", r.id)
                }
            }
        }
    }
}

/// The cross-cutting rules per method: the cases of each, or `MISSING` where a rule applies
/// and no case checks it (a method without a base case to generate from); then, for the rules
/// about identifiers and deletes, why they do not apply where they do not (`konform gen
/// --json` gives the reason of every rule).
fn print_cross_cutting(crossing: &[coverage::CrossCutting]) {
    use konform::generate::{identity, lifecycle};
    println!("cross-cutting rules (konform gen):");
    for m in crossing {
        let list: Vec<String> = m
            .rules
            .iter()
            .map(|(rule, cases)| match cases.len() {
                0 => format!("{rule} MISSING"),
                1 => rule.clone(),
                n => format!("{rule} ({n} cases)"),
            })
            .collect();
        println!("  {}/{}: {}", m.service, m.method, list.join(", "));
        // The reasons worth a line: the identifier rule's, the delete rules' on the methods of a
        // family (an update, delete or get) and the read rule's on a delete.
        let family = ["Update", "Delete", "Get"]
            .iter()
            .any(|p| m.method.starts_with(p));
        for (rule, why) in &m.not_applicable {
            let shown = match rule.as_str() {
                r if r == identity::RULE => true,
                r if r == lifecycle::RULE => family,
                r if r == lifecycle::READ_RULE => m.method.starts_with("Delete"),
                _ => false,
            };
            if shown {
                println!("    not {rule}: {why}");
            }
        }
    }
}
