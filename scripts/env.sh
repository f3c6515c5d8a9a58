# Sourced by scripts/demo and scripts/test: checks the toolchain and points cargo at a build
# cache outside the checkout, so a second run rebuilds only what changed.
set -euo pipefail

THEORIST_CACHE="${THEORIST_CACHE:-$HOME/.cache/theorist}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$THEORIST_CACHE/target}"
mkdir -p "$CARGO_TARGET_DIR"

if ! command -v cargo >/dev/null 2>&1; then
    echo "theorist needs Rust >= 1.85 (cargo). Debian's rustc is older; install rustup:" >&2
    echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh" >&2
    exit 2
fi
if ! command -v cc >/dev/null 2>&1; then
    echo "theorist: installing a C toolchain (apt: build-essential)" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq build-essential; else sudo apt-get update -qq && sudo apt-get install -y -qq build-essential; fi
fi
