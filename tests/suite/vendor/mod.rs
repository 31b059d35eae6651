//! A vendor's test environment and a CI gate, end to end with the `konform` binary: a second
//! reference started by hand with a citizen pool and OAuth2, derived setup, the regression
//! gate's waiver round trip, shards merged into one run, and secrets that never reach any
//! output.

mod doctor;
mod examples;
mod gate;
mod plan;
mod pool;
mod secrets;
mod shard;
mod support;
mod wire;
