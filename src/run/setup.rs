//! Run set-up: what a run needs before its first case, chosen from the command line's or a
//! test's options. The main entry point is [`known_roles`].

use std::collections::BTreeSet;

use crate::target::profile::EMBEDDED_ROLES;

/// The caller role names cases may use: the embedded roles and the target's.
pub fn known_roles(extra: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    EMBEDDED_ROLES
        .iter()
        .map(|(name, _, _)| name.to_string())
        .chain(extra)
        .collect()
}
