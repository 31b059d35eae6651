//! Establishing a case's preconditions on a target.
