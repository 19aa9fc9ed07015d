//! When the static model cannot answer, ask Nix: which configuration to build, which
//! users a flake defines, and their services. Each question says on stderr that it went
//! to Nix, so a slower answer is never a surprise.

use hm_model::UserKind;
use miette::miette;
use nix_driver::{AskError, Configurations, FlakeRef, Listed, Nix};

/// A configuration Nix found.
pub struct Found {
    /// `alice`, or `alice@laptop` for a standalone configuration named that way.
    pub name: String,
    pub kind: UserKind,
    /// The NixOS or nix-darwin host of a module install.
    pub host: Option<String>,
    /// Its flake attribute, e.g. `homeConfigurations."alice"`.
    pub configuration: String,
}

pub fn asked_error(error: AskError) -> miette::Report {
    match error {
        AskError::Command(nix_driver::CommandError::Spawn { .. }) => {
            crate::nix_run::not_found(error)
        }
        other => miette!(code = "hm::nix-eval", "{other}"),
    }
}

/// How a configuration Nix lists is installed, by the output that holds it.
pub fn kind_of(listed: &Listed) -> UserKind {
    match listed.output {
        "nixosConfigurations" => UserKind::Nixos,
        "darwinConfigurations" => UserKind::Darwin,
        _ => UserKind::Standalone,
    }
}

/// Asks Nix for every Home Manager configuration of `flake` (of `host` only, for hosts,
/// when given).
pub fn configurations(
    nix: &Nix,
    flake: &FlakeRef,
    host: Option<&str>,
) -> std::result::Result<Configurations, AskError> {
    eprintln!(
        "hm: asking Nix which configurations {} defines (the files compute them)",
        flake.url()
    );
    nix.configurations(flake, host)
}

/// The configuration Home Manager would build for `user` on `host`, as Nix sees it, or
/// every configuration Nix found (for the message; `None` when Nix could not be asked,
/// which is reported as a warning).
pub fn select(
    nix: &Nix,
    flake: &FlakeRef,
    user: &str,
    host: &str,
) -> Result<Found, Option<Vec<String>>> {
    let found = match configurations(nix, flake, Some(host)) {
        Ok(found) => found,
        Err(error) => {
            eprintln!("hm: warning: could not ask Nix: {error}");
            return Err(None);
        }
    };
    match found.select(user, host) {
        Some(listed) => {
            eprintln!("hm: Nix found {}", listed.attribute);
            Ok(Found {
                kind: kind_of(&listed),
                name: listed.name,
                host: listed.host,
                configuration: listed.attribute,
            })
        }
        None => Err(Some(found.attributes())),
    }
}
