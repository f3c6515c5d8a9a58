//! Small real matrices with literal sizes (`Matrix (Fin 2) (Fin 2) ℝ`, `!![a, b; c, d]`): a
//! matrix is its entries, and `+ - *`, `•`, `^` by a numeral, `.det`, `.transpose` and
//! equations are expanded into them. Numerals in a matrix tree are matrices, as Lean
//! elaborates them (`1` is the identity, `2` is `2 • 1`); a real number multiplies a matrix only
//! through `•` (`a * M` does not typecheck in Lean and is not read).

use std::rc::Rc;

use super::real::{add, lit, mul, neg};
use super::tree::Leaf;
use super::{Cx, Elab, R};
use crate::core::{Expr, Prop, Rel, Ty};
use crate::front::lex::Pos;
use crate::front::syntax::{Kind, Op, Term};
use crate::front::value::{TyVal, Val};

const UNTYPED: &str = "a matrix literal whose type theorist does not know here (write `(… : Matrix (Fin m) (Fin n) ℝ)`)";

/// The most a matrix tree may nest (its recursion is bounded).
const MAX_DEPTH: usize = 200;
/// The largest size whose determinant is expanded (Laplace along the first row).
const MAX_DET: usize = 4;
/// The largest literal exponent of a matrix power.
const MAX_POW: u32 = 8;

type Entries = Vec<Vec<Expr>>;

/// The value of a node of a matrix tree.
enum MVal {
    Matrix(Entries),
    /// A numeral: `k • 1` of whatever size the tree gives it.
    Numeral(i64),
    /// A real number (only as the left side of `•`).
    Scalar(Expr),
    /// `!![…]` without a type: it takes the type of the matrix it meets (Lean's `binop%`).
    Literal(Vec<Vec<Term>>),
}

fn dims(m: &Entries) -> (usize, usize) {
    (m.len(), m.first().map_or(0, Vec::len))
}

fn diagonal(n: usize, k: i64) -> Entries {
    (0..n)
        .map(|i| (0..n).map(|j| lit(if i == j { k } else { 0 })).collect())
        .collect()
}

fn product(a: &Entries, b: &Entries) -> Entries {
    let (m, k) = dims(a);
    let (_, n) = dims(b);
    (0..m)
        .map(|i| {
            (0..n)
                .map(|j| {
                    (0..k).fold(lit(0), |acc, t| {
                        add(acc, mul(a[i][t].clone(), b[t][j].clone()))
                    })
                })
                .collect()
        })
        .collect()
}

fn transpose(a: &Entries) -> Entries {
    let (m, n) = dims(a);
    (0..n)
        .map(|j| (0..m).map(|i| a[i][j].clone()).collect())
        .collect()
}

/// Laplace expansion along the first row.
fn det(a: &Entries) -> Expr {
    let n = a.len();
    if n == 0 {
        return lit(1);
    }
    if n == 1 {
        return a[0][0].clone();
    }
    let mut acc = lit(0);
    for j in 0..n {
        let minor: Entries = a[1..]
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(c, _)| *c != j)
                    .map(|(_, e)| e.clone())
                    .collect()
            })
            .collect();
        let term = mul(a[0][j].clone(), det(&minor));
        acc = add(acc, if j % 2 == 0 { term } else { neg(term) });
    }
    acc
}

impl Elab<'_> {
    /// Whether a tree has a matrix leaf.
    pub(super) fn is_matrix_tree(&mut self, t: &Term, cx: &Cx) -> R<bool> {
        let mut leaves = Vec::new();
        self.collect(t, cx, &mut leaves)?;
        Ok(leaves.iter().any(|l| matches!(l, Leaf::Matrix)))
    }

    /// A tree of matrices (`boost a * boost b`, `A + 1`).
    pub(super) fn matrix_tree(&mut self, t: &Term, cx: &Cx) -> R<Val> {
        match self.mval(t, cx, 0)? {
            MVal::Matrix(m) => Ok(Val::Matrix(Rc::new(m))),
            MVal::Numeral(_) => self.fail(
                cx,
                t.pos,
                "a matrix numeral whose size theorist does not know here",
            ),
            MVal::Scalar(e) => Ok(Val::Num(e)),
            MVal::Literal(rows) => self.matrix_literal(&rows, cx, None, t.pos),
        }
    }

    /// A term of a matrix tree: a matrix, a numeral (a scalar matrix of the size the tree
    /// gives it), a real scalar, or a literal whose type the tree gives it.
    fn mval(&mut self, t: &Term, cx: &Cx, depth: usize) -> R<MVal> {
        if depth > MAX_DEPTH {
            return self.fail(cx, t.pos, "a matrix expression nested too deeply");
        }
        match &t.kind {
            Kind::Paren(e) => self.mval(e, cx, depth + 1),
            Kind::Nat(k) => match k.parse::<i64>() {
                Ok(k) => Ok(MVal::Numeral(k)),
                Err(_) => self.fail(cx, t.pos, format!("the numeral `{k}` is too large")),
            },
            Kind::MatrixLit(rows) => Ok(MVal::Literal(rows.clone())),
            Kind::Neg(a) => {
                let x = self.mval(a, cx, depth + 1)?;
                self.mneg(x, t, cx)
            }
            Kind::Binop(o @ (Op::Add | Op::Sub), a, b) => {
                let x = self.mval(a, cx, depth + 1)?;
                let y = self.mval(b, cx, depth + 1)?;
                let y = if *o == Op::Sub {
                    self.mneg(y, t, cx)?
                } else {
                    y
                };
                self.msum(x, y, t, cx)
            }
            Kind::Binop(Op::Mul, a, b) => {
                let x = self.mval(a, cx, depth + 1)?;
                let y = self.mval(b, cx, depth + 1)?;
                match (x, y) {
                    (MVal::Numeral(p), MVal::Numeral(q)) => Ok(MVal::Numeral(p * q)),
                    (x, y) => {
                        let (x, y) = self.same_size(x, y, cx, t.pos)?;
                        if dims(&x).1 != dims(&y).0 {
                            return self.fail(
                                cx,
                                t.pos,
                                "a product of matrices whose sizes do not fit",
                            );
                        }
                        Ok(MVal::Matrix(product(&x, &y)))
                    }
                }
            }
            Kind::Binop(Op::SMul, a, b) => {
                let c = self.arith(a, cx, Some(Ty::Real))?;
                match self.mval(b, cx, depth + 1)? {
                    MVal::Matrix(m) => Ok(MVal::Matrix(map(m, |e| mul(c.clone(), e)))),
                    MVal::Literal(_) => self.fail(cx, t.pos, UNTYPED),
                    _ => self.fail(
                        cx,
                        t.pos,
                        "`•` on something that is not a matrix of known size",
                    ),
                }
            }
            Kind::Binop(Op::Pow, a, n) => self.mpow(a, n, t, cx, depth),
            Kind::Binop(o, ..) => {
                self.fail(cx, t.pos, format!("`{}` in matrix arithmetic", o.text()))
            }
            _ => match self.elab(t, cx, None)? {
                Val::Matrix(m) => Ok(MVal::Matrix(m.as_ref().clone())),
                Val::Num(e) => Ok(MVal::Scalar(self.coerce(e, Ty::Real, cx, t.pos)?)),
                other => self.fail(
                    cx,
                    t.pos,
                    format!("{} inside matrix arithmetic", other.describe()),
                ),
            },
        }
    }

    /// `-x` in a matrix tree (an untyped literal cannot be negated before its type is known).
    fn mneg(&self, x: MVal, t: &Term, cx: &Cx) -> R<MVal> {
        match x {
            MVal::Matrix(m) => Ok(MVal::Matrix(map(m, neg))),
            MVal::Numeral(k) => Ok(MVal::Numeral(-k)),
            MVal::Scalar(e) => Ok(MVal::Scalar(neg(e))),
            MVal::Literal(_) => self.fail(cx, t.pos, UNTYPED),
        }
    }

    /// `x + y` in a matrix tree: numerals add, anything else entrywise at one size.
    fn msum(&mut self, x: MVal, y: MVal, t: &Term, cx: &Cx) -> R<MVal> {
        match (x, y) {
            (MVal::Numeral(p), MVal::Numeral(q)) => Ok(MVal::Numeral(p + q)),
            (x, y) => {
                let (x, y) = self.same_size(x, y, cx, t.pos)?;
                if dims(&x) != dims(&y) {
                    return self.fail(cx, t.pos, "adding matrices of different sizes");
                }
                Ok(MVal::Matrix(
                    x.into_iter()
                        .zip(y)
                        .map(|(r, s)| r.into_iter().zip(s).map(|(p, q)| add(p, q)).collect())
                        .collect(),
                ))
            }
        }
    }

    /// `a ^ n` of a square matrix, multiplied out, for a numeral `n ≤ MAX_POW`.
    fn mpow(&mut self, a: &Term, n: &Term, t: &Term, cx: &Cx, depth: usize) -> R<MVal> {
        let k = self.numeral_exponent(n, MAX_POW, "a matrix", cx)?;
        match self.mval(a, cx, depth + 1)? {
            MVal::Matrix(m) if dims(&m).0 == dims(&m).1 => {
                let mut acc = diagonal(m.len(), 1);
                for _ in 0..k {
                    acc = product(&acc, &m);
                }
                Ok(MVal::Matrix(acc))
            }
            _ => self.fail(cx, t.pos, "a power of a matrix that is not square"),
        }
    }

    /// Two operands as matrices, a numeral taking the other's (square) size and an untyped
    /// literal the other's type.
    fn same_size(&mut self, x: MVal, y: MVal, cx: &Cx, pos: Pos) -> R<(Entries, Entries)> {
        let square = |m: &Entries| (dims(m).0 == dims(m).1).then_some(m.len());
        let typed = |e: &mut Self, rows: &[Vec<Term>], like: &Entries| -> R<Entries> {
            let (r, c) = dims(like);
            match e.matrix_literal(rows, cx, Some(&TyVal::Matrix(r as u64, c as u64)), pos)? {
                Val::Matrix(m) => Ok(m.as_ref().clone()),
                _ => unreachable!("a matrix literal is a matrix"),
            }
        };
        match (x, y) {
            (MVal::Matrix(a), MVal::Literal(rows)) => {
                let b = typed(self, &rows, &a)?;
                Ok((a, b))
            }
            (MVal::Literal(rows), MVal::Matrix(b)) => {
                let a = typed(self, &rows, &b)?;
                Ok((a, b))
            }
            (MVal::Matrix(a), MVal::Matrix(b)) => Ok((a, b)),
            (MVal::Matrix(a), MVal::Numeral(k)) => match square(&a) {
                Some(n) => Ok((a, diagonal(n, k))),
                None => self.fail(cx, pos, "a numeral with a matrix that is not square"),
            },
            (MVal::Numeral(k), MVal::Matrix(b)) => match square(&b) {
                Some(n) => Ok((diagonal(n, k), b)),
                None => self.fail(cx, pos, "a numeral with a matrix that is not square"),
            },
            _ => self.fail(
                cx,
                pos,
                "a real number in matrix arithmetic (scalars multiply matrices through `•`)",
            ),
        }
    }

    /// `A = B`, `A ≠ B` between matrices: every entry.
    pub(super) fn matrix_relation(
        &mut self,
        rel: Rel,
        a: &Term,
        b: &Term,
        cx: &Cx,
        pos: Pos,
    ) -> R<Prop> {
        if !matches!(rel, Rel::Eq | Rel::Ne) {
            return self.fail(cx, pos, "an order on matrices");
        }
        let x = self.mval(a, cx, 0)?;
        let y = self.mval(b, cx, 0)?;
        let (x, y) = self.same_size(x, y, cx, pos)?;
        if dims(&x) != dims(&y) {
            return self.fail(cx, pos, "an equation between matrices of different sizes");
        }
        let mut eq: Option<Prop> = None;
        for (r, s) in x.into_iter().zip(y) {
            for (p, q) in r.into_iter().zip(s) {
                // Entries that are the same term are equal (`Mᵀ = M` off the diagonal).
                if p == q {
                    continue;
                }
                let c = Prop::Cmp(Rel::Eq, p, q);
                eq = Some(match eq {
                    None => c,
                    Some(e) => Prop::And(Box::new(e), Box::new(c)),
                });
            }
        }
        let eq = eq.unwrap_or(Prop::Const(true));
        Ok(if rel == Rel::Eq {
            eq
        } else {
            Prop::Not(Box::new(eq))
        })
    }

    /// `!![a, b; c, d]` at the expected type (its entries are real).
    pub(super) fn matrix_literal(
        &mut self,
        rows: &[Vec<Term>],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        let n = rows.first().map_or(0, Vec::len);
        if rows.iter().any(|r| r.len() != n) {
            return self.fail(cx, pos, "a matrix literal whose rows differ in length");
        }
        match expect {
            Some(TyVal::Matrix(m, c)) if *m == rows.len() as u64 && *c == n as u64 => {}
            Some(TyVal::Matrix(m, c)) => {
                return self.fail(
                    cx,
                    pos,
                    format!(
                        "a {}×{n} matrix literal where a {m}×{c} matrix is expected",
                        rows.len()
                    ),
                );
            }
            _ => return self.fail(cx, pos, UNTYPED),
        }
        let mut out = Vec::new();
        for r in rows {
            let mut row = Vec::new();
            for e in r {
                row.push(self.arith(e, cx, Some(Ty::Real))?);
            }
            out.push(row);
        }
        Ok(Val::Matrix(Rc::new(out)))
    }

    /// `M.det`, `M.transpose` (and `Matrix.det M`, `Matrix.transpose M`).
    pub(super) fn matrix_op(&mut self, m: &Entries, det_op: bool, cx: &Cx, pos: Pos) -> R<Val> {
        if !det_op {
            return Ok(Val::Matrix(Rc::new(transpose(m))));
        }
        let (r, c) = dims(m);
        if r != c {
            return self.fail(cx, pos, "the determinant of a matrix that is not square");
        }
        if r > MAX_DET {
            return self.fail(
                cx,
                pos,
                format!("the determinant of a {r}×{r} matrix (theorist expands up to {MAX_DET}×{MAX_DET})"),
            );
        }
        Ok(Val::Num(det(m)))
    }

    /// `Matrix (Fin m) (Fin n) ℝ`.
    pub(super) fn matrix_type(&mut self, args: &[&Term], cx: &Cx, pos: Pos) -> R<Val> {
        let [rows, cols, scalar] = args else {
            return self.fail(cx, pos, "`Matrix` takes 3 arguments here");
        };
        let rows = self.elab_type(rows, cx)?;
        let cols = self.elab_type(cols, cx)?;
        let scalar = self.elab_type(scalar, cx)?;
        Ok(Val::Type(match (rows, cols, scalar) {
            (TyVal::Fin(m), TyVal::Fin(n), TyVal::Num(Ty::Real)) => TyVal::Matrix(m, n),
            (r, c, s) => TyVal::Other(format!(
                "Matrix ({}) ({}) {}",
                r.describe(),
                c.describe(),
                s.describe()
            )),
        }))
    }
}

fn map(m: Entries, f: impl Fn(Expr) -> Expr) -> Entries {
    m.into_iter()
        .map(|r| r.into_iter().map(&f).collect())
        .collect()
}
