//! Which identifiers a tactic *binds* (`intro x`, `obtain ⟨y, hy⟩ := …`, `fun z =>`, `∀ w,`,
//! `have h : …`, `rcases … with …`) and which it *refers to* (hypotheses, variables, lemmas,
//! definitions). The scope check ([`crate::scope`]) needs the second list: every reference
//! must resolve, while bound names are the tactic's own. A lexer and a small binder grammar,
//! not a Lean parser: a construct it does not recognise is read as references, so an unknown
//! construct can only make a tactic look *less* in scope, never more (fail closed).

/// One token of a tactic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    /// An identifier, possibly dotted (`Real.sqrt_nonneg`, `h.le`, `h.1`), with a leading
    /// `.` for anonymous-constructor names (`.inl`).
    Ident(String),
    /// `?_`, `?a`: a hole, named or not.
    Hole,
    Num,
    Str,
    /// Any other symbol; multi-character ones kept whole (`=>`, `:=`, `<;>`, `∀ᶠ`).
    Sym(String),
}

fn ident_start(c: char) -> bool {
    (c.is_alphabetic() || c == '_')
        && !is_notation_letter(c)
        && !('\u{2090}'..='\u{209c}').contains(&c)
        && !('\u{1d62}'..='\u{1d6a}').contains(&c)
        && !('\u{1d2c}'..='\u{1dbf}').contains(&c)
        && !('\u{02b0}'..='\u{02ff}').contains(&c)
}

fn ident_continue(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || c == '\''
        || c == '!'
        || c == '?'
        || ('\u{2080}'..='\u{209c}').contains(&c)
        || ('\u{1d62}'..='\u{1d6a}').contains(&c)
}

/// Letters Lean reads as symbols, never inside an identifier: `λ`, `Π`, `Σ` and the
/// quantifier-like big operators.
fn is_notation_letter(c: char) -> bool {
    matches!(c, 'λ' | 'Π' | 'Σ')
}

const MULTI_SYMS: &[&str] = &[
    "<;>", ":=", "=>", "<|>", "<|", "|>.", "|>", "..", "∀ᶠ", "∃ᶠ", "∃!", "->", "<-", "<->", "::",
];

/// Tokens of `tactic`, `--` comments dropped.
pub fn tokenize(tactic: &str) -> Vec<Tok> {
    let chars: Vec<char> = tactic.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(Tok::Str);
            continue;
        }
        if c == '«' {
            let start = i + 1;
            while i < chars.len() && chars[i] != '»' {
                i += 1;
            }
            out.push(Tok::Ident(
                chars[start..i.min(chars.len())].iter().collect(),
            ));
            i += 1;
            continue;
        }
        if c == '?'
            && chars
                .get(i + 1)
                .is_some_and(|n| *n == '_' || ident_start(*n))
        {
            i += 1;
            while i < chars.len() && ident_continue(chars[i]) {
                i += 1;
            }
            out.push(Tok::Hole);
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
            {
                i += 1;
            }
            out.push(Tok::Num);
            continue;
        }
        // `.inl h` (anonymous constructor) or `(e).le` (projection): typed by context.
        let leading_dot = c == '.' && chars.get(i + 1).is_some_and(|n| ident_start(*n));
        if ident_start(c) || leading_dot {
            let start = i;
            i += 1;
            loop {
                while i < chars.len() && ident_continue(chars[i]) {
                    i += 1;
                }
                // `a.b`, `h.1`: dotted continuation.
                if i + 1 < chars.len()
                    && chars[i] == '.'
                    && (ident_start(chars[i + 1]) || chars[i + 1].is_ascii_digit())
                {
                    i += 1;
                    continue;
                }
                break;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        if let Some(m) = MULTI_SYMS.iter().find(|m| rest.starts_with(**m)) {
            out.push(Tok::Sym(m.to_string()));
            i += m.chars().count();
            continue;
        }
        out.push(Tok::Sym(c.to_string()));
        i += 1;
    }
    out
}

fn word_list(text: &'static str) -> std::collections::HashSet<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Syntax keywords and tactic options (`at`, `with`, `only`, `using`, `config`), words of the
/// grammar wherever they stand (`crates/tactics/data/syntax-words.txt`).
pub fn is_syntax_word(w: &str) -> bool {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| word_list(include_str!("../data/syntax-words.txt")))
        .contains(w)
}

/// Tactic names (`simp`, `nlinarith`, `use`; `crates/tactics/data/tactic-words.txt`): the
/// tactic when it stands at a tactic's position, a term to resolve anywhere else.
pub fn is_tactic_name(w: &str) -> bool {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| word_list(include_str!("../data/tactic-words.txt")))
        .contains(w)
}

/// A syntax keyword or a tactic name.
pub fn is_tactic_word(w: &str) -> bool {
    is_syntax_word(w) || is_tactic_name(w)
}

/// Words after which a tactic starts (`by simp`, `try simp`, `all_goals simp`).
const COMBINATORS: &[&str] = &[
    "by",
    "try",
    "repeat",
    "repeat'",
    "all_goals",
    "any_goals",
    "focus",
    "first",
    "then",
    "else",
    "do",
];

/// Whether `toks[i]` stands where a tactic starts: first, or after `;`, `<;>`, `<|>`, `·`,
/// `=>`, `|`, a combinator (`by`, `try`, `all_goals`, …), `iterate N`/`on_goal N`, or an
/// opening parenthesis that itself stands there (`all_goals (try simp)`).
fn at_tactic_position(toks: &[Tok], i: usize) -> bool {
    let Some(p) = i.checked_sub(1) else {
        return true;
    };
    match &toks[p] {
        Tok::Sym(s) => match s.as_str() {
            ";" | "<;>" | "<|>" | "·" | "." | "=>" | "|" => true,
            "(" => at_tactic_position(toks, p),
            _ => false,
        },
        Tok::Ident(w) => COMBINATORS.contains(&w.as_str()),
        Tok::Num => p
            .checked_sub(1)
            .is_some_and(|q| matches!(&toks[q], Tok::Ident(w) if matches!(w.as_str(), "iterate" | "on_goal" | "pick_goal"))),
        _ => false,
    }
}

/// What a tactic binds and refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Names the tactic introduces (in scope for the rest of it and for later steps).
    pub bound: Vec<String>,
    /// Identifiers that must resolve: locals, bound names, or global declarations. Leading
    /// `@`/`←` removed; syntax keywords, tactic names where a tactic stands,
    /// anonymous-constructor names (`.inl`) and named arguments (`(n := 2)`) are not listed,
    /// since they are grammar or take their meaning from the expected type.
    pub references: Vec<String>,
}

/// Tactics after which identifiers up to the end of the tactic are bound.
const BIND_REST: &[&str] = &[
    "intro",
    "intros",
    "rintro",
    "rintros",
    "ext",
    "ext1",
    "funext",
    "rename_i",
    "by_contra",
    "by_contra!",
    "by_contra'",
    "introv",
    "clear",
];

/// Keywords after which a binder group ends at `:` or `:=` (`have h : T := …`).
const BIND_UNTIL_COLON: &[&str] = &[
    "have",
    "haveI",
    "let",
    "letI",
    "set",
    "set!",
    "obtain",
    "replace",
    "suffices",
    "wlog",
    "generalize",
];

/// Keywords after which a single name is bound only when `:` follows (`by_cases h : p`).
const BIND_IF_COLON: &[&str] = &[
    "by_cases",
    "if",
    "split_ifs",
    "rcases",
    "cases",
    "induction",
];

const QUANTIFIERS: &[&str] = &[
    "∀", "∃", "∃!", "∀ᶠ", "∃ᶠ", "∑", "∏", "⋃", "⋂", "⨆", "⨅", "∫", "Π", "Σ", "∮", "∑'", "∏'",
];

/// Splits a tactic's identifiers into bound names and references.
pub fn names(tactic: &str) -> Names {
    let toks = tokenize(tactic);
    let mut n = Names::default();
    let mut i = 0;
    while i < toks.len() {
        match binding_at(&toks, i, &mut n) {
            Some(next) => i = next,
            None => {
                reference_at(&toks, i, &mut n);
                i += 1;
            }
        }
    }
    n.bound.dedup();
    n
}

/// When a construct that binds names starts at `toks[i]`: its names recorded in `n`, and
/// where reading goes on. `None`: the token is read as a reference.
fn binding_at(toks: &[Tok], i: usize, n: &mut Names) -> Option<usize> {
    match &toks[i] {
        Tok::Ident(w) if BIND_REST.contains(&w.as_str()) => Some(bind_rest(toks, i, w, n)),
        Tok::Ident(w) if BIND_UNTIL_COLON.contains(&w.as_str()) => {
            Some(bind_until_colon(toks, i, w, n))
        }
        Tok::Ident(w) if BIND_IF_COLON.contains(&w.as_str()) => {
            let (Some(Tok::Ident(h)), Some(Tok::Sym(c))) = (toks.get(i + 1), toks.get(i + 2))
            else {
                return None;
            };
            if c != ":" {
                return None;
            }
            n.bound.push(h.clone());
            Some(i + 3)
        }
        // `set_option maxHeartbeats 400000 in`: an option name, not a declaration.
        Tok::Ident(w) if w == "set_option" => Some(i + 2),
        Tok::Ident(w) if w == "with" || w == "choose" || w == "next" => {
            Some(bind_alternatives(toks, i, w, n))
        }
        Tok::Ident(w) if w == "case" => {
            // `case tag x y =>`: the tag, then bound names.
            let j = if matches!(toks.get(i + 1), Some(Tok::Ident(_))) {
                i + 2
            } else {
                i + 1
            };
            Some(bind_group(toks, j, &["=>"], n).unwrap_or(j))
        }
        Tok::Ident(w) if w == "fun" => Some(binder_then_type(toks, i + 1, &["=>", "↦"], n)),
        Tok::Sym(s) if s == "λ" => Some(binder_then_type(toks, i + 1, &["=>", "↦", ","], n)),
        Tok::Sym(s) if QUANTIFIERS.contains(&s.as_str()) => {
            Some(binder_then_type(toks, i + 1, &[","], n))
        }
        // Set-builder `{x | p x}`, `{x : T | …}`, `{x ∈ s | …}`.
        Tok::Sym(s) if s == "{" => Some(set_builder(toks, i + 1, n).unwrap_or(i + 1)),
        _ => None,
    }
}

/// A keyword that binds every name after it (`intro x y`, `rintro ⟨a, b⟩`); `clear h` is the
/// exception, whose names must exist, so they are references.
fn bind_rest(toks: &[Tok], i: usize, w: &str, n: &mut Names) -> usize {
    let before = n.bound.len();
    let next =
        bind_group(toks, i + 1, &[";", "<;>", ")", "}", "]", ":", "using"], n).unwrap_or(i + 1);
    // `by_contra!` without a name calls the hypothesis `this`.
    if w == "by_contra!" && n.bound.len() == before {
        n.bound.push("this".into());
    }
    if w == "clear" {
        let b: Vec<String> = n.bound.drain(before..).collect();
        n.references.extend(b);
    }
    next
}

/// A keyword that binds the names before its `:` or `:=` (`have h : p`, `obtain ⟨x⟩ := e`);
/// without names the new fact is `this`.
fn bind_until_colon(toks: &[Tok], i: usize, w: &str, n: &mut Names) -> usize {
    let start = n.bound.len();
    match bind_group(toks, i + 1, &[":", ":="], n) {
        Some(j) => {
            if n.bound.len() == start && matches!(w, "have" | "haveI") {
                n.bound.push("this".into());
            }
            // `generalize h : e = x` binds `x` after the last top-level `=`.
            if w == "generalize"
                && let Some(x) = generalized_name(&toks[j..])
            {
                n.bound.push(x);
            }
            j
        }
        None => {
            // `suffices P by tac`, `obtain : P`: the new fact is `this`.
            if matches!(w, "suffices" | "obtain") {
                n.bound.push("this".into());
            }
            i + 1
        }
    }
}

/// `rcases h with ⟨x, hx⟩`, `induction n with | succ n ih => …`, `choose f hf using h`,
/// `next x hx => …`: the names of each alternative, and its tactics up to the next `|`.
fn bind_alternatives(toks: &[Tok], i: usize, w: &str, n: &mut Names) -> usize {
    let mut j = i + 1;
    loop {
        if matches!(toks.get(j), Some(Tok::Sym(s)) if s == "|") {
            j += 1;
            // The constructor tag of an alternative is not a binder.
            if matches!(toks.get(j), Some(Tok::Ident(_))) && w == "with" {
                j += 1;
            }
        }
        match bind_group(toks, j, &[";", "<;>", "=>", "using", ")"], n) {
            Some(k) => j = k,
            None => break,
        }
        // After `=>`: the alternative's tactics, up to the next top-level `|`.
        if matches!(toks.get(j), Some(Tok::Sym(s)) if s == "=>") {
            let end = next_top_level(toks, j + 1, "|");
            references_in(&toks[j + 1..end], n);
            j = end;
            if j < toks.len() {
                continue;
            }
        }
        break;
    }
    j.max(i + 1)
}

/// Records `toks[i]` as a reference when it is one.
fn reference_at(toks: &[Tok], i: usize, n: &mut Names) {
    let Tok::Ident(w) = &toks[i] else { return };
    if w.starts_with('.') || w == "_" {
        // `.inl h`, or a projection `(e).le` after a closing bracket.
        return;
    }
    if is_syntax_word(w) || is_tactic_name(w) && at_tactic_position(toks, i) {
        return;
    }
    // Named argument `(n := 2)`, or a field of a structure instance `{ toFun := f, … }`
    // (on a joined line the fields need not follow `{` or `,`).
    if matches!(toks.get(i + 1), Some(Tok::Sym(s)) if s == ":=") {
        let after_open = matches!(i.checked_sub(1).and_then(|p| toks.get(p)), Some(Tok::Sym(s)) if s == "(" || s == "{" || s == ",");
        let open_braces = toks[..i].iter().fold(0i32, |d, t| match t {
            Tok::Sym(s) if s == "{" => d + 1,
            Tok::Sym(s) if s == "}" => d - 1,
            _ => d,
        });
        if after_open || open_braces > 0 {
            return;
        }
    }
    // `e |>.mp`: a field of the value on the left.
    if matches!(i.checked_sub(1).and_then(|p| toks.get(p)), Some(Tok::Sym(s)) if s == "|>.") {
        return;
    }
    n.references.push(w.clone());
}

fn references_in(toks: &[Tok], n: &mut Names) {
    let inner = names_of_tokens(toks);
    n.bound.extend(inner.bound);
    n.references.extend(inner.references);
}

/// [`names`] on a token slice (for the tactics of an alternative).
fn names_of_tokens(toks: &[Tok]) -> Names {
    let text: Vec<String> = toks.iter().map(tok_text).collect();
    names(&text.join(" "))
}

fn tok_text(t: &Tok) -> String {
    match t {
        Tok::Ident(s) | Tok::Sym(s) => s.clone(),
        Tok::Hole => "?_".into(),
        Tok::Num => "0".into(),
        Tok::Str => "\"\"".into(),
    }
}

fn next_top_level(toks: &[Tok], from: usize, sym: &str) -> usize {
    let mut depth = 0i32;
    for (k, t) in toks.iter().enumerate().skip(from) {
        if let Tok::Sym(s) = t {
            match s.as_str() {
                "(" | "[" | "{" | "⟨" | "⦃" => depth += 1,
                ")" | "]" | "}" | "⟩" | "⦄" => depth -= 1,
                _ if depth == 0 && s == sym => return k,
                _ => {}
            }
        }
    }
    toks.len()
}

/// A binder group from `start`: names, `_`, anonymous-constructor patterns `⟨x, hx⟩`,
/// alternatives `h | h`, `rfl`, `-`, and typed groups `(x y : T)` whose type is read as
/// references. Ends at one of `stops` (returned index points at it) or at the end; `None`
/// (nothing recorded) when a token outside this grammar comes first.
fn bind_group(toks: &[Tok], start: usize, stops: &[&str], n: &mut Names) -> Option<usize> {
    let mut bound = Vec::new();
    let mut refs = Vec::new();
    let mut depth: Vec<&str> = Vec::new();
    let mut j = start;
    while j < toks.len() {
        let t = &toks[j];
        let is_stop = match t {
            Tok::Sym(s) | Tok::Ident(s) => depth.is_empty() && stops.contains(&s.as_str()),
            _ => false,
        };
        if is_stop {
            break;
        }
        // On a line joined from several, the next tactic ends the group.
        if depth.is_empty()
            && j > start
            && matches!(t, Tok::Ident(w) if is_tactic_word(w) && w != "rfl")
        {
            break;
        }
        match t {
            Tok::Ident(w) if w == "rfl" || w == "_" => {}
            Tok::Ident(w) if !w.contains('.') || w.starts_with('.') => {
                if !w.starts_with('.') {
                    bound.push(w.clone());
                }
            }
            Tok::Sym(s) => match s.as_str() {
                "⟨" | "(" | "⦃" | "{" => depth.push(closing(s)),
                "⟩" | ")" | "⦄" | "}" => {
                    if depth.pop() != Some(s.as_str()) {
                        return None;
                    }
                }
                "," | "|" | "-" | "@" | "_" => {}
                // A typed binder or pattern `(x : T)`: the type up to the closing bracket
                // is references.
                ":" if !depth.is_empty() => {
                    let close = *depth.last().expect("non-empty");
                    let mut k = j + 1;
                    let mut inner = 0i32;
                    while k < toks.len() {
                        if let Tok::Sym(s2) = &toks[k] {
                            if matches!(s2.as_str(), "(" | "[" | "{" | "⟨" | "⦃") {
                                inner += 1;
                            } else if matches!(s2.as_str(), ")" | "]" | "}" | "⟩" | "⦄") {
                                if inner == 0 && s2 == close {
                                    break;
                                }
                                inner -= 1;
                            }
                        }
                        k += 1;
                    }
                    let ty = names_of_tokens(&toks[j + 1..k.min(toks.len())]);
                    refs.extend(ty.references);
                    j = k;
                    continue;
                }
                "[" if depth.is_empty() => {
                    // An instance binder `[Group G]`: references.
                    let k = next_top_level(toks, j + 1, "]").min(toks.len());
                    refs.extend(names_of_tokens(&toks[j + 1..k]).references);
                    j = k + 1;
                    continue;
                }
                _ => return None,
            },
            _ => return None,
        }
        j += 1;
    }
    if !depth.is_empty() {
        return None;
    }
    n.bound.extend(bound);
    n.references.extend(refs);
    Some(j)
}

fn closing(open: &str) -> &'static str {
    match open {
        "⟨" => "⟩",
        "(" => ")",
        "⦃" => "⦄",
        _ => "}",
    }
}

/// After `fun`/`∀`/`∃`/`∑`…: a binder group, then optionally `: T`, `∈ s`, `> 0`, `in s`
/// (references) up to the end marker. Returns the index after the marker (or where
/// binding stopped).
fn binder_then_type(toks: &[Tok], start: usize, ends: &[&str], n: &mut Names) -> usize {
    let mut stops: Vec<&str> = ends.to_vec();
    stops.extend([
        ":", "∈", "∉", "<", "≤", ">", "≥", "≠", "⊆", "⊂", "in", "=>", "↦",
    ]);
    match bind_group(toks, start, &stops, n) {
        Some(j) => j,
        None => start,
    }
}

/// `{x | …}` and friends: binds `x` when the brace opens a set-builder.
fn set_builder(toks: &[Tok], start: usize, n: &mut Names) -> Option<usize> {
    let Some(Tok::Ident(x)) = toks.get(start) else {
        return None;
    };
    if x.contains('.') {
        return None;
    }
    match toks.get(start + 1) {
        Some(Tok::Sym(s)) if s == "|" => {
            n.bound.push(x.clone());
            Some(start + 2)
        }
        Some(Tok::Sym(s)) if s == ":" || s == "∈" => {
            let bar = next_top_level(toks, start + 2, "|");
            let close = next_top_level(toks, start + 2, "}");
            if bar < close {
                n.bound.push(x.clone());
                Some(start + 2)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `generalize h : e = x` → `x`.
fn generalized_name(toks: &[Tok]) -> Option<String> {
    let mut depth = 0i32;
    let mut last_eq = None;
    for (k, t) in toks.iter().enumerate() {
        if let Tok::Sym(s) = t {
            match s.as_str() {
                "(" | "[" | "{" | "⟨" => depth += 1,
                ")" | "]" | "}" | "⟩" => depth -= 1,
                "=" if depth == 0 => last_eq = Some(k),
                ";" | "<;>" if depth == 0 => break,
                _ => {}
            }
        }
    }
    match toks.get(last_eq? + 1) {
        Some(Tok::Ident(x)) if !x.contains('.') => Some(x.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(t: &str) -> Vec<String> {
        names(t).references
    }
    fn bound(t: &str) -> Vec<String> {
        names(t).bound
    }

    #[test]
    fn references_of_closers_and_lemma_calls() {
        assert_eq!(
            refs("nlinarith [sq_nonneg (x - y), mul_pos ha hb, h.le]"),
            ["sq_nonneg", "x", "y", "mul_pos", "ha", "hb", "h.le"]
        );
        assert_eq!(
            refs("simp only [Finset.sum_range_succ, ← two_mul] at h ⊢"),
            ["Finset.sum_range_succ", "two_mul", "h"]
        );
        assert_eq!(refs("exact ⟨?_, .inl h, (foo x).le⟩"), ["h", "foo", "x"]);
        assert_eq!(
            refs("norm_num (config := {decide := true})"),
            Vec::<String>::new()
        );
        assert_eq!(refs("exact { toFun := f invFun := g }"), ["f", "g"]);
        assert_eq!(refs("exact h |>.mp"), ["h"]);
        assert_eq!(
            refs("exact h.1.trans (by norm_num : (0:ℝ) < 2)"),
            ["h.1.trans", "ℝ"]
        );
    }

    #[test]
    fn a_tactic_name_is_the_tactic_only_where_a_tactic_stands() {
        // Where a tactic starts: the first word, after `;`, `<;>`, `·`, `=>`, `by`, `try`,
        // `all_goals (…)`, `iterate N`.
        assert!(refs("constructor <;> simp; ring").is_empty());
        assert!(refs("all_goals (try simp)").is_empty());
        assert!(refs("iterate 2 rw [h]").contains(&"h".to_string()));
        assert_eq!(refs("iterate 2 rw [h]"), ["h"]);
        assert!(refs("first | linarith | nlinarith").is_empty());
        // Elsewhere the same word is a term, and must resolve like any other.
        assert_eq!(refs("exact trans h1 h2"), ["trans", "h1", "h2"]);
        assert_eq!(refs("exact group"), ["group"]);
        assert_eq!(refs("nlinarith [bound, h]"), ["bound", "h"]);
        // Syntax keywords are grammar wherever they stand.
        assert_eq!(refs("simp only [foo] at h ⊢"), ["foo", "h"]);
    }

    #[test]
    fn binders_of_intro_obtain_fun_and_quantifiers() {
        assert_eq!(bound("intro x hx"), ["x", "hx"]);
        assert!(refs("intro x hx").is_empty());
        assert_eq!(bound("rintro ⟨x, rfl⟩ | h"), ["x", "h"]);
        let n = names("obtain ⟨x, hx⟩ := h");
        assert_eq!(n.bound, ["x", "hx"]);
        assert_eq!(n.references, ["h"]);
        let n = names("have h2 : 0 < x * y := mul_pos hx hy");
        assert_eq!(n.bound, ["h2"]);
        assert!(n.references.contains(&"mul_pos".to_string()));
        assert_eq!(bound("have := foo"), ["this"]);
        let n = names("exact fun ε hε => ⟨δ, hδ, fun y hy => h y⟩");
        assert_eq!(n.bound, ["ε", "hε", "y", "hy"]);
        assert_eq!(n.references, ["δ", "hδ", "h", "y"]);
        let n = names("show ∀ x : ℝ, ∃ n > 0, x < n");
        assert_eq!(n.bound, ["x", "n"]);
        assert_eq!(bound("obtain h | h := le_or_lt a b"), ["h"]);
        assert_eq!(refs("lift x to ℕ using hx with n hn"), ["x", "ℕ", "hx"]);
        assert_eq!(n.references, ["ℝ", "x", "n"]);
        let n = names("rcases h with ⟨a, ha⟩ | ⟨b, hb⟩");
        assert_eq!(n.bound, ["a", "ha", "b", "hb"]);
        assert_eq!(n.references, ["h"]);
        let n = names("induction n with | zero => simp | succ k ih => simp [ih, foo]");
        assert_eq!(n.bound, ["k", "ih"]);
        assert_eq!(n.references, ["n", "ih", "foo"]);
        assert_eq!(bound("by_cases h : x ≤ 0"), ["h"]);
        assert!(bound("by_cases x ≤ 0").is_empty());
        let n = names("generalize hk : n + 1 = k");
        assert_eq!(n.bound, ["hk", "k"]);
        assert_eq!(n.references, ["n", "k"]);
        let n = names("set y := x ^ 2 with hy");
        assert_eq!(n.bound, ["y", "hy"]);
        assert_eq!(bound("filter_upwards [h] with x hx"), ["x", "hx"]);
        let n = names("exact Set.ext fun z => by simp [Set.mem_setOf_eq, {w | w < z}]");
        assert!(n.bound.contains(&"w".to_string()));
    }

    #[test]
    fn unrecognised_binders_fall_back_to_references() {
        // `suffices` without a name: what follows is a term, every name a reference.
        let n = names("suffices 0 < x by linarith");
        assert_eq!(n.bound, ["this"]);
        assert!(n.references.contains(&"x".to_string()));
        // `clear` names existing hypotheses.
        assert_eq!(names("clear h hx").references, ["h", "hx"]);
        // A step joined from several lines: the binder group ends at the next tactic, which
        // no longer stands where a tactic starts, so it must resolve as a term (and a joined
        // step is never shown as one suggestion).
        let n = names("intro x exact foo x");
        assert_eq!(n.bound, ["x"]);
        assert_eq!(n.references, ["exact", "foo", "x"]);
    }
}
