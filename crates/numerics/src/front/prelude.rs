//! What theorist knows of Lean core and Mathlib without their sources: the constants a physics
//! statement uses, by their full names, each with its meaning for the elaborator. Looked up by
//! the same name resolution as the project's own declarations (so `sqrt` is `Real.sqrt` only
//! under `open Real`, and a file's own `def exp` is not `Real.exp`). Meanings were read from
//! Mathlib's sources (`Mathlib/Analysis/SpecialFunctions/Sqrt.lean`, `…/Pow/Real.lean`,
//! `…/Log/Basic.lean`, `Mathlib/Algebra/QuadraticDiscriminant.lean`,
//! `Mathlib/Order/Filter/Extr.lean`, `Mathlib/Order/Interval/Set/Defs.lean`).

use crate::core::{Func, Ty};

/// The meaning of a known constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// A number type.
    NumType(Ty),
    /// `Prop`-valued constants.
    True,
    False,
    /// `ℂ` and `EuclideanSpace 𝕜 ι`: normed spaces whose norm takes every value in `[0, ∞)`.
    Complex,
    EuclideanSpace,
    /// `Fin n` (as an index type).
    Fin,
    /// `ContMDiffSection I F n V` and `Bundle.Trivial B F`: smooth sections of a trivial
    /// bundle (PhysLean's fields).
    ContMDiffSection,
    BundleTrivial,
    /// A real function of Mathlib's `Real` namespace.
    RealFn(Func),
    Pi,
    Rpow,
    /// `abs`, `min`, `max` (lattice operations: no NaN).
    Abs,
    Min,
    Max,
    /// `Nat.cast`, `Int.cast`, `Rat.cast`: a coercion to the expected type.
    Cast,
    IntToNat,
    IntNatAbs,
    IntFloor,
    IntCeil,
    /// `discrim a b c = b ^ 2 - 4 * a * c`.
    Discrim,
    IsMinOn,
    IsMaxOn,
    SetUniv,
    /// `Set.Icc` and friends: (lower closed?, upper closed?, has lower, has upper).
    Interval {
        lower: Option<bool>,
        upper: Option<bool>,
    },
    /// `Fact p` (an instance argument that is the hypothesis `p`).
    Fact,
    /// `NeZero n` (`n ≠ 0`).
    NeZero,
    FinsetUniv,
    FinsetRange,
    /// `Finset.Icc` and friends (lower closed?, upper closed?).
    FinsetInterval {
        lower: bool,
        upper: bool,
    },
    /// `Finset.sum s f`.
    FinsetSum,
    /// A reference value (`pdg.m_H`).
    Reference,
    /// `norm` (`‖x‖`).
    Norm,
    /// Lean's `id`.
    Id,
    /// `Subtype p`.
    Subtype,
    /// `Matrix.unitaryGroup (Fin n) ℂ`: complex `n × n` matrices with `star U * U = 1`.
    UnitaryGroup,
    /// `Quotient s` and `Quotient.lift f h`: classes of representatives, and a function on
    /// them that does not depend on the representative.
    Quotient,
    QuotientLift,
    /// `inner 𝕜 x y` (`⟪x, y⟫_𝕜`): conjugate-linear in `x`, linear in `y`.
    Inner,
    /// `Complex.I`, `Complex.re`, `Complex.im`, `Complex.ofReal`, `Complex.normSq`.
    ComplexI,
    ComplexRe,
    ComplexIm,
    ComplexOfReal,
    ComplexNormSq,
    /// Complex conjugation: `conj z` (`open ComplexConjugate`) and `starRingEnd ℂ z`.
    Conj,
    StarRingEnd,
    /// `Matrix (Fin m) (Fin n) ℝ`, `Matrix.det`, `Matrix.transpose`.
    MatrixType,
    MatrixDet,
    MatrixTranspose,
    /// `HasDerivAt f d x` and `deriv f x` for `f : ℝ → ℝ`.
    HasDerivAt,
    Deriv,
}

#[derive(Debug, Clone, Copy)]
pub struct PreludeItem {
    pub name: &'static str,
    pub builtin: Builtin,
    /// `protected`: not reachable by its short name through `open`.
    pub protected: bool,
}

const fn item(name: &'static str, builtin: Builtin) -> PreludeItem {
    PreludeItem {
        name,
        builtin,
        protected: false,
    }
}

const fn protected(name: &'static str, builtin: Builtin) -> PreludeItem {
    PreludeItem {
        name,
        builtin,
        protected: true,
    }
}

use Builtin::*;

const ITEMS: &[PreludeItem] = &[
    item("Real", NumType(Ty::Real)),
    item("ℝ", NumType(Ty::Real)),
    item("Nat", NumType(Ty::Nat)),
    item("ℕ", NumType(Ty::Nat)),
    item("Int", NumType(Ty::Int)),
    item("ℤ", NumType(Ty::Int)),
    item("Rat", NumType(Ty::Rat)),
    item("ℚ", NumType(Ty::Rat)),
    item("True", True),
    item("False", False),
    item("Complex", Complex),
    item("ℂ", Complex),
    item("EuclideanSpace", EuclideanSpace),
    item("Fin", Fin),
    item("ContMDiffSection", ContMDiffSection),
    item("Bundle.Trivial", BundleTrivial),
    item("Real.sqrt", RealFn(Func::Sqrt)),
    item("Real.exp", RealFn(Func::Exp)),
    item("Real.log", RealFn(Func::Log)),
    item("Real.sin", RealFn(Func::Sin)),
    item("Real.cos", RealFn(Func::Cos)),
    item("Real.tan", RealFn(Func::Tan)),
    item("Real.arctan", RealFn(Func::Arctan)),
    item("Real.sinh", RealFn(Func::Sinh)),
    item("Real.cosh", RealFn(Func::Cosh)),
    item("Real.tanh", RealFn(Func::Tanh)),
    protected("Real.pi", Pi),
    item("Real.rpow", Rpow),
    item("abs", Abs),
    item("min", Min),
    item("max", Max),
    item("Min.min", Min),
    item("Max.max", Max),
    item("Nat.cast", Cast),
    item("Int.cast", Cast),
    item("Rat.cast", Cast),
    item("Int.toNat", IntToNat),
    item("Int.natAbs", IntNatAbs),
    item("Int.floor", IntFloor),
    item("Int.ceil", IntCeil),
    item("discrim", Discrim),
    item("IsMinOn", IsMinOn),
    item("IsMaxOn", IsMaxOn),
    item("Set.univ", SetUniv),
    item(
        "Set.Icc",
        Interval {
            lower: Some(true),
            upper: Some(true),
        },
    ),
    item(
        "Set.Ico",
        Interval {
            lower: Some(true),
            upper: Some(false),
        },
    ),
    item(
        "Set.Ioc",
        Interval {
            lower: Some(false),
            upper: Some(true),
        },
    ),
    item(
        "Set.Ioo",
        Interval {
            lower: Some(false),
            upper: Some(false),
        },
    ),
    item(
        "Set.Ici",
        Interval {
            lower: Some(true),
            upper: None,
        },
    ),
    item(
        "Set.Ioi",
        Interval {
            lower: Some(false),
            upper: None,
        },
    ),
    item(
        "Set.Iic",
        Interval {
            lower: None,
            upper: Some(true),
        },
    ),
    item(
        "Set.Iio",
        Interval {
            lower: None,
            upper: Some(false),
        },
    ),
    item("Fact", Fact),
    item("NeZero", NeZero),
    item("Finset.univ", FinsetUniv),
    item("Finset.range", FinsetRange),
    item(
        "Finset.Icc",
        FinsetInterval {
            lower: true,
            upper: true,
        },
    ),
    item(
        "Finset.Ico",
        FinsetInterval {
            lower: true,
            upper: false,
        },
    ),
    item(
        "Finset.Ioc",
        FinsetInterval {
            lower: false,
            upper: true,
        },
    ),
    item(
        "Finset.Ioo",
        FinsetInterval {
            lower: false,
            upper: false,
        },
    ),
    item("Finset.sum", FinsetSum),
    item("norm", Norm),
    item("Norm.norm", Norm),
    item("id", Id),
    item("Subtype", Subtype),
    item("Matrix.unitaryGroup", UnitaryGroup),
    item("Quotient", Quotient),
    item("Quotient.lift", QuotientLift),
    item("inner", Inner),
    item("Inner.inner", Inner),
    item("Complex.I", ComplexI),
    item("Complex.re", ComplexRe),
    item("Complex.im", ComplexIm),
    item("Complex.ofReal", ComplexOfReal),
    item("Complex.normSq", ComplexNormSq),
    item("ComplexConjugate.conj", Conj),
    item("starRingEnd", StarRingEnd),
    item("Matrix", MatrixType),
    item("Matrix.det", MatrixDet),
    item("Matrix.transpose", MatrixTranspose),
    item("HasDerivAt", HasDerivAt),
    item("deriv", Deriv),
    item("pdg.m_H", Reference),
    item("pdg.G_F", Reference),
    item("pdg.m_W", Reference),
    item("pdg.m_Z", Reference),
    item("pdg.wolfenstein_lambda", Reference),
    item("pdg.wolfenstein_A", Reference),
    item("pdg.rho_bar", Reference),
    item("pdg.eta_bar", Reference),
];

/// The known constant of this full name.
pub fn lookup(full: &str) -> Option<&'static PreludeItem> {
    ITEMS.iter().find(|i| i.name == full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_value_is_known() {
        for r in crate::reference::REFERENCES {
            assert_eq!(
                lookup(r.name).map(|i| i.builtin),
                Some(Reference),
                "{}",
                r.name
            );
        }
        assert!(lookup("Real.pi").unwrap().protected);
        assert!(lookup("exp").is_none());
    }
}
