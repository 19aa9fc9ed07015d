//! The stable JSON schema (docs/json.md). Field names here are a public interface:
//! add fields, never rename or remove them without bumping `schema`.

use hm_model::{
    Analysis, Dynamic, FieldValue, Manager, Service, ServiceOrigin, StrPart, UnknownPart, User,
    UserKind,
};
use indexmap::IndexMap;
use serde::Serialize;

use hm_diagnostics::render::JsonDiagnostic;
use hm_diagnostics::{Diagnostic, Location, display_path};

#[derive(Serialize)]
pub struct JsonField {
    pub value: FieldValue,
    /// Only when some string in `value` has parts only Nix knows: which ones.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parts: Option<JsonParts>,
    pub location: Location,
}

/// A value's strings as parts, shaped like the value: a string's parts, or a list with
/// an entry per item (`null` for an item that is not a string).
#[derive(Serialize)]
#[serde(untagged)]
pub enum JsonParts {
    Str(Vec<JsonPart>),
    List(Vec<Option<JsonParts>>),
}

/// Text hm knows exactly (as a JSON string), or a part only Nix knows (an object).
#[derive(Serialize)]
#[serde(untagged)]
pub enum JsonPart {
    Text(String),
    Unknown(JsonUnknownPart),
}

#[derive(Serialize)]
pub struct JsonUnknownPart {
    #[serde(flatten)]
    pub part: UnknownPart,
    pub location: Option<Location>,
}

#[derive(Serialize)]
pub struct JsonUser {
    pub name: String,
    pub kind: UserKind,
    pub host: Option<String>,
    pub attribute: Option<String>,
    pub condition: Option<String>,
    pub location: Location,
    pub modules: Vec<String>,
}

#[derive(Serialize)]
pub struct JsonService {
    pub name: String,
    /// `systemd` or `launchd`.
    pub manager: Manager,
    pub user: String,
    /// The user's NixOS or nix-darwin host, for module installs.
    pub host: Option<String>,
    pub description: Option<FieldValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_parts: Option<JsonParts>,
    /// `Service.ExecStart`, or an agent's `config.ProgramArguments` (else `config.Program`).
    pub exec_start: Option<FieldValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exec_start_parts: Option<JsonParts>,
    /// `false` for a launchd agent Home Manager does not install.
    pub enabled: bool,
    /// The launchd job label.
    pub label: Option<String>,
    pub wanted_by: Vec<String>,
    pub started_by: Vec<String>,
    /// `null` when what would start it is computed by an expression only Nix knows.
    pub started_automatically: Option<bool>,
    pub condition: Option<String>,
    pub location: Location,
    pub definitions: Vec<Location>,
    /// Every option as `Section.Directive`, in definition order.
    pub fields: IndexMap<String, JsonField>,
    /// `written` in the configuration, or created by a Home Manager `module` for `option`.
    pub origin: JsonOrigin,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum JsonOrigin {
    Written,
    Module { option: String, location: Location },
}

#[derive(Serialize)]
pub struct JsonDynamic {
    pub defines: &'static str,
    pub user: Option<String>,
    pub reason: String,
    pub location: Option<Location>,
}

#[derive(Serialize)]
pub struct UsersDocument {
    pub schema: &'static str,
    pub entry: String,
    pub users: Vec<JsonUser>,
    pub dynamic: Vec<JsonDynamic>,
    pub problems: Vec<JsonDiagnostic>,
}

#[derive(Serialize)]
pub struct ServicesDocument {
    pub schema: &'static str,
    pub entry: String,
    pub services: Vec<JsonService>,
    pub dynamic: Vec<JsonDynamic>,
    pub problems: Vec<JsonDiagnostic>,
}

fn location(analysis: &Analysis, span: hm_model::Span) -> Location {
    Location::new(&analysis.db, &analysis.root, span)
}

/// The parts of `value`'s strings, when some of them are known only to Nix.
fn parts(analysis: &Analysis, value: &FieldValue) -> Option<JsonParts> {
    fn shape(analysis: &Analysis, value: &FieldValue) -> Option<JsonParts> {
        match value {
            FieldValue::Str(text) if text.is_empty() => Some(JsonParts::Str(Vec::new())),
            FieldValue::Str(text) => Some(JsonParts::Str(vec![JsonPart::Text(text.clone())])),
            FieldValue::Interpolated(i) => Some(JsonParts::Str(
                i.parts
                    .iter()
                    .map(|part| match part {
                        StrPart::Text(text) => JsonPart::Text(text.clone()),
                        StrPart::Unknown(u) => JsonPart::Unknown(JsonUnknownPart {
                            part: u.clone(),
                            location: u.span.map(|s| location(analysis, s)),
                        }),
                    })
                    .collect(),
            )),
            FieldValue::List(items) => Some(JsonParts::List(
                items.iter().map(|item| shape(analysis, item)).collect(),
            )),
            _ => None,
        }
    }
    fn interpolated(value: &FieldValue) -> bool {
        match value {
            FieldValue::Interpolated(_) => true,
            FieldValue::List(items) => items.iter().any(interpolated),
            _ => false,
        }
    }
    interpolated(value)
        .then(|| shape(analysis, value))
        .flatten()
}

fn problems(analysis: &Analysis, problems: &[Diagnostic]) -> Vec<JsonDiagnostic> {
    problems
        .iter()
        .map(|d| hm_diagnostics::render::json_one(&analysis.db, &analysis.root, d))
        .collect()
}

fn entry(analysis: &Analysis) -> String {
    display_path(&analysis.root, &analysis.entry)
}

pub fn user(analysis: &Analysis, user: &User) -> JsonUser {
    JsonUser {
        name: user.name.clone(),
        kind: user.kind,
        host: user.host.clone(),
        attribute: user.attribute.clone(),
        condition: user.condition.clone(),
        location: location(analysis, user.span),
        modules: user
            .modules
            .iter()
            .map(|span| {
                let location = location(analysis, *span);
                if span.range.start == 0 {
                    location.file
                } else {
                    location.short()
                }
            })
            .collect(),
    }
}

pub fn service(analysis: &Analysis, service: &Service) -> JsonService {
    let strings = |key: &str| {
        service
            .field(key)
            .map(|v| v.strings().into_iter().map(str::to_string).collect())
            .unwrap_or_default()
    };
    let exec_start = match service.manager {
        Manager::Systemd => service.field("Service.ExecStart"),
        Manager::Launchd => service
            .field("config.ProgramArguments")
            .or_else(|| service.field("config.Program")),
    };
    JsonService {
        name: service.name.clone(),
        manager: service.manager,
        user: service.user.to_string(),
        host: service.host.clone(),
        description: service.field("Unit.Description").cloned(),
        description_parts: service
            .field("Unit.Description")
            .and_then(|v| parts(analysis, v)),
        exec_start: exec_start.cloned(),
        exec_start_parts: exec_start.and_then(|v| parts(analysis, v)),
        enabled: service.enabled,
        label: service.label.clone(),
        wanted_by: strings("Install.WantedBy"),
        started_automatically: match service.enabled && !service.started_by.is_empty() {
            false if service.enabled && service.starters_computed() => None,
            started => Some(started),
        },
        started_by: service.started_by.clone(),
        condition: service.condition.clone(),
        location: location(analysis, service.span),
        definitions: service
            .definitions
            .iter()
            .map(|s| location(analysis, *s))
            .collect(),
        origin: match &service.origin {
            ServiceOrigin::Written => JsonOrigin::Written,
            ServiceOrigin::Module { option, span } => JsonOrigin::Module {
                option: option.to_string(),
                location: location(analysis, *span),
            },
        },
        fields: service
            .fields
            .iter()
            .map(|(key, field)| {
                (
                    key.clone(),
                    JsonField {
                        value: field.value.clone(),
                        parts: parts(analysis, &field.value),
                        location: location(analysis, field.span),
                    },
                )
            })
            .collect(),
    }
}

pub fn dynamic(analysis: &Analysis, dynamic: &Dynamic) -> JsonDynamic {
    JsonDynamic {
        defines: dynamic.defines,
        user: dynamic.user.clone(),
        reason: dynamic.reason.clone(),
        location: dynamic.span.map(|s| location(analysis, s)),
    }
}

pub fn users_document(analysis: &Analysis, found: &[Diagnostic]) -> UsersDocument {
    let inventory = &analysis.inventory;
    UsersDocument {
        schema: "hm.users/v1",
        entry: entry(analysis),
        users: inventory.users.iter().map(|u| user(analysis, u)).collect(),
        dynamic: inventory
            .dynamic
            .iter()
            .filter(|d| d.defines == "users")
            .map(|d| dynamic(analysis, d))
            .collect(),
        problems: problems(analysis, found),
    }
}

pub fn services_document<'a>(
    analysis: &Analysis,
    found: &[Diagnostic],
    services: impl Iterator<Item = &'a Service>,
    dynamics: impl Iterator<Item = &'a Dynamic>,
) -> ServicesDocument {
    ServicesDocument {
        schema: "hm.services/v1",
        entry: entry(analysis),
        services: services.map(|s| service(analysis, s)).collect(),
        dynamic: dynamics.map(|d| dynamic(analysis, d)).collect(),
        problems: problems(analysis, found),
    }
}
