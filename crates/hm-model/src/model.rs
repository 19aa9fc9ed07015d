//! The public result of the analysis: plain data with spans, no syntax nodes.

use std::sync::Arc;

use indexmap::IndexMap;
use nix_source::Span;
use serde::Serialize;

pub use crate::service_fields::Fields;

/// Where a Home Manager user is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UserKind {
    /// `homeConfigurations.<name>` in a flake.
    Standalone,
    /// `nixosConfigurations.<host>` with `home-manager.users.<name>`.
    Nixos,
    /// `darwinConfigurations.<host>` with `home-manager.users.<name>`.
    Darwin,
    /// A `home.nix` analysed on its own.
    Module,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    /// `alice`, or `alice@laptop` for standalone configurations named that way.
    pub name: String,
    pub kind: UserKind,
    /// The NixOS or nix-darwin host, for module installs.
    pub host: Option<String>,
    /// The flake attribute of the user's configuration, e.g. `homeConfigurations."alice"`.
    pub attribute: Option<String>,
    /// Where the name is written.
    pub span: Span,
    /// Conditions (`mkIf …`) under which the user exists.
    pub condition: Option<String>,
    /// The Home Manager module files that make up the configuration, entry module first.
    pub modules: Vec<Span>,
    /// How many modules the configuration lists (`modules = [ … ]`, `users.<name> = …`).
    #[serde(skip)]
    pub declared_modules: usize,
    /// `home.username`, `home.homeDirectory` and `home.stateVersion` where defined.
    #[serde(skip)]
    pub settings: IndexMap<String, Setting>,
    /// Option paths the configuration's own modules declare (`options.… = mkOption …`).
    #[serde(skip)]
    pub declared_options: Vec<Vec<String>>,
    /// The configuration imports modules hm cannot read (from flake inputs, or computed),
    /// or its host has modules of its own hm cannot read: they may declare options of
    /// their own, or set some.
    #[serde(skip)]
    pub opaque_modules: bool,
    /// Its host imports another flake's modules hm cannot read: one may add Home Manager
    /// modules to every user (`home-manager.sharedModules`, as stylix's does), with
    /// options of their own.
    #[serde(skip)]
    pub host_input_modules: bool,
    /// The configuration is known to target macOS: a nix-darwin host, or a standalone
    /// configuration whose `pkgs` is for a `*-darwin` system.
    #[serde(skip)]
    pub darwin: bool,
}

/// A name in an option path. The walk that finds definitions allocates each name once
/// where it meets it, and every definition below shares it (`systemd`, `user`, `services`
/// once per user, a service's name once per service): one allocation per name, not per
/// definition. `Arc`, since the inventory leaves the analysis thread.
pub type Name = Arc<str>;

/// An option the configuration's own files declare, without a default, read where no
/// module defines it (in a service's condition): Nix fails ("used but not defined").
#[derive(Debug, Clone)]
pub struct UnsetOption {
    pub user: Name,
    /// The error as the module system words it.
    pub message: String,
    /// Where it is read.
    pub read: Span,
    /// Where it is declared.
    pub declared: Option<Span>,
}

/// A definition of a Home Manager option in a user's configuration.
#[derive(Debug, Clone)]
pub struct OptionDefinition {
    /// The user's name, shared by all their definitions.
    pub user: Name,
    /// The option path as written, down to an option (or to the first name Home Manager
    /// does not declare, or to a free-form option).
    pub path: Box<[Name]>,
    /// Where each component of `path` is written, where known.
    pub key_spans: Box<[Span]>,
    /// The value.
    pub span: Span,
    /// `None`: not statically known.
    pub value: Option<FieldValue>,
}

/// Who defines a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ServiceOrigin {
    /// `systemd.user.services.<name>` in the configuration.
    Written,
    /// A Home Manager module, because the configuration sets `option = true` at `span`;
    /// definitions in the configuration override it.
    Module { option: Box<str>, span: Span },
}

/// A value written in a unit option.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string hm knows exactly (a literal `${HOME}` for systemd included).
    Str(String),
    /// A string with parts only Nix knows: shown with those parts as written
    /// (`${pkgs.x}/bin/x`), the parts kept apart. Boxed: most values are not, and every
    /// field and option definition holds one.
    Interpolated(Box<Interpolated>),
    List(Vec<FieldValue>),
    /// Any other expression, as written.
    Expr {
        expr: String,
    },
}

impl FieldValue {
    /// The text of a string, exact or not (`${…}` where only Nix knows).
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FieldValue::Str(s) => Some(s),
            FieldValue::Interpolated(i) => Some(&i.shown),
            _ => None,
        }
    }

    /// The string items of a string or list-of-strings value.
    pub fn strings(&self) -> Vec<&str> {
        match self {
            FieldValue::Str(s) => vec![s.as_str()],
            FieldValue::Interpolated(i) => vec![i.shown.as_str()],
            FieldValue::List(items) => items.iter().flat_map(|i| i.strings()).collect(),
            _ => Vec::new(),
        }
    }

    /// A one-line rendering for tables. A literal `${` is written `\${`, as in Nix, so it
    /// reads apart from a part only Nix knows (`${pkgs.hello}`).
    pub fn display(&self) -> String {
        let literal = |text: &str| text.replace("${", "\\${");
        match self {
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::Int(i) => i.to_string(),
            FieldValue::Float(f) => f.to_string(),
            FieldValue::Str(s) => literal(s),
            FieldValue::Interpolated(i) => i
                .parts
                .iter()
                .map(|part| match part {
                    StrPart::Text(text) => literal(text),
                    StrPart::Unknown(u) => u.shown.clone(),
                })
                .collect(),
            FieldValue::List(items) => items
                .iter()
                .map(FieldValue::display)
                .collect::<Vec<_>>()
                .join(" "),
            FieldValue::Expr { expr } => expr.clone(),
        }
    }
}

/// A string with parts only Nix knows. Serialized as `shown`, the text as hm shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpolated {
    /// The known text with each unknown part as `shown`.
    pub shown: String,
    pub parts: Vec<StrPart>,
}

impl Interpolated {
    pub fn new(parts: Vec<StrPart>) -> Self {
        let shown = parts
            .iter()
            .map(|p| match p {
                StrPart::Text(t) => t.as_str(),
                StrPart::Unknown(u) => u.shown.as_str(),
            })
            .collect();
        Interpolated { shown, parts }
    }
}

impl Serialize for Interpolated {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.shown)
    }
}

/// A piece of a string: text hm knows exactly, or a part only Nix knows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StrPart {
    Text(String),
    Unknown(UnknownPart),
}

/// A part of a string only Nix knows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownPart {
    /// How the string shows it: `${<expression as written>}`, `${…}` when nothing the
    /// user wrote names it, `/nix/store/<hash>-<name>` for a store path whose hash only is
    /// unknown.
    pub shown: String,
    /// The expression as written in the user's files (or the outside value's name), when
    /// `shown` is `${expr}`.
    pub expr: Option<String>,
    pub kind: UnknownKind,
    /// Why it is not known statically, in words.
    pub reason: String,
    /// Where it arose in the user's files.
    #[serde(skip)]
    pub span: Option<Span>,
}

/// What an unknown part is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnknownKind {
    /// The store path of a derivation the files build, `/nix/store/<hash>-<name>`.
    StorePath,
    /// A value from outside the files (`pkgs.hello`, a flake input, a module argument).
    External,
    /// A library function's result computed from such values (`lib.getExe pkgs.hello`).
    LibraryCall,
    /// Anything else hm cannot evaluate (a condition, the environment, a limit, …).
    Other,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub value: FieldValue,
    /// The value as written.
    pub span: Span,
    /// Each component of the key as written (`Unit`, `Description`).
    #[serde(skip)]
    pub key_spans: Box<[Span]>,
}

/// A Home Manager option of a user's configuration (`home.username`, …).
#[derive(Debug, Clone)]
pub enum Setting {
    Known(Field),
    /// Defined, but by something the analyser cannot decide.
    Unknown(Option<Span>),
}

/// The service manager that runs a service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Manager {
    /// `systemd.user.services.<name>` (Linux).
    #[default]
    Systemd,
    /// `launchd.agents.<name>` (macOS).
    Launchd,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    pub manager: Manager,
    /// The user whose configuration defines it (shared by the user's services).
    pub user: Name,
    /// The user's NixOS or nix-darwin host, for module installs (one user name may be
    /// configured on several hosts).
    pub host: Option<String>,
    /// Where the name is first written.
    pub span: Span,
    /// Every definition that contributes to the service (across files and `mkMerge`).
    pub definitions: Box<[Span]>,
    /// `None` when some definition applies unconditionally.
    pub condition: Option<String>,
    /// Options by `Section.Directive` (`Unit.Description`, `Service.ExecStart`, …) as
    /// written; for launchd agents the path below the agent (`enable`,
    /// `config.ProgramArguments`, …).
    pub fields: Fields,
    /// What starts it: `Install.WantedBy`/`RequiredBy`/`UpheldBy` targets, a timer, socket
    /// or path unit of the same name, or another service that wants it; for agents
    /// `RunAtLoad`, `KeepAlive`, schedules (`daily at 03:00`), `WatchPaths`, … Empty:
    /// never started automatically.
    pub started_by: Vec<String>,
    /// `false` for a launchd agent whose `enable` is `false` or not set: Home Manager
    /// does not install it. Systemd services are always enabled.
    pub enabled: bool,
    /// The launchd job label (`config.Label`, by default
    /// `org.nix-community.home.<name>`), when known.
    pub label: Option<String>,
    /// Some names below the service are not known statically (`config = f x;`): fields
    /// may be missing.
    #[serde(skip)]
    pub incomplete: bool,
    /// The configuration it belongs to targets macOS ([`User::darwin`]; users of different
    /// hosts may share a name).
    #[serde(skip)]
    pub darwin: bool,
    pub origin: ServiceOrigin,
    /// Some definition takes precedence with `mkForce`/`mkOverride`: it overrides a
    /// definition hm does not see (a module's), so what the service lacks may be there.
    #[serde(skip)]
    pub overrides: bool,
}

impl Service {
    pub fn field(&self, key: &str) -> Option<&FieldValue> {
        self.fields.get(key).map(|f| &f.value)
    }

    /// Whether what would start it is computed by an expression hm does not evaluate
    /// (`Install.WantedBy = cfg.targets;`): unknown, not absent.
    pub fn starters_computed(&self) -> bool {
        fn has_expression(value: &FieldValue) -> bool {
            match value {
                FieldValue::Expr { .. } => true,
                FieldValue::List(items) => items.iter().any(has_expression),
                _ => false,
            }
        }
        self.fields.iter().any(|(key, field)| {
            let starter = key == "Install"
                || ["Install.WantedBy", "Install.RequiredBy", "Install.UpheldBy"]
                    .contains(&key.as_str());
            starter && has_expression(&field.value)
        })
    }

    /// A `systemd.user.services` service written in the configuration or created by a module.
    pub fn systemd(name: String, user: Name, span: Span, origin: ServiceOrigin) -> Service {
        Service {
            name,
            manager: Manager::Systemd,
            user,
            host: None,
            span,
            definitions: Box::default(),
            condition: None,
            fields: Fields::default(),
            started_by: Vec::new(),
            enabled: true,
            label: None,
            incomplete: false,
            darwin: false,
            origin,
            overrides: false,
        }
    }
}

/// Something that defines users or services but cannot be decided statically.
#[derive(Debug, Clone, Serialize)]
pub struct Dynamic {
    /// What it would define: `users`, `modules`, `services`, `agents` (launchd), or
    /// `timers`/`sockets`/`paths` (which start services of the same name).
    pub defines: &'static str,
    /// The user it belongs to, for services.
    pub user: Option<String>,
    pub span: Option<Span>,
    pub reason: String,
    /// Nix would fail here (an error, such as a missing attribute), rather than know
    /// something the analyser does not.
    #[serde(skip)]
    pub error: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    Syntax,
    /// Valid Nix too long or too deeply nested for hm to analyse.
    TooComplex,
    /// A missing, unreadable or non-text file.
    Import,
    /// An imported directory without `default.nix`.
    MissingDefaultNix,
    ImportCycle,
    /// `a = 1; a = 2;`, or a name on both sides of sets Nix merges.
    DuplicateAttribute,
}

/// A problem met while reading the configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Option<Span>,
    pub message: String,
    /// Other places that explain it, e.g. the first definition of a duplicate.
    pub related: Vec<Related>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// How one file refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    /// `import ./x.nix`: evaluates the file; a cycle never finishes.
    Expression,
    /// `imports = [ ./x.nix ]`, a `modules` list, `users.x = ./x.nix`: the module system
    /// loads each file once, so cycles are harmless.
    Module,
}

/// An edge of the import graph: the file of `span` imports `to` there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Import {
    pub span: Span,
    pub to: nix_source::FileId,
    pub kind: ImportKind,
}

/// One input of a flake.
#[derive(Debug, Clone, Serialize)]
pub struct FlakeInput {
    pub name: String,
    pub span: Span,
    pub url: Option<String>,
    /// `inputs.<name>.inputs.<input>.follows = "<target>"`: (input, target, span).
    pub follows: Vec<(String, String, Span)>,
}

/// What the analyser read of the entry `flake.nix`.
#[derive(Debug, Clone, Serialize)]
pub struct Flake {
    pub span: Span,
    pub inputs: Vec<FlakeInput>,
    /// Where `inputs` is written, if it is.
    pub inputs_span: Option<Span>,
    /// Inputs the `outputs` function asks for (`{ self, nixpkgs, home-manager, ... }`, or
    /// `inputs.home-manager`), with where.
    pub used_inputs: Vec<(String, Span)>,
}

/// What the analyser found.
#[derive(Debug, Default, Serialize)]
pub struct Inventory {
    /// The flake, when the entry is a `flake.nix`.
    pub flake: Option<Flake>,
    pub users: Vec<User>,
    pub services: Vec<Service>,
    /// Every Home Manager option the users' configurations define.
    #[serde(skip)]
    pub option_definitions: Vec<OptionDefinition>,
    /// Options read where nothing sets them.
    #[serde(skip)]
    pub unset_options: Vec<UnsetOption>,
    pub dynamic: Vec<Dynamic>,
    pub imports: Vec<Import>,
    pub problems: Vec<Problem>,
}

impl Inventory {
    /// `systemd.user.services`.
    pub fn systemd_services(&self) -> impl Iterator<Item = &Service> {
        self.services
            .iter()
            .filter(|s| s.manager == Manager::Systemd)
    }

    /// `launchd.agents`.
    pub fn agents(&self) -> impl Iterator<Item = &Service> {
        self.services
            .iter()
            .filter(|s| s.manager == Manager::Launchd)
    }

    /// Some users may be defined by code the analyser cannot follow: only Nix knows them
    /// all.
    pub fn users_undecided(&self) -> bool {
        self.dynamic.iter().any(|d| d.defines == "users")
    }
}
