use nix_source::TextRange;

/// Index of an expression in an [`Ast`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExprId(pub u32);

/// One file's expressions, stored flat; children refer to each other by [`ExprId`].
#[derive(Debug, Default, PartialEq)]
pub struct Ast {
    exprs: Vec<(Expr, TextRange)>,
    root: Option<ExprId>,
}

impl Ast {
    pub(crate) fn push(&mut self, expr: Expr, range: TextRange) -> ExprId {
        let id = ExprId(self.exprs.len() as u32);
        self.exprs.push((expr, range));
        id
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.exprs.shrink_to_fit();
    }

    pub(crate) fn set_root(&mut self, root: ExprId) {
        self.root = Some(root);
    }

    /// The file's top expression; `None` for an empty file.
    pub fn root(&self) -> Option<ExprId> {
        self.root
    }

    pub fn expr(&self, id: ExprId) -> &Expr {
        &self.exprs[id.0 as usize].0
    }

    pub fn range(&self, id: ExprId) -> TextRange {
        self.exprs[id.0 as usize].1
    }

    pub fn len(&self) -> usize {
        self.exprs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.exprs.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum LiteralValue {
    Int(i64),
    Float(f64),
    Uri(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// `./a`, `../a`, `a/b`
    Relative,
    /// `/a`
    Absolute,
    /// `~/a`
    Home,
    /// `<nixpkgs>`
    Search,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrPart {
    Literal(String),
    Interpolation(ExprId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Concat,
    Update,
    Add,
    Sub,
    Mul,
    Div,
    And,
    Or,
    Implication,
    Equal,
    NotEqual,
    Less,
    LessOrEq,
    More,
    MoreOrEq,
    PipeRight,
    PipeLeft,
}

/// One component of an attribute path.
#[derive(Debug, Clone, PartialEq)]
pub enum AttrKey {
    /// `a`, `"a"`, or `"${"a"}"`-free strings: the name is known.
    Static { name: String, range: TextRange },
    /// `${e}` or `"x${e}"`: the expression gives the name.
    Dynamic { expr: ExprId, range: TextRange },
}

impl AttrKey {
    pub fn range(&self) -> TextRange {
        match self {
            AttrKey::Static { range, .. } | AttrKey::Dynamic { range, .. } => *range,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    /// `a.b.c = value;`
    Value {
        path: Vec<AttrKey>,
        value: ExprId,
        range: TextRange,
    },
    /// `inherit a b;` or `inherit (from) a b;`
    Inherit {
        from: Option<ExprId>,
        names: Vec<(String, TextRange)>,
        range: TextRange,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Formal {
    pub name: String,
    pub range: TextRange,
    pub default: Option<ExprId>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// `x: body`
    Ident { name: String, range: TextRange },
    /// `{ a, b ? 1, ... } @ args: body`
    Pattern {
        formals: Vec<Formal>,
        bind: Option<(String, TextRange)>,
        ellipsis: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(LiteralValue),
    Str(Vec<StrPart>),
    Path {
        kind: PathKind,
        parts: Vec<StrPart>,
    },
    Ident(String),
    AttrSet {
        rec: bool,
        bindings: Vec<Binding>,
    },
    LetIn {
        bindings: Vec<Binding>,
        body: ExprId,
    },
    List(Vec<ExprId>),
    /// The parameter is boxed: lambdas are rare, and unboxed it would make every node of
    /// every file's tree nearly twice as large.
    Lambda {
        param: Box<Param>,
        body: ExprId,
    },
    Apply {
        func: ExprId,
        arg: ExprId,
    },
    Select {
        expr: ExprId,
        path: Vec<AttrKey>,
        default: Option<ExprId>,
    },
    HasAttr {
        expr: ExprId,
        path: Vec<AttrKey>,
    },
    IfElse {
        cond: ExprId,
        then: ExprId,
        otherwise: ExprId,
    },
    Binary {
        op: BinaryOp,
        lhs: ExprId,
        rhs: ExprId,
    },
    Not(ExprId),
    Negate(ExprId),
    With {
        namespace: ExprId,
        body: ExprId,
    },
    Assert {
        cond: ExprId,
        body: ExprId,
    },
    CurPos,
    /// Something the parser could not make sense of; an error was reported for it.
    Error,
    /// Valid Nix hm did not read, for being too long or too deeply nested to analyse
    /// ([`crate::Parsed::too_complex`] says where and why).
    TooComplex,
}
