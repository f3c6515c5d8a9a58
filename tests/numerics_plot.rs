//! `theorist numerics check … --plot` and `numerics eval … --plot` through the real binary: the
//! SVG written (atomically, replacing an old one), the report naming it and where the other
//! variables were held, bad requests refused with exit code 2 before anything is checked,
//! exit codes otherwise unchanged; and the plots rendered in headless Chromium: not blank,
//! a legend, and the counterexample marker where the JSON puts it (mapped back through the
//! rendered tick labels, within a pixel), on a line and on a map.

use std::path::Path;

use serde_json::Value;

mod support;

mod browser;

const LIBRARY: &str = "lean/Theorist/Higgs/Potential.lean";
const FALSE: &str = "tests/fixtures/library/FalseVariants/HiggsPotential.lean";

fn theorist(args: &[&str]) -> std::process::Output {
    support::theorist().args(args).output().unwrap()
}

/// `numerics check --json` with a plot: (exit code, report, SVG).
fn plotted(target: &str, svg: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec![
        "--json",
        "numerics",
        "check",
        target,
        "--samples",
        "300",
        "--max-boxes",
        "2000",
        "--plot",
        svg.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = theorist(&args);
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{target}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    let text = std::fs::read_to_string(svg).unwrap();
    (out.status.code().unwrap(), report, text)
}

fn fraction(text: &str) -> f64 {
    match text.split_once('/') {
        Some((n, d)) => n.parse::<f64>().unwrap() / d.parse::<f64>().unwrap(),
        None => text.parse().unwrap(),
    }
}

#[test]
fn a_plot_is_written_and_the_exit_code_is_the_checks() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("bound.svg");
    // An old file is replaced whole, and nothing else is left in the folder.
    std::fs::write(&svg, "old").unwrap();
    let (code, report, text) = plotted(
        &format!("{LIBRARY}:bound_of_𝓵_pos"),
        &svg,
        &["--at", "P.μ2=7837.52,P.𝓵=0.129", "--box", "‖φ‖=[0, 250]"],
    );
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["verdict"], "proved");
    assert_eq!(report["plot"]["over"], serde_json::json!(["‖φ‖"]));
    assert_eq!(report["plot"]["held"][0]["value"], "7837.52");
    assert_eq!(report["plot"]["held"][0]["from"], "--at");
    assert!(text.starts_with("<svg ") && text.ends_with("</svg>\n"));
    assert!(text.contains("Theorist.Higgs.Potential.bound_of_𝓵_pos"));
    assert!(text.contains("0 &lt; P.𝓵"), "the claim, escaped");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // A refuted variant: exit code 1 as without a plot, the rest held at the counterexample.
    let (code, report, text) = plotted(&format!("{FALSE}:bound_of_𝓵_neg"), &svg, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["verdict"], "refuted");
    assert_eq!(report["plot"]["over"].as_array().unwrap().len(), 2);
    assert_eq!(report["plot"]["held"][0]["from"], "the counterexample");
    assert!(text.contains(r#"data-kind="map""#));
    assert!(text.contains(r#"class="marker counterexample""#));

    // Human output names the plot.
    let out = theorist(&[
        "numerics",
        "check",
        &format!("{FALSE}:bound_of_𝓵_neg"),
        "--plot",
        svg.to_str().unwrap(),
        "--over",
        "‖φ‖",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("  plot: ") && stdout.contains("(over ‖φ‖; held: P.μ2 = "),
        "{stdout}"
    );
}

#[test]
fn bad_plot_requests_are_usage_errors_before_anything_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("never.svg");
    let svg = svg.to_str().unwrap();
    let target = format!("{LIBRARY}:bound_of_𝓵_pos");
    let refused = |args: &[&str], needle: &str| {
        let out = theorist(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    };
    refused(
        &["numerics", "check", &target, "--plot", svg, "--at", "λ=1"],
        "`λ` is not a variable of Theorist.Higgs.Potential.bound_of_𝓵_pos (variables: P.μ2, P.𝓵, ‖φ‖)",
    );
    refused(
        &["numerics", "check", &target, "--plot", svg, "--at", "P.μ2"],
        "is not NAME=VALUE",
    );
    refused(
        &[
            "numerics",
            "check",
            &target,
            "--plot",
            svg,
            "--at",
            "‖φ‖=-1",
        ],
        "‖φ‖ is a norm (never negative)",
    );
    refused(
        &[
            "numerics", "check", &target, "--plot", svg, "--over", "x,y,z",
        ],
        "`x` is not a variable",
    );
    refused(
        &[
            "numerics",
            "check",
            "tests/fixtures/numerics/Anomaly.lean:Fixture.Anomaly.cubic",
            "--plot",
            svg,
        ],
        "has no variables: there is nothing to plot",
    );
    // --at without --plot is a usage error of its own.
    refused(&["numerics", "check", &target, "--at", "P.μ2=1"], "--plot");
    refused(
        &["numerics", "eval", "x ^ 2", "--plot", svg],
        "--box NAME=[LOW, HIGH]",
    );
    assert!(!Path::new(svg).exists(), "no plot written");
}

#[test]
fn an_expression_is_plotted_over_its_box() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("v.svg");
    let out = theorist(&[
        "--json",
        "numerics",
        "eval",
        "-μSq * x + 𝓵 * x ^ 2",
        "--param",
        "μSq=7837.52",
        "--param",
        "𝓵=0.129",
        "--box",
        "x=[0, 70000]",
        "--plot",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["plot"]["over"], serde_json::json!(["x"]));
    assert_eq!(v["plot"]["held"][1]["from"], "--param");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(text.matches(r#"class="band""#).count(), 1);
    // The enclosure over the whole box is still the answer.
    let lower: f64 = v["lower"].as_str().unwrap().parse().unwrap();
    assert!(lower <= -(7837.52f64 * 7837.52) / (4.0 * 0.129));
}

/// What the page script read off the rendered SVG.
struct Rendered {
    /// Share of the canvas pixels that are not white.
    ink: f64,
    legend: Vec<String>,
    /// (pixel, label) of the x and y ticks.
    x_ticks: Vec<(f64, f64)>,
    y_ticks: Vec<(f64, f64)>,
    /// Centres of the counterexample marker's dots.
    dots: Vec<(f64, f64)>,
}

/// The page: the SVG inline, and a script that rasterises it on a canvas (to count ink) and
/// reads the rendered positions of ticks, legend entries and the counterexample's dots.
const SCRIPT: &str = r#"<script>
(function () {
  var svg = document.querySelector('#plot svg');
  var out = {};
  function mid(el) { var r = el.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }
  out.x = [].map.call(svg.querySelectorAll('.tick.x'), function (t) { return [mid(t.querySelector('line'))[0], t.querySelector('text').textContent]; });
  out.y = [].map.call(svg.querySelectorAll('.tick.y'), function (t) { return [mid(t.querySelector('line'))[1], t.querySelector('text').textContent]; });
  out.dots = [].map.call(svg.querySelectorAll('.marker.counterexample circle'), mid);
  out.legend = [].map.call(svg.querySelectorAll('.legend .entry'), function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 ? e.textContent.trim() : ''; });
  var w = svg.width.baseVal.value, h = svg.height.baseVal.value;
  var img = new Image();
  function done(ink) { out.ink = ink; document.getElementById('result').textContent = JSON.stringify(out); }
  img.onload = function () {
    var c = document.createElement('canvas'); c.width = w; c.height = h;
    var g = c.getContext('2d'); g.drawImage(img, 0, 0);
    var d = g.getImageData(0, 0, w, h).data, ink = 0;
    for (var i = 0; i < d.length; i += 4) { if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++; }
    done(ink / (w * h));
  };
  img.onerror = function () { done(-1); };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
})();
</script>"#;

fn render(browser: &Path, svg: &str) -> Rendered {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("plot.html");
    std::fs::write(
        &page,
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\"><div id=\"plot\">{svg}</div><pre id=\"result\"></pre>{SCRIPT}</body></html>"
        ),
    )
    .unwrap();
    let (dom, log) = browser::load(browser, &page, "");
    let start = dom
        .find("<pre id=\"result\">")
        .unwrap_or_else(|| panic!("no result: {log:.600}"))
        + "<pre id=\"result\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let v: Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json:.400}\n{log:.600}"));
    let ticks = |key: &str| -> Vec<(f64, f64)> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let label = t[1].as_str().unwrap().replace('\u{2212}', "-");
                (t[0].as_f64().unwrap(), label.parse::<f64>().unwrap())
            })
            .collect()
    };
    Rendered {
        ink: v["ink"].as_f64().unwrap(),
        legend: v["legend"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_string())
            .collect(),
        x_ticks: ticks("x"),
        y_ticks: ticks("y"),
        dots: v["dots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| (d[0].as_f64().unwrap(), d[1].as_f64().unwrap()))
            .collect(),
    }
}

/// The pixel of `value` on an axis, through its first and last rendered tick labels.
fn pixel(ticks: &[(f64, f64)], value: f64) -> f64 {
    let (first, last) = (ticks[0], ticks[ticks.len() - 1]);
    assert!(ticks.len() >= 3 && last.1 != first.1, "{ticks:?}");
    first.0 + (value - first.1) * (last.0 - first.0) / (last.1 - first.1)
}

#[test]
fn plots_render_in_chromium_with_the_counterexample_where_the_json_says() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let target = format!("{FALSE}:bound_of_𝓵_neg");

    // Over ‖φ‖, the parameters held at the counterexample.
    let svg = dir.path().join("line.svg");
    let (code, report, text) = plotted(&target, &svg, &["--over", "‖φ‖"]);
    assert_eq!(code, 1, "{report}");
    let cex = &report["counterexample"];
    let (mu, lam, phi) = (
        fraction(cex["P.μ2"].as_str().unwrap()),
        fraction(cex["P.𝓵"].as_str().unwrap()),
        fraction(cex["‖φ‖"].as_str().unwrap()),
    );
    let r = render(&chromium, &text);
    assert!(r.ink > 0.05, "blank: {} of the pixels inked", r.ink);
    assert!(
        r.legend.iter().any(|e| e.starts_with("counterexample: "))
            && r.legend.iter().any(|e| e.starts_with("left of ≤: "))
            && r.legend.len() >= 4,
        "{:?}",
        r.legend
    );
    let x = pixel(&r.x_ticks, phi);
    assert!(!r.dots.is_empty());
    for (dx, _) in &r.dots {
        assert!(
            (dx - x).abs() <= 1.0,
            "marker at {dx}, ‖φ‖ = {phi} is at {x}"
        );
    }
    // One dot on each side's value there: V(φ) and the claimed bound -μ⁴/(8λ).
    let potential = -mu * phi * phi + lam * phi.powi(4);
    let bound = -mu * mu / (8.0 * lam);
    for value in [potential, bound] {
        let y = pixel(&r.y_ticks, value);
        assert!(
            r.dots.iter().any(|(_, dy)| (dy - y).abs() <= 1.0),
            "no dot at the value {value} (y = {y}): {:?}",
            r.dots
        );
    }

    // The map over the two variables that matter most.
    let svg = dir.path().join("map.svg");
    let (_, report, text) = plotted(&target, &svg, &[]);
    let over: Vec<&str> = report["plot"]["over"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let r = render(&chromium, &text);
    assert!(r.ink > 0.2, "blank: {} of the pixels inked", r.ink);
    assert!(r.legend.iter().any(|e| e.starts_with("counterexample: ")));
    let cex = &report["counterexample"];
    let at = |name: &str| fraction(cex[name].as_str().unwrap());
    let (x, y) = (
        pixel(&r.x_ticks, at(over[0])),
        pixel(&r.y_ticks, at(over[1])),
    );
    let (dx, dy) = r.dots[0];
    assert!(
        (dx - x).abs() <= 1.0 && (dy - y).abs() <= 1.0,
        "marker at ({dx}, {dy}), the counterexample at ({x}, {y})"
    );
}
