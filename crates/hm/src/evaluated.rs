//! `hm users --eval` and `hm services --eval`: what the static model could not decide,
//! completed by evaluation. Nix's answer is compared with the static one both ways: what
//! only Nix has is added (marked as evaluated), what only hm has is reported (its
//! condition is false when evaluated).

use std::collections::BTreeSet;

use hm_model::{Analysis, EntryKind, UserKind};
use miette::{Result, miette};
use nix_driver::{FlakeRef, Nix, StoreMapper};
use serde::Serialize;

use crate::ask_nix;

#[derive(Debug, Clone, Serialize)]
pub struct EvaluatedUser {
    pub name: String,
    pub kind: UserKind,
    pub host: Option<String>,
    pub attribute: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvaluatedService {
    pub name: String,
    pub user: String,
    pub host: Option<String>,
    pub description: Option<String>,
    pub exec_start: Option<serde_json::Value>,
    pub wanted_by: Vec<String>,
    /// The files that define it, relative to the flake's directory, where Nix records
    /// them (standalone configurations; store copies mapped back).
    pub files: Vec<String>,
}

/// Nix's answer beside the static one.
#[derive(Debug, Serialize)]
pub struct Completion<T> {
    /// Found by evaluation, not statically.
    pub added: Vec<T>,
    /// Found statically, but not there when evaluated (`user` or `service of user`).
    pub not_evaluated: Vec<String>,
}

const READS_STATICALLY: &str = "without --eval, hm reads home.nix statically";

/// The reference Nix evaluates the analysed flake by; `--eval` needs a flake, and `help`
/// says what to do without one.
pub fn flake(analysis: &Analysis, help: &str) -> Result<FlakeRef> {
    if analysis.entry_kind != EntryKind::Flake {
        return Err(miette!(
            code = "hm::eval-needs-flake",
            help = help.to_string(),
            "--eval evaluates flake outputs, and {} is not a flake",
            analysis.entry.display()
        ));
    }
    FlakeRef::for_dir(&analysis.root).map_err(|e| miette!(code = "hm::flake-reference", "{e}"))
}

/// Every user Nix finds, with what the static model lacks or has in excess.
pub fn users(analysis: &Analysis) -> Result<(Vec<EvaluatedUser>, Completion<EvaluatedUser>)> {
    let flake = flake(analysis, READS_STATICALLY)?;
    let found = ask_nix::configurations(&Nix::default().impure(analysis.impure), &flake, None)
        .map_err(ask_nix::asked_error)?;
    let evaluated: Vec<EvaluatedUser> = found
        .listed()
        .into_iter()
        .map(|listed| EvaluatedUser {
            kind: ask_nix::kind_of(&listed),
            name: listed.name,
            host: listed.host,
            attribute: listed.attribute,
        })
        .collect();
    let key = |kind: UserKind, host: Option<&str>, name: &str| {
        (
            format!("{kind:?}"),
            host.map(str::to_string),
            name.to_string(),
        )
    };
    let statically: BTreeSet<_> = analysis
        .inventory
        .users
        .iter()
        .map(|u| key(u.kind, u.host.as_deref(), &u.name))
        .collect();
    let by_nix: BTreeSet<_> = evaluated
        .iter()
        .map(|u| key(u.kind, u.host.as_deref(), &u.name))
        .collect();
    let completion = Completion {
        added: evaluated
            .iter()
            .filter(|u| !statically.contains(&key(u.kind, u.host.as_deref(), &u.name)))
            .cloned()
            .collect(),
        not_evaluated: analysis
            .inventory
            .users
            .iter()
            .filter(|u| !by_nix.contains(&key(u.kind, u.host.as_deref(), &u.name)))
            .map(|u| u.name.clone())
            .collect(),
    };
    Ok((evaluated, completion))
}

/// The services of every user (or of `only`), evaluated, against the static ones.
pub fn services(analysis: &Analysis, only: Option<&str>) -> Result<Completion<EvaluatedService>> {
    let flake = flake(analysis, READS_STATICALLY)?;
    let (users, _) = users(analysis)?;
    let nix = Nix::default().impure(analysis.impure);
    let mapper = StoreMapper::for_flake(&analysis.root);
    let mut completion = Completion {
        added: Vec::new(),
        not_evaluated: Vec::new(),
    };
    for user in users.iter().filter(|u| only.is_none_or(|o| o == u.name)) {
        eprintln!("hm: asking Nix for the services of {}", user.attribute);
        let evaluated = nix
            .services(&flake, &user.attribute, user.kind == UserKind::Standalone)
            .map_err(ask_nix::asked_error)?;
        let statically: Vec<&hm_model::Service> = analysis
            .inventory
            .services
            .iter()
            .filter(|s| *s.user == *user.name && s.host == user.host)
            .collect();
        for (name, service) in &evaluated {
            if statically.iter().any(|s| &s.name == name) {
                continue;
            }
            completion.added.push(EvaluatedService {
                name: name.clone(),
                user: user.name.clone(),
                host: user.host.clone(),
                description: service.description.clone(),
                exec_start: service.exec_start.clone(),
                wanted_by: service.wanted_by.clone(),
                files: service
                    .files
                    .iter()
                    .filter_map(|f| mapper.local(f).or_else(|| StoreMapper::existing(f)))
                    .map(|f| hm_diagnostics::display_path(&analysis.root, &f))
                    .collect(),
            });
        }
        completion.not_evaluated.extend(
            statically
                .iter()
                .filter(|s| !evaluated.contains_key(&s.name))
                .map(|s| format!("{} of {}", s.name, s.user)),
        );
    }
    Ok(completion)
}
