//! Which configuration `build`, `switch` and the other Nix-running commands use, found as
//! the home-manager CLI finds it: `--flake URI[#NAME]` (any flake reference), `-f FILE`,
//! then `HM_FLAKE`, `NH_HOME_FLAKE`, `NH_FLAKE` (as nh reads them), `HOME_MANAGER_CONFIG`,
//! then `~/.config/home-manager/flake.nix`, the deprecated `~/.config/nixpkgs/flake.nix`,
//! and the `home.nix` files in the same places. Never the current directory by surprise:
//! pass `--flake .` for that.

use std::path::{Path, PathBuf};

use miette::{Result, miette};

use crate::cli::Selection;
use crate::environment;

/// A configuration to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flake(Flake),
    /// A configuration file built without flakes (`nix-build`), with the attribute in it
    /// (`-A`, empty for the whole file).
    File {
        path: PathBuf,
        attribute: String,
    },
}

/// A flake and, after `#`, the name of a `homeConfigurations` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flake {
    /// The directory on this machine hm reads statically, for local flakes.
    pub dir: Option<PathBuf>,
    /// The reference exactly as written, when it is a URL (`path:…`, `github:…`): nix gets
    /// it unchanged. `None` for plain directories (hm makes the reference).
    pub url: Option<String>,
    pub name: Option<String>,
}

impl Flake {
    /// How to name it in messages.
    pub fn shown(&self) -> String {
        let base = match (&self.url, &self.dir) {
            (Some(url), _) => url.clone(),
            (None, Some(dir)) => dir.display().to_string(),
            (None, None) => String::new(),
        };
        match &self.name {
            Some(name) => format!("{base}#{name}"),
            None => base,
        }
    }
}

/// A source and where it came from (for the "using …" line).
pub struct Resolved {
    pub source: Source,
    pub origin: &'static str,
}

impl Resolved {
    /// `using flake X (from HM_FLAKE)`, said on stderr before anything is built.
    pub fn announce(&self) -> String {
        match &self.source {
            Source::Flake(flake) => format!("using flake {} ({})", flake.shown(), self.origin),
            Source::File { path, attribute } if attribute.is_empty() => {
                format!("using {} ({})", path.display(), self.origin)
            }
            Source::File { path, attribute } => format!(
                "using attribute {attribute} of {} ({})",
                path.display(),
                self.origin
            ),
        }
    }
}

/// Whether `text` starts with a URL scheme (`github:`, `git+file:`, `path:`).
fn scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

/// The value of `key` in a URL's query (`?dir=sub&ref=x`), percent-decoded.
fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The local directory a flake URL names, for the schemes that name one.
fn local_dir(url: &str) -> Option<PathBuf> {
    let (scheme, rest) = url.split_once(':')?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = match scheme {
        "path" => path,
        "git+file" | "file" => path.strip_prefix("//")?,
        _ => return None,
    };
    let dir = PathBuf::from(percent_decode(path));
    Some(match query_value(query, "dir") {
        Some(sub) => dir.join(sub),
        None => dir,
    })
}

/// Reads a `--flake` argument. A path that exists is a directory (or its `flake.nix`),
/// whatever characters it holds; otherwise `REF#NAME` splits at the first `#`, and `REF`
/// is a path when it looks like one (`/…`, `.…`, `~…`, or no scheme but a `/`), a local
/// URL (`path:`, `git+file:`), or any other flake reference (`github:…`, a registry name).
pub fn parse_flake(arg: &str, home: Option<&Path>, exists: &dyn Fn(&Path) -> bool) -> Flake {
    let expand = |text: &str| -> PathBuf {
        match (text.strip_prefix("~/"), home) {
            (Some(rest), Some(home)) => home.join(rest),
            _ if text == "~" => home.map_or_else(|| PathBuf::from(text), Path::to_path_buf),
            _ => PathBuf::from(text),
        }
    };
    let whole = expand(arg);
    if exists(&whole) {
        return Flake {
            dir: Some(flake_dir(whole)),
            url: None,
            name: None,
        };
    }
    let (reference, name) = match arg.split_once('#') {
        Some((reference, name)) => (reference, (!name.is_empty()).then(|| name.to_string())),
        None => (arg, None),
    };
    let reference = if reference.is_empty() { "." } else { reference };
    let looks_like_path = reference.starts_with(['/', '.', '~'])
        || (scheme(reference).is_none() && reference.contains('/'));
    if looks_like_path {
        return Flake {
            dir: Some(flake_dir(expand(reference))),
            url: None,
            name,
        };
    }
    Flake {
        dir: local_dir(reference),
        url: Some(reference.to_string()),
        name,
    }
}

/// A flake's directory: `flake.nix` given directly names its directory.
fn flake_dir(path: PathBuf) -> PathBuf {
    let path = std::path::absolute(&path).unwrap_or(path);
    if path.file_name().is_some_and(|n| n == "flake.nix") {
        path.parent().map_or(path.clone(), Path::to_path_buf)
    } else {
        path
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Finds the configuration for `selection`.
pub fn resolve(selection: &Selection) -> Result<Resolved> {
    let home = environment::home().ok();
    let exists = |p: &Path| p.exists();
    let flake = |arg: &str, origin| Resolved {
        source: Source::Flake(parse_flake(arg, home.as_deref(), &exists)),
        origin,
    };
    let attribute = selection.attribute.clone().unwrap_or_default();
    let file = |path: PathBuf, origin| Resolved {
        source: Source::File {
            path: std::path::absolute(&path).unwrap_or(path),
            attribute: attribute.clone(),
        },
        origin,
    };
    if let Some(arg) = &selection.flake {
        return Ok(flake(arg, "--flake"));
    }
    if let Some(path) = &selection.file {
        return Ok(file(path.clone(), "-f"));
    }
    for name in ["HM_FLAKE", "NH_HOME_FLAKE", "NH_FLAKE"] {
        if let Some(arg) = env(name) {
            return Ok(flake(&arg, name));
        }
    }
    if let Some(config) = env("HOME_MANAGER_CONFIG") {
        let path = PathBuf::from(config);
        if !path.exists() {
            return Err(miette!(
                code = "hm::no-configuration",
                "HOME_MANAGER_CONFIG is {}, which does not exist",
                path.display()
            ));
        }
        if path.is_dir() || path.file_name().is_some_and(|n| n == "flake.nix") {
            return Ok(Resolved {
                source: Source::Flake(Flake {
                    dir: Some(flake_dir(path)),
                    url: None,
                    name: None,
                }),
                origin: "HOME_MANAGER_CONFIG",
            });
        }
        return Ok(file(path, "HOME_MANAGER_CONFIG"));
    }
    let config = env("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    let current = config.as_ref().map(|c| c.join("home-manager"));
    let deprecated = config.as_ref().map(|c| c.join("nixpkgs"));
    let legacy = home.as_ref().map(|h| h.join(".nixpkgs"));
    let candidates = [
        (&current, "flake.nix", false),
        (&deprecated, "flake.nix", true),
        (&current, "home.nix", false),
        (&deprecated, "home.nix", true),
        (&legacy, "home.nix", true),
    ];
    for (dir, name, is_deprecated) in candidates {
        let Some(dir) = dir else { continue };
        let path = dir.join(name);
        if !path.exists() {
            continue;
        }
        if is_deprecated {
            eprintln!(
                "hm: warning: keeping your Home Manager {name} in {} is deprecated; move it to ~/.config/home-manager",
                dir.display()
            );
        }
        // A symlinked flake.nix: the flake is where it points, as the CLI's `readlink -f`.
        let path = path.canonicalize().unwrap_or(path);
        return Ok(if name == "flake.nix" {
            Resolved {
                source: Source::Flake(Flake {
                    dir: Some(flake_dir(path)),
                    url: None,
                    name: None,
                }),
                origin: "the default location",
            }
        } else {
            file(path, "the default location")
        });
    }
    Err(miette!(
        code = "hm::no-configuration",
        help = "name one — `hm build --flake .` (the flake here), `--flake github:you/dotfiles#you`, `-f home.nix`, `hm check ./dots` — or create one with `hm init`",
        "no Home Manager configuration: none given (--flake, -f, HM_FLAKE, NH_HOME_FLAKE, NH_FLAKE, HOME_MANAGER_CONFIG) and none in {}",
        current.map_or_else(
            || "~/.config/home-manager".to_string(),
            |c| c.display().to_string()
        )
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arg: &str, existing: &[&str]) -> Flake {
        let existing: Vec<PathBuf> = existing.iter().map(PathBuf::from).collect();
        parse_flake(arg, Some(Path::new("/home/alice")), &|p| {
            existing.iter().any(|e| e == p)
        })
    }

    fn local(dir: &str, name: Option<&str>) -> Flake {
        Flake {
            dir: Some(PathBuf::from(dir)),
            url: None,
            name: name.map(str::to_string),
        }
    }

    #[test]
    fn paths_and_names() {
        assert_eq!(parse("/cfg", &[]), local("/cfg", None));
        assert_eq!(parse("/cfg#alice", &[]), local("/cfg", Some("alice")));
        assert_eq!(parse("/cfg/flake.nix", &[]), local("/cfg", None));
        assert_eq!(
            parse("~/dots#a@b", &[]),
            local("/home/alice/dots", Some("a@b"))
        );
        let here = std::env::current_dir().expect("cwd");
        assert_eq!(
            parse(".#alice", &[]).dir,
            Some(std::path::absolute(here.join(".")).expect("absolute"))
        );
        assert_eq!(parse("#alice", &[]).name.as_deref(), Some("alice"));
        // A directory whose name holds `#` is that directory.
        assert_eq!(parse("/tmp/a#b", &["/tmp/a#b"]), local("/tmp/a#b", None));
    }

    #[test]
    fn urls() {
        let flake = parse("github:alice/dotfiles#alice@laptop", &[]);
        assert_eq!(
            flake,
            Flake {
                dir: None,
                url: Some("github:alice/dotfiles".to_string()),
                name: Some("alice@laptop".to_string()),
            }
        );
        assert_eq!(flake.shown(), "github:alice/dotfiles#alice@laptop");
        let path = parse("path:/home/alice/cfg#alice", &[]);
        assert_eq!(path.dir, Some(PathBuf::from("/home/alice/cfg")));
        assert_eq!(path.url.as_deref(), Some("path:/home/alice/cfg"));
        let git = parse("git+file:///home/alice/dots?dir=home%20cfg&ref=main", &[]);
        assert_eq!(git.dir, Some(PathBuf::from("/home/alice/dots/home cfg")));
        let registry = parse("dotfiles", &[]);
        assert_eq!(
            (registry.dir, registry.url.as_deref()),
            (None, Some("dotfiles"))
        );
        assert_eq!(parse("git+https://x.org/r.git", &[]).dir, None);
    }
}
