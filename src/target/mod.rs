//! Targets: where each service lives and how to reach it; the normalised [`outcome`] of a call.

pub mod outcome;
