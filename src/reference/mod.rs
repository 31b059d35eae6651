//! The reference implementation of the DFDG services.
