//! Nix syntax for hm.
//!
//! This is the only crate that sees rnix and rowan. It parses a file, turns
//! rnix's parse errors into ranged messages (end-of-file errors land at the end
//! of the file), and lowers the tree into an owned arena [`Ast`] whose nodes
//! carry [`TextRange`]s, so later stages never hold syntax nodes.

mod ast;
mod binary;
mod duplicates;
mod errors;
mod globals;
mod lower;

pub use ast::{
    Ast, AttrKey, BinaryOp, Binding, Expr, ExprId, Formal, LiteralValue, Param, PathKind, StrPart,
};
pub use duplicates::Duplicate;
pub use errors::SyntaxError;
pub use globals::{GLOBALS, is_global};
pub use nix_source::TextRange;

/// A parsed and lowered file.
#[derive(Debug)]
pub struct Parsed {
    pub ast: Ast,
    pub errors: Vec<SyntaxError>,
    /// Attributes defined twice (Nix rejects the file).
    pub duplicates: Vec<Duplicate>,
}

/// Parses Nix source text. Never panics; broken input yields `Expr::Error` nodes and errors.
pub fn parse(text: &str) -> Parsed {
    let parse = rnix::Root::parse(text);
    let mut errors: Vec<SyntaxError> = parse
        .errors()
        .iter()
        .map(|e| errors::convert(e, text))
        .collect();
    let (ast, cut) = lower::lower(&parse.syntax());
    if let Some(range) = cut {
        errors.push(SyntaxError {
            range: TextRange::new(range.start, range.start),
            message: "expression nested too deeply to analyse".to_string(),
        });
    }
    let duplicates = duplicates::find(&ast);
    Parsed {
        ast,
        errors,
        duplicates,
    }
}
