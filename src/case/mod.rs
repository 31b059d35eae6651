//! Declarative cases: the [`model`], the [`given`] precondition language.

pub mod given;
pub mod model;

pub use given::Given;
pub use model::{Case, Then, When};
