//! Rules of the service (placeholder while the spec lands).

use super::Handler;

pub fn handler(_service: &str, _method: &str) -> Option<Handler> {
    None
}

pub fn checks(_service: &str, _method: &str) -> Vec<(u32, &'static str)> {
    Vec::new()
}
