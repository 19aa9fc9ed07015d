use hm_diagnostics::{Diagnostic, Severity};
use nix_source::{FileId, Span, TextRange};
use nix_syntax::{Ast, AttrKey, Binding, Expr, ExprId, Param, StrPart, is_global};

use super::ERROR;
use crate::suggest::did_you_mean;
use crate::{Context, Docs, Rule};

pub struct UndefinedVariable;

impl Rule for UndefinedVariable {
    fn code(&self) -> &'static str {
        "HM109"
    }
    fn name(&self) -> &'static str {
        "undefined-variable"
    }
    fn severity(&self) -> Severity {
        ERROR
    }
    fn docs(&self) -> Docs {
        Docs {
            what: "A name that nothing binds: no `let`, function argument, `rec` set, `inherit` or builtin, and no enclosing `with` that could provide it.",
            why: "Nix fails with \"undefined variable\" as soon as the expression is evaluated — often only on `switch`, and only for the configuration that reaches it.",
            example: "{ pkgs, ... }: {\n  home.packages = [ pkgz.ripgrep ];   # did you mean `pkgs`?\n}",
        }
    }
    fn check(&self, cx: &Context, out: &mut Vec<Diagnostic>) {
        // Files are independent: many are walked on all cores.
        let found: Vec<(FileId, Vec<Unbound>)> =
            hm_model::filter_map_files(&cx.analysis.syntax, |index, parsed| {
                if cx.analysis.db.file(FileId(index as u32)).builtin {
                    return None;
                }
                let root = parsed.ast.root()?;
                let mut walker = Walker {
                    ast: &parsed.ast,
                    scopes: Vec::new(),
                    withs: 0,
                    found: Vec::new(),
                };
                walker.expr(root);
                Some((FileId(index as u32), walker.found))
            });
        for (file, unbound) in found {
            for (name, range, suggestion) in unbound {
                let diagnostic = Diagnostic::new(
                    self.code(),
                    self.severity(),
                    format!("undefined variable `{name}`"),
                )
                .at(Span::new(file, range), "not defined anywhere in scope");
                out.push(match suggestion {
                    Some(s) => diagnostic.help(format!("did you mean `{s}`?")),
                    None => diagnostic.help(
                        "bind it with `let`, take it as a function argument, or bring it in with `with`",
                    ),
                });
            }
        }
    }
}

/// A name used where nothing binds it: the name, where, and a close name that is bound.
type Unbound = (String, TextRange, Option<String>);

struct Walker<'a> {
    ast: &'a Ast,
    /// Names bound by each enclosing `let`, `rec`, or function.
    scopes: Vec<Vec<String>>,
    /// How many `with`s enclose the current expression: under one, any name may exist.
    withs: u32,
    found: Vec<Unbound>,
}

impl Walker<'_> {
    fn bound(&self, name: &str) -> bool {
        is_global(name) || self.scopes.iter().any(|s| s.iter().any(|n| n == name))
    }

    fn reference(&mut self, name: &str, range: TextRange) {
        if self.withs > 0 || self.bound(name) {
            return;
        }
        let candidates = self
            .scopes
            .iter()
            .flatten()
            .map(String::as_str)
            .chain(nix_syntax::GLOBALS.iter().copied());
        let suggestion = did_you_mean(name, candidates).map(str::to_string);
        self.found.push((name.to_string(), range, suggestion));
    }

    fn expr(&mut self, id: ExprId) {
        let ast = self.ast;
        match ast.expr(id) {
            Expr::Ident(name) => self.reference(name, ast.range(id)),
            Expr::Literal(_) | Expr::CurPos | Expr::Error | Expr::TooComplex => {}
            Expr::Str(parts) | Expr::Path { parts, .. } => self.parts(parts),
            Expr::AttrSet {
                rec: false,
                bindings,
            } => self.bindings(bindings, false),
            Expr::AttrSet {
                rec: true,
                bindings,
            } => {
                self.outer_inherits(bindings);
                self.scopes.push(names(bindings));
                self.bindings(bindings, true);
                self.scopes.pop();
            }
            Expr::LetIn { bindings, body } => {
                self.outer_inherits(bindings);
                self.scopes.push(names(bindings));
                self.bindings(bindings, true);
                self.expr(*body);
                self.scopes.pop();
            }
            Expr::List(items) => items.iter().for_each(|i| self.expr(*i)),
            Expr::Lambda { param, body } => {
                let mut bound = Vec::new();
                match &**param {
                    Param::Ident { name, .. } => bound.push(name.clone()),
                    Param::Pattern { formals, bind, .. } => {
                        bound.extend(formals.iter().map(|f| f.name.clone()));
                        bound.extend(bind.iter().map(|(n, _)| n.clone()));
                    }
                }
                self.scopes.push(bound);
                if let Param::Pattern { formals, .. } = &**param {
                    for default in formals.iter().filter_map(|f| f.default) {
                        self.expr(default);
                    }
                }
                self.expr(*body);
                self.scopes.pop();
            }
            Expr::Apply { func, arg } => {
                self.expr(*func);
                self.expr(*arg);
            }
            Expr::Select {
                expr,
                path,
                default,
            } => {
                self.expr(*expr);
                self.keys(path);
                if let Some(d) = default {
                    self.expr(*d);
                }
            }
            Expr::HasAttr { expr, path } => {
                self.expr(*expr);
                self.keys(path);
            }
            Expr::IfElse {
                cond,
                then,
                otherwise,
            } => {
                self.expr(*cond);
                self.expr(*then);
                self.expr(*otherwise);
            }
            Expr::Binary { lhs, rhs, .. } => {
                self.expr(*lhs);
                self.expr(*rhs);
            }
            Expr::Not(e) | Expr::Negate(e) => self.expr(*e),
            Expr::Assert { cond, body } => {
                self.expr(*cond);
                self.expr(*body);
            }
            Expr::With { namespace, body } => {
                self.expr(*namespace);
                self.withs += 1;
                self.expr(*body);
                self.withs -= 1;
            }
        }
    }

    fn parts(&mut self, parts: &[StrPart]) {
        for part in parts {
            if let StrPart::Interpolation(e) = part {
                self.expr(*e);
            }
        }
    }

    fn keys(&mut self, path: &[AttrKey]) {
        for key in path {
            if let AttrKey::Dynamic { expr, .. } = key {
                self.expr(*expr);
            }
        }
    }

    /// `inherit x;` in `let`/`rec` refers to the enclosing scope, not the set itself.
    fn outer_inherits(&mut self, bindings: &[Binding]) {
        for binding in bindings {
            if let Binding::Inherit {
                from: None, names, ..
            } = binding
            {
                for (name, range) in names {
                    self.reference(name, *range);
                }
            }
        }
    }

    fn bindings(&mut self, bindings: &[Binding], recursive: bool) {
        for binding in bindings {
            match binding {
                Binding::Value { path, value, .. } => {
                    self.keys(path);
                    self.expr(*value);
                }
                Binding::Inherit {
                    from: Some(from), ..
                } => self.expr(*from),
                Binding::Inherit {
                    from: None, names, ..
                } if !recursive => {
                    for (name, range) in names {
                        self.reference(name, *range);
                    }
                }
                Binding::Inherit { .. } => {}
            }
        }
    }
}

/// The names a `let` or `rec` set binds.
fn names(bindings: &[Binding]) -> Vec<String> {
    let mut out = Vec::new();
    for binding in bindings {
        match binding {
            Binding::Value { path, .. } => {
                if let Some(AttrKey::Static { name, .. }) = path.first() {
                    out.push(name.clone());
                }
            }
            Binding::Inherit { names, .. } => out.extend(names.iter().map(|(n, _)| n.clone())),
        }
    }
    out
}
