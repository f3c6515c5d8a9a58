//! A [`Plot`] as a standalone SVG: hand-written, no scripts, no external fonts (generic
//! `sans-serif` and `monospace` only), every text escaped, so it renders alike in browsers and
//! in Inkscape. The bands are drawn outward ([`Scale::outward`]): a drawn band is never narrower
//! than its enclosure, and one that leaves the frame is cut at it (the caption says so).
//! Elements carry classes and `data-` attributes (`marker counterexample`, `tick x`, `band`)
//! so tests can find them in a rendered page.

use std::fmt::Write;

use super::axes::{Scale, label, padded, short, ticks};
use super::cells::outward_f64;
use super::{Body, Decision, Line, Map, Marker, MarkerKind, Plot, Side};
use crate::interval::Interval;
use theorist_report::xml::escape;

const WIDTH: f64 = 860.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 28.0;
const PLOT_HEIGHT: f64 = 340.0;
const MAP_HEIGHT: f64 = 420.0;
/// Characters of a claim line (12 px monospace) and of a caption line (11.5 px sans-serif)
/// that fit the width.
const CLAIM_CHARS: usize = 108;
const CAPTION_CHARS: usize = 128;
/// At most this many lines of the claim are shown; the whole claim is in `<title>`.
const CLAIM_LINES: usize = 5;
/// The sides' colours, in order.
const BAND_COLOURS: [&str; 6] = [
    "#1f5fa8", "#e07b00", "#2e8b3a", "#7b3fa0", "#b03030", "#555555",
];
const COUNTEREXAMPLE: &str = "#d62728";
const MINIMISER: &str = "#178a3c";
const STALL: &str = "#555555";

/// The SVG document of `plot`.
pub fn svg(plot: &Plot) -> String {
    let mut page = Page::new(plot);
    match &plot.body {
        Body::Line(line) => page.line(line),
        Body::Map(map) => page.map(map),
    }
    page.finish(plot)
}

struct Page {
    out: String,
    /// The next free y.
    y: f64,
    legend: Vec<Entry>,
    /// Caption lines the drawing adds (cut bands).
    notes: Vec<String>,
}

/// A legend entry: a swatch (fill colour, or a marker shape) and its text.
struct Entry {
    swatch: Swatch,
    text: String,
}

enum Swatch {
    Fill(&'static str, f64),
    Marker(MarkerKind),
}

fn decision_style(d: Decision, strong: bool) -> (&'static str, &'static str) {
    match (d, strong) {
        (Decision::Holds, false) => ("#e3f2e1", "the claim holds on the whole cell"),
        (Decision::Holds, true) => ("#9fd49a", "the claim holds on the whole cell"),
        (Decision::Vacuous, false) => ("#f6f1dc", "the hypotheses fail on the whole cell"),
        (Decision::Vacuous, true) => ("#efe3b0", "the hypotheses fail on the whole cell"),
        (Decision::Fails, false) => (
            "#f9d6d2",
            "the claim fails on the whole cell (every point a counterexample)",
        ),
        (Decision::Fails, true) => (
            "#f08a80",
            "the claim fails on the whole cell (every point a counterexample)",
        ),
        (Decision::Undecided, false) => ("#dcdcdc", "undecided at this resolution"),
        (Decision::Undecided, true) => ("#c4c4c4", "undecided at this resolution"),
    }
}

fn class_of(d: Decision) -> &'static str {
    match d {
        Decision::Holds => "holds",
        Decision::Vacuous => "vacuous",
        Decision::Fails => "fails",
        Decision::Undecided => "undecided",
    }
}

fn marker_text(kind: MarkerKind) -> &'static str {
    match kind {
        MarkerKind::Counterexample => "counterexample",
        MarkerKind::Minimiser => "minimiser",
        MarkerKind::Maximiser => "maximiser",
        MarkerKind::Stall => "bisection stalled",
    }
}

/// Words of `text` in lines of at most `width` characters (a longer word is cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        while word.chars().count() > width {
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
        }
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Two decimals: enough for a pixel, short enough to keep the file small.
fn f(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// The midpoint of an enclosure, in f64.
fn mid(x: &Interval) -> f64 {
    let (lo, hi) = outward_f64(x);
    if lo.is_finite() && hi.is_finite() {
        lo / 2.0 + hi / 2.0
    } else {
        f64::NAN
    }
}

/// The SVG path of one side's enclosures, a rectangle per cell, rounded outward to pixels;
/// sets `cut` when an enclosure leaves the value range and `blank` when a cell has none.
fn band_path(
    line: &Line,
    side: &Side,
    xs: &Scale,
    ys: &Scale,
    cut: &mut bool,
    blank: &mut bool,
) -> String {
    let mut d = String::new();
    for (cell, band) in line.cells.iter().zip(&side.bands) {
        let Some(band) = band else {
            *blank = true;
            continue;
        };
        let (lo, hi) = outward_f64(band);
        if lo < ys.lo || hi > ys.hi {
            *cut = true;
        }
        let (a, b) = cell_span(cell.lo.to_f64(), cell.hi.to_f64(), line.axis.integral);
        let (Some((x0, x1)), Some((mut y0, mut y1))) = (xs.outward(a, b), ys.outward(lo, hi))
        else {
            continue;
        };
        // A band thinner than a pixel is drawn one pixel high (wider is still sound).
        if y1 - y0 < 1.0 {
            let c = (y0 + y1) / 2.0;
            y0 = ((c - 0.5) * 100.0).floor() / 100.0;
            y1 = ((c + 0.5) * 100.0).ceil() / 100.0;
        }
        let x1 = if x1 - x0 < 0.5 { x0 + 0.5 } else { x1 };
        let _ = write!(d, "M{} {}H{}V{}H{}Z", f(x0), f(y0), f(x1), f(y1), f(x0));
    }
    d
}

/// The drawn x range of a cell `[lo, hi]`: an integral variable's integers as bars of width 1.
fn cell_span(lo: f64, hi: f64, integral: bool) -> (f64, f64) {
    if integral {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

/// The shown range of an axis.
fn axis_range(lo: f64, hi: f64, integral: bool) -> (f64, f64) {
    if integral {
        (lo - 0.5, hi + 0.5)
    } else if lo == hi {
        padded(lo, hi, 0.0)
    } else {
        (lo, hi)
    }
}

impl Page {
    fn new(plot: &Plot) -> Page {
        let mut page = Page {
            out: String::new(),
            y: 0.0,
            legend: Vec::new(),
            notes: Vec::new(),
        };
        let _ = writeln!(
            page.out,
            r##"<text x="{}" y="24" font-size="15" font-weight="bold" fill="#111">{}</text>"##,
            f(LEFT - 60.0),
            escape(&plot.title)
        );
        page.y = 30.0;
        let mut lines = wrap(&plot.claim, CLAIM_CHARS);
        if lines.len() > CLAIM_LINES {
            lines.truncate(CLAIM_LINES);
            if let Some(last) = lines.last_mut() {
                last.push_str(" …");
            }
        }
        let _ = writeln!(
            page.out,
            r##"<g class="claim" font-family="monospace" font-size="12" fill="#222">"##
        );
        for line in &lines {
            page.y += 16.0;
            let _ = writeln!(
                page.out,
                r#"<text x="{}" y="{}" xml:space="preserve">{}</text>"#,
                f(LEFT - 60.0),
                f(page.y),
                escape(line)
            );
        }
        page.out.push_str("</g>\n");
        page.y += 16.0;
        page
    }

    /// Ticks and their labels along the bottom (`x`) or the left (`y`) of the frame.
    fn axis(&mut self, scale: &Scale, horizontal: bool, frame: (f64, f64, f64, f64)) {
        let (left, top, right, bottom) = frame;
        let (lo, hi) = (scale.lo, scale.hi);
        let (step, values) = ticks(lo, hi, if horizontal { 8 } else { 6 });
        let class = if horizontal { "x" } else { "y" };
        let _ = writeln!(
            self.out,
            r##"<g class="ticks {class}" font-size="11" fill="#333" stroke="#888">"##
        );
        for v in values {
            let p = scale.px(v);
            let text = escape(&label(v, step));
            if horizontal {
                let _ = writeln!(
                    self.out,
                    r##"<g class="tick {class}" data-value="{v}"><line x1="{p}" y1="{b}" x2="{p}" y2="{b6}"/><line x1="{p}" y1="{top}" x2="{p}" y2="{b}" stroke="#000" stroke-opacity="0.07"/><text x="{p}" y="{b18}" text-anchor="middle" stroke="none">{text}</text></g>"##,
                    p = f(p),
                    b = f(bottom),
                    b6 = f(bottom + 6.0),
                    top = f(top),
                    b18 = f(bottom + 18.0),
                );
            } else {
                let _ = writeln!(
                    self.out,
                    r##"<g class="tick {class}" data-value="{v}"><line x1="{l6}" y1="{p}" x2="{l}" y2="{p}"/><line x1="{l}" y1="{p}" x2="{r}" y2="{p}" stroke="#000" stroke-opacity="0.07"/><text x="{l9}" y="{p4}" text-anchor="end" stroke="none">{text}</text></g>"##,
                    p = f(p),
                    l = f(left),
                    l6 = f(left - 6.0),
                    r = f(right),
                    l9 = f(left - 9.0),
                    p4 = f(p + 4.0),
                );
            }
        }
        self.out.push_str("</g>\n");
    }

    /// Legend entries for the decisions shown, in a fixed order.
    fn decision_legend(&mut self, seen: &[Decision], strong: bool) {
        for d in [
            Decision::Holds,
            Decision::Vacuous,
            Decision::Fails,
            Decision::Undecided,
        ] {
            if seen.contains(&d) {
                let (colour, text) = decision_style(d, strong);
                self.legend.push(Entry {
                    swatch: Swatch::Fill(colour, 1.0),
                    text: text.into(),
                });
            }
        }
    }

    fn frame(&mut self, frame: (f64, f64, f64, f64)) {
        let (left, top, right, bottom) = frame;
        let _ = writeln!(
            self.out,
            r##"<rect class="frame" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#333" stroke-width="1"/>"##,
            f(left),
            f(top),
            f(right - left),
            f(bottom - top)
        );
    }

    fn axis_name(&mut self, name: &str, x: f64, y: f64, vertical: bool) {
        let rotate = if vertical {
            format!(r#" transform="rotate(-90 {} {})""#, f(x), f(y))
        } else {
            String::new()
        };
        let _ = writeln!(
            self.out,
            r##"<text class="axis-name" x="{}" y="{}" font-size="13" text-anchor="middle" fill="#111"{rotate}>{}</text>"##,
            f(x),
            f(y),
            escape(name)
        );
    }

    fn line(&mut self, line: &Line) {
        let top = self.y + 8.0;
        let bottom = top + PLOT_HEIGHT;
        let (left, right) = (LEFT, WIDTH - RIGHT);
        let frame = (left, top, right, bottom);
        let integral = line.axis.integral;
        let (xlo, xhi) = axis_range(line.axis.lo.to_f64(), line.axis.hi.to_f64(), integral);
        let xs = Scale::new(xlo, xhi, left, right);
        let (ylo, yhi) = value_range(line);
        let ys = Scale::new(ylo, yhi, bottom, top);
        let seen = self.decision_runs(line, &xs, top);
        self.axis(&xs, true, frame);
        self.axis(&ys, false, frame);
        let (cut, blank) = self.bands(line, &xs, &ys);
        if cut {
            self.notes
                .push("Bands that leave the frame are cut at it.".into());
        }
        self.decision_legend(&seen, false);
        if blank {
            self.legend.push(Entry {
                swatch: Swatch::Fill("#ffffff", 1.0),
                text: "no enclosure (outside the evaluator's domain): no band, cell undecided"
                    .into(),
            });
        }
        for m in line.markers.iter().filter(|m| m.on_slice) {
            self.line_marker(m, &xs, &ys, frame);
        }
        self.frame(frame);
        self.axis_name(&line.axis.name, (left + right) / 2.0, bottom + 38.0, false);
        self.y = bottom + 68.0;
    }

    /// The decisions behind everything, one rectangle per run of equal cells; returns the
    /// decisions seen, in order, for the legend.
    fn decision_runs(&mut self, line: &Line, xs: &Scale, top: f64) -> Vec<Decision> {
        let integral = line.axis.integral;
        let mut seen: Vec<Decision> = Vec::new();
        self.out
            .push_str(r#"<g class="decisions" shape-rendering="crispEdges">"#);
        self.out.push('\n');
        let mut k = 0;
        while k < line.cells.len() {
            let Some(d) = line.cells[k].decision else {
                k += 1;
                continue;
            };
            let mut end = k;
            while end + 1 < line.cells.len() && line.cells[end + 1].decision == Some(d) {
                end += 1;
            }
            let (a, _) = cell_span(
                line.cells[k].lo.to_f64(),
                line.cells[k].hi.to_f64(),
                integral,
            );
            let (_, b) = cell_span(
                line.cells[end].lo.to_f64(),
                line.cells[end].hi.to_f64(),
                integral,
            );
            if let Some((x0, x1)) = xs.outward(a, b) {
                let (colour, _) = decision_style(d, false);
                let _ = writeln!(
                    self.out,
                    r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}" fill="{colour}"/>"#,
                    class_of(d),
                    f(x0),
                    f(top),
                    f(x1 - x0),
                    f(PLOT_HEIGHT)
                );
            }
            if !seen.contains(&d) {
                seen.push(d);
            }
            k = end + 1;
        }
        self.out.push_str("</g>\n");
        seen
    }

    /// Each side's enclosures as one path of cell rectangles, with its legend entry. Returns
    /// whether a band was cut at the frame and whether a cell had no enclosure.
    fn bands(&mut self, line: &Line, xs: &Scale, ys: &Scale) -> (bool, bool) {
        let (mut cut, mut blank) = (false, false);
        for (i, side) in line.sides.iter().enumerate() {
            let colour = BAND_COLOURS[i % BAND_COLOURS.len()];
            let d = band_path(line, side, xs, ys, &mut cut, &mut blank);
            let _ = writeln!(
                self.out,
                r#"<path class="band" data-side="{i}" d="{d}" fill="{colour}" fill-opacity="0.6" stroke="{colour}" stroke-width="0.5" stroke-opacity="0.8"><title>{}</title></path>"#,
                escape(&format!("{}: {}", side.role, side.label))
            );
            let mut text = format!("{}: {}", side.role, side.label);
            if side.constant {
                if let Some(Some(b)) = side.bands.first() {
                    let (lo, hi) = outward_f64(b);
                    let value = if short(lo) == short(hi) {
                        format!("≈ {}", short(lo))
                    } else {
                        format!("∈ [{}, {}]", short(lo), short(hi))
                    };
                    text.push_str(&format!(" ({value}, constant in {})", line.axis.name));
                }
            }
            self.legend.push(Entry {
                swatch: Swatch::Fill(colour, 0.6),
                text,
            });
        }
        (cut, blank)
    }

    fn line_marker(&mut self, m: &Marker, xs: &Scale, ys: &Scale, frame: (f64, f64, f64, f64)) {
        let (_, top, _, bottom) = frame;
        let x = mid(&m.x);
        if !xs.contains(x) {
            return;
        }
        let (colour, dash) = match m.kind {
            MarkerKind::Counterexample => (COUNTEREXAMPLE, "5 3"),
            MarkerKind::Minimiser | MarkerKind::Maximiser => (MINIMISER, "2 3"),
            MarkerKind::Stall => (STALL, "1 3"),
        };
        let px = xs.px(x);
        let _ = writeln!(
            self.out,
            r#"<g class="marker {}" data-x="{}" data-label="{}">"#,
            kind_class(m.kind),
            x,
            escape(&m.label)
        );
        let _ = writeln!(
            self.out,
            r#"<line x1="{p}" y1="{}" x2="{p}" y2="{}" stroke="{colour}" stroke-width="1.2" stroke-dasharray="{dash}"/>"#,
            f(top),
            f(bottom),
            p = f(px)
        );
        for (_, value) in &m.values {
            let y = mid(value);
            if !ys.contains(y) {
                continue;
            }
            shape(&mut self.out, m.kind, px, ys.px(y));
        }
        self.out.push_str("</g>\n");
        self.legend.push(Entry {
            swatch: Swatch::Marker(m.kind),
            text: format!("{}: {}", marker_text(m.kind), m.label),
        });
    }

    fn map(&mut self, map: &Map) {
        let top = self.y + 8.0;
        let bottom = top + MAP_HEIGHT;
        let (left, right) = (LEFT, WIDTH - RIGHT);
        let frame = (left, top, right, bottom);
        let (xlo, xhi) = axis_range(map.x.lo.to_f64(), map.x.hi.to_f64(), map.x.integral);
        let (ylo, yhi) = axis_range(map.y.lo.to_f64(), map.y.hi.to_f64(), map.y.integral);
        let xs = Scale::new(xlo, xhi, left, right);
        let ys = Scale::new(ylo, yhi, bottom, top);
        let nx = map.x_cells.len();
        let mut seen: Vec<Decision> = Vec::new();
        self.out
            .push_str(r#"<g class="decisions" shape-rendering="crispEdges">"#);
        self.out.push('\n');
        for (j, (ya, yb)) in map.y_cells.iter().enumerate() {
            let (ya, yb) = cell_span(ya.to_f64(), yb.to_f64(), map.y.integral);
            let Some((y0, y1)) = ys.outward(ya, yb) else {
                continue;
            };
            let row = &map.decisions[j * nx..(j + 1) * nx];
            let mut i = 0;
            while i < nx {
                let d = row[i];
                let mut end = i;
                while end + 1 < nx && row[end + 1] == d {
                    end += 1;
                }
                let (a, _) = cell_span(
                    map.x_cells[i].0.to_f64(),
                    map.x_cells[i].1.to_f64(),
                    map.x.integral,
                );
                let (_, b) = cell_span(
                    map.x_cells[end].0.to_f64(),
                    map.x_cells[end].1.to_f64(),
                    map.x.integral,
                );
                if let Some((x0, x1)) = xs.outward(a, b) {
                    let (colour, _) = decision_style(d, true);
                    let _ = writeln!(
                        self.out,
                        r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}" fill="{colour}"/>"#,
                        class_of(d),
                        f(x0),
                        f(y0),
                        f(x1 - x0),
                        f(y1 - y0)
                    );
                }
                if !seen.contains(&d) {
                    seen.push(d);
                }
                i = end + 1;
            }
        }
        self.out.push_str("</g>\n");
        self.axis(&xs, true, frame);
        self.axis(&ys, false, frame);
        self.decision_legend(&seen, true);
        for m in map.markers.iter().filter(|m| m.on_slice) {
            let (x, y) = (mid(&m.x), m.y.as_ref().map_or(f64::NAN, mid));
            if !(xs.contains(x) && ys.contains(y)) {
                continue;
            }
            let _ = writeln!(
                self.out,
                r#"<g class="marker {}" data-x="{x}" data-y="{y}" data-label="{}">"#,
                kind_class(m.kind),
                escape(&m.label)
            );
            shape(&mut self.out, m.kind, xs.px(x), ys.px(y));
            self.out.push_str("</g>\n");
            self.legend.push(Entry {
                swatch: Swatch::Marker(m.kind),
                text: format!("{}: {}", marker_text(m.kind), m.label),
            });
        }
        self.frame(frame);
        self.axis_name(&map.x.name, (left + right) / 2.0, bottom + 38.0, false);
        self.axis_name(&map.y.name, 18.0, (top + bottom) / 2.0, true);
        self.y = bottom + 68.0;
    }

    fn finish(mut self, plot: &Plot) -> String {
        // The legend: one entry a line.
        let _ = writeln!(
            self.out,
            r##"<g class="legend" font-size="12" fill="#111">"##
        );
        for entry in &self.legend {
            let y = self.y;
            match entry.swatch {
                Swatch::Fill(colour, opacity) => {
                    let _ = write!(
                        self.out,
                        r##"<g class="entry"><rect x="{}" y="{}" width="18" height="11" fill="{colour}" fill-opacity="{opacity}" stroke="#666" stroke-width="0.5"/>"##,
                        f(LEFT - 60.0),
                        f(y - 9.5)
                    );
                }
                Swatch::Marker(kind) => {
                    self.out.push_str(r#"<g class="entry">"#);
                    shape(&mut self.out, kind, LEFT - 51.0, y - 4.0);
                }
            }
            let mut text: String = entry.text.chars().take(CAPTION_CHARS).collect();
            if entry.text.chars().count() > CAPTION_CHARS {
                text.push('…');
            }
            let _ = writeln!(
                self.out,
                r#"<text x="{}" y="{}">{}</text></g>"#,
                f(LEFT - 34.0),
                f(y),
                escape(&text)
            );
            self.y += 17.0;
        }
        self.out.push_str("</g>\n");
        // The caption.
        self.y += 6.0;
        let _ = writeln!(
            self.out,
            r##"<g class="caption" font-size="11.5" fill="#333">"##
        );
        let notes: Vec<&String> = plot.notes.iter().chain(&self.notes).collect();
        for note in &notes {
            for line in wrap(note, CAPTION_CHARS) {
                let _ = writeln!(
                    self.out,
                    r#"<text x="{}" y="{}">{}</text>"#,
                    f(LEFT - 60.0),
                    f(self.y),
                    escape(&line)
                );
                self.y += 15.0;
            }
            self.y += 3.0;
        }
        self.out.push_str("</g>\n");
        let height = (self.y + 8.0).ceil();
        let description = notes
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let kind = match plot.body {
            Body::Line(_) => "line",
            Body::Map(_) => "map",
        };
        let mut doc = String::with_capacity(self.out.len() + 1024);
        let _ = writeln!(
            doc,
            r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{height}" viewBox="0 0 {w} {height}" font-family="sans-serif" data-kind="{kind}">"#,
            w = WIDTH
        );
        let _ = writeln!(
            doc,
            "<title>{}</title>\n<desc>{}</desc>",
            escape(&format!("{}: {}", plot.title, plot.claim)),
            escape(&description)
        );
        let _ = writeln!(
            doc,
            r##"<rect class="background" width="{WIDTH}" height="{height}" fill="#ffffff"/>"##
        );
        doc.push_str(&self.out);
        doc.push_str("</svg>\n");
        doc
    }
}

fn kind_class(kind: MarkerKind) -> &'static str {
    match kind {
        MarkerKind::Counterexample => "counterexample",
        MarkerKind::Minimiser => "minimiser",
        MarkerKind::Maximiser => "maximiser",
        MarkerKind::Stall => "stall",
    }
}

/// A marker's shape centred at `(x, y)`: a ringed dot with a cross (counterexample), a
/// diamond (minimiser, maximiser), a triangle (stall).
fn shape(out: &mut String, kind: MarkerKind, x: f64, y: f64) {
    let _ = match kind {
        MarkerKind::Counterexample => writeln!(
            out,
            r##"<circle cx="{x}" cy="{y}" r="5" fill="{COUNTEREXAMPLE}" stroke="#ffffff" stroke-width="1.5"/><path d="M{a} {y}H{b}M{x} {c}V{d}" stroke="{COUNTEREXAMPLE}" stroke-width="1.2"/>"##,
            x = f(x),
            y = f(y),
            a = f(x - 9.0),
            b = f(x + 9.0),
            c = f(y - 9.0),
            d = f(y + 9.0),
        ),
        MarkerKind::Minimiser | MarkerKind::Maximiser => writeln!(
            out,
            r##"<path d="M{x} {t}L{r} {y}L{x} {b}L{l} {y}Z" fill="{MINIMISER}" stroke="#ffffff" stroke-width="1.2"/>"##,
            x = f(x),
            y = f(y),
            t = f(y - 6.0),
            b = f(y + 6.0),
            l = f(x - 6.0),
            r = f(x + 6.0),
        ),
        MarkerKind::Stall => writeln!(
            out,
            r##"<path d="M{x} {t}L{r} {b}L{l} {b}Z" fill="{STALL}" stroke="#ffffff" stroke-width="1"/>"##,
            x = f(x),
            t = f(y - 5.5),
            b = f(y + 4.5),
            l = f(x - 5.5),
            r = f(x + 5.5),
        ),
    };
}

/// The value axis of a line: every band and marked value, unless a few cells' bands are far
/// wider than the rest (near a pole, or where an enclosure is loose): then the 2nd to 98th
/// percentile of the endpoints, and the wide bands are cut at the frame.
fn value_range(line: &Line) -> (f64, f64) {
    let mut values: Vec<f64> = line
        .sides
        .iter()
        .flat_map(|s| s.bands.iter().flatten())
        .flat_map(|b| {
            let (lo, hi) = outward_f64(b);
            [lo, hi]
        })
        .chain(
            line.markers
                .iter()
                .filter(|m| m.on_slice)
                .flat_map(|m| m.values.iter().map(|(_, v)| mid(v))),
        )
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return (-1.0, 1.0);
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let (min, max) = (values[0], values[values.len() - 1]);
    let q = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
    let (q2, q98) = (q(0.02), q(0.98));
    if q98 > q2 && max - min > 20.0 * (q98 - q2) {
        // Keep the marked values in view.
        let marked = line
            .markers
            .iter()
            .filter(|m| m.on_slice)
            .flat_map(|m| m.values.iter().map(|(_, v)| mid(v)))
            .filter(|v| v.is_finite());
        let (lo, hi) = marked.fold((q2, q98), |(lo, hi), v| (lo.min(v), hi.max(v)));
        padded(lo, hi, 0.08)
    } else {
        padded(min, max, 0.06)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_and_cuts_only_long_ones() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 10), Vec::<String>::new());
    }

    #[test]
    fn coordinates_are_short() {
        assert_eq!(f(12.0), "12");
        assert_eq!(f(12.3456), "12.35");
        assert_eq!(f(-0.001), "0");
    }
}
