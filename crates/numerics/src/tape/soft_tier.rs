//! The MPFR tier's registers as soft intervals (`soft_interval`), for checks at 65 to 128
//! bits (`soft::applies`): the tape runs over them with no call into MPFR and no conversion between
//! operations, reading its inputs from the MPFR registers and writing back only the results
//! a caller reads (`Tape::exported`). Every soft operation gives exactly the enclosure its
//! MPFR form gives, so a run that completes leaves the exported registers and every
//! validity flag as the MPFR run would; a run that meets something without a soft form (an
//! infinite input, an exponent out of the soft range) reports it, and `run_mpfr` runs the
//! tape with MPFR instead. Inputs given as intervals are set in the soft registers alone and
//! written to their MPFR registers only when an MPFR run needs them.

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

/// What an operation did: `None` where MPFR must compute it, else whether it wrote an
/// enclosure.
type Outcome = Option<bool>;

/// `out := f(register a)` in place, or no enclosure when `a` has none.
#[inline(always)]
fn unary(
    valid: &[bool],
    regs: &[SoftInterval],
    a: Reg,
    out: &mut SoftInterval,
    f: impl FnOnce(&SoftInterval, &mut SoftInterval) -> bool,
) -> Outcome {
    if !valid[a] {
        return Some(false);
    }
    f(&regs[a], out).then_some(true)
}

/// `out := f(registers a, b)` in place, or no enclosure when either has none or `f` gives
/// none.
#[inline(always)]
fn binary(
    valid: &[bool],
    regs: &[SoftInterval],
    (a, b): (Reg, Reg),
    out: &mut SoftInterval,
    f: impl FnOnce(&SoftInterval, &SoftInterval, &mut SoftInterval) -> Outcome,
) -> Outcome {
    if !(valid[a] && valid[b]) {
        return Some(false);
    }
    f(&regs[a], &regs[b], out)
}

impl MpfrWorkspace {
    /// `Tape::set_input` into the soft registers alone, when they apply and `x` has soft
    /// endpoints; its MPFR register is written when an MPFR run needs it
    /// ([`MpfrWorkspace::write_soft_inputs`]).
    pub(super) fn set_soft_input(&mut self, i: usize, x: &Interval) -> bool {
        let Some(soft) = &mut self.soft else {
            return false;
        };
        if !soft::enabled() {
            return false;
        }
        let Some(x) = SoftInterval::read(x) else {
            return false;
        };
        if !x.rounded(self.prec, &mut soft[i]) {
            return false;
        }
        // As the MPFR form's `lo <= hi` (the endpoints are never NaN here).
        self.valid[i] = soft[i].lo <= soft[i].hi;
        self.soft_input[i] = true;
        true
    }

    /// Writes the inputs set in the soft registers alone into their MPFR registers.
    pub(super) fn write_soft_inputs(&mut self) {
        let Some(soft) = &self.soft else {
            return;
        };
        for (i, pending) in self.soft_input.iter_mut().enumerate() {
            if std::mem::take(pending) {
                soft[i].write(&mut self.regs[i]);
            }
        }
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
            soft_input,
        } = ws
        else {
            return false;
        };
        if !soft::enabled() {
            return false;
        }
        let p = *prec;
        for (i, &in_soft) in soft_input.iter().enumerate() {
            if valid[i] && !in_soft {
                match SoftInterval::read(&regs[i]) {
                    Some(x) => soft[i] = x,
                    None => return false,
                }
            }
        }
        let base = self.first_op();
        for (k, op) in self.ops.iter().enumerate() {
            let (r, rest) = soft.split_at_mut(base + k);
            let (v, out) = (&valid[..], &mut rest[0]);
            // An operation with an enclosure whenever it has a soft form.
            let always = |done: bool| done.then_some(true);
            let outcome = match *op {
                Op::Neg(a) => unary(v, r, a, out, |x, o| x.neg(p, o)),
                Op::Add(a, b) => binary(v, r, (a, b), out, |x, y, o| always(x.add(y, p, o))),
                Op::Sub(a, b) => binary(v, r, (a, b), out, |x, y, o| always(x.sub(y, p, o))),
                Op::Mul(a, b) => binary(v, r, (a, b), out, |x, y, o| always(x.mul(y, p, o))),
                Op::Scale(a, k) => unary(v, r, a, out, |x, o| x.scale(k, p, o)),
                Op::Pow(a, n) => unary(v, r, a, out, |x, o| x.pow(n, p, o)),
                Op::Div(a, b) => binary(v, r, (a, b), out, |x, y, o| x.div_lean(y, p, o)),
                Op::Abs(a) => unary(v, r, a, out, |x, o| x.abs(p, o)),
                Op::Min(a, b) => binary(v, r, (a, b), out, |x, y, o| always(x.min(y, p, o))),
                Op::Max(a, b) => binary(v, r, (a, b), out, |x, y, o| always(x.max(y, p, o))),
                Op::ClampNonneg(a) => unary(v, r, a, out, |x, o| x.clamp_nonneg(p, o)),
                Op::Call(Func::Sqrt, a) => unary(v, r, a, out, |x, o| x.sqrt_lean(p, o)),
                // Not compiled for this tier (`supports`).
                Op::Floor(_) | Op::Ceil(_) | Op::Call(..) => None,
            };
            let Some(enclosed) = outcome else {
                return false;
            };
            valid[base + k] = enclosed;
        }
        for &reg in &self.exported {
            if valid[reg] {
                soft[reg].write(&mut regs[reg]);
            }
        }
        true
    }
}
