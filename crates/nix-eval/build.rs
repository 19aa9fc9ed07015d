//! Parses the prelude (`src/prelude/*.nix`) at build time and writes each file's lowered
//! syntax in `nix_syntax`'s binary form to `OUT_DIR`, so a run reads it back instead of
//! parsing 130 KB of Nix (see `src/prelude.rs`).

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in ["lib", "hm", "flake-utils", "flake-parts", "import-tree"] {
        let source = format!("src/prelude/{name}.nix");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).expect("prelude file readable");
        let parsed = nix_syntax::parse(&text);
        if let Some(error) = parsed.errors.first().or(parsed.too_complex.as_ref()) {
            panic!(
                "{source}: syntax error at {:?}: {}",
                error.range, error.message
            );
        }
        if let Some(duplicate) = parsed.duplicates.first() {
            panic!("{source}: `{}` defined twice", duplicate.name);
        }
        std::fs::write(out.join(format!("{name}.ast")), parsed.ast.encode())
            .expect("OUT_DIR writable");
    }
}
