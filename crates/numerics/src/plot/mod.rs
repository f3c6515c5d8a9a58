//! Pictures of a claim: the data of a plot (this module, `slice` and `cells`) and its SVG
//! (`svg`, on `axes`). Over one variable, each side of the conclusion's comparisons is drawn as
//! a band — the interval enclosure of that side over each cell of a fine partition, from the
//! same evaluator the checker decides with (outward-rounded MPFR), never a sampled curve — and
//! each cell is shaded by whether the claim holds on all of it, fails on all of it, or is
//! undecided there; the counterexample, the claimed minimiser (or maximiser) and where
//! bisection stalled are marked at their exact coordinates. Over two variables, a map of the
//! box coloured by the same decisions. Every other variable is held at a stated exact point:
//! `--at`, else the counterexample, the minimiser report's parameter point, where bisection
//! stalled, or a point of the box where the hypotheses hold (the caption says which).
//! Neighbours: `check` (the verdict and the box, `truth_in` for the decisions), `eval` (the
//! enclosures), `minimiser` (the minimiser report); the engine writes the SVG to disk.

mod axes;
mod cells;
mod slice;
mod svg;

use std::collections::BTreeMap;

use rug::Rational;

use crate::check::{CheckConfig, Verdict};
use crate::core::Expr;
use crate::interval::Interval;
use crate::minimiser::MinimiserReport;
use crate::statement::Statement;

pub use svg::svg;

/// What to plot, and where to hold the rest.
#[derive(Debug, Clone)]
pub struct PlotConfig {
    /// Variables held at exact values (`--at NAME=VALUE,…`).
    pub at: BTreeMap<String, Rational>,
    /// The variables to plot (one: bands; two: a map); empty: the free ones, or the two that
    /// matter most when more than two are free.
    pub over: Vec<String>,
    /// Cells of a one-variable plot's partition.
    pub cells: usize,
    /// Cells along each side of a two-variable map.
    pub grid: usize,
}

impl Default for PlotConfig {
    fn default() -> Self {
        PlotConfig {
            at: BTreeMap::new(),
            over: Vec::new(),
            cells: 400,
            grid: 64,
        }
    }
}

/// Why a plot cannot be drawn (bad input: the caller's to report).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    #[error("{decl} has no variables: there is nothing to plot")]
    NoVariables { decl: String },
    #[error("--at `{spec}` is not NAME=VALUE,… with each VALUE a decimal or a fraction p/q")]
    BadAt { spec: String },
    #[error("{option}: `{name}` is not a variable of {decl} (variables: {})", variables.join(", "))]
    UnknownVariable {
        option: &'static str,
        name: String,
        decl: String,
        variables: Vec<String>,
    },
    #[error("`{spec}` is not NAME=VALUE or NAME=[LOW, HIGH] with decimal values, LOW ≤ HIGH")]
    BadRange { spec: String },
    #[error("--at gives {name} twice")]
    Repeated { name: String },
    #[error("--at {name}={value}: {name} is {what}")]
    OutOfType {
        name: String,
        value: String,
        what: &'static str,
    },
    #[error("{name} is both held by --at and plotted (--over)")]
    HeldAndPlotted { name: String },
    #[error("every variable of {decl} is held by --at: leave one (bands) or two (a map) to plot")]
    NothingFree { decl: String },
    #[error("a plot is over one variable (bands) or two (a map), not {count}")]
    Dimension { count: usize },
    #[error("{what} needs at least {min} cells")]
    TooFewCells { what: &'static str, min: usize },
    #[error("{name} ranges over the empty box [{lo}, {hi}]: nothing to plot")]
    EmptyRange {
        name: String,
        lo: String,
        hi: String,
    },
}

/// A plot's data: what the SVG shows, certified where it says so.
#[derive(Debug, Clone)]
pub struct Plot {
    /// The declaration's name, or `expression`.
    pub title: String,
    /// The claim (or expression) as Lean text, as theorist read it.
    pub claim: String,
    pub body: Body,
    /// The variables held fixed, in the statement's order.
    pub fixed: Vec<Fixed>,
    /// Caption lines: what the bands and shading mean, where the rest is held, the verdict.
    pub notes: Vec<String>,
    /// The working precision of every enclosure, in bits.
    pub prec: u32,
}

#[derive(Debug, Clone)]
pub enum Body {
    Line(Line),
    Map(Map),
}

/// A variable held at `[lo, hi]` (a point for claims; `--param` intervals for expressions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub name: String,
    pub lo: Rational,
    pub hi: Rational,
    pub from: Source,
}

/// Where a held variable's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `--at`.
    At,
    /// `--param` (expressions).
    Param,
    /// The check's certified counterexample.
    Counterexample,
    /// The minimiser report's parameter point (where the hypotheses hold).
    Minimiser,
    /// Where branch and bound stalled.
    Stall,
    /// A point of the box where the hypotheses hold exactly.
    Hypotheses,
    /// A point of the box where the hypotheses do not all hold (no such point was found).
    BoxPoint,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::At => "--at",
            Source::Param => "--param",
            Source::Counterexample => "the counterexample",
            Source::Minimiser => "the minimiser report's parameter point",
            Source::Stall => "where bisection stalled",
            Source::Hypotheses => "a point of the box where the hypotheses hold",
            Source::BoxPoint => {
                "a point of the box (no point where every hypothesis holds was found)"
            }
        }
    }
}

/// A plotted variable and its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axis {
    pub name: String,
    pub lo: Rational,
    pub hi: Rational,
    /// `ℕ`/`ℤ`: cells hold integers only.
    pub integral: bool,
}

/// A one-variable plot.
#[derive(Debug, Clone)]
pub struct Line {
    pub axis: Axis,
    /// The partition of the axis, in order.
    pub cells: Vec<Cell>,
    pub sides: Vec<Side>,
    pub markers: Vec<Marker>,
}

/// A cell of the partition: the exact range `[lo, hi]` of the plotted variable (integers
/// only, for an integral one), and whether the claim holds on it (`None` for an expression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub lo: Rational,
    pub hi: Rational,
    pub decision: Option<Decision>,
}

/// Whether the claim holds on a whole cell, decided by interval arithmetic over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The claim holds at every point of the cell (and so do the hypotheses somewhere).
    Holds,
    /// The hypotheses fail at every point of the cell: the claim holds vacuously.
    Vacuous,
    /// The claim fails at every point of the cell: each is a counterexample.
    Fails,
    /// Not decided at this resolution (the enclosures overlap, or a side has none).
    Undecided,
}

/// One side of a comparison of the conclusion (or the plotted expression).
#[derive(Debug, Clone)]
pub struct Side {
    /// Its Lean text.
    pub label: String,
    /// `left of ≤ (1)`, `right of ≤ (1)`, `value`.
    pub role: String,
    pub expr: Expr,
    /// Per cell, the enclosure of the side over the cell with the rest held; `None` where the
    /// evaluator has none (outside its domain: a divisor that may vanish, a logarithm near 0).
    pub bands: Vec<Option<Interval>>,
    /// The side does not depend on the plotted variable (a bound's value, at the held point).
    pub constant: bool,
}

/// A point the check reports, on the plot.
#[derive(Debug, Clone)]
pub struct Marker {
    pub kind: MarkerKind,
    /// Its coordinate on the (first) plotted axis: a point for exact coordinates.
    pub x: Interval,
    /// On a map, its coordinate on the second axis.
    pub y: Option<Interval>,
    /// On a line, the values there: of each side (`Some(index)`), or of the minimised
    /// function (`None`).
    pub values: Vec<(Option<usize>, Interval)>,
    /// Whether the held variables are held at this point's values: if not, the point is off
    /// this slice (the caption says where it is, and nothing is drawn).
    pub on_slice: bool,
    /// Its coordinates as the check reports them, `name = value`.
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    Counterexample,
    Minimiser,
    Maximiser,
    Stall,
}

/// A two-variable map: the box split `nx × ny`, each cell's decision.
#[derive(Debug, Clone)]
pub struct Map {
    pub x: Axis,
    pub y: Axis,
    /// The cells' edges along each axis (`n + 1` exact values; integers as in [`Cell`]).
    pub x_cells: Vec<(Rational, Rational)>,
    pub y_cells: Vec<(Rational, Rational)>,
    /// Row-major from the bottom: `decisions[j * nx + i]` for `x_cells[i]`, `y_cells[j]`.
    pub decisions: Vec<Decision>,
    pub markers: Vec<Marker>,
}

/// Parses `--at` specs: `NAME=VALUE` items separated by commas (and repeated options), each
/// VALUE a decimal (`7837.52`, `-1e-3`) or a fraction `p/q`.
pub fn parse_at(specs: &[String]) -> Result<BTreeMap<String, Rational>, PlotError> {
    let mut at = BTreeMap::new();
    for spec in specs {
        for item in spec.split(',').filter(|s| !s.trim().is_empty()) {
            let bad = || PlotError::BadAt {
                spec: item.trim().to_string(),
            };
            let (name, value) = item.split_once('=').ok_or_else(bad)?;
            let (name, value) = (name.trim(), value.trim());
            if name.is_empty() {
                return Err(bad());
            }
            let q = if value.contains('/') {
                crate::certificate::parse_rational(value)
            } else {
                crate::exact::rational_of_decimal(value)
            }
            .ok_or_else(bad)?;
            if at.insert(name.to_string(), q).is_some() {
                return Err(PlotError::Repeated {
                    name: name.to_string(),
                });
            }
        }
    }
    Ok(at)
}

/// A rational as a physicist writes it: a decimal where it terminates within 24 places
/// (`7837.52`, `-0.125`), else `p/q`.
pub fn exact_text(q: &Rational) -> String {
    let mut d = q.denom().clone();
    let (mut twos, mut fives) = (0u32, 0u32);
    while d.is_divisible_u(2) {
        d /= 2u32;
        twos += 1;
    }
    while d.is_divisible_u(5) {
        d /= 5u32;
        fives += 1;
    }
    let places = twos.max(fives);
    if d != 1 || places > 24 {
        return crate::certificate::rational_text(q);
    }
    if places == 0 {
        return q.numer().to_string();
    }
    let scaled = Rational::from(q * rug::Integer::from(rug::Integer::u_pow_u(10, places)));
    let digits = scaled.numer().clone().abs().to_string();
    let digits = format!("{digits:0>width$}", width = places as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - places as usize);
    let sign = if *q < 0 { "-" } else { "" };
    format!("{sign}{int}.{frac}")
}

/// `NAME=VALUE` or `NAME=[LOW, HIGH]` with decimal values, as an exact range.
pub fn parse_range(spec: &str) -> Result<(String, Rational, Rational), PlotError> {
    let bad = || PlotError::BadRange {
        spec: spec.to_string(),
    };
    let (name, value) = spec.split_once('=').ok_or_else(bad)?;
    let (lo, hi) = match crate::exact::rational_range(value) {
        Some(range) => range,
        None => {
            let q = crate::exact::rational_of_decimal(value.trim()).ok_or_else(bad)?;
            (q.clone(), q)
        }
    };
    if name.trim().is_empty() || lo > hi {
        return Err(bad());
    }
    Ok((name.trim().to_string(), lo, hi))
}

/// The plot of a checked claim: `verdict` and `minimisers` as the check returned them, on the
/// box of `check`.
pub fn plot_claim(
    s: &Statement,
    check: &CheckConfig,
    verdict: &Verdict,
    minimisers: &[MinimiserReport],
    config: &PlotConfig,
) -> Result<Plot, PlotError> {
    let plan = slice::plan(s, check, verdict, minimisers, config)?;
    let clock = crate::check::Clock::new(check.time_limit);
    let mut notes = Vec::new();
    let body = match plan.axes.as_slice() {
        [axis] => {
            let line = cells::line(s, axis, &plan.fixed, verdict, config.cells, check, &clock);
            notes.push(line_note(&line, check.prec));
            if !line.sides.is_empty() {
                notes.push(DECISION_NOTE.into());
            } else {
                notes.push(format!(
                    "The conclusion has no comparison to draw; the shading is {}",
                    &DECISION_NOTE["The shading is ".len()..]
                ));
            }
            Body::Line(line)
        }
        [x, y] => {
            let map = cells::map(s, x, y, &plan.fixed, verdict, config.grid, check, &clock);
            notes.push(format!(
                "Each of the {} × {} cells of the box is coloured by whether the claim holds on all of it, decided by interval arithmetic over the cell ({} bits, rounded outward; the mean-value form where plain enclosures overlap): undecided at this resolution where neither holds everywhere, e.g. along a curve where a bound is attained.",
                map.x_cells.len(),
                map.y_cells.len(),
                check.prec
            ));
            Body::Map(map)
        }
        _ => unreachable!("slice::plan returns one or two axes"),
    };
    if let Some(why) = &plan.chosen {
        notes.push(why.clone());
    }
    if !plan.fixed.is_empty() {
        notes.push(held_note(&plan.fixed));
    }
    notes.push(format!("Check: {}.", verdict.summary()));
    let markers = match &body {
        Body::Line(l) => &l.markers,
        Body::Map(m) => &m.markers,
    };
    for m in markers.iter().filter(|m| !m.on_slice) {
        notes.push(format!(
            "The {} at {} lies off this slice (the held variables differ): not drawn.",
            kind_text(m.kind),
            m.label
        ));
    }
    if s.hypotheses.is_empty() && matches!(verdict, Verdict::ProvedOnBox { .. }) {
        notes.push("Proved on the box only: outside it nothing was checked.".into());
    }
    Ok(Plot {
        title: s.decl.clone(),
        claim: s.claim_text(),
        body,
        fixed: plan.fixed,
        notes,
        prec: check.prec,
    })
}

/// Checks a plot's request against the statement before the (long) check runs: the names in
/// `--at` and `--over`, the values' types, and that one or two variables are left to plot.
pub fn validate(s: &Statement, check: &CheckConfig, config: &PlotConfig) -> Result<(), PlotError> {
    slice::validate(s, check, config).map(|_| ())
}

/// The plot of an expression over one variable: its enclosure on each cell of `axis`, the
/// rest held at `fixed` (`--param`, points or intervals).
pub fn plot_expression(
    text: &str,
    expr: &Expr,
    axis: Axis,
    fixed: Vec<Fixed>,
    cells: usize,
    prec: u32,
) -> Result<Plot, PlotError> {
    if cells < 2 {
        return Err(PlotError::TooFewCells {
            what: "a plot",
            min: 2,
        });
    }
    if axis.lo > axis.hi {
        return Err(PlotError::EmptyRange {
            name: axis.name.clone(),
            lo: crate::certificate::rational_text(&axis.lo),
            hi: crate::certificate::rational_text(&axis.hi),
        });
    }
    let line = cells::expression_line(expr, text, axis, &fixed, cells, prec);
    let mut notes = vec![line_note(&line, prec)];
    if !fixed.is_empty() {
        notes.push(held_note(&fixed));
    }
    Ok(Plot {
        title: "expression".into(),
        claim: text.to_string(),
        body: Body::Line(line),
        fixed,
        notes,
        prec,
    })
}

const DECISION_NOTE: &str = "The shading is whether the claim holds on all of a cell, decided by interval arithmetic over the cell (the mean-value form where plain enclosures overlap): undecided at this resolution where neither holds everywhere, e.g. where a bound is attained.";

fn line_note(line: &Line, prec: u32) -> String {
    let missing = line
        .sides
        .iter()
        .flat_map(|s| &s.bands)
        .filter(|b| b.is_none())
        .count();
    let mut note = format!(
        "Bands: the interval enclosure of each side over each of {} cells of {} ∈ [{}, {}] ({prec}-bit MPFR, rounded outward): the exact graph lies inside its band.",
        line.cells.len(),
        line.axis.name,
        exact_text(&line.axis.lo),
        exact_text(&line.axis.hi),
    );
    if missing > 0 {
        note.push_str(&format!(
            " {missing} band cells have no enclosure (outside the evaluator's domain, e.g. a divisor that may vanish): left blank and shaded undecided."
        ));
    }
    note
}

fn held_note(fixed: &[Fixed]) -> String {
    let items: Vec<String> = fixed
        .iter()
        .map(|f| {
            let value = if f.lo == f.hi {
                exact_text(&f.lo)
            } else {
                format!("[{}, {}]", exact_text(&f.lo), exact_text(&f.hi))
            };
            format!("{} = {value} ({})", f.name, f.from.describe())
        })
        .collect();
    format!("Held: {}.", items.join("; "))
}

fn kind_text(kind: MarkerKind) -> &'static str {
    match kind {
        MarkerKind::Counterexample => "counterexample",
        MarkerKind::Minimiser => "minimiser",
        MarkerKind::Maximiser => "maximiser",
        MarkerKind::Stall => "bisection stall",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HIGGS: &str = r#"
def radial (μSq 𝓵 x : ℝ) : ℝ := -μSq * x + 𝓵 * x ^ 2
theorem bound (μSq 𝓵 x : ℝ) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) : -μSq ^ 2 / (4 * 𝓵) ≤ radial μSq 𝓵 x := by sorry
theorem wrong (μSq 𝓵 x : ℝ) (h𝓵 : 0 < 𝓵) (hx : 0 ≤ x) : -μSq ^ 2 / (8 * 𝓵) ≤ radial μSq 𝓵 x := by sorry
theorem minimum (μSq 𝓵 : ℝ) (h𝓵 : 0 < 𝓵) : IsMinOn (radial μSq 𝓵) Set.univ (μSq / (2 * 𝓵)) := by sorry
theorem plane (x y : ℝ) : x * y ≤ 2 := by sorry
theorem count (n : ℕ) (x : ℝ) : x ^ 2 + n ≥ 0 := by sorry
theorem closed : (2 : ℝ) < 3 := by sorry
"#;

    fn statement(decl: &str) -> Statement {
        crate::statement::translate(HIGGS, decl).unwrap()
    }

    fn checked(decl: &str, config: &PlotConfig) -> Result<Plot, PlotError> {
        let s = statement(decl);
        let check = CheckConfig::default();
        let verdict = crate::check::check(&s, &check);
        let minimisers = crate::minimiser::minimisers(&s, &check);
        plot_claim(&s, &check, &verdict, &minimisers, config)
    }

    fn at(spec: &str) -> BTreeMap<String, Rational> {
        parse_at(&[spec.to_string()]).unwrap()
    }

    #[test]
    fn at_reads_decimals_and_fractions() {
        let a = parse_at(&["μSq=7837.52, 𝓵=129/1000".into(), "x=-1e-3".into()]).unwrap();
        assert_eq!(a["μSq"], Rational::from((783_752, 100)));
        assert_eq!(a["𝓵"], Rational::from((129, 1000)));
        assert_eq!(a["x"], Rational::from((-1, 1000)));
        for bad in ["x", "=1", "x=one", "x=1/0"] {
            assert!(
                matches!(parse_at(&[bad.into()]), Err(PlotError::BadAt { .. })),
                "{bad}"
            );
        }
        assert_eq!(
            parse_at(&["x=1,x=2".into()]),
            Err(PlotError::Repeated { name: "x".into() })
        );
    }

    #[test]
    fn exact_values_print_as_decimals_where_they_terminate() {
        let q = |n: i64, d: i64| exact_text(&Rational::from((n, d)));
        assert_eq!(q(195_938, 25), "7837.52");
        assert_eq!(q(-1, 8), "-0.125");
        assert_eq!(q(129, 1000), "0.129");
        assert_eq!(q(-3, 1), "-3");
        assert_eq!(q(1, 3), "1/3");
        assert_eq!(q(1, 1 << 40), "1/1099511627776");
    }

    #[test]
    fn ranges_are_exact() {
        let (name, lo, hi) = parse_range("x = [-1.5, 2e1]").unwrap();
        assert_eq!(
            (name.as_str(), lo, hi),
            ("x", Rational::from((-3, 2)), Rational::from(20))
        );
        let (_, lo, hi) = parse_range("p=0.1").unwrap();
        assert!(lo == hi && lo == Rational::from((1, 10)));
        for bad in ["x", "x=[2, 1]", "=1", "x=[1,"] {
            assert!(parse_range(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_requests_are_named() {
        let s = statement("bound");
        let check = CheckConfig::default();
        let err = |config: PlotConfig| validate(&s, &check, &config).unwrap_err().to_string();
        let unknown = err(PlotConfig {
            at: at("λ=1"),
            ..PlotConfig::default()
        });
        assert!(
            unknown.contains("`λ` is not a variable of bound") && unknown.contains("μSq, 𝓵, x"),
            "{unknown}"
        );
        assert!(
            err(PlotConfig {
                at: at("μSq=1,𝓵=1,x=1"),
                ..PlotConfig::default()
            })
            .contains("every variable")
        );
        assert!(
            err(PlotConfig {
                at: at("x=1"),
                over: vec!["x".into()],
                ..PlotConfig::default()
            })
            .contains("both held")
        );
        let closed = statement("closed");
        assert_eq!(
            validate(&closed, &check, &PlotConfig::default()),
            Err(PlotError::NoVariables {
                decl: "closed".into()
            })
        );
        let count = statement("count");
        let half = validate(
            &count,
            &check,
            &PlotConfig {
                at: at("n=1/2"),
                ..PlotConfig::default()
            },
        );
        assert!(
            matches!(
                half,
                Err(PlotError::OutOfType {
                    what: "a natural number",
                    ..
                })
            ),
            "{half:?}"
        );
    }

    #[test]
    fn a_bound_with_its_parameters_held_is_a_line_of_bands() {
        let p = checked(
            "bound",
            &PlotConfig {
                at: at("μSq=2,𝓵=1/2"),
                ..PlotConfig::default()
            },
        )
        .unwrap();
        let Body::Line(line) = &p.body else {
            panic!("a line")
        };
        assert_eq!(line.axis.name, "x");
        assert_eq!(line.cells.len(), 400);
        assert_eq!(line.sides.len(), 2);
        assert!(line.sides[0].constant && !line.sides[1].constant);
        assert!(p.fixed.iter().all(|f| f.from == Source::At));
        // The bound -μ⁴/(4λ) = -2 is attained at x = μ²/(2λ) = 2: undecided there only.
        let undecided: Vec<&Cell> = line
            .cells
            .iter()
            .filter(|c| c.decision == Some(Decision::Undecided))
            .collect();
        assert!(!undecided.is_empty() && undecided.len() < 20);
        assert!(undecided.iter().all(|c| (c.lo.to_f64() - 2.0).abs() < 0.2));
        assert!(
            line.cells
                .iter()
                .all(|c| c.decision != Some(Decision::Fails))
        );
        let text = svg(&p);
        assert!(text.contains("<title>bound: ∀ (μSq 𝓵 x : ℝ), 0 &lt; 𝓵 → 0 ≤ x → "));
        assert!(text.contains(r#"class="legend""#) && text.contains("μSq = 2 (--at)"));
    }

    #[test]
    fn the_minimiser_is_marked_exactly() {
        let s = statement("minimum");
        let over = s
            .vars
            .iter()
            .find(|v| !["μSq", "𝓵"].contains(&v.name.as_str()))
            .unwrap();
        let p = checked(
            "minimum",
            &PlotConfig {
                at: at("μSq=3,𝓵=1"),
                over: vec![over.name.clone()],
                ..PlotConfig::default()
            },
        )
        .unwrap();
        let Body::Line(line) = &p.body else {
            panic!("a line")
        };
        let m = line
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::Minimiser)
            .unwrap();
        // x₀ = μ²/(2λ) = 3/2, V(x₀) = -9/4.
        assert!(m.x.contains(&rug::Float::with_val(64, 1.5)));
        assert!(m.label.ends_with("= 1.5"), "{}", m.label);
        assert!(m.values[0].1.contains(&rug::Float::with_val(64, -2.25)));
    }

    #[test]
    fn a_refuted_claim_over_two_variables_is_a_map_with_its_counterexample() {
        let p = checked("plane", &PlotConfig::default()).unwrap();
        let Body::Map(map) = &p.body else {
            panic!("a map")
        };
        assert_eq!((map.x.name.as_str(), map.y.name.as_str()), ("x", "y"));
        assert_eq!(map.decisions.len(), 64 * 64);
        // xy ≤ 2 fails on whole cells near the corners (±10, ±10), holds near the axes.
        assert_eq!(map.decisions[0], Decision::Fails);
        assert_eq!(map.decisions[64 * 64 - 1], Decision::Fails);
        assert_eq!(map.decisions[63], Decision::Holds);
        let m = &map.markers[0];
        assert_eq!(m.kind, MarkerKind::Counterexample);
        assert!(m.on_slice);
        let text = svg(&p);
        assert!(text.contains(r#"class="marker counterexample""#));
        assert!(text.contains(r#"data-kind="map""#));
    }

    #[test]
    fn three_free_variables_map_the_two_that_matter_and_say_so() {
        let p = checked("wrong", &PlotConfig::default()).unwrap();
        let Body::Map(map) = &p.body else {
            panic!("a map")
        };
        let plotted = [map.x.name.as_str(), map.y.name.as_str()];
        let held = &p.fixed[0];
        assert!(!plotted.contains(&held.name.as_str()));
        assert_eq!(held.from, Source::Counterexample);
        assert!(p.notes.iter().any(|n| n.starts_with("Plotted over")));
    }

    #[test]
    fn an_integer_axis_has_one_cell_an_integer() {
        let p = checked(
            "count",
            &PlotConfig {
                at: at("x=1/2"),
                ..PlotConfig::default()
            },
        )
        .unwrap();
        let Body::Line(line) = &p.body else {
            panic!("a line")
        };
        assert_eq!(line.cells.len(), 11);
        assert!(
            line.cells
                .iter()
                .all(|c| c.lo == c.hi && *c.lo.denom() == 1)
        );
    }

    #[test]
    fn the_svg_is_well_formed_and_escapes_its_text() {
        let s = crate::statement::translate(
            "theorem lt_and_amp (x : ℝ) (h : x < 1) : x ^ 2 < 1 ∨ x < -1 := by sorry",
            "lt_and_amp",
        )
        .unwrap();
        let check = CheckConfig::default();
        let verdict = crate::check::check(&s, &check);
        let p = plot_claim(&s, &check, &verdict, &[], &PlotConfig::default()).unwrap();
        let text = svg(&p);
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut elements = 0;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_)) => {
                    elements += 1
                }
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
            }
        }
        assert!(elements > 50);
        assert!(!text.contains("x < 1") && text.contains("x &lt; 1"));
        assert!(!text.contains("<script"));
    }
}
