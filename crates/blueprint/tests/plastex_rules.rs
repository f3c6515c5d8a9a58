//! plasTeX's rules for proofs and labels, each from minimal LaTeX. Every expected graph below
//! is what leanblueprint 0.0.20 (plasTeX 3.1, plastexdepgraph 0.0.5) drew from the same
//! LaTeX, run with the leanblueprint template's `web.tex` and macros.
//!
//! - A proof whose body is empty (nothing, spaces, comments, a macro that expands to nothing)
//!   is not a proof: leanblueprint tests the proof node's truth, and a node without children
//!   is false. One holding anything at all (`\leanok`, `\uses`, `\label`, `\relax`, `~`, `{}`)
//!   is. An empty proof after a real one still replaces it.
//! - A proof attaches to the nearest theorem-like environment before it in the same
//!   paragraph-grouped container; where plasTeX groups nothing into paragraphs (a document
//!   body without a blank line), no proof attaches.
//! - `\label` names plasTeX's `currentlabel`: the last numbered thing begun (statement, unit,
//!   numbered equation, `cases`, list item), wherever the label sits. So a label in a proof, or
//!   after `\end{lemma}`, names the lemma (the last label is its id, and every label
//!   resolves); one after an `equation` or `itemize` inside a lemma does not; one in an
//!   unnumbered `\newtheorem*` environment names what came before it.
//! - A statement with nothing in it (not even a label) never gets a proof; the proof after it
//!   is used up all the same. An `\end{lemma}` with no `\begin{lemma}` open ends whatever is
//!   open and is itself such an empty, unlabelled lemma; a stray `\end{proof}` is an empty
//!   proof, which takes the place of the proof before it.
//! - Conditionals: a branch not taken is skipped to its `\else` or `\fi`, counting every
//!   control word that begins with `if` as a nested conditional (so an `\iff` in `\iffalse`
//!   text pushes the end on to a later `\fi`); `\ifplastex` is always true; `\newif` switches
//!   follow their `\…true`/`\…false`; `\or` ends a false branch like `\else`.
//! - `\newenvironment` is expanded where it is used, so a wrapper around a theorem is a
//!   theorem (and a proof after it looks past it, to the statement before); `\endinput` ends
//!   the file at once; `\let\name\command` makes `\name` that command (a blueprint command,
//!   a conditional, a macro); a `comment` environment is skipped.
//! - A blueprint command inside `{…}`, math or another command's argument belongs to that
//!   (plasTeX's `parentNode`), so leanblueprint ignores it.
//! - `\declaretheorem` (thmtools) is unknown to plasTeX 3.1: its environments are no
//!   statements, so their labels name what came before.
//! - A `%` in the argument of `\url`, `\href` or `\nolinkurl` is a character, not a comment
//!   (plasTeX reads URLs with `%` as plain text).
//! - `\providecommand` replaces a macro defined before, as `\newcommand` does (plasTeX 3.1
//!   defines them alike); a macro used before its definition is nothing.
//! - Units are numbered by plasTeX's classes, which name the `dep_by` graphs: in a report,
//!   `\thesection` is `\thechapter.section` from the counters (`0.1` before any chapter,
//!   `1.2` after a `\chapter*`, `Z.1` after `\appendix` before its first chapter, plasTeX's
//!   `\Alph{0}`); in an article the appendix letters sections from `A`; parts are `1`, `2`.
//! - `\\[…]` in an alignment whose bracket holds `&` or `\\` (plasTeX takes it as spacing,
//!   even after a space) ends everything open there; the `\end`s after it are stray.

use std::collections::BTreeMap;
use std::path::Path;

use theorist_blueprint::{Mode, graphs, node_ids, read};

/// The compat graph of `content`: id → (border, fill), and the edges `from→to style`.
fn graph(content: &str) -> Drawn {
    graph_and_findings("", content, &[]).0
}

type Findings = Vec<theorist_blueprint::Finding>;
/// Node id → (border, fill), and the edges `from→to style`.
type Drawn = (BTreeMap<String, (String, String)>, Vec<String>);

/// [`graph`] with `preamble` (packages) added to `web.tex` and more `files` beside
/// `content.tex`, and the reader's findings.
fn graph_and_findings(preamble: &str, content: &str, files: &[(&str, &str)]) -> (Drawn, Findings) {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "web.tex",
        &format!(
            "\\documentclass{{report}}\n\\usepackage{{amsthm}}\n{preamble}\\usepackage[showmore, dep_graph]{{blueprint}}\n\\input{{macros/common}}\n\\begin{{document}}\n\\maketitle\n\\input{{content}}\n\\end{{document}}\n"
        ),
    );
    write(
        "macros/common.tex",
        "\\newtheorem{theorem}{Theorem}\n\\newtheorem{proposition}[theorem]{Proposition}\n\\newtheorem{lemma}[theorem]{Lemma}\n\\newtheorem{corollary}[theorem]{Corollary}\n\\theoremstyle{definition}\n\\newtheorem{definition}[theorem]{Definition}\n",
    );
    write("content.tex", content);
    for (name, text) in files {
        write(name, text);
    }
    let bp = read(dir.path());
    let ids = node_ids(&bp);
    let g = &graphs(&bp, Mode::Compat)[0];
    let nodes = g
        .nodes
        .iter()
        .zip(&g.statuses)
        .map(|(&n, s)| (ids[n].clone(), (s.color.clone(), s.fillcolor.clone())))
        .collect();
    let edges = g
        .edges
        .iter()
        .map(|e| format!("{}→{} {:?}", ids[e.from], ids[e.to], e.style))
        .collect();
    ((nodes, edges), bp.findings)
}

fn fills(nodes: &BTreeMap<String, (String, String)>) -> Vec<(&str, &str)> {
    nodes
        .iter()
        .map(|(k, (_, fill))| (k.as_str(), fill.as_str()))
        .collect()
}

const CAN_PROVE: &str = "#A3D6FF";
const FULLY: &str = "#1CAC78";

#[test]
fn empty_proofs_are_no_proofs() {
    let (nodes, edges) = graph(
        r"\newcommand{\nothing}{}

\begin{lemma}\label{a}\leanok\end{lemma}

\begin{proof}\end{proof}

\begin{lemma}\label{b}\leanok\end{lemma}

\begin{proof}
  % only a comment

\end{proof}

\begin{lemma}\label{c}\leanok\end{lemma}

\begin{proof}\nothing\end{proof}

\begin{lemma}\label{d}\leanok\end{lemma}

\begin{proof} \end{proof}

\begin{lemma}\label{e}\leanok\end{lemma}

\begin{proof}\leanok\end{proof}

\begin{proof}\end{proof}

\begin{lemma}\label{f}\leanok\end{lemma}

\begin{proof}\leanok\end{proof}

\begin{lemma}\label{g}\leanok\end{lemma}

\begin{proof}\uses{a}\end{proof}

\begin{lemma}\label{h}\leanok\end{lemma}

\begin{proof}\relax\end{proof}

\begin{lemma}\label{i}\leanok\end{lemma}

\begin{proof}~\end{proof}

\begin{lemma}\label{j}\leanok\end{lemma}

\begin{proof}{}\end{proof}
",
    );
    assert_eq!(
        fills(&nodes),
        [
            ("a", ""),
            ("b", ""),
            ("c", ""),
            ("d", ""),
            // The empty second proof replaced the first.
            ("e", ""),
            ("f", FULLY),
            ("g", CAN_PROVE),
            ("h", CAN_PROVE),
            ("i", CAN_PROVE),
            ("j", CAN_PROVE),
        ]
    );
    assert_eq!(edges, ["a→g Solid"]);
}

#[test]
fn without_any_paragraph_break_no_proof_attaches() {
    // The same lemmas and proofs with no blank line: plasTeX groups nothing into paragraphs,
    // and plastexdepgraph finds no statement before any proof.
    let (nodes, edges) = graph(
        r"\begin{lemma}\label{c}\leanok\end{lemma}
\begin{proof}\leanok\end{proof}
\begin{lemma}\label{d}\leanok\end{lemma}
\begin{proof}\uses{c}\end{proof}
\begin{lemma}\label{e}\leanok\end{lemma}
\begin{proof}Text.\end{proof}
",
    );
    assert_eq!(fills(&nodes), [("c", ""), ("d", ""), ("e", "")]);
    assert!(edges.is_empty());
    // One blank line anywhere in the body groups it, and then every proof attaches.
    let (nodes, _) = graph(
        r"\begin{lemma}\label{c}\leanok\end{lemma}
\begin{proof}\leanok\end{proof}

\begin{lemma}\label{d}\leanok\end{lemma}
\begin{proof}\uses{c}\end{proof}
",
    );
    assert_eq!(fills(&nodes), [("c", FULLY), ("d", CAN_PROVE)]);
}

#[test]
fn a_label_inside_a_proof_names_the_statement_before_it() {
    let (nodes, edges) = graph(
        r"\begin{lemma}\label{x_thm}\leanok\end{lemma}

\begin{proof}\label{x}\leanok\end{proof}

\begin{lemma}\label{y}\uses{x}\end{lemma}

\begin{proof}\uses{x_thm}\end{proof}
",
    );
    // The last label is the id; `\uses` of either label resolves to it (one edge, dashed).
    assert_eq!(
        nodes.keys().collect::<Vec<_>>(),
        ["x", "y"],
        "x_thm is not an id"
    );
    assert_eq!(fills(&nodes), [("x", FULLY), ("y", CAN_PROVE)]);
    assert_eq!(nodes["y"].0, "blue");
    assert_eq!(edges, ["x→y Dashed"]);
}

#[test]
fn labels_name_the_last_numbered_thing_begun() {
    let (nodes, edges) = graph(
        r"\chapter{C}\label{ch}

\begin{lemma}\label{a}\leanok\end{lemma}
\label{after_a}

\begin{lemma}\leanok
\begin{equation*}x\label{eqstar}\end{equation*}
\end{lemma}

\begin{lemma}\label{b0}\leanok
\begin{equation}x\end{equation}
\label{b}
\end{lemma}

\begin{lemma}\label{c0}\leanok
\begin{itemize}\item one\end{itemize}
\label{c}
\end{lemma}

\begin{lemma}\label{d0}\leanok
$\begin{cases}x\end{cases}$
\label{d}
\end{lemma}

\begin{lemma}\label{e}\leanok\uses{after_a, eqstar, b, c, d, ch, sec, nothing}\end{lemma}

\section{S}
\label{sec}
",
    );
    assert_eq!(
        nodes.keys().collect::<Vec<_>>(),
        ["after_a", "b0", "c0", "d0", "e", "eqstar"]
    );
    assert_eq!(edges, ["after_a→e Dashed", "eqstar→e Dashed"]);
    // e uses an equation, an item, `cases`, a chapter and a section, none of them stated,
    // and `nothing`, which leanblueprint drops: it cannot be stated.
    assert_eq!(nodes["e"].0, "green");
}

#[test]
fn unnumbered_theorems_step_no_counter() {
    let (nodes, edges) = graph(
        r"\newtheorem*{remark}{Remark}
\newtheorem*{lemma*}{Lemma}

\begin{lemma}\label{a}\leanok\end{lemma}

\begin{remark}\label{r}\end{remark}

\begin{lemma*}\label{s}\end{lemma*}

\begin{lemma}\label{b}\uses{r, s}\end{lemma}

\begin{proof}\leanok\end{proof}

\begin{lemma}\label{c}\leanok\end{lemma}

\begin{remark}Remark.\end{remark}

\begin{proof}\leanok\end{proof}
",
    );
    // Both labels of the unnumbered environments name lemma a; c's proof belongs to the
    // (unnumbered) remark before it.
    assert_eq!(
        nodes,
        BTreeMap::from([
            ("s".to_string(), ("green".to_string(), String::new())),
            ("b".to_string(), ("blue".to_string(), "#9CEC8B".to_string())),
            ("c".to_string(), ("green".to_string(), String::new())),
        ])
    );
    assert_eq!(edges, ["s→b Dashed"]);
}

#[test]
fn a_label_before_anything_numbered_names_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        Path::new(dir.path()).join("content.tex"),
        "\\label{early}\n\\begin{lemma}\\label{a}\\uses{early}\\end{lemma}\n",
    )
    .unwrap();
    let bp = read(dir.path());
    assert!(bp.target("early").is_none());
    assert!(bp.orphan_labels.contains("early"));
    let findings = theorist_blueprint::check(&bp, &Default::default(), None);
    assert!(
        findings
            .iter()
            .any(|f| f.line == 2 && f.message.contains("uses `early`, which names nothing")),
        "{findings:?}"
    );
}

#[test]
fn stray_ends_and_empty_statements() {
    let (nodes, edges) = graph(
        r"\begin{definition}\label{z}\leanok D.\end{definition}

\begin{lemma}\label{a}\leanok
Text.
\end{lemma}
\end{lemma}
\begin{proof}\uses{z}\leanok
Proof.
\end{proof}

\begin{lemma}\leanok\end{lemma}

\begin{proof}\uses{z}\leanok Proof.\end{proof}

\begin{lemma}\end{lemma}

\begin{proof}\uses{z}\leanok Proof.\end{proof}

\begin{lemma}\label{c}\leanok Text.\end{lemma}

\begin{proof}\uses{a}\leanok
Proof.
\end{lemma}
More text.
\end{proof}

\begin{lemma}\label{d}\leanok Text.\end{lemma}

\begin{proof}\leanok
Proof.
\end{proof}
\end{proof}

\begin{lemma}\label{e}\uses{a,c,d}\leanok Text.\end{lemma}

\begin{proof}\leanok Proof.\end{proof}
",
    );
    // leanblueprint drew (its ids a0000000002, …04, …06, …09 are ours unlabelled-1 to -4):
    //   z green/#B0ECA3 box; a green; a0000000002 blue; a0000000004 green/#1CAC78, z -> it;
    //   a0000000006 blue; c green/#9CEC8B, a -> c; a0000000009 blue; d green;
    //   e green/#9CEC8B, c -> e dashed, d -> e dashed.
    let want = [
        ("a", "green", ""),
        ("c", "green", "#9CEC8B"),
        ("d", "green", ""),
        ("e", "green", "#9CEC8B"),
        // The stray `\end{lemma}` after a: empty, so a's proof is lost to it.
        ("unlabelled-1", "blue", ""),
        // `\leanok` alone is something: this lemma gets its proof.
        ("unlabelled-2", "green", FULLY),
        // Nothing at all: no proof.
        ("unlabelled-3", "blue", ""),
        // The stray `\end{lemma}` inside c's proof (which it ends).
        ("unlabelled-4", "blue", ""),
        ("z", "green", "#B0ECA3"),
    ];
    let got: Vec<(&str, &str, &str)> = nodes
        .iter()
        .map(|(k, (c, f))| (k.as_str(), c.as_str(), f.as_str()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        edges,
        [
            "z→unlabelled-2 Solid",
            "a→c Solid",
            "c→e Dashed",
            "d→e Dashed"
        ]
    );
}

#[test]
fn conditionals_as_plastex_reads_them() {
    let ((nodes, edges), findings) = graph_and_findings(
        "",
        r"\newif\ifdraft
\newif\ifplastex
\plastexfalse

\begin{lemma}\label{a}\leanok A.\end{lemma}

\iffalse
\begin{lemma}\label{hidden}\leanok H.\end{lemma}
\begin{lemma}\label{hidden2}\uses{a} H.\end{lemma}
\fi

\iftrue
\begin{lemma}\label{t1}\uses{a} T.\end{lemma}
\else
\begin{lemma}\label{t2}\uses{a} T.\end{lemma}
\fi

\drafttrue
\ifdraft
\begin{lemma}\label{d1}\uses{t1} D.\end{lemma}
\else
\begin{lemma}\label{d2}\uses{t1} D.\end{lemma}
\fi
\draftfalse
\ifdraft
\begin{lemma}\label{d3}\uses{t1} D.\end{lemma}
\else
\begin{lemma}\label{d4}\uses{t1} D.\end{lemma}
\fi

\ifplastex
\begin{lemma}\label{p1} P.\end{lemma}
\else
\begin{lemma}\label{p2} P.\end{lemma}
\fi

\iffalse
\begin{lemma}\label{o1} O.\end{lemma}
\or
\begin{lemma}\label{o2} O.\end{lemma}
\fi

\iffalse
Old version: $x \iff y$.
\begin{lemma}\label{r} R.\end{lemma}
\fi

\begin{lemma}\label{r2} R.\end{lemma}

\fi

\begin{lemma}\label{s}\uses{a, r, r2} S.\end{lemma}
",
        &[],
    );
    // leanblueprint drew exactly these nodes: `\iff` made the first `\fi` after it close
    // a nested conditional, so r and r2 were skipped to the second.
    assert_eq!(
        nodes,
        BTreeMap::from(
            [
                ("a", "green"),
                ("t1", "blue"),
                ("d1", ""),
                ("d4", ""),
                ("p1", "blue"),
                ("o2", "blue"),
                ("s", "blue"),
            ]
            .map(|(k, c)| (k.to_string(), (c.to_string(), String::new())))
        )
    );
    assert_eq!(
        edges,
        ["a→t1 Dashed", "a→s Dashed", "t1→d1 Dashed", "t1→d4 Dashed"]
    );
    // TeX would have stopped at the first `\fi`: said at the `\iffalse`.
    let said: Vec<(u32, &str)> = findings
        .iter()
        .map(|f| (f.line, f.message.as_str()))
        .collect();
    assert_eq!(said.len(), 1, "{findings:?}");
    assert_eq!(said[0].0, 43);
    assert!(
        said[0]
            .1
            .contains("counts the \\iff at line 44 as a nested \\if")
            && said[0].1.contains("content.tex:50"),
        "{said:?}"
    );
}

#[test]
fn a_bracket_after_a_row_break_that_holds_a_row_ends_everything_open() {
    // amsmath's `\\` takes no `[…]` after a space; plasTeX's takes `[a, b[ &= y \\ ]` here as
    // its spacing, and the row then ends the `align*` and the definition around it; the
    // `\end{align*}` and `\end{definition}` that follow are stray, the second an empty
    // definition. leanblueprint drew: d green/#B0ECA3 box, l green, d -> l dashed, and
    // a0000000004 blue/#A3D6FF box.
    let content = r"\begin{definition}\label{d}\leanok
\begin{align*}
  [a, b] &= x \\
  [a, b[ &= y \\
  ]a, b] &= z
\end{align*}
Text.
\end{definition}

\begin{lemma}\label{l}\uses{d}\leanok L.\end{lemma}
";
    let ((nodes, edges), findings) = graph_and_findings("\\usepackage{amsmath}\n", content, &[]);
    assert_eq!(
        nodes,
        BTreeMap::from(
            [
                ("d", "green", "#B0ECA3"),
                ("l", "green", ""),
                ("unlabelled-1", "blue", CAN_PROVE)
            ]
            .map(|(k, c, f)| (k.to_string(), (c.to_string(), f.to_string())))
        )
    );
    assert_eq!(edges, ["d→l Dashed"]);
    let lines = |text: &str| -> Vec<u32> {
        findings
            .iter()
            .filter(|f| f.message.contains(text))
            .map(|f| f.line)
            .collect()
    };
    assert_eq!(lines("reads the bracket as the line break's spacing"), [3]);
    assert_eq!(lines("without a matching \\begin"), [6, 8]);

    // In a proof, the proof ends there, and its stray `\end{proof}` is an empty proof that
    // takes the place of the real one: leanblueprint drew z green/#B0ECA3 box, a green (no
    // fill, no edge from z), b green/#9CEC8B, a -> b dashed. A bracket that holds no `&` or
    // `\\` (b's proof) changes nothing.
    let content = r"\begin{definition}\label{z}\leanok Z.\end{definition}

\begin{lemma}\label{a}\leanok A.\end{lemma}

\begin{proof}\uses{z}\leanok
\begin{align*}
  x &= y \\
  [u, v[ &= w \\
  ]u, v] &= t
\end{align*}
After.
\end{proof}

\begin{lemma}\label{b}\uses{a}\leanok B.\end{lemma}

\begin{proof}\leanok
\begin{align*}
  x &= y \\
  [u, v] &= w \\[2pt]
  s &= t
\end{align*}
\end{proof}
";
    let ((nodes, edges), findings) = graph_and_findings("\\usepackage{amsmath}\n", content, &[]);
    assert_eq!(
        nodes,
        BTreeMap::from(
            [
                ("a", "green", ""),
                ("b", "green", "#9CEC8B"),
                ("z", "green", "#B0ECA3")
            ]
            .map(|(k, c, f)| (k.to_string(), (c.to_string(), f.to_string())))
        )
    );
    assert_eq!(edges, ["a→b Dashed"]);
    assert_eq!(findings.len(), 3, "{findings:?}");
}

#[test]
fn user_environments_expand_and_endinput_ends_the_file() {
    let content = r"\newenvironment{mylemma}{\begin{lemma}}{\end{lemma}}
\newenvironment{wrapped}[1]{\begin{theorem}\label{#1}}{\end{theorem}}

\begin{lemma}\label{a}\leanok A.\end{lemma}

\begin{mylemma}\label{m}\uses{a}\leanok M.\end{mylemma}

\begin{proof}\leanok P.\end{proof}

\begin{wrapped}{w}\uses{m} W.\end{wrapped}

\input{part2}

\begin{lemma}\label{z}\uses{a, p, q} Z.\end{lemma}
";
    let part2 = r"\begin{lemma}\label{p}\leanok P.\end{lemma}
\endinput
\begin{lemma}\label{q}\leanok Q.\end{lemma}
";
    let ((nodes, edges), findings) = graph_and_findings("", content, &[("part2.tex", part2)]);
    // leanblueprint drew: a green/#1CAC78 (the proof after mylemma is a's: the wrapped lemma
    // is not the first thing in its paragraph), m green, w blue, p green, z blue; edges
    // a -> m, a -> z, m -> w, p -> z, all dashed. q is never read.
    assert_eq!(
        nodes,
        BTreeMap::from(
            [
                ("a", "green", FULLY),
                ("m", "green", ""),
                ("p", "green", ""),
                ("w", "blue", ""),
                ("z", "blue", ""),
            ]
            .map(|(k, c, f)| (k.to_string(), (c.to_string(), f.to_string())))
        )
    );
    assert_eq!(
        edges,
        ["a→m Dashed", "a→z Dashed", "m→w Dashed", "p→z Dashed"]
    );
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn let_macros_that_make_environments_and_comments() {
    let content = r"\let\formalised\leanok
\let\ifdraft=\iftrue
\newcommand{\lem}[2]{\begin{lemma}\label{#1}#2\end{lemma}}

\begin{lemma}\label{a}\formalised A.\end{lemma}

\lem{b}{\uses{a}\leanok B.}

\begin{proof}\leanok P.\end{proof}

\begin{comment}
\begin{lemma}\label{c}\leanok C.\end{lemma}
\end{comment}

\ifdraft
\begin{lemma}\label{d}\uses{a,b,c}\leanok D.\end{lemma}
\else
\begin{lemma}\label{e}\leanok E.\end{lemma}
\fi
";
    let ((nodes, edges), _) = graph_and_findings("\\usepackage{comment}\n", content, &[]);
    // leanblueprint drew: a green (`\formalised` is `\leanok`), b green/#9CEC8B (the proof
    // after the macro's lemma is b's), d green; a -> b and b -> d dashed; c is commented
    // out and e is the branch not taken.
    assert_eq!(
        nodes,
        BTreeMap::from(
            [
                ("a", "green", ""),
                ("b", "green", "#9CEC8B"),
                ("d", "green", "")
            ]
            .map(|(k, c, f)| (k.to_string(), (c.to_string(), f.to_string())))
        )
    );
    assert_eq!(edges, ["a→b Dashed", "b→d Dashed"]);
}

#[test]
fn marks_inside_groups_math_or_arguments_are_ignored() {
    let ((nodes, edges), findings) = graph_and_findings(
        "",
        r"\begin{lemma}\label{a}{\leanok} A.\end{lemma}

\begin{lemma}\label{b}\textbf{\leanok} B.\end{lemma}

\begin{lemma}\label{c}B\footnote{\leanok}.\end{lemma}

\begin{lemma}\label{d}\emph{see \uses{a}} D.\end{lemma}

\begin{lemma}\label{e}$x \leanok$ E.\end{lemma}

\begin{lemma}\label{f}{\bf \uses{b} F.}\end{lemma}
",
        &[],
    );
    // leanblueprint drew six blue nodes (none stated) and no edge.
    assert!(nodes.values().all(|(c, f)| c == "blue" && f.is_empty()));
    assert_eq!(nodes.len(), 6);
    assert!(edges.is_empty());
    let lines: Vec<u32> = findings.iter().map(|f| f.line).collect();
    assert_eq!(lines, [1, 3, 5, 7, 9, 11]);
}

#[test]
fn an_unnumbered_chapter_with_dep_by_chapter_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("content.tex"),
        "\\usepackage[dep_by=chapter]{blueprint}\n\\chapter*{Introduction}\n\\begin{lemma}\\label{i}\\leanok I.\\end{lemma}\n\\chapter{One}\n\\begin{lemma}\\label{a}\\uses{i}\\end{lemma}\n",
    )
    .unwrap();
    let bp = read(dir.path());
    // leanblueprint 0.0.20 stops with AttributeError ('NoneType' object has no attribute
    // 'textContent') in plastexdepgraph's makegraphs; theorist draws it and says so.
    assert!(
        bp.findings
            .iter()
            .any(|f| f.line == 2 && f.message.contains("leanblueprint 0.0.20 crashes")),
        "{:?}",
        bp.findings
    );
    let names: Vec<String> = graphs(&bp, Mode::Compat)
        .into_iter()
        .map(|g| g.name)
        .collect();
    assert_eq!(names, ["dep_graph_chapter_", "dep_graph_chapter_1"]);
}

/// The `dep_by` graphs of `content` in a `class` document: each graph's name and node ids.
fn unit_graphs(class: &str, dep_by: &str, content: &str) -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("web.tex"),
        format!(
            "\\documentclass{{{class}}}\n\\usepackage{{amsthm}}\n\\usepackage[showmore, dep_graph, dep_by={dep_by}]{{blueprint}}\n\\newtheorem{{lemma}}{{Lemma}}\n\\begin{{document}}\n\\input{{content}}\n\\end{{document}}\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("content.tex"), content).unwrap();
    let bp = read(dir.path());
    let ids = node_ids(&bp);
    graphs(&bp, Mode::Compat)
        .into_iter()
        .map(|g| (g.name, g.nodes.iter().map(|&n| ids[n].clone()).collect()))
        .collect()
}

#[test]
fn units_are_numbered_as_plastex_classes_number_them() {
    let report = r"\section{Early}

\begin{lemma}\label{e}\leanok E.\end{lemma}

\chapter{One}

\section{S}

\begin{lemma}\label{a}\uses{e}\leanok A.\end{lemma}

\chapter*{Notes}

\section{N}

\begin{lemma}\label{n}\uses{a}\leanok N.\end{lemma}

\part{P}

\chapter{Two}

\section{T}

\begin{lemma}\label{b}\uses{a}\alsoIn{sec:x}\leanok B.\end{lemma}

\appendix

\section{App}\label{sec:x}

\begin{lemma}\label{x}\uses{b}\leanok X.\end{lemma}

\chapter{Extra}

\section{E1}

\begin{lemma}\label{y}\uses{x}\leanok Y.\end{lemma}
";
    // leanblueprint wrote dep_graph_section_0.1 (e), 1.1 (a), 1.2 (n), 2.1 (b), Z.1 (x, b)
    // and A.1 (y).
    let strings = |v: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
        v.iter()
            .map(|(n, ids)| (n.to_string(), ids.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    assert_eq!(
        unit_graphs("report", "section", report),
        strings(&[
            ("dep_graph_section_0.1", &["e"]),
            ("dep_graph_section_1.1", &["a"]),
            ("dep_graph_section_1.2", &["n"]),
            ("dep_graph_section_2.1", &["b"]),
            ("dep_graph_section_Z.1", &["x", "b"]),
            ("dep_graph_section_A.1", &["y"]),
        ])
    );
    let article = r"\section{One}

\begin{lemma}\label{a}\leanok A.\end{lemma}

\subsection{Sub}

\begin{lemma}\label{s}\leanok S.\end{lemma}

\appendix

\section{App}

\begin{lemma}\label{b}\uses{a}\leanok B.\end{lemma}

\subsection{AppSub}

\begin{lemma}\label{c}\uses{a}\leanok C.\end{lemma}
";
    // leanblueprint: dep_graph_section_1 and _A; dep_graph_subsection_1.1 and _A.1.
    assert_eq!(
        unit_graphs("article", "section", article),
        strings(&[
            ("dep_graph_section_1", &["a", "s"]),
            ("dep_graph_section_A", &["b", "c"]),
        ])
    );
    assert_eq!(
        unit_graphs("article", "subsection", article),
        strings(&[
            ("dep_graph_subsection_1.1", &["s"]),
            ("dep_graph_subsection_A.1", &["c"]),
        ])
    );
    let parts = r"\part{First}

\chapter{One}

\begin{lemma}\label{a}\leanok A.\end{lemma}

\part{Second}

\begin{lemma}\label{b}\uses{a}\leanok B.\end{lemma}
";
    // leanblueprint: dep_graph_part_1 and dep_graph_part_2.
    assert_eq!(
        unit_graphs("report", "part", parts),
        strings(&[("dep_graph_part_1", &["a"]), ("dep_graph_part_2", &["b"])])
    );
}

#[test]
fn providecommand_replaces_and_macros_work_only_once_defined() {
    let content = r"\newcommand*{\needs}[1]{\uses{lem:#1}}
\newcommand{\formal}[1][X]{\lean{#1}\leanok}
\DeclareRobustCommand{\done}{\leanok}
\providecommand{\done}{\notready}
\def\chap#1{\input{#1}}

\begin{lemma}\label{lem:a}\formal A.\end{lemma}

\begin{lemma}\label{lem:b}\needs{a}\formal[Y.z] B.\end{lemma}

\begin{proof}\done\needs{c} P.\end{proof}

\chap{part2}

\begin{lemma}\label{lem:c}\early\done C.\end{lemma}

\newcommand{\early}{\leanok}
";
    let part2 = "\\begin{lemma}\\label{lem:p}\\needs{a}\\done P.\\end{lemma}\n";
    let ((nodes, edges), _) = graph_and_findings("", content, &[("part2.tex", part2)]);
    // leanblueprint drew: lem:a green, lem:b green (no fill: its proof's `\done` is
    // `\notready`, not `\leanok`), lem:p and lem:c #FFAA33 (not ready); a -> b, a -> p
    // dashed, c -> b solid.
    assert_eq!(
        nodes,
        BTreeMap::from(
            [
                ("lem:a", "green", ""),
                ("lem:b", "green", ""),
                ("lem:c", "#FFAA33", ""),
                ("lem:p", "#FFAA33", ""),
            ]
            .map(|(k, c, f)| (k.to_string(), (c.to_string(), f.to_string())))
        )
    );
    assert_eq!(
        edges,
        [
            "lem:a→lem:b Dashed",
            "lem:a→lem:p Dashed",
            "lem:c→lem:b Solid"
        ]
    );
}

#[test]
fn a_percent_in_a_url_starts_no_comment() {
    let content = r"\begin{lemma}\label{a}\leanok A \href{https://a.org/x%20y}{link} \uses{z} more.\end{lemma}

\begin{lemma}\label{b}\uses{a} see \url{https://b.org/p%41q} \leanok B.
\end{lemma}

\begin{lemma}\label{c}\uses{b} \verb|\end{lemma}| \leanok C.\end{lemma}

\begin{definition}\label{z}\leanok Z \# 50\% \$.\end{definition}
";
    let ((nodes, edges), _) = graph_and_findings("\\usepackage{hyperref}\n", content, &[]);
    // leanblueprint drew: a, b, c green, z green/#B0ECA3 box; z -> a, a -> b, b -> c dashed
    // (the `\uses{z}` and `\leanok` after the URLs count).
    assert_eq!(
        nodes,
        BTreeMap::from(
            [
                ("a", "green", ""),
                ("b", "green", ""),
                ("c", "green", ""),
                ("z", "green", "#B0ECA3")
            ]
            .map(|(k, c, f)| (k.to_string(), (c.to_string(), f.to_string())))
        )
    );
    let mut edges = edges;
    edges.sort();
    assert_eq!(edges, ["a→b Dashed", "b→c Dashed", "z→a Dashed"]);
}

#[test]
fn declaretheorem_makes_no_theorem_for_plastex() {
    let content = r"\declaretheorem[name=Claim]{claim}
\declaretheorem[name=Fact, numbered=no]{fact}

\begin{lemma}\label{a}\leanok A.\end{lemma}

\begin{claim}\label{c}\uses{a}\leanok C.\end{claim}

\begin{proof}\leanok P.\end{proof}

\begin{fact}\label{f}F.\end{fact}

\begin{lemma}\label{b}\uses{a, c, f}\leanok B.\end{lemma}
";
    let ((nodes, edges), findings) = graph_and_findings("\\usepackage{thmtools}\n", content, &[]);
    // leanblueprint drew: f green/#1CAC78 (lemma a: c and f name it, f last, and the proof
    // after the claim is its), b green; f -> b dashed.
    assert_eq!(
        nodes,
        BTreeMap::from(
            [("b", "green", ""), ("f", "green", FULLY)]
                .map(|(k, c, f)| (k.to_string(), (c.to_string(), f.to_string())))
        )
    );
    assert_eq!(edges, ["f→b Dashed"]);
    let lines: Vec<u32> = findings.iter().map(|f| f.line).collect();
    assert_eq!(lines, [1, 2], "{findings:?}");
}
