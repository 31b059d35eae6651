//! konform: a conformance harness for the DFDG web services run by STAR.
//!
//! The stages, each in its own module, with dependencies pointing one way:
//! [`spec`] (the machine-readable specification) → [`case`] (declarative cases) →
//! [`target`] (where and how to reach an implementation) → [`provision`] (establishing
//! preconditions) → [`run`] (scheduling and verdicts) → [`report`] (JSON, JUnit, HTML).
//! [`reference`] is the in-memory implementation of the services that serves as the embedded
//! default target; it reads the same spec.

pub mod case;
pub mod clock;
pub mod coverage;
pub mod cpr;
pub mod generate;
pub mod input;
pub mod mutate;
pub mod plan;
pub mod provision;
pub mod reference;
pub mod report;
pub mod run;
pub mod sanitise;
pub mod soap;
pub mod spec;
pub mod state;
pub mod suggest;
pub mod target;
pub mod waiver;
