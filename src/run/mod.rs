//! Running cases: choosing them ([`filter`]), running one ([`execute`]) and many
//! ([`runner`]) within bounds, judging answers ([`judge`]), checking them against the spec
//! ([`conform`]) and methods on their evidence ([`evidence`]); the [`result`] model every
//! reporter reads.

pub mod budget;
pub mod conform;
pub mod embedded;
pub mod evidence;
pub mod execute;
pub mod filter;
pub mod judge;
pub mod result;
pub mod runner;
pub mod setup;

pub use execute::{RunEnv, run_case};
pub use filter::Filter;
pub use runner::{RunEnd, run_cases, run_cases_until};
