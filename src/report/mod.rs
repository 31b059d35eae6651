//! Reports rendered from a [`crate::run::result::RunSummary`].
