//! `theorist mcp`: serve the tools over stdio to an AI assistant (see `crate::mcp`). Stdout
//! carries only protocol messages; logs go to stderr.

use std::path::PathBuf;

use anyhow::{Context as _, bail};

use super::{Exit, GlobalArgs};
use crate::mcp::{Context, serve};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The project root: relative paths in tool calls are taken from it, and the blueprint
    /// tools read it by default (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

pub fn run(args: Args, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let root = match args.root {
        Some(r) => r,
        None => std::env::current_dir().context("reading the current folder")?,
    };
    let root =
        std::path::absolute(&root).with_context(|| format!("resolving {}", root.display()))?;
    if !root.is_dir() {
        bail!("--root {}: no such folder", root.display());
    }
    // SIGPIPE stays ignored (see `cli::main`): a client that closes its end makes writes fail
    // (EPIPE) instead of killing the server mid-call, so the calls' Lean processes are still
    // ended by their drops. Signals end the server through `shutdown_signal`, not the CLI's
    // handler that exits at once.
    let runtime = super::bare_runtime()?;
    let cx = Context {
        root,
        lean: super::leanenv::lean_setup(global),
    };
    let served = runtime.block_on(serve(
        tokio::io::stdin(),
        tokio::io::stdout(),
        cx,
        shutdown_signal(),
    ));
    // Tokio reads stdin with a blocking read that cannot be cancelled: do not wait for it.
    runtime.shutdown_background();
    // The calls' drops killed their Lean processes; anything left goes now.
    theorist_lean::process::kill_all_groups();
    served.context("serving MCP on stdio")?;
    Ok(Exit::Passed)
}

/// SIGTERM (what clients send after closing stdin), SIGHUP, or Ctrl-C.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = hup.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
