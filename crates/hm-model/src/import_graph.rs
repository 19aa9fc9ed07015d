//! The import graph, read from the syntax of every loaded file rather than from
//! evaluation, so files behind values the analyser never needs are read and checked too,
//! and `import` cycles are found wherever they are.

use nix_source::{FileId, Span};
use nix_syntax::{Ast, AttrKey, Binding, Expr, ExprId, PathKind, StrPart};

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

/// `(path expression, relative path, kind)` for each literal import in a file.
pub(crate) fn literal_imports(ast: &Ast) -> Vec<(ExprId, String, ImportKind)> {
    let mut out = Vec::new();
    for index in 0..ast.len() {
        match ast.expr(ExprId(index as u32)) {
            Expr::Apply { func, arg } if is_import(ast, *func) => {
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

/// Reports each cycle of `import` edges once, at the edge that closes it.
fn report_cycles(files: &mut Files) {
    let count = files.len();
    let mut edges: Vec<Vec<(FileId, Span)>> = vec![Vec::new(); count];
    for edge in files
        .imports
        .iter()
        .filter(|e| e.kind == ImportKind::Expression)
    {
        edges[edge.span.file.0 as usize].push((edge.to, edge.span));
    }
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; count];
    let mut cycles = Vec::new();
    for start in 0..count {
        if state[start] != State::New {
            continue;
        }
        // Iterative depth-first search: (file, next edge index), and the open path.
        let mut stack = vec![(start, 0usize)];
        state[start] = State::Open;
        while let Some((file, index)) = stack.last_mut() {
            let file = *file;
            let Some(&(to, span)) = edges[file].get(*index) else {
                state[file] = State::Done;
                stack.pop();
                continue;
            };
            *index += 1;
            match state[to.0 as usize] {
                State::New => {
                    state[to.0 as usize] = State::Open;
                    stack.push((to.0 as usize, 0));
                }
                State::Open => {
                    let from = stack
                        .iter()
                        .position(|(f, _)| *f == to.0 as usize)
                        .unwrap_or(0);
                    let chain: Vec<FileId> = stack[from..]
                        .iter()
                        .map(|(f, _)| FileId(*f as u32))
                        .collect();
                    cycles.push((span, chain));
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
