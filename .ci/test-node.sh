#!/usr/bin/env bash
# The npm package: napi addon build, clippy, type test, node --test suites (vectors, API,
# Express over HTTP), then npm pack + install into a fresh project and the suites again.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust

step "clippy -D warnings (hookproof-node)"
cargo clippy -p hookproof-node --all-targets -- -D warnings
cargo fmt -p hookproof-node --check

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

step "TypeScript declarations (tsc --noEmit on a usage file)"
npm run typecheck

step "node --test: vectors, API, Express (native addon)"
npm test

step "the same suites on the WebAssembly fallback"
npm run test:wasm

step "npm pack, install into a fresh project, run the suites there"
bash test/pack.sh
