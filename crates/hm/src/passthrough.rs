//! Options hm hands to Nix unchanged, as the home-manager CLI and nh do.

use std::ffi::OsString;

use clap::Args;

/// Nix options accepted by `build`, `switch`, `instantiate` and `repl`, passed to Nix in
/// this order, then everything after `--`.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Options passed to Nix")]
pub struct NixArgs {
    /// Show the stack trace of evaluation errors.
    #[arg(long)]
    pub show_trace: bool,
    /// Print full build logs (nix build -L).
    #[arg(short = 'L', long)]
    pub print_build_logs: bool,
    /// Maximum number of builds in parallel.
    #[arg(short = 'j', long, value_name = "N")]
    pub max_jobs: Option<String>,
    /// Cores each build may use.
    #[arg(long, value_name = "N")]
    pub cores: Option<String>,
    /// Set a Nix setting (repeatable).
    #[arg(long, num_args = 2, value_names = ["NAME", "VALUE"])]
    pub option: Vec<String>,
    /// Pass an argument to the configuration (channel-style builds; repeatable).
    #[arg(long, num_args = 2, value_names = ["NAME", "EXPR"])]
    pub arg: Vec<String>,
    /// Pass a string argument to the configuration (channel-style builds; repeatable).
    #[arg(long, num_args = 2, value_names = ["NAME", "STRING"])]
    pub argstr: Vec<String>,
    /// Allow access to mutable paths and repositories.
    #[arg(long)]
    pub impure: bool,
    /// Keep building other derivations when one fails.
    #[arg(short = 'k', long)]
    pub keep_going: bool,
    /// Keep the build directory of failed builds.
    #[arg(short = 'K', long)]
    pub keep_failed: bool,
    /// Use another flake for one of the inputs (repeatable).
    #[arg(long, num_args = 2, value_names = ["INPUT", "FLAKE"])]
    pub override_input: Vec<String>,
    /// Update one input of the lock file (repeatable).
    #[arg(long, value_name = "INPUT")]
    pub update_input: Vec<String>,
    /// Recreate the flake's lock file from scratch.
    #[arg(long)]
    pub recreate_lock_file: bool,
    /// Update every input of the flake before building, as nh's `--update` (passed to
    /// Nix as --recreate-lock-file).
    #[arg(short = 'u', long)]
    pub update: bool,
    /// Do not allow any updates to the lock file.
    #[arg(long)]
    pub no_update_lock_file: bool,
    /// Do not write the updated lock file.
    #[arg(long)]
    pub no_write_lock_file: bool,
    /// Commit changes to the lock file.
    #[arg(long)]
    pub commit_lock_file: bool,
    /// Do not use flake registries.
    #[arg(long)]
    pub no_registries: bool,
    /// Consider all previously downloaded files out of date.
    #[arg(long)]
    pub refresh: bool,
    /// Use substitutes (binary caches).
    #[arg(long, overrides_with = "no_substitute")]
    pub substitute: bool,
    /// Do not use substitutes.
    #[arg(long)]
    pub no_substitute: bool,
    /// Remote builders.
    #[arg(long, value_name = "SPEC")]
    pub builders: Option<String>,
    /// Nix's log format (raw, internal-json, bar, bar-with-logs).
    #[arg(long, value_name = "FORMAT")]
    pub log_format: Option<String>,
    /// Nix's debug output.
    #[arg(long)]
    pub debug: bool,
    /// Anything else, after `--`, passed to Nix as is.
    #[arg(last = true, value_name = "NIX_ARGS")]
    pub extra: Vec<OsString>,
}

impl NixArgs {
    /// The arguments for Nix, in a fixed order. `-L` is left out: only `nix build` takes
    /// it (see [`NixArgs::print_build_logs`]).
    pub fn argv(&self) -> Vec<OsString> {
        let mut out: Vec<OsString> = Vec::new();
        if self.show_trace {
            out.push("--show-trace".into());
        }
        let values = [
            ("--max-jobs", &self.max_jobs),
            ("--cores", &self.cores),
            ("--builders", &self.builders),
            ("--log-format", &self.log_format),
        ];
        for (name, value) in values {
            if let Some(value) = value {
                out.extend([name.into(), value.into()]);
            }
        }
        let repeated = [
            ("--option", &self.option, 2),
            ("--arg", &self.arg, 2),
            ("--argstr", &self.argstr, 2),
            ("--override-input", &self.override_input, 2),
            ("--update-input", &self.update_input, 1),
        ];
        for (name, values, arity) in repeated {
            for chunk in values.chunks(arity) {
                out.push(name.into());
                out.extend(chunk.iter().map(OsString::from));
            }
        }
        let flags = [
            (self.impure, "--impure"),
            (self.keep_going, "--keep-going"),
            (self.keep_failed, "--keep-failed"),
            (
                self.recreate_lock_file || self.update,
                "--recreate-lock-file",
            ),
            (self.no_update_lock_file, "--no-update-lock-file"),
            (self.no_write_lock_file, "--no-write-lock-file"),
            (self.commit_lock_file, "--commit-lock-file"),
            (self.no_registries, "--no-registries"),
            (self.refresh, "--refresh"),
            (self.substitute, "--substitute"),
            (self.no_substitute, "--no-substitute"),
            (self.debug, "--debug"),
        ];
        out.extend(
            flags
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, name)| name.into()),
        );
        out.extend(self.extra.iter().cloned());
        out
    }

    /// Arguments only flake commands understand, which `nix-build` would reject.
    pub fn flake_only(&self) -> Option<&'static str> {
        [
            (!self.override_input.is_empty(), "--override-input"),
            (!self.update_input.is_empty(), "--update-input"),
            (self.recreate_lock_file, "--recreate-lock-file"),
            (self.update, "--update"),
            (self.no_update_lock_file, "--no-update-lock-file"),
            (self.no_write_lock_file, "--no-write-lock-file"),
            (self.commit_lock_file, "--commit-lock-file"),
            (self.no_registries, "--no-registries"),
        ]
        .into_iter()
        .find_map(|(given, name)| given.then_some(name))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        nix: NixArgs,
    }

    fn argv(args: &[&str]) -> Vec<String> {
        let cli =
            Cli::try_parse_from(std::iter::once("hm").chain(args.iter().copied())).expect("parses");
        cli.nix
            .argv()
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn every_option_reaches_nix_in_a_fixed_order() {
        assert_eq!(
            argv(&[
                "--refresh",
                "-j",
                "4",
                "--option",
                "substituters",
                "",
                "--show-trace",
                "--override-input",
                "nixpkgs",
                "path:/src/nixpkgs",
                "--option",
                "cores",
                "2",
                "--update-input",
                "home-manager",
                "--impure",
                "--",
                "--print-missing",
                "-v",
            ]),
            [
                "--show-trace",
                "--max-jobs",
                "4",
                "--option",
                "substituters",
                "",
                "--option",
                "cores",
                "2",
                "--override-input",
                "nixpkgs",
                "path:/src/nixpkgs",
                "--update-input",
                "home-manager",
                "--impure",
                "--refresh",
                "--print-missing",
                "-v",
            ]
        );
        assert!(argv(&[]).is_empty());
    }
}
