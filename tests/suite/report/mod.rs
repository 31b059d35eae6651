//! Integration tests of the reports: the pinned `summary.json`
//! schema, JUnit both ways, the HTML page, privacy (CPR masking, secrets), the terminal
//! summary and atomic writing. Every test renders hand-made `RunSummary` fixtures.
//!
//! Snapshots are accepted with `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! --test suite report::` followed by reading the diff), never edited by hand.

mod diff;
mod files;
mod fixtures;
mod html;
mod junit;
mod merge;
mod privacy;
mod schema;
mod terminal;

/// Redactions for snapshots: times, uuids and ports, so a fixture change in those does not
/// churn the snapshots and a real run's report could be compared the same way.
pub fn redactions() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
            "[uuid]",
        ),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})",
            "[time]",
        ),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        (r#"time="[0-9.]+""#, r#"time="[secs]""#),
        (r"konform \d+\.\d+\.\d+", "konform [version]"),
    ]
}
