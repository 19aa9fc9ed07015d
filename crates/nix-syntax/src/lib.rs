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
mod limits;
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
    /// Where hm stopped reading valid Nix for being too long or too deeply nested to analyse
    /// (see [`check_limits`]); what lies there is unknown to the tree.
    pub too_complex: Option<SyntaxError>,
}

/// Where `text` passes a limit that [`parse`] applies before rnix sees a file: a run of
/// tokens with no space between them, or a chain of operators or arguments, long enough to
/// make rnix's time quadratic. [`parse`] then leaves the file unparsed and reports it as
/// [`Parsed::too_complex`].
pub fn check_limits(text: &str) -> Option<SyntaxError> {
    limits::check(text)
}

/// Parses Nix source text. Never panics; broken input yields `Expr::Error` nodes and errors.
pub fn parse(text: &str) -> Parsed {
    if let Some(limit) = check_limits(text) {
        // rnix would take time quadratic in the offending run or chain: not parsed.
        let mut ast = Ast::default();
        let root = ast.push(Expr::TooComplex, TextRange::new(0, text.len() as u32));
        ast.set_root(root);
        return Parsed {
            ast,
            errors: Vec::new(),
            duplicates: Vec::new(),
            too_complex: Some(limit),
        };
    }
    let parse = rnix::Root::parse(text);
    let errors: Vec<SyntaxError> = parse
        .errors()
        .iter()
        .map(|e| errors::convert(e, text))
        .collect();
    let (ast, cut) = lower::lower(&parse.syntax());
    let too_complex = cut.map(|range| SyntaxError {
        range: TextRange::new(range.start, range.start),
        message: "expression nested too deeply to analyse".to_string(),
    });
    let duplicates = duplicates::find(&ast);
    Parsed {
        ast,
        errors,
        duplicates,
        too_complex,
    }
}
