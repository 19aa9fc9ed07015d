//! "Did you mean": the closest candidate by edit distance (strsim), ignoring case first.

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
        .map(|c| {
            let distance = if c.to_lowercase() == lower {
                0
            } else {
                distance(&lower, &c.to_lowercase())
            };
            (distance, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Edit distance counting a swap of neighbours as one edit (`gti` -> `git`).
fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
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
