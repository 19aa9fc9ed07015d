//! The `home.*` options every configuration must set, read from a user's modules.

/// Options Home Manager requires of a configuration.
pub const REQUIRED_SETTINGS: &[&str] =
    &["home.username", "home.homeDirectory", "home.stateVersion"];
