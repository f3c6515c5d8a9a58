//! The steps of a tactic block, read from a file's text (comments blanked, strings kept) the
//! way Lean's parser splits them, without Lean: a step is a tactic at the block's column (or
//! after a top-level `;`); a line at that column continues the step above while brackets are
//! open, after an operator or a keyword that needs more, or when it cannot start a tactic
//! (`| alt`, `<;>`, `_ = …`, `with …`). `·` bullets, `case … =>`/`next =>` alternatives and a
//! `by` ending a line open nested blocks, whose steps follow with a greater depth; a `by`
//! block ends at a bracket of the term around it (`⟨x, by simp⟩`). A `have h : T :=
//! by …` is also kept as a proof of its own. [`crate::mine`] calls this for every tactic
//! proof.

use theorist_leansrc::SourceFile;

use crate::mine::MinedStep;
use crate::normalise::{collapse_ws, is_ident_char};

/// A nested `have name : T := by` proof found inside a block.
pub(crate) struct HaveProof {
    pub line: u32,
    pub ty: String,
    /// Names the enclosing proof's earlier steps bound.
    pub context_names: Vec<String>,
    pub steps: Vec<MinedStep>,
}

/// The steps of the block whose `by` ends at byte `start` of `clean`, up to `end`, and the
/// `have … := by` proofs inside it.
pub(crate) fn block_steps(
    clean: &str,
    src: &SourceFile,
    start: usize,
    end: usize,
) -> (Vec<MinedStep>, Vec<HaveProof>) {
    let mut reader = Reader {
        clean,
        src,
        haves: Vec::new(),
    };
    let mut steps = Vec::new();
    reader.block(start, end, 0, &mut steps);
    (steps, reader.haves)
}

struct Reader<'a> {
    clean: &'a str,
    src: &'a SourceFile,
    haves: Vec<HaveProof>,
}

impl Reader<'_> {
    /// The block starting after byte `start`, at nesting `depth`; returns where it ended.
    fn block(&mut self, start: usize, end: usize, depth: u32, steps: &mut Vec<MinedStep>) -> usize {
        let Some(first) = first_code(self.clean, start, end) else {
            return end;
        };
        let (starts, block_end) = self.segment_starts(first, end);
        for (k, &s) in starts.iter().enumerate() {
            let e = starts
                .get(k + 1)
                .copied()
                .unwrap_or(block_end)
                .min(block_end);
            for (ps, pe) in split_semicolons(self.clean, s, e) {
                self.step(ps, pe, depth, steps);
            }
        }
        block_end
    }

    /// Where the steps of a block starting at `first` begin, and where the block ends: a line
    /// starting left of the block's column ends it, and so does a closing bracket the block
    /// did not open (`⟨x, by simp⟩`: it belongs to the term around the `by`).
    fn segment_starts(&self, first: usize, end: usize) -> (Vec<usize>, usize) {
        let clean = self.clean;
        let column = self.src.pos_of(first).column;
        let mut starts = vec![first];
        let mut brackets = Brackets::default();
        let mut line_from = first;
        loop {
            let le = line_end(clean, line_from).min(end);
            if let Some(close) = brackets.walk(&clean[line_from..le]) {
                return (starts, line_from + close);
            }
            let above = clean[line_from..le].trim_end();
            let Some(code) = next_code_line(clean, le, end) else {
                return (starts, end);
            };
            let col = self.src.pos_of(code).column;
            if col < column {
                return (starts, clean[..code].rfind('\n').map_or(code, |i| i + 1));
            }
            let rest = &clean[code..line_end(clean, code).min(end)];
            let continues = brackets.open() || ends_incomplete(above) || cannot_start_tactic(rest);
            if col == column && !continues {
                starts.push(code);
            }
            line_from = code;
        }
    }

    /// One step (or a bullet with its nested block).
    fn step(&mut self, start: usize, end: usize, depth: u32, steps: &mut Vec<MinedStep>) {
        let clean = self.clean;
        // A comma ending a step is the enclosing term's (`⟨by omega,` / `h⟩`): no Lean 4
        // tactic ends in one.
        let trimmed = clean[start..end].trim_end();
        let trimmed = trimmed.strip_suffix(',').unwrap_or(trimmed).trim_end();
        if trimmed.is_empty() {
            return;
        }
        // `· tac` / `. tac`: a nested block at the column of `tac`.
        for bullet in ["· ", ". ", "·\n"] {
            if trimmed.starts_with(bullet) || trimmed == bullet.trim() {
                let inner = start + bullet.trim_end().len();
                self.block(inner, end, depth + 1, steps);
                return;
            }
        }
        let pos = self.src.pos_of(start);
        let context_names = bound_by(steps);
        steps.push(MinedStep {
            tactic: collapse_ws(trimmed),
            line: pos.line,
            column: pos.column,
            depth,
            goal: None,
        });
        // Nested blocks: `by` or `=>` as the last token of a line of this step.
        let mut from = start;
        let alternatives = opens_alternatives(trimmed);
        while let Some((open, after)) = next_block_opener(clean, from, end, alternatives) {
            let mut nested = Vec::new();
            let extent = self.block_extent(start, after, end);
            let nested_end = self.block(after, extent, depth + 1, &mut nested);
            if let Some(ty) = have_type(&clean[start..open])
                && !nested.is_empty()
            {
                self.haves.push(HaveProof {
                    line: pos.line,
                    ty,
                    context_names: context_names.clone(),
                    steps: nested
                        .iter()
                        .map(|s| MinedStep {
                            depth: s.depth - depth - 1,
                            ..s.clone()
                        })
                        .collect(),
                });
            }
            steps.extend(nested);
            from = nested_end.max(after + 1);
        }
        if let Some(have) = self.one_line_have(start, end, trimmed, context_names) {
            self.haves.push(have);
        }
    }

    /// `have h : T := by tac` on one line: a one-line proof of `T`.
    fn one_line_have(
        &self,
        start: usize,
        end: usize,
        trimmed: &str,
        context_names: Vec<String>,
    ) -> Option<HaveProof> {
        let clean = self.clean;
        let by = trimmed.find(":= by ")?;
        if trimmed.contains('\n') {
            return None;
        }
        let ty = have_type(&trimmed[..by + 3])?;
        let tac_start = start + by + ":= by ".len();
        let tac_start =
            tac_start + (clean[tac_start..end].len() - clean[tac_start..end].trim_start().len());
        let steps: Vec<MinedStep> = split_semicolons(clean, tac_start, start + trimmed.len())
            .into_iter()
            .map(|(a, b)| {
                let p = self.src.pos_of(a);
                MinedStep {
                    tactic: collapse_ws(&clean[a..b]),
                    line: p.line,
                    column: p.column,
                    depth: 0,
                    goal: None,
                }
            })
            .collect();
        (!steps.is_empty()).then_some(HaveProof {
            line: self.src.pos_of(start).line,
            ty,
            context_names,
            steps,
        })
    }

    /// The end of a nested block starting after `after`, in the step starting at `step`: the
    /// first later line indented no more than the step (or the line holding the opener, if
    /// that is further left). The nested block's own column may end it sooner.
    fn block_extent(&self, step: usize, after: usize, end: usize) -> usize {
        let clean = self.clean;
        let opener_line_start = clean[..after].rfind('\n').map_or(0, |i| i + 1);
        let base = first_code_on_line(clean, opener_line_start, end)
            .map(|c| self.src.pos_of(c).column)
            .unwrap_or(0)
            .min(self.src.pos_of(step).column);
        let mut at = line_end(clean, after);
        while let Some(code) = next_code_line(clean, at, end) {
            if self.src.pos_of(code).column <= base {
                return clean[..code].rfind('\n').map_or(code, |i| i + 1);
            }
            at = line_end(clean, code);
        }
        end
    }
}

/// Names the steps bind, in order, without repeats.
fn bound_by(steps: &[MinedStep]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in steps {
        for n in crate::tactic_names::names(&s.tactic).bound {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// Bracket depth over a block's text, string literals skipped.
#[derive(Default)]
struct Brackets {
    depth: i32,
    in_string: bool,
}

impl Brackets {
    /// Walks `text`; the offset of a closing bracket that was never opened, if any.
    fn walk(&mut self, text: &str) -> Option<usize> {
        let mut escaped = false;
        for (i, c) in text.char_indices() {
            if self.in_string {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => self.in_string = true,
                '(' | '[' | '{' | '⟨' | '⦃' | '⟪' | '⁅' | '⟦' => self.depth += 1,
                ')' | ']' | '}' | '⟩' | '⦄' | '⟫' | '⁆' | '⟧' => {
                    self.depth -= 1;
                    if self.depth < 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        None
    }

    fn open(&self) -> bool {
        self.depth > 0 || self.in_string
    }
}

/// Whether a line ends where Lean needs more: an infix operator, a comma, `:=`, `↦`, or a
/// keyword whose argument follows (`calc`, `from`, `using`, `then`, `open Foo in`).
fn ends_incomplete(line: &str) -> bool {
    const OPERATORS: &[&str] = &[
        ",", "+", "-", "*", "/", "^", "=", "≤", "<", "≥", "≠", "∧", "∨", "↔", "→", ":=", "•", "∘",
        "∈", "∉", "⊆", "∪", "∩", "×", "▸", "<|", "|>", "$", "%", "∣", "=>", "↦", "<;>", "|>.",
    ];
    const KEYWORDS: &[&str] = &["calc", "from", "using", "then", "else", "with", "in", "fun"];
    // `simp at *`: the star is the location, not a product.
    if line.ends_with(" *") && line.contains(" at ") {
        return false;
    }
    if OPERATORS.iter().any(|op| line.ends_with(op)) {
        return true;
    }
    let last = line
        .rsplit(|c: char| !is_ident_char(c))
        .next()
        .unwrap_or("");
    KEYWORDS.contains(&last)
}

/// Whether a line cannot be the start of a tactic, so it continues the step above.
fn cannot_start_tactic(rest: &str) -> bool {
    rest.starts_with('|')
        || rest.starts_with("<;>")
        || rest.starts_with("_ ")
        || rest.starts_with([')', ']', '}', '⟩', '⦄', '⟫', '⁆', '⟧', ',', ':'])
        || ["with ", "else", "then ", "using ", "generalizing "]
            .iter()
            .any(|k| rest.starts_with(k))
}

/// Whether a step's `| pattern =>` alternatives hold tactics: the tactics `match`,
/// `induction … with`, `cases … with` and kin. A term's `match` (`use fun x => match x with
/// | 0 => 1`) has terms there.
fn opens_alternatives(step: &str) -> bool {
    matches!(
        crate::tactic_head(step),
        "match"
            | "induction"
            | "cases"
            | "rcases"
            | "fun_induction"
            | "fun_cases"
            | "induction'"
            | "cases'"
    )
}

/// The next `by`/`=>` in `[from, end)` that ends its line; returns (its offset, offset after
/// it). `alternatives`: whether `| pattern =>` opens tactics in this step.
fn next_block_opener(
    clean: &str,
    from: usize,
    end: usize,
    alternatives: bool,
) -> Option<(usize, usize)> {
    let mut at = from;
    while at < end {
        let le = line_end(clean, at).min(end);
        let line = &clean[at..le];
        let t = line.trim_end();
        for opener in [" by", "=>", "\tby"] {
            if opener == "=>" && !opens_tactics(t, alternatives) {
                continue;
            }
            if t.ends_with(opener) && (opener != " by" || t.len() >= 3) {
                let off = at + t.len() - opener.trim_start().len();
                if le < end {
                    return Some((off, off + opener.trim_start().len()));
                }
            }
        }
        if t == "by" && le < end {
            let off = at + line.find("by").unwrap_or(0);
            return Some((off, off + 2));
        }
        at = le + 1;
    }
    None
}

/// Whether a line ending in `=>` opens tactics (`| succ n ih =>`, `case h =>`, `next =>`,
/// `on_goal 2 =>`, `conv =>`) rather than a term (`fun x =>`).
fn opens_tactics(line: &str, alternatives: bool) -> bool {
    let t = line.trim_start();
    if t.starts_with('|') && !alternatives {
        return false;
    }
    let last_alt = t.rfind('|').map_or(t, |i| &t[i..]);
    if last_alt.contains("fun ")
        || last_alt.contains('λ')
        || last_alt.contains("match ") && !t.starts_with('|')
    {
        return false;
    }
    t.starts_with('|')
        || [
            "case ",
            "case' ",
            "next",
            "on_goal ",
            "conv",
            "· ",
            "all_goals",
            "any_goals",
            "focus",
        ]
        .iter()
        .any(|k| t.starts_with(k))
        || alternatives && t.contains(" with |")
}

/// `have h : T :=` (or `have h : T := by`) at the start of a step → `T`.
fn have_type(head: &str) -> Option<String> {
    let h = head.trim_start();
    let rest = h
        .strip_prefix("have ")
        .or_else(|| h.strip_prefix("haveI "))?;
    let rest = rest.trim_start();
    // `have name : T :=`: the name, then the first top-level `:`, then up to `:=`.
    let name_end = rest.find(|c: char| c.is_whitespace() || c == ':')?;
    let after_name = rest[name_end..].trim_start();
    let ty_and_more = after_name.strip_prefix(':')?;
    if ty_and_more.starts_with('=') {
        return None;
    }
    let stop = ty_and_more.rfind(":=")?;
    let ty = collapse_ws(&ty_and_more[..stop]);
    (!ty.is_empty()).then_some(ty)
}

/// Splits `[s, e)` at `;` outside brackets, before any `by`/`=>`/`fun` or a term's
/// `have`/`let` (after those a `;` belongs to a nested sequence or to the term:
/// `exact let ⟨u, hu⟩ := h; ⟨u, hu.symm⟩`).
fn split_semicolons(clean: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    let text = &clean[s..e];
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut piece = s;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        let word_start = !is_ident_char(prev);
        let word = |w: &str| {
            word_start
                && text[i..].starts_with(w)
                && !text[i + w.len()..]
                    .chars()
                    .next()
                    .is_some_and(is_ident_char)
        };
        match c {
            '(' | '[' | '{' | '⟨' => depth += 1,
            ')' | ']' | '}' | '⟩' => depth -= 1,
            ';' if depth == 0 && !(prev == '<' && text[i + 1..].starts_with('>')) => {
                out.push((piece, s + i));
                piece = s + i + 1;
            }
            'b' if word("by") => break,
            '=' if text[i..].starts_with("=>") => break,
            'f' if word("fun") => break,
            'h' | 'l' if (word("have") || word("let")) && term_position(&clean[piece..s + i]) => {
                break;
            }
            _ => {}
        }
        prev = c;
    }
    out.push((piece, e));
    // Leading whitespace of each piece belongs to nobody.
    out.into_iter()
        .filter_map(|(a, b)| {
            let skip = clean[a..b].len() - clean[a..b].trim_start().len();
            (a + skip < b).then_some((a + skip, b))
        })
        .collect()
}

/// Whether what follows `before` (a step's text so far) is a term: after `:=`, or after a
/// tactic that takes one (`exact`, `refine`, `apply`, `from`).
fn term_position(before: &str) -> bool {
    let t = before.trim_end();
    t.ends_with(":=")
        || ["exact", "refine", "refine'", "apply", "from", "show"]
            .iter()
            .any(|k| t.ends_with(k) && !t[..t.len() - k.len()].ends_with(is_ident_char))
}

fn line_end(s: &str, at: usize) -> usize {
    s[at.min(s.len())..].find('\n').map_or(s.len(), |i| at + i)
}

/// The first code of the lines after the line ending at `line_end_at`, before `end`.
fn next_code_line(clean: &str, line_end_at: usize, end: usize) -> Option<usize> {
    let mut at = line_end_at;
    loop {
        let line_start = at + 1;
        if line_start >= end {
            return None;
        }
        match first_code_on_line(clean, line_start, end) {
            Some(code) => return Some(code),
            None => at = line_end(clean, line_start),
        }
    }
}

fn first_code(s: &str, start: usize, end: usize) -> Option<usize> {
    let t = &s[start.min(end)..end];
    let off = t.len() - t.trim_start().len();
    (start + off < end).then_some(start + off)
}

fn first_code_on_line(s: &str, line_start: usize, end: usize) -> Option<usize> {
    let le = line_end(s, line_start).min(end);
    let line = &s[line_start..le];
    let off = line.len() - line.trim_start().len();
    (line_start + off < le).then_some(line_start + off)
}

#[cfg(test)]
mod tests {
    use crate::mine::mine_file;

    /// Layouts from PhysLean, FLT and PFR that once split a step in two or glued two.
    const CONTINUATIONS: &str = r#"
lemma pauli (A : ℝ) : A = A := by
  apply selfAdjoint_ext
  · simp only [pauliSelfAdjoint, AddSubgroup.coe_add,
    Algebra.mul_smul_comm, trace_add,
    ofReal_im, mul_zero]
    ring

lemma emb (i j : ℕ) (hij : i ≠ j) : i = i := by
  let e : ℕ :=
  (Finset.card {i, j}ᶜ
  (by rw [Finset.card_compl]; simp [hij]))
  rcases show i = 1 ∨ i = 4 from by
    have h : i ≤ 12 := by omega
    omega
  with h_one | h_four
  change f 0 + f 1 +
  f 2 = f 3
  open MeasureTheory in
  have : BorelSpace ℝ := inferInstance
  let _ : MeasurableFinGroup G := {
  }
  simp at *
  rfl

lemma anon (x : ℝ) : ∃ y, y = x := by
  refine ⟨x, by
    have h : x = x := rfl
    simp only [h]⟩
  · calc -- the bound
    x = x := rfl
    _ ≤ x := le_rfl

lemma wave (k : ℝ) : True := by
  · use fun u ij =>
      match ij with
      | (0, 0) => 0
      | (0, ⟨Nat.succ j, hj⟩) =>
        (- E₀ ⟨j, by grind⟩ / c) * cos (-k * u)
    intro t x
  trivial

lemma commas (x : ℝ) : True := by
  exact ⟨x, fun i ↦ by
      have hz : i ≠ 0 := by simp
      omega,
    fun i ↦ by
      exact let ⟨u, hu⟩ := h; ⟨u, hu.symm⟩⟩
  use 1, 2
  have hb : ∀ x, f x = ⟪x,
    x⟫_ℝ := by
    intro x
    simp
  have h2 {j : ℕ} (hj : j ∈ s)
  : A j ≤ 1 := by
    simp
  trivial
"#;

    #[test]
    fn steps_continue_across_lines_as_lean_reads_them() {
        let (proofs, _) = mine_file("r", "F.lean", CONTINUATIONS);
        let steps = |decl: &str| -> Vec<(String, u32)> {
            proofs
                .iter()
                .find(|p| p.decl == decl)
                .unwrap()
                .steps
                .iter()
                .map(|s| (s.tactic.clone(), s.depth))
                .collect()
        };
        let heads = |decl: &str| -> Vec<String> {
            steps(decl)
                .into_iter()
                .map(|(t, d)| format!("{d}:{}", crate::tactic_head(&t)))
                .collect()
        };
        // An open `[` carries the simp list over lines at the bullet's column.
        assert_eq!(heads("pauli"), ["0:apply", "1:simp", "1:ring"]);
        assert!(steps("pauli")[1].0.ends_with("ofReal_im, mul_zero]"));
        // Open brackets, `from by … with`, a trailing `+`, `open … in`, a structure
        // instance's `}`, and `at *` (a location, not a product).
        assert_eq!(
            heads("emb"),
            [
                "0:let", "0:rcases", "1:have", "1:omega", "0:change", "0:open", "0:let", "0:simp",
                "0:rfl"
            ]
        );
        let emb = steps("emb");
        assert!(emb[1].0.ends_with("with h_one | h_four"), "{emb:?}");
        assert_eq!(emb[4].0, "change f 0 + f 1 + f 2 = f 3");
        assert_eq!(
            emb[5].0,
            "open MeasureTheory in have : BorelSpace ℝ := inferInstance"
        );
        // A `by` block ends at a bracket it did not open; `calc` at a line's end goes on.
        assert_eq!(heads("anon"), ["0:refine", "1:have", "1:simp", "1:calc"]);
        assert_eq!(steps("anon")[2].0, "simp only [h]");
        // A term's `match` alternatives hold terms, not tactics.
        assert_eq!(heads("wave"), ["1:use", "1:intro", "0:trivial"]);
        // A `by` block inside a term ends at the term's comma (`use` keeps its own); a
        // term's `let … ;` is not a step separator; `: T` on its own line continues a `have`.
        assert_eq!(
            steps("commas"),
            [
                ("exact ⟨x, fun i ↦ by have hz : i ≠ 0 := by simp omega, fun i ↦ by exact let ⟨u, hu⟩ := h; ⟨u, hu.symm⟩⟩".to_string(), 0),
                ("have hz : i ≠ 0 := by simp".to_string(), 1),
                ("omega".to_string(), 1),
                ("exact let ⟨u, hu⟩ := h; ⟨u, hu.symm⟩".to_string(), 1),
                ("use 1, 2".to_string(), 0),
                (
                    "have hb : ∀ x, f x = ⟪x, x⟫_ℝ := by intro x simp".to_string(),
                    0
                ),
                ("intro x".to_string(), 1),
                ("simp".to_string(), 1),
                ("have h2 {j : ℕ} (hj : j ∈ s) : A j ≤ 1 := by simp".to_string(), 0),
                ("simp".to_string(), 1),
                ("trivial".to_string(), 0),
            ]
        );
    }
}
