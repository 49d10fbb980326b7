#!/usr/bin/env bash
# The Python wheel: build it with maturin, install it into a fresh virtualenv, and run the
# tests against the installed wheel (not the source tree), then mypy on the stubs.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust
root=$PWD
py=bindings-python

step "clippy -D warnings (hookproof-python)"
cargo clippy -p hookproof-python --all-targets -- -D warnings
cargo fmt -p hookproof-python --check

step "build tools venv (maturin)"
tools=$py/.venv-build
[ -x $tools/bin/python ] || python3 -m venv $tools
$tools/bin/pip install -q maturin==1.16.0

step "maturin build --release (abi3 wheel)"
rm -rf $py/dist
$tools/bin/maturin build --release -m $py/Cargo.toml -o $py/dist --interpreter python3
wheel=$(ls $py/dist/hookproof-*.whl)
echo "wheel: $wheel ($(du -k "$wheel" | cut -f1) KB)"

step "fresh virtualenv with the wheel and the test dependencies"
venv=$(mktemp -d)/venv
python3 -m venv "$venv"
"$venv/bin/pip" install -q "$wheel" -r $py/requirements-test.txt

step "pytest against the installed wheel"
# Run from a scratch directory so `import hookproof` cannot pick up the source tree.
work=$(mktemp -d)
set +e
(cd "$work" && HOOKPROOF_REPO="$root" "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/$py/tests")
status=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
[ $status -eq 5 ] && { echo "pytest collected no tests"; exit 1; }
[ $status -eq 0 ] || exit $status

step "mypy --strict on the public API (stubs and typed helpers)"
(cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental "$root/$py/tests/typecheck_usage.py")
(cd "$work" && "$venv/bin/python" -m mypy.stubtest hookproof._hookproof --ignore-missing-stub)
(cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental -p hookproof)
