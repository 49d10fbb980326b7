#!/usr/bin/env bash
# README command (2): installs what is missing, then runs every test suite.
# Usage: bash .ci/test.sh [suite ...]   (suites: core node wasm python cli demo; default: all)
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR=never

all=(core node wasm python cli demo)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("${all[@]}")

passed=0 failed=0 failures=()
for s in "${suites[@]}"; do
  script=".ci/test-$s.sh"
  if [ ! -f "$script" ]; then
    echo "!! no such suite: $s ($script missing)"; failed=$((failed + 1)); failures+=("$s"); continue
  fi
  echo "==================== suite: $s ===================="
  start=$(date +%s)
  if bash "$script"; then
    passed=$((passed + 1)); echo "==== suite $s passed in $(( $(date +%s) - start )) s"
  else
    failed=$((failed + 1)); failures+=("$s"); echo "==== suite $s FAILED after $(( $(date +%s) - start )) s"
  fi
done

echo
[ ${#failures[@]} -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
