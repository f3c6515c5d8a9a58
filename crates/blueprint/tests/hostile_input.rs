//! Blueprints written to make a reader hang, read what it must not, or panic: inputs and
//! macros that refer to themselves or double at every level, names that lead out of the
//! project, a node that uses itself, and random token soup. Each must end with a finding that
//! names the file and line, and never with a hang or a panic.

use std::path::Path;

use theorist_blueprint::{
    Finding, Level, Limits, Mode, graphs, node_ids, read, read_with_limits, roadmap,
};

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A project with `lakefile.lean`, its blueprint in `blueprint/src` with `content.tex`.
fn project(content: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "lakefile.lean", "import Lake\n");
    write(dir.path(), "blueprint/src/content.tex", content);
    dir
}

fn src(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("blueprint/src")
}

fn has(findings: &[Finding], level: Level, file_end: &str, line: u32, text: &str) -> bool {
    findings.iter().any(|f| {
        f.level == level
            && f.file.to_string_lossy().ends_with(file_end)
            && f.line == line
            && f.message.contains(text)
    })
}

const LEMMA: &str = "\\begin{lemma}\\label{ok}\\end{lemma}\n";

#[test]
fn a_file_that_inputs_itself_twice_is_a_cycle() {
    let dir = project(&format!(
        "{LEMMA}\\input{{content}}\n\\input{{content.tex}}\n"
    ));
    let bp = read(&src(&dir));
    assert_eq!(bp.nodes.len(), 1, "read once");
    for line in [2, 3] {
        assert!(
            has(
                &bp.findings,
                Level::Error,
                "content.tex",
                line,
                "(an \\input cycle: content.tex → content.tex); not read again"
            ),
            "{:?}",
            bp.findings
        );
    }
}

#[test]
fn inputs_that_double_at_every_level_stop_at_the_budget() {
    // 2^20 inputs if followed: each file inputs the next one twice.
    let dir = project("\\input{f0}\n");
    for k in 0..20 {
        write(
            &src(&dir),
            &format!("f{k}.tex"),
            &format!("\\input{{f{}}}\n\\input{{f{}}}\n", k + 1, k + 1),
        );
    }
    write(&src(&dir), "f20.tex", LEMMA);
    let bp = read(&src(&dir));
    let budget: Vec<&Finding> = bp
        .findings
        .iter()
        .filter(|f| f.message.contains("more than 4096 \\input followed"))
        .collect();
    assert_eq!(budget.len(), 1, "reported once: {:?}", bp.findings);
    assert_eq!(budget[0].level, Level::Error);
    assert!(budget[0].line >= 1);
}

#[test]
fn a_macro_defined_in_terms_of_itself_is_not_expanded_forever() {
    let dir = project(&format!("\\def\\y{{\\y\\y}}\n{LEMMA}\\y\n"));
    let bp = read(&src(&dir));
    assert_eq!(bp.nodes.len(), 1);
    let warnings: Vec<&Finding> = bp
        .findings
        .iter()
        .filter(|f| f.message.contains("\\y is expanded inside itself"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:?}", bp.findings);
    assert_eq!(warnings[0].line, 3);
    // Legitimate nesting of one macro in its own argument is fine.
    let dir = project(
        "\\newcommand{\\norm}[1]{\\|#1\\|}\n\\begin{lemma}\\label{n}$\\norm{\\norm{\\norm{x}}}$\\end{lemma}\n",
    );
    assert!(read(&src(&dir)).findings.is_empty());
}

#[test]
fn a_short_newcommand_chain_that_doubles_stops_at_the_budget() {
    // Twelve short definitions, each doubling the next, used 2,000 times: 8 million
    // expansions if followed.
    let chain = "\\def\\a{\\b\\b}\\def\\b{\\c\\c}\\def\\c{\\d\\d}\\def\\d{\\e\\e}\\def\\e{\\f\\f}\\def\\f{\\g\\g}\\def\\g{\\h\\h}\\def\\h{\\i\\i}\\def\\i{\\j\\j}\\def\\j{\\k\\k}\\def\\k{\\l\\l}\\def\\l{x}\n";
    let dir = project(&format!("{chain}{LEMMA}{}\n", "\\a".repeat(2000)));
    let bp = read(&src(&dir));
    assert_eq!(bp.nodes.len(), 1);
    assert!(
        has(
            &bp.findings,
            Level::Error,
            "content.tex",
            3,
            "macro expansion stopped here, past 50000 expansions"
        ),
        "{:?}",
        bp.findings
    );
    assert_eq!(bp.findings.len(), 1, "reported once: {:?}", bp.findings);
    // A smaller budget stops sooner, at the same kind of place.
    let limits = Limits {
        max_expansions: 10,
        ..Limits::default()
    };
    let bp = read_with_limits(&src(&dir), &limits);
    assert!(bp.findings[0].message.contains("past 10 expansions"));
}

/// What the reader scanned: the bytes it read and the bytes its macro expansions made.
fn scanned(bp: &theorist_blueprint::Blueprint) -> u64 {
    bp.cost.bytes_read + bp.cost.expanded_bytes
}

/// Found by theorist-fuzz (blueprint, a hang under load): a 925-byte file whose `\R` body is
/// closed only by a stray brace 534 bytes on, so it spans most of the file and names `\R`
/// twelve times. Within the former fixed budget (8 MiB) it expanded into 3 MB: 5,655 nodes
/// and 33,933 findings for everything after the reader to process.
#[test]
fn a_macro_naming_itself_in_a_runaway_body_expands_in_proportion_to_the_input() {
    let dir = project("");
    let reproducer =
        include_bytes!("../../fuzz/corpus/blueprint/fixed-slow-expansion-out-of-proportion.tex");
    std::fs::write(src(&dir).join("content.tex"), reproducer).unwrap();
    let bp = read(&src(&dir));
    // Its invalid UTF-8 is read as U+FFFD, so 925 bytes on disk are 947 read.
    let read_bytes = bp.cost.bytes_read;
    assert!(read_bytes >= reproducer.len() as u64);
    // 80 KB at most (64 KiB, plus 16 bytes per byte read), where 3.1 MB were made.
    assert!(
        bp.cost.expanded_bytes <= (64 << 10) + 16 * read_bytes,
        "{:?}",
        bp.cost
    );
    assert!(bp.nodes.len() < 300, "{} nodes", bp.nodes.len());
    assert!(bp.findings.len() < 2_000, "{} findings", bp.findings.len());
    let stops: Vec<&Finding> = bp
        .findings
        .iter()
        .filter(|f| f.message.contains("macro expansion stopped here"))
        .collect();
    assert_eq!(stops.len(), 1, "reported once");
    assert_eq!(stops[0].level, Level::Error);
    assert!(
        stops[0].message.contains(&format!(
            "bytes of expanded text (16 per byte of the {read_bytes} bytes read, plus 65536)"
        )),
        "{}",
        stops[0].message
    );
}

#[test]
fn a_self_naming_macro_makes_work_in_proportion_to_the_input_at_every_size() {
    // The fuzz finding's shape by hand: `\R`'s body names `\R` k times, so each level of
    // nesting multiplies the expansions by k. Under the fixed budget, 631 bytes (k = 16)
    // made 2.7 MB and 69,904 nodes, and from k = 32 on every input made 8 MiB and 220,736
    // nodes; now what the reader scans, and so what it makes, stays within 64 KiB plus 17
    // bytes per byte read.
    let shape = |k: usize| {
        format!(
            "\\newcommand{{\\R}}{{{}}}\n$\\R$\n",
            "\\begin{lemma}\\label{a}$\\R$\\end{lemma}\n".repeat(k)
        )
    };
    for k in [4, 8, 16, 32, 64, 128] {
        let dir = project(&shape(k));
        let bp = read(&src(&dir));
        let bound = (64 << 10) + 17 * bp.cost.bytes_read;
        assert!(scanned(&bp) <= bound, "k = {k}: {:?}", bp.cost);
        // Each node takes at least `\begin{lemma}\end{lemma}` of what is scanned.
        assert!(
            bp.nodes.len() as u64 <= bound / 24,
            "k = {k}: {} nodes",
            bp.nodes.len()
        );
        let stops = bp
            .findings
            .iter()
            .filter(|f| f.message.contains("macro expansion stopped here"))
            .count();
        assert!(stops <= 1, "k = {k}: reported once");
    }
}

#[test]
fn nothing_outside_the_project_is_read() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.tex",
        "\\begin{lemma}\\label{stolen}\\end{lemma}",
    );
    let secret = outside.path().join("secret").display().to_string();
    let dir = project(&format!(
        "{LEMMA}\\input{{../../../etc/passwd}}\n\\input{{{secret}}}\n\\input{{link}}\n\\input{{../../.lake/build/blueprint/x}}\n"
    ));
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.tex"),
        src(&dir).join("link.tex"),
    )
    .unwrap();
    write(
        dir.path(),
        ".lake/build/blueprint/x.tex",
        "\\begin{lemma}\\label{inside}\\end{lemma}",
    );
    let bp = read(&src(&dir));
    let ids = node_ids(&bp);
    assert_eq!(ids, ["ok", "inside"], "{:?}", bp.findings);
    for line in [2, 3] {
        assert!(
            has(
                &bp.findings,
                Level::Error,
                "content.tex",
                line,
                "refused: it names"
            ),
            "line {line}: {:?}",
            bp.findings
        );
    }
    #[cfg(unix)]
    assert!(has(
        &bp.findings,
        Level::Error,
        "content.tex",
        4,
        "outside the blueprint's project"
    ));
}

#[test]
fn a_node_that_uses_itself_is_a_self_dependency_and_still_draws() {
    let dir = project(
        "\\begin{lemma}\\label{a}\\label{a2}\\uses{a}\\end{lemma}\n\\begin{proof}\n\\uses{a2, b}\\end{proof}\n\\begin{lemma}\\label{b}\\end{lemma}\n",
    );
    let bp = read(&src(&dir));
    assert!(has(
        &bp.findings,
        Level::Error,
        "content.tex",
        1,
        "self-dependency: `a2` uses `a`"
    ));
    assert!(has(
        &bp.findings,
        Level::Error,
        "content.tex",
        3,
        "self-dependency: `a2` uses `a2`"
    ));
    let ids = node_ids(&bp);
    for mode in [Mode::Compat, Mode::Fixed] {
        for g in graphs(&bp, mode) {
            let svg = theorist_blueprint::svg::render(&bp, &g, &ids);
            assert_eq!(svg.matches("class=\"edge\"").count(), g.edges.len());
            let r = theorist_blueprint::roadmap(&bp, mode);
            let page = theorist_blueprint::html::page(&bp, &[g], &r, mode);
            assert!(page.contains("data-from=\"a2\" data-to=\"a2\""));
        }
    }
}

#[test]
fn huge_runs_of_unclosed_groups_are_read_quickly() {
    // Each unclosed `{` or `[` used to scan to the end of the file: quadratic.
    let mut text = String::from(LEMMA);
    text.push_str(&"\\label{".repeat(50_000));
    text.push_str(&"\\begin{lemma}[".repeat(20_000));
    text.push_str(&"\\newcommand{\\x}{".repeat(20_000));
    let dir = project(&text);
    let bp = read(&src(&dir));
    assert!(bp.findings.iter().any(|f| f.level == Level::Error));
}

#[test]
fn a_long_ladder_of_lemmas_is_reduced_and_ranked_without_a_closure_per_node() {
    // 12,000 lemmas, each using the two before it (an 850 KB blueprint). The graphs and the
    // roadmap used to keep every node's ancestors as a set (72 million entries, three times
    // over: minutes and gigabytes; 2,000 lemmas took 12 s); now strongly connected
    // components and bit rows, and walks back from what is not done.
    const N: usize = 12_000;
    let mut text = String::new();
    for i in 0..N {
        let uses = match i {
            0 => String::new(),
            1 => "\\uses{l0}".to_string(),
            _ => format!("\\uses{{l{},l{}}}", i - 1, i - 2),
        };
        // The first half is proved, the second half waits.
        let proved = if i < N / 2 { "\\leanok" } else { "" };
        text.push_str(&format!(
            "\\begin{{lemma}}\\label{{l{i}}}\\leanok{uses}\\end{{lemma}}\\begin{{proof}}{proved} x\\end{{proof}}\n\n"
        ));
    }
    let dir = project(&text);
    let bp = read(&src(&dir));
    assert_eq!(bp.nodes.len(), N);
    for mode in [Mode::Fixed, Mode::Compat] {
        let g = &graphs(&bp, mode)[0];
        assert_eq!(g.all_edges.len(), 2 * N - 3);
        // Only the chain is left: l(i-2) → l(i) also goes round through l(i-1).
        assert_eq!(g.edges.len(), N - 1);
        assert!(g.edges.iter().all(|e| e.to == e.from + 1));
        for (k, s) in g.statuses.iter().enumerate() {
            assert_eq!(s.fully_proved, k < N / 2, "{mode:?}: l{k}");
        }
    }
    let r = roadmap(&bp, Mode::Fixed);
    assert_eq!(r.unblocks.len(), N / 2);
    // The first unproved lemma holds up every one after it, the last one none.
    assert_eq!(r.unblocks[&format!("l{}", N / 2)], N / 2 - 1);
    assert_eq!(r.unblocks[&format!("l{}", N - 1)], 0);
    assert_eq!(r.critical_path.len(), N / 2);
    // Every statement is formalised, so every open proof can start; the one that unblocks
    // the most comes first.
    assert_eq!(r.ready_to_prove.len(), N / 2);
    assert_eq!(r.ready_to_prove[0], format!("l{}", N / 2));
    assert!(r.cycles.is_empty());
}

#[test]
fn a_long_thms_list_is_looked_up_not_searched_at_every_begin() {
    // As many environments in `thms=` as its 4,096 bytes of options hold, and 5,000
    // statements: each `\begin` looks the list up in a set. The last one listed is a node,
    // one not listed is not.
    const N: usize = 700;
    let thms: Vec<String> = (0..N).map(|k| format!("e{k}")).collect();
    let last = &thms[N - 1];
    let mut text = format!("\\usepackage[thms={}]{{blueprint}}\n", thms.join("+"));
    for k in 0..5_000 {
        text.push_str(&format!(
            "\\begin{{{last}}}\\label{{l{k}}}\\end{{{last}}}\n"
        ));
    }
    text.push_str("\\begin{unlisted}\\end{unlisted}\n");
    let dir = project(&text);
    let bp = read(&src(&dir));
    assert_eq!(bp.options.thms.len(), N);
    assert_eq!(bp.nodes.len(), 5_000);
    assert!(bp.nodes.iter().all(|n| &n.kind == last));
}

/// The layout's budgeted steps together: at most 4 + 12 + 8 million units, whatever the graph.
const LAYOUT_WORK: u64 = 24_000_000;

/// Whether a layout is a drawing at all: every edge drawn points down, and no two boxes of a
/// layer overlap.
fn drawn_validly(l: &theorist_blueprint::layout::Layout, edges: &[(usize, usize)]) {
    for (k, &(a, b)) in edges.iter().enumerate() {
        assert!(l.nodes[a].y < l.nodes[b].y, "edge {a} → {b} points up");
        let pts = &l.edges[k];
        assert!(pts.len() >= 2 && pts[0].1 < pts[pts.len() - 1].1);
    }
    let mut rows: std::collections::BTreeMap<i64, Vec<(f64, f64)>> = Default::default();
    for p in &l.nodes {
        rows.entry(p.y.round() as i64)
            .or_default()
            .push((p.x - p.width / 2.0, p.x + p.width / 2.0));
    }
    for row in rows.values_mut() {
        row.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(
            row.windows(2).all(|w| w[0].1 <= w[1].0 + 1e-6),
            "boxes overlap"
        );
    }
}

#[test]
fn a_dense_graph_is_laid_out_within_the_work_budget() {
    // 120 sources each used by 120 sinks that also sit below a chain, so that every one of
    // the 14,400 edges starts long: the network simplex exchanged edges O(V + E) times at
    // O(V + E) each (a graph twice this size took 25 s optimised), and comparing every pair of
    // edges of neighbours in a layer cost d² a pair.
    let (h, chain) = (120, 4);
    let mut edges: Vec<(usize, usize)> =
        (0..chain - 1).map(|k| (2 * h + k, 2 * h + k + 1)).collect();
    for sink in h..2 * h {
        edges.extend((0..h).map(|source| (source, sink)));
        edges.push((2 * h + chain - 1, sink));
    }
    let sizes = vec![(60.0, 30.0); 2 * h + chain];
    let l = theorist_blueprint::layout::layout(&sizes, &edges);
    drawn_validly(&l, &edges);
    assert!(l.work <= LAYOUT_WORK, "{} units", l.work);
    assert!(l.cut_short.contains(&"layers"), "{:?}", l.cut_short);
}

#[test]
fn edges_that_would_need_millions_of_dummies_are_drawn_straight() {
    // A chain of 400 and 400 nodes each using its top and its bottom: without a transitive
    // reduction (`nonreducedgraph`), each top edge spans the chain: 160,000 dummy points, each
    // visited by every later step.
    let n = 400;
    let mut edges: Vec<(usize, usize)> = (0..n - 1).map(|k| (k, k + 1)).collect();
    for b in n..2 * n {
        edges.push((0, b));
        edges.push((n - 1, b));
    }
    let sizes = vec![(60.0, 30.0); 2 * n];
    let l = theorist_blueprint::layout::layout(&sizes, &edges);
    drawn_validly(&l, &edges);
    assert!(l.work <= LAYOUT_WORK, "{} units", l.work);
    assert!(l.cut_short.contains(&"long edges"), "{:?}", l.cut_short);
    // The points of every edge: at most the cap of dummies (10,000 + 4 per node and edge).
    let points: usize = l.edges.iter().map(|p| p.len() - 2).sum();
    assert!(
        points <= 10_000 + 4 * (2 * n + edges.len()),
        "{points} dummies"
    );
}

/// A small deterministic generator (no extra dependency): xorshift.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn token_soup_never_panics() {
    const TOKENS: &[&str] = &[
        "\\begin{lemma}",
        "\\end{lemma}",
        "\\begin{proof}",
        "\\end{proof}",
        "\\begin{definition}",
        "\\end{definition}",
        "\\begin{equation}",
        "\\end{equation}",
        "\\begin{verbatim}",
        "\\end{verbatim}",
        "\\end{document}",
        "\\label{a}",
        "\\label{b}",
        "\\label{",
        "\\uses{a,b}",
        "\\uses{a}",
        "\\proves{a}",
        "\\leanok",
        "\\mathlibok",
        "\\notready",
        "\\lean{X.y}",
        "\\alsoIn{s}",
        "\\chapter{C}",
        "\\section*{S}",
        "\\label{s}",
        "\\appendix",
        "\\usepackage[dep_by=chapter,thms=lemma+definition]{blueprint}",
        "\\usepackage[dep_by=section]{blueprint}",
        "\\newtheorem{lemma}{Lemma}",
        "\\newcommand{\\m}[1]{\\uses{#1}}",
        "\\m{a}",
        "\\def\\y{\\y\\y}",
        "\\y",
        "\\input{content}",
        "\\input{../x}",
        "\\input{",
        "\\inputleannode{a}",
        "\\newleannode{a}{\\inputleannode{a}}",
        "\\graphcolor{proved}{red}{Red}",
        "\\verb|x",
        "{",
        "}",
        "[",
        "]",
        "%",
        "\\",
        "#1",
        "\n",
        "\n\n",
        " ",
        "é",
        "\u{0}",
    ];
    let dir = project("");
    let file = src(&dir).join("content.tex");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..400 {
        let len = (rng.next() % 60) as usize;
        let text: String = (0..len)
            .map(|_| TOKENS[(rng.next() % TOKENS.len() as u64) as usize])
            .collect();
        std::fs::write(&file, &text).unwrap();
        let bp = read(&src(&dir));
        let ids = node_ids(&bp);
        for mode in [Mode::Compat, Mode::Fixed] {
            let gs = graphs(&bp, mode);
            let r = theorist_blueprint::roadmap(&bp, mode);
            for g in &gs {
                let _ = theorist_blueprint::svg::render(&bp, g, &ids);
                let _ = theorist_blueprint::dot::to_dot(g, &ids);
            }
            let _ = theorist_blueprint::html::page(&bp, &gs, &r, mode);
            let _ = theorist_blueprint::json::document(&bp, &gs, mode);
        }
        let _ = theorist_blueprint::check(&bp, &Default::default(), None);
    }
}
