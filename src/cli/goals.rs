//! `theorist goals FILE:LINE:COL`: the goal state Lean reports at a position (tactic goals
//! from `$/lean/plainGoal`, else the expected type from `$/lean/plainTermGoal`).

use theorist_lean::{LeanPos, LeanServer, ServerConfig};

use super::leanenv::{parse_position_target, project_of, read_lean_file, toolchain};
use super::{Exit, GlobalArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// FILE:LINE:COL with Lean's convention: line 1-based, column 0-based (in characters), as
    /// in Lean's own messages.
    pub position: String,
    /// Memory cap for Lean in MB (Lean's -M).
    #[arg(long, value_name = "MB")]
    pub memory: Option<u64>,
    /// Wall-clock limit for Lean to elaborate the file, in seconds.
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    pub timeout: u64,
}

pub fn run(args: Args, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let (file, line, column) = parse_position_target(&args.position)?;
    let text = read_lean_file(&file)?;
    let lines = text.split('\n').count() as u32;
    if line > lines {
        anyhow::bail!(
            "{}: line {line} is past the end of the file ({lines} lines)",
            file.display()
        );
    }
    let project = project_of(&file)?;
    let pos = LeanPos { line, column };
    super::runtime()?.block_on(async {
        let timeout = std::time::Duration::from_secs(args.timeout);
        let toolchain = match toolchain(project, global, timeout).await? {
            Ok(t) => t,
            Err(exit) => return Ok(exit),
        };
        let server = LeanServer::start(
            &toolchain,
            ServerConfig {
                memory_mb: args.memory,
                file_timeout: timeout,
                request_timeout: timeout,
                ..ServerConfig::default()
            },
        )
        .await?;
        let mut doc = server.open(&file, text).await?;
        server.wait_for_diagnostics(&mut doc).await?;
        let goal = server.plain_goal(&doc, pos).await?;
        let term = match &goal {
            Some(g) if !g.goals.is_empty() => None,
            _ => server.plain_term_goal(&doc, pos).await?,
        };
        server.close(&doc).await?;
        server.shutdown().await;
        let found = goal.is_some() || term.is_some();
        if global.json {
            let value = serde_json::json!({
                "schema": "theorist.goals/1",
                "file": file,
                "position": {"line": line, "column": column},
                "lean_version": toolchain.lean_version,
                "goals": goal.as_ref().map(|g| &g.goals),
                "rendered": goal.as_ref().map(|g| &g.rendered),
                "term_goal": term.as_ref().map(|t| &t.goal),
            });
            println!("{}", serde_json::to_string_pretty(&value)?);
        } else {
            match (&goal, &term) {
                (Some(g), _) if g.goals.is_empty() => {
                    println!("no goals (the proof is complete here)")
                }
                (Some(g), _) => {
                    for (i, goal) in g.goals.iter().enumerate() {
                        if i > 0 {
                            println!();
                        }
                        println!("{goal}");
                    }
                }
                (None, Some(t)) => println!("expected type:\n{}", t.goal),
                (None, None) => eprintln!(
                    "theorist: Lean reports no goal at {}:{line}:{column}",
                    file.display()
                ),
            }
        }
        Ok(if found {
            Exit::Passed
        } else {
            Exit::CheckFailed
        })
    })
}
