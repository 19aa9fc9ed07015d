//! Which configuration `hm build`/`hm switch` builds, as Home Manager chooses it:
//! `homeConfigurations."<user>@<host>"`, then `homeConfigurations."<user>"`, then the user
//! in `nixosConfigurations.<host>` or `darwinConfigurations.<host>`.

use crate::model::{Inventory, User, UserKind};

impl User {
    /// The flake attribute of this user's activation package.
    pub fn activation_attribute(&self) -> Option<String> {
        let attribute = self.attribute.as_ref()?;
        Some(match self.kind {
            UserKind::Standalone => format!("{attribute}.activationPackage"),
            _ => format!("{attribute}.home.activationPackage"),
        })
    }
}

/// The user to build for `user` on `host`, or every configuration name tried.
pub fn select<'a>(
    inventory: &'a Inventory,
    user: &str,
    host: &str,
) -> Result<&'a User, Vec<String>> {
    let find = |kind: UserKind, name: &str, on: Option<&str>| {
        inventory
            .users
            .iter()
            .find(|u| u.kind == kind && u.name == name && u.host.as_deref() == on)
    };
    let found = find(UserKind::Standalone, &format!("{user}@{host}"), None)
        .or_else(|| find(UserKind::Standalone, user, None))
        .or_else(|| find(UserKind::Nixos, user, Some(host)))
        .or_else(|| find(UserKind::Darwin, user, Some(host)));
    // A user of another host is never taken: `--host` names it.
    found.ok_or_else(|| {
        vec![
            format!("homeConfigurations.\"{user}@{host}\""),
            format!("homeConfigurations.\"{user}\""),
            format!("nixosConfigurations.{host}.config.home-manager.users.{user}"),
            format!("darwinConfigurations.{host}.config.home-manager.users.{user}"),
        ]
    })
}
