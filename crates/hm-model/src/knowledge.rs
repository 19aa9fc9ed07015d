//! What Home Manager itself declares, generated from the real module set by
//! `tools/hm-knowledge/generate.sh` (see `data/`): every option path with its type, and
//! the user units modules create when their `enable` option is true; and, from
//! `older.sh`, the options of earlier releases (24.11 on) where they differ, since a
//! configuration may lock any release. `build.rs` turns the
//! data into static tables (`OPTIONS`, the path trie `NODES`, `UNITS`), so nothing is parsed
//! at run time; an option's type is parsed when it is asked for.

use crate::model::FieldValue;

include!(concat!(env!("OUT_DIR"), "/knowledge.rs"));

/// The Home Manager revision the data came from.
const REVISION: &str = include_str!("../data/hm-revision");

/// One option Home Manager declares.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionInfo {
    /// `programs.git.enable`; attribute names of `attrsOf` options are written `<name>`.
    pub path: &'static str,
    /// The generator's type code (see [`OptionInfo::ty`]).
    ty_code: &'static str,
    /// How the module system describes the type: "null or string".
    pub type_description: &'static str,
    /// The default, as JSON, when it is a literal.
    pub default: Option<&'static str>,
    /// The declaring file, relative to the Home Manager checkout.
    pub file: &'static str,
    below: Below,
}

impl OptionInfo {
    /// The option's type.
    pub fn ty(&self) -> OptionType {
        OptionType::parse(self.ty_code)
    }
}

/// What may be defined below an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Below {
    /// Only the sub-options Home Manager declares, if any.
    Declared,
    /// Any name (`attrsOf str`, free-form `settings`).
    Free,
    /// A whole configuration again (`specialisation.<name>.configuration`).
    Root,
}

/// The types the checks reason about; everything else is [`OptionType::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionType {
    Bool,
    Int,
    Float,
    /// `str` and its refinements (`nonEmptyStr`, `strMatching`, …).
    Str,
    /// `lines`, `commas`, `envVar`: strings that merge by concatenation.
    Lines,
    Path,
    Package,
    List(Box<OptionType>),
    /// `attrs`, `attrsOf`, `lazyAttrsOf`.
    Attrs,
    Submodule,
    /// The allowed values, as JSON (`"auto"`, `1`, `true`).
    Enum(Vec<String>),
    NullOr(Box<OptionType>),
    /// `either`, `oneOf`.
    Either(Vec<OptionType>),
    /// Anything else, by the module system's type name.
    Other(String),
}

impl OptionType {
    /// Whether a value of the option may be `value`: `None` when that cannot be told
    /// without evaluating (expressions, interpolated strings where the set of values is
    /// closed, strings where paths or packages are expected).
    pub fn accepts(&self, value: &FieldValue) -> Option<bool> {
        use FieldValue as V;
        use OptionType as T;
        if matches!(value, V::Expr { .. }) {
            return None;
        }
        let scalar_mismatch = |ok: bool| Some(ok);
        match (self, value) {
            (T::Bool, v) => scalar_mismatch(matches!(v, V::Bool(_))),
            (T::Int, V::Float(_)) | (T::Float, V::Int(_)) => None,
            (T::Int, v) => scalar_mismatch(matches!(v, V::Int(_))),
            (T::Float, v) => scalar_mismatch(matches!(v, V::Float(_))),
            (T::Str | T::Lines, v) => scalar_mismatch(matches!(v, V::Str(_) | V::Interpolated(_))),
            // A string may be a path or a store path.
            (T::Path | T::Package | T::Submodule, V::Str(_) | V::Interpolated(_)) => None,
            (T::Path | T::Package, _) => Some(false),
            (T::List(item), V::List(items)) => {
                let mut all = Some(true);
                for verdict in items.iter().map(|i| item.accepts(i)) {
                    match verdict {
                        Some(false) => return Some(false),
                        None => all = None,
                        Some(true) => {}
                    }
                }
                all
            }
            (T::List(_), _) => Some(false),
            (T::Attrs | T::Submodule, _) => Some(false),
            (T::Enum(values), V::Str(s)) => {
                Some(values.iter().any(|v| json_string(v) == Some(s.as_str())))
            }
            (T::Enum(values), V::Bool(b)) => Some(values.contains(&b.to_string())),
            (T::Enum(values), V::Int(i)) => Some(values.contains(&i.to_string())),
            (T::Enum(_), V::List(_) | V::Float(_)) => Some(false),
            (T::Enum(_), _) => None,
            (T::NullOr(inner), v) => inner.accepts(v),
            (T::Either(types), v) => {
                let verdicts: Vec<_> = types.iter().map(|t| t.accepts(v)).collect();
                if verdicts.contains(&Some(true)) {
                    Some(true)
                } else if verdicts.iter().all(|v| *v == Some(false)) {
                    Some(false)
                } else {
                    None
                }
            }
            (T::Other(_), _) => None,
        }
    }

    /// Parses the generator's type code: `listOf(str)`, `enum["a","b"]`, `either(a,b)`.
    fn parse(code: &str) -> OptionType {
        let code = code.trim();
        if let Some(values) = code.strip_prefix("enum[") {
            let values = values.strip_suffix(']').unwrap_or(values);
            return OptionType::Enum(split_json_array(values));
        }
        let (name, args) = match code.split_once('(') {
            Some((name, rest)) => (name, split_args(rest.strip_suffix(')').unwrap_or(rest))),
            None => (code, Vec::new()),
        };
        // `strMatching "^a"`: the name is the first word.
        let name = name.split_whitespace().next().unwrap_or_default();
        let parameterised = ["listOf", "nonEmptyListOf", "nullOr", "either", "oneOf"];
        if args.is_empty() && parameterised.contains(&name) {
            // Nested too deep for the generator to spell out.
            return OptionType::Other(name.to_string());
        }
        let arg = |i: usize| {
            Box::new(
                args.get(i)
                    .map_or(OptionType::Other(String::new()), |a| OptionType::parse(a)),
            )
        };
        match name {
            "bool" | "boolean" => OptionType::Bool,
            "int" | "positiveInt" | "unsignedInt" | "intBetween" | "signedInt8" | "signedInt16"
            | "signedInt32" | "unsignedInt8" | "unsignedInt16" | "unsignedInt32" | "port" => {
                OptionType::Int
            }
            "float" => OptionType::Float,
            "str" | "nonEmptyStr" | "strMatching" | "singleLineStr" | "passwdEntry" => {
                OptionType::Str
            }
            "lines" | "separatedString" | "commas" | "envVar" => OptionType::Lines,
            "path" | "pathInStore" => OptionType::Path,
            "package" => OptionType::Package,
            "listOf" | "nonEmptyListOf" => OptionType::List(arg(0)),
            "attrs" | "attrsOf" | "lazyAttrsOf" => OptionType::Attrs,
            "submodule" => OptionType::Submodule,
            "nullOr" => OptionType::NullOr(arg(0)),
            "either" | "oneOf" => {
                OptionType::Either(args.iter().map(|a| OptionType::parse(a)).collect())
            }
            other => OptionType::Other(other.to_string()),
        }
    }
}

/// The text of a JSON string literal without escapes, else `None`.
fn json_string(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// Top-level items of `a,b(c,d),e` (commas inside parentheses or strings stay).
fn split_args(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start, mut in_string, mut escaped) = (0i32, 0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '(' | '[' if !in_string => depth += 1,
            ')' | ']' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < text.len() {
        items.push(&text[start..]);
    }
    items
}

fn split_json_array(text: &str) -> Vec<String> {
    split_args(text)
        .into_iter()
        .map(|s| s.trim().to_string())
        .collect()
}

/// What a path of attribute names is to Home Manager.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<'a> {
    /// An option.
    Option(&'a OptionInfo),
    /// A prefix of options (`programs`, `programs.git`… when `git` has sub-options only).
    Namespace,
    /// Below an option that accepts any name there.
    FreeForm(&'a OptionInfo),
    /// No such option: `index` is the first component that is not declared, `siblings`
    /// the names declared beside it.
    Unknown {
        index: usize,
        siblings: Vec<&'a str>,
    },
}

/// A node of the trie of option paths.
#[derive(Debug)]
struct Node {
    /// By name, sorted: each child's index in `NODES`.
    children: &'static [(&'static str, usize)],
    /// The option this path is, as an index in `OPTIONS`.
    option: Option<usize>,
}

impl Node {
    /// The child named `part`, else the one standing for any name (`<name>`).
    fn child(&self, part: &str) -> Option<&'static Node> {
        self.child_in(part, &NODES)
    }

    /// [`Node::child`], in the trie `nodes` this node belongs to.
    fn child_in(&self, part: &str, nodes: &'static [Node]) -> Option<&'static Node> {
        let index = match self
            .children
            .binary_search_by(|(name, _)| (*name).cmp(part))
        {
            Ok(i) => self.children[i].1,
            Err(_) => {
                self.children
                    .iter()
                    .find(|(name, _)| is_placeholder(name))?
                    .1
            }
        };
        Some(&nodes[index])
    }

    fn option(&self) -> Option<&'static OptionInfo> {
        self.option.map(|i| &OPTIONS[i])
    }
}

/// An option of earlier Home Manager releases that the current one lacks or types
/// differently.
#[derive(Debug)]
pub struct OlderOption {
    pub path: &'static str,
    /// Its types, each with the releases that had it.
    pub types: &'static [OlderType],
    /// Any name may be defined below it in some release.
    free: bool,
}

#[derive(Debug)]
pub struct OlderType {
    ty_code: &'static str,
    /// `24.11,25.05`.
    pub releases: &'static str,
}

impl OlderType {
    pub fn ty(&self) -> OptionType {
        OptionType::parse(self.ty_code)
    }
}

/// A unit a module creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedUnit {
    /// `service`, `timer` or `socket`.
    pub kind: &'static str,
    pub name: &'static str,
    /// `Section.Directive` keys the unit has when only the option is set.
    pub keys: &'static [&'static str],
}

/// Home Manager's options and module-created units (static tables).
#[derive(Debug)]
pub struct Knowledge;

/// The knowledge.
pub fn knowledge() -> &'static Knowledge {
    &Knowledge
}

/// The Home Manager revision the knowledge was generated from.
pub fn revision() -> &'static str {
    REVISION.trim()
}

/// Whether an attribute name of a declared path stands for any name (`<name>`).
fn is_placeholder(name: &str) -> bool {
    name.starts_with('<') && name.ends_with('>')
}

impl Knowledge {
    /// How many options there are.
    pub fn len(&self) -> usize {
        OPTIONS.len()
    }

    pub fn is_empty(&self) -> bool {
        OPTIONS.is_empty()
    }

    /// What `path` (attribute names as written) is.
    pub fn lookup<S: AsRef<str>>(&self, path: &[S]) -> Lookup<'_> {
        let mut node = root();
        let mut index = 0;
        // The innermost option above whose sub-options may not be all there is: free-form
        // ones, and `dagOf`, `coercedTo`, … (values may be written in another shape).
        let mut lenient = None;
        while index < path.len() {
            if let Some(option) = node.option()
                && (option.below == Below::Free || !option.ty().trusts_sub_options())
            {
                lenient = Some(option);
            }
            let part = path[index].as_ref();
            match node.child(part) {
                Some(child) => node = child,
                None => {
                    if let Some(option) = node.option() {
                        match option.below {
                            Below::Free => return Lookup::FreeForm(option),
                            Below::Root => {
                                node = root();
                                lenient = None;
                                continue;
                            }
                            Below::Declared if !option.ty().is_closed() => {
                                return Lookup::FreeForm(option);
                            }
                            Below::Declared => {}
                        }
                    }
                    if let Some(option) = lenient {
                        return Lookup::FreeForm(option);
                    }
                    return Lookup::Unknown {
                        index,
                        siblings: node
                            .children
                            .iter()
                            .map(|(name, _)| *name)
                            .filter(|n| !is_placeholder(n))
                            .collect(),
                    };
                }
            }
            index += 1;
        }
        match node.option() {
            Some(option) => Lookup::Option(option),
            None => Lookup::Namespace,
        }
    }

    /// Whether the option at `path` has sub-options declared below it (a whole
    /// configuration for `specialisation.<name>.configuration`).
    pub fn has_sub_options<S: AsRef<str>>(&self, path: &[S]) -> bool {
        let mut node = root();
        for part in path {
            let part = part.as_ref();
            let again = node.option().is_some_and(|o| o.below == Below::Root);
            match node.child(part) {
                Some(child) => node = child,
                None if again => match root().child(part) {
                    Some(child) => node = child,
                    None => return false,
                },
                None => return false,
            }
        }
        !node.children.is_empty() || node.option().is_some_and(|o| o.below == Below::Root)
    }

    /// The type of the option at `path`, when it is one.
    pub fn option_type<S: AsRef<str>>(&self, path: &[S]) -> Option<OptionType> {
        match self.lookup(path) {
            Lookup::Option(option) => Some(option.ty()),
            _ => None,
        }
    }

    /// Whether an earlier release declared an option at `path` (attribute names as
    /// written) or below it, where the current one declares none: the configuration may
    /// lock that release.
    pub fn declared_before<S: AsRef<str>>(&self, path: &[S]) -> bool {
        let mut node = &OLDER_NODES[0];
        for part in path {
            if node.option.is_some_and(|i| OLDER[i].free) {
                return true;
            }
            match node.child_in(part.as_ref(), &OLDER_NODES) {
                Some(child) => node = child,
                None => return false,
            }
        }
        true
    }

    /// The types earlier releases gave the option at `path` where they differ from the
    /// current one.
    pub fn older_types<S: AsRef<str>>(&self, path: &[S]) -> &'static [OlderType] {
        let mut node = &OLDER_NODES[0];
        for part in path {
            match node.child_in(part.as_ref(), &OLDER_NODES) {
                Some(child) => node = child,
                None => return &[],
            }
        }
        node.option.map_or(&[], |i| OLDER[i].types)
    }

    /// The user units Home Manager creates when the option at `option` is true
    /// (`services.syncthing.enable`).
    pub fn services_created_by(&self, option: &str) -> &'static [CreatedUnit] {
        UNITS
            .binary_search_by(|(o, _)| (*o).cmp(option))
            .map_or(&[], |i| UNITS[i].1)
    }
}

/// The trie's root: every top-level option name.
fn root() -> &'static Node {
    &NODES[0]
}

impl OptionType {
    /// Whether nothing but declared sub-options may be defined below an option of this type:
    /// scalars, lists, and sets of declared sub-options.
    fn is_closed(&self) -> bool {
        match self {
            OptionType::Bool
            | OptionType::Int
            | OptionType::Float
            | OptionType::Str
            | OptionType::Lines
            | OptionType::Path
            | OptionType::Package
            | OptionType::Enum(_)
            | OptionType::List(_)
            | OptionType::Submodule => true,
            OptionType::NullOr(inner) => inner.is_closed(),
            OptionType::Either(types) => types.iter().all(OptionType::is_closed),
            OptionType::Attrs | OptionType::Other(_) => false,
        }
    }

    /// Whether the sub-options generated for an option of this type are all the names
    /// that may be written below it.
    fn trusts_sub_options(&self) -> bool {
        match self {
            OptionType::Other(_) => false,
            OptionType::NullOr(inner) | OptionType::List(inner) => inner.trusts_sub_options(),
            OptionType::Either(types) => types.iter().all(OptionType::trusts_sub_options),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn the_data_is_read() {
        let k = knowledge();
        assert!(k.len() > 1000, "{} options", k.len());
        assert_eq!(revision().len(), 40);
    }

    #[test]
    fn earlier_releases_options_are_known() {
        let k = knowledge();
        // Removed in 26.05, declared by 25.11.
        let vscode = ["programs", "vscode", "dataFolderName"];
        assert!(matches!(
            k.lookup(&vscode),
            Lookup::Unknown { index: 2, .. }
        ));
        assert!(k.declared_before(&vscode));
        assert!(!k.declared_before(&["programs", "vscode", "dataFolderNam"]));
        assert!(!k.declared_before(&["programs", "gti"]));
        // A list of extensions: not a submodule now; 25.05 and 25.11 coerce it.
        let extensions = ["programs", "firefox", "profiles", "alice", "extensions"];
        let list = FieldValue::List(Vec::new());
        assert_eq!(
            k.option_type(&extensions).map(|t| t.accepts(&list)),
            Some(Some(false))
        );
        let older = k.older_types(&extensions);
        assert!(
            older
                .iter()
                .any(|t| t.releases.contains("25.11") && t.ty().accepts(&list) != Some(false))
        );
    }

    #[test]
    fn looks_up_paths() {
        let k = knowledge();
        assert!(
            matches!(k.lookup(&["programs", "git", "enable"]), Lookup::Option(o) if o.ty() == OptionType::Bool)
        );
        assert_eq!(k.lookup(&["programs"]), Lookup::Namespace);
        match k.lookup(&["programs", "gti", "enable"]) {
            Lookup::Unknown { index, siblings } => {
                assert_eq!(index, 1);
                assert!(siblings.contains(&"git"));
            }
            other => panic!("{other:?}"),
        }
        match k.lookup(&["services", "syncthing", "enabel"]) {
            Lookup::Unknown { index, siblings } => {
                assert_eq!(index, 2);
                assert!(siblings.contains(&"enable"));
            }
            other => panic!("{other:?}"),
        }
        // `attrsOf` names, free-form settings, specialisations.
        assert!(matches!(
            k.lookup(&["programs", "ssh", "matchBlocks", "github", "hostname"]),
            Lookup::Option(_)
        ));
        assert!(matches!(
            k.lookup(&["home", "sessionVariables", "EDITOR"]),
            Lookup::FreeForm(_)
        ));
        assert!(matches!(
            k.lookup(&[
                "specialisation",
                "dark",
                "configuration",
                "programs",
                "git",
                "enable"
            ]),
            Lookup::Option(_)
        ));
        let signing = [
            "specialisation",
            "dark",
            "configuration",
            "programs",
            "git",
            "signing",
        ];
        assert!(k.has_sub_options(&signing[..3]));
        assert!(k.has_sub_options(&signing));
    }

    #[test]
    fn knows_module_services() {
        let units = knowledge().services_created_by("services.syncthing.enable");
        assert!(
            units
                .iter()
                .any(|u| u.kind == "service" && u.name == "syncthing"),
            "{units:?}"
        );
    }

    #[test]
    fn parses_types() {
        assert_eq!(
            OptionType::parse("nullOr(listOf(str))"),
            OptionType::NullOr(Box::new(OptionType::List(Box::new(OptionType::Str))))
        );
        assert_eq!(
            OptionType::parse(r#"enum["a","b,c"]"#),
            OptionType::Enum(vec!["\"a\"".into(), "\"b,c\"".into()])
        );
        assert_eq!(
            OptionType::parse("either(str,listOf(str))"),
            OptionType::Either(vec![
                OptionType::Str,
                OptionType::List(Box::new(OptionType::Str))
            ])
        );
    }

    #[test]
    fn accepts_values() {
        use FieldValue as V;
        assert_eq!(OptionType::Bool.accepts(&V::Str("yes".into())), Some(false));
        assert_eq!(OptionType::Bool.accepts(&V::Bool(true)), Some(true));
        assert_eq!(
            OptionType::Bool.accepts(&V::Expr { expr: "x".into() }),
            None
        );
        let list = OptionType::List(Box::new(OptionType::Str));
        assert_eq!(list.accepts(&V::Str("a".into())), Some(false));
        assert_eq!(list.accepts(&V::List(vec![V::Str("a".into())])), Some(true));
        let e = OptionType::Enum(vec!["\"auto\"".into()]);
        assert_eq!(e.accepts(&V::Str("always".into())), Some(false));
        let unknown = crate::Interpolated::new(vec![crate::StrPart::Text("x".into())]);
        assert_eq!(e.accepts(&V::Interpolated(Box::new(unknown))), None);
        assert_eq!(OptionType::Str.accepts(&V::Str("${x}".into())), Some(true));
    }
}
