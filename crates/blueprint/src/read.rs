//! The blueprint's meaning, read from the LaTeX events the way plasTeX and plastexdepgraph
//! read them: which environments are nodes, which `\label` is a node's id, which statement a
//! proof belongs to, which sectioning unit a node sits in, and the package options.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::finding::{Finding, Level};
use crate::inputs::{Limits, ReadCost, project_root};
use crate::latex::{Event, Place, Scanner};

/// A `proof` environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    /// Nothing in it but spaces and comments: plasTeX's proof node has no children, and
    /// leanblueprint treats the statement it belongs to as having no proof.
    pub empty: bool,
    pub leanok: bool,
    /// `\notready` in a proof (leanblueprint ignores it; the default mode does not).
    pub notready: bool,
    /// Every `\uses` of the proof, together.
    pub uses: Vec<String>,
    /// The last `\uses` alone: plasTeX keeps only that one.
    pub last_uses: Vec<String>,
    /// How many `\uses` commands the proof has.
    pub uses_commands: u32,
    /// The line of the `\uses` command each entry of `uses` came from.
    pub uses_lines: Vec<u32>,
    pub lean: Vec<String>,
    /// The argument of `\proves`, if any.
    pub proves: Option<String>,
    pub file: PathBuf,
    pub line: u32,
}

/// A theorem-like environment: a graph node (its environment is in `thms=`) or another
/// statement (a remark, an example) that labels and proofs can still refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The environment name (`lemma`, `definition`, …).
    pub kind: String,
    /// The last `\label` directly in the statement (leanblueprint's node id).
    pub label: Option<String>,
    /// Every `\label` directly in the statement.
    pub labels: Vec<String>,
    /// The `[…]` title, raw LaTeX.
    pub title: Option<String>,
    pub lean: Vec<String>,
    /// Every `\uses` of the statement, together.
    pub uses: Vec<String>,
    /// The last `\uses` alone: plasTeX keeps only that one.
    pub last_uses: Vec<String>,
    /// How many `\uses` commands the statement has.
    pub uses_commands: u32,
    /// The line of the `\uses` command each entry of `uses` came from.
    pub uses_lines: Vec<u32>,
    /// `\alsoIn{…}`: labels of sectioning units whose graph also shows this node.
    pub also_in: Vec<String>,
    pub leanok: bool,
    pub mathlibok: bool,
    pub notready: bool,
    pub discussion: Option<String>,
    /// The proof attached to it (the last one, as plastexdepgraph keeps the last).
    pub proof: Option<Proof>,
    /// How many proofs were attached to it.
    pub proofs: u32,
    /// Nothing in it (not even a `\label`): plasTeX's node has no children, and
    /// plastexdepgraph never attaches a proof to it (the proof after it is used up all the
    /// same). A stray `\end{lemma}` makes such a node.
    pub empty: bool,
    /// The title of the `\chapter` it sits in, or of the `\section` in a document without
    /// chapters ("" before the first).
    pub chapter: String,
    /// The sectioning units it sits in, outermost first (indices into [`Blueprint::units`]).
    pub units: Vec<usize>,
    pub file: PathBuf,
    pub line: u32,
}

impl Node {
    /// Every `\uses` entry of the statement, then of its proof, with the file and line of the
    /// `\uses` it came from.
    pub fn uses_with_places(&self) -> impl Iterator<Item = (&String, &PathBuf, u32)> {
        let statement = self
            .uses
            .iter()
            .zip(&self.uses_lines)
            .map(|(u, l)| (u, &self.file, *l));
        let proof = self.proof.iter().flat_map(|p| {
            p.uses
                .iter()
                .zip(&p.uses_lines)
                .map(|(u, l)| (u, &p.file, *l))
        });
        statement.chain(proof)
    }
}

/// A `\part`, `\chapter`, `\section`, … of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// `part`, `chapter`, `section`, `subsection`, `subsubsection` or `paragraph`.
    pub kind: String,
    pub title: String,
    /// Its number as LaTeX prints it (`3`, `A`, `2.1`, `II`); empty when starred.
    pub number: String,
    pub labels: Vec<String>,
    pub file: PathBuf,
    pub line: u32,
}

/// What a label names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Node(usize),
    /// A theorem-like environment that is not a node (index into [`Blueprint::statements`]).
    Statement(usize),
    Unit(usize),
    /// An equation or other environment; `within` is the kind of the statement around it
    /// (plastexdepgraph's `item_kind` walks up to it), "" when none.
    Other {
        env: String,
        within: String,
    },
}

/// The options of `\usepackage[…]{blueprint}` that matter for the graphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Environments that are graph nodes (`thms=a+b`).
    pub thms: Vec<String>,
    /// `dep_by=chapter` (or `part`, `section`): one graph per such unit.
    pub dep_by: Option<String>,
    /// `nonreducedgraph`: keep transitively redundant edges.
    pub nonreduced: bool,
    pub title: Option<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            thms: DEFAULT_THMS.iter().map(|s| s.to_string()).collect(),
            dep_by: None,
            nonreduced: false,
            title: None,
        }
    }
}

const DEFAULT_THMS: &[&str] = &["definition", "lemma", "proposition", "theorem", "corollary"];

/// Theorem-like environments assumed when the blueprint defines none with `\newtheorem` (its
/// macro files were not found, say).
const USUAL_THEOREMS: &[&str] = &[
    "definition",
    "lemma",
    "proposition",
    "theorem",
    "corollary",
    "remark",
    "example",
    "sublemma",
    "claim",
    "conjecture",
    "fact",
    "notation",
    "exercise",
];

/// Environments of LaTeX and common packages: not nodes, not worth a warning.
const KNOWN_ENVS: &[&str] = &[
    "document",
    "equation",
    "equation*",
    "align",
    "align*",
    "aligned",
    "alignat",
    "alignat*",
    "alignedat",
    "gather",
    "gather*",
    "gathered",
    "multline",
    "multline*",
    "split",
    "cases",
    "dcases",
    "rcases",
    "array",
    "matrix",
    "pmatrix",
    "bmatrix",
    "Bmatrix",
    "vmatrix",
    "Vmatrix",
    "smallmatrix",
    "psmallmatrix",
    "itemize",
    "enumerate",
    "description",
    "center",
    "flushleft",
    "flushright",
    "quote",
    "quotation",
    "verse",
    "figure",
    "figure*",
    "table",
    "table*",
    "tabular",
    "tabular*",
    "tabularx",
    "longtable",
    "minipage",
    "tikzpicture",
    "tikzcd",
    "thebibliography",
    "abstract",
    "eqnarray",
    "eqnarray*",
    "subequations",
    "verbatim",
    "Verbatim",
    "lstlisting",
    "minted",
    "comment",
    "displaymath",
    "math",
    "CD",
    "xy",
    "list",
    "small",
    "footnotesize",
    "scriptsize",
    "large",
    "Large",
    "proof",
    "enumerate*",
    "itemize*",
    "titlepage",
    "appendices",
    "multicols",
    "subfigure",
    "wrapfigure",
    "mdframed",
    "tcolorbox",
    "frame",
    "note",
    "sideways",
    "landscape",
    "adjustbox",
    "diagram",
    "prooftree",
    "algorithm",
    "algorithmic",
    "empheq",
    "bigcenter",
];

/// A blueprint, with what went wrong while reading it (the rest is still read).
#[derive(Debug, Clone, Default)]
pub struct Blueprint {
    /// The graph nodes, in document order.
    pub nodes: Vec<Node>,
    /// Other theorem-like environments (remarks, examples…).
    pub statements: Vec<Node>,
    pub units: Vec<Unit>,
    /// Every label and what it names (a reused label names its last use, as in plasTeX).
    pub targets: BTreeMap<String, Target>,
    /// Every `\label`, with its place, in document order (duplicates included).
    pub label_sites: Vec<(String, PathBuf, u32)>,
    /// Labels that name nothing: they come before anything numbered (plasTeX drops them).
    pub orphan_labels: BTreeSet<String>,
    pub options: Options,
    /// `\graphcolor{key}{colour}{description}` overrides, in order.
    pub colors: Vec<(String, String, String)>,
    /// Every `\lean` name, in document order (leanblueprint's `lean_decls`).
    pub lean_decls: Vec<String>,
    /// `\inputleannode{…}` whose LeanArchitect output is not built.
    pub unbuilt_lean_nodes: Vec<(String, PathBuf, u32)>,
    /// The files read.
    pub files: Vec<PathBuf>,
    /// Problems met while reading, each with file and line.
    pub findings: Vec<Finding>,
    /// What reading it cost, against the [`Limits`].
    pub cost: ReadCost,
}

/// The blueprint's source folder: `DIR` itself when it holds `web.tex`/`content.tex`, else
/// `DIR/blueprint/src` or `DIR/blueprints/src`.
pub fn find_source_dir(dir: &Path) -> Option<PathBuf> {
    [
        dir.to_path_buf(),
        dir.join("blueprint/src"),
        dir.join("blueprints/src"),
        dir.join("src"),
    ]
    .into_iter()
    .find(|d| d.join("web.tex").is_file() || d.join("content.tex").is_file())
}

impl Blueprint {
    /// What `label` names.
    pub fn target(&self, label: &str) -> Option<&Target> {
        self.targets.get(label)
    }

    /// The node a label names, if it names a node.
    pub fn node_of(&self, label: &str) -> Option<usize> {
        match self.targets.get(label) {
            Some(Target::Node(i)) => Some(*i),
            _ => None,
        }
    }

    /// Errors among the findings.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.level == Level::Error)
    }
}

/// Reads the blueprint whose sources are in `dir` (see [`find_source_dir`]), from `web.tex`
/// (else `content.tex`), following `\input` inside its project ([`project_root`]), within the
/// default [`Limits`].
pub fn read(dir: &Path) -> Blueprint {
    read_with_limits(dir, &Limits::default())
}

/// [`read`] within `limits`.
pub fn read_with_limits(dir: &Path, limits: &Limits) -> Blueprint {
    let root = ["web.tex", "content.tex"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file());
    let Some(root) = root else {
        return Blueprint {
            findings: vec![Finding {
                level: Level::Error,
                file: dir.to_path_buf(),
                line: 0,
                message: "no web.tex or content.tex".into(),
            }],
            ..Blueprint::default()
        };
    };
    let mut scanner = Scanner::new(dir, &project_root(dir), limits.clone());
    scanner.scan_root(&root);
    let mut builder = Builder::default();
    builder.node_envs = builder.bp.options.thms.iter().cloned().collect();
    builder.bp.findings = std::mem::take(&mut scanner.findings);
    builder.bp.files = std::mem::take(&mut scanner.files);
    builder.bp.cost = scanner.cost;
    for (event, place) in std::mem::take(&mut scanner.events) {
        builder.event(event, &place);
    }
    let mut bp = builder.finish();
    if bp.nodes.is_empty() && bp.unbuilt_lean_nodes.is_empty() {
        bp.findings.push(Finding {
            level: Level::Error,
            file: root,
            line: 0,
            message: format!(
                "the blueprint has no nodes (no {} environment found)",
                bp.options.thms.join("/")
            ),
        });
    }
    bp
}

#[derive(Debug)]
enum FrameKind {
    Node(usize),
    Statement(usize),
    Proof(usize),
    Other,
}

#[derive(Debug)]
struct Frame {
    env: String,
    kind: FrameKind,
    /// The last theorem-like environment closed directly inside this one (where a proof that
    /// follows it attaches).
    last_statement: Option<Target>,
    /// Its index in [`Builder::grouped`].
    container: usize,
    /// The innermost proof it is in or is (index into [`Builder::proofs`]).
    proof: Option<usize>,
    /// The kind of the innermost statement it is in or is ("" when none).
    statement_kind: String,
    /// It is inside a statement or a proof.
    in_statement_or_proof: bool,
    /// [`Builder::group_depth`] at its `\begin`: a mark deeper than that is inside a group.
    group_depth: usize,
    place: Place,
}

/// Numbered environments of plasTeX (and amsmath) that step a counter, so that a `\label`
/// after their start names them (or one of their rows), not the statement around them.
const NUMBERED_MATH: &[&str] = &[
    "equation",
    "eqnarray",
    "align",
    "gather",
    "multline",
    "multiline",
    "alignat",
    "xalignat",
    "flalign",
    "falign",
    "split",
    "cases",
    "subequations",
];

/// Environments that plasTeX reads as alignments (rows and cells), where `\\` ends a row.
const ALIGNMENTS: &[&str] = &[
    "align",
    "align*",
    "alignat",
    "alignat*",
    "aligned",
    "alignedat",
    "flalign",
    "flalign*",
    "gather",
    "gather*",
    "gathered",
    "multline",
    "multline*",
    "split",
    "eqnarray",
    "eqnarray*",
    "array",
    "matrix",
    "pmatrix",
    "bmatrix",
    "Bmatrix",
    "vmatrix",
    "Vmatrix",
    "smallmatrix",
    "cases",
    "dcases",
    "rcases",
    "tabular",
    "tabular*",
    "tabularx",
];

/// Environments whose content plasTeX always groups into paragraphs (`forcePars`) besides
/// theorem-like ones and proofs: lists (through their items) and figures.
const GROUPED_ENVS: &[&str] = &["itemize", "enumerate", "description", "figure", "figure*"];

#[derive(Default)]
struct Builder {
    bp: Blueprint,
    /// [`Options::thms`] as a set: every `\begin` asks, and a `thms=` list can be long.
    node_envs: HashSet<String>,
    stack: Vec<Frame>,
    /// The last theorem-like environment closed at the top level of the current unit.
    top_last_statement: Option<Target>,
    /// Per environment met, whether plasTeX groups its content into paragraphs: a proof in an
    /// environment that is not grouped never attaches to the statement before it
    /// (plastexdepgraph's `find_proved_thm` walks the siblings of the proof's paragraph).
    grouped: Vec<bool>,
    /// What a `\label` names now: plasTeX's `currentlabel`, the last numbered thing begun (a
    /// numbered statement, sectioning unit, equation, list item or caption), wherever the
    /// label is. None before the first: such a label names nothing.
    current: Option<Target>,
    /// Theorem-like environments declared unnumbered (`\newtheorem*`): they step no counter.
    unnumbered: BTreeSet<String>,
    defined_theorems: BTreeSet<String>,
    /// Where each environment name is open on the stack (indices, innermost last), so an
    /// `\end` finds its `\begin` without searching the stack.
    open_envs: HashMap<String, Vec<usize>>,
    defined_envs: BTreeSet<String>,
    warned_envs: BTreeSet<String>,
    /// Proofs in document order, with the statement before each and the index in
    /// [`Builder::grouped`] of the environment they are directly in (None: a sectioning unit,
    /// always grouped).
    proofs: Vec<(Proof, Option<Target>, Option<usize>)>,
    /// The open unit at each level: part, chapter, section, subsection, subsubsection,
    /// paragraph.
    open_units: [Option<usize>; 6],
    chapter_count: u32,
    part_count: u32,
    lower_counts: [u32; 4],
    appendix: bool,
    /// What `\documentclass` says about numbering.
    class: DocumentClass,
    /// `{…}` groups and math open now (see [`Event::GroupDepth`]).
    group_depth: usize,
}

/// How the document class numbers its units (plasTeX's `book`/`report` and `article` classes).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum DocumentClass {
    /// No `\documentclass` read, or one plasTeX has no numbering for: units are numbered
    /// within the unit open above them.
    #[default]
    Unknown,
    /// Sections within chapters (`1.2`); the appendix letters chapters.
    Book,
    /// Sections on their own (`2`); the appendix letters sections.
    Article,
}

/// plasTeX's `\Alph`: `ascii_letters[n - 1].upper()`, so 0 is `Z` (Python's index -1) and 27
/// to 52 are `A` to `Z` again; past 52 plasTeX fails, and LaTeX's letters are used.
fn plastex_alph(n: u32) -> String {
    match n {
        0 => "Z".into(),
        1..=52 => ((b'A' + ((n - 1) % 26) as u8) as char).to_string(),
        _ => letters(n),
    }
}

fn level_of(kind: &str) -> Option<usize> {
    [
        "part",
        "chapter",
        "section",
        "subsection",
        "subsubsection",
        "paragraph",
    ]
    .iter()
    .position(|k| *k == kind)
}

fn roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

fn letters(n: u32) -> String {
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push((b'A' + (n % 26) as u8) as char);
        n /= 26;
    }
    out.iter().rev().collect()
}

/// A comma list with each entry's whitespace collapsed (plasTeX collapses it in labels).
pub(crate) fn list(arg: &str) -> Vec<String> {
    arg.split(',')
        .map(collapse)
        .filter(|s| !s.is_empty())
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Builder {
    fn warn(&mut self, level: Level, place: &Place, message: String) {
        self.bp.findings.push(Finding {
            level,
            file: place.file.to_path_buf(),
            line: place.line,
            message,
        });
    }

    fn is_theorem_like(&self, env: &str) -> bool {
        self.node_envs.contains(env)
            || self.defined_theorems.contains(env)
            || (self.defined_theorems.is_empty() && USUAL_THEOREMS.contains(&env))
    }

    fn new_statement(&self, env: &str, title: Option<String>, place: &Place) -> Node {
        // Progress is counted per chapter; a document without chapters (amsart, article) is
        // counted per section.
        let unit = if self.chapter_count > 0 || self.appendix {
            self.open_units[1]
        } else {
            self.open_units[1].or(self.open_units[2])
        };
        let chapter = unit
            .map(|u| self.bp.units[u].title.clone())
            .unwrap_or_default();
        Node {
            kind: env.to_string(),
            label: None,
            labels: Vec::new(),
            title,
            lean: Vec::new(),
            uses: Vec::new(),
            last_uses: Vec::new(),
            uses_commands: 0,
            uses_lines: Vec::new(),
            also_in: Vec::new(),
            leanok: false,
            mathlibok: false,
            notready: false,
            discussion: None,
            proof: None,
            proofs: 0,
            empty: true,
            chapter,
            units: self.open_units.iter().flatten().copied().collect(),
            file: place.file.to_path_buf(),
            line: place.line,
        }
    }

    fn event(&mut self, event: Event, place: &Place) {
        match event {
            Event::Begin { env, title } => self.begin(env, title, place),
            Event::End { env } => self.end(&env, place),
            Event::Command {
                name,
                star,
                opt,
                args,
            } => self.command(&name, star, opt, args, place),
            Event::Par => self.par(),
            Event::LineBreakTakesRow => self.line_break_takes_row(place),
            Event::GroupDepth(d) => self.group_depth = d,
            Event::Content => self.fill_proof(),
        }
    }

    /// Something in the innermost open proof, and in the statement it is directly in: they
    /// are not empty.
    fn fill_proof(&mut self) {
        let Some(top) = self.stack.last() else { return };
        match top.kind {
            FrameKind::Node(i) => self.bp.nodes[i].empty = false,
            FrameKind::Statement(i) => self.bp.statements[i].empty = false,
            _ => {}
        }
        if let Some(j) = top.proof {
            self.proofs[j].0.empty = false;
        }
    }

    /// The environment a paragraph break or a proof is directly in, as an index into
    /// [`Builder::grouped`]; None for a sectioning unit (always grouped). The `document`
    /// environment holds only what comes before its first unit.
    fn container(&self) -> Option<usize> {
        match self.stack.last() {
            Some(f) if f.env != "document" || self.open_units.iter().all(Option::is_none) => {
                Some(f.container)
            }
            _ => None,
        }
    }

    fn par(&mut self) {
        if let Some(c) = self.container() {
            self.grouped[c] = true;
        }
    }

    fn begin(&mut self, env: String, title: Option<String>, place: &Place) {
        self.fill_proof();
        let numbered = !self.unnumbered.contains(&env);
        let mut grouped = GROUPED_ENVS.contains(&env.as_str());
        let kind = if env == "proof" {
            let preceding = match self.stack.last() {
                Some(f) => f.last_statement.clone(),
                None => self.top_last_statement.clone(),
            };
            let container = self.container();
            grouped = true;
            self.proofs.push((empty_proof(place), preceding, container));
            FrameKind::Proof(self.proofs.len() - 1)
        } else if self.node_envs.contains(&env) {
            let node = self.new_statement(&env, title, place);
            self.bp.nodes.push(node);
            grouped = true;
            let i = self.bp.nodes.len() - 1;
            if numbered {
                self.current = Some(Target::Node(i));
            }
            FrameKind::Node(i)
        } else if self.is_theorem_like(&env) {
            let node = self.new_statement(&env, title, place);
            self.bp.statements.push(node);
            grouped = true;
            let i = self.bp.statements.len() - 1;
            if numbered {
                self.current = Some(Target::Statement(i));
            }
            FrameKind::Statement(i)
        } else {
            if NUMBERED_MATH.contains(&env.as_str()) {
                let within = self.enclosing_statement_kind();
                self.current = Some(Target::Other {
                    env: env.clone(),
                    within,
                });
            }
            if !KNOWN_ENVS.contains(&env.as_str())
                && !self.defined_envs.contains(&env)
                && self.warned_envs.insert(env.clone())
            {
                self.warn(
                    Level::Warning,
                    place,
                    format!(
                        "unknown environment `{env}` (no \\newtheorem or \\newenvironment defines it here); it is not a node"
                    ),
                );
            }
            FrameKind::Other
        };
        self.grouped.push(grouped);
        let parent = self.stack.last();
        let (proof, statement_kind) = match kind {
            FrameKind::Proof(j) => (Some(j), self.enclosing_statement_kind()),
            FrameKind::Node(i) => (None, self.bp.nodes[i].kind.clone()),
            FrameKind::Statement(i) => (None, self.bp.statements[i].kind.clone()),
            FrameKind::Other => (
                parent.and_then(|f| f.proof),
                self.enclosing_statement_kind(),
            ),
        };
        let in_statement_or_proof =
            !matches!(kind, FrameKind::Other) || parent.is_some_and(|f| f.in_statement_or_proof);
        self.open_envs
            .entry(env.clone())
            .or_default()
            .push(self.stack.len());
        self.stack.push(Frame {
            env,
            kind,
            last_statement: None,
            container: self.grouped.len() - 1,
            proof,
            statement_kind,
            in_statement_or_proof,
            group_depth: self.group_depth,
            place: place.clone(),
        });
    }

    /// Pops the top frame, keeping [`Builder::open_envs`] in step.
    fn pop(&mut self) -> Option<Frame> {
        let frame = self.stack.pop()?;
        if let Some(at) = self.open_envs.get_mut(&frame.env) {
            at.pop();
        }
        Some(frame)
    }

    fn end(&mut self, env: &str, place: &Place) {
        let open = self.open_envs.get(env).and_then(|at| at.last().copied());
        let Some(pos) = open else {
            self.stray_end(env, place);
            return;
        };
        let mut unclosed_frames = Vec::new();
        while self.stack.len() > pos + 1 {
            unclosed_frames.extend(self.pop());
        }
        for unclosed in unclosed_frames.into_iter().rev() {
            self.warn(
                Level::Error,
                &unclosed.place,
                format!(
                    "\\begin{{{}}} is never closed (\\end{{{env}}} at line {} closes an outer environment)",
                    unclosed.env, place.line
                ),
            );
        }
        self.close_top();
    }

    /// `\end{env}` with no `\begin{env}` open. plasTeX pops every context up to the
    /// document's, so whatever is open ends here, and keeps the `\end` as an element of its
    /// own: for a theorem-like environment an empty statement (a graph node with no label,
    /// after which a proof is used up), for `proof` an empty proof (which replaces the proof of
    /// the statement before it, and counts as none). Checked against leanblueprint in
    /// `tests/plastex_rules.rs`.
    fn stray_end(&mut self, env: &str, place: &Place) {
        let what = if env == "proof" {
            ": leanblueprint reads it as an empty proof, which takes the place of the proof before it"
        } else if self.is_theorem_like(env) {
            ": leanblueprint draws an empty, unlabelled statement here, and a proof after it is lost"
        } else {
            ""
        };
        self.warn(
            Level::Error,
            place,
            format!("\\end{{{env}}} without a matching \\begin{what}"),
        );
        let mut ended = Vec::new();
        while self.stack.last().is_some_and(|f| f.env != "document") {
            ended.extend(self.stack.last().map(|f| (f.env.clone(), f.place.clone())));
            self.close_top();
        }
        for (open, at) in ended.into_iter().rev() {
            self.warn(
                Level::Error,
                &at,
                format!(
                    "\\begin{{{open}}} is never closed (the stray \\end{{{env}}} at line {} ends it, as plasTeX reads it)",
                    place.line
                ),
            );
        }
        let made = if env == "proof" {
            let preceding = self.last_statement().clone();
            let container = self.container();
            self.proofs.push((empty_proof(place), preceding, container));
            None
        } else if self.node_envs.contains(env) {
            let node = self.new_statement(env, None, place);
            self.bp.nodes.push(node);
            Some(Target::Node(self.bp.nodes.len() - 1))
        } else if self.is_theorem_like(env) {
            let node = self.new_statement(env, None, place);
            self.bp.statements.push(node);
            Some(Target::Statement(self.bp.statements.len() - 1))
        } else {
            None
        };
        if let Some(t) = made {
            *self.last_statement() = Some(t);
        }
    }

    /// `\\[…]` whose bracket holds `&` or `\\`. In an alignment, plasTeX reads the bracket as
    /// the line break's spacing and its row then ends every environment open (the alignment,
    /// the statement around it); the `\end`s that follow are stray (see
    /// [`Builder::stray_end`]). TeX's amsmath takes no `[…]` after a space and prints it.
    /// Checked against leanblueprint in `tests/plastex_rules.rs`.
    fn line_break_takes_row(&mut self, place: &Place) {
        let Some(top) = self.stack.last() else { return };
        if !ALIGNMENTS.contains(&top.env.as_str()) {
            return;
        }
        let env = top.env.clone();
        self.warn(
            Level::Error,
            place,
            format!(
                "`\\\\` then `[…]` holding `&` or `\\\\`: plasTeX (leanblueprint) reads the bracket as the line break's spacing, which ends the `{env}` and everything open around it here, so its `\\end`s below are stray (TeX's amsmath takes no `[…]` after a space); write `{{[}}` for the bracket"
            ),
        );
        while self.stack.last().is_some_and(|f| f.env != "document") {
            self.close_top();
        }
    }

    /// Where a proof met now looks for its statement: the last one closed directly in the
    /// innermost open environment, or at the top level.
    fn last_statement(&mut self) -> &mut Option<Target> {
        match self.stack.last_mut() {
            Some(f) => &mut f.last_statement,
            None => &mut self.top_last_statement,
        }
    }

    /// Closes the innermost open environment; a statement becomes the last one closed in the
    /// environment around it.
    fn close_top(&mut self) {
        let Some(frame) = self.pop() else { return };
        let closed = match frame.kind {
            FrameKind::Node(i) => Some(Target::Node(i)),
            FrameKind::Statement(i) => Some(Target::Statement(i)),
            _ => None,
        };
        if let Some(t) = closed {
            *self.last_statement() = Some(t);
        }
    }

    /// The kind of the innermost statement around the top of the stack.
    fn enclosing_statement_kind(&self) -> String {
        self.stack
            .last()
            .map(|f| f.statement_kind.clone())
            .unwrap_or_default()
    }

    /// A command the scanner read: a definition or setting of the document, a sectioning
    /// unit, or a mark (`\leanok`, `\uses`, `\lean`…) for the statement or proof around it.
    fn command(
        &mut self,
        name: &str,
        star: bool,
        opt: Option<String>,
        args: Vec<String>,
        place: &Place,
    ) {
        self.fill_proof();
        let arg = args.first().cloned().unwrap_or_default();
        match name {
            "newtheorem" => self.new_theorem(star, opt.as_deref(), arg),
            "declaretheorem" => {
                // plasTeX 3.1 has no thmtools: `\declaretheorem` is an unknown command there,
                // and the environment an unknown one, no statement (checked on minimal LaTeX).
                self.warn(
                    Level::Warning,
                    place,
                    format!(
                        "\\declaretheorem{{{arg}}}: plasTeX (leanblueprint) does not know thmtools, so `{arg}` is no theorem-like environment there (its labels name what came before; in thms= leanblueprint crashes); declare it with \\newtheorem in the files web.tex reads"
                    ),
                );
                self.defined_envs.insert(arg);
            }
            "item" | "caption" => self.counter_step(name),
            "label" => self.label(collapse(&arg), place),
            "newenvironment" => {
                self.defined_envs.insert(arg);
            }
            "usepackage" => {
                if arg.split(',').any(|p| p.trim() == "blueprint") {
                    self.options(opt.as_deref().unwrap_or(""));
                }
            }
            "graphcolor" | "bpcolor" => self.graph_color(name, &args, place),
            "appendix" => {
                // book: the chapter counter starts again (lettered); article: the section
                // counter does. Either way the counters below restart too.
                self.appendix = true;
                if self.class == DocumentClass::Book || self.chapter_count > 0 {
                    self.chapter_count = 0;
                }
                self.lower_counts = [0; 4];
            }
            "documentclass" => {
                self.class = match arg.trim() {
                    "report" | "book" | "amsbook" | "memoir" => DocumentClass::Book,
                    "article" | "amsart" => DocumentClass::Article,
                    _ => DocumentClass::Unknown,
                }
            }
            "inputleannode" | "inputleanmodule" => self.unbuilt_lean_node(name, arg, place),
            _ => match level_of(name) {
                Some(level) => self.unit(level, name, star, arg, place),
                None => self.mark(name, &arg, place),
            },
        }
    }

    /// `\newtheorem{env}` (`\newtheorem*` or `numbered=no`: its statements take no number,
    /// so a `\label` in them names what was numbered before).
    fn new_theorem(&mut self, star: bool, opt: Option<&str>, env: String) {
        let numbered_no = opt.is_some_and(|o| {
            o.split(',').any(|kv| {
                let kv: String = kv.split_whitespace().collect();
                kv == "numbered=no"
            })
        });
        if star || numbered_no {
            self.unnumbered.insert(env.clone());
        }
        self.defined_theorems.insert(env);
    }

    /// `\item` and `\caption` step a counter, so a `\label` after them names them; each list
    /// item is also a container of its own.
    fn counter_step(&mut self, name: &str) {
        if name == "item" {
            match self.stack.last_mut() {
                Some(f) => f.last_statement = None,
                None => self.top_last_statement = None,
            }
        }
        let within = self.enclosing_statement_kind();
        self.current = Some(Target::Other {
            env: name.to_string(),
            within,
        });
    }

    /// `\graphcolor{key}{border}{fill}` (or `\bpcolor`): a colour for a status.
    fn graph_color(&mut self, name: &str, args: &[String], place: &Place) {
        const KEYS: &[&str] = &[
            "stated",
            "can_state",
            "not_ready",
            "proved",
            "can_prove",
            "defined",
            "fully_proved",
            "mathlib",
        ];
        let arg = |k: usize| {
            args.get(k)
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let key = arg(0);
        if !KEYS.contains(&key.as_str()) {
            self.warn(
                Level::Warning,
                place,
                format!(
                    "\\{name}{{{key}}}: unknown colour key (known: {})",
                    KEYS.join(", ")
                ),
            );
        }
        self.bp.colors.push((key, arg(1), arg(2)));
    }

    /// LeanArchitect's `\inputleannode{label}` whose output is not built.
    fn unbuilt_lean_node(&mut self, name: &str, arg: String, place: &Place) {
        self.bp
            .unbuilt_lean_nodes
            .push((arg.clone(), place.file.to_path_buf(), place.line));
        self.warn(
            Level::Warning,
            place,
            format!(
                "\\{name}{{{arg}}}: LeanArchitect's output for it is not built (run `lake build :blueprint`); not read"
            ),
        );
    }

    /// A mark (`\leanok`, `\uses`, `\lean`, `\proves`…) for the statement or proof it stands
    /// in. The `document` environment is the top level of the text; a mark inside another
    /// environment within a statement belongs to that environment, which leanblueprint
    /// ignores, so it is warned about.
    fn mark(&mut self, name: &str, arg: &str, place: &Place) {
        if name == "lean" {
            self.bp.lean_decls.extend(list(arg));
        }
        let grouped = self.stack.last().is_some_and(|f| {
            !matches!(f.kind, FrameKind::Other) && self.group_depth > f.group_depth
        });
        let is_mark = matches!(
            name,
            "uses"
                | "leanok"
                | "mathlibok"
                | "notready"
                | "proves"
                | "lean"
                | "alsoIn"
                | "discussion"
        );
        if grouped && is_mark {
            // plasTeX gives the command to the group, math or command argument around it
            // (its `parentNode`), and leanblueprint reads marks only from the statement or
            // proof itself.
            self.warn(
                Level::Warning,
                place,
                format!(
                    "\\{name} inside `{{…}}`, math or another command's argument belongs to that, not to the statement or proof around it (leanblueprint ignores it); move it out"
                ),
            );
            return;
        }
        let top = self
            .stack
            .last()
            .filter(|f| f.env != "document")
            .map(|f| (&f.kind, f.env.clone()));
        match top {
            Some((FrameKind::Node(i), _)) => {
                let i = *i;
                apply(&mut self.bp.nodes[i], name, arg, place.line);
            }
            Some((FrameKind::Statement(i), _)) => {
                let i = *i;
                apply(&mut self.bp.statements[i], name, arg, place.line);
            }
            Some((FrameKind::Proof(j), _)) => {
                let j = *j;
                mark_proof(&mut self.proofs[j].0, name, arg, place.line);
            }
            Some((FrameKind::Other, env))
                if matches!(
                    name,
                    "uses" | "leanok" | "mathlibok" | "notready" | "proves"
                ) && self.stack.last().is_some_and(|f| f.in_statement_or_proof) =>
            {
                self.warn(
                    Level::Warning,
                    place,
                    format!(
                        "\\{name} inside `{env}` belongs to that environment, not to the statement or proof around it (leanblueprint ignores it); move it out"
                    ),
                );
            }
            Some((FrameKind::Other, _)) | None => {}
        }
    }

    /// `\label{label}` names what plasTeX's `currentlabel` is now (the last numbered thing
    /// begun, even after it ended: `\end{lemma}\label{x}` names the lemma); the last label of
    /// a statement is its id. Before anything numbered it names nothing.
    fn label(&mut self, label: String, place: &Place) {
        if label.is_empty() {
            return;
        }
        self.bp
            .label_sites
            .push((label.clone(), place.file.to_path_buf(), place.line));
        let Some(target) = self.current.clone() else {
            self.bp.orphan_labels.insert(label);
            return;
        };
        match &target {
            Target::Node(i) => {
                let n = &mut self.bp.nodes[*i];
                n.labels.push(label.clone());
                n.label = Some(label.clone());
            }
            Target::Statement(i) => {
                let n = &mut self.bp.statements[*i];
                n.labels.push(label.clone());
                n.label = Some(label.clone());
            }
            Target::Unit(u) => self.bp.units[*u].labels.push(label.clone()),
            Target::Other { .. } => {}
        }
        self.bp.targets.insert(label, target);
    }

    fn options(&mut self, opts: &str) {
        for opt in opts.split(',') {
            let opt = opt.trim();
            let (key, value) = match opt.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (opt, None),
            };
            match (key, value) {
                ("thms", Some(v)) => {
                    self.bp.options.thms = v
                        .split('+')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect();
                    self.node_envs = self.bp.options.thms.iter().cloned().collect();
                }
                ("dep_by", Some(v)) if !v.is_empty() => {
                    self.bp.options.dep_by = Some(v.to_string());
                }
                ("nonreducedgraph", _) => self.bp.options.nonreduced = true,
                ("title", Some(v)) => self.bp.options.title = Some(v.to_string()),
                _ => {}
            }
        }
    }

    fn unit(&mut self, level: usize, kind: &str, star: bool, title: String, place: &Place) {
        if star && self.bp.options.dep_by.as_deref() == Some(kind) {
            self.warn(
                Level::Warning,
                place,
                format!(
                    "\\{kind}* with dep_by={kind}: leanblueprint 0.0.20 crashes on it (an unnumbered {kind} has no number to name its graph); theorist names the graph `dep_graph_{kind}_`"
                ),
            );
        }
        let number = if star {
            String::new()
        } else if self.class != DocumentClass::Unknown {
            self.step_counter(level)
        } else {
            match level {
                0 => {
                    self.part_count += 1;
                    roman(self.part_count)
                }
                1 => {
                    self.chapter_count += 1;
                    self.lower_counts = [0; 4];
                    if self.appendix {
                        letters(self.chapter_count)
                    } else {
                        self.chapter_count.to_string()
                    }
                }
                _ => {
                    let k = level - 2;
                    self.lower_counts[k] += 1;
                    for c in &mut self.lower_counts[k + 1..] {
                        *c = 0;
                    }
                    let parent = (1..level)
                        .rev()
                        .find_map(|l| self.open_units[l])
                        .filter(|&u| self.bp.units[u].kind != "part")
                        .map(|u| self.bp.units[u].number.clone());
                    let own = if self.appendix && self.open_units[1].is_none() && level == 2 {
                        letters(self.lower_counts[k])
                    } else {
                        self.lower_counts[k].to_string()
                    };
                    match parent {
                        Some(p) if !p.is_empty() => format!("{p}.{own}"),
                        _ => own,
                    }
                }
            }
        };
        self.bp.units.push(Unit {
            kind: kind.to_string(),
            title: collapse(&title),
            number,
            labels: Vec::new(),
            file: place.file.to_path_buf(),
            line: place.line,
        });
        let idx = self.bp.units.len() - 1;
        if !star {
            self.current = Some(Target::Unit(idx));
        }
        self.open_units[level] = Some(idx);
        for u in &mut self.open_units[level + 1..] {
            *u = None;
        }
        // A proof never reaches back over a sectioning command to a statement (in plasTeX the
        // unit is the proof's parent, and the search stays among its children).
        match self.stack.last_mut() {
            Some(f) => f.last_statement = None,
            None => self.top_last_statement = None,
        }
    }

    /// Steps the counter of a numbered unit at `level` (resetting those below it) and returns
    /// its number as plasTeX's classes print it.
    fn step_counter(&mut self, level: usize) -> String {
        match level {
            0 => {
                self.part_count += 1;
                // plasTeX's book and article classes number parts `$part`: 1, 2, …
                self.part_count.to_string()
            }
            1 => {
                self.chapter_count += 1;
                self.lower_counts = [0; 4];
                self.the(1)
            }
            _ => {
                let k = level - 2;
                self.lower_counts[k] += 1;
                for c in &mut self.lower_counts[k + 1..] {
                    *c = 0;
                }
                self.the(level)
            }
        }
    }

    /// `\thechapter`, `\thesection`, … now, from the counters (not from the units open: a
    /// section before any chapter of a book is `0.1`, one after `\chapter*` goes on from
    /// the last numbered chapter).
    fn the(&self, level: usize) -> String {
        match level {
            0 => self.part_count.to_string(),
            1 if self.appendix => plastex_alph(self.chapter_count),
            1 => self.chapter_count.to_string(),
            2 => {
                let section = self.lower_counts[0];
                match self.class {
                    DocumentClass::Book => format!("{}.{section}", self.the(1)),
                    _ if self.appendix => plastex_alph(section),
                    _ => section.to_string(),
                }
            }
            l => format!("{}.{}", self.the(l - 1), self.lower_counts[l - 2]),
        }
    }

    fn finish(mut self) -> Blueprint {
        for open in std::mem::take(&mut self.stack) {
            self.warn(
                Level::Error,
                &open.place,
                format!("\\begin{{{}}} is never closed", open.env),
            );
        }
        // Attach proofs in document order: `\proves` when it resolves, else the statement
        // before; a later proof replaces an earlier one (plastexdepgraph's `proved_by`).
        for (proof, preceding, container) in std::mem::take(&mut self.proofs) {
            let grouped = container.is_none_or(|c| self.grouped[c]);
            let target = proof
                .proves
                .as_ref()
                .and_then(|l| self.bp.targets.get(l).cloned())
                .or(preceding.filter(|_| grouped));
            let statement = match target {
                Some(Target::Node(i)) => &mut self.bp.nodes[i],
                Some(Target::Statement(i)) => &mut self.bp.statements[i],
                _ => continue,
            };
            // plastexdepgraph tests the statement's truth: an empty one gets no proof.
            if statement.empty {
                continue;
            }
            statement.proofs += 1;
            // An empty proof still replaces an earlier one, and then counts as none.
            statement.proof = (!proof.empty).then_some(proof);
        }
        self.report_self_uses();
        self.bp
    }

    /// A node whose statement or proof `\uses` one of its own labels depends on itself:
    /// leanblueprint crashes on it, and no order of work can satisfy it.
    fn report_self_uses(&mut self) {
        let mut found = Vec::new();
        for (i, n) in self.bp.nodes.iter().enumerate() {
            for (u, file, line) in n.uses_with_places() {
                if self.bp.targets.get(u) == Some(&Target::Node(i)) {
                    let who = n.label.clone().unwrap_or_else(|| u.clone());
                    found.push(Finding {
                        level: Level::Error,
                        file: file.clone(),
                        line,
                        message: format!(
                            "self-dependency: `{who}` uses `{u}`, its own label (leanblueprint crashes on it); remove it from \\uses"
                        ),
                    });
                }
            }
        }
        self.bp.findings.extend(found);
    }
}

/// A proof environment begun at `place`, with nothing in it yet.
fn empty_proof(place: &Place) -> Proof {
    Proof {
        empty: true,
        leanok: false,
        notready: false,
        uses: Vec::new(),
        last_uses: Vec::new(),
        uses_commands: 0,
        uses_lines: Vec::new(),
        lean: Vec::new(),
        proves: None,
        file: place.file.to_path_buf(),
        line: place.line,
    }
}

/// A mark inside a proof environment, at `line`.
fn mark_proof(proof: &mut Proof, name: &str, arg: &str, line: u32) {
    match name {
        "leanok" | "mathlibok" => proof.leanok = true,
        "notready" => proof.notready = true,
        "uses" => {
            proof.last_uses = list(arg);
            proof.uses.extend(list(arg));
            proof.uses_lines.extend(list(arg).iter().map(|_| line));
            proof.uses_commands += 1;
        }
        "lean" => proof.lean.extend(list(arg)),
        "proves" => proof.proves = Some(collapse(arg)),
        _ => {}
    }
}

/// A blueprint macro applied to the statement it sits in.
fn apply(node: &mut Node, name: &str, arg: &str, line: u32) {
    match name {
        "lean" => node.lean.extend(list(arg)),
        "uses" => {
            node.last_uses = list(arg);
            node.uses.extend(list(arg));
            node.uses_lines.extend(list(arg).iter().map(|_| line));
            node.uses_commands += 1;
        }
        "alsoIn" => node.also_in.extend(list(arg)),
        "leanok" => node.leanok = true,
        "mathlibok" => {
            node.leanok = true;
            node.mathlibok = true;
        }
        "notready" => node.notready = true,
        "discussion" => {
            node.discussion = Some(arg.trim().trim_start_matches('#').trim().to_string())
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn nodes_proofs_and_leanblueprint_attachment_rules() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "web.tex",
            "\\usepackage[thms=lemma+theorem+sublemma, dep_by=chapter, nonreducedgraph]{blueprint}\n\\input{content}\n",
        );
        write(
            dir.path(),
            "content.tex",
            r"\chapter{One}\label{ch:one}
\begin{lemma}[A]\label{a}\label{a2}\lean{X.a, X.b}\leanok\uses{b}
\begin{equation}\label{eq}1=1\end{equation}
\end{lemma}
\begin{proof}\leanok\uses{c}\end{proof}
\begin{definition}\label{d}\end{definition}
\begin{theorem}\label{b}\notready\alsoIn{ch:one}\end{theorem}
\begin{proof}\proves{a}\uses{d}\end{proof}
% \begin{lemma}\label{commented}\end{lemma}
\section{S}
\begin{proof}\leanok\end{proof}
\begin{sublemma}\label{c}\mathlibok
\begin{proof}\leanok\end{proof}
\end{sublemma}
",
        );
        let bp = read(dir.path());
        let labels: Vec<&str> = bp
            .nodes
            .iter()
            .map(|n| n.label.as_deref().unwrap())
            .collect();
        // `definition` is not in `thms=…` here; the commented lemma is gone.
        assert_eq!(labels, ["a2", "b", "c"]);
        assert_eq!(bp.options.dep_by.as_deref(), Some("chapter"));
        assert!(bp.options.nonreduced);
        let a = &bp.nodes[0];
        assert_eq!(
            a.labels,
            ["a", "a2"],
            "the equation's label is not the node's"
        );
        assert_eq!(a.title.as_deref(), Some("A"));
        assert_eq!(a.lean, ["X.a", "X.b"]);
        assert_eq!(
            bp.targets["eq"],
            Target::Other {
                env: "equation".into(),
                within: "lemma".into()
            }
        );
        // The second proof `\proves{a}` and replaces the first, as plastexdepgraph does.
        let p = a.proof.as_ref().unwrap();
        assert!(!p.leanok && p.uses == ["d"] && a.proofs == 2);
        assert!(bp.nodes[1].notready && bp.nodes[1].proof.is_none());
        assert_eq!(bp.nodes[1].also_in, ["ch:one"]);
        assert_eq!(bp.targets["ch:one"], Target::Unit(0));
        // A proof after a \section does not reach back; one nested in its statement is not
        // attached to it.
        assert!(bp.nodes[2].mathlibok && bp.nodes[2].proof.is_none());
        assert_eq!(bp.units[1].number, "1.1");
        assert_eq!(bp.lean_decls, ["X.a", "X.b"]);
        // `definition` is theorem-like (USUAL_THEOREMS) but not a node here.
        assert_eq!(bp.statements.len(), 1);
    }

    #[test]
    fn broken_input_is_reported_and_the_rest_read() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "content.tex",
            "\\input{nope}\n\\begin{lemma}\\label{x}\n\\end{theorem}\n\\begin{mystery}\\end{mystery}\n\\begin{lemma}\\label{y}\\end{lemma}",
        );
        let bp = read(dir.path());
        // The stray `\end{theorem}` ends the lemma and is an empty theorem itself, as in
        // plasTeX (leanblueprint draws x, an unlabelled theorem, and y).
        assert_eq!(bp.nodes.len(), 3);
        assert!(bp.nodes[1].empty && bp.nodes[1].label.is_none());
        let at = |line: u32, text: &str| {
            bp.findings
                .iter()
                .any(|f| f.line == line && f.message.contains(text))
        };
        assert!(at(1, "\\input{nope}: no such file"), "{:?}", bp.findings);
        assert!(at(3, "\\end{theorem} without a matching \\begin"));
        assert!(at(4, "unknown environment `mystery`"));
        assert!(at(2, "\\begin{lemma} is never closed"));
    }

    #[test]
    fn an_empty_blueprint_says_so() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "content.tex", "Nothing yet.\n");
        let bp = read(dir.path());
        assert!(bp.findings[0].message.contains("no nodes"));
    }
}
