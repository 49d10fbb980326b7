#!/usr/bin/env bash
# The core crate: vectors up to date, fmt, clippy, tests, no_std wasm32 build, docs, the minimum
# Rust version, fuzz smoke.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust

step "vectors match tests/vectors/generate.py"
python3 tests/vectors/generate.py --check

step "rustfmt"
cargo fmt -p hookproof --check

step "clippy -D warnings"
cargo clippy -p hookproof --all-targets -- -D warnings
cargo clippy -p hookproof --no-default-features --lib -- -D warnings

step "tests (unit, vectors, properties, doc)"
cargo test -p hookproof

step "no_std build for wasm32-unknown-unknown"
ensure_wasm_target
cargo build -p hookproof --no-default-features --target wasm32-unknown-unknown

step "docs without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc -p hookproof --no-deps

step "the declared minimum Rust (rust-version) builds the workspace, std and no_std core"
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml)
[ -n "$msrv" ] || { echo "no rust-version in Cargo.toml" >&2; exit 1; }
# (A no-op when installed.)
rustup toolchain install "$msrv" --profile minimal --target wasm32-unknown-unknown
# Its own target dir: another compiler's artifacts would only be rebuilt over ours.
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/msrv" cargo "+$msrv" check --locked --workspace --exclude hookproof-wasm
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/msrv" cargo "+$msrv" check --locked -p hookproof --no-default-features
CARGO_TARGET_DIR="$CARGO_TARGET_DIR/msrv" cargo "+$msrv" check --locked -p hookproof-wasm --target wasm32-unknown-unknown

step "benchmark compiles"
cargo bench -p hookproof --bench verify --no-run

step "fuzz smoke run (every target, a few seconds each)"
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2
(
  cd core
  # The fuzz crate keeps its own target dir: sanitizer builds must not mix with ours.
  unset CARGO_TARGET_DIR
  cargo +nightly fuzz build -O
  # Listed first (a failing `fuzz list` inside `for ... in $(...)` would run no target and
  # pass), and checked against the target files.
  targets=$(cargo +nightly fuzz list)
  [ "$(wc -w <<<"$targets")" -eq "$(ls fuzz/fuzz_targets/*.rs | wc -l)" ] \
    || { echo "cargo fuzz list gave '$targets', not one target per fuzz/fuzz_targets/*.rs" >&2; exit 1; }
  for t in $targets; do
    out=$(cargo +nightly fuzz run -O "$t" -- -max_total_time="${FUZZ_SECONDS:-3}" -rss_limit_mb=2048 2>&1) \
      || { echo "$out" | tail -40; echo "fuzz target $t FAILED"; exit 1; }
    echo "$t: $(echo "$out" | grep -E '^Done' | tail -1)"
  done
)
