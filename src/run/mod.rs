//! Running cases: scheduling, timeouts and verdicts; the [`result`] model every reporter reads.

pub mod result;
