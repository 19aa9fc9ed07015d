//! rnix tree -> owned [`Ast`].

use rnix::SyntaxKind::*;
use rnix::ast::{self, HasEntry};
use rnix::{NodeOrToken, SyntaxNode};
use rowan::ast::AstNode;

use crate::ast::{
    Ast, AttrKey, BinaryOp, Binding, Expr, ExprId, Formal, LiteralValue, Param, PathKind, StrPart,
};
use nix_source::TextRange;

/// Deeper trees than this are cut off with an `Expr::TooComplex` instead of risking the stack.
/// rnix itself stops at 512 nested constructs, but operator chains can be deeper.
const MAX_DEPTH: u32 = 2_000;

/// The owned tree, and where it was cut off for being nested deeper than `MAX_DEPTH`.
pub(crate) fn lower(root: &SyntaxNode) -> (Ast, Option<TextRange>) {
    let mut lowerer = Lowerer {
        ast: Ast::default(),
        depth: 0,
        cut: None,
    };
    if let Some(expr) = ast::Root::cast(root.clone()).and_then(|r| r.expr()) {
        let id = lowerer.expr(Some(expr));
        lowerer.ast.set_root(id);
    }
    lowerer.ast.shrink_to_fit();
    (lowerer.ast, lowerer.cut)
}

/// `items` without spare capacity: every file's tree stays in memory for the whole run,
/// and growth by doubling leaves lists of one or two keys with room for four.
fn exact<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

struct Lowerer {
    ast: Ast,
    depth: u32,
    cut: Option<TextRange>,
}

fn range_of(node: &SyntaxNode) -> TextRange {
    let r = node.text_range();
    TextRange::new(r.start().into(), r.end().into())
}

impl Lowerer {
    fn push(&mut self, expr: Expr, range: TextRange) -> ExprId {
        self.ast.push(expr, range)
    }

    fn expr(&mut self, expr: Option<ast::Expr>) -> ExprId {
        let Some(mut expr) = expr else {
            return self.push(Expr::Error, TextRange::default());
        };
        // Parentheses only group: lower what they hold (its range excludes them).
        while let ast::Expr::Paren(_) | ast::Expr::Root(_) = &expr {
            let inner = match &expr {
                ast::Expr::Paren(p) => p.expr(),
                ast::Expr::Root(r) => r.expr(),
                _ => None,
            };
            match inner {
                Some(inner) => expr = inner,
                None => return self.push(Expr::Error, range_of(expr.syntax())),
            }
        }
        let range = range_of(expr.syntax());
        if self.depth >= MAX_DEPTH {
            self.cut.get_or_insert(range);
            return self.push(Expr::TooComplex, range);
        }
        self.depth += 1;
        let lowered = self.expr_kind(expr);
        self.depth -= 1;
        self.push(lowered, range)
    }

    fn expr_kind(&mut self, expr: ast::Expr) -> Expr {
        match expr {
            // Unwrapped by `expr`.
            ast::Expr::Paren(_) | ast::Expr::Root(_) => Expr::Error,
            ast::Expr::Literal(lit) => literal(&lit),
            ast::Expr::Str(s) => match self.string_parts(&s) {
                Some(parts) => Expr::Str(parts),
                None => Expr::Error,
            },
            ast::Expr::PathAbs(p) => self.path(p.syntax(), PathKind::Absolute),
            ast::Expr::PathRel(p) => self.path(p.syntax(), PathKind::Relative),
            ast::Expr::PathHome(p) => self.path(p.syntax(), PathKind::Home),
            ast::Expr::PathSearch(p) => {
                let text = p.syntax().text().to_string();
                let inner = text
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string();
                Expr::Path {
                    kind: PathKind::Search,
                    parts: vec![StrPart::Literal(inner)],
                }
            }
            ast::Expr::Ident(i) => match i.ident_token() {
                Some(t) => Expr::Ident(t.text().to_string()),
                None => Expr::Ident(i.syntax().text().to_string()),
            },
            ast::Expr::AttrSet(set) => Expr::AttrSet {
                rec: set.rec_token().is_some(),
                bindings: self.bindings(&set),
            },
            ast::Expr::LetIn(l) => Expr::LetIn {
                bindings: self.bindings(&l),
                body: self.expr(l.body()),
            },
            ast::Expr::LegacyLet(l) => Expr::AttrSet {
                rec: true,
                bindings: self.bindings(&l),
            },
            ast::Expr::List(l) => {
                Expr::List(exact(l.items().map(|e| self.expr(Some(e))).collect()))
            }
            ast::Expr::Lambda(l) => Expr::Lambda {
                param: Box::new(self.param(l.param())),
                body: self.expr(l.body()),
            },
            ast::Expr::Apply(a) => Expr::Apply {
                func: self.expr(a.lambda()),
                arg: self.expr(a.argument()),
            },
            ast::Expr::Select(s) => Expr::Select {
                expr: self.expr(s.expr()),
                path: self.attrpath(s.attrpath()),
                default: s.default_expr().map(|d| self.expr(Some(d))),
            },
            ast::Expr::HasAttr(h) => Expr::HasAttr {
                expr: self.expr(h.expr()),
                path: self.attrpath(h.attrpath()),
            },
            ast::Expr::IfElse(i) => Expr::IfElse {
                cond: self.expr(i.condition()),
                then: self.expr(i.body()),
                otherwise: self.expr(i.else_body()),
            },
            ast::Expr::BinOp(b) => match b.operator() {
                Some(op) => Expr::Binary {
                    op: binary_op(op),
                    lhs: self.expr(b.lhs()),
                    rhs: self.expr(b.rhs()),
                },
                None => Expr::Error,
            },
            ast::Expr::UnaryOp(u) => {
                let inner = self.expr(u.expr());
                match u.operator() {
                    Some(ast::UnaryOpKind::Invert) => Expr::Not(inner),
                    Some(ast::UnaryOpKind::Negate) => Expr::Negate(inner),
                    None => Expr::Error,
                }
            }
            ast::Expr::With(w) => Expr::With {
                namespace: self.expr(w.namespace()),
                body: self.expr(w.body()),
            },
            ast::Expr::Assert(a) => Expr::Assert {
                cond: self.expr(a.condition()),
                body: self.expr(a.body()),
            },
            ast::Expr::CurPos(_) => Expr::CurPos,
            ast::Expr::Error(_) => Expr::Error,
        }
    }

    fn bindings(&mut self, node: &impl HasEntry) -> Vec<Binding> {
        let mut out = Vec::new();
        for entry in node.entries() {
            match entry {
                ast::Entry::AttrpathValue(kv) => out.push(Binding::Value {
                    path: self.attrpath(kv.attrpath()),
                    value: self.expr(kv.value()),
                    range: range_of(kv.syntax()),
                }),
                ast::Entry::Inherit(inherit) => {
                    let from = inherit.from().map(|f| self.expr(f.expr()));
                    let names = inherit
                        .attrs()
                        .filter_map(|attr| match self.attr_key(attr) {
                            AttrKey::Static { name, range } => Some((name, range)),
                            AttrKey::Dynamic { .. } => None,
                        })
                        .collect();
                    out.push(Binding::Inherit {
                        names: exact(names),
                        from,
                        range: range_of(inherit.syntax()),
                    });
                }
            }
        }
        exact(out)
    }

    fn attrpath(&mut self, path: Option<ast::Attrpath>) -> Vec<AttrKey> {
        path.map(|p| exact(p.attrs().map(|a| self.attr_key(a)).collect()))
            .unwrap_or_default()
    }

    fn attr_key(&mut self, attr: ast::Attr) -> AttrKey {
        let range = range_of(attr.syntax());
        match attr {
            ast::Attr::Ident(i) => AttrKey::Static {
                name: ident_text(&i),
                range,
            },
            ast::Attr::Str(s) => match self.string_parts(&s) {
                Some(parts) => match parts.as_slice() {
                    [] => AttrKey::Static {
                        name: String::new(),
                        range,
                    },
                    [StrPart::Literal(name)] => AttrKey::Static {
                        name: name.clone(),
                        range,
                    },
                    _ => {
                        let expr = self.push(Expr::Str(parts), range);
                        AttrKey::Dynamic { expr, range }
                    }
                },
                None => AttrKey::Dynamic {
                    expr: self.push(Expr::Error, range),
                    range,
                },
            },
            ast::Attr::Dynamic(d) => AttrKey::Dynamic {
                expr: self.expr(d.expr()),
                range,
            },
        }
    }

    fn param(&mut self, param: Option<ast::Param>) -> Param {
        match param {
            Some(ast::Param::IdentParam(p)) => {
                let (name, range) = match p.ident() {
                    Some(i) => (i.syntax().text().to_string(), range_of(i.syntax())),
                    None => (String::new(), range_of(p.syntax())),
                };
                Param::Ident { name, range }
            }
            Some(ast::Param::Pattern(p)) => Param::Pattern {
                formals: exact(
                    p.pat_entries()
                        .map(|entry| Formal {
                            name: entry
                                .ident()
                                .map(|i| i.syntax().text().to_string())
                                .unwrap_or_default(),
                            range: range_of(entry.syntax()),
                            default: entry.default().map(|d| self.expr(Some(d))),
                        })
                        .collect(),
                ),
                bind: p
                    .pat_bind()
                    .and_then(|b| b.ident())
                    .map(|i| (i.syntax().text().to_string(), range_of(i.syntax()))),
                ellipsis: p.ellipsis_token().is_some(),
            },
            None => Param::Ident {
                name: String::new(),
                range: TextRange::default(),
            },
        }
    }

    /// String parts with escapes and indentation handled; `None` if the string is malformed.
    fn string_parts(&mut self, s: &ast::Str) -> Option<Vec<StrPart>> {
        // rnix's `normalized_parts` asserts on unexpected children, so check them first.
        let well_formed = s.syntax().children_with_tokens().all(|child| match child {
            NodeOrToken::Token(t) => matches!(
                t.kind(),
                TOKEN_STRING_START | TOKEN_STRING_END | TOKEN_STRING_CONTENT
            ),
            NodeOrToken::Node(n) => {
                n.kind() == NODE_INTERPOL && ast::Interpol::cast(n.clone()).is_some()
            }
        });
        if !well_formed {
            return None;
        }
        if let Some(plain) = plain_string(s) {
            return Some(vec![StrPart::Literal(plain)]);
        }
        let parts = s
            .normalized_parts()
            .into_iter()
            .map(|part| match part {
                ast::InterpolPart::Literal(text) => StrPart::Literal(text),
                ast::InterpolPart::Interpolation(i) => StrPart::Interpolation(self.expr(i.expr())),
            })
            .collect();
        Some(parts)
    }

    fn path(&mut self, node: &SyntaxNode, kind: PathKind) -> Expr {
        let mut parts = Vec::new();
        for child in node.children_with_tokens() {
            match child {
                NodeOrToken::Token(t) => parts.push(StrPart::Literal(t.text().to_string())),
                NodeOrToken::Node(n) => match ast::Interpol::cast(n) {
                    Some(i) => parts.push(StrPart::Interpolation(self.expr(i.expr()))),
                    None => return Expr::Error,
                },
            }
        }
        Expr::Path { kind, parts }
    }
}

/// An identifier's name, read from its token (cheaper than collecting the node's text).
fn ident_text(ident: &ast::Ident) -> String {
    match ident.syntax().first_token() {
        Some(token) => token.text().to_string(),
        None => ident.syntax().text().to_string(),
    }
}

/// The text of a `"…"` string with no escapes or interpolation: most strings, and the
/// common case `normalized_parts` would allocate several times for.
fn plain_string(s: &ast::Str) -> Option<String> {
    let mut tokens = s.syntax().children_with_tokens();
    let start = tokens.next()?.into_token()?;
    if start.text() != "\"" {
        return None;
    }
    let mut text = String::new();
    for child in tokens {
        let token = child.into_token()?;
        match token.kind() {
            TOKEN_STRING_CONTENT if !token.text().contains('\\') => text.push_str(token.text()),
            TOKEN_STRING_END => return Some(text),
            _ => return None,
        }
    }
    None
}

fn literal(lit: &ast::Literal) -> Expr {
    let Some(token) = lit.syntax().first_token() else {
        return Expr::Error;
    };
    let text = token.text();
    match token.kind() {
        TOKEN_INTEGER => text
            .parse()
            .map_or(Expr::Error, |v| Expr::Literal(LiteralValue::Int(v))),
        TOKEN_FLOAT => text
            .parse()
            .map_or(Expr::Error, |v| Expr::Literal(LiteralValue::Float(v))),
        TOKEN_URI => Expr::Literal(LiteralValue::Uri(text.to_string())),
        _ => Expr::Error,
    }
}

fn binary_op(op: ast::BinOpKind) -> BinaryOp {
    use ast::BinOpKind as K;
    match op {
        K::Concat => BinaryOp::Concat,
        K::Update => BinaryOp::Update,
        K::Add => BinaryOp::Add,
        K::Sub => BinaryOp::Sub,
        K::Mul => BinaryOp::Mul,
        K::Div => BinaryOp::Div,
        K::And => BinaryOp::And,
        K::Or => BinaryOp::Or,
        K::Implication => BinaryOp::Implication,
        K::Equal => BinaryOp::Equal,
        K::NotEqual => BinaryOp::NotEqual,
        K::Less => BinaryOp::Less,
        K::LessOrEq => BinaryOp::LessOrEq,
        K::More => BinaryOp::More,
        K::MoreOrEq => BinaryOp::MoreOrEq,
        K::PipeRight => BinaryOp::PipeRight,
        K::PipeLeft => BinaryOp::PipeLeft,
    }
}

#[cfg(test)]
mod tests {
    use crate::{Expr, parse};

    #[test]
    fn lowers_dotted_bindings_and_strings() {
        let parsed = parse(r#"{ a.b = "x${y}z"; inherit (c) d; }"#);
        assert!(parsed.errors.is_empty());
        let root = parsed.ast.root().expect("root");
        match parsed.ast.expr(root) {
            Expr::AttrSet { bindings, rec } => {
                assert!(!rec);
                assert_eq!(bindings.len(), 2);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn never_panics_on_garbage() {
        for text in [
            "",
            "{",
            "''",
            "\"${",
            "a.",
            "x: y: {",
            "{ a = ./${; }",
            "let in",
            "<",
        ] {
            let _ = parse(text);
        }
    }
}
