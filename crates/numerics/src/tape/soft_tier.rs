//! The MPFR tier's registers as soft intervals (`soft_interval`), for checks at 65 to 256
//! bits (`soft::width`: two-limb significands to 128 bits, four-limb ones above): the tape
//! runs over them with no call into MPFR and no conversion between operations, reading its inputs from the MPFR registers and writing back only the results
//! a caller reads (`Tape::exported`). Every soft operation gives exactly the enclosure its
//! MPFR form gives, so a run that completes leaves the exported registers and every
//! validity flag as the MPFR run would; a run that meets something without a soft form (an
//! infinite input, an exponent out of the soft range) reports it, and `run_mpfr` runs the
//! tape with MPFR instead. Inputs given as intervals are set in the soft registers alone and
//! written to their MPFR registers only when an MPFR run needs them.

use super::{MpfrWorkspace, Op, Reg, Tape};
use crate::core::Func;
use crate::interval::Interval;
use crate::soft::{self, Significand, Soft, U256, Width};
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
fn unary<M: Significand>(
    valid: &[bool],
    regs: &[SoftInterval<M>],
    a: Reg,
    out: &mut SoftInterval<M>,
    f: impl FnOnce(&SoftInterval<M>, &mut SoftInterval<M>) -> bool,
) -> Outcome {
    if !valid[a] {
        return Some(false);
    }
    f(&regs[a], out).then_some(true)
}

/// `out := f(registers a, b)` in place, or no enclosure when either has none or `f` gives
/// none.
#[inline(always)]
fn binary<M: Significand>(
    valid: &[bool],
    regs: &[SoftInterval<M>],
    (a, b): (Reg, Reg),
    out: &mut SoftInterval<M>,
    f: impl FnOnce(&SoftInterval<M>, &SoftInterval<M>, &mut SoftInterval<M>) -> Outcome,
) -> Outcome {
    if !(valid[a] && valid[b]) {
        return Some(false);
    }
    f(&regs[a], &regs[b], out)
}

/// A workspace's soft registers, of the width its precision takes.
#[derive(Debug, Clone)]
pub(super) enum SoftRegisters {
    Two(Vec<SoftInterval<u128>>),
    Four(Vec<SoftInterval<U256>>),
}

/// `x` rounded outward to `prec` bits into `reg`; `None` where it has no soft form, else
/// whether it is an enclosure (as the MPFR form's `lo <= hi`: the endpoints are never NaN).
fn set_soft<M: Significand>(reg: &mut SoftInterval<M>, prec: u32, x: &Interval) -> Option<bool> {
    let x = SoftInterval::<M>::read(x)?;
    x.rounded(prec, reg).then(|| reg.lo <= reg.hi)
}

/// Writes the inputs set in the soft registers alone into their MPFR registers.
fn write_inputs<M: Significand>(
    soft: &[SoftInterval<M>],
    pending: &mut [bool],
    regs: &mut [Interval],
) {
    for (i, pending) in pending.iter_mut().enumerate() {
        if std::mem::take(pending) {
            soft[i].write(&mut regs[i]);
        }
    }
}

impl MpfrWorkspace {
    /// `Tape::set_input` into the soft registers alone, when they apply and `x` has soft
    /// endpoints; its MPFR register is written when an MPFR run needs it
    /// ([`MpfrWorkspace::write_soft_inputs`]).
    pub(super) fn set_soft_input(&mut self, i: usize, x: &Interval) -> bool {
        if !soft::enabled() {
            return false;
        }
        let valid = match &mut self.soft {
            None => None,
            Some(SoftRegisters::Two(soft)) => set_soft(&mut soft[i], self.prec, x),
            Some(SoftRegisters::Four(soft)) => set_soft(&mut soft[i], self.prec, x),
        };
        let Some(valid) = valid else {
            return false;
        };
        self.valid[i] = valid;
        self.soft_input[i] = true;
        true
    }

    /// Writes the inputs set in the soft registers alone into their MPFR registers.
    pub(super) fn write_soft_inputs(&mut self) {
        match &self.soft {
            None => {}
            Some(SoftRegisters::Two(soft)) => {
                write_inputs(soft, &mut self.soft_input, &mut self.regs)
            }
            Some(SoftRegisters::Four(soft)) => {
                write_inputs(soft, &mut self.soft_input, &mut self.regs)
            }
        }
    }
}

/// Soft registers of significands `M` beside the MPFR registers `regs`, constants read from
/// them.
fn registers<M: Significand>(
    first: usize,
    end: usize,
    regs: &[Interval],
) -> Option<Vec<SoftInterval<M>>> {
    let mut soft = vec![SoftInterval::point(Soft::ZERO); regs.len()];
    for c in first..end {
        soft[c] = SoftInterval::read(&regs[c])?;
    }
    Some(soft)
}

impl Tape {
    /// Soft registers beside the MPFR registers `regs` (constants filled in) at `prec` bits;
    /// `None` where the soft tier does not apply.
    pub(super) fn soft_registers(&self, prec: u32, regs: &[Interval]) -> Option<SoftRegisters> {
        if !self.soft_tier {
            return None;
        }
        let (first, end) = (self.inputs.len(), self.first_op());
        Some(match soft::width(prec)? {
            Width::Two => SoftRegisters::Two(registers(first, end, regs)?),
            Width::Four => SoftRegisters::Four(registers(first, end, regs)?),
        })
    }

    /// Runs the tape over the soft registers on the MPFR inputs already set; `false` (the
    /// validity flags of the operations then stale) where MPFR must run it.
    pub(super) fn run_soft(&self, ws: &mut MpfrWorkspace) -> bool {
        if !soft::enabled() {
            return false;
        }
        let MpfrWorkspace {
            prec,
            regs,
            valid,
            soft,
            soft_input,
        } = ws;
        match soft {
            None => false,
            Some(SoftRegisters::Two(soft)) => {
                self.run_soft_in(*prec, regs, valid, soft, soft_input)
            }
            Some(SoftRegisters::Four(soft)) => {
                self.run_soft_in(*prec, regs, valid, soft, soft_input)
            }
        }
    }

    /// [`Tape::run_soft`] over soft registers of significands `M`.
    #[inline(always)]
    fn run_soft_in<M: Significand>(
        &self,
        p: u32,
        regs: &mut [Interval],
        valid: &mut [bool],
        soft: &mut [SoftInterval<M>],
        soft_input: &[bool],
    ) -> bool {
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
