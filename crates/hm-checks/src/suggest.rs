//! "Did you mean": the closest candidate by edit distance (strsim's optimal string
//! alignment, so a swap of neighbours is one edit: `gti` -> `git`), ignoring case.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::osa_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(
            did_you_mean("pkgz", ["pkgs", "lib", "config"]),
            Some("pkgs")
        );
        assert_eq!(
            did_you_mean("execstart", ["ExecStart", "ExecStop"]),
            Some("ExecStart")
        );
        assert_eq!(
            did_you_mean("Units", ["Unit", "Service", "Install"]),
            Some("Unit")
        );
        assert_eq!(did_you_mean("zzz", ["pkgs"]), None);
        assert_eq!(did_you_mean("gti", ["git", "gh", "go"]), Some("git"));
        assert_eq!(
            did_you_mean("enabel", ["enable", "package"]),
            Some("enable")
        );
    }
}
