//! The constants of the prelude (Mathlib's and Lean's that theorist knows) applied to their
//! arguments. [`Elab::builtin`] checks what every builtin shares (an unapplied function is a
//! closure over the builtin) and hands each family to its own function: types, numbers,
//! complex numbers, propositions and calculus, norms and matrices, sets.

use std::rc::Rc;

use super::super::lex::Pos;
use super::super::prelude::Builtin;
use super::super::syntax::{Arg, Kind, Term};
use super::super::value::{Closure, ClosureBody, Locals, TyVal, Val};
use super::{Cx, Elab, Fail, R, add, fin_size, negate, positional, term_text};
use crate::core::{Expr, Prop, Rel, Ty};

/// One application of a builtin: what each family needs to read it.
struct BuiltinCall<'a> {
    b: Builtin,
    name: &'a str,
    /// The positional arguments (named ones are not read by any builtin).
    args: Vec<&'a Term>,
    expect: Option<&'a TyVal>,
    /// The expected number type, if any (a meta's current type).
    expect_num: Option<Ty>,
    pos: Pos,
}

impl BuiltinCall<'_> {
    /// Fails unless exactly `n` positional arguments are given.
    fn arity(&self, n: usize, cx: &Cx) -> R<()> {
        if self.args.len() == n {
            Ok(())
        } else {
            Err(Fail {
                file: cx.file,
                pos: self.pos,
                what: format!(
                    "`{}` takes {n} arguments here, not {}",
                    self.name,
                    self.args.len()
                ),
            })
        }
    }
}

/// How many arguments a builtin function takes (0 for constants and types): one used without
/// them is a closure over the builtin.
fn function_arity(b: Builtin) -> usize {
    match b {
        Builtin::RealFn(_)
        | Builtin::Abs
        | Builtin::Cast
        | Builtin::IntToNat
        | Builtin::IntNatAbs
        | Builtin::IntFloor
        | Builtin::IntCeil
        | Builtin::Norm
        | Builtin::Id
        | Builtin::Fact
        | Builtin::NeZero
        | Builtin::ComplexRe
        | Builtin::ComplexIm
        | Builtin::ComplexOfReal
        | Builtin::ComplexNormSq
        | Builtin::Conj
        | Builtin::MatrixDet
        | Builtin::MatrixTranspose => 1,
        Builtin::Rpow | Builtin::Min | Builtin::Max | Builtin::Deriv => 2,
        Builtin::Discrim
        | Builtin::IsMinOn
        | Builtin::IsMaxOn
        | Builtin::Inner
        | Builtin::HasDerivAt => 3,
        _ => 0,
    }
}

/// A builtin function used without arguments (`Real.sqrt`, `abs`): a closure that applies it.
fn unapplied(b: Builtin, name: &str, cx: &Cx, pos: Pos) -> Closure {
    Closure {
        name: name.to_string(),
        params: Vec::new(),
        body: ClosureBody::Builtin(b, name.to_string()),
        locals: Locals::default(),
        scope: cx.scope.clone(),
        ret: None,
        file: cx.file,
        pos,
    }
}

impl Elab<'_> {
    /// A builtin constant applied to `args`: a closure when a function is given none, else
    /// the value its family reads.
    pub(super) fn builtin(
        &mut self,
        b: Builtin,
        name: &str,
        args: &[Arg],
        cx: &Cx,
        expect: Option<&TyVal>,
        pos: Pos,
    ) -> R<Val> {
        let call = BuiltinCall {
            b,
            name,
            args: positional(args),
            expect,
            expect_num: match expect {
                Some(TyVal::Num(t)) => Some(*t),
                Some(TyVal::Meta(m)) => Some(self.meta_ty(*m)),
                _ => None,
            },
            pos,
        };
        if function_arity(b) > 0 && call.args.is_empty() {
            return Ok(Val::Fun(Rc::new(unapplied(b, name, cx, pos))));
        }
        match b {
            Builtin::NumType(_)
            | Builtin::Complex
            | Builtin::EuclideanSpace
            | Builtin::Fin
            | Builtin::BundleTrivial
            | Builtin::ContMDiffSection
            | Builtin::MatrixType
            | Builtin::UnitaryGroup
            | Builtin::Quotient
            | Builtin::Subtype => self.builtin_type(&call, cx),
            Builtin::RealFn(_)
            | Builtin::Pi
            | Builtin::Rpow
            | Builtin::Abs
            | Builtin::Min
            | Builtin::Max
            | Builtin::Cast
            | Builtin::IntToNat
            | Builtin::IntNatAbs
            | Builtin::IntFloor
            | Builtin::IntCeil
            | Builtin::Discrim
            | Builtin::Reference => self.builtin_number(&call, cx),
            Builtin::ComplexI
            | Builtin::ComplexRe
            | Builtin::ComplexIm
            | Builtin::ComplexNormSq
            | Builtin::ComplexOfReal
            | Builtin::Conj
            | Builtin::StarRingEnd => self.builtin_complex(&call, cx),
            Builtin::True
            | Builtin::False
            | Builtin::Fact
            | Builtin::NeZero
            | Builtin::IsMinOn
            | Builtin::IsMaxOn
            | Builtin::HasDerivAt
            | Builtin::Deriv => self.builtin_prop(&call, cx),
            Builtin::Norm
            | Builtin::Inner
            | Builtin::Id
            | Builtin::MatrixDet
            | Builtin::MatrixTranspose
            | Builtin::QuotientLift => self.builtin_operation(&call, cx),
            Builtin::FinsetSum
            | Builtin::SetUniv
            | Builtin::Interval { .. }
            | Builtin::FinsetUniv
            | Builtin::FinsetRange
            | Builtin::FinsetInterval { .. } => self.builtin_set(&call, cx),
        }
    }

    /// Builtins that are types (or type constructors): `ℝ`, `ℂ`, `EuclideanSpace`, `Fin n`,
    /// bundles and their sections, matrices, the unitary group, quotients, subtypes.
    fn builtin_type(&mut self, call: &BuiltinCall, cx: &Cx) -> R<Val> {
        let args = &call.args;
        match call.b {
            Builtin::NumType(t) => {
                call.arity(0, cx)?;
                Ok(Val::Type(TyVal::Num(t)))
            }
            Builtin::Complex => {
                call.arity(0, cx)?;
                Ok(Val::Type(TyVal::Vector("ℂ".into())))
            }
            Builtin::EuclideanSpace => {
                call.arity(2, cx)?;
                self.euclidean_space(args[0], args[1], cx)
            }
            Builtin::Fin if args.len() == 1 => match self.closed_nat(args[0], cx) {
                Some(n) => Ok(Val::Type(TyVal::Fin(n))),
                None => Ok(Val::Type(TyVal::Other(format!(
                    "Fin {}",
                    term_text(args[0])
                )))),
            },
            Builtin::Fin => Ok(Val::Type(TyVal::Other(format!(
                "Fin {}",
                args.first().map_or(String::new(), |t| term_text(t))
            )))),
            Builtin::BundleTrivial => {
                call.arity(2, cx)?;
                let base = self.elab_type(args[0], cx).unwrap_or_else(|e| {
                    TyVal::Other(format!("{} ({})", term_text(args[0]), e.what))
                });
                let fiber = self.elab_type(args[1], cx)?;
                Ok(Val::Type(TyVal::Bundle(Box::new(base), Box::new(fiber))))
            }
            Builtin::ContMDiffSection => {
                call.arity(4, cx)?;
                self.smooth_sections(args[3], cx)
            }
            Builtin::MatrixType => self.matrix_type(args, cx, call.pos),
            Builtin::UnitaryGroup => {
                call.arity(2, cx)?;
                self.unitary_group(args[0], args[1], cx)
            }
            Builtin::Quotient => {
                call.arity(1, cx)?;
                self.quotient_type(args[0], cx, call.pos)
            }
            Builtin::Subtype => {
                call.arity(1, cx)?;
                // `Subtype fun x : T => p x`: values of `T`.
                match &args[0].unparen().kind {
                    Kind::Fun(bs, _) if bs.len() == 1 && bs[0].ty.is_some() => {
                        let base = self.elab_type(bs[0].ty.as_ref().expect("checked"), cx)?;
                        Ok(Val::Type(TyVal::Sub(Box::new(base))))
                    }
                    _ => self.fail(cx, call.pos, "a `Subtype` whose base type is not written"),
                }
            }
            other => unreachable!("`{other:?}` is not a type builtin"),
        }
    }

    /// `EuclideanSpace 𝕜 (Fin n)`: a vector space theorist models when `𝕜` is `ℝ` or `ℂ` and
    /// `n ≥ 1` is a literal; any other is a type it names but does not model.
    fn euclidean_space(&mut self, scalar: &Term, index: &Term, cx: &Cx) -> R<Val> {
        let k = self.elab(scalar, cx, None)?;
        let scalar_ok = matches!(k, Val::Type(TyVal::Num(Ty::Real)))
            || matches!(k, Val::Type(TyVal::Vector(ref s)) if s == "ℂ");
        let n = fin_size(index);
        match (scalar_ok, n) {
            (true, Some(n)) if n >= 1 => Ok(Val::Type(TyVal::Vector(format!(
                "EuclideanSpace {} (Fin {n})",
                term_text(scalar)
            )))),
            _ => Ok(Val::Type(TyVal::Other(format!(
                "EuclideanSpace {} {}",
                term_text(scalar),
                term_text(index)
            )))),
        }
    }

    /// `ContMDiffSection I F n V`: fields, when `V` is a trivial bundle of vectors over points.
    fn smooth_sections(&mut self, bundle: &Term, cx: &Cx) -> R<Val> {
        match self.elab_type(bundle, cx)? {
            TyVal::Bundle(base, fiber)
                if matches!(*fiber, TyVal::Vector(_)) && matches!(*base, TyVal::Point(_)) =>
            {
                let point = *base;
                Ok(Val::Type(TyVal::Field {
                    name: String::new(),
                    point: Box::new(point),
                    value: fiber,
                }))
            }
            other => Ok(Val::Type(TyVal::Other(format!(
                "sections of {}",
                other.describe()
            )))),
        }
    }

    /// Builtins that are numbers: real functions, `π`, `rpow`, `|·|`, `min`/`max`, casts,
    /// integer rounding, `discrim`, reference values.
    fn builtin_number(&mut self, call: &BuiltinCall, cx: &Cx) -> R<Val> {
        let (b, args, pos) = (call.b, &call.args, call.pos);
        match b {
            Builtin::RealFn(f) => {
                call.arity(1, cx)?;
                let x = self.arith(args[0], cx, Some(Ty::Real))?;
                Ok(Val::Num(Expr::Call(f, Box::new(x))))
            }
            Builtin::Pi => {
                call.arity(0, cx)?;
                Ok(Val::Num(Expr::Pi))
            }
            Builtin::Rpow => {
                call.arity(2, cx)?;
                let x = self.arith(args[0], cx, Some(Ty::Real))?;
                let y = self.arith(args[1], cx, Some(Ty::Real))?;
                Ok(Val::Num(Expr::Rpow(Box::new(x), Box::new(y))))
            }
            Builtin::Abs => {
                call.arity(1, cx)?;
                let x = self.arith(args[0], cx, call.expect_num)?;
                let ty = x.ty();
                if ty == Ty::Nat {
                    return self.fail(cx, pos, "`|·|` on ℕ: Lean has no such instance");
                }
                Ok(Val::Num(Expr::Abs(ty, Box::new(x))))
            }
            Builtin::Min | Builtin::Max => {
                call.arity(2, cx)?;
                let (a, c) = self.joint(&[args[0], args[1]], cx, call.expect_num)?;
                let ty = a.ty();
                Ok(Val::Num(if b == Builtin::Min {
                    Expr::Min(ty, Box::new(a), Box::new(c))
                } else {
                    Expr::Max(ty, Box::new(a), Box::new(c))
                }))
            }
            Builtin::Cast => {
                call.arity(1, cx)?;
                let Some(to) = call.expect_num else {
                    return self.fail(
                        cx,
                        pos,
                        format!("`{}` without a known target type", call.name),
                    );
                };
                let x = self.arith(args[0], cx, None)?;
                Ok(Val::Num(self.coerce(x, to, cx, pos)?))
            }
            Builtin::IntToNat | Builtin::IntNatAbs => {
                call.arity(1, cx)?;
                let x = self.arith(args[0], cx, Some(Ty::Int))?;
                Ok(Val::Num(if b == Builtin::IntToNat {
                    Expr::ToNat(Box::new(x))
                } else {
                    Expr::NatAbs(Box::new(x))
                }))
            }
            Builtin::IntFloor | Builtin::IntCeil => {
                call.arity(1, cx)?;
                let x = self.arith(args[0], cx, None)?;
                let ty = x.ty();
                if !ty.is_field() {
                    return self.fail(cx, pos, format!("`{}` of a {}", call.name, ty.symbol()));
                }
                Ok(Val::Num(if b == Builtin::IntFloor {
                    Expr::Floor(ty, Box::new(x))
                } else {
                    Expr::Ceil(ty, Box::new(x))
                }))
            }
            Builtin::Discrim => {
                call.arity(3, cx)?;
                self.discriminant(call, cx)
            }
            Builtin::Reference => {
                call.arity(0, cx)?;
                Ok(Val::Num(Expr::Ref(call.name.to_string())))
            }
            other => unreachable!("`{other:?}` is not a number builtin"),
        }
    }

    /// `discrim a b c = b ^ 2 - 4 * a * c` (Mathlib/Algebra/QuadraticDiscriminant.lean), its
    /// three arguments one tree as for any polymorphic function.
    fn discriminant(&mut self, call: &BuiltinCall, cx: &Cx) -> R<Val> {
        let args = &call.args;
        let mut leaves = Vec::new();
        for t in args {
            self.collect(t, cx, &mut leaves)?;
        }
        let ty = self.tree_type(&leaves, call.expect_num);
        let a = self.arith(args[0], cx, Some(ty))?;
        let bb = self.arith(args[1], cx, Some(ty))?;
        let c = self.arith(args[2], cx, Some(ty))?;
        let four_ac = Expr::Mul(ty, vec![Expr::lit(ty, 4), a, c]);
        Ok(Val::Num(if ty == Ty::Nat {
            Expr::Sub(
                ty,
                Box::new(Expr::Pow(ty, Box::new(bb), 2)),
                Box::new(four_ac),
            )
        } else {
            add(ty, Expr::Pow(ty, Box::new(bb), 2), negate(ty, four_ac))
        }))
    }

    /// Builtins of complex numbers: `Complex.I`, `.re`, `.im`, `normSq`, `ofReal`, conjugation.
    fn builtin_complex(&mut self, call: &BuiltinCall, cx: &Cx) -> R<Val> {
        let (b, args, pos) = (call.b, &call.args, call.pos);
        match b {
            Builtin::ComplexI => {
                call.arity(0, cx)?;
                Ok(Val::Complex(Expr::lit(Ty::Real, 0), Expr::lit(Ty::Real, 1)))
            }
            Builtin::ComplexRe | Builtin::ComplexIm | Builtin::ComplexNormSq => {
                call.arity(1, cx)?;
                let (re, im) = match self.elab(args[0], cx, None)? {
                    Val::Complex(re, im) => (re, im),
                    Val::Num(e) => (self.coerce(e, Ty::Real, cx, pos)?, Expr::lit(Ty::Real, 0)),
                    other => {
                        return self.fail(
                            cx,
                            args[0].pos,
                            format!("`{}` of {}", call.name, other.describe()),
                        );
                    }
                };
                Ok(Val::Num(match b {
                    Builtin::ComplexRe => re,
                    Builtin::ComplexIm => im,
                    _ => Expr::Add(
                        Ty::Real,
                        vec![
                            Expr::Pow(Ty::Real, Box::new(re), 2),
                            Expr::Pow(Ty::Real, Box::new(im), 2),
                        ],
                    ),
                }))
            }
            Builtin::ComplexOfReal => {
                call.arity(1, cx)?;
                let e = self.arith(args[0], cx, Some(Ty::Real))?;
                Ok(Val::Complex(e, Expr::lit(Ty::Real, 0)))
            }
            Builtin::Conj | Builtin::StarRingEnd => self.conjugate(call, cx),
            other => unreachable!("`{other:?}` is not a complex builtin"),
        }
    }

    /// `conj z` and `starRingEnd 𝕜 z` (for `𝕜` = ℂ or ℝ): the conjugate; a real number is its
    /// own.
    fn conjugate(&mut self, call: &BuiltinCall, cx: &Cx) -> R<Val> {
        let (b, pos) = (call.b, call.pos);
        let z = match (b, &call.args[..]) {
            (Builtin::Conj, [z]) => z,
            (Builtin::StarRingEnd, [k, z]) => {
                match self.elab_type(k, cx)? {
                    TyVal::Vector(t) if t == "ℂ" => {}
                    TyVal::Num(Ty::Real) => {}
                    other => {
                        return self.fail(
                            cx,
                            k.pos,
                            format!("`starRingEnd` of {}", other.describe()),
                        );
                    }
                }
                z
            }
            _ => {
                call.arity(if b == Builtin::Conj { 1 } else { 2 }, cx)?;
                unreachable!("the arity check fails")
            }
        };
        match self.elab(z, cx, None)? {
            Val::Complex(re, im) => Ok(Val::Complex(re, Expr::Neg(Ty::Real, Box::new(im)))),
            Val::Num(e) => Ok(Val::Num(self.coerce(e, Ty::Real, cx, pos)?)),
            other => self.fail(
                cx,
                z.pos,
                format!("`{}` of {}", call.name, other.describe()),
            ),
        }
    }

    /// Builtins that are propositions or read as one: `True`, `False`, the instance classes
    /// `Fact` and `NeZero`, `IsMinOn`/`IsMaxOn`, and derivatives (`HasDerivAt`, `deriv`).
    fn builtin_prop(&mut self, call: &BuiltinCall, cx: &Cx) -> R<Val> {
        let (b, args, pos) = (call.b, &call.args, call.pos);
        match b {
            Builtin::True | Builtin::False => {
                call.arity(0, cx)?;
                Ok(Val::Prop(Prop::Const(b == Builtin::True)))
            }
            Builtin::Fact => {
                call.arity(1, cx)?;
                Ok(Val::Prop(self.elab_prop(args[0], cx)?))
            }
            Builtin::NeZero => {
                call.arity(1, cx)?;
                let x = self.arith(args[0], cx, None)?;
                let zero = Expr::lit(x.ty(), 0);
                Ok(Val::Prop(Prop::Cmp(Rel::Ne, x, zero)))
            }
            Builtin::IsMinOn | Builtin::IsMaxOn => {
                call.arity(3, cx)?;
                self.is_min_on(b == Builtin::IsMaxOn, args[0], args[1], args[2], cx, pos)
            }
            Builtin::HasDerivAt => {
                call.arity(3, cx)?;
                let d = self.arith(args[1], cx, Some(Ty::Real))?;
                let f_at = self.derivative_at(args[0], args[2], cx, pos)?;
                Ok(Val::Prop(Prop::Cmp(Rel::Eq, d, f_at)))
            }
            Builtin::Deriv => {
                call.arity(2, cx)?;
                Ok(Val::Num(self.derivative_at(args[0], args[1], cx, pos)?))
            }
            other => unreachable!("`{other:?}` is not a proposition builtin"),
        }
    }

    /// Builtins that operate on the value of their argument: `‖·‖`, inner products, `id`,
    /// `det`/`transpose`, `Quotient.lift`.
    fn builtin_operation(&mut self, call: &BuiltinCall, cx: &Cx) -> R<Val> {
        let (args, pos) = (&call.args, call.pos);
        match call.b {
            Builtin::Norm => {
                call.arity(1, cx)?;
                let v = self.elab(args[0], cx, None)?;
                Ok(Val::Num(self.norm(v, cx, pos)?))
            }
            Builtin::Id => {
                call.arity(1, cx)?;
                self.elab(args[0], cx, call.expect)
            }
            Builtin::Inner => match args[..] {
                [k, x, y] => self.inner_product(Some(k), x, y, cx, pos),
                [x, y] => self.inner_product(None, x, y, cx, pos),
                _ => {
                    call.arity(3, cx)?;
                    unreachable!("the arity check fails")
                }
            },
            Builtin::MatrixDet | Builtin::MatrixTranspose => {
                call.arity(1, cx)?;
                match self.elab(args[0], cx, None)? {
                    Val::Matrix(m) => self.matrix_op(&m, call.b == Builtin::MatrixDet, cx, pos),
                    other => self.fail(
                        cx,
                        args[0].pos,
                        format!("`{}` of {}", call.name, other.describe()),
                    ),
                }
            }
            Builtin::QuotientLift => self.quotient_lift(args, cx, call.expect, pos),
            other => unreachable!("`{other:?}` is not an operation builtin"),
        }
    }

    /// Sets are read only where they are used (`∈`, `∑ i ∈ s`, `IsMinOn f s`): as values they
    /// fail, and `Finset.sum` written out asks for the notation.
    fn builtin_set(&mut self, call: &BuiltinCall, cx: &Cx) -> R<Val> {
        if call.b == Builtin::FinsetSum {
            call.arity(2, cx)?;
            return self.fail(cx, call.pos, "`Finset.sum` written out: use `∑ i ∈ s, f i`");
        }
        self.fail(
            cx,
            call.pos,
            format!("the set `{}` outside `∈`, `∑` or `IsMinOn`", call.name),
        )
    }
}
