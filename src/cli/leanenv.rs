//! The "no toolchain" report of the command line (exit 3): the JSON document on stdout with
//! `--json`, else the message on stderr. `cli::report_error` is its one caller.

use crate::engine::NoToolchain;

/// Says plainly that nothing was checked.
pub fn report_no_toolchain(none: &NoToolchain, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&none.to_json()).unwrap_or_default()
        );
    } else {
        eprintln!("theorist: {}", none.message());
    }
}
