//! Targets: where each service lives and how to reach it ([`profile`]), the REST and SOAP
//! transports ([`rest`], [`soap`]) over one shared HTTP client ([`client`], [`http`]), and the
//! normalised [`outcome`] of a call.

pub mod client;
pub mod decode;
pub mod http;
pub mod locate;
pub mod outcome;
pub mod profile;
pub mod request;
pub mod rest;
pub mod soap;

pub use client::{Target, TargetError, TargetOptions};
pub use outcome::{Exchange, Failure, Outcome};
pub use profile::Profile;
pub use request::RenderedRequest;
