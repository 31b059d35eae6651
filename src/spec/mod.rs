//! The DFDG specification: the model ([`model`]), the hand-kept [`overlay`], and loading
//! `specs/` into a [`Spec`].

pub mod model;
pub mod overlay;

pub use model::{Field, Method, MethodRef, ServiceSpec, Spec};
