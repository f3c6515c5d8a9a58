# Sourced by scripts/demo and scripts/test: installs what a fresh Debian machine lacks and
# points cargo at build caches outside the checkout, so a second run rebuilds only what changed.
set -euo pipefail

THEORIST_CACHE="${THEORIST_CACHE:-$HOME/.cache/theorist}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$THEORIST_CACHE/target}"
# gmp-mpfr-sys (under rug) spends minutes building GMP and MPFR; this keeps the built libraries.
export GMP_MPFR_SYS_CACHE="${GMP_MPFR_SYS_CACHE:-$THEORIST_CACHE/gmp-mpfr}"
mkdir -p "$CARGO_TARGET_DIR" "$GMP_MPFR_SYS_CACHE"

# A shared disk can fill up (CI once died with "No space left on device" while linking): below
# 12 GiB free, drop the incremental caches, and below 8 GiB the whole build cache. Only the
# cache outside the checkout is touched; a cold build then takes ~20 minutes instead of failing.
free_kib() { df --output=avail -k "$CARGO_TARGET_DIR" | tail -n 1 | tr -d ' '; }
if [ "$(free_kib)" -lt $((12 * 1024 * 1024)) ]; then
    echo "theorist: under 12 GiB free; removing incremental build caches in $CARGO_TARGET_DIR" >&2
    rm -rf "$CARGO_TARGET_DIR"/debug/incremental "$CARGO_TARGET_DIR"/*/debug/incremental
fi
if [ "$(free_kib)" -lt $((8 * 1024 * 1024)) ]; then
    echo "theorist: under 8 GiB free; removing the build cache $CARGO_TARGET_DIR (cold build)" >&2
    rm -rf "$CARGO_TARGET_DIR"
    mkdir -p "$CARGO_TARGET_DIR"
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v cargo >/dev/null 2>&1; then
    echo "theorist needs Rust >= 1.85 (cargo). Debian's rustc is older; install rustup:" >&2
    echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh" >&2
    exit 2
fi

# cc: C parts of dependencies; m4: GMP's build; bubblewrap: the sandbox Lean runs in (on by
# default) and its tests;
# chromium: the test that loads `blueprint graph --format html` in a headless browser.
missing=()
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v m4 >/dev/null 2>&1 || missing+=(m4)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# python3 with venv: scripts/test-model installs PyPI's torch into a virtual environment.
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "theorist: installing ${missing[*]} (apt)" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
