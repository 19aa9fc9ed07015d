//! A bounded, seeded stand-in for fuzzing that runs in CI: random edits of every fixture
//! (inserting, deleting and replacing Nix's significant characters) go through parse,
//! model and every check without a panic. `fuzz/` runs the same pipeline unbounded.

use std::path::{Path, PathBuf};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ";",
    "=",
    ".",
    ":",
    "@",
    "?",
    ",",
    "\"",
    "''",
    "${",
    "\n",
    " ",
    "let ",
    " in ",
    "with ",
    "rec ",
    "inherit ",
    "if ",
    " then ",
    " else ",
    "import ",
    "./x.nix",
    "lib.mkIf ",
    "lib.mkMerge ",
    "x",
    "-",
    "//",
    "++",
    "#",
    "/*",
    "*/",
    "é",
    "\\",
];

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        // The differential suite's many small flakes add time, not variety.
        if path.is_dir()
            && !entry
                .file_name()
                .to_string_lossy()
                .starts_with("differential")
        {
            fixtures(&path, out);
        } else if path.extension().is_some_and(|e| e == "nix") {
            out.push(path);
        }
    }
}

fn edit(text: &str, rng: &mut Rng) -> String {
    let mut text = text.to_string();
    for _ in 0..1 + rng.below(4) {
        let mut at = rng.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(3) {
            0 => text.insert_str(at, PIECES[rng.below(PIECES.len())]),
            1 => {
                let mut end = (at + 1 + rng.below(8)).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, "");
            }
            _ => {
                let mut end = (at + 1).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, PIECES[rng.below(PIECES.len())]);
            }
        }
    }
    text
}

#[test]
fn random_edits_never_panic() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    fixtures(&repo.join("tests/fixtures"), &mut files);
    fixtures(&repo.join("examples"), &mut files);
    files.sort();
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut cases = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read");
        let target = scratch.path().join(file.file_name().expect("name"));
        for _ in 0..40 {
            let edited = edit(&text, &mut rng);
            std::fs::write(&target, &edited).expect("write");
            let analysis = hm_model::analyse(&target)
                .unwrap_or_else(|e| panic!("{}: {e}\n{edited}", file.display()));
            let _ = hm_checks::check(&hm_checks::Context::new(&analysis, None));
            cases += 1;
        }
    }
    assert!(cases > 1000, "only {cases} cases");
}
