//! Declarative cases: the [`model`], the [`given`] precondition language, loading case files
//! with positioned problems ([`load`], [`diagnostic`]), templating ([`template`], with times
//! from [`crate::clock`]) and `matches:` values
//! ([`matcher`]). Planning against the spec is the next stage, [`crate::plan`].

pub mod diagnostic;
pub mod given;
pub mod load;
pub mod matcher;
pub mod model;
pub mod node;
pub mod schema;
pub mod template;

pub use diagnostic::Diagnostic;
pub use given::Given;
pub use load::{Loaded, LoadedCase, load_dir};
pub use model::{Case, Then, When};
