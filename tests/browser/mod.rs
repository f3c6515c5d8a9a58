//! Headless Chromium for the page's tests: find it, load a page, read the DOM its scripts
//! left.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Chromium, or None where THEORIST_SKIP_BROWSER allows going without (scripts/test installs
/// Debian's chromium; only a hand-run `cargo test` lacks it).
pub fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|c| which(c));
    if found.is_none() {
        assert!(
            std::env::var_os("THEORIST_SKIP_BROWSER").is_some(),
            "no chromium on PATH: install it (apt install chromium) or set THEORIST_SKIP_BROWSER=1"
        );
        eprintln!("skipped: no chromium, THEORIST_SKIP_BROWSER set");
    }
    found
}

fn which(cmd: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(cmd))
            .find(|p| p.is_file())
    })
}

/// Loads the page in headless Chromium and returns the DOM after its scripts ran, and what
/// Chromium logged.
pub fn load(browser: &Path, page: &Path, query: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}{query}", page.display()))
        .output()
        .expect("running chromium");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
