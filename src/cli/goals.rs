//! `theorist goals FILE:LINE:COL`: the goal state Lean reports at a position (tactic goals
//! from `$/lean/plainGoal`, else the expected type from `$/lean/plainTermGoal`).

use super::{Exit, GlobalArgs};
use crate::engine::goals::{GoalsRequest, goals};
use crate::engine::lean::parse_position_target;

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
    let request = GoalsRequest {
        at: parse_position_target(&args.position)?,
        memory_mb: args.memory,
        timeout: std::time::Duration::from_secs(args.timeout),
        lean: super::leanenv::lean_setup(global),
    };
    let report = super::runtime()?.block_on(goals(&request))?;
    if global.json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        let at = &report.at;
        match (&report.goal, &report.term) {
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
                "theorist: Lean reports no goal at {}:{}:{}",
                at.file.display(),
                at.line,
                at.column
            ),
        }
    }
    Ok(if report.found() {
        Exit::Passed
    } else {
        Exit::CheckFailed
    })
}
