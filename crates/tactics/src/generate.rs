//! A seeded generator of goals in theorist's domain, each paired with tactics that are right
//! by construction: polynomial identities (`ring`, right side computed by expanding the left),
//! square inequalities (`nlinarith [sq_nonneg (…)]`), positivity, field simplification,
//! linear consequences of hypotheses (`linarith`), numerals (`norm_num`), unfolding physics
//! definitions (`simp [def]`), norms, and the ∀ / → / ∧ / IsMinOn structure around them
//! (`intro`, `constructor`, `rw [isMinOn_iff]`), whose follow-up goals are generated too.
//! No Lean ran: "right by construction" means by the mathematics of each family.

use std::collections::BTreeMap;

/// One proof step: the goal as Lean prints it and the tactics known to be right there.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub goal: String,
    /// Right tactics, the canonical one first.
    pub tactics: Vec<String>,
    /// Whether each of `tactics` closes the goal (else it makes progress).
    pub closes: bool,
}

/// A generated theorem: its steps in proof order (the first one is the statement's goal).
#[derive(Debug, Clone, PartialEq)]
pub struct GenTheorem {
    pub id: String,
    pub family: &'static str,
    pub steps: Vec<Step>,
}

/// SplitMix64: small, seeded, the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const VARS: &[&str] = &[
    "x", "y", "z", "a", "b", "c", "t", "u", "v", "m", "r", "s", "p", "q", "E", "ω", "k", "L", "x₁",
    "x₂", "μ", "σ",
];
const HYPS: &[&str] = &[
    "h", "h₀", "h₁", "h₂", "hx", "hy", "hxy", "hpos", "hm", "ha", "hb",
];
const VECTORS: &[&str] = &["u", "v", "w", "φ", "ψ", "x", "y"];

/// `n` distinct variable names.
fn vars(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    while out.len() < n {
        let v = rng.pick(VARS).to_string();
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn hyp_name(rng: &mut Rng, taken: &[String]) -> String {
    loop {
        let h = rng.pick(HYPS).to_string();
        if !taken.contains(&h) {
            return h;
        }
    }
}

/// `x y : ℝ` lines (Lean groups consecutive binders of one type).
fn real_hyps(vs: &[String]) -> String {
    format!("{} : ℝ", vs.join(" "))
}

// ---- polynomials, to make identities true by construction ----

#[derive(Debug, Clone)]
enum Expr {
    Var(usize),
    Num(i64),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Pow(Box<Expr>, u32),
}

type Poly = BTreeMap<Vec<u32>, i64>;

fn poly_of(e: &Expr, n: usize) -> Poly {
    match e {
        Expr::Var(i) => {
            let mut m = vec![0; n];
            m[*i] = 1;
            BTreeMap::from([(m, 1)])
        }
        Expr::Num(c) => BTreeMap::from([(vec![0; n], *c)]),
        Expr::Add(a, b) => add(&poly_of(a, n), &poly_of(b, n), 1),
        Expr::Sub(a, b) => add(&poly_of(a, n), &poly_of(b, n), -1),
        Expr::Mul(a, b) => mul(&poly_of(a, n), &poly_of(b, n)),
        Expr::Pow(a, k) => {
            let base = poly_of(a, n);
            let mut acc = BTreeMap::from([(vec![0; n], 1)]);
            for _ in 0..*k {
                acc = mul(&acc, &base);
            }
            acc
        }
    }
}

fn add(a: &Poly, b: &Poly, sign: i64) -> Poly {
    let mut out = a.clone();
    for (m, c) in b {
        *out.entry(m.clone()).or_insert(0) += sign * c;
    }
    out.retain(|_, c| *c != 0);
    out
}

fn mul(a: &Poly, b: &Poly) -> Poly {
    let mut out: Poly = BTreeMap::new();
    for (ma, ca) in a {
        for (mb, cb) in b {
            let m: Vec<u32> = ma.iter().zip(mb).map(|(x, y)| x + y).collect();
            *out.entry(m).or_insert(0) += ca * cb;
        }
    }
    out.retain(|_, c| *c != 0);
    out
}

fn print_poly(p: &Poly, names: &[String]) -> String {
    if p.is_empty() {
        return "0".into();
    }
    // Highest total degree first, as one writes an expansion.
    let mut terms: Vec<(&Vec<u32>, &i64)> = p.iter().collect();
    terms.sort_by_key(|(m, _)| {
        (
            std::cmp::Reverse(m.iter().sum::<u32>()),
            std::cmp::Reverse((*m).clone()),
        )
    });
    let mut out = String::new();
    for (k, (m, c)) in terms.into_iter().enumerate() {
        let factors: Vec<String> = m
            .iter()
            .enumerate()
            .filter(|(_, e)| **e > 0)
            .map(|(i, e)| {
                if *e == 1 {
                    names[i].clone()
                } else {
                    format!("{} ^ {e}", names[i])
                }
            })
            .collect();
        let mag = c.abs();
        let body = match (factors.is_empty(), mag) {
            (true, _) => mag.to_string(),
            (false, 1) => factors.join(" * "),
            (false, _) => format!("{mag} * {}", factors.join(" * ")),
        };
        if k == 0 {
            if *c < 0 {
                out.push('-');
            }
            out.push_str(&body);
        } else {
            out.push_str(if *c < 0 { " - " } else { " + " });
            out.push_str(&body);
        }
    }
    out
}

fn prec(e: &Expr) -> u8 {
    match e {
        Expr::Add(..) | Expr::Sub(..) => 65,
        Expr::Mul(..) => 70,
        Expr::Pow(..) => 75,
        Expr::Num(c) if *c < 0 => 73,
        _ => 100,
    }
}

fn print_expr(e: &Expr, names: &[String]) -> String {
    let wrap = |x: &Expr, min: u8| {
        let s = print_expr(x, names);
        if prec(x) < min { format!("({s})") } else { s }
    };
    match e {
        Expr::Var(i) => names[*i].clone(),
        Expr::Num(c) => c.to_string(),
        Expr::Add(a, b) => format!("{} + {}", wrap(a, 65), wrap(b, 66)),
        Expr::Sub(a, b) => format!("{} - {}", wrap(a, 65), wrap(b, 66)),
        Expr::Mul(a, b) => format!("{} * {}", wrap(a, 70), wrap(b, 71)),
        Expr::Pow(a, k) => format!("{} ^ {k}", wrap(a, 76)),
    }
}

fn random_linear(rng: &mut Rng, n: usize) -> Expr {
    let i = rng.below(n);
    let mut e = Expr::Var(i);
    if rng.below(3) > 0 {
        let c = rng.range(2, 5);
        e = Expr::Mul(Box::new(Expr::Num(c)), Box::new(e));
    }
    let other = if n > 1 && rng.below(2) == 0 {
        Expr::Var((i + 1 + rng.below(n - 1)) % n)
    } else {
        Expr::Num(rng.range(1, 9))
    };
    if rng.below(2) == 0 {
        Expr::Add(Box::new(e), Box::new(other))
    } else {
        Expr::Sub(Box::new(e), Box::new(other))
    }
}

fn random_product(rng: &mut Rng, n: usize) -> Expr {
    match rng.below(4) {
        0 => Expr::Pow(Box::new(random_linear(rng, n)), 2),
        1 => Expr::Mul(
            Box::new(random_linear(rng, n)),
            Box::new(random_linear(rng, n)),
        ),
        2 => Expr::Pow(Box::new(random_linear(rng, n)), 3),
        _ => Expr::Mul(
            Box::new(Expr::Num(rng.range(2, 7))),
            Box::new(Expr::Add(
                Box::new(random_linear(rng, n)),
                Box::new(Expr::Var(rng.below(n))),
            )),
        ),
    }
}

fn ring_identity(rng: &mut Rng) -> (String, Vec<String>) {
    let n = 1 + rng.below(3);
    let vs = vars(rng, n);
    let lhs = if rng.below(3) == 0 {
        Expr::Add(
            Box::new(random_product(rng, n)),
            Box::new(random_product(rng, n)),
        )
    } else {
        random_product(rng, n)
    };
    let rhs = print_poly(&poly_of(&lhs, n), &vs);
    let goal = format!("{}\n⊢ {} = {rhs}", real_hyps(&vs), print_expr(&lhs, &vs));
    (goal, vec!["ring".into(), "ring_nf".into()])
}

/// Inequalities closed by one square hint: (goal target, hint inside sq_nonneg).
fn square_inequality(rng: &mut Rng) -> (String, Vec<String>) {
    let vs = vars(rng, 2);
    let (x, y) = (&vs[0], &vs[1]);
    let (target, hint) = match rng.below(6) {
        0 => (
            format!("2 * {x} * {y} ≤ {x} ^ 2 + {y} ^ 2"),
            format!("{x} - {y}"),
        ),
        1 => (
            format!("{x} * {y} ≤ ({x} ^ 2 + {y} ^ 2) / 2"),
            format!("{x} - {y}"),
        ),
        2 => (
            format!("4 * {x} * {y} ≤ ({x} + {y}) ^ 2"),
            format!("{x} - {y}"),
        ),
        3 => (
            format!("({x} + {y}) ^ 2 ≤ 2 * ({x} ^ 2 + {y} ^ 2)"),
            format!("{x} - {y}"),
        ),
        4 => (
            format!("-(2 * {x} * {y}) ≤ {x} ^ 2 + {y} ^ 2"),
            format!("{x} + {y}"),
        ),
        _ => {
            let c = rng.range(1, 6);
            (
                format!("2 * {c} * {x} ≤ {x} ^ 2 + {}", c * c),
                format!("{x} - {c}"),
            )
        }
    };
    let goal = format!("{}\n⊢ {target}", real_hyps(&vs));
    (
        goal,
        vec![
            format!("nlinarith [sq_nonneg ({hint})]"),
            format!("nlinarith [sq_nonneg ({hint}), sq_nonneg ({x} + {y})]"),
        ],
    )
}

fn positivity_goal(rng: &mut Rng) -> (String, Vec<String>) {
    let vs = vars(rng, 2);
    let (x, y) = (&vs[0], &vs[1]);
    let c = rng.range(1, 9);
    let (hyps, target) = match rng.below(9) {
        0 => (real_hyps(&vs), format!("0 ≤ {x} ^ 2")),
        1 => (real_hyps(&vs), format!("0 < {x} ^ 2 + {c}")),
        2 => (real_hyps(&vs), format!("0 ≤ |{x}|")),
        3 => (real_hyps(&vs), format!("0 < rexp {x}")),
        4 => (real_hyps(&vs), format!("0 ≤ √{x}")),
        5 => (real_hyps(&vs), format!("0 ≤ {x} ^ 2 + {y} ^ 2")),
        6 => {
            let h = hyp_name(rng, &vs);
            (
                format!("{}\n{h} : 0 < {x}", real_hyps(&vs)),
                format!("0 < {x} * {y} ^ 2 + {x}"),
            )
        }
        7 => (real_hyps(&vs), format!("0 ≤ ({x} - {y}) ^ 2")),
        _ => {
            let v = rng.pick(VECTORS);
            (
                format!(
                    "E : Type u_1\ninst✝¹ : NormedAddCommGroup E\ninst✝ : NormedSpace ℝ E\n{v} : E"
                ),
                format!("0 ≤ ‖{v}‖"),
            )
        }
    };
    (format!("{hyps}\n⊢ {target}"), vec!["positivity".into()])
}

fn field_goal(rng: &mut Rng) -> (String, Vec<String>) {
    let vs = vars(rng, 2);
    let (x, y) = (&vs[0], &vs[1]);
    let hx = format!("h{x}");
    let hx = if hx.chars().count() > 3 {
        "hx".to_string()
    } else {
        hx
    };
    let target = match rng.below(4) {
        0 => format!("{x} / {x} = 1"),
        1 => format!("{y} / {x} * {x} = {y}"),
        2 => format!("{x} * {x}⁻¹ = 1"),
        _ => format!("{y} * {x} / {x} = {y}"),
    };
    let goal = format!("{}\n{hx} : {x} ≠ 0\n⊢ {target}", real_hyps(&vs));
    (goal, vec!["field_simp".into()])
}

fn linear_goal(rng: &mut Rng) -> (String, Vec<String>) {
    let vs = vars(rng, 3);
    let (x, y, z) = (&vs[0], &vs[1], &vs[2]);
    let h1 = hyp_name(rng, &vs);
    let mut taken = vs.clone();
    taken.push(h1.clone());
    let h2 = hyp_name(rng, &taken);
    let rel = *rng.pick(&["≤", "<"]);
    let c = rng.range(1, 9);
    let (hyps, target, alt) = match rng.below(4) {
        0 => (
            format!("{h1} : {x} {rel} {y}\n{h2} : {y} {rel} {z}"),
            format!("{x} {rel} {z}"),
            format!("exact lt_of_lt_of_le {h1} (le_of_lt {h2})"),
        ),
        1 => (
            format!("{h1} : 2 * {x} + {c} = {}", 4 * c),
            String::new(),
            format!("linarith [{h1}]"),
        ),
        2 => (
            format!("{h1} : {x} {rel} {y}"),
            format!("{x} - {y} {rel} 0"),
            format!("linarith [{h1}]"),
        ),
        _ => (
            format!("{h1} : {x} + {y} = {c}\n{h2} : {x} - {y} = {c}"),
            format!("{x} = {c}"),
            format!("linarith [{h1}, {h2}]"),
        ),
    };
    // Family 1's target: 2x + c = 4c ⇒ x = 3c/2; keep only even c so the numeral is exact.
    let (hyps, target) = if hyps.contains(&format!("2 * {x} + {c} =")) {
        let c2 = 2 * c;
        (
            format!("{h1} : 2 * {x} + {c2} = {}", 4 * c2),
            format!("{x} = {}", 3 * c2 / 2),
        )
    } else {
        (hyps, target)
    };
    let goal = format!("{}\n{hyps}\n⊢ {target}", real_hyps(&vs));
    (goal, vec!["linarith".into(), alt])
}

fn numeral_goal(rng: &mut Rng) -> (String, Vec<String>) {
    let a = rng.range(2, 40);
    let b = rng.range(2, 40);
    let target = match rng.below(5) {
        0 => format!("{a} + {b} = {}", a + b),
        1 => format!("{a} * {b} = {}", a * b),
        2 => format!("{a} / {} < {}", a + b, 1),
        3 => format!("2 ^ {} = {}", a % 11, 1i64 << (a % 11)),
        _ => format!("{a} - {b} = {}", a - b),
    };
    let ty = *rng.pick(&["ℝ", "ℚ"]);
    // Lean prints numerals without their type; the elaborated type only shows in hovers.
    let _ = ty;
    (format!("⊢ {target}"), vec!["norm_num".into()])
}

/// Physics definitions: (name, parameters, body).
const DEFS: &[(&str, &[&str], &str)] = &[
    ("kineticEnergy", &["m", "v"], "m * v ^ 2 / 2"),
    ("momentum", &["m", "v"], "m * v"),
    ("potentialEnergy", &["m", "g", "h"], "m * g * h"),
    ("springEnergy", &["k", "x"], "k * x ^ 2 / 2"),
    (
        "lagrangian",
        &["m", "ω", "x", "v"],
        "m * v ^ 2 / 2 - m * ω ^ 2 * x ^ 2 / 2",
    ),
    ("higgsPotential", &["μ", "l", "x"], "-μ ^ 2 * x + l * x ^ 2"),
    ("lorentzFactor", &["β"], "1 / √(1 - β ^ 2)"),
    ("energy", &["m", "c"], "m * c ^ 2"),
];

fn unfold_goal(rng: &mut Rng) -> (String, Vec<String>) {
    let (name, params, body) = *rng.pick(DEFS);
    let goal = format!(
        "{}\n⊢ {name} {} = {body}",
        real_hyps(&params.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        params.join(" ")
    );
    (
        goal,
        vec![
            format!("simp [{name}]"),
            format!("unfold {name}"),
            format!("rfl"),
        ],
    )
}

fn norm_goal(rng: &mut Rng) -> (String, Vec<String>) {
    let u = rng.pick(VECTORS).to_string();
    let v = loop {
        let v = rng.pick(VECTORS).to_string();
        if v != u {
            break v;
        }
    };
    let space = "E : Type u_1\ninst✝¹ : NormedAddCommGroup E\ninst✝ : NormedSpace ℝ E";
    match rng.below(3) {
        0 => (
            format!("{space}\n{u} {v} : E\n⊢ ‖{u} + {v}‖ ≤ ‖{u}‖ + ‖{v}‖"),
            vec![format!("exact norm_add_le {u} {v}")],
        ),
        1 => (
            format!("{space}\n{u} {v} : E\n⊢ ‖{u} - {v}‖ ≤ ‖{u}‖ + ‖{v}‖"),
            vec![format!("exact norm_sub_le {u} {v}")],
        ),
        _ => (
            format!("{space}\nc : ℝ\n{v} : E\n⊢ ‖c • {v}‖ = |c| * ‖{v}‖"),
            vec![
                "rw [norm_smul, Real.norm_eq_abs]".into(),
                "simp [norm_smul]".into(),
            ],
        ),
    }
}

fn exact_goal(rng: &mut Rng) -> (String, Vec<String>) {
    let vs = vars(rng, 2);
    let h = hyp_name(rng, &vs);
    let (x, y) = (&vs[0], &vs[1]);
    match rng.below(2) {
        0 => (
            format!("{}\n{h} : {x} ≤ {y}\n⊢ {x} ≤ {y}", real_hyps(&vs)),
            vec![format!("exact {h}"), "assumption".into()],
        ),
        _ => {
            let hx = hyp_name(rng, &[vs.clone(), vec![h.clone()]].concat());
            (
                format!(
                    "{}\n{h} : 0 ≤ {x}\n{hx} : 0 ≤ {y}\n⊢ 0 ≤ {x} * {y}",
                    real_hyps(&vs)
                ),
                vec![format!("exact mul_nonneg {h} {hx}"), "positivity".into()],
            )
        }
    }
}

/// A closing leaf (goal with hypotheses, tactics), by family.
fn leaf(rng: &mut Rng) -> ((String, Vec<String>), &'static str) {
    match rng.below(10) {
        0 | 1 => (ring_identity(rng), "ring"),
        2 => (square_inequality(rng), "sq_nonneg"),
        3 => (positivity_goal(rng), "positivity"),
        4 => (field_goal(rng), "field_simp"),
        5 => (linear_goal(rng), "linarith"),
        6 => (numeral_goal(rng), "norm_num"),
        7 => (unfold_goal(rng), "unfold"),
        8 => (norm_goal(rng), "norm"),
        _ => (exact_goal(rng), "exact"),
    }
}

fn split_goal(goal: &str) -> (Vec<String>, String) {
    let mut hyps = Vec::new();
    let mut target = String::new();
    for l in goal.lines() {
        match l.strip_prefix("⊢ ") {
            Some(t) => target = t.to_string(),
            None => hyps.push(l.to_string()),
        }
    }
    (hyps, target)
}

fn join_goal(hyps: &[String], target: &str) -> String {
    let mut lines = hyps.to_vec();
    lines.push(format!("⊢ {target}"));
    lines.join("\n")
}

/// One theorem; structural wrappers (∀, →, ∧, IsMinOn) around closing leaves. A wrapper that
/// does not fit the leaf leaves the leaf alone.
pub fn theorem(rng: &mut Rng, id: usize) -> GenTheorem {
    let kind = rng.below(10);
    let ((goal, tactics), family) = leaf(rng);
    let closing = Step {
        goal: goal.clone(),
        tactics: tactics.clone(),
        closes: true,
    };
    let wrapped = match kind {
        0 | 1 => forall_wrapper(&goal, &closing),
        2 => implies_wrapper(&goal, &closing),
        3 => and_wrapper(rng, &goal, tactics),
        4 => Some(is_min_on_steps(rng)),
        _ => None,
    };
    let (steps, family) = wrapped.unwrap_or((vec![closing], family));
    GenTheorem {
        id: format!("gen{id}"),
        family,
        steps,
    }
}

type Wrapped = (Vec<Step>, &'static str);

/// ∀ over the real variables of the leaf: `intro x y`, then the leaf.
fn forall_wrapper(goal: &str, closing: &Step) -> Option<Wrapped> {
    let (hyps, target) = split_goal(goal);
    let names = hyps.first().and_then(|h| h.strip_suffix(" : ℝ"))?;
    if names.contains('✝') || names.contains(':') {
        return None;
    }
    let outer = join_goal(&hyps[1..], &format!("∀ ({names} : ℝ), {target}"));
    let intro = Step {
        goal: outer,
        tactics: vec![format!("intro {names}")],
        closes: false,
    };
    Some((vec![intro, closing.clone()], "forall"))
}

/// A hypothesis moved into an implication: `intro h`, then the leaf.
fn implies_wrapper(goal: &str, closing: &Step) -> Option<Wrapped> {
    let (hyps, target) = split_goal(goal);
    let last = hyps.last().cloned().unwrap_or_default();
    let (name, ty) = crate::normalise::split_hyp(&last)?;
    if name.contains(' ') || name.contains('✝') || ty.contains("Type") || ty == "ℝ" || ty == "E"
    {
        return None;
    }
    let outer = join_goal(&hyps[..hyps.len() - 1], &format!("{ty} → {target}"));
    let intro = Step {
        goal: outer,
        tactics: vec![format!("intro {name}")],
        closes: false,
    };
    Some((vec![intro, closing.clone()], "implies"))
}

/// A conjunction of the leaf and a positivity goal over the same hypotheses: `constructor`,
/// then both.
fn and_wrapper(rng: &mut Rng, goal: &str, tactics: Vec<String>) -> Option<Wrapped> {
    let (hyps, target) = split_goal(goal);
    let (goal2, tactics2) = positivity_goal(rng);
    let (hyps2, target2) = split_goal(&goal2);
    if hyps2 != hyps {
        return None;
    }
    let outer = join_goal(&hyps, &format!("{target} ∧ {target2}"));
    let step = Step {
        goal: outer,
        tactics: vec!["constructor".into(), "refine ⟨?_, ?_⟩".into()],
        closes: false,
    };
    let left = Step {
        goal: format!("case left\n{goal}"),
        tactics,
        closes: true,
    };
    let right = Step {
        goal: format!("case right\n{goal2}"),
        tactics: tactics2,
        closes: true,
    };
    Some((vec![step, left, right], "and"))
}

/// A minimum of a square well: `rw [isMinOn_iff]`, `intro y hy`, `nlinarith`.
fn is_min_on_steps(rng: &mut Rng) -> Wrapped {
    let vs = vars(rng, 2);
    let (a, y) = (&vs[0], &vs[1]);
    let c = rng.range(1, 9);
    let f = format!("fun x => (x - {a}) ^ 2 + {c}");
    let s1 = Step {
        goal: format!("{a} : ℝ\n⊢ IsMinOn ({f}) Set.univ {a}"),
        tactics: vec!["rw [isMinOn_iff]".into(), "intro y _".into()],
        closes: false,
    };
    let s2 = Step {
        goal: format!("{a} : ℝ\n⊢ ∀ x ∈ Set.univ, ({f}) {a} ≤ ({f}) x"),
        tactics: vec![format!("intro {y} _")],
        closes: false,
    };
    let s3 = Step {
        goal: format!(
            "{a} {y} : ℝ\na✝ : {y} ∈ Set.univ\n⊢ ({a} - {a}) ^ 2 + {c} ≤ ({y} - {a}) ^ 2 + {c}"
        ),
        tactics: vec![format!("nlinarith [sq_nonneg ({y} - {a})]"), "simp".into()],
        closes: true,
    };
    (vec![s1, s2, s3], "isMinOn")
}

/// `n` theorems from `seed`.
pub fn corpus(seed: u64, n: usize) -> Vec<GenTheorem> {
    let mut rng = Rng::new(seed);
    (0..n).map(|i| theorem(&mut rng, i)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_and_deterministic() {
        let a = corpus(7, 50);
        let b = corpus(7, 50);
        assert_eq!(a, b);
        assert_ne!(a, corpus(8, 50));
        assert!(a.iter().all(|t| !t.steps.is_empty()));
    }

    #[test]
    fn ring_identities_are_true() {
        // (x + 1)^2 = x^2 + 2x + 1 through the expander
        let e = Expr::Pow(
            Box::new(Expr::Add(Box::new(Expr::Var(0)), Box::new(Expr::Num(1)))),
            2,
        );
        assert_eq!(
            print_poly(&poly_of(&e, 1), &["x".into()]),
            "x ^ 2 + 2 * x + 1"
        );
        let e = Expr::Mul(
            Box::new(Expr::Sub(Box::new(Expr::Var(0)), Box::new(Expr::Var(1)))),
            Box::new(Expr::Add(Box::new(Expr::Var(0)), Box::new(Expr::Var(1)))),
        );
        assert_eq!(
            print_poly(&poly_of(&e, 2), &["a".into(), "b".into()]),
            "a ^ 2 - b ^ 2"
        );
    }
}
