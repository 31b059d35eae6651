//! Robustness: konform against targets that misbehave (raw tokio sockets and wiremock on
//! 127.0.0.1) — every misbehaviour an error verdict with a clear reason, bounded memory,
//! retries only for unreachable targets, Ctrl-C leaving an incomplete report, TLS checked by
//! default.

mod attacks;
mod hostile;
mod interrupt;
mod matrix;
mod misbehaving;
mod props;
mod retries;
mod support;
mod tls;
