//! Derivatives of real functions built from operations smooth everywhere in the variable
//! (`+ - *`, `^` by a numeral, division by what does not depend on it, `sin`, `cos`, `exp`,
//! `sinh`, `cosh`, `tanh`, `arctan`): such a function is differentiable at every point, so
//! `HasDerivAt f d x` is exactly `d = f' x` and `deriv f x` is `f' x`. A function with anything
//! else in the variable (`√`, `log`, `|·|`, `tan`, a variable divisor, `if`, `⌊·⌋`, casts) may not
//! be differentiable where it is asked: it is not read.

use super::{Cx, Elab, R};
use crate::core::{Expr, Func, Ty};
use crate::front::lex::Pos;
use crate::front::syntax::Term;
use crate::front::value::Val;

/// The derivative of `e` in the real variable `x`, or the first construct that is not smooth
/// everywhere in `x`.
fn derive(e: &Expr, x: &str) -> Result<Expr, String> {
    if !e.mentions(x) {
        return Ok(Expr::lit(Ty::Real, 0));
    }
    let d = |a: &Expr| derive(a, x);
    Ok(match e {
        Expr::Var(Ty::Real, _) => Expr::lit(Ty::Real, 1),
        Expr::Neg(Ty::Real, a) => Expr::Neg(Ty::Real, Box::new(d(a)?)),
        Expr::Add(Ty::Real, xs) => Expr::Add(Ty::Real, xs.iter().map(d).collect::<Result<_, _>>()?),
        Expr::Mul(Ty::Real, xs) => {
            // (a₁ ⋯ aₙ)' = Σᵢ a₁ ⋯ aᵢ' ⋯ aₙ.
            let mut terms = Vec::new();
            for i in 0..xs.len() {
                if !xs[i].mentions(x) {
                    continue;
                }
                let mut factors = xs.clone();
                factors[i] = d(&xs[i])?;
                terms.push(Expr::Mul(Ty::Real, factors));
            }
            Expr::Add(Ty::Real, terms)
        }
        Expr::Pow(Ty::Real, _, 0) => Expr::lit(Ty::Real, 0),
        Expr::Pow(Ty::Real, a, k) => {
            // (aᵏ)' = k aᵏ⁻¹ a' (k ≥ 1, as `a` mentions x).
            Expr::Mul(
                Ty::Real,
                vec![
                    Expr::lit(Ty::Real, *k),
                    Expr::Pow(Ty::Real, a.clone(), k - 1),
                    d(a)?,
                ],
            )
        }
        Expr::Div(Ty::Real, a, b) if !b.mentions(x) => {
            // `a / c` with `c` constant is `a * c⁻¹` (so `0` everywhere when `c = 0`).
            Expr::Div(Ty::Real, Box::new(d(a)?), b.clone())
        }
        Expr::Call(f, a) => {
            let inner = d(a)?;
            let call = |g: Func| Expr::Call(g, a.clone());
            let outer = match f {
                Func::Sin => call(Func::Cos),
                Func::Cos => Expr::Neg(Ty::Real, Box::new(call(Func::Sin))),
                Func::Exp => call(Func::Exp),
                Func::Sinh => call(Func::Cosh),
                Func::Cosh => call(Func::Sinh),
                // tanh' = 1 - tanh².
                Func::Tanh => Expr::Add(
                    Ty::Real,
                    vec![
                        Expr::lit(Ty::Real, 1),
                        Expr::Neg(
                            Ty::Real,
                            Box::new(Expr::Pow(Ty::Real, Box::new(call(Func::Tanh)), 2)),
                        ),
                    ],
                ),
                // arctan' = 1 / (1 + a²), never a division by zero.
                Func::Arctan => Expr::Div(
                    Ty::Real,
                    Box::new(Expr::lit(Ty::Real, 1)),
                    Box::new(Expr::Add(
                        Ty::Real,
                        vec![Expr::lit(Ty::Real, 1), Expr::Pow(Ty::Real, a.clone(), 2)],
                    )),
                ),
                other => return Err(format!("`{}` of the variable", other.lean_name())),
            };
            Expr::Mul(Ty::Real, vec![outer, inner])
        }
        Expr::Div(..) => return Err("a divisor that depends on the variable".into()),
        Expr::Abs(..) => return Err("`|·|` of the variable".into()),
        Expr::Min(..) | Expr::Max(..) => return Err("`min`/`max` of the variable".into()),
        Expr::Ite(..) => return Err("`if … then … else` in the variable".into()),
        Expr::Rpow(..) | Expr::PowExpr(..) => return Err("a real power of the variable".into()),
        _ => return Err("a construct that is not smooth in the variable".into()),
    })
}

impl Elab<'_> {
    /// `f' x` for a function `f : ℝ → ℝ` smooth everywhere (see the module comment).
    pub(super) fn derivative_at(&mut self, f: &Term, x: &Term, cx: &Cx, pos: Pos) -> R<Expr> {
        let Val::Fun(c) = self.elab(f, cx, None)? else {
            return self.fail(
                cx,
                f.pos,
                "a derivative of something that is not a function",
            );
        };
        let at = self.arith(x, cx, Some(Ty::Real))?;
        let var = self.unique("s✝");
        let body = match self.call_value(&c, Val::Num(Expr::Var(Ty::Real, var.clone())), cx, pos)? {
            Val::Num(e) if e.ty() == Ty::Real => e,
            other => {
                return self.fail(
                    cx,
                    f.pos,
                    format!(
                        "a derivative of a function whose values are {}",
                        other.describe()
                    ),
                );
            }
        };
        match derive(&body, &var) {
            Ok(d) => Ok(d.substitute(&var, &at)),
            Err(what) => self.fail(
                cx,
                f.pos,
                format!(
                    "a derivative of a function with {what}: theorist reads derivatives only of functions smooth everywhere"
                ),
            ),
        }
    }
}
