//! Glue for this subcommand (being built).
use super::{Exit, GlobalArgs};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Not built yet.
    Todo,
}

pub fn run(_cmd: Command, _global: &GlobalArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("not built yet")
}
