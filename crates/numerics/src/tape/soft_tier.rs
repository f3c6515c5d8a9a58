//! The MPFR tier's registers as soft intervals (`soft_interval`), for checks at 65 to 128
//! bits (`soft::applies`): the tape runs over them with no call into MPFR and no conversion between
//! operations, reading its inputs from the MPFR registers and writing back only the results
//! a caller reads (`Tape::exported`). Every soft operation gives exactly the enclosure its
//! MPFR form gives, so a run that completes leaves the exported registers and every
//! validity flag as the MPFR run would; a run that meets something without a soft form (an
//! infinite input, an exponent out of the soft range) reports it, and `run_mpfr` runs the
//! tape with MPFR instead.

use super::{MpfrWorkspace, Op, Reg, Tape};
use crate::core::Func;
use crate::interval::Interval;
use crate::soft::{self, Soft};
use crate::soft_interval::SoftInterval;

/// Whether every operation of a tape has a soft form: not `⌊·⌋`, `⌈·⌉`, powers above 2 (MPFR
/// rounds `xⁿ` once, which products of soft floats would not reproduce) nor transcendental
/// functions.
pub(super) fn supports(ops: &[Op]) -> bool {
    ops.iter().all(|op| match op {
        Op::Floor(_) | Op::Ceil(_) => false,
        Op::Pow(_, n) => *n <= 2,
        Op::Call(f, _) => *f == Func::Sqrt,
        _ => true,
    })
}

/// A result: `None` where MPFR must compute it, `Some(None)` for no enclosure.
type Outcome = Option<Option<SoftInterval>>;

/// `f` of register `a`, or no enclosure when `a` has none.
#[inline]
fn unary(
    valid: &[bool],
    regs: &[SoftInterval],
    a: Reg,
    f: impl FnOnce(SoftInterval) -> Option<SoftInterval>,
) -> Outcome {
    if valid[a] {
        f(regs[a]).map(Some)
    } else {
        Some(None)
    }
}

/// `f` of registers `a` and `b`, or no enclosure when either has none.
#[inline]
fn binary(
    valid: &[bool],
    regs: &[SoftInterval],
    (a, b): (Reg, Reg),
    f: impl FnOnce(SoftInterval, SoftInterval) -> Outcome,
) -> Outcome {
    if valid[a] && valid[b] {
        f(regs[a], regs[b])
    } else {
        Some(None)
    }
}

impl Tape {
    /// Soft registers beside the MPFR registers `regs` (constants filled in) at `prec` bits;
    /// `None` where the soft tier does not apply.
    pub(super) fn soft_registers(&self, prec: u32, regs: &[Interval]) -> Option<Vec<SoftInterval>> {
        if !soft::applies(prec) || !self.soft_tier {
            return None;
        }
        let mut soft = vec![SoftInterval::point(Soft::ZERO); regs.len()];
        for c in self.inputs.len()..self.first_op() {
            soft[c] = SoftInterval::read(&regs[c])?;
        }
        Some(soft)
    }

    /// Runs the tape over the soft registers on the MPFR inputs already set; `false` (the
    /// validity flags of the operations then stale) where MPFR must run it.
    pub(super) fn run_soft(&self, ws: &mut MpfrWorkspace) -> bool {
        let MpfrWorkspace {
            prec,
            regs,
            valid,
            soft: Some(soft),
        } = ws
        else {
            return false;
        };
        if !soft::enabled() {
            return false;
        }
        let p = *prec;
        for i in 0..self.inputs.len() {
            if valid[i] {
                match SoftInterval::read(&regs[i]) {
                    Some(x) => soft[i] = x,
                    None => return false,
                }
            }
        }
        let base = self.first_op();
        for (k, op) in self.ops.iter().enumerate() {
            let (v, r) = (&valid[..], &soft[..]);
            let out = match *op {
                Op::Neg(a) => unary(v, r, a, |x| x.neg(p)),
                Op::Add(a, b) => binary(v, r, (a, b), |x, y| x.add(y, p).map(Some)),
                Op::Sub(a, b) => binary(v, r, (a, b), |x, y| x.sub(y, p).map(Some)),
                Op::Mul(a, b) => binary(v, r, (a, b), |x, y| x.mul(y, p).map(Some)),
                Op::Scale(a, k) => unary(v, r, a, |x| x.scale(k, p)),
                Op::Pow(a, n) => unary(v, r, a, |x| x.pow(n, p)),
                Op::Div(a, b) => binary(v, r, (a, b), |x, y| x.div_lean(y, p)),
                Op::Abs(a) => unary(v, r, a, |x| x.abs(p)),
                Op::Min(a, b) => binary(v, r, (a, b), |x, y| x.min(y, p).map(Some)),
                Op::Max(a, b) => binary(v, r, (a, b), |x, y| x.max(y, p).map(Some)),
                Op::ClampNonneg(a) => unary(v, r, a, |x| x.clamp_nonneg(p)),
                Op::Call(Func::Sqrt, a) => unary(v, r, a, |x| x.sqrt_lean(p)),
                // Not compiled for this tier (`supports`).
                Op::Floor(_) | Op::Ceil(_) | Op::Call(..) => None,
            };
            let Some(out) = out else {
                return false;
            };
            valid[base + k] = out.is_some();
            if let Some(x) = out {
                soft[base + k] = x;
            }
        }
        for &reg in &self.exported {
            if valid[reg] {
                soft[reg].write(&mut regs[reg]);
            }
        }
        true
    }
}
