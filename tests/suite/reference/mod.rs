//! Integration tests of the reference implementation: the transports and the
//! endpoints on a small hand-written spec ([`transport`]), property tests over bodies, headers
//! and XML ([`props`]), every method of the real spec in `specs/` ([`methods`]), and the
//! exports the reference serves ([`exports`]).

mod exports;
mod harness;
pub mod methods;
mod props;
mod transport;
