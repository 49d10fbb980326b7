#!/usr/bin/env bash
# The hookproof command: fmt, clippy, the capture parser's unit tests, and the binary driven
# over every vector, real-world capture formats, a local receiver (send) and diagnose.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust
# The curl-command test runs the printed command in a POSIX shell.
command -v sh >/dev/null || { echo "sh is required by the CLI tests" >&2; exit 1; }

step "rustfmt (hookproof-cli)"
cargo fmt -p hookproof-cli --check

step "clippy -D warnings (hookproof-cli)"
cargo clippy -p hookproof-cli --all-targets -- -D warnings

step "cargo test -p hookproof-cli"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test -p hookproof-cli 2>&1 | tee "$log"
# Both test binaries (capture parser unit tests, binary tests) must have run something.
ran=$(grep -cE '^test result: ok\. [1-9][0-9]* passed' "$log" || true)
[ "$ran" -ge 2 ] || { echo "expected unit and integration tests to run; $ran suites ran" >&2; exit 1; }
