//! Reference values carried as intervals with their source edition, usable by name in
//! expressions (`pdg.m_H`, `pdg.G_F`, …). An asymmetric error gives an asymmetric interval;
//! the decimals are enclosed outward once, so derived quantities (the vev
//! `v = (√2 G_F)^(-1/2)`, `λ = m_H²/(2v²)`) come out as rigorous enclosures.
//! Values: PDG 2024 (Review of Particle Physics), as quoted in the project's reference notes;
//! re-check them against pdg.lbl.gov before relying on the last digit.

use crate::interval::Interval;

/// One reference value: `central - minus ≤ value ≤ central + plus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub name: &'static str,
    pub central: &'static str,
    pub minus: &'static str,
    pub plus: &'static str,
    pub unit: &'static str,
    pub source: &'static str,
}

pub const REFERENCES: &[Reference] = &[
    Reference {
        name: "pdg.m_H",
        central: "125.20",
        minus: "0.11",
        plus: "0.11",
        unit: "GeV",
        source: "PDG 2024, Higgs mass average",
    },
    Reference {
        name: "pdg.G_F",
        central: "1.1663788e-5",
        minus: "0.0000006e-5",
        plus: "0.0000006e-5",
        unit: "GeV^-2",
        source: "PDG 2024 physical constants (muon lifetime)",
    },
    Reference {
        name: "pdg.m_W",
        central: "80.3692",
        minus: "0.0133",
        plus: "0.0133",
        unit: "GeV",
        source: "PDG 2024",
    },
    Reference {
        name: "pdg.m_Z",
        central: "91.1880",
        minus: "0.0020",
        plus: "0.0020",
        unit: "GeV",
        source: "PDG 2024",
    },
    Reference {
        name: "pdg.wolfenstein_lambda",
        central: "0.22501",
        minus: "0.00068",
        plus: "0.00068",
        unit: "",
        source: "PDG 2024 CKM review, global fit",
    },
    Reference {
        name: "pdg.wolfenstein_A",
        central: "0.826",
        minus: "0.015",
        plus: "0.016",
        unit: "",
        source: "PDG 2024 CKM review, global fit",
    },
    Reference {
        name: "pdg.rho_bar",
        central: "0.1591",
        minus: "0.0094",
        plus: "0.0094",
        unit: "",
        source: "PDG 2024 CKM review, global fit",
    },
    Reference {
        name: "pdg.eta_bar",
        central: "0.3523",
        minus: "0.0071",
        plus: "0.0073",
        unit: "",
        source: "PDG 2024 CKM review, global fit",
    },
];

/// The enclosure of a reference value at `prec` bits.
pub fn reference(name: &str, prec: u32) -> Option<Interval> {
    let r = REFERENCES.iter().find(|r| r.name == name)?;
    let c = Interval::from_decimal(r.central, prec)?;
    let minus = Interval::from_decimal(r.minus, prec)?;
    let plus = Interval::from_decimal(r.plus, prec)?;
    let lo = c.sub(&minus).lo;
    let hi = c.add(&plus).hi;
    Interval::new(lo, hi).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Params, eval};

    fn range(src: &str) -> (f64, f64) {
        let e = crate::front::elab_expression(src, &[]).unwrap();
        let v = eval(&e, &Params::new(), 128).unwrap();
        (v.lo.to_f64(), v.hi.to_f64())
    }

    #[test]
    fn the_vev_and_the_quartic_coupling_from_pdg_inputs() {
        // v = (√2 G_F)^(-1/2) = 246.21964 GeV (the G_F error moves the 5th decimal).
        let (lo, hi) = range("1 / Real.sqrt (Real.sqrt 2 * pdg.G_F)");
        assert!(
            lo <= 246.21964 && 246.21964 <= hi && hi - lo < 2e-4,
            "[{lo}, {hi}]"
        );
        // λ = m_H² / (2 v²) = m_H² G_F / √2 ∈ [0.12905, 0.12951].
        let (lo, hi) = range("pdg.m_H ^ 2 * pdg.G_F / Real.sqrt 2");
        assert!(
            lo >= 0.12905 && hi <= 0.12951 && lo <= 0.129281 && 0.129281 <= hi,
            "[{lo}, {hi}]"
        );
    }

    #[test]
    fn asymmetric_errors_and_unknown_names() {
        let a = reference("pdg.wolfenstein_A", 64).unwrap();
        assert!((a.lo.to_f64() - 0.811).abs() < 1e-12 && (a.hi.to_f64() - 0.842).abs() < 1e-12);
        assert!(reference("pdg.m_top", 64).is_none());
    }
}
