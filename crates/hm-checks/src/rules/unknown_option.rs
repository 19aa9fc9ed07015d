use hm_diagnostics::{Diagnostic, Edit, Severity};
use hm_model::knowledge::{Lookup, knowledge};

use super::ERROR;
use super::options::{checks_options, declared_by_config, user_of};
use crate::{Context, Docs, Rule, did_you_mean};

pub struct UnknownOption;

impl Rule for UnknownOption {
    fn code(&self) -> &'static str {
        "HM304"
    }
    fn name(&self) -> &'static str {
        "unknown-option"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A definition of an option Home Manager does not declare (`programs.gti.enable`, `services.syncthing.enabel`), found with the option list generated from Home Manager itself. Names below free-form options (`home.sessionVariables.*`, `settings`), options the configuration declares itself, options of an earlier release (24.11 on: the configuration may lock it), and — when it imports modules hm cannot read, or its NixOS or nix-darwin host imports another flake's module (which may add Home Manager modules to every user, as stylix's does) — new top-level namespaces and names that are no likely typo of a declared one are not reported.",
            why: "Nix fails with \"The option `programs.gti' does not exist\" only when the configuration is evaluated, and without pointing at the line you wrote.",
            example: "programs.gti.enable = true;   # did you mean `programs.git`?",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        let inventory = &cx.analysis.inventory;
        for definition in &inventory.option_definitions {
            let Lookup::Unknown { index, siblings } = knowledge().lookup(&definition.path) else {
                continue;
            };
            let user = user_of(inventory, &definition.user);
            // Modules hm cannot read, the user's or another flake's that the host adds to
            // every user, may declare options of their own.
            let unread = user.is_some_and(|u| u.opaque_modules || u.host_input_modules);
            if user.is_none_or(|u| !checks_options(u) || declared_by_config(u, &definition.path))
                // A module hm cannot read may declare `programs.x` or a namespace of its own.
                || (index < 2 && unread)
            {
                continue;
            }
            // An earlier release's option: the configuration may lock that release.
            if knowledge().declared_before(&definition.path[..=index]) {
                continue;
            }
            let Some(span) = definition.key_spans.get(index).copied() else {
                continue;
            };
            let written = &definition.path[index];
            let close = did_you_mean(written, siblings.iter().copied());
            // Such a module may also add options to Home Manager's own (nix-index-database
            // adds `programs.nix-index.symlinkToCacheHome`): only a likely typo is reported.
            if close.is_none() && unread {
                continue;
            }
            let unknown = definition.path[..=index].join(".");
            let mut diagnostic = Diagnostic::new(
                self.code(),
                self.severity(),
                format!("`{unknown}` is not a Home Manager option"),
            );
            match close {
                Some(close) => {
                    diagnostic = diagnostic
                        .at(span, format!("did you mean `{close}`?"))
                        .help(format!(
                            "Home Manager declares `{}`",
                            definition.path[..index]
                                .iter()
                                .map(|n| &**n)
                                .chain([close])
                                .collect::<Vec<_>>()
                                .join(".")
                        ))
                        .fix(
                            format!("rename `{written}` to `{close}`"),
                            vec![Edit {
                                span,
                                replacement: close.to_string(),
                            }],
                        );
                }
                None => {
                    diagnostic = diagnostic.at(span, "no such option").help(if index == 0 {
                        "no Home Manager module declares this; if a module of yours does, import it"
                            .to_string()
                    } else {
                        format!(
                            "options under `{}` are listed at https://nix-community.github.io/home-manager/options.xhtml",
                            definition.path[..index].join(".")
                        )
                    });
                }
            }
            out.push(diagnostic);
        }
    }
}
