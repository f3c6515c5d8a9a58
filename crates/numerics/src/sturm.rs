//! Exact real-root reasoning for polynomials in one variable over ℚ. Sturm sequences count the
//! distinct real roots in an interval exactly; bisection isolates every root in an open
//! interval with rational endpoints (or finds it exactly); the sign of any polynomial at an
//! isolated root is decided without floating point (a common factor means 0, otherwise the
//! interval is narrowed until the polynomial has no root left in it). A root is recognised as
//! rational when it is: a rational root `p/q` of an integer polynomial has `q` dividing the
//! leading coefficient `L`, and two such rationals lie at least `1/L²` apart, so once the
//! interval is narrower than that, the simplest rational in it is the only candidate.
//!
//! On top of that: [`decide_forall`], the truth of a formula of polynomial sign conditions for
//! *every* real value of its variable (the roots of all its polynomials cut ℝ into cells on
//! which every sign is constant: one rational point per cell and every root decide it), and
//! [`infimum`], the exact infimum of a polynomial over an interval. Pure mathematics: the
//! neighbour `extremum` turns Lean claims into these questions.

use std::cmp::Ordering;

use rug::{Integer, Rational};

use crate::core::Rel;

/// `Σ cᵢ xⁱ` with exact rational coefficients, lowest degree first, no trailing zeros.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UPoly {
    c: Vec<Rational>,
}

impl UPoly {
    pub fn zero() -> UPoly {
        UPoly { c: Vec::new() }
    }

    pub fn constant(q: Rational) -> UPoly {
        UPoly::from_coeffs(vec![q])
    }

    /// The variable itself.
    pub fn x() -> UPoly {
        UPoly::from_coeffs(vec![Rational::new(), Rational::from(1)])
    }

    pub fn from_coeffs(c: Vec<Rational>) -> UPoly {
        let mut p = UPoly { c };
        while p.c.last().is_some_and(|q| *q == 0) {
            p.c.pop();
        }
        p
    }

    pub fn coeffs(&self) -> &[Rational] {
        &self.c
    }

    pub fn is_zero(&self) -> bool {
        self.c.is_empty()
    }

    /// `None` for the zero polynomial.
    pub fn degree(&self) -> Option<usize> {
        self.c.len().checked_sub(1)
    }

    /// The value of a polynomial of degree ≤ 0.
    pub fn as_constant(&self) -> Option<Rational> {
        match self.c.len() {
            0 => Some(Rational::new()),
            1 => Some(self.c[0].clone()),
            _ => None,
        }
    }

    fn lead(&self) -> Option<&Rational> {
        self.c.last()
    }

    pub fn add(&self, o: &UPoly) -> UPoly {
        let n = self.c.len().max(o.c.len());
        let zero = Rational::new();
        UPoly::from_coeffs(
            (0..n)
                .map(|i| {
                    Rational::from(self.c.get(i).unwrap_or(&zero) + o.c.get(i).unwrap_or(&zero))
                })
                .collect(),
        )
    }

    pub fn neg(&self) -> UPoly {
        UPoly {
            c: self.c.iter().map(|q| Rational::from(-q)).collect(),
        }
    }

    pub fn sub(&self, o: &UPoly) -> UPoly {
        self.add(&o.neg())
    }

    pub fn scale(&self, q: &Rational) -> UPoly {
        UPoly::from_coeffs(self.c.iter().map(|c| Rational::from(c * q)).collect())
    }

    pub fn mul(&self, o: &UPoly) -> UPoly {
        if self.is_zero() || o.is_zero() {
            return UPoly::zero();
        }
        let mut c = vec![Rational::new(); self.c.len() + o.c.len() - 1];
        for (i, a) in self.c.iter().enumerate() {
            for (j, b) in o.c.iter().enumerate() {
                c[i + j] += Rational::from(a * b);
            }
        }
        UPoly::from_coeffs(c)
    }

    pub fn pow(&self, k: u32) -> UPoly {
        let mut acc = UPoly::constant(Rational::from(1));
        for _ in 0..k {
            acc = acc.mul(self);
        }
        acc
    }

    pub fn derivative(&self) -> UPoly {
        UPoly::from_coeffs(
            self.c
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, q)| Rational::from(q * i as u32))
                .collect(),
        )
    }

    /// The value at `x` (Horner).
    pub fn eval(&self, x: &Rational) -> Rational {
        let mut acc = Rational::new();
        for q in self.c.iter().rev() {
            acc *= x;
            acc += q;
        }
        acc
    }

    pub fn sign_at(&self, x: &Rational) -> Ordering {
        self.eval(x).cmp0()
    }

    /// The sign for large positive (`positive`) or large negative arguments.
    fn sign_at_infinity(&self, positive: bool) -> Ordering {
        match self.lead() {
            None => Ordering::Equal,
            Some(l) => {
                let s = l.cmp0();
                if positive || self.c.len() % 2 == 1 {
                    s
                } else {
                    s.reverse()
                }
            }
        }
    }

    /// `(q, r)` with `self = q·d + r` and `deg r < deg d`; `d` must not be zero.
    pub fn div_rem(&self, d: &UPoly) -> (UPoly, UPoly) {
        let dl = d.lead().expect("division by the zero polynomial").clone();
        let dn = d.c.len() - 1;
        let mut r = self.c.clone();
        let mut q = vec![Rational::new(); self.c.len().saturating_sub(dn)];
        while r.len() > dn && !r.is_empty() {
            let k = r.len() - 1 - dn;
            let f = Rational::from(r.last().expect("non-empty") / &dl);
            if f != 0 {
                for (i, dc) in d.c.iter().enumerate() {
                    r[k + i] -= Rational::from(&f * dc);
                }
                q[k] = f;
            }
            r.pop();
        }
        (UPoly::from_coeffs(q), UPoly::from_coeffs(r))
    }

    /// `self` divided by its leading coefficient (zero stays zero).
    pub fn monic(&self) -> UPoly {
        match self.lead() {
            None => UPoly::zero(),
            Some(l) => self.scale(&Rational::from(l.recip_ref())),
        }
    }

    /// The monic greatest common divisor (`0` only when both are `0`).
    pub fn gcd(a: &UPoly, b: &UPoly) -> UPoly {
        let (mut a, mut b) = (a.monic(), b.monic());
        while !b.is_zero() {
            let r = a.div_rem(&b).1.monic();
            a = b;
            b = r;
        }
        a
    }

    /// The square-free part: the same roots, each simple (monic; a constant for constants).
    pub fn squarefree(&self) -> UPoly {
        if self.degree().unwrap_or(0) == 0 {
            return self.monic();
        }
        let g = UPoly::gcd(self, &self.derivative());
        self.div_rem(&g).0.monic()
    }

    /// The same roots with integer coefficients (scaled by a positive factor).
    fn integer_coefficients(&self) -> Vec<Integer> {
        let mut lcm = Integer::from(1);
        for q in &self.c {
            lcm.lcm_mut(q.denom());
        }
        self.c
            .iter()
            .map(|q| Rational::from(q * &lcm).into_numer_denom().0)
            .collect()
    }

    /// Lean 4 syntax in the variable `var`, highest degree first: `x ^ 3 - 2 * x + 1 / 2`.
    pub fn lean(&self, var: &str) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut out = String::new();
        for (k, q) in self.c.iter().enumerate().rev() {
            if *q == 0 {
                continue;
            }
            let magnitude = Rational::from(q.abs_ref());
            let power = match k {
                0 => String::new(),
                1 => var.to_string(),
                _ => format!("{var} ^ {k}"),
            };
            let body = match (k, magnitude == 1) {
                (0, _) => crate::certificate::rational_text(&magnitude),
                (_, true) => power,
                (_, false) if *magnitude.denom() == 1 => format!("{} * {power}", magnitude),
                (_, false) => format!("{} * {power} / {}", magnitude.numer(), magnitude.denom()),
            };
            let negative = *q < 0;
            match (out.is_empty(), negative) {
                (true, true) => out.push_str(&format!("-{body}")),
                (true, false) => out.push_str(&body),
                (false, true) => out.push_str(&format!(" - {body}")),
                (false, false) => out.push_str(&format!(" + {body}")),
            }
        }
        out
    }
}

/// A Sturm sequence `p, p', -rem(p, p'), …` (each member scaled by a positive factor, which
/// keeps the sign variations and the numbers small). For a square-free `p` the number of sign
/// variations drops by one exactly when `x` passes a root of `p`, and at a root it already has
/// the value of just after it, so `V(a) - V(b)` counts the roots in `(a, b]`.
#[derive(Debug, Clone)]
pub struct Sturm {
    seq: Vec<UPoly>,
}

impl Sturm {
    /// The sequence of `p`, which should be square-free.
    pub fn new(p: &UPoly) -> Sturm {
        let mut seq = vec![p.clone()];
        if p.degree().unwrap_or(0) > 0 {
            seq.push(p.derivative());
            loop {
                let n = seq.len();
                let r = seq[n - 2].div_rem(&seq[n - 1]).1;
                if r.is_zero() {
                    break;
                }
                let positive = Rational::from(r.lead().expect("non-zero").abs_ref()).recip();
                seq.push(r.scale(&positive).neg());
            }
        }
        Sturm { seq }
    }

    fn variations(signs: impl Iterator<Item = Ordering>) -> usize {
        let mut last = Ordering::Equal;
        let mut count = 0;
        for s in signs.filter(|s| *s != Ordering::Equal) {
            if last != Ordering::Equal && s != last {
                count += 1;
            }
            last = s;
        }
        count
    }

    /// Sign variations at `x` (`None`: at `-∞` when `low`, else at `+∞`).
    fn variations_at(&self, x: Option<&Rational>, low: bool) -> usize {
        match x {
            Some(x) => Sturm::variations(self.seq.iter().map(|p| p.sign_at(x))),
            None => Sturm::variations(self.seq.iter().map(|p| p.sign_at_infinity(!low))),
        }
    }

    /// The number of distinct roots in `(lo, hi]` (`None`: unbounded on that side).
    pub fn count(&self, lo: Option<&Rational>, hi: Option<&Rational>) -> usize {
        self.variations_at(lo, true)
            .saturating_sub(self.variations_at(hi, false))
    }
}

/// A real root of a square-free polynomial: exactly, or as the only root in the open interval
/// `(lo, hi)`, whose endpoints are not roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    Exact(Rational),
    Isolated { lo: Rational, hi: Rational },
}

impl Root {
    /// Rationals bracketing the root (`lo ≤ α ≤ hi`).
    pub fn bounds(&self) -> (&Rational, &Rational) {
        match self {
            Root::Exact(q) => (q, q),
            Root::Isolated { lo, hi } => (lo, hi),
        }
    }

    /// The root as a rational, when it is known exactly.
    pub fn exact(&self) -> Option<&Rational> {
        match self {
            Root::Exact(q) => Some(q),
            Root::Isolated { .. } => None,
        }
    }
}

/// `2^k ≥ 1 + max |cᵢ / cₙ|`: every root lies strictly inside `(-2^k, 2^k)` (Cauchy's bound).
fn root_bound(p: &UPoly) -> Rational {
    let lead = Rational::from(p.lead().expect("non-zero").abs_ref());
    let mut bound = Rational::from(1);
    for q in &p.c[..p.c.len() - 1] {
        let r = Rational::from(q.abs_ref()) / &lead;
        if r > bound {
            bound = r;
        }
    }
    bound += 1;
    let mut b = Rational::from(1);
    while b < bound {
        b *= 2;
    }
    b
}

/// Every real root of the square-free `p`, in increasing order.
pub fn isolate(p: &UPoly) -> Vec<Root> {
    if p.degree().unwrap_or(0) == 0 {
        return Vec::new();
    }
    enum Item {
        Interval(Rational, Rational),
        Exact(Rational),
    }
    let sturm = Sturm::new(p);
    let b = root_bound(p);
    let mut out = Vec::new();
    let mut stack = vec![Item::Interval(Rational::from(-&b), b)];
    while let Some(item) = stack.pop() {
        let (lo, hi) = match item {
            Item::Exact(q) => {
                out.push(Root::Exact(q));
                continue;
            }
            Item::Interval(lo, hi) => (lo, hi),
        };
        match sturm.count(Some(&lo), Some(&hi)) {
            0 => {}
            1 => out.push(Root::Isolated { lo, hi }),
            _ => {
                let mid = Rational::from(&lo + &hi) / 2u32;
                if p.sign_at(&mid) == Ordering::Equal {
                    // A root at the midpoint: cut it out with a neighbourhood free of others.
                    let mut e = Rational::from(&hi - &lo) / 4u32;
                    let (a, c) = loop {
                        let a = Rational::from(&mid - &e);
                        let c = Rational::from(&mid + &e);
                        if p.sign_at(&a) != Ordering::Equal
                            && p.sign_at(&c) != Ordering::Equal
                            && sturm.count(Some(&a), Some(&c)) == 1
                        {
                            break (a, c);
                        }
                        e /= 2u32;
                    };
                    stack.push(Item::Interval(c, hi));
                    stack.push(Item::Exact(mid));
                    stack.push(Item::Interval(lo, a));
                } else {
                    stack.push(Item::Interval(mid.clone(), hi));
                    stack.push(Item::Interval(lo, mid));
                }
            }
        }
    }
    out
}

/// One bisection step of an isolated root of the square-free `p`.
fn narrow(p: &UPoly, root: Root) -> Root {
    let Root::Isolated { lo, hi } = root else {
        return root;
    };
    let mid = Rational::from(&lo + &hi) / 2u32;
    match p.sign_at(&mid) {
        Ordering::Equal => Root::Exact(mid),
        s if s == p.sign_at(&lo) => Root::Isolated { lo: mid, hi },
        _ => Root::Isolated { lo, hi: mid },
    }
}

/// The sign of `q` at the root `root` of the square-free `p`.
pub fn sign_at_root(q: &UPoly, p: &UPoly, root: &Root) -> Ordering {
    if let Some(c) = q.as_constant() {
        return c.cmp0();
    }
    let mut root = root.clone();
    if let Root::Isolated { lo, hi } = &root {
        // A common factor of p and q vanishing inside the interval vanishes at the root.
        let g = UPoly::gcd(p, q);
        if g.degree().unwrap_or(0) > 0 && Sturm::new(&g).count(Some(lo), Some(hi)) > 0 {
            return Ordering::Equal;
        }
    }
    // Otherwise q(α) ≠ 0: narrow until q has no root left between the endpoints.
    let qs = Sturm::new(&q.squarefree());
    loop {
        match &root {
            Root::Exact(x) => return q.sign_at(x),
            Root::Isolated { lo, hi } => {
                if qs.count(Some(lo), Some(hi)) == 0 {
                    return q.sign_at(hi);
                }
            }
        }
        root = narrow(p, root);
    }
}

/// The simplest rational (smallest denominator, then smallest magnitude) strictly between
/// `a < b`; `b = None` is `+∞`.
fn simplest_between(a: &Rational, b: Option<&Rational>) -> Rational {
    if *a < 0 {
        return match b {
            Some(b) if *b <= 0 => -simplest_between(&Rational::from(-b), Some(&Rational::from(-a))),
            _ => Rational::new(),
        };
    }
    // 0 ≤ a: the smallest integer above `a`, if it is below `b`.
    let floor = Rational::from(a.floor_ref());
    let next = Rational::from(&floor + 1u32);
    if b.is_none_or(|b| next < *b) {
        return next;
    }
    let b = b.expect("bounded");
    // No integer in (a, b): a = ⌊a⌋ + 1/t with t in (1/(b - ⌊a⌋), 1/(a - ⌊a⌋)).
    let low = Rational::from(b - &floor).recip();
    let frac = Rational::from(a - &floor);
    let high = (frac != 0).then(|| frac.recip());
    floor + simplest_between(&low, high.as_ref()).recip()
}

/// The root as a rational number, when it is one (`None`: irrational, or the polynomial's
/// coefficients too large to tell; callers treat `None` as "no rational candidate here").
pub fn rational_value(p: &UPoly, root: &Root) -> Option<Rational> {
    let ints = p.integer_coefficients();
    let lead = Integer::from(ints.last()?.abs_ref());
    if lead.significant_bits() > 512 {
        return None;
    }
    // Two rationals with denominators ≤ L are at least 1/L² apart.
    let gap = Rational::from((1, Integer::from(&lead * &lead)));
    let mut root = root.clone();
    loop {
        match &root {
            Root::Exact(q) => return Some(q.clone()),
            Root::Isolated { lo, hi } => {
                let s = simplest_between(lo, Some(hi));
                if *s.denom() <= lead && p.sign_at(&s) == Ordering::Equal {
                    return Some(s);
                }
                if Rational::from(hi - lo) < gap {
                    return None;
                }
            }
        }
        root = narrow(p, root);
    }
}

/// The rational roots of `p` (any polynomial), in increasing order.
pub fn rational_roots(p: &UPoly) -> Vec<Rational> {
    if p.is_zero() {
        return Vec::new();
    }
    let s = p.squarefree();
    isolate(&s)
        .iter()
        .filter_map(|r| rational_value(&s, r))
        .collect()
}

/// A formula of sign conditions `p ⋈ 0` on polynomials in one variable.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    Const(bool),
    /// `p ⋈ 0`.
    Sign(UPoly, Rel),
    Not(Box<Formula>),
    And(Box<Formula>, Box<Formula>),
    Or(Box<Formula>, Box<Formula>),
    Imp(Box<Formula>, Box<Formula>),
    Iff(Box<Formula>, Box<Formula>),
}

fn rel_holds(s: Ordering, r: Rel) -> bool {
    match r {
        Rel::Le => s != Ordering::Greater,
        Rel::Lt => s == Ordering::Less,
        Rel::Ge => s != Ordering::Less,
        Rel::Gt => s == Ordering::Greater,
        Rel::Eq => s == Ordering::Equal,
        Rel::Ne => s != Ordering::Equal,
    }
}

impl Formula {
    /// The truth of the formula given each polynomial's sign.
    pub fn eval(&self, sign: &mut dyn FnMut(&UPoly) -> Ordering) -> bool {
        match self {
            Formula::Const(b) => *b,
            Formula::Sign(p, r) => rel_holds(sign(p), *r),
            Formula::Not(a) => !a.eval(sign),
            Formula::And(a, b) => a.eval(sign) && b.eval(sign),
            Formula::Or(a, b) => a.eval(sign) || b.eval(sign),
            Formula::Imp(a, b) => !a.eval(sign) || b.eval(sign),
            Formula::Iff(a, b) => a.eval(sign) == b.eval(sign),
        }
    }

    fn polys<'a>(&'a self, out: &mut Vec<&'a UPoly>) {
        match self {
            Formula::Const(_) => {}
            Formula::Sign(p, _) => out.push(p),
            Formula::Not(a) => a.polys(out),
            Formula::And(a, b) | Formula::Or(a, b) | Formula::Imp(a, b) | Formula::Iff(a, b) => {
                a.polys(out);
                b.polys(out);
            }
        }
    }

    pub fn and(a: Formula, b: Formula) -> Formula {
        Formula::And(Box::new(a), Box::new(b))
    }

    pub fn imp(a: Formula, b: Formula) -> Formula {
        Formula::Imp(Box::new(a), Box::new(b))
    }
}

/// A point where a formula fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Witness {
    Rational(Rational),
    /// The root of `poly` (square-free) in `(lo, hi)`: irrational as far as is known.
    Root {
        poly: UPoly,
        lo: Rational,
        hi: Rational,
    },
}

impl Witness {
    /// Lean-readable text: `3/2`, or `the root of x ^ 2 - 2 in (…, …) (≈ 1.41421356)`.
    pub fn text(&self, var: &str) -> String {
        match self {
            Witness::Rational(q) => crate::certificate::rational_text(q),
            Witness::Root { poly, lo, hi } => format!(
                "the root of {} in ({}, {}) (≈ {:.9})",
                poly.lean(var),
                crate::certificate::rational_text(lo),
                crate::certificate::rational_text(hi),
                Rational::from(lo + hi).to_f64() / 2.0
            ),
        }
    }
}

/// Whether a formula holds for every real value of its variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Holds,
    Fails(Witness),
}

/// The cells of ℝ cut by the roots of `polys`: the square-free product whose roots they are, the
/// roots in order, and one rational point inside each open cell.
pub struct Cells {
    pub product: UPoly,
    pub roots: Vec<Root>,
    pub samples: Vec<Rational>,
}

/// Above this degree the cells' product polynomial is not worth exact root isolation (its
/// Sturm sequence's coefficients grow with the square of the degree).
pub const MAX_CELL_DEGREE: usize = 48;

/// `None` when the product of the square-free parts exceeds [`MAX_CELL_DEGREE`].
pub fn cells(polys: &[&UPoly]) -> Option<Cells> {
    let mut product = UPoly::constant(Rational::from(1));
    for p in polys {
        if p.degree().unwrap_or(0) > 0 {
            let part = p.squarefree();
            if product.degree().unwrap_or(0) + part.degree().unwrap_or(0) > MAX_CELL_DEGREE {
                return None;
            }
            product = product.mul(&part);
        }
    }
    let product = product.squarefree();
    // Rational roots are found exactly: they are evaluated exactly, and a failure there is a
    // rational witness.
    let roots: Vec<Root> = isolate(&product)
        .into_iter()
        .map(|r| match rational_value(&product, &r) {
            Some(q) => Root::Exact(q),
            None => r,
        })
        .collect();
    let mut samples = Vec::new();
    match (roots.first(), roots.last()) {
        (Some(first), Some(last)) => {
            samples.push(Rational::from(first.bounds().0 - 1u32));
            for pair in roots.windows(2) {
                let (upper, lower) = (pair[0].bounds().1, pair[1].bounds().0);
                samples.push(Rational::from(upper + lower) / 2u32);
            }
            samples.push(Rational::from(last.bounds().1 + 1u32));
        }
        _ => samples.push(Rational::new()),
    }
    Some(Cells {
        product,
        roots,
        samples,
    })
}

/// Decides `∀ x, f x` exactly; a failure comes with a point, rational whenever a rational point
/// fails. `None` when the formula's polynomials are too many or too large (see [`cells`]).
pub fn decide_forall(f: &Formula) -> Option<Decision> {
    let mut polys = Vec::new();
    f.polys(&mut polys);
    let cells = cells(&polys)?;
    let rationals = cells
        .samples
        .iter()
        .chain(cells.roots.iter().filter_map(Root::exact));
    for x in rationals {
        if !f.eval(&mut |p| p.sign_at(x)) {
            return Some(Decision::Fails(Witness::Rational(x.clone())));
        }
    }
    for root in &cells.roots {
        if matches!(root, Root::Isolated { .. })
            && !f.eval(&mut |p| sign_at_root(p, &cells.product, root))
        {
            return Some(Decision::Fails(witness_at(&polys, &cells.product, root)));
        }
    }
    Some(Decision::Holds)
}

/// An irrational root of `product` as a witness: defined by the square-free part of the formula's
/// polynomial that vanishes there, in an interval narrowed to width ≤ 2⁻²⁰.
fn witness_at(polys: &[&UPoly], product: &UPoly, root: &Root) -> Witness {
    let poly = polys
        .iter()
        .find(|p| p.degree().unwrap_or(0) > 0 && sign_at_root(p, product, root) == Ordering::Equal)
        .map(|p| p.squarefree())
        .unwrap_or_else(|| product.clone());
    let width = Rational::from((1, 1 << 20));
    let mut root = root.clone();
    loop {
        match &root {
            Root::Exact(q) => return Witness::Rational(q.clone()),
            Root::Isolated { lo, hi } if Rational::from(hi - lo) <= width => {
                return Witness::Root {
                    poly,
                    lo: lo.clone(),
                    hi: hi.clone(),
                };
            }
            Root::Isolated { .. } => root = narrow(product, root),
        }
    }
}

/// An interval of ℝ: each finite end with whether it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub lo: Option<(Rational, bool)>,
    pub hi: Option<(Rational, bool)>,
}

impl Span {
    #[cfg(test)]
    pub const ALL: Span = Span { lo: None, hi: None };

    pub fn contains(&self, x: &Rational) -> bool {
        let above = match &self.lo {
            None => true,
            Some((a, open)) => x > a || (!open && x == a),
        };
        let below = match &self.hi {
            None => true,
            Some((b, open)) => x < b || (!open && x == b),
        };
        above && below
    }

    pub fn is_empty(&self) -> bool {
        match (&self.lo, &self.hi) {
            (Some((a, ao)), Some((b, bo))) => a > b || (a == b && (*ao || *bo)),
            _ => false,
        }
    }

    /// Membership as a formula in the variable.
    pub fn formula(&self) -> Formula {
        let end = |bound: &Option<(Rational, bool)>, upper: bool| match bound {
            None => Formula::Const(true),
            Some((q, open)) => {
                // x - q ≥ 0 (lower end) or x - q ≤ 0 (upper end), strict when open.
                let p = UPoly::x().sub(&UPoly::constant(q.clone()));
                let rel = match (upper, open) {
                    (false, false) => Rel::Ge,
                    (false, true) => Rel::Gt,
                    (true, false) => Rel::Le,
                    (true, true) => Rel::Lt,
                };
                Formula::Sign(p, rel)
            }
        };
        Formula::and(end(&self.lo, false), end(&self.hi, true))
    }

    /// Whether the root (of `p`) lies in the span.
    fn contains_root(&self, p: &UPoly, root: &Root) -> bool {
        let mut sign = |q: &UPoly| sign_at_root(q, p, root);
        self.formula().eval(&mut sign)
    }

    /// Some rational point of a non-empty span.
    fn some_point(&self) -> Rational {
        match (&self.lo, &self.hi) {
            (Some((a, false)), _) => a.clone(),
            (_, Some((b, false))) => b.clone(),
            (Some((a, _)), Some((b, _))) => Rational::from(a + b) / 2u32,
            (Some((a, _)), None) => Rational::from(a + 1u32),
            (None, Some((b, _))) => Rational::from(b - 1u32),
            (None, None) => Rational::new(),
        }
    }
}

/// The infimum of a polynomial over a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Infimum {
    /// The span is empty (every claim about its points holds vacuously).
    Empty,
    /// The polynomial takes arbitrarily negative values on the span.
    Unbounded,
    /// The exact infimum; the rational points of the span where it is attained (for a constant:
    /// one point of the span); whether it is attained at all (it may only be approached at an
    /// open end, or attained at irrational points only).
    Value {
        value: Rational,
        at: Vec<Rational>,
        attained: bool,
    },
    /// The infimum is not a rational number theorist found (e.g. attained only at an
    /// irrational critical point with an irrational value).
    NotRational,
}

/// Whether `f` takes arbitrarily negative values on the (non-empty) span.
pub fn unbounded_below(f: &UPoly, span: &Span) -> bool {
    (span.hi.is_none() && f.sign_at_infinity(true) == Ordering::Less)
        || (span.lo.is_none() && f.sign_at_infinity(false) == Ordering::Less)
}

/// Whether `m` is the infimum of `f` on the non-empty span: `f - m ≥ 0` on it, and `f - m` has
/// a root in its closure (a polynomial bounded below on an unbounded span does not approach its
/// infimum at infinity unless it is constant).
pub fn is_infimum(f: &UPoly, span: &Span, m: &Rational) -> bool {
    if span.is_empty() {
        return false;
    }
    let shifted = f.sub(&UPoly::constant(m.clone()));
    let bound = Formula::imp(span.formula(), Formula::Sign(shifted.clone(), Rel::Ge));
    if decide_forall(&bound) != Some(Decision::Holds) {
        return false;
    }
    if shifted.is_zero() {
        return true;
    }
    let closure = Span {
        lo: span.lo.clone().map(|(q, _)| (q, false)),
        hi: span.hi.clone().map(|(q, _)| (q, false)),
    };
    let s = shifted.squarefree();
    isolate(&s).iter().any(|r| closure.contains_root(&s, r))
}

/// The infimum of `f` over `span`, exactly. Candidates are the values at the span's finite
/// ends, at the rational critical points inside it, and the rational critical values; the
/// smallest candidate that bounds `f` from below on the span is the infimum (it is a value of
/// `f` at a point of the span's closure).
pub fn infimum(f: &UPoly, span: &Span) -> Infimum {
    if span.is_empty() {
        return Infimum::Empty;
    }
    if let Some(c) = f.as_constant() {
        return Infimum::Value {
            value: c,
            at: vec![span.some_point()],
            attained: true,
        };
    }
    if unbounded_below(f, span) {
        return Infimum::Unbounded;
    }
    let mut candidates: Vec<Rational> = [&span.lo, &span.hi]
        .into_iter()
        .flatten()
        .map(|(q, _)| f.eval(q))
        .collect();
    candidates.extend(
        rational_roots(&f.derivative())
            .iter()
            .filter(|x| span.contains(x))
            .map(|x| f.eval(x)),
    );
    candidates.extend(critical_values(f));
    candidates.sort();
    candidates.dedup();
    for m in candidates {
        let shifted = f.sub(&UPoly::constant(m.clone()));
        let bound = Formula::imp(span.formula(), Formula::Sign(shifted.clone(), Rel::Ge));
        if decide_forall(&bound) == Some(Decision::Holds) {
            let s = shifted.squarefree();
            let inside: Vec<Root> = isolate(&s)
                .into_iter()
                .filter(|r| span.contains_root(&s, r))
                .collect();
            return Infimum::Value {
                value: m,
                at: inside
                    .iter()
                    .filter_map(|r| rational_value(&s, r))
                    .collect(),
                attained: !inside.is_empty(),
            };
        }
    }
    Infimum::NotRational
}

/// `p = c · g²` with `c > 0` and `g` monic of degree ≥ 1, when it is one (a one-line proof that
/// `p ≥ 0`).
pub fn square_root(p: &UPoly) -> Option<(Rational, UPoly)> {
    let n = p.degree()?;
    let c = p.lead()?.clone();
    if n == 0 || n % 2 == 1 || c <= 0 {
        return None;
    }
    let q = p.monic();
    let k = n / 2;
    // Match coefficients from the top: q_{k+i} = Σ_{j+l=k+i} g_j g_l with g_k = 1.
    let mut g = vec![Rational::new(); k + 1];
    g[k] = Rational::from(1);
    for i in (0..k).rev() {
        let mut rest = Rational::new();
        for j in i + 1..k {
            let l = k + i - j;
            if l > i && l < k {
                rest += Rational::from(&g[j] * &g[l]);
            }
        }
        g[i] = (Rational::from(&q.c[k + i] - &rest)) / 2u32;
    }
    let g = UPoly::from_coeffs(g);
    (g.mul(&g) == q).then_some((c, g))
}

/// The rational critical values of `f`: the rational `m` for which `f - m` has a multiple root,
/// i.e. the rational roots of the resultant `Res_x(f(x) - m, f'(x))`, a polynomial in `m` of
/// degree `deg f - 1`, interpolated from its values at `deg f` points. This finds a rational
/// minimum attained at irrational points (`x⁴ - x²` has minimum `-1/4` at `±1/√2`).
fn critical_values(f: &UPoly) -> Vec<Rational> {
    let n = f.degree().unwrap_or(0);
    if !(3..=12).contains(&n) {
        // Quadratics have rational critical points already; big degrees are not worth it.
        return Vec::new();
    }
    let d = f.derivative();
    let points: Vec<Rational> = (0..n as i64).map(Rational::from).collect();
    let values: Vec<Rational> = points
        .iter()
        .map(|m| resultant(&f.sub(&UPoly::constant(m.clone())), &d))
        .collect();
    let r = interpolate(&points, &values);
    rational_roots(&r)
}

/// The resultant of two non-zero polynomials (determinant of the Sylvester matrix, by exact
/// Gaussian elimination).
fn resultant(a: &UPoly, b: &UPoly) -> Rational {
    let (Some(m), Some(n)) = (a.degree(), b.degree()) else {
        return Rational::new();
    };
    let size = m + n;
    if size == 0 {
        return Rational::from(1);
    }
    let mut rows: Vec<Vec<Rational>> = Vec::with_capacity(size);
    for (coeffs, deg, count) in [(a.coeffs(), m, n), (b.coeffs(), n, m)] {
        for shift in 0..count {
            let mut row = vec![Rational::new(); size];
            for (k, c) in coeffs.iter().enumerate() {
                // Highest degree first in each row.
                row[shift + deg - k] = c.clone();
            }
            rows.push(row);
        }
    }
    let mut det = Rational::from(1);
    for col in 0..size {
        let Some(pivot) = (col..size).find(|&r| rows[r][col] != 0) else {
            return Rational::new();
        };
        if pivot != col {
            rows.swap(pivot, col);
            det = -det;
        }
        let p = rows[col][col].clone();
        det *= &p;
        let (pivot_rows, below) = rows.split_at_mut(col + 1);
        let pivot_row = &pivot_rows[col];
        for row in below {
            if row[col] != 0 {
                let factor = Rational::from(&row[col] / &p);
                for (x, pv) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                    *x -= Rational::from(&factor * pv);
                }
            }
        }
    }
    det
}

/// The polynomial of degree `< points.len()` through `(points[i], values[i])` (Lagrange).
fn interpolate(points: &[Rational], values: &[Rational]) -> UPoly {
    let mut acc = UPoly::zero();
    for (i, (xi, yi)) in points.iter().zip(values).enumerate() {
        let mut basis = UPoly::constant(yi.clone());
        for (j, xj) in points.iter().enumerate() {
            if i != j {
                let factor = UPoly::x().sub(&UPoly::constant(xj.clone()));
                basis = basis.mul(&factor).scale(&Rational::from(xi - xj).recip());
            }
        }
        acc = acc.add(&basis);
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poly(c: &[i64]) -> UPoly {
        UPoly::from_coeffs(c.iter().map(|&k| Rational::from(k)).collect())
    }

    fn poly_of(c: &[i64]) -> UPoly {
        poly(c)
    }

    fn q(n: i64, d: i64) -> Rational {
        Rational::from((n, d))
    }

    #[test]
    fn arithmetic_division_and_gcd() {
        // (x - 1)² (x + 2) = x³ - 3x + 2
        let p = poly(&[2, -3, 0, 1]);
        let (quot, rem) = p.div_rem(&poly(&[-1, 1]));
        assert_eq!(quot, poly(&[-2, 1, 1]));
        assert!(rem.is_zero());
        assert_eq!(p.squarefree(), poly(&[-2, 1, 1]));
        assert_eq!(UPoly::gcd(&p, &p.derivative()), poly(&[-1, 1]));
        assert_eq!(p.eval(&q(1, 2)), q(5, 8));
        assert_eq!(p.lean("x"), "x ^ 3 - 3 * x + 2");
        assert_eq!(poly(&[0, -1]).scale(&q(1, 2)).lean("y"), "-1 * y / 2");
    }

    #[test]
    fn roots_are_isolated_in_order_and_rational_ones_recognised() {
        // (x² - 2)(2x - 1)(x + 3): roots -3, -√2, 1/2, √2.
        let p = poly(&[-2, 0, 1]).mul(&poly(&[-1, 2])).mul(&poly(&[3, 1]));
        let s = p.squarefree();
        let roots = isolate(&s);
        assert_eq!(roots.len(), 4);
        let rational: Vec<Option<Rational>> = roots.iter().map(|r| rational_value(&s, r)).collect();
        assert_eq!(
            rational,
            [Some(Rational::from(-3)), None, Some(q(1, 2)), None]
        );
        assert_eq!(rational_roots(&p), [Rational::from(-3), q(1, 2)]);
        // The sign of x² - 2 at the root √2 is 0, of x - 1 positive, of x - 3/2 negative.
        let sqrt2 = &roots[3];
        assert_eq!(sign_at_root(&poly(&[-2, 0, 1]), &s, sqrt2), Ordering::Equal);
        assert_eq!(sign_at_root(&poly(&[-1, 1]), &s, sqrt2), Ordering::Greater);
        assert_eq!(
            sign_at_root(&poly(&[-3, 2]), &s, sqrt2),
            Ordering::Less,
            "√2 < 3/2"
        );
        // 1.41421356 < √2 < 1.41421357.
        let t = poly(&[-141_421_357, 100_000_000]);
        assert_eq!(sign_at_root(&t, &s, sqrt2), Ordering::Less);
    }

    #[test]
    fn simplest_rationals() {
        assert_eq!(simplest_between(&q(1, 3), Some(&q(1, 2))), q(2, 5));
        assert_eq!(simplest_between(&q(-7, 2), Some(&q(-3, 1))), q(-10, 3));
        assert_eq!(simplest_between(&q(-1, 2), Some(&q(1, 3))), q(0, 1));
        assert_eq!(simplest_between(&q(5, 2), None), q(3, 1));
        assert_eq!(simplest_between(&q(0, 1), Some(&q(1, 100))), q(1, 101));
    }

    #[test]
    fn formulas_hold_for_all_reals_or_fail_at_a_point() {
        // x² - 2x + 1 ≥ 0 everywhere; > 0 fails exactly at 1.
        let sq = poly(&[1, -2, 1]);
        assert_eq!(
            decide_forall(&Formula::Sign(sq.clone(), Rel::Ge)),
            Some(Decision::Holds)
        );
        assert_eq!(
            decide_forall(&Formula::Sign(sq, Rel::Gt)),
            Some(Decision::Fails(Witness::Rational(Rational::from(1))))
        );
        // x² = 2 → x > 0 fails at -√2, which has no rational witness.
        let f = Formula::imp(
            Formula::Sign(poly(&[-2, 0, 1]), Rel::Eq),
            Formula::Sign(poly(&[0, 1]), Rel::Gt),
        );
        let Some(Decision::Fails(w @ Witness::Root { .. })) = decide_forall(&f) else {
            panic!("not refuted at -√2");
        };
        let Witness::Root {
            ref lo,
            ref hi,
            ref poly,
        } = w
        else {
            unreachable!()
        };
        // -√2 lies in (lo, hi), and the interval is narrow.
        assert!(
            *lo < 0 && *hi < 0 && Rational::from(lo * lo) > 2 && Rational::from(hi * hi) < 2,
            "{w:?}"
        );
        assert!(Rational::from(hi - lo) <= Rational::from((1, 1 << 20)));
        assert_eq!(poly, &poly_of(&[-2, 0, 1]));
        assert!(
            w.text("x").starts_with("the root of x ^ 2 - 2 in ("),
            "{}",
            w.text("x")
        );
    }

    #[test]
    fn infima_over_intervals() {
        let higgs = poly(&[0, -1, 1]); // y² - y: minimum -1/4 at 1/2
        assert_eq!(
            infimum(&higgs, &Span::ALL),
            Infimum::Value {
                value: q(-1, 4),
                at: vec![q(1, 2)],
                attained: true
            }
        );
        // On [1, ∞) the minimum is at the end: 0 at 1.
        let from_one = Span {
            lo: Some((Rational::from(1), false)),
            hi: None,
        };
        assert_eq!(
            infimum(&higgs, &from_one),
            Infimum::Value {
                value: Rational::new(),
                at: vec![Rational::from(1)],
                attained: true
            }
        );
        // On (1, ∞) it is only approached.
        let open = Span {
            lo: Some((Rational::from(1), true)),
            hi: None,
        };
        assert_eq!(
            infimum(&higgs, &open),
            Infimum::Value {
                value: Rational::new(),
                at: vec![],
                attained: false
            }
        );
        assert_eq!(infimum(&poly(&[0, 0, -1]), &Span::ALL), Infimum::Unbounded);
        assert_eq!(
            infimum(&poly(&[0, 1]), &from_one),
            Infimum::Value {
                value: Rational::from(1),
                at: vec![Rational::from(1)],
                attained: true
            }
        );
        // x⁴ - x²: minimum -1/4 at ±1/√2 (irrational points, rational value).
        let quartic = poly(&[0, 0, -1, 0, 1]);
        let Infimum::Value {
            value,
            at,
            attained,
        } = infimum(&quartic, &Span::ALL)
        else {
            panic!("no infimum");
        };
        assert_eq!(value, q(-1, 4));
        assert!(at.is_empty() && attained);
        assert!(is_infimum(&quartic, &Span::ALL, &q(-1, 4)));
        assert!(!is_infimum(&quartic, &Span::ALL, &q(-1, 2)));
        assert!(!is_infimum(&quartic, &Span::ALL, &q(-1, 8)));
        assert_eq!(
            square_root(&quartic.add(&poly(&[1]))),
            None,
            "x⁴ - x² + 1 is no square"
        );
        // x⁴ - 2x² + 1 = (x² - 1)².
        assert_eq!(
            square_root(&poly(&[2, 0, -4, 0, 2])),
            Some((Rational::from(2), poly(&[-1, 0, 1])))
        );
        // x⁴ - 2x - 1: minimum at the irrational 2^(-1/3), irrational value.
        assert_eq!(
            infimum(&poly(&[-1, -2, 0, 0, 1]), &Span::ALL),
            Infimum::NotRational
        );
        let empty = Span {
            lo: Some((Rational::from(1), false)),
            hi: Some((Rational::from(0), false)),
        };
        assert_eq!(infimum(&higgs, &empty), Infimum::Empty);
    }

    proptest::proptest! {
        /// Root counting agrees with the roots one builds the polynomial from.
        #[test]
        fn isolation_finds_exactly_the_roots_put_in(roots in proptest::collection::vec((-20i64..20, 1i64..5), 1..6)) {
            let mut p = UPoly::constant(Rational::from(1));
            let mut expected: Vec<Rational> = Vec::new();
            for (n, d) in &roots {
                p = p.mul(&UPoly::from_coeffs(vec![Rational::from(-n), Rational::from(*d)]));
                expected.push(q(*n, *d));
            }
            expected.sort();
            expected.dedup();
            proptest::prop_assert_eq!(rational_roots(&p), expected);
        }

        /// `∀ x, p x ≥ 0` agrees with a dense scan for squares plus a shift.
        #[test]
        fn nonnegativity_is_decided_exactly(a in -5i64..6, b in -5i64..6, c in -5i64..6) {
            // (x² + a x + b)² + c ≥ 0 ⟺ c ≥ -min (x² + a x + b)², i.e. c ≥ 0 or the inner
            // quadratic never gets within √-c of 0.
            let inner = poly(&[b, a, 1]);
            let p = inner.mul(&inner).add(&poly(&[c]));
            let holds = decide_forall(&Formula::Sign(p.clone(), Rel::Ge)) == Some(Decision::Holds);
            let min_inner = Rational::from(b) - Rational::from(a * a) / 4u32;
            let min_sq = if min_inner <= 0 { Rational::new() } else { Rational::from(&min_inner * &min_inner) };
            proptest::prop_assert_eq!(holds, Rational::from(c) + min_sq >= 0);
        }
    }
}
