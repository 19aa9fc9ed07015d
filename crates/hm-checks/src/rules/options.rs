//! What the option and service rules share: whose definition it is, what the user
//! declares, and whether the user's modules are the whole configuration.

use hm_model::{Inventory, Name, REQUIRED_SETTINGS, Service, User, UserKind};

pub(super) fn user_of<'a>(inventory: &'a Inventory, name: &str) -> Option<&'a User> {
    inventory.users.iter().find(|u| u.name == name)
}

/// Whether the configuration's own modules declare `path`, an option above it, or options
/// below it (then `path` is a namespace of theirs).
pub(super) fn declared_by_config(user: &User, path: &[Name]) -> bool {
    user.declared_options.iter().any(|declared| {
        declared
            .iter()
            .zip(path)
            .all(|(d, p)| d.as_str() == p.as_ref())
    })
}

/// Whether the user's modules are the whole configuration: not when some module could not
/// be read (it may set or declare options), nor for a file checked on its own that sets
/// none of `home.username`, `home.homeDirectory`, `home.stateVersion` (a module some
/// configuration imports, or not a Home Manager module at all).
pub(super) fn is_entry_point(user: &User) -> bool {
    !user.opaque_modules && checks_options(user)
}

/// Whether option checks may read the user's definitions: the file is a Home Manager
/// configuration, not a module checked on its own.
pub(super) fn checks_options(user: &User) -> bool {
    user.kind != UserKind::Module
        || REQUIRED_SETTINGS
            .iter()
            .any(|o| user.settings.contains_key(*o))
}

/// Whether a written service without a command may complete a service that a module hm
/// cannot read creates (`systemd.user.services.tailray.Unit.After = …` beside a flake
/// input's module): then what it lacks is not known to be missing.
pub(super) fn may_override_unread_module(inventory: &Inventory, service: &Service) -> bool {
    !service.fields.contains_key("Service.ExecStart")
        && user_of(inventory, &service.user).is_some_and(|u| u.opaque_modules)
}
