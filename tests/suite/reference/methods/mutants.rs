//! The tables kill every mutant: with any one check of a method switched off
//! (`ReferenceConfig::disabled_checks`), some row of that method's tables answers otherwise.
//! This is mutation testing of the reference's own tests; it proves each check is live.

use konform::reference;

use super::{all_tables, spec};
use crate::reference::harness::Ref;

/// Global checks the method tables exercise; the others (caller headers, tokens, request ids,
/// unreadable bodies, unknown elements) are killed by the transport tests.
const GLOBAL: [&str; 7] = [
    "validation/cardinality",
    "validation/type",
    "validation/pattern",
    "validation/length",
    "validation/range",
    "validation/cpr",
    "auth/4575",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_check_is_killed_by_the_tables() {
    let spec = spec();
    let tables = all_tables();
    let mut survivors = Vec::new();
    let mut tried = 0;
    for check in reference::check_ids(&spec) {
        let relevant: Vec<_> = match (&check.service, &check.method) {
            (Some(service), Some(method)) => tables
                .iter()
                .filter(|(t, _)| t.service == service && t.method == method)
                .collect(),
            _ if GLOBAL.contains(&check.id.as_str()) => tables.iter().collect(),
            _ => continue,
        };
        tried += 1;
        let r = Ref::start_with(spec.clone(), &[check.id.as_str()]).await;
        let mut killed = false;
        for (table, rows) in relevant {
            if !table.failures(&r, rows).await.is_empty() {
                killed = true;
                break;
            }
        }
        if !killed {
            survivors.push(check.id.clone());
        }
    }
    assert!(tried > 200, "only {tried} checks tried");
    assert!(
        survivors.is_empty(),
        "mutants no row detects: {survivors:#?}"
    );
}
