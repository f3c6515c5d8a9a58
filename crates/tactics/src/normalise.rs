//! Goal text the way Lean's pretty-printer writes it. Training text comes from source
//! statements (`Real.sqrt 2`, `∑ k in s`, `(n : ℝ)`, binders) while live goals come from
//! `$/lean/plainGoal` (`√2`, `∑ k ∈ s`, `↑n`, hypotheses); both sides go through
//! [`normalise_goal`] so that the ranker sees one dialect. [`statement_to_goal`] turns a
//! theorem statement into the initial goal. Measured on the 859 real (statement, goal) pairs
//! of DeepSeek-Prover-V1.5's miniF2F/ProofNet files by `theorist model eval` and the tests.

/// Runs of whitespace become one space; ends trimmed.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalises a whole goal state: Lean's line continuations joined (it wraps at width 100
/// with an indent), each hypothesis and the target normalised as an expression, consecutive
/// hypotheses of the same type merged (`a : ℝ`, `b : ℝ` → `a b : ℝ`, as Lean prints them).
pub fn normalise_goal(goal: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for raw in goal.lines() {
        if raw.trim().is_empty() {
            lines.push(String::new());
            continue;
        }
        let continues = raw.starts_with(char::is_whitespace)
            && lines.last().is_some_and(|l: &String| !l.is_empty());
        if continues {
            let last = lines.last_mut().expect("checked");
            last.push(' ');
            last.push_str(raw.trim());
        } else {
            lines.push(raw.trim().to_string());
        }
    }
    let mut out: Vec<(String, String)> = Vec::new(); // (names, type) or ("⊢", target)
    let mut text = Vec::new();
    for line in lines {
        if line.is_empty() {
            flush(&mut out, &mut text);
            text.push(String::new());
            continue;
        }
        if let Some(t) = line.strip_prefix('⊢') {
            flush(&mut out, &mut text);
            text.push(format!("⊢ {}", normalise_expr(t)));
            continue;
        }
        if line.starts_with("case ") {
            flush(&mut out, &mut text);
            text.push(collapse_ws(&line));
            continue;
        }
        match split_hyp(&line) {
            Some((names, ty)) => {
                let ty = normalise_expr(ty);
                let names = collapse_ws(names);
                match out.last_mut() {
                    Some((n, t)) if *t == ty && !names.contains('✝') && !n.contains('✝') => {
                        n.push(' ');
                        n.push_str(&names);
                    }
                    _ => out.push((names, ty)),
                }
            }
            None => {
                flush(&mut out, &mut text);
                text.push(normalise_expr(&line));
            }
        }
    }
    flush(&mut out, &mut text);
    while text.last().is_some_and(|l| l.is_empty()) {
        text.pop();
    }
    text.join("\n")
}

fn flush(hyps: &mut Vec<(String, String)>, text: &mut Vec<String>) {
    for (n, t) in hyps.drain(..) {
        text.push(format!("{n} : {t}"));
    }
}

/// `names : type` of a hypothesis line (the first ` : ` outside brackets).
pub fn split_hyp(line: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in line.char_indices() {
        match c {
            '(' | '[' | '{' | '⦃' => depth += 1,
            ')' | ']' | '}' | '⦄' => depth -= 1,
            ':' if depth == 0 => {
                let names = line[..i].trim();
                let rest = &line[i + 1..];
                if rest.starts_with('=') || names.is_empty() {
                    return None;
                }
                if names
                    .split_whitespace()
                    .all(|n| n.chars().all(|c| is_ident_char(c) || c == '✝'))
                {
                    return Some((names, rest.trim()));
                }
                return None;
            }
            _ => {}
        }
    }
    None
}

pub fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || c == '\''
        || c == '.'
        || c == '!'
        || c == '?'
        || ('₀'..='₉').contains(&c)
        || ('ₐ'..='ₜ').contains(&c)
        || c == '✝'
}

fn is_atom_char(c: char) -> bool {
    is_ident_char(c) && c != '!' && c != '?'
}

/// Rewrites one expression into the printer's dialect.
pub fn normalise_expr(s: &str) -> String {
    let mut s = collapse_ws(s);
    for (from, to) in [
        ("λ ", "fun "),
        ("λ", "fun "),
        (" ↦ ", " => "),
        ("->", "→"),
        ("<->", "↔"),
        ("Real.pi", "π"),
        ("Real.exp ", "rexp "),
        ("Real.exp(", "rexp ("),
        ("Nat.factorial ", "Nat.factorial "),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    s = rewrite_sqrt(&s);
    for f in [
        "cos", "sin", "tan", "log", "logb", "arctan", "cosh", "sinh", "exp",
    ] {
        // With `open Real` (miniF2F's header, and most physics files) Lean prints `cos x`;
        // one canonical spelling for both sides.
        let q = format!("Real.{f} ");
        if s.contains(&q) {
            s = s.replace(&q, &format!("{f} "));
        }
    }
    s = rewrite_wrapped(&s, "abs (", "|", "|");
    s = rewrite_wrapped(&s, "Int.floor (", "⌊", "⌋");
    s = rewrite_wrapped(&s, "Int.ceil (", "⌈", "⌉");
    s = rewrite_set_builder(&s);
    s = rewrite_big_operators(&s);
    s = rewrite_not_mem(&s);
    s = rewrite_field_notation(&s);
    s = rewrite_casts(&s);
    s = rewrite_binders(&s);
    s = space_operators(&s);
    s = drop_trailing_fun_parens(&s);
    s = drop_leading_big_operator_parens(&s);
    collapse_ws(&s)
}

/// `Real.sqrt x` → `√x`, `Real.sqrt (a + b)` → `√(a + b)` (Mathlib's prefix notation, Lean
/// ≥ 4.9-era Mathlib).
fn rewrite_sqrt(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("Real.sqrt") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "Real.sqrt".len()..];
        let arg = after.trim_start();
        if arg.starts_with(|c: char| c == '(' || is_atom_char(c)) {
            out.push('√');
            rest = arg;
        } else {
            out.push_str("Real.sqrt");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `abs (e)` → `|e|`, `Int.floor (e)` → `⌊e⌋`: the notations the printer uses.
fn rewrite_wrapped(s: &str, prefix: &str, open: &str, close: &str) -> String {
    let mut out = s.to_string();
    while let Some(at) = out.find(prefix) {
        let inner_start = at + prefix.len();
        let Some(end) = matching(&out[inner_start - 1..], '(', ')') else {
            break;
        };
        let end = inner_start - 1 + end;
        let inner = out[inner_start..end].to_string();
        out.replace_range(at..end + 1, &format!("{open}{inner}{close}"));
    }
    out
}

/// `{ x : ℕ | p }` → `{x | p}`.
fn rewrite_set_builder(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(bar) = after.find('|')
            && let Some((name, _ty)) = after[..bar].split_once(':')
            && name.trim().chars().all(is_atom_char)
            && !name.trim().is_empty()
        {
            let body_end = after.find('}').unwrap_or(after.len());
            if bar < body_end {
                out.push_str(&format!(
                    "{{{} | {}}}",
                    name.trim(),
                    after[bar + 1..body_end].trim()
                ));
                rest = after.get(body_end + 1..).unwrap_or("");
                continue;
            }
        }
        out.push('{');
        rest = after;
    }
    out.push_str(rest);
    out
}

/// `(∑ k ∈ s, f k) = c` → `∑ k ∈ s, f k = c`: the printer leaves a leading big operator
/// unparenthesised.
fn drop_leading_big_operator_parens(s: &str) -> String {
    if !(s.starts_with("(∑") || s.starts_with("(∏")) {
        return s.to_string();
    }
    match matching(s, '(', ')') {
        Some(end)
            if s[end + 1..].starts_with(" = ")
                || s[end + 1..].starts_with(" ≤ ")
                || s[end + 1..].starts_with(" < ") =>
        {
            format!("{}{}", &s[1..end], &s[end + 1..])
        }
        _ => s.to_string(),
    }
}

/// `∑ k in s, f` → `∑ k ∈ s, f` (the `in` syntax is deprecated; the printer uses `∈`).
fn rewrite_big_operators(s: &str) -> String {
    let mut out = s.to_string();
    for op in ['∑', '∏'] {
        let mut from = 0;
        while let Some(rel) = out[from..].find(op) {
            let at = from + rel;
            let tail_start = at + op.len_utf8();
            let tail = &out[tail_start..];
            let comma = tail.find(',').unwrap_or(tail.len());
            if let Some(pos) = tail[..comma].find(" in ") {
                let abs = tail_start + pos;
                out.replace_range(abs..abs + 4, " ∈ ");
            }
            from = tail_start;
        }
    }
    out
}

/// `¬x ∈ A` / `¬ x ∈ A` → `x ∉ A`.
fn rewrite_not_mem(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find('¬') {
        out.push_str(&rest[..at]);
        let after = rest[at + '¬'.len_utf8()..].trim_start();
        let name_len = after
            .char_indices()
            .find(|(_, c)| !is_atom_char(*c))
            .map(|(i, _)| i)
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with(" ∈ ") {
            out.push_str(&after[..name_len]);
            out.push_str(" ∉ ");
            rest = &after[name_len + " ∈ ".len()..];
        } else {
            out.push('¬');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `Nat.Prime p` → `p.Prime` and friends: Lean's field notation (`pp.fieldNotation`) for
/// functions whose first explicit argument is a variable of that namespace's type. Only
/// names known to take such an argument first, and never a numeral (`Nat.lcm 9 10` stays).
fn rewrite_field_notation(s: &str) -> String {
    const FIELDS: &[&str] = &[
        "Nat.Prime",
        "Nat.gcd",
        "Nat.lcm",
        "Nat.succ",
        "Nat.totient",
        "Nat.divisors",
        "Nat.factorization",
        "Nat.Coprime",
        "Int.natAbs",
        "Int.toNat",
        "Int.gcd",
        "Polynomial.eval",
        "Polynomial.degree",
        "Polynomial.natDegree",
    ];
    let mut out = s.to_string();
    for f in FIELDS {
        let field = &f[f.find('.').expect("qualified") + 1..];
        let mut from = 0;
        while let Some(rel) = out[from..].find(f) {
            let at = from + rel;
            let before_ok = out[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !is_atom_char(c));
            let after = &out[at + f.len()..];
            let Some(arg) = after.strip_prefix(' ') else {
                from = at + f.len();
                continue;
            };
            let len = arg
                .char_indices()
                .find(|(_, c)| !is_atom_char(*c))
                .map(|(i, _)| i)
                .unwrap_or(arg.len());
            let name = &arg[..len];
            if !before_ok
                || len == 0
                || name.starts_with(|c: char| c.is_ascii_digit())
                || name.contains('.')
            {
                from = at + f.len();
                continue;
            }
            let replacement = format!("{name}.{field}");
            let end = at + f.len() + 1 + len;
            out.replace_range(at..end, &replacement);
            from = at + replacement.len();
        }
    }
    out
}

/// `(x : ℝ)` → `↑x` (a coercion the printer shows as `↑`), `(2 : ℝ)` → `2`.
fn rewrite_casts(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            // find matching close
            let mut depth = 0;
            let mut j = i;
            while j < chars.len() {
                match chars[j] {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j < chars.len() {
                let inner: String = chars[i + 1..j].iter().collect();
                if let Some((lhs, ty)) = inner.split_once(" : ") {
                    let lhs = lhs.trim();
                    let ty = ty.trim();
                    let simple_ty = matches!(ty, "ℝ" | "ℚ" | "ℤ" | "ℕ" | "ℂ" | "NNReal" | "ℝ≥0");
                    let binder = out.trim_end().ends_with('∀')
                        || out.trim_end().ends_with('∃')
                        || out.trim_end().ends_with("fun")
                        || out.trim_end().ends_with('∑')
                        || out.trim_end().ends_with('∏');
                    if simple_ty && !binder && !lhs.is_empty() {
                        if lhs.chars().all(|c| c.is_ascii_digit() || c == '.') {
                            out.push_str(lhs);
                            i = j + 1;
                            continue;
                        }
                        if lhs.chars().all(is_atom_char) {
                            out.push('↑');
                            out.push_str(lhs);
                            i = j + 1;
                            continue;
                        }
                    }
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `∀ x y : ℝ, P` → `∀ (x y : ℝ), P`; `∃ x : ℝ, P` → `∃ x, P` (the printer's binder style).
fn rewrite_binders(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    loop {
        let next = rest.find(['∀', '∃']);
        let Some(at) = next else { break };
        let q = rest[at..].chars().next().expect("found");
        out.push_str(&rest[..at + q.len_utf8()]);
        let after = &rest[at + q.len_utf8()..];
        let comma = after.find(',');
        match comma {
            Some(c) => {
                let binder = after[..c].trim();
                if !binder.starts_with('(')
                    && let Some((names, ty)) = binder.split_once(" : ")
                    && names
                        .split_whitespace()
                        .all(|n| n.chars().all(is_atom_char))
                    && !ty.contains(['∀', '∃', '('])
                {
                    if q == '∀' {
                        out.push_str(&format!(" ({} : {}),", names.trim(), ty.trim()));
                    } else if names.split_whitespace().count() == 1 {
                        out.push_str(&format!(" {},", names.trim()));
                    } else {
                        out.push_str(&after[..c + 1]);
                    }
                } else if q == '∃'
                    && binder.starts_with('(')
                    && binder.ends_with(')')
                    && let Some((names, _)) = binder[1..binder.len() - 1].split_once(" : ")
                    && names.split_whitespace().count() == 1
                {
                    out.push_str(&format!(" {},", names.trim()));
                } else {
                    out.push_str(&after[..c + 1]);
                }
                rest = &after[c + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Spaces around binary operators (`p*q` → `p * q`), as the printer writes them. A `-` is
/// binary only after an operand.
fn space_operators(s: &str) -> String {
    const OPS: &[&str] = &[
        ":=", "=>", "≤", "≥", "≠", "<", ">", "=", "+", "*", "/", "^", "∣", "→", "↔", "∧", "∨", "•",
        "∈", "∉", "⊆", "∩", "∪", "%",
    ];
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        // Type* and the like stay glued.
        if chars[i] == '*' && out.ends_with("Type") {
            out.push('*');
            i += 1;
            continue;
        }
        if let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) {
            let n = op.chars().count();
            let glued_next = i + n < chars.len() && matches!(chars[i + n], '=' | '>' | '<');
            if !glued_next {
                push_spaced(&mut out, op);
                i += n;
                continue;
            }
        }
        if chars[i] == '-' {
            let prev = out.trim_end().chars().next_back();
            let binary = prev
                .is_some_and(|c| is_atom_char(c) || matches!(c, ')' | ']' | '|' | '²' | '⁻' | '¹'));
            let spaced_before = out.ends_with(' ');
            if binary && (spaced_before || !out.ends_with('^')) {
                push_spaced(&mut out, "-");
                i += 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn push_spaced(out: &mut String, op: &str) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with(['(', '[', '{']) {
        out.push(' ');
    }
    out.push_str(op);
    out.push(' ');
}

/// `Continuous (fun x => e)` → `Continuous fun x => e`: a trailing lambda argument is
/// printed without parentheses.
fn drop_trailing_fun_parens(s: &str) -> String {
    if !s.ends_with(')') {
        return s.to_string();
    }
    let Some(open) = s.rfind("(fun ") else {
        return s.to_string();
    };
    // the group must close exactly at the end
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    if open + i + 1 == s.len() {
                        return format!("{}{}", &s[..open], &s[open + 1..s.len() - 1]);
                    }
                    return s.to_string();
                }
            }
            _ => {}
        }
    }
    s.to_string()
}

/// The initial goal of a theorem statement (`theorem n (x : ℝ) (h : 0 < x) : P := by`):
/// binders become hypotheses (instance binders `inst✝ⁿ`, universe-polymorphic `Type*` →
/// `Type u_i`), then `⊢ P`, normalised. `None` when there is no `:` type.
pub fn statement_to_goal(statement: &str) -> Option<String> {
    let s = statement.trim();
    let s = strip_body(s);
    let mut rest = s;
    for kw in ["theorem ", "lemma ", "def ", "example", "abbrev "] {
        if let Some(r) = rest.strip_prefix(kw) {
            rest = r.trim_start();
            if kw != "example" {
                let end = rest
                    .find(|c: char| {
                        c.is_whitespace() || c == '(' || c == '{' || c == '[' || c == ':'
                    })
                    .unwrap_or(rest.len());
                rest = &rest[end..];
            }
            break;
        }
    }
    let mut hyps: Vec<(String, String, bool)> = Vec::new();
    let mut universe = 0;
    let mut rest = rest.trim_start();
    while let Some(open) = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '(' | '{' | '[' | '⦃'))
    {
        let close = match open {
            '(' => ')',
            '{' => '}',
            '[' => ']',
            _ => '⦄',
        };
        let end = matching(rest, open, close)?;
        let inner = collapse_ws(&rest[open.len_utf8()..end]);
        match split_top_colon(&inner) {
            Some((names, ty)) if open != '[' || !names.trim().is_empty() => {
                let mut ty = ty.trim().to_string();
                for _ in 0..ty.matches("Type*").count() {
                    universe += 1;
                    ty = ty.replacen("Type*", &format!("Type u_{universe}"), 1);
                }
                // Each name of `{G H : Type*}` gets its own universe.
                if ty.starts_with("Type u_") && names.split_whitespace().count() > 1 {
                    universe -= 1;
                    for n in names.split_whitespace() {
                        universe += 1;
                        hyps.push((n.to_string(), format!("Type u_{universe}"), false));
                    }
                } else {
                    hyps.push((names.trim().to_string(), ty, false));
                }
            }
            // `{n m}`: names whose type Lean infers; shown with `_` (the elaborated type is
            // not known without Lean).
            _ if open != '['
                && !inner.trim().is_empty()
                && inner
                    .split_whitespace()
                    .all(|n| n.chars().all(is_ident_char)) =>
            {
                hyps.push((inner.trim().to_string(), "_".to_string(), false));
            }
            _ => hyps.push((String::new(), inner.trim().to_string(), true)),
        }
        rest = rest[end + close.len_utf8()..].trim_start();
    }
    let target = rest.strip_prefix(':')?.trim();
    let instances = hyps.iter().filter(|h| h.2).count();
    let mut seen = 0;
    let mut lines = Vec::new();
    for (names, ty, inst) in hyps {
        if inst {
            seen += 1;
            lines.push(format!("inst✝{} : {ty}", superscript(instances - seen)));
        } else {
            lines.push(format!("{names} : {ty}"));
        }
    }
    lines.push(format!("⊢ {target}"));
    Some(normalise_goal(&lines.join("\n")))
}

fn superscript(n: usize) -> String {
    if n == 0 {
        return String::new();
    }
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .map(|d| DIGITS[d.to_digit(10).expect("digit") as usize])
        .collect()
}

fn strip_body(s: &str) -> &str {
    // the last `:=` at bracket depth 0
    let mut depth = 0i32;
    let mut last = None;
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    for (k, (i, c)) in bytes.iter().enumerate() {
        match c {
            '(' | '[' | '{' | '⦃' => depth += 1,
            ')' | ']' | '}' | '⦄' => depth -= 1,
            ':' if depth == 0 && bytes.get(k + 1).is_some_and(|(_, n)| *n == '=') => {
                last = Some(*i);
                break;
            }
            _ => {}
        }
    }
    match last {
        Some(i) => s[..i].trim_end(),
        None => s,
    }
}

fn split_top_colon(s: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ':' if depth == 0 && !s[i + 1..].starts_with('=') => {
                return Some((&s[..i], &s[i + 1..]));
            }
            _ => {}
        }
    }
    None
}

fn matching(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_forms() {
        assert_eq!(normalise_expr("Real.sqrt 2 * x"), "√2 * x");
        assert_eq!(normalise_expr("Real.sqrt (x+1)"), "√(x + 1)");
        assert_eq!(
            normalise_expr("∑ k in Finset.range n, k"),
            "∑ k ∈ Finset.range n, k"
        );
        assert_eq!(normalise_expr("(n : ℝ) + (2 : ℝ)"), "↑n + 2");
        assert_eq!(normalise_expr("p*q - 1"), "p * q - 1");
        assert_eq!(normalise_expr("-a - b ^ 2"), "-a - b ^ 2");
        assert_eq!(normalise_expr("Nat.Prime p"), "p.Prime");
        assert_eq!(normalise_expr("Nat.lcm 9999 100001"), "Nat.lcm 9999 100001");
        assert_eq!(normalise_expr("¬ x ∈ A"), "x ∉ A");
        assert_eq!(normalise_expr("∀ x y : ℝ, x = y"), "∀ (x y : ℝ), x = y");
        assert_eq!(
            normalise_expr("Continuous (λ x => min (f x) (g x))"),
            "Continuous fun x => min (f x) (g x)"
        );
        assert_eq!(normalise_expr("x ^ (-1 : ℤ)"), "x ^ (-1 : ℤ)");
    }

    #[test]
    fn statements_become_goals() {
        let g = statement_to_goal(
            "theorem t (a b : ℝ) (h₀ : a = -1) (h₁ : b = 5) : -a - b ^ 2 + 3 * (a * b) = -39 := by\n",
        )
        .unwrap();
        assert_eq!(
            g,
            "a b : ℝ\nh₀ : a = -1\nh₁ : b = 5\n⊢ -a - b ^ 2 + 3 * (a * b) = -39"
        );
        let g = statement_to_goal("theorem t {G : Type*} [Group G] [Fintype G] (x : G) : x = x :=")
            .unwrap();
        assert_eq!(
            g,
            "G : Type u_1\ninst✝¹ : Group G\ninst✝ : Fintype G\nx : G\n⊢ x = x"
        );
    }

    #[test]
    fn goal_normalisation_is_idempotent() {
        let g = "x y : ℝ\nh : 0 < x\n⊢ 0 ≤ x ^ 2 +\n    y";
        let once = normalise_goal(g);
        assert_eq!(once, "x y : ℝ\nh : 0 < x\n⊢ 0 ≤ x ^ 2 + y");
        assert_eq!(normalise_goal(&once), once);
    }
}
