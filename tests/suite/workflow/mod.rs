//! The path from a red line to the fix (issue 17), end to end through the `konform` binary:
//! a broken case's failure on the terminal, in HTML and JUnit, and its curl commands replayed
//! against `konform serve`; `--list`, `--rerun-failed`, `--max-fail`, `-v`; filter
//! suggestions; the profile check; the lint of response paths; konform run from anywhere.

mod anywhere;
mod commands;
mod failure;
mod lint;
mod support;
