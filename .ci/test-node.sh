#!/usr/bin/env bash
# The npm package: napi addon build, clippy, type test, node --test suites (vectors, API,
# Express over HTTP), then npm pack + install into a fresh project and the suites again, in
# Node and in Bun.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust

step "clippy -D warnings (hookproof-node)"
cargo clippy -p hookproof-node --all-targets -- -D warnings
cargo fmt -p hookproof-node --check

summary=()
# Runs a node --test command, keeps its output, and records its tally for the summary.
suite() {
  local name=$1; shift
  local log; log=$(mktemp)
  if "$@" 2>&1 | tee "$log"; then :; else
    summary+=("$name: FAILED"); rm -f "$log"; print_summary; return 1
  fi
  # node --test prints `# pass N`, bun test ` N pass`.
  summary+=("$name: $({ grep -E '^# (pass|fail) |^ *[0-9]+ (pass|fail)$' "$log" || true; } \
    | awk '$1 == "#" { printf "%s %s  ", $3, $2; next } { printf "%s %s  ", $1, $2 }')")
  rm -f "$log"
}
print_summary() {
  printf '\n--- node summary\n'
  printf '  %s\n' "${summary[@]}"
}

cd bindings-node
step "npm install from the committed lock (pinned @napi-rs/cli, typescript, express)"
# Not `npm ci`: the registry view here does not list @napi-rs/lzma's optional per-platform
# packages, so the lock npm writes here lacks them and `npm ci` refuses it. The lock still
# pins every package that installs.
npm install --no-audit --no-fund

step "napi build --release"
npm run build

step "WebAssembly build (the package's wasm entries and Node fallback)"
npm run build:wasm

step "TypeScript declarations (tsc --noEmit: a usage file, and every vector's event typed by provider, both backends)"
npm run typecheck

step "node --test: vectors, API, native transport, Express (native addon)"
all_tests_listed "$(npm pkg get scripts.test scripts.test:wasm)" test/*.test.mjs
suite "native addon (vectors, API, transport, Express)" npm test

step "the same suites on the WebAssembly fallback"
suite "wasm fallback (vectors, API, Express)" npm run test:wasm

step "npm pack, install into a fresh project, run the suites there (Node, then Bun)"
suite "packed tarball installed in a fresh project (Node and Bun)" bash test/pack.sh
summary+=("clippy, rustfmt, napi build, wasm build, tsc --noEmit: ok")
print_summary
