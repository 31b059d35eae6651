//! Declarative cases: the [`model`], the [`given`] precondition language, loading case files
//! with positioned problems ([`load`], [`diagnostic`]), templating ([`template`], [`clock`]) and
//! planning against the spec ([`plan`]) with the grounds of every expectation ([`grounds`]).

pub mod clock;
pub mod diagnostic;
pub mod given;
pub mod grounds;
pub mod load;
pub mod model;
pub mod node;
pub mod plan;
pub mod schema;
pub mod suggest;
pub mod template;

pub use diagnostic::Diagnostic;
pub use given::Given;
pub use load::{Loaded, LoadedCase, load_dir};
pub use model::{Case, Then, When};
pub use plan::{Expect, MethodInfo, Plan, PlannedCase, plan};
