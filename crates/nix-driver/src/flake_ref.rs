//! Flake references to exactly the directory hm analysed: `git+file://<work tree>?dir=<sub>`
//! inside a git work tree (nix only sees tracked files there, as with a plain path), else
//! `path:<dir>`. Nix (2.8 and later alike) reads the path of such a URL verbatim, so a
//! path holding a character a URL cannot carry unescaped (`#`, `?`, `%`, space, quotes,
//! non-ASCII, …) cannot be referred to: it is refused instead of letting nix build
//! something else. The `dir` query and the attribute fragment are percent-encoded, which
//! nix decodes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A flake reference without the attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlakeRef {
    url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlakeRefError {
    #[error(
        "nix cannot refer to {path}: its path holds {found}, which a flake reference cannot carry"
    )]
    Unrepresentable { path: PathBuf, found: String },
    #[error("{0} is not valid UTF-8, which a flake reference needs")]
    NotUtf8(PathBuf),
}

/// Characters a flake URL's path may hold as they are: RFC 3986 `pchar` and `/`, minus `%`
/// (which newer nix versions would decode).
fn path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/".contains(c)
}

/// Characters left as they are in a query value or fragment; the rest is percent-encoded.
fn query_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$'()*+,;:@/\"".contains(c)
}

fn percent_encode(text: &str, keep: fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

fn checked_path(path: &Path) -> Result<&str, FlakeRefError> {
    let text = path
        .to_str()
        .ok_or_else(|| FlakeRefError::NotUtf8(path.to_path_buf()))?;
    if let Some(bad) = text.chars().find(|c| !path_char(*c)) {
        return Err(FlakeRefError::Unrepresentable {
            path: path.to_path_buf(),
            found: match bad {
                ' ' => "a space".to_string(),
                c if c.is_control() => format!("the control character {:?}", c),
                c => format!("`{c}`"),
            },
        });
    }
    Ok(text)
}

impl FlakeRef {
    /// The reference for the flake in `dir` (absolute), which lies in the git work tree
    /// `git_root` if given.
    pub fn new(dir: &Path, git_root: Option<&Path>) -> Result<Self, FlakeRefError> {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        match git_root.and_then(|root| Some((root, dir.strip_prefix(root).ok()?))) {
            Some((root, sub)) => {
                let mut url = format!("git+file://{}", checked_path(root)?);
                let sub = sub
                    .to_str()
                    .ok_or_else(|| FlakeRefError::NotUtf8(dir.clone()))?;
                if !sub.is_empty() {
                    url.push_str("?dir=");
                    url.push_str(&percent_encode(sub, query_char));
                }
                Ok(Self { url })
            }
            None => Ok(Self {
                url: format!("path:{}", checked_path(&dir)?),
            }),
        }
    }

    /// The reference for the flake in `dir`, asking git whether it lies in a work tree.
    pub fn for_dir(dir: &Path) -> Result<Self, FlakeRefError> {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let root = crate::work_tree(&dir).map(|r| r.canonicalize().unwrap_or(r));
        let dir = match &root {
            Some(_) => dir.canonicalize().unwrap_or(dir),
            None => dir,
        };
        Self::new(&dir, root.as_deref())
    }

    /// A reference the user wrote (`github:owner/repo`, `path:/x`, …), passed to nix as is.
    pub fn from_url(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }

    /// `<url>#<attribute>`, the attribute percent-encoded where it must be.
    pub fn with_attribute(&self, attribute: &str) -> String {
        format!("{}#{}", self.url, percent_encode(attribute, query_char))
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATTR: &str = "homeConfigurations.\"alice@laptop\".activationPackage";

    #[test]
    fn plain_directories_are_path_references() {
        let flake = FlakeRef::new(Path::new("/home/alice/config"), None).expect("valid");
        assert_eq!(
            flake.with_attribute(ATTR),
            "path:/home/alice/config#homeConfigurations.\"alice@laptop\".activationPackage"
        );
    }

    #[test]
    fn directories_in_git_are_git_references_with_an_encoded_dir() {
        let root = Path::new("/home/alice/dotfiles");
        let at_root = FlakeRef::new(root, Some(root)).expect("valid");
        assert_eq!(at_root.url(), "git+file:///home/alice/dotfiles");
        for (sub, dir) in [
            ("cfg?dir=x", "cfg%3Fdir%3Dx"),
            ("a#b", "a%23b"),
            ("a b", "a%20b"),
            ("100%", "100%25"),
            ("x&y=z", "x%26y%3Dz"),
            ("ünï", "%C3%BCn%C3%AF"),
            ("hosts/laptop", "hosts/laptop"),
        ] {
            let flake = FlakeRef::new(&root.join(sub), Some(root)).expect("valid");
            assert_eq!(
                flake.url(),
                format!("git+file:///home/alice/dotfiles?dir={dir}"),
                "{sub}"
            );
        }
    }

    #[test]
    fn paths_a_url_cannot_carry_are_refused() {
        for (dir, found) in [
            ("/tmp/cfg?dir=x", "`?`"),
            ("/tmp/a#b", "`#`"),
            ("/tmp/a b", "a space"),
            ("/tmp/50%", "`%`"),
            ("/tmp/q\"", "`\"`"),
        ] {
            let error = FlakeRef::new(Path::new(dir), None).expect_err(dir);
            assert_eq!(
                error,
                FlakeRefError::Unrepresentable {
                    path: PathBuf::from(dir),
                    found: found.to_string()
                }
            );
        }
        // The work tree's own path is read verbatim too.
        let root = Path::new("/tmp/my repo");
        assert!(FlakeRef::new(&root.join("cfg"), Some(root)).is_err());
    }

    #[test]
    fn attributes_are_percent_encoded_where_needed() {
        let flake = FlakeRef::new(Path::new("/c"), None).expect("valid");
        assert_eq!(
            flake.with_attribute("homeConfigurations.\"a b#c%\".activationPackage"),
            "path:/c#homeConfigurations.\"a%20b%23c%25\".activationPackage"
        );
    }
}
