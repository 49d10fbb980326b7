#!/usr/bin/env bash
# The WebAssembly build: clippy, build (pinned wasm-bindgen CLI, npm binaryen), the shared
# Node suites on the wasm backend, the example Worker in a real workerd (bundled from the
# packed package), every vector in headless Chromium and in Deno (npm's deno, importing the
# packed package by name), a Next.js edge route (the edge-light condition, built with Turbopack
# and with webpack, served by next start), and the size guard.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust
ensure_wasm_target

step "clippy -D warnings (hookproof-wasm, for wasm32)"
cargo clippy -p hookproof-wasm --target wasm32-unknown-unknown -- -D warnings
cargo fmt -p hookproof-wasm --check

step "Chromium from Debian (browser test)"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

step "npm package: native addon (the packed package carries both) and the wasm build"
(cd bindings-node && npm install --no-audit --no-fund --silent && npm run build --silent)
bash bindings-wasm/build.sh

step "the Node suites on the WebAssembly backend"
(cd bindings-node && npm run test:wasm)

step "workerd, Chromium, Deno, Next.js edge and size tests"
(
  cd bindings-wasm
  tests=(test/worker.test.mjs test/browser.test.mjs test/deno.test.mjs test/next.test.mjs test/size.test.mjs)
  all_tests_listed "${tests[*]}" test/*.test.mjs
  node --test "${tests[@]}"
)
