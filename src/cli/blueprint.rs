//! `theorist blueprint check`: a leanblueprint blueprint against the project's Lean sources.

use std::path::PathBuf;

use anyhow::Context;
use theorist_blueprint::{LeanIndex, Level, check, find_source_dir, read};

use super::{Exit, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Check that every \lean{} name exists, \leanok proofs are sorry-free, labels are unique
    /// and \uses resolve (file:line diagnostics; exit 1 on an error).
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The project root, the blueprint's `src` folder, or a folder with web.tex/content.tex
    /// (default: the current folder).
    pub dir: Option<PathBuf>,
}

pub fn run(cmd: Command, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let Command::Check(args) = cmd;
    let dir = match args.dir {
        Some(d) => d,
        None => std::env::current_dir().context("reading the current folder")?,
    };
    let src = find_source_dir(&dir).with_context(|| {
        format!("{}: no blueprint here (looked for web.tex or content.tex in it, blueprint/src and blueprints/src)", dir.display())
    })?;
    let root = theorist_lean::Project::containing(&src)
        .map(|p| p.root)
        .unwrap_or_else(|_| dir.clone());
    let blueprint = read(&src);
    // The libraries' source folders from the lakefile (not tests or scratch files), else all.
    let dirs: Vec<PathBuf> = theorist_ci::discover::read_libraries(&root)
        .map(|libs| libs.into_iter().map(|l| l.src_dir).collect())
        .unwrap_or_default();
    let index = if dirs.is_empty() {
        LeanIndex::of_project(&root)
    } else {
        LeanIndex::of_dirs(&root, &dirs)
    };
    let findings = check(&blueprint, &index);
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    if global.json {
        let out = serde_json::json!({
            "schema": "theorist.blueprint.check/1",
            "blueprint": src,
            "project_root": root,
            "nodes": blueprint.nodes.len(),
            "lean_declarations": index.decls.len(),
            "checked_by": "the Lean sources (not by Lean)",
            "findings": findings,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for f in &findings {
            let level = match f.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Hint => "hint",
            };
            if f.line == 0 {
                println!("{level}: {}", f.message);
            } else {
                println!("{}:{}: {level}: {}", f.file.display(), f.line, f.message);
            }
        }
        println!(
            "{} nodes, {} Lean declarations indexed; {} errors — names were checked against the Lean sources, not by Lean",
            blueprint.nodes.len(),
            index.decls.len(),
            errors
        );
    }
    Ok(if errors > 0 {
        Exit::CheckFailed
    } else {
        Exit::Passed
    })
}
