//! Axes for the plots: a linear map from data to pixels, "nice" tick values (1, 2, 5 times a
//! power of ten) and their labels, units-free. Pure f64 geometry: what is certified is the
//! data (`plot::Line`, `plot::Map`); this only places it on the page, and [`Scale::outward`]
//! keeps a drawn band at least as wide as its enclosure.

/// A linear map from `[lo, hi]` (data) onto `[from, to]` (pixels; `to < from` for a y axis,
/// whose pixels grow downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub lo: f64,
    pub hi: f64,
    pub from: f64,
    pub to: f64,
}

impl Scale {
    pub fn new(lo: f64, hi: f64, from: f64, to: f64) -> Scale {
        Scale { lo, hi, from, to }
    }

    /// The pixel of a data value (not clamped).
    pub fn px(&self, v: f64) -> f64 {
        self.from + (v - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }

    /// The pixel span of the data interval `[a, b]`, clamped to the axis and widened to whole
    /// hundredths of a pixel outward, so that a band is never drawn narrower than it is
    /// (`None` when it lies wholly off the axis).
    pub fn outward(&self, a: f64, b: f64) -> Option<(f64, f64)> {
        let (p, q) = (self.px(a), self.px(b));
        let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
        let (min, max) = (self.from.min(self.to), self.from.max(self.to));
        // NaN never reaches here (enclosures have no NaN endpoints); ±∞ clamps to the frame.
        if hi < min || lo > max {
            return None;
        }
        let lo = ((lo.max(min)) * 100.0).floor() / 100.0;
        let hi = ((hi.min(max)) * 100.0).ceil() / 100.0;
        Some((lo, hi))
    }

    /// Whether the data value lies on the axis.
    pub fn contains(&self, v: f64) -> bool {
        self.lo <= v && v <= self.hi
    }
}

/// The data range to show for values in `[lo, hi]`: widened by `pad` of its width on each
/// side, and a range of one point opened up around it.
pub fn padded(lo: f64, hi: f64, pad: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        return (-1.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * lo.abs().max(hi.abs()).max(1e-300) * 16.0 {
        let half = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - half, hi + half);
    }
    let w = (hi - lo) * pad;
    (lo - w, hi + w)
}

/// Tick values inside `[lo, hi]`: multiples of a step of 1, 2 or 5 times a power of ten,
/// about `target` of them; and the step.
pub fn ticks(lo: f64, hi: f64, target: usize) -> (f64, Vec<f64>) {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return (1.0, vec![lo]);
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    let values = (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            // `-0` prints as `−0`: a tick at zero is zero.
            if v == 0.0 { 0.0 } else { v }
        })
        .collect();
    (step, values)
}

/// The step of 1, 2 or 5 times a power of ten nearest above `raw`.
pub fn nice_step(raw: f64) -> f64 {
    let exp = raw.log10().floor();
    let base = 10f64.powf(exp);
    let m = raw / base;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * base
}

/// A tick label: as many decimals as the step needs, scientific notation for large or tiny
/// magnitudes, and a true minus sign.
pub fn label(v: f64, step: f64) -> String {
    let mag = v.abs().max(step.abs());
    let text = if v == 0.0 {
        "0".to_string()
    } else if !(1e-3..1e5).contains(&mag) {
        // Digits enough to tell neighbouring ticks apart.
        let digits = ((mag / step).log10().ceil().max(0.0) as usize).min(12);
        let s = format!("{v:.digits$e}");
        trim_exponent(&s)
    } else {
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        format!("{v:.decimals$}")
    };
    text.replace('-', "\u{2212}")
}

/// `1.50e3` → `1.5e3`, `2.00e-4` → `2e-4`.
fn trim_exponent(s: &str) -> String {
    match s.split_once('e') {
        Some((m, e)) if m.contains('.') => {
            let m = m.trim_end_matches('0').trim_end_matches('.');
            format!("{m}e{e}")
        }
        _ => s.to_string(),
    }
}

/// A value for a caption or legend: four significant digits.
pub fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v.is_nan() {
            "undefined".into()
        } else if v == 0.0 {
            "0".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "\u{2212}∞".into()
        };
    }
    let text = if !(1e-3..1e5).contains(&v.abs()) {
        trim_exponent(&format!("{v:.3e}"))
    } else {
        let decimals = (3 - v.abs().log10().floor() as i32).max(0) as usize;
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    text.replace('-', "\u{2212}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(ticks(0.0, 10.0, 5).1, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(-1.0, 1.0, 4).1, vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        let (_, t) = ticks(-1.19e8, 2.0e8, 6);
        assert!(t.iter().all(|v| (-1.19e8..=2.0e8).contains(v)));
        assert!(t.len() >= 4 && t.len() <= 9, "{t:?}");
        assert_eq!(nice_step(0.03), 0.05);
        assert_eq!(nice_step(7.0), 10.0);
    }

    #[test]
    fn labels_tell_ticks_apart() {
        assert_eq!(label(0.5, 0.5), "0.5");
        assert_eq!(label(-2.0, 1.0), "\u{2212}2");
        assert_eq!(label(1.5e8, 5e7), "1.5e8");
        assert_eq!(label(2e-4, 1e-4), "2e-4".replace('-', "\u{2212}"));
        assert_eq!(label(0.0, 0.1), "0");
        assert_eq!(short(-1.190e8), "\u{2212}1.19e8");
        assert_eq!(short(3.0), "3");
        assert_eq!(short(0.125), "0.125");
    }

    #[test]
    fn outward_spans_cover_the_band_and_stay_in_the_frame() {
        let y = Scale::new(0.0, 10.0, 300.0, 100.0);
        let (a, b) = y.outward(2.0, 3.0).unwrap();
        assert!(a <= y.px(3.0) && y.px(2.0) <= b);
        assert_eq!(y.outward(-5.0, f64::INFINITY), Some((100.0, 300.0)));
        assert_eq!(y.outward(11.0, 12.0), None);
    }
}
