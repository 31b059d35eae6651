//! The spec commands as a user runs them: `spec lint|show|import` ([`cli`]), the importer on
//! the real documents ([`import`]) and on hostile ones ([`import_robust`]), `spec list`
//! ([`list`]).

mod cli;
mod import;
mod import_robust;
mod list;
