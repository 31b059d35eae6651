//! konform's integration tests, one crate of modules (one link, one binary; `cargo test
//! --test suite run::answers` picks an area): the reference ([`reference`]), the reports
//! ([`report`]), hostile targets and files ([`robust`]), loading, planning and verdicts
//! ([`run`]), a vendor's environment ([`vendor`]), the failure workflow ([`workflow`]), the
//! spec commands ([`spec`]), mutation testing ([`mutate`]) and the corpus once per alternative
//! of every reading ([`readings`]). What they share is in
//! `tests/common/`. The whole corpus against the reference is the other test target,
//! `tests/conformance.rs`, one trial per case.

#[path = "../common/mod.rs"]
mod common;
mod mutate;
mod readings;
mod reference;
mod report;
mod robust;
mod run;
mod spec;
mod vendor;
mod workflow;
