#!/usr/bin/env bash
# README command (1): build everything (CLI, native addon, wasm package, wheel) and run the
# end-to-end demo: real receivers (Express on the npm package, FastAPI on the installed wheel,
# the example Worker in workerd) get a valid, a tampered and a stale webhook of every
# provider from `hookproof send`.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust
ensure_python_venv

step "build the hookproof CLI"
cargo build --release -p hookproof-cli

step "build the npm package (native addon and wasm build, with workerd and esbuild)"
(cd bindings-node && npm install --no-audit --no-fund --silent && npm run build --silent)
bash bindings-wasm/build.sh

step "build the wheel and install it with FastAPI into a virtualenv"
venv=bindings-python/.venv-demo
[ -x $venv/bin/python ] || python3 -m venv $venv
$venv/bin/pip install -q maturin==1.16.0
rm -rf bindings-python/dist
$venv/bin/maturin build --release -m bindings-python/Cargo.toml -o bindings-python/dist --interpreter python3 >/dev/null
$venv/bin/pip install -q --force-reinstall bindings-python/dist/hookproof-*.whl fastapi==0.165.0 uvicorn==0.54.0

step "deliver webhooks to every receiver"
$venv/bin/python tests/demo/run_demo.py "$CARGO_TARGET_DIR/release/hookproof" "$venv/bin/python"
