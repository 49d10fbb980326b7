#!/usr/bin/env bash
# The hookproof command: fmt, clippy, unit tests of the capture parser, and the binary driven
# over every vector, real-world capture formats, a local receiver and diagnose.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust

step "rustfmt and clippy -D warnings (hookproof-cli)"
cargo fmt -p hookproof-cli --check
cargo clippy -p hookproof-cli --all-targets -- -D warnings

step "cargo test -p hookproof-cli"
cargo test -p hookproof-cli
