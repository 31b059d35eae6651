//! The DFDG specification: the model ([`model`]), the hand-kept [`overlay`], loading `specs/`
//! ([`load`]), XSD patterns ([`pattern`]), the answer checks ([`check`]) and the
//! WSDL/XSD/OpenAPI exports ([`export`]).

pub mod check;
pub mod export;
pub mod import;
pub mod inherit;
pub mod lint;
pub mod load;
pub mod model;
pub mod overlay;
pub mod pattern;
pub mod provenance;
pub mod statement;

pub use load::SpecError;
pub use model::{Field, Method, MethodRef, ServiceSpec, Spec};
pub use pattern::XsdPattern;
pub use provenance::{Citable, Provenance};
