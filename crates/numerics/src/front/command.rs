//! A Lean file's commands, read into the [`Env`]: `namespace`/`section`/`end` (a stack of
//! scopes), `open` (with `scoped`, `in`, selective lists), `variable`/`include`, definitions,
//! theorems, structures, instances and notations (`notation`, `infix*`, `prefix`, `postfix`,
//! `local`/`scoped`/`scoped[N]`). A command starts at column 0, as Lean sources are laid out;
//! commands theorist does not know (`TODO`, `informal_lemma`, `#eval`, …) are skipped whole.

use std::collections::BTreeSet;
use std::sync::Arc;

use theorist_leansrc::MODIFIERS;

use super::env::{
    Body, DeclInfo, DeclKind, Env, FieldInfo, InstanceInfo, NotationInfo, NotationScope, Scope,
    StructInfo, Variable,
};
use super::lex::{LexError, Pos, Tok, Token, lex};
use super::parse::{Item, Notation, ParseError, Parser};
use super::syntax::{Binder, BinderKind, Kind, Op, Term};

/// Tokens that continue a command when they start a line at column 0.
const CONTINUATIONS: &[&str] = &["|", ")", "]", "}", "⟩", ":=", "·"];
const CONTINUATION_WORDS: &[&str] = &[
    "where",
    "termination_by",
    "decreasing_by",
    "deriving",
    "with",
    "then",
    "else",
];

/// The notation symbols a file declares (read before the file is tokenized for real, since
/// they change how it splits into tokens).
pub fn declared_symbols(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let Ok(toks) = lex(text, &BTreeSet::new()).map_err(|_| ()) else {
        return out;
    };
    let mut in_notation = false;
    for t in &toks {
        match &t.tok {
            Tok::Ident(w)
                if matches!(
                    w.as_str(),
                    "notation" | "notation3" | "infix" | "infixl" | "infixr" | "prefix" | "postfix"
                ) =>
            {
                in_notation = true
            }
            Tok::Sym(s) if s == "=>" => in_notation = false,
            Tok::Str(s) if in_notation => {
                let s = s.trim();
                if !s.is_empty() && !s.chars().all(super::lex::is_id_rest) {
                    out.insert(s.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

/// Reading a file failed as a whole (declarations that fail are recorded, not errors).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{0}", file = .1)]
pub struct ReadError(pub LexError, pub String);

struct Frame {
    namespace_len: usize,
    opens: usize,
    scoped_opens: usize,
    variables: usize,
    includes: usize,
    local_notations: usize,
}

/// Reads `text` (file number `file` of `env`) into `env`. `symbols` are the notation tokens of
/// the file and its imports.
pub fn read_file(
    env: &mut Env,
    file: usize,
    text: &str,
    symbols: &BTreeSet<String>,
) -> Result<(), ReadError> {
    let toks = lex(text, symbols).map_err(|e| ReadError(e, env.file_name(file).to_string()))?;
    let starts: Vec<usize> = (0..toks.len())
        .filter(|&i| starts_command(&toks[i]))
        .collect();
    let mut scope = Scope {
        file,
        ..Scope::default()
    };
    let mut frames: Vec<Frame> = Vec::new();
    // `open … in`: opens for the next command only.
    let mut pending: Option<Scope> = None;
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(toks.len());
        let cmd = &toks[start..end];
        let end_pos = toks
            .get(end)
            .map_or(cmd.last().map_or(Pos::default(), |t| t.pos), |t| t.pos);
        let base = pending.take();
        let active = base.as_ref().unwrap_or(&scope);
        let next = command(env, active, &mut frames, cmd, end_pos);
        match next {
            Next::Scope(s) => {
                if base.is_some() {
                    // `open … in` does not change the file's scope.
                } else {
                    scope = s;
                }
            }
            Next::In(s) => pending = Some(s),
            Next::Same => {}
        }
    }
    Ok(())
}

fn starts_command(t: &Token) -> bool {
    if !t.line_start || t.pos.col != 0 {
        return false;
    }
    match &t.tok {
        Tok::Sym(s) => !CONTINUATIONS.contains(&s.as_str()),
        Tok::Ident(w) => !CONTINUATION_WORDS.contains(&w.as_str()),
        _ => true,
    }
}

enum Next {
    /// The scope after the command.
    Scope(Scope),
    /// `… in`: the scope for the next command only.
    In(Scope),
    Same,
}

fn word(t: Option<&Token>) -> Option<&str> {
    match t.map(|t| &t.tok) {
        Some(Tok::Ident(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// The namespace an `open` names: relative to the current namespaces when such a namespace
/// exists, as Lean resolves it.
fn open_target(env: &Env, scope: &Scope, name: &str) -> String {
    for k in (1..=scope.namespace.len()).rev() {
        let candidate = format!("{}.{name}", scope.namespace[..k].join("."));
        if env.namespaces.contains(&candidate) {
            return candidate;
        }
    }
    name.strip_prefix("_root_.").unwrap_or(name).to_string()
}

/// The attributes and modifiers before a command's keyword that change what it declares.
#[derive(Default)]
struct Modifiers {
    protected: bool,
    local: bool,
    /// `scoped` (`Some(None)`) or `scoped[NS]` (`Some(Some(NS))`).
    scoped: Option<Option<String>>,
}

/// Reads the attributes (`@[…]`) and modifiers (`private`, `local`, `scoped[NS]`, …) a
/// command starts with: what they say, and the index of the keyword after them.
fn modifiers(cmd: &[Token]) -> (Modifiers, usize) {
    let mut m = Modifiers::default();
    let mut i = 0;
    loop {
        match cmd.get(i).map(|t| &t.tok) {
            Some(Tok::Sym(s)) if s == "@[" => {
                let mut depth = 1;
                i += 1;
                while i < cmd.len() && depth > 0 {
                    if cmd[i].is_sym("[") || cmd[i].is_sym("@[") {
                        depth += 1;
                    } else if cmd[i].is_sym("]") {
                        depth -= 1;
                    }
                    i += 1;
                }
            }
            Some(Tok::Ident(w)) if MODIFIERS.contains(&w.as_str()) => {
                if w == "protected" {
                    m.protected = true;
                }
                if w == "local" {
                    m.local = true;
                }
                if w == "scoped" {
                    // `scoped[NS]`.
                    if cmd.get(i + 1).is_some_and(|t| t.is_sym("[")) && !cmd[i + 1].space_before {
                        let ns = word(cmd.get(i + 2)).map(str::to_string);
                        m.scoped = Some(ns);
                        i += 3;
                        if cmd.get(i).is_some_and(|t| t.is_sym("]")) {
                            i += 1;
                        }
                        continue;
                    }
                    m.scoped = Some(None);
                }
                i += 1;
            }
            _ => return (m, i),
        }
    }
}

/// Reads one command into `env`: what it declares, and the scope it leaves.
fn command(env: &mut Env, scope: &Scope, frames: &mut Vec<Frame>, cmd: &[Token], end: Pos) -> Next {
    let (mods, i) = modifiers(cmd);
    let Some(kw) = word(cmd.get(i)) else {
        return Next::Same;
    };
    let rest = &cmd[i + 1..];
    match kw {
        "namespace" | "section" | "end" => scope_command(env, scope, frames, kw, rest),
        "open" | "export" => open(env, scope, rest),
        "variable" | "include" | "omit" => variables(env, scope, kw, rest, end),
        "set_option" => {
            if rest.iter().any(|t| t.is_ident("in")) {
                Next::In(scope.clone())
            } else {
                Next::Same
            }
        }
        "notation" | "infix" | "infixl" | "infixr" | "prefix" | "postfix" => {
            notation_command(env, scope, &mods, kw, rest, end)
        }
        "def" | "abbrev" | "theorem" | "lemma" | "irreducible_def" | "axiom" | "opaque" => {
            declaration(env, scope, kw, rest, mods.protected, cmd[i].pos, end);
            Next::Same
        }
        "instance" => {
            instance(env, scope, rest, cmd[i].pos, end);
            Next::Same
        }
        "structure" | "class" => {
            structure(env, scope, kw, rest, cmd[i].pos, end);
            Next::Same
        }
        "inductive" => {
            if let Some(name) = word(rest.first()) {
                let full = qualify(scope, name);
                env.decls.insert(
                    full.clone(),
                    Arc::new(DeclInfo {
                        name: full,
                        kind: DeclKind::Other,
                        protected: mods.protected,
                        binders: Vec::new(),
                        ty: None,
                        body: Body::None,
                        scope: Arc::new(scope.clone()),
                        pos: cmd[i].pos,
                        error: None,
                    }),
                );
            }
            Next::Same
        }
        _ => Next::Same,
    }
}

/// `namespace N`, `section` and `end`: a scope pushed on the stack of frames, or popped.
fn scope_command(
    env: &mut Env,
    scope: &Scope,
    frames: &mut Vec<Frame>,
    kw: &str,
    rest: &[Token],
) -> Next {
    match kw {
        "namespace" => {
            let Some(name) = word(rest.first()) else {
                return Next::Same;
            };
            let mut s = scope.clone();
            frames.push(frame(&s));
            s.namespace.extend(name.split('.').map(str::to_string));
            for k in 1..=s.namespace.len() {
                env.namespaces.insert(s.namespace[..k].join("."));
            }
            Next::Scope(s)
        }
        "section" => {
            let s = scope.clone();
            frames.push(frame(&s));
            Next::Scope(s)
        }
        _ => {
            let mut s = scope.clone();
            if let Some(f) = frames.pop() {
                s.namespace.truncate(f.namespace_len);
                s.opens.truncate(f.opens);
                s.scoped_opens.truncate(f.scoped_opens);
                s.variables.truncate(f.variables);
                s.includes.truncate(f.includes);
                s.local_notations.truncate(f.local_notations);
            }
            Next::Scope(s)
        }
    }
}

/// `open A B`, `open scoped A`, `open A (x y)`, `open A hiding x`, `… in`.
fn open(env: &Env, scope: &Scope, rest: &[Token]) -> Next {
    let mut s = scope.clone();
    let mut only_scoped = false;
    let mut k = 0;
    let mut is_in = false;
    while let Some(t) = rest.get(k) {
        match &t.tok {
            Tok::Ident(w) if w == "scoped" => only_scoped = true,
            Tok::Ident(w) if w == "in" => {
                is_in = true;
                break;
            }
            Tok::Ident(w) if w == "hiding" || w == "renaming" => {
                // The names after these are not namespaces.
                while rest
                    .get(k + 1)
                    .is_some_and(|t| !t.is_sym("(") && !t.is_ident("in"))
                {
                    k += 1;
                }
            }
            Tok::Ident(w) => {
                let target = open_target(env, scope, w);
                if only_scoped {
                    s.scoped_opens.push(target);
                } else {
                    s.opens.push(target);
                }
            }
            Tok::Sym(p) if p == "(" => {
                // `open A (x y)`: only the listed names; the namespace is opened as a
                // whole here, which can only add ambiguity errors, never a wrong name.
                while rest.get(k).is_some_and(|t| !t.is_sym(")")) {
                    k += 1;
                }
            }
            _ => {}
        }
        k += 1;
    }
    if is_in { Next::In(s) } else { Next::Scope(s) }
}

/// `variable (x : T)`, `include x`, `omit x`: the section variables and which are included.
fn variables(env: &Env, scope: &Scope, kw: &str, rest: &[Token], end: Pos) -> Next {
    let mut s = scope.clone();
    match kw {
        "variable" => {
            let notations = env.notations_in(scope);
            let mut p = Parser::new(rest, &notations, end);
            while !p.at_end() {
                match p.bracketed_binder() {
                    Ok(b) => {
                        // `variable {x}` re-declaring an existing variable's binder kind.
                        if b.ty.is_none() {
                            continue;
                        }
                        s.variables.push(Variable {
                            binder: b,
                            file: scope.file,
                        })
                    }
                    Err(_) => break,
                }
            }
            if p.peek().is_some_and(|t| t.is_ident("in")) {
                return Next::In(s);
            }
            Next::Scope(s)
        }
        "include" => {
            for t in rest {
                if let Tok::Ident(w) = &t.tok {
                    if w == "in" {
                        return Next::In(s);
                    }
                    s.includes.push(w.clone());
                }
            }
            Next::Scope(s)
        }
        _ => {
            let names: Vec<String> = rest
                .iter()
                .filter_map(|t| match &t.tok {
                    Tok::Ident(w) => Some(w.clone()),
                    _ => None,
                })
                .collect();
            s.includes.retain(|n| !names.contains(n));
            if names.iter().any(|n| n == "in") {
                return Next::In(s);
            }
            Next::Scope(s)
        }
    }
}

/// `notation`, `infix`, … with their scope (`local`, `scoped`, `scoped[NS]`, global); a local
/// notation is part of the scope after it.
fn notation_command(
    env: &mut Env,
    scope: &Scope,
    mods: &Modifiers,
    kw: &str,
    rest: &[Token],
    end: Pos,
) -> Next {
    let ns = if mods.local {
        NotationScope::Local
    } else {
        match &mods.scoped {
            Some(Some(ns)) => NotationScope::Scoped(open_target(env, scope, ns)),
            Some(None) => NotationScope::Scoped(scope.namespace_name()),
            None => NotationScope::Global,
        }
    };
    if let Some(n) = notation(env, scope, kw, rest, end) {
        env.notations.push(NotationInfo {
            notation: n,
            scope: ns.clone(),
        });
        if ns == NotationScope::Local {
            let mut s = scope.clone();
            s.local_notations.push(env.notations.len() - 1);
            return Next::Scope(s);
        }
    }
    Next::Same
}

fn frame(s: &Scope) -> Frame {
    Frame {
        namespace_len: s.namespace.len(),
        opens: s.opens.len(),
        scoped_opens: s.scoped_opens.len(),
        variables: s.variables.len(),
        includes: s.includes.len(),
        local_notations: s.local_notations.len(),
    }
}

fn qualify(scope: &Scope, name: &str) -> String {
    if let Some(root) = name.strip_prefix("_root_.") {
        return root.to_string();
    }
    if scope.namespace.is_empty() {
        name.to_string()
    } else {
        format!("{}.{name}", scope.namespace_name())
    }
}

/// Where the signature ends: the first `:=`, `where`, or line-start `|` outside brackets.
fn body_boundary(toks: &[Token]) -> Option<(usize, &'static str)> {
    let mut depth = 0i32;
    for (k, t) in toks.iter().enumerate() {
        match &t.tok {
            Tok::Sym(s) => match s.as_str() {
                "(" | "[" | "{" | "⟨" | "⦃" | "@[" | "!₂[" | "!![" => depth += 1,
                ")" | "]" | "}" | "⟩" | "⦄" => depth -= 1,
                ":=" if depth == 0 => return Some((k, ":=")),
                "|" if depth == 0 && t.line_start => return Some((k, "|")),
                _ => {}
            },
            Tok::Ident(w) if w == "where" && depth == 0 => return Some((k, "where")),
            _ => {}
        }
    }
    None
}

/// Binders and the type after `:`.
fn signature(
    toks: &[Token],
    notations: &[Notation],
    end: Pos,
) -> Result<(Vec<Binder>, Option<Term>), ParseError> {
    let mut p = Parser::new(toks, notations, end);
    let mut binders = Vec::new();
    while p
        .peek()
        .is_some_and(|t| t.is_sym("(") || t.is_sym("{") || t.is_sym("[") || t.is_sym("⦃"))
    {
        binders.push(p.bracketed_binder()?);
    }
    let ty = if p.eat_sym(":") {
        Some(p.term_to_end()?)
    } else {
        if let Some(t) = p.peek() {
            return p.err(format!("unexpected {} in the signature", t.describe()));
        }
        None
    };
    Ok((binders, ty))
}

/// The `where` fields of a definition: a structure's, or, when the declared type is a
/// function type (a bundled map `A →ₗ[R] B` read as its function), the map's `toFun`, which is
/// what applying it means in Lean. A bundled map without `toFun` is not read.
fn bundled_map(fields: Vec<(String, Term)>, ty: Option<&Term>) -> Body {
    let is_map = ty.is_some_and(|t| matches!(t.unparen().kind, Kind::Binop(Op::Imp, ..)));
    if !is_map {
        return Body::Fields(fields);
    }
    match fields.into_iter().find(|(n, _)| n == "toFun") {
        Some((_, f)) => Body::Term(f),
        None => Body::Unreadable(
            "a bundled map without a `toFun` field".into(),
            ty.map_or(Pos::default(), |t| t.pos),
        ),
    }
}

/// A definition by equations (`def η (P : Params) : A → B → ℝ | p, q => e | …`): Lean's
/// meaning, `fun a b => match a, b with | p, q => e | …`, the new parameters typed by the
/// domains of the declared type.
fn equations(
    toks: &[Token],
    ty: Option<&Term>,
    notations: &[Notation],
    end: Pos,
) -> Result<Term, ParseError> {
    let pos = toks.first().map_or(end, |t| t.pos);
    let unreadable = |message: &str| ParseError {
        pos,
        message: message.into(),
    };
    // The arity is the first arm's: patterns up to its `=>`, separated by `,` at depth 0.
    let mut arity = 1;
    let mut depth = 0i32;
    for t in toks.iter().skip(1) {
        match &t.tok {
            Tok::Sym(s) => match s.as_str() {
                "(" | "[" | "{" | "⟨" | "⦃" => depth += 1,
                ")" | "]" | "}" | "⟩" | "⦄" => depth -= 1,
                "," if depth == 0 => arity += 1,
                "=>" => break,
                _ => {}
            },
            _ => continue,
        }
    }
    // The domains of the declared type `A → B → … → R`, one per pattern.
    let mut domains = Vec::new();
    let mut rest = ty.ok_or_else(|| unreadable("a definition by equations without a type"))?;
    while domains.len() < arity {
        match &rest.unparen().kind {
            Kind::Binop(Op::Imp, a, b) => {
                domains.push((**a).clone());
                rest = b;
            }
            _ => {
                return Err(unreadable(
                    "a definition by equations whose type has fewer arrows than its patterns",
                ));
            }
        }
    }
    let mut p = Parser::new(toks, notations, end);
    let arms = p.match_arms(arity)?;
    if let Some(t) = p.peek() {
        return p.err(format!("unexpected {} after the equations", t.describe()));
    }
    let names: Vec<String> = (0..arity).map(|k| format!("x✝{k}")).collect();
    let binders = names
        .iter()
        .zip(domains)
        .map(|(n, d)| Binder {
            names: vec![(n.clone(), pos)],
            ty: Some(d),
            kind: BinderKind::Explicit,
            pred: None,
            tuple_pattern: false,
            default: None,
            pos,
        })
        .collect();
    let scrutinees = names
        .into_iter()
        .map(|n| Term::new(Kind::Ident(n), pos))
        .collect();
    let body = Term::new(Kind::Match(Box::new((scrutinees, arms))), pos);
    Ok(Term::new(Kind::Fun(binders, Box::new(body)), pos))
}

/// `where` fields: `name := term` entries, each starting a line.
fn where_fields(
    toks: &[Token],
    end: Pos,
    notations: &[Notation],
) -> Result<Vec<(String, Term)>, ParseError> {
    // Fields start at the column of the first one (a field's value may span lines, and a
    // structure instance inside it has `name := …` lines of its own, further in).
    let Some(first) = toks.first() else {
        return Ok(Vec::new());
    };
    let column = first.pos.col;
    let starts: Vec<usize> = (0..toks.len())
        .filter(|&k| {
            k == 0
                || (toks[k].line_start
                    && toks[k].pos.col == column
                    && matches!(toks[k].tok, Tok::Ident(_)))
        })
        .collect();
    let mut out = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(toks.len());
        let entry = &toks[s..e];
        let Some(Tok::Ident(name)) = entry.first().map(|t| &t.tok) else {
            return Err(ParseError {
                pos: entry.first().map_or(end, |t| t.pos),
                message: "expected a field name".into(),
            });
        };
        let Some(assign) = entry.iter().position(|t| t.is_sym(":=")) else {
            return Err(ParseError {
                pos: entry[0].pos,
                message: "expected `:=` in the field".into(),
            });
        };
        let mut p = Parser::new(&entry[assign + 1..], notations, end);
        let mut value = p.term_to_end()?;
        // `toFun x := e` is `toFun := fun x => e`.
        if assign > 1 {
            let mut bp = Parser::new(&entry[1..assign], &[], end);
            let binders = bp.binders(false)?;
            let pos = value.pos;
            value = Term::new(Kind::Fun(binders, Box::new(value)), pos);
        }
        out.push((name.clone(), value));
    }
    Ok(out)
}

fn declaration(
    env: &mut Env,
    scope: &Scope,
    kw: &str,
    rest: &[Token],
    protected: bool,
    pos: Pos,
    end: Pos,
) {
    let Some(name) = word(rest.first()) else {
        return;
    };
    let full = qualify(scope, name);
    // `def Foo.bar` inside namespace A also opens `A.Foo` for its own signature and body.
    let mut own = scope.clone();
    own.at = Some(pos);
    if let Some((prefix, _)) = full.rsplit_once('.') {
        let parts: Vec<String> = prefix.split('.').map(str::to_string).collect();
        if parts.len() > own.namespace.len() && parts.starts_with(&own.namespace) {
            own.namespace = parts;
        }
    }
    for k in 1..full.split('.').count() {
        let ns: Vec<&str> = full.split('.').take(k).collect();
        env.namespaces.insert(ns.join("."));
    }
    let notations = env.notations_in(&own);
    let kind = match kw {
        "theorem" | "lemma" => DeclKind::Theorem,
        "abbrev" => DeclKind::Abbrev,
        "axiom" => DeclKind::Axiom,
        "opaque" => DeclKind::Opaque,
        _ => DeclKind::Def,
    };
    let after = &rest[1..];
    let boundary = body_boundary(after);
    let sig_toks = &after[..boundary.map_or(after.len(), |b| b.0)];
    let sig = signature(sig_toks, &notations, end);
    let (binders, ty, error) = match sig {
        Ok((b, t)) => (b, t, None),
        Err(e) => (Vec::new(), None, Some(e)),
    };
    let body = match (kind, boundary) {
        (DeclKind::Theorem, _) => Body::None,
        (_, None) => Body::None,
        (_, Some((k, ":="))) => {
            let toks = &after[k + 1..];
            let mut p = Parser::new(toks, &notations, end);
            match p.term_to_end() {
                Ok(t) => match t.kind {
                    Kind::StructInst(fields) => Body::Fields(fields),
                    _ => Body::Term(t),
                },
                Err(e) => Body::Unreadable(e.message, e.pos),
            }
        }
        (_, Some((k, "where"))) => match where_fields(&after[k + 1..], end, &notations) {
            Ok(f) => bundled_map(f, ty.as_ref()),
            Err(e) => Body::Unreadable(e.message, e.pos),
        },
        (_, Some((k, _))) => match equations(&after[k..], ty.as_ref(), &notations, end) {
            Ok(t) => Body::Term(t),
            Err(e) => Body::Unreadable(e.message, e.pos),
        },
    };
    env.decls.insert(
        full.clone(),
        Arc::new(DeclInfo {
            name: full,
            kind,
            protected,
            binders,
            ty,
            body,
            scope: Arc::new(own),
            pos,
            error,
        }),
    );
}

fn instance(env: &mut Env, scope: &Scope, rest: &[Token], pos: Pos, end: Pos) {
    let notations = env.notations_in(scope);
    let boundary = body_boundary(rest);
    let head = &rest[..boundary.map_or(rest.len(), |b| b.0)];
    // `instance name : C` or `instance : C` (binders are rare for the instances we read).
    let colon = head.iter().position(|t| t.is_sym(":"));
    let Some(colon) = colon else { return };
    let mut p = Parser::new(&head[colon + 1..], &notations, end);
    let Ok(class) = p.term_to_end() else { return };
    let body = match boundary {
        Some((k, ":=")) => {
            let mut p = Parser::new(&rest[k + 1..], &notations, end);
            match p.term_to_end() {
                Ok(t) => Body::Term(t),
                Err(e) => Body::Unreadable(e.message, e.pos),
            }
        }
        Some((k, "where")) => match where_fields(&rest[k + 1..], end, &notations) {
            Ok(f) => Body::Fields(f),
            Err(e) => Body::Unreadable(e.message, e.pos),
        },
        _ => return,
    };
    let mut own = scope.clone();
    own.at = Some(pos);
    let own = Arc::new(own);
    // A named instance is also a constant (`Quotient CKMMatrixSetoid` names one).
    if let [name] = &head[..colon] {
        if let Some(name) = word(Some(name)) {
            let full = qualify(scope, name);
            env.decls.insert(
                full.clone(),
                Arc::new(DeclInfo {
                    name: full,
                    kind: DeclKind::Def,
                    protected: false,
                    binders: Vec::new(),
                    ty: Some(class.clone()),
                    body: body.clone(),
                    scope: own.clone(),
                    pos,
                    error: None,
                }),
            );
        }
    }
    env.instances.push(Arc::new(InstanceInfo {
        class,
        body,
        scope: own,
        pos,
    }));
}

/// `structure S (params) extends … where fields` (or `class`): a [`StructInfo`] with its
/// parameters and fields (the first part that cannot be read is its error), and its names.
fn structure(env: &mut Env, scope: &Scope, kw: &str, rest: &[Token], pos: Pos, end: Pos) {
    let Some(name) = word(rest.first()) else {
        return;
    };
    let full = qualify(scope, name);
    env.namespaces.insert(full.clone());
    let after = &rest[1..];
    let wh = after.iter().position(|t| t.is_ident("where"));
    let head = &after[..wh.unwrap_or(after.len())];
    let extends = head.iter().any(|t| t.is_ident("extends"));
    let params_end = head
        .iter()
        .position(|t| t.is_ident("extends") || t.is_sym(":"))
        .unwrap_or(head.len());
    let mut error = None;
    let notations = env.notations_in(scope);
    let params = match signature(&head[..params_end], &notations, end) {
        Ok((b, _)) => b,
        Err(e) => {
            error = Some(e);
            Vec::new()
        }
    };
    let fields = match wh {
        Some(w) => structure_fields(&after[w + 1..], &notations, end, &mut error),
        None => Vec::new(),
    };
    let _ = kw;
    let mut own = scope.clone();
    own.at = Some(pos);
    let scope = Arc::new(own);
    declare_projections(env, &full, &fields, &scope, pos);
    env.structures.insert(
        full.clone(),
        Arc::new(StructInfo {
            name: full,
            params,
            fields,
            extends,
            scope,
            pos,
            error,
        }),
    );
}

/// The fields of a structure from the tokens after its `where` (up to `deriving`; a `mk ::`
/// naming the constructor skipped), one entry a line; the first error is kept in `error`.
fn structure_fields(
    body: &[Token],
    notations: &[Notation],
    end: Pos,
    error: &mut Option<ParseError>,
) -> Vec<FieldInfo> {
    let body_end = body
        .iter()
        .position(|t| t.is_ident("deriving") && t.line_start)
        .unwrap_or(body.len());
    let body = &body[..body_end];
    // `mk ::` names the constructor.
    let body = if body.len() >= 2 && body[1].is_sym("::") {
        &body[2..]
    } else {
        body
    };
    let starts: Vec<usize> = (0..body.len())
        .filter(|&k| body[k].line_start || k == 0)
        .collect();
    let mut fields = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(body.len());
        match field_entry(&body[s..e], notations, end) {
            Ok(mut fs) => fields.append(&mut fs),
            Err(err) => {
                error.get_or_insert(err);
            }
        }
    }
    fields
}

/// A structure's projections (`S.f`) and constructor (`S.mk`) are names too.
fn declare_projections(
    env: &mut Env,
    full: &str,
    fields: &[FieldInfo],
    scope: &Arc<Scope>,
    pos: Pos,
) {
    let name = |kind, name: String, pos| {
        Arc::new(DeclInfo {
            name,
            kind,
            protected: false,
            binders: Vec::new(),
            ty: None,
            body: Body::None,
            scope: scope.clone(),
            pos,
            error: None,
        })
    };
    for f in fields {
        let pname = format!("{full}.{}", f.name);
        env.decls
            .insert(pname.clone(), name(DeclKind::Projection, pname, f.pos));
    }
    let mk = format!("{full}.mk");
    env.decls
        .insert(mk.clone(), name(DeclKind::Constructor, mk, pos));
}

/// One field line: `name : T`, `a b : T := d`, `(a : T)`, `name (x : A) : B`.
fn field_entry(
    toks: &[Token],
    notations: &[Notation],
    end: Pos,
) -> Result<Vec<FieldInfo>, ParseError> {
    let mut p = Parser::new(toks, notations, end);
    if p.peek().is_some_and(|t| t.is_sym("(")) {
        let mut out = Vec::new();
        while p.peek().is_some_and(|t| t.is_sym("(")) {
            let b = p.bracketed_binder()?;
            let Some(ty) = b.ty.clone() else {
                return p.err("a field needs a type");
            };
            for (n, pos) in &b.names {
                out.push(FieldInfo {
                    name: n.clone(),
                    ty: ty.clone(),
                    default: b.default.clone(),
                    pos: *pos,
                });
            }
        }
        return Ok(out);
    }
    let mut names = Vec::new();
    while let Some(Token {
        tok: Tok::Ident(n),
        pos,
        ..
    }) = p.peek()
    {
        names.push((n.clone(), *pos));
        p.i += 1;
    }
    let mut binders = Vec::new();
    while p
        .peek()
        .is_some_and(|t| t.is_sym("(") || t.is_sym("{") || t.is_sym("["))
    {
        binders.push(p.bracketed_binder()?);
    }
    p.expect_sym(":")?;
    let mut ty = p.term(0)?;
    let default = if p.eat_sym(":=") {
        Some(p.term(0)?)
    } else {
        None
    };
    if let Some(t) = p.peek() {
        return p.err(format!("unexpected {} in the field", t.describe()));
    }
    if !binders.is_empty() {
        // A function-valued field: `∀ binders, T`.
        let pos = ty.pos;
        ty = Term::new(Kind::Forall(binders, Box::new(ty)), pos);
    }
    Ok(names
        .into_iter()
        .map(|(name, pos)| FieldInfo {
            name,
            ty: ty.clone(),
            default: default.clone(),
            pos,
        })
        .collect())
}

/// `notation:p "‖" x "‖_H^2" => rhs`, `infixl:65 " +ₘ " => f`, `prefix:max "√" => f`.
fn notation(env: &Env, scope: &Scope, kw: &str, rest: &[Token], end: Pos) -> Option<Notation> {
    let mut i = 0;
    let mut prec: Option<u32> = None;
    // `:prec`
    if rest.first().is_some_and(|t| t.is_sym(":")) {
        prec = precedence(rest.get(1)?);
        i = 2;
    }
    // `(name := …)`, `(priority := …)`
    while rest.get(i).is_some_and(|t| t.is_sym("(")) {
        while i < rest.len() && !rest[i].is_sym(")") {
            i += 1;
        }
        i += 1;
    }
    let arrow = rest.iter().position(|t| t.is_sym("=>"))?;
    let pattern = &rest[i..arrow];
    let mut p = Parser::new(&rest[arrow + 1..], &[], end);
    let rhs = p.term_to_end().ok()?;
    let mut items = Vec::new();
    match kw {
        "notation" => {
            let mut k = 0;
            while k < pattern.len() {
                match &pattern[k].tok {
                    Tok::Str(s) => items.push(Item::Atom(s.trim().to_string())),
                    Tok::Ident(v) => {
                        let mut vp = 0;
                        if pattern.get(k + 1).is_some_and(|t| t.is_sym(":"))
                            && !pattern[k + 1].space_before
                        {
                            vp = pattern.get(k + 2).and_then(precedence).unwrap_or(0);
                            k += 2;
                        }
                        items.push(Item::Var(v.clone(), vp));
                    }
                    _ => return None,
                }
                k += 1;
            }
        }
        _ => {
            let Some(Tok::Str(atom)) = pattern.first().map(|t| &t.tok) else {
                return None;
            };
            let p = prec.unwrap_or(0);
            let atom = Item::Atom(atom.trim().to_string());
            items = match kw {
                "infixl" => vec![Item::Var("a".into(), p), atom, Item::Var("b".into(), p + 1)],
                "infixr" => vec![Item::Var("a".into(), p + 1), atom, Item::Var("b".into(), p)],
                "infix" => vec![
                    Item::Var("a".into(), p + 1),
                    atom,
                    Item::Var("b".into(), p + 1),
                ],
                "prefix" => vec![atom, Item::Var("a".into(), p)],
                _ => vec![Item::Var("a".into(), p), atom],
            };
        }
    }
    let vars: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Item::Var(v, _) => Some(v.clone()),
            Item::Atom(_) => None,
        })
        .collect();
    // infix/prefix/postfix: `f a b` applied to the pattern's variables.
    let expansion = if kw == "notation" {
        rhs
    } else {
        let pos = rhs.pos;
        let args = vars
            .iter()
            .map(|v| super::syntax::Arg::Pos(Term::new(Kind::Ident(v.clone()), pos)))
            .collect();
        Term::new(Kind::App(Box::new(rhs), args), pos)
    };
    let expansion = preresolve(env, scope, &expansion, &vars);
    Some(Notation {
        items,
        prec: prec.unwrap_or(1024),
        expansion,
    })
}

fn precedence(t: &Token) -> Option<u32> {
    match &t.tok {
        Tok::Nat(n) => n.parse().ok(),
        Tok::Ident(w) => match w.as_str() {
            "max" => Some(1024),
            "arg" => Some(1023),
            "lead" => Some(1022),
            "min" => Some(10),
            _ => None,
        },
        _ => None,
    }
}

/// A notation's right-hand side with its free names resolved where the notation is declared
/// (Lean's macro hygiene): `normSq` becomes `_root_.StandardModel.HiggsField.normSq`.
fn preresolve(env: &Env, scope: &Scope, t: &Term, vars: &[String]) -> Term {
    use super::syntax::Arg;
    let r = |x: &Term| preresolve(env, scope, x, vars);
    let kind = match &t.kind {
        Kind::Ident(n) if !vars.contains(n) => match env.resolve(n, scope) {
            Ok(Some(res)) => {
                let mut full = format!("_root_.{}", res.full);
                for p in &res.projections {
                    full.push('.');
                    full.push_str(p);
                }
                Kind::Ident(full)
            }
            _ => t.kind.clone(),
        },
        Kind::App(f, args) => Kind::App(
            Box::new(r(f)),
            args.iter()
                .map(|a| match a {
                    Arg::Pos(x) => Arg::Pos(r(x)),
                    Arg::Named(n, x) => Arg::Named(n.clone(), r(x)),
                })
                .collect(),
        ),
        Kind::Binop(op, a, b) => Kind::Binop(*op, Box::new(r(a)), Box::new(r(b))),
        Kind::Neg(a) => Kind::Neg(Box::new(r(a))),
        Kind::Paren(a) => Kind::Paren(Box::new(r(a))),
        Kind::Coe(a) => Kind::Coe(Box::new(r(a))),
        Kind::Norm(a) => Kind::Norm(Box::new(r(a))),
        Kind::Abs(a) => Kind::Abs(Box::new(r(a))),
        other => other.clone(),
    };
    Term::new(kind, t.pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Env {
        let mut env = Env::default();
        env.files.push(super::super::env::FileInfo {
            path: "T.lean".into(),
            display: "T.lean".into(),
        });
        let symbols = declared_symbols(text);
        read_file(&mut env, 0, text, &symbols).unwrap();
        env
    }

    #[test]
    fn scopes_declarations_and_resolution() {
        let env = read(
            "namespace A\n\
             def exp (x : ℝ) : ℝ := x\n\
             namespace B\n\
             structure P where\n  μ2 : ℝ\n  m_pos : 0 < μ2\n\
             variable (p : P)\n\
             def f (x : ℝ) : ℝ := p.μ2 * x\n\
             end B\n\
             end A\n\
             open A.B\n\
             theorem t : True := trivial\n",
        );
        let f = &env.decls["A.B.f"];
        assert_eq!(f.scope.namespace, ["A", "B"]);
        assert_eq!(f.scope.variables.len(), 1);
        assert!(matches!(f.body, Body::Term(_)));
        let s = &env.structures["A.B.P"];
        assert_eq!(s.fields.len(), 2);
        let t = &env.decls["t"];
        assert_eq!(t.scope.opens, ["A.B"]);
        assert_eq!(env.resolve("f", &t.scope).unwrap().unwrap().full, "A.B.f");
        // Inside `A`, `exp` is `A.exp`; at the root with `open Real` it would be ambiguous.
        let mut sc = t.scope.as_ref().clone();
        sc.opens = vec!["Real".into(), "A".into()];
        assert!(matches!(
            env.resolve("exp", &sc),
            Err(super::super::env::ResolveError::Ambiguous { .. })
        ));
        assert_eq!(
            env.resolve("P.μ2", &t.scope).unwrap().unwrap().full,
            "A.B.P.μ2"
        );
    }

    #[test]
    fn notations_are_scoped_and_preresolved() {
        let env = read(
            "namespace H\n\
             def normSq (φ : ℝ) : ℝ := φ\n\
             scoped[H] notation \"‖\" φ1 \"‖_H^2\" => normSq φ1\n\
             end H\n\
             theorem t : True := trivial\n\
             namespace H\n\
             theorem u : True := trivial\n\
             end H\n",
        );
        assert_eq!(env.notations.len(), 1);
        let n = &env.notations[0];
        assert_eq!(n.scope, NotationScope::Scoped("H".into()));
        assert!(
            matches!(&n.notation.expansion.kind, Kind::App(f, _) if f.ident() == Some("_root_.H.normSq"))
        );
        assert!(env.notations_in(&env.decls["t"].scope).is_empty());
        assert_eq!(env.notations_in(&env.decls["H.u"].scope).len(), 1);
    }
}
