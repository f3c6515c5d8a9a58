//! What a suggestion may name, and the check that it names nothing else. In scope are: the
//! goal's hypotheses and variables, names the suggestion binds itself (`intro x`, `obtain ⟨y,
//! hy⟩ := …`), declarations of the current file above the goal, library declarations visible
//! through the file's imports ([`crate::index`]), tactic and syntax keywords, and a few
//! notations (`ℝ`, `π`). Every ranker's list goes through [`Scope::retain`] before anyone sees
//! it: a suggestion with one reference that does not resolve is dropped, never shown.
//!
//! Local names also get a *slot class* ([`SlotClass`]) from their type, so that tactic
//! templates fill a hypothesis slot with a hypothesis and a real-number slot with a real.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

use crate::context::FileContext;
use crate::goal::Goal;
use crate::index::{NameIndex, Visible, resolves_with};
use crate::tactic_names::names;
use crate::{Suggestion, normalise};

/// The kind of thing a local name is, coarse enough to read off its type's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SlotClass {
    /// A proof of a proposition (`h : 0 < x`).
    Hyp,
    /// A natural number, integer or `Fin n`.
    Discrete,
    /// A real, rational, complex or extended non-negative number.
    Field,
    /// A function (`f : ℝ → ℝ`).
    Function,
    /// A type (`E : Type u_1`).
    Type,
    /// Any other term (a vector, a set, a structure).
    Term,
    /// Not a local: a definition the goal's target names (`energy`, `MyLib.kinetic`), so that
    /// `unfold ?c0` and `simp [?c0]` are templates ([`crate::template::template_names`]).
    Const,
    /// A slot of a template written before slots had classes (`?0`): any local fills it.
    Any,
}

impl SlotClass {
    pub fn letter(self) -> char {
        match self {
            SlotClass::Hyp => 'h',
            SlotClass::Discrete => 'n',
            SlotClass::Field => 'r',
            SlotClass::Function => 'f',
            SlotClass::Type => 't',
            SlotClass::Term => 'x',
            SlotClass::Const => 'c',
            SlotClass::Any => 'a',
        }
    }

    pub fn from_letter(c: char) -> Option<SlotClass> {
        Some(match c {
            'h' => SlotClass::Hyp,
            'n' => SlotClass::Discrete,
            'r' => SlotClass::Field,
            'f' => SlotClass::Function,
            't' => SlotClass::Type,
            'x' => SlotClass::Term,
            'c' => SlotClass::Const,
            'a' => SlotClass::Any,
            _ => return None,
        })
    }

    /// The class of a local whose type is `ty` (as Lean prints it).
    pub fn of_type(ty: &str) -> SlotClass {
        let t = ty.trim();
        if t.starts_with("Type") || t.starts_with("Sort") || t == "Prop" {
            return SlotClass::Type;
        }
        if is_prop(t) {
            return SlotClass::Hyp;
        }
        if matches!(t, "ℕ" | "ℤ" | "Nat" | "Int" | "ℕ+" | "PNat") || t.starts_with("Fin ") {
            return SlotClass::Discrete;
        }
        if matches!(
            t,
            "ℝ" | "ℚ"
                | "ℂ"
                | "Real"
                | "Rat"
                | "Complex"
                | "NNReal"
                | "ℝ≥0"
                | "ℝ≥0∞"
                | "ENNReal"
                | "EReal"
        ) {
            return SlotClass::Field;
        }
        if top_level_arrow(t) {
            return SlotClass::Function;
        }
        SlotClass::Term
    }
}

/// Whether a type reads as a proposition: a relation or connective at any level, or a
/// predicate applied to arguments.
fn is_prop(t: &str) -> bool {
    const RELATIONS: &[&str] = &[
        " = ", " ≠ ", " < ", " > ", " ≤ ", " ≥ ", " ∣ ", " ∈ ", " ∉ ", " ⊆ ", " ⊂ ", " ∧ ", " ∨ ",
        " ↔ ", " ≡ ", " ≃ ", "¬", "∀", "∃", " =ᶠ", " ≤ᶠ",
    ];
    if matches!(t, "True" | "False") || RELATIONS.iter().any(|r| t.contains(r)) {
        return true;
    }
    if t.contains(" → ") {
        // `p → q` between propositions is caught above by their relations; a bare arrow
        // between types is a function type.
        return false;
    }
    let head = t.split_whitespace().next().unwrap_or_default();
    let last = head.rsplit('.').next().unwrap_or(head);
    const PREDICATES: &[&str] = &[
        "Continuous",
        "ContinuousOn",
        "ContinuousAt",
        "Differentiable",
        "DifferentiableAt",
        "DifferentiableOn",
        "HasDerivAt",
        "HasFDerivAt",
        "HasSum",
        "Summable",
        "Tendsto",
        "Monotone",
        "Antitone",
        "StrictMono",
        "StrictAnti",
        "MonotoneOn",
        "AntitoneOn",
        "StrictMonoOn",
        "StrictAntiOn",
        "Injective",
        "Surjective",
        "Bijective",
        "Even",
        "Odd",
        "Prime",
        "Irreducible",
        "Nonempty",
        "Finite",
        "Infinite",
        "Countable",
        "Integrable",
        "IntegrableOn",
        "Measurable",
        "AEMeasurable",
        "ContDiff",
        "ContDiffAt",
        "Convex",
        "ConvexOn",
        "ConcaveOn",
        "StrictConvexOn",
        "BddAbove",
        "BddBelow",
        "Disjoint",
        "Commute",
        "IsUnit",
        "Squarefree",
        "Coprime",
        "Eventually",
        "Frequently",
        "Dense",
        "IsOpen",
        "IsClosed",
        "IsCompact",
        "Nontrivial",
        "Subsingleton",
        "IntervalIntegrable",
        "AnalyticAt",
        "Periodic",
        "Antiperiodic",
        "Function.Injective",
    ];
    if PREDICATES.contains(&last) || PREDICATES.contains(&head) {
        return true;
    }
    // `IsMinOn f s a`, `HasFiniteIntegral f`: Mathlib's naming for predicates.
    (last.starts_with("Is") || last.starts_with("Has"))
        && last.chars().nth(2).is_some_and(char::is_uppercase)
        || last.starts_with("Has") && last.chars().nth(3).is_some_and(char::is_uppercase)
}

fn top_level_arrow(t: &str) -> bool {
    let mut depth = 0i32;
    for (i, c) in t.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '→' if depth == 0 => return i > 0,
            _ => {}
        }
    }
    false
}

/// A name of the goal's context with its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    pub name: String,
    pub ty: String,
    pub class: SlotClass,
}

/// The goal's hypotheses and variables that a tactic can name (inaccessible `x✝` and
/// instance names left out), most recent first.
pub fn locals(goal: &Goal) -> Vec<Local> {
    goal.hyps
        .iter()
        .rev()
        .filter(|(n, _)| !n.contains('✝'))
        .map(|(n, t)| Local {
            name: n.clone(),
            ty: t.clone(),
            class: SlotClass::of_type(t),
        })
        .collect()
}

/// Identifiers the goal mentions freely, as written (`quartic`, `Real.sqrt`): every hypothesis
/// type and the target, with names bound inside them (`∀ x,`) left out. Lean printed them
/// here, so they resolve here; a suggestion may repeat them, but only whole (`Real.sqrt` in the
/// goal vouches for neither `Real` nor `Real.sqrt_nonneg`).
fn mentioned(goal: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let Some(g) = Goal::parse(goal) else {
        return out;
    };
    for text in g.hyps.iter().map(|(_, t)| t).chain([&g.target]) {
        let n = names(text);
        for r in n.references {
            let first = r.split('.').next().unwrap_or_default();
            if !n.bound.iter().any(|b| b == first) {
                out.insert(r);
            }
        }
    }
    out
}

/// Notations that read as identifiers: number systems, `π` (`open Real`), filters.
const NOTATIONS: &[&str] = &[
    "ℝ",
    "ℕ",
    "ℤ",
    "ℚ",
    "ℂ",
    "ℍ",
    "π",
    "𝓝",
    "𝓝ˢ",
    "𝓟",
    "ℝ≥0",
    "ℝ≥0∞",
    "𝔼",
    "ℙ",
    "_ℝ",
    "_ℂ",
    "_𝕜",
    "ℚ_",
    "ℤ_",
];

/// Never shown, whatever the ranker: they prove nothing.
const FORBIDDEN: &[&str] = &["sorry", "admit", "stop"];

/// Everything a suggestion may refer to at one goal.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub locals: Vec<Local>,
    /// Names the goal's text itself mentions (free, not bound inside it): locals, constants
    /// and notations the printer showed, so nameable here.
    pub in_goal: HashSet<String>,
    /// Names earlier steps of the proof introduced (for a later step of a mined proof).
    pub introduced: Vec<String>,
    /// Namespace prefixes a short name resolves under (innermost first, root last).
    pub prefixes: Vec<String>,
    pub visible: Visible,
    pub index: &'a NameIndex,
    /// Full names declared in the current file above the goal.
    pub file_names: HashSet<String>,
}

impl<'a> Scope<'a> {
    /// A goal with no file around it: every indexed name is visible, from the root namespace.
    pub fn of_goal(goal: &str, index: &'a NameIndex) -> Scope<'a> {
        Scope {
            locals: Goal::parse(goal).map(|g| locals(&g)).unwrap_or_default(),
            in_goal: mentioned(goal),
            introduced: Vec::new(),
            prefixes: vec![String::new()],
            visible: Visible::All,
            index,
            file_names: HashSet::new(),
        }
    }

    /// A goal inside a file: the file's imports decide what the index may offer, its
    /// namespaces and `open`s how short names resolve, and its declarations above `line`
    /// are in scope too. `decl_name` (the declaration being proved) opens its own namespace,
    /// as Lean does inside `theorem Foo.bar`.
    pub fn in_file(
        goal: &str,
        ctx: &FileContext,
        declared_above: impl IntoIterator<Item = String>,
        decl_name: Option<&str>,
        index: &'a NameIndex,
    ) -> Scope<'a> {
        let mut prefixes = Vec::new();
        if let Some((ns, _)) = decl_name.and_then(|d| d.rsplit_once('.')) {
            let parts: Vec<&str> = ns.split('.').collect();
            for k in (1..=parts.len()).rev() {
                prefixes.push(parts[..k].join("."));
            }
        }
        for p in ctx.resolution_prefixes() {
            if !prefixes.contains(&p) {
                prefixes.push(p);
            }
        }
        Scope {
            locals: Goal::parse(goal).map(|g| locals(&g)).unwrap_or_default(),
            in_goal: mentioned(goal),
            introduced: Vec::new(),
            prefixes,
            visible: index.visible_from(&ctx.imports),
            index,
            file_names: declared_above.into_iter().collect(),
        }
    }

    /// A hypothesis or variable of the goal, or a name an earlier step introduced.
    fn is_local(&self, name: &str) -> bool {
        self.locals.iter().any(|l| l.name == name) || self.introduced.iter().any(|n| n == name)
    }

    /// The references of `tactic` that do not resolve (empty: the tactic is in scope).
    pub fn unresolved(&self, tactic: &str) -> Vec<String> {
        let n = names(tactic);
        let bound: HashSet<&str> = n.bound.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        for r in &n.references {
            if !self.resolves(r, &bound) && !out.contains(r) {
                out.push(r.clone());
            }
        }
        out
    }

    fn resolves(&self, r: &str, bound: &HashSet<&str>) -> bool {
        if FORBIDDEN.contains(&r) {
            return false;
        }
        if NOTATIONS.contains(&r) || self.in_goal.contains(r) {
            return true;
        }
        // A local with a field or projection (`h.le`, `x.1`): what the field means is the
        // local's type's business, and Lean checks it.
        let first = r.split('.').next().unwrap_or(r);
        if bound.contains(first) || self.is_local(first) {
            return true;
        }
        let file = |full: &str| self.file_names.contains(full);
        resolves_with(r, &self.prefixes, &file)
            || self.index.resolves(r, &self.prefixes, &self.visible)
    }

    pub fn admits(&self, tactic: &str) -> bool {
        !tactic.trim().is_empty()
            && !has_unfilled_slot(tactic)
            && self.unresolved(tactic).is_empty()
    }

    /// [`Scope::admits`] remembering its answers: a ranker asks about the same tactic many
    /// times (one per neighbour that proposed it).
    pub fn memoised(&self) -> impl Fn(&str) -> bool + '_ {
        let seen: RefCell<HashMap<String, bool>> = RefCell::default();
        move |tactic: &str| {
            if let Some(ok) = seen.borrow().get(tactic) {
                return *ok;
            }
            let ok = self.admits(tactic);
            seen.borrow_mut().insert(tactic.to_string(), ok);
            ok
        }
    }

    /// Keeps the suggestions that are in scope; returns how many were dropped.
    pub fn retain(&self, list: &mut Vec<Suggestion>) -> usize {
        let before = list.len();
        list.retain(|s| self.admits(&s.tactic));
        before - list.len()
    }

    /// Locals of `class`, most recent first.
    pub fn of_class(&self, class: SlotClass) -> Vec<&Local> {
        self.locals.iter().filter(|l| l.class == class).collect()
    }
}

/// Scopes of goals in the files of mined repositories; each file is read (contexts,
/// declarations, import closure) once.
pub struct FileSites<'a> {
    roots: HashMap<String, PathBuf>,
    index: &'a NameIndex,
    /// Each (repository, file) read once; `None` when it could not be read.
    cache: RefCell<HashMap<SiteKey, Option<Rc<FileSite>>>>,
}

/// (repository, file).
type SiteKey = (String, String);

struct FileSite {
    contexts: Vec<(u32, FileContext)>,
    decls: Vec<(u32, String)>,
    visible: Visible,
}

impl<'a> FileSites<'a> {
    /// `roots`: each repository's folder.
    pub fn new(roots: HashMap<String, PathBuf>, index: &'a NameIndex) -> FileSites<'a> {
        FileSites {
            roots,
            index,
            cache: RefCell::new(HashMap::new()),
        }
    }

    fn site(&self, repo: &str, file: &str) -> Option<Rc<FileSite>> {
        let key = (repo.to_string(), file.to_string());
        if let Some(s) = self.cache.borrow().get(&key) {
            return s.clone();
        }
        let site = self
            .roots
            .get(repo)
            .and_then(|r| std::fs::read_to_string(r.join(file)).ok())
            .map(|text| {
                let contexts: Vec<(u32, FileContext)> = crate::context::walk(&text)
                    .into_iter()
                    .map(|(c, ctx)| (c.line, ctx))
                    .collect();
                let imports = contexts
                    .last()
                    .map(|(_, c)| c.imports.clone())
                    .unwrap_or_default();
                let decls = theorist_leansrc::parse(&text)
                    .decls
                    .into_iter()
                    .map(|d| (d.start_line, d.name))
                    .collect();
                Rc::new(FileSite {
                    contexts,
                    decls,
                    visible: self.index.visible_from(&imports),
                })
            });
        self.cache.borrow_mut().insert(key, site.clone());
        site
    }

    /// The scope of `goal` in the declaration `decl` starting at `line` of `file`; names
    /// `introduced` by earlier steps are in it too. A file that cannot be read gives the
    /// goal's scope alone, with every indexed name visible.
    pub fn scope(
        &self,
        repo: &str,
        file: &str,
        line: u32,
        decl: &str,
        goal: &str,
        introduced: &[String],
    ) -> Scope<'a> {
        let mut scope = match self.site(repo, file) {
            Some(site) => {
                let ctx = site
                    .contexts
                    .iter()
                    .take_while(|(l, _)| *l <= line)
                    .last()
                    .map(|(_, c)| c.clone())
                    .unwrap_or_default();
                let decl_name = decl.split('/').next().unwrap_or(decl);
                let above = site
                    .decls
                    .iter()
                    .filter(|(l, _)| *l < line)
                    .map(|(_, n)| n.clone());
                let mut s = Scope {
                    visible: Visible::All,
                    ..Scope::in_file(
                        goal,
                        &FileContext {
                            imports: Vec::new(),
                            ..ctx
                        },
                        above,
                        Some(decl_name),
                        self.index,
                    )
                };
                s.visible = site.visible.clone();
                s
            }
            None => Scope::of_goal(goal, self.index),
        };
        scope.introduced = introduced.to_vec();
        scope
    }
}

/// Whether a local of class `local` may fill a slot of class `slot`: the same class (a real
/// slot takes only reals, a hypothesis slot only hypotheses), or any local for a legacy slot
/// (a legacy slot never stood for a definition).
pub fn compatible(slot: SlotClass, local: SlotClass) -> bool {
    slot == local || slot == SlotClass::Any && local != SlotClass::Const
}

/// Whether `tactic` still holds a template slot (`?r0`, `?h1`, a legacy `?0`): a template
/// that was not filled is not a tactic, whatever it names.
pub fn has_unfilled_slot(tactic: &str) -> bool {
    let chars: Vec<char> = tactic.chars().collect();
    chars.iter().enumerate().any(|(i, c)| {
        *c == '?'
            && match chars.get(i + 1) {
                Some(d) if d.is_ascii_digit() => true,
                Some(l) if SlotClass::from_letter(*l).is_some() => {
                    let digits = chars[i + 2..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    digits > 0
                        && !chars
                            .get(i + 2 + digits)
                            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
                }
                _ => false,
            }
    })
}

/// Whitespace-normalised text, for comparisons.
pub fn canonical(t: &str) -> String {
    normalise::collapse_ws(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Builder;

    fn index() -> NameIndex {
        let mut b = Builder::default();
        b.add_file(
            "mathlib",
            "Mathlib.Basic",
            "theorem sq_nonneg : True := trivial\ntheorem mul_pos : True := trivial\n\
             theorem mul_nonneg : True := trivial\nnamespace Real\ntheorem sqrt_nonneg : True := trivial\nend Real\n",
        );
        b.finish()
    }

    #[test]
    fn classes_from_types() {
        assert_eq!(SlotClass::of_type("0 < x"), SlotClass::Hyp);
        assert_eq!(SlotClass::of_type("Continuous f"), SlotClass::Hyp);
        assert_eq!(SlotClass::of_type("IsMinOn f s a"), SlotClass::Hyp);
        assert_eq!(SlotClass::of_type("p.Prime"), SlotClass::Hyp);
        assert_eq!(SlotClass::of_type("ℝ"), SlotClass::Field);
        assert_eq!(SlotClass::of_type("ℕ"), SlotClass::Discrete);
        assert_eq!(SlotClass::of_type("ℝ → ℝ"), SlotClass::Function);
        assert_eq!(SlotClass::of_type("Type u_1"), SlotClass::Type);
        assert_eq!(SlotClass::of_type("HiggsField"), SlotClass::Term);
        assert_eq!(SlotClass::of_type("Set ℝ"), SlotClass::Term);
    }

    #[test]
    fn drops_names_that_are_not_there() {
        let idx = index();
        let goal = "a b : ℝ\nha : 0 ≤ a\nhb : 0 ≤ b\n⊢ 0 ≤ a * b";
        let s = Scope::of_goal(goal, &idx);
        assert!(s.admits("exact mul_nonneg ha hb"));
        assert_eq!(s.unresolved("exact mul_nonneg h hb"), ["h"]);
        assert_eq!(s.unresolved("unfold quartic"), ["quartic"]);
        // A name the goal itself shows is nameable; a variable bound inside it is not.
        let s2 = Scope::of_goal("f : ℝ → ℝ\n⊢ ∀ y, f y ≤ quartic y", &idx);
        assert!(s2.admits("unfold quartic"));
        assert!(!s2.admits("exact le_refl y"));
        // A dotted name the goal shows vouches for itself only, not for its namespace.
        let s3 = Scope::of_goal("x : ℝ\n⊢ 0 ≤ Physics.energy x", &idx);
        assert!(s3.admits("unfold Physics.energy"));
        assert_eq!(
            s3.unresolved("exact Physics.energy_nonneg x"),
            ["Physics.energy_nonneg"]
        );
        // An unfilled template is never a suggestion.
        assert!(!s.admits("nlinarith [sq_nonneg (?0 - ?1)]"));
        assert!(!s.admits("exact mul_nonneg ?h0 ?h1"));
        assert!(s.admits("refine ⟨?_, ?_⟩ <;> positivity"));
        // A tactic name in a term's place is a term, and must resolve.
        assert_eq!(s.unresolved("exact trans ha hb"), ["trans"]);
        assert_eq!(s.unresolved("nlinarith [sq_nonneg (c - a)]"), ["c"]);
        assert!(s.admits("nlinarith [sq_nonneg (a - b), mul_pos ha hb, ha.le]"));
        assert!(s.admits("intro x hx; nlinarith [sq_nonneg x, hx]"));
        assert!(!s.admits("sorry"));
        assert!(!s.admits("exact sqrt_nonneg a"));
        assert!(s.admits("exact Real.sqrt_nonneg a"));
        let mut list = vec![
            Suggestion {
                tactic: "positivity".into(),
                score: 1.0,
                source: "t".into(),
            },
            Suggestion {
                tactic: "exact higgsPotential_nonneg".into(),
                score: 0.5,
                source: "t".into(),
            },
        ];
        assert_eq!(s.retain(&mut list), 1);
        assert_eq!(list.len(), 1);
    }

    #[test]
    fn a_file_opens_namespaces_and_offers_its_own_declarations() {
        let idx = index();
        let ctx = FileContext {
            imports: vec!["Mathlib.Basic".into()],
            namespace: "Theorist.Higgs".into(),
            opens: vec!["Real".into()],
            ..FileContext::default()
        };
        let s = Scope::in_file(
            "x : ℝ\n⊢ 0 ≤ √x",
            &ctx,
            ["Theorist.Higgs.quartic".to_string()],
            Some("Theorist.Higgs.bound"),
            &idx,
        );
        assert!(s.admits("exact sqrt_nonneg x"));
        assert!(s.admits("unfold quartic"));
        assert!(!s.admits("unfold quadratic"));
        let none = FileContext::default();
        let s = Scope::in_file("x : ℝ\n⊢ 0 ≤ x ^ 2", &none, [], None, &idx);
        // Nothing imported: no library lemma is visible.
        assert!(!s.admits("exact sq_nonneg x"));
        assert!(s.admits("positivity"));
    }
}
