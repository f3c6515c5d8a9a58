//! The LaTeX side: files, comments, environments and the blueprint macros.

use std::path::{Path, PathBuf};

/// A proof attached to a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub leanok: bool,
    pub uses: Vec<String>,
    pub line: u32,
}

/// A theorem-like environment of the blueprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The environment name (`lemma`, `definition`, …).
    pub kind: String,
    /// The last `\label` directly in the statement (leanblueprint's node id).
    pub label: Option<String>,
    /// Every `\label` directly in the statement.
    pub labels: Vec<String>,
    pub lean: Vec<String>,
    pub uses: Vec<String>,
    pub leanok: bool,
    pub mathlibok: bool,
    pub notready: bool,
    pub proof: Option<Proof>,
    /// The `\chapter` it sits in ("" before the first).
    pub chapter: String,
    pub file: PathBuf,
    pub line: u32,
}

/// A blueprint, with what could not be read (the rest is still read).
#[derive(Debug, Clone, Default)]
pub struct Blueprint {
    pub nodes: Vec<Node>,
    /// Problems met while reading, each with file and line.
    pub errors: Vec<ReadError>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("{file}:{line}: \\input{{{name}}}: no such file")]
    MissingInput {
        file: PathBuf,
        line: u32,
        name: String,
    },
    #[error("{file}:{line}: \\begin{{{env}}} is never closed")]
    Unclosed {
        file: PathBuf,
        line: u32,
        env: String,
    },
    #[error("{file}:{line}: \\end{{{env}}} without a matching \\begin")]
    Unopened {
        file: PathBuf,
        line: u32,
        env: String,
    },
    #[error("{file}:{line}: unbalanced braces in \\{macro_name}")]
    Braces {
        file: PathBuf,
        line: u32,
        macro_name: String,
    },
    #[error("{dir}: no web.tex or content.tex")]
    NoRoot { dir: PathBuf },
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

/// Text with `%` comments removed (an escaped `\%` stays), one entry per line.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut out = String::new();
            let mut escaped = false;
            for c in line.chars() {
                if c == '%' && !escaped {
                    break;
                }
                escaped = c == '\\' && !escaped;
                out.push(c);
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One command occurrence in the flattened source.
#[derive(Debug, Clone)]
struct Token {
    name: String,
    arg: Option<String>,
    file: PathBuf,
    line: u32,
}

fn read_arg(chars: &[char], mut i: usize) -> Option<(String, usize)> {
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    // Optional `[...]` before the argument (e.g. \begin{lemma}[Title]) is not the argument.
    if i >= chars.len() || chars[i] != '{' {
        return None;
    }
    let mut depth = 0;
    let start = i + 1;
    while i < chars.len() {
        match chars[i] {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((chars[start..i].iter().collect(), i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

const WITH_ARG: &[&str] = &[
    "begin",
    "end",
    "label",
    "lean",
    "uses",
    "proves",
    "input",
    "include",
    "usepackage",
    "chapter",
];
const FLAGS: &[&str] = &["leanok", "mathlibok", "notready"];

fn tokens(
    dir: &Path,
    file: &Path,
    out: &mut Vec<Token>,
    errors: &mut Vec<ReadError>,
    depth: usize,
) {
    let Ok(raw) = std::fs::read_to_string(file) else {
        return;
    };
    let text = strip_comments(&raw);
    for (n, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let line_no = n as u32 + 1;
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != '\\' {
                i += 1;
                continue;
            }
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && chars[j].is_ascii_alphabetic() {
                j += 1;
            }
            let name: String = chars[start..j].iter().collect();
            if name == "usepackage" {
                // Keep options: \usepackage[opts]{blueprint}.
                let rest: String = chars[j..].iter().collect();
                out.push(Token {
                    name,
                    arg: Some(rest),
                    file: file.to_path_buf(),
                    line: line_no,
                });
                i = chars.len();
                continue;
            }
            if WITH_ARG.contains(&name.as_str()) {
                match read_arg(&chars, j) {
                    Some((arg, next)) => {
                        if name == "input" || name == "include" {
                            let mut target = dir.join(arg.trim());
                            if target.extension().is_none() {
                                target.set_extension("tex");
                            }
                            if target.is_file() && depth < 32 {
                                tokens(dir, &target, out, errors, depth + 1);
                            } else if !target.is_file() {
                                errors.push(ReadError::MissingInput {
                                    file: file.to_path_buf(),
                                    line: line_no,
                                    name: arg.trim().to_string(),
                                });
                            }
                        } else {
                            out.push(Token {
                                name: name.clone(),
                                arg: Some(arg),
                                file: file.to_path_buf(),
                                line: line_no,
                            });
                        }
                        i = next;
                    }
                    None => {
                        if name != "begin" && name != "end" || chars.get(j) == Some(&'{') {
                            errors.push(ReadError::Braces {
                                file: file.to_path_buf(),
                                line: line_no,
                                macro_name: name.clone(),
                            });
                        }
                        i = j;
                    }
                }
            } else if FLAGS.contains(&name.as_str()) {
                out.push(Token {
                    name,
                    arg: None,
                    file: file.to_path_buf(),
                    line: line_no,
                });
                i = j;
            } else {
                i = j.max(start);
            }
        }
    }
}

fn list(arg: &str) -> Vec<String> {
    arg.split(',')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// Reads the blueprint whose sources are in `dir` (see [`find_source_dir`]).
pub fn read(dir: &Path) -> Blueprint {
    let mut bp = Blueprint::default();
    let root = ["web.tex", "content.tex"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file());
    let Some(root) = root else {
        bp.errors.push(ReadError::NoRoot {
            dir: dir.to_path_buf(),
        });
        return bp;
    };
    let mut toks = Vec::new();
    tokens(dir, &root, &mut toks, &mut bp.errors, 0);
    // Which environments are nodes: leanblueprint's default, or `thms=a+b` from the options.
    let mut node_envs: Vec<String> = ["definition", "lemma", "proposition", "theorem", "corollary"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for t in toks.iter().filter(|t| t.name == "usepackage") {
        let arg = t.arg.as_deref().unwrap_or("");
        if arg.contains("{blueprint}") {
            if let Some(opts) = arg
                .strip_prefix('[')
                .and_then(|a| a.split_once(']'))
                .map(|(o, _)| o)
            {
                for opt in opts.split(',') {
                    if let Some(list) = opt.trim().strip_prefix("thms=") {
                        node_envs = list.split('+').map(|s| s.trim().to_string()).collect();
                    }
                }
            }
        }
    }
    // Walk environments with a stack.
    struct Open {
        env: String,
        node: Option<usize>,
        proof: Option<Proof>,
        proves: Option<String>,
        file: PathBuf,
        line: u32,
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut last_theorem_like: Option<usize> = None;
    let mut pending_proofs: Vec<(Proof, Option<String>, Option<usize>)> = Vec::new();
    let mut chapter = String::new();
    for t in &toks {
        let arg = t.arg.clone().unwrap_or_default();
        match t.name.as_str() {
            "chapter" => chapter = arg.split_whitespace().collect::<Vec<_>>().join(" "),
            "begin" => {
                let env = arg.trim().to_string();
                let mut open = Open {
                    env: env.clone(),
                    node: None,
                    proof: None,
                    proves: None,
                    file: t.file.clone(),
                    line: t.line,
                };
                if env == "proof" {
                    open.proof = Some(Proof {
                        leanok: false,
                        uses: Vec::new(),
                        line: t.line,
                    });
                } else if node_envs.contains(&env)
                    && stack.iter().all(|o| o.node.is_none() && o.proof.is_none())
                {
                    bp.nodes.push(Node {
                        kind: env.clone(),
                        label: None,
                        labels: Vec::new(),
                        lean: Vec::new(),
                        uses: Vec::new(),
                        leanok: false,
                        mathlibok: false,
                        notready: false,
                        proof: None,
                        chapter: chapter.clone(),
                        file: t.file.clone(),
                        line: t.line,
                    });
                    open.node = Some(bp.nodes.len() - 1);
                }
                stack.push(open);
            }
            "end" => {
                let env = arg.trim().to_string();
                match stack.iter().rposition(|o| o.env == env) {
                    Some(pos) => {
                        for unclosed in stack.drain(pos + 1..).collect::<Vec<_>>() {
                            bp.errors.push(ReadError::Unclosed {
                                file: unclosed.file,
                                line: unclosed.line,
                                env: unclosed.env,
                            });
                        }
                        let open = stack.pop().expect("position exists");
                        if let Some(proof) = open.proof {
                            pending_proofs.push((proof, open.proves, last_theorem_like));
                        } else if open.node.is_some() {
                            last_theorem_like = open.node;
                        } else if stack.is_empty() && is_theorem_like_name(&open.env) {
                            // A remark between a lemma and its proof takes the proof (quirk).
                            last_theorem_like = None;
                        }
                    }
                    None => bp.errors.push(ReadError::Unopened {
                        file: t.file.clone(),
                        line: t.line,
                        env,
                    }),
                }
            }
            _ => {
                // The innermost proof or node receives the macro; a `\label` inside a nested
                // environment (an equation) belongs to that environment, not to the node.
                let Some(pos) = stack
                    .iter()
                    .rposition(|o| o.proof.is_some() || o.node.is_some())
                else {
                    continue;
                };
                if t.name == "label" && pos + 1 != stack.len() {
                    continue;
                }
                let open = &mut stack[pos];
                if let Some(proof) = open.proof.as_mut() {
                    match t.name.as_str() {
                        "leanok" | "mathlibok" => proof.leanok = true,
                        "uses" => proof.uses.extend(list(&arg)),
                        "proves" => open.proves = Some(arg.trim().to_string()),
                        _ => {}
                    }
                } else if let Some(idx) = open.node {
                    let node = &mut bp.nodes[idx];
                    match t.name.as_str() {
                        "label" => {
                            let l = arg.split_whitespace().collect::<Vec<_>>().join(" ");
                            node.labels.push(l.clone());
                            node.label = Some(l);
                        }
                        "lean" => node.lean.extend(list(&arg)),
                        "uses" => node.uses.extend(list(&arg)),
                        "leanok" => node.leanok = true,
                        "mathlibok" => {
                            node.leanok = true;
                            node.mathlibok = true;
                        }
                        "notready" => node.notready = true,
                        _ => {}
                    }
                }
            }
        }
    }
    for open in stack {
        bp.errors.push(ReadError::Unclosed {
            file: open.file,
            line: open.line,
            env: open.env,
        });
    }
    for (proof, proves, preceding) in pending_proofs {
        let by_label = proves.and_then(|l| bp.nodes.iter().position(|n| n.labels.contains(&l)));
        if let Some(idx) = by_label.or(preceding) {
            if bp.nodes[idx].proof.is_none() {
                bp.nodes[idx].proof = Some(proof);
            }
        }
    }
    bp
}

fn is_theorem_like_name(env: &str) -> bool {
    matches!(
        env,
        "remark" | "example" | "sublemma" | "claim" | "conjecture" | "cor" | "fact" | "notation"
    )
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
            "\\usepackage[thms=lemma+theorem+sublemma]{blueprint}\n\\input{content}\n",
        );
        write(
            dir.path(),
            "content.tex",
            r"\begin{lemma}[A]\label{a}\label{a2}\lean{X.a, X.b}\leanok\uses{b}
\begin{equation}\label{eq}1=1\end{equation}
\end{lemma}
\begin{proof}\leanok\uses{c}\end{proof}
\begin{definition}\label{d}\end{definition}
\begin{theorem}\label{b}\notready\end{theorem}
\begin{proof}\proves{a}\end{proof}
% \begin{lemma}\label{commented}\end{lemma}
\begin{sublemma}\label{c}\mathlibok\end{sublemma}
",
        );
        let bp = read(dir.path());
        assert!(bp.errors.is_empty(), "{:?}", bp.errors);
        let labels: Vec<&str> = bp
            .nodes
            .iter()
            .map(|n| n.label.as_deref().unwrap())
            .collect();
        // `definition` is not in `thms=…` here; the commented lemma is gone.
        assert_eq!(labels, ["a2", "b", "c"]);
        let a = &bp.nodes[0];
        assert_eq!(
            a.labels,
            ["a", "a2"],
            "the equation's label is not the node's"
        );
        assert_eq!(a.lean, ["X.a", "X.b"]);
        assert!(a.leanok && a.proof.as_ref().unwrap().leanok);
        assert_eq!(a.proof.as_ref().unwrap().uses, ["c"]);
        // The second proof `\proves{a}`, but `a` already has one; `b` gets none.
        assert!(bp.nodes[1].notready && bp.nodes[1].proof.is_none());
        assert!(bp.nodes[2].mathlibok && bp.nodes[2].leanok);
    }

    #[test]
    fn broken_input_is_reported_and_the_rest_read() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "content.tex",
            "\\input{nope}\n\\begin{lemma}\\label{x}\n\\end{theorem}\n",
        );
        let bp = read(dir.path());
        assert_eq!(bp.nodes.len(), 1);
        assert!(
            bp.errors
                .iter()
                .any(|e| matches!(e, ReadError::MissingInput { line: 1, .. }))
        );
        assert!(
            bp.errors
                .iter()
                .any(|e| matches!(e, ReadError::Unopened { line: 3, .. }))
        );
        assert!(
            bp.errors
                .iter()
                .any(|e| matches!(e, ReadError::Unclosed { line: 2, .. }))
        );
    }
}
