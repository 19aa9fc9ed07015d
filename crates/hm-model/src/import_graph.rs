//! The import graph, read from the syntax of every loaded file rather than from
//! evaluation, so files behind values the analyser never needs are read and checked too,
//! and `import` cycles are found wherever they are.

use std::collections::HashSet;

use nix_source::{FileId, Span, TextRange};
use nix_syntax::{Ast, AttrKey, Binding, Expr, ExprId, Param, PathKind, StrPart};

use crate::files::Files;
use crate::model::{ImportKind, ProblemKind, Related};

/// Loads every file reachable through literal relative paths in `import ./x.nix` and
/// `imports = [ ./x.nix … ]`, then reports `import` cycles.
pub(crate) fn follow(files: &mut Files) {
    let mut next = 0;
    while next < files.len() {
        let file = FileId(next as u32);
        next += 1;
        let parsed = files.parsed(file);
        let dir = files.dir_of(file);
        for (range_expr, target, kind) in literal_imports(&parsed.ast) {
            let span = Span::new(file, parsed.ast.range(range_expr));
            files.load(&nix_eval::normalize(&dir.join(target)), Some(span), kind);
        }
    }
    report_cycles(files);
}

/// `(path expression, relative path, kind)` for each literal import in a file, but those
/// in a function parameter's default (`{ pkgs ? import ../nixpkgs.nix { } }:`), which Nix
/// evaluates only for a caller that leaves the parameter out (the evaluator loads it
/// then).
pub(crate) fn literal_imports(ast: &Ast) -> Vec<(ExprId, String, ImportKind)> {
    let defaults = default_ranges(ast);
    let in_default = |expr: ExprId| {
        let range = ast.range(expr);
        defaults
            .iter()
            .any(|d| d.start <= range.start && range.end <= d.end)
    };
    let mut out = Vec::new();
    for index in 0..ast.len() {
        match ast.expr(ExprId(index as u32)) {
            Expr::Apply { func, arg } if is_import(ast, *func) && !in_default(*arg) => {
                if let Some(path) = relative_path(ast, *arg) {
                    out.push((*arg, path, ImportKind::Expression));
                }
            }
            Expr::AttrSet { bindings, .. } | Expr::LetIn { bindings, .. } => {
                for binding in bindings {
                    let Binding::Value { path, value, .. } = binding else {
                        continue;
                    };
                    let is_imports = matches!(path.as_slice(), [AttrKey::Static { name, .. }] if name == "imports");
                    if let (true, Expr::List(items)) = (is_imports, ast.expr(*value)) {
                        out.extend(items.iter().filter_map(|item| {
                            relative_path(ast, *item).map(|p| (*item, p, ImportKind::Module))
                        }));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Where the file's function parameters' defaults are written.
fn default_ranges(ast: &Ast) -> Vec<TextRange> {
    (0..ast.len())
        .filter_map(|index| match ast.expr(ExprId(index as u32)) {
            Expr::Lambda { param, .. } => match param.as_ref() {
                Param::Pattern { formals, .. } => Some(formals),
                Param::Ident { .. } => None,
            },
            _ => None,
        })
        .flatten()
        .filter_map(|formal| formal.default.map(|d| ast.range(d)))
        .collect()
}

fn is_import(ast: &Ast, func: ExprId) -> bool {
    match ast.expr(func) {
        Expr::Ident(name) => name == "import",
        Expr::Select { expr, path, .. } => {
            matches!(ast.expr(*expr), Expr::Ident(b) if b == "builtins")
                && matches!(path.as_slice(), [AttrKey::Static { name, .. }] if name == "import")
        }
        _ => false,
    }
}

fn relative_path(ast: &Ast, expr: ExprId) -> Option<String> {
    match ast.expr(expr) {
        Expr::Path {
            kind: PathKind::Relative,
            parts,
        } => match parts.as_slice() {
            [StrPart::Literal(text)] => Some(text.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Where a file's `import`s run: each import's path argument with the top-level
/// attribute whose value holds it (`None`: anywhere else, the file's top expression
/// included), and the attribute read at once from what it imports
/// (`(import ./b.nix).y`: `y`).
struct ImportSites {
    binding: std::collections::HashMap<TextRange, Option<String>>,
    selected: std::collections::HashMap<TextRange, String>,
}

fn import_sites(ast: &Ast) -> ImportSites {
    // The top-level set, below the file's function parameters and `let`s.
    let mut top = ast.root();
    while let Some(id) = top {
        top = match ast.expr(id) {
            Expr::Lambda { body, .. } | Expr::LetIn { body, .. } => Some(*body),
            _ => break,
        };
    }
    let bindings: Vec<(String, TextRange)> = match top.map(|id| ast.expr(id)) {
        Some(Expr::AttrSet { bindings, .. }) => bindings
            .iter()
            .filter_map(|b| match b {
                Binding::Value { path, value, .. } => match path.first() {
                    Some(AttrKey::Static { name, .. }) => Some((name.clone(), ast.range(*value))),
                    _ => None,
                },
                Binding::Inherit { .. } => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut sites = ImportSites {
        binding: Default::default(),
        selected: Default::default(),
    };
    for index in 0..ast.len() {
        match ast.expr(ExprId(index as u32)) {
            Expr::Apply { func, arg } if is_import(ast, *func) => {
                let at = ast.range(*arg);
                let holder = bindings
                    .iter()
                    .find(|(_, range)| range.start <= at.start && at.end <= range.end)
                    .map(|(name, _)| name.clone());
                sites.binding.insert(at, holder);
            }
            Expr::Select { expr, path, .. } => {
                if let (Expr::Apply { func, arg }, Some(AttrKey::Static { name, .. })) =
                    (ast.expr(*expr), path.first())
                    && is_import(ast, *func)
                {
                    sites.selected.insert(ast.range(*arg), name.clone());
                }
            }
            _ => {}
        }
    }
    sites
}

/// One `import` edge, with where it runs in its file and what it reads of the target.
struct Edge {
    from: usize,
    to: usize,
    span: Span,
    binding: Option<String>,
    selected: Option<String>,
}

/// Reports each cycle of `import`s once, at the import that closes it. An import leads
/// on to the next only if evaluating what it reads runs that next import: `(import
/// ./flake.nix).nixConfig` never reaches an import inside `flake.nix`'s `outputs`, so
/// such a pair of files is no loop (Nix evaluates it), while `{ x = (import ./b.nix).y; }`
/// and `{ y = (import ./a.nix).x; }` are.
fn report_cycles(files: &mut Files) {
    let count = files.len();
    let sites: Vec<ImportSites> = (0..count)
        .map(|f| import_sites(&files.parsed(FileId(f as u32)).ast))
        .collect();
    let edges: Vec<Edge> = files
        .imports
        .iter()
        .filter(|e| e.kind == ImportKind::Expression)
        .map(|e| {
            let site = &sites[e.span.file.0 as usize];
            Edge {
                from: e.span.file.0 as usize,
                to: e.to.0 as usize,
                span: e.span,
                binding: site.binding.get(&e.span.range).cloned().flatten(),
                selected: site.selected.get(&e.span.range).cloned(),
            }
        })
        .collect();
    let mut leaving: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, edge) in edges.iter().enumerate() {
        leaving[edge.from].push(i);
    }
    let leads_on = |e: &Edge, f: &Edge| match (&e.selected, &f.binding) {
        (Some(read), Some(holder)) => read == holder,
        _ => true,
    };
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; edges.len()];
    let mut cycles = Vec::new();
    let mut reported = HashSet::new();
    for start in 0..edges.len() {
        if state[start] != State::New {
            continue;
        }
        // Iterative depth-first search over edges: (edge, next successor index).
        let mut stack = vec![(start, 0usize)];
        state[start] = State::Open;
        while let Some((edge, index)) = stack.last_mut() {
            let edge = *edge;
            let next = leaving[edges[edge].to]
                .iter()
                .copied()
                .filter(|&n| leads_on(&edges[edge], &edges[n]))
                .nth(*index);
            let Some(next) = next else {
                state[edge] = State::Done;
                stack.pop();
                continue;
            };
            *index += 1;
            match state[next] {
                State::New => {
                    state[next] = State::Open;
                    stack.push((next, 0));
                }
                State::Open => {
                    let from = stack.iter().position(|(e, _)| *e == next).unwrap_or(0);
                    let chain: Vec<FileId> = stack[from..]
                        .iter()
                        .map(|(e, _)| FileId(edges[*e].from as u32))
                        .collect();
                    let span = edges[edge].span;
                    if reported.insert(span) {
                        cycles.push((span, chain));
                    }
                }
                State::Done => {}
            }
        }
    }
    for (span, chain) in cycles {
        let names: Vec<String> = chain
            .iter()
            .chain(chain.first())
            .map(|f| files.db.file(*f).path.display().to_string())
            .collect();
        let related = chain
            .iter()
            .skip(1)
            .map(|f| Related {
                span: files.whole_file(*f),
                message: "part of the cycle".to_string(),
            })
            .collect();
        files.problem_with(
            ProblemKind::ImportCycle,
            Some(span),
            format!("import cycle: {}", names.join(" -> ")),
            related,
        );
    }
}
