//! Glue for this subcommand (being built).
use super::{Exit, GlobalArgs};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, _global: &GlobalArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("not built yet")
}
