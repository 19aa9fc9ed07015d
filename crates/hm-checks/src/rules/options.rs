//! What the option rules share: whose definition it is and what the user declares.

use hm_model::{Inventory, User};

pub(super) fn user_of<'a>(inventory: &'a Inventory, name: &str) -> Option<&'a User> {
    inventory.users.iter().find(|u| u.name == name)
}

/// Whether the configuration's own modules declare `path`, an option above it, or options
/// below it (then `path` is a namespace of theirs).
pub(super) fn declared_by_config(user: &User, path: &[String]) -> bool {
    user.declared_options.iter().any(|declared| {
        let common = declared.len().min(path.len());
        declared[..common] == path[..common]
    })
}
