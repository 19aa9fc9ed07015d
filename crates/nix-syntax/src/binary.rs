//! A compact binary form of an [`Ast`], so text parsed at build time (the evaluator's
//! prelude) is read back without rnix: decoding is a few instructions per node, parsing
//! and lowering a few hundred.
//!
//! Integers are LEB128, strings length-prefixed UTF-8, each node a tag byte and its fields.
//! Decoding checks every index and tag and gives `None` on anything malformed.

use nix_source::TextRange;

use crate::ast::{
    Ast, AttrKey, BinaryOp, Binding, Expr, ExprId, Formal, LiteralValue, Param, PathKind, StrPart,
};

const BINARY_OPS: [BinaryOp; 17] = [
    BinaryOp::Concat,
    BinaryOp::Update,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::And,
    BinaryOp::Or,
    BinaryOp::Implication,
    BinaryOp::Equal,
    BinaryOp::NotEqual,
    BinaryOp::Less,
    BinaryOp::LessOrEq,
    BinaryOp::More,
    BinaryOp::MoreOrEq,
    BinaryOp::PipeRight,
    BinaryOp::PipeLeft,
];

const PATH_KINDS: [PathKind; 4] = [
    PathKind::Relative,
    PathKind::Absolute,
    PathKind::Home,
    PathKind::Search,
];

impl Ast {
    /// The binary form read back by [`Ast::decode`].
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.uint(self.len() as u64);
        for i in 0..self.len() {
            let id = ExprId(i as u32);
            w.range(self.range(id));
            w.expr(self.expr(id));
        }
        w.opt_id(self.root());
        w.0
    }

    /// An [`Ast`] from [`Ast::encode`]'s bytes; `None` when they are not such bytes.
    pub fn decode(bytes: &[u8]) -> Option<Ast> {
        let mut r = Reader {
            bytes,
            at: 0,
            len: 0,
        };
        let len = r.count()?;
        let mut ast = Ast::default();
        r.len = len;
        for _ in 0..len {
            let range = r.range()?;
            let expr = r.expr()?;
            ast.push(expr, range);
        }
        if let Some(root) = r.opt_id()? {
            ast.set_root(root);
        }
        (r.at == bytes.len()).then_some(ast)
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn tag(&mut self, tag: u8) {
        self.0.push(tag);
    }

    fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    fn range(&mut self, r: TextRange) {
        self.uint(r.start.into());
        self.uint(r.end.into());
    }

    fn id(&mut self, id: ExprId) {
        self.uint(id.0.into());
    }

    fn opt_id(&mut self, id: Option<ExprId>) {
        match id {
            Some(id) => self.uint(u64::from(id.0) + 1),
            None => self.uint(0),
        }
    }

    fn ids(&mut self, ids: &[ExprId]) {
        self.uint(ids.len() as u64);
        ids.iter().for_each(|&id| self.id(id));
    }

    fn name(&mut self, (name, range): &(String, TextRange)) {
        self.str(name);
        self.range(*range);
    }

    fn parts(&mut self, parts: &[StrPart]) {
        self.uint(parts.len() as u64);
        for part in parts {
            match part {
                StrPart::Literal(s) => {
                    self.tag(0);
                    self.str(s);
                }
                StrPart::Interpolation(id) => {
                    self.tag(1);
                    self.id(*id);
                }
            }
        }
    }

    fn keys(&mut self, keys: &[AttrKey]) {
        self.uint(keys.len() as u64);
        for key in keys {
            match key {
                AttrKey::Static { name, range } => {
                    self.tag(0);
                    self.str(name);
                    self.range(*range);
                }
                AttrKey::Dynamic { expr, range } => {
                    self.tag(1);
                    self.id(*expr);
                    self.range(*range);
                }
            }
        }
    }

    fn bindings(&mut self, bindings: &[Binding]) {
        self.uint(bindings.len() as u64);
        for binding in bindings {
            match binding {
                Binding::Value { path, value, range } => {
                    self.tag(0);
                    self.keys(path);
                    self.id(*value);
                    self.range(*range);
                }
                Binding::Inherit { from, names, range } => {
                    self.tag(1);
                    self.opt_id(*from);
                    self.uint(names.len() as u64);
                    names.iter().for_each(|n| self.name(n));
                    self.range(*range);
                }
            }
        }
    }

    fn param(&mut self, param: &Param) {
        match param {
            Param::Ident { name, range } => {
                self.tag(0);
                self.str(name);
                self.range(*range);
            }
            Param::Pattern {
                formals,
                bind,
                ellipsis,
            } => {
                self.tag(1);
                self.uint(formals.len() as u64);
                for formal in formals {
                    self.str(&formal.name);
                    self.range(formal.range);
                    self.opt_id(formal.default);
                }
                match bind {
                    Some(bind) => {
                        self.tag(1);
                        self.name(bind);
                    }
                    None => self.tag(0),
                }
                self.tag(u8::from(*ellipsis));
            }
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Literal(LiteralValue::Int(i)) => {
                self.tag(0);
                self.0.extend_from_slice(&i.to_le_bytes());
            }
            Expr::Literal(LiteralValue::Float(f)) => {
                self.tag(1);
                self.0.extend_from_slice(&f.to_le_bytes());
            }
            Expr::Literal(LiteralValue::Uri(s)) => {
                self.tag(2);
                self.str(s);
            }
            Expr::Str(parts) => {
                self.tag(3);
                self.parts(parts);
            }
            Expr::Path { kind, parts } => {
                self.tag(4);
                self.tag(PATH_KINDS.iter().position(|k| k == kind).unwrap_or(0) as u8);
                self.parts(parts);
            }
            Expr::Ident(name) => {
                self.tag(5);
                self.str(name);
            }
            Expr::AttrSet { rec, bindings } => {
                self.tag(6);
                self.tag(u8::from(*rec));
                self.bindings(bindings);
            }
            Expr::LetIn { bindings, body } => {
                self.tag(7);
                self.bindings(bindings);
                self.id(*body);
            }
            Expr::List(items) => {
                self.tag(8);
                self.ids(items);
            }
            Expr::Lambda { param, body } => {
                self.tag(9);
                self.param(param);
                self.id(*body);
            }
            Expr::Apply { func, arg } => {
                self.tag(10);
                self.ids(&[*func, *arg]);
            }
            Expr::Select {
                expr,
                path,
                default,
            } => {
                self.tag(11);
                self.id(*expr);
                self.keys(path);
                self.opt_id(*default);
            }
            Expr::HasAttr { expr, path } => {
                self.tag(12);
                self.id(*expr);
                self.keys(path);
            }
            Expr::IfElse {
                cond,
                then,
                otherwise,
            } => {
                self.tag(13);
                self.ids(&[*cond, *then, *otherwise]);
            }
            Expr::Binary { op, lhs, rhs } => {
                self.tag(14);
                self.tag(BINARY_OPS.iter().position(|o| o == op).unwrap_or(0) as u8);
                self.ids(&[*lhs, *rhs]);
            }
            Expr::Not(e) => {
                self.tag(15);
                self.id(*e);
            }
            Expr::Negate(e) => {
                self.tag(16);
                self.id(*e);
            }
            Expr::With { namespace, body } => {
                self.tag(17);
                self.ids(&[*namespace, *body]);
            }
            Expr::Assert { cond, body } => {
                self.tag(18);
                self.ids(&[*cond, *body]);
            }
            Expr::CurPos => self.tag(19),
            Expr::Error => self.tag(20),
            Expr::TooComplex => self.tag(21),
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Nodes in the tree: every id must be below.
    len: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.uint()?).ok()
    }

    /// A length: never more than the bytes left, so a bad one cannot reserve memory.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.uint()?).ok()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn bool(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn str(&mut self) -> Option<String> {
        let n = self.count()?;
        std::str::from_utf8(self.take(n)?).ok().map(str::to_owned)
    }

    fn range(&mut self) -> Option<TextRange> {
        Some(TextRange::new(self.u32()?, self.u32()?))
    }

    fn id(&mut self) -> Option<ExprId> {
        let id = self.u32()?;
        ((id as usize) < self.len).then_some(ExprId(id))
    }

    fn opt_id(&mut self) -> Option<Option<ExprId>> {
        match self.u32()? {
            0 => Some(None),
            n => ((n as usize) <= self.len).then_some(Some(ExprId(n - 1))),
        }
    }

    fn ids(&mut self) -> Option<Vec<ExprId>> {
        let n = self.count()?;
        (0..n).map(|_| self.id()).collect()
    }

    fn pair(&mut self) -> Option<(ExprId, ExprId)> {
        match self.ids()?[..] {
            [a, b] => Some((a, b)),
            _ => None,
        }
    }

    fn name(&mut self) -> Option<(String, TextRange)> {
        Some((self.str()?, self.range()?))
    }

    fn parts(&mut self) -> Option<Vec<StrPart>> {
        let n = self.count()?;
        (0..n)
            .map(|_| match self.byte()? {
                0 => Some(StrPart::Literal(self.str()?)),
                1 => Some(StrPart::Interpolation(self.id()?)),
                _ => None,
            })
            .collect()
    }

    fn keys(&mut self) -> Option<Vec<AttrKey>> {
        let n = self.count()?;
        (0..n)
            .map(|_| match self.byte()? {
                0 => Some(AttrKey::Static {
                    name: self.str()?,
                    range: self.range()?,
                }),
                1 => Some(AttrKey::Dynamic {
                    expr: self.id()?,
                    range: self.range()?,
                }),
                _ => None,
            })
            .collect()
    }

    fn bindings(&mut self) -> Option<Vec<Binding>> {
        let n = self.count()?;
        (0..n)
            .map(|_| match self.byte()? {
                0 => Some(Binding::Value {
                    path: self.keys()?,
                    value: self.id()?,
                    range: self.range()?,
                }),
                1 => {
                    let from = self.opt_id()?;
                    let count = self.count()?;
                    let names = (0..count).map(|_| self.name()).collect::<Option<_>>()?;
                    Some(Binding::Inherit {
                        from,
                        names,
                        range: self.range()?,
                    })
                }
                _ => None,
            })
            .collect()
    }

    fn param(&mut self) -> Option<Param> {
        match self.byte()? {
            0 => Some(Param::Ident {
                name: self.str()?,
                range: self.range()?,
            }),
            1 => {
                let n = self.count()?;
                let formals = (0..n)
                    .map(|_| {
                        Some(Formal {
                            name: self.str()?,
                            range: self.range()?,
                            default: self.opt_id()?,
                        })
                    })
                    .collect::<Option<_>>()?;
                let bind = match self.bool()? {
                    true => Some(self.name()?),
                    false => None,
                };
                Some(Param::Pattern {
                    formals,
                    bind,
                    ellipsis: self.bool()?,
                })
            }
            _ => None,
        }
    }

    fn eight(&mut self) -> Option<[u8; 8]> {
        self.take(8)?.try_into().ok()
    }

    fn expr(&mut self) -> Option<Expr> {
        Some(match self.byte()? {
            0 => Expr::Literal(LiteralValue::Int(i64::from_le_bytes(self.eight()?))),
            1 => Expr::Literal(LiteralValue::Float(f64::from_le_bytes(self.eight()?))),
            2 => Expr::Literal(LiteralValue::Uri(self.str()?)),
            3 => Expr::Str(self.parts()?),
            4 => Expr::Path {
                kind: *PATH_KINDS.get(usize::from(self.byte()?))?,
                parts: self.parts()?,
            },
            5 => Expr::Ident(self.str()?),
            6 => Expr::AttrSet {
                rec: self.bool()?,
                bindings: self.bindings()?,
            },
            7 => Expr::LetIn {
                bindings: self.bindings()?,
                body: self.id()?,
            },
            8 => Expr::List(self.ids()?),
            9 => Expr::Lambda {
                param: Box::new(self.param()?),
                body: self.id()?,
            },
            10 => {
                let (func, arg) = self.pair()?;
                Expr::Apply { func, arg }
            }
            11 => Expr::Select {
                expr: self.id()?,
                path: self.keys()?,
                default: self.opt_id()?,
            },
            12 => Expr::HasAttr {
                expr: self.id()?,
                path: self.keys()?,
            },
            13 => match self.ids()?[..] {
                [cond, then, otherwise] => Expr::IfElse {
                    cond,
                    then,
                    otherwise,
                },
                _ => return None,
            },
            14 => {
                let op = *BINARY_OPS.get(usize::from(self.byte()?))?;
                let (lhs, rhs) = self.pair()?;
                Expr::Binary { op, lhs, rhs }
            }
            15 => Expr::Not(self.id()?),
            16 => Expr::Negate(self.id()?),
            17 => {
                let (namespace, body) = self.pair()?;
                Expr::With { namespace, body }
            }
            18 => {
                let (cond, body) = self.pair()?;
                Expr::Assert { cond, body }
            }
            19 => Expr::CurPos,
            20 => Expr::Error,
            21 => Expr::TooComplex,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(text: &str) {
        let ast = crate::parse(text).ast;
        let decoded = Ast::decode(&ast.encode()).expect("decodes");
        assert_eq!(decoded, ast, "{text}");
    }

    #[test]
    fn every_node_kind_round_trips() {
        roundtrip("");
        roundtrip(
            r#"let inherit (builtins) map; a = rec { b.c = 1.5; "d${e}" = -2; inherit x; };
               f = { g ? 1, ... } @ h: i: assert !j; with k; if l then m.n or o else p ? q.${r};
               in [ ./s/${t} /u ~/v <w> http://x.y "z ${a}" ''
                 ${b} '' __curPos (a // b ++ c + d - e * f / g && h || i -> j == k != l < m <= n > o >= p) ]
               ++ (a |> b) ++ (c <| d)"#,
        );
        // Broken input lowers to `Expr::Error` nodes, which round-trip too.
        roundtrip("{ a = ; b = [ (");
    }

    #[test]
    fn malformed_bytes_are_refused() {
        let bytes = crate::parse("{ a = [ 1 2 ]; }").ast.encode();
        for cut in 0..bytes.len() {
            assert!(Ast::decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(Ast::decode(&extra).is_none());
        assert!(Ast::decode(&[0xff; 16]).is_none());
    }
}
