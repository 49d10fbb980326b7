#!/usr/bin/env bash
# The Python wheel: clippy, build it with maturin, install it into a FRESH virtualenv, run the
# tests against the installed wheel (not the source tree), then mypy --strict and stubtest.
# Idempotent; needs only python3 (with venv), Rust and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/lib.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
ensure_rust
ensure_python_venv
root=$PWD
py=$root/bindings-python
MATURIN_VERSION=1.16.0

step "clippy -D warnings and rustfmt (hookproof-python)"
cargo clippy -p hookproof-python --all-targets -- -D warnings
cargo fmt -p hookproof-python --check

step "build tools venv (maturin $MATURIN_VERSION)"
tools=$py/.venv-build
[ -x "$tools/bin/python" ] || python3 -m venv "$tools"
"$tools/bin/pip" install -q --disable-pip-version-check "maturin==$MATURIN_VERSION"

step "maturin build --release (abi3 wheel)"
rm -rf "$py/dist"
"$tools/bin/maturin" build --release -m "$py/Cargo.toml" -o "$py/dist" --interpreter python3
wheels=("$py"/dist/hookproof-*-abi3-*.whl)
[ ${#wheels[@]} -eq 1 ] && [ -f "${wheels[0]}" ] || { echo "expected one abi3 wheel in $py/dist" >&2; exit 1; }
wheel=${wheels[0]}
wheel_kb=$(( $(stat -c %s "$wheel") / 1024 ))
echo "wheel: $(basename "$wheel") ($wheel_kb KB)"

step "fresh virtualenv with the wheel and the pinned test dependencies"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
venv=$scratch/venv
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "$wheel" -r "$py/requirements-test.txt"

# Runs the tests against the wheel installed in the virtualenv $1, logging to $2, from a
# scratch directory so `import hookproof` cannot pick up the source tree
# (test_runs_the_installed_wheel also checks that it comes from site-packages).
work=$scratch/work
mkdir -p "$work"
run_pytest() {
  local status
  set +e
  (cd "$work" && HOOKPROOF_REPO="$root" "$1/bin/python" -m pytest -q -p no:cacheprovider \
    "$py/tests" 2>&1 | tee "$2")
  status=${PIPESTATUS[0]}
  set -e
  # pytest exits 5 when it collected nothing: that is a failure here, not a pass.
  if [ "$status" -eq 5 ]; then echo "pytest collected no tests ($1)" >&2; exit 1; fi
  [ "$status" -eq 0 ] || exit "$status"
}

step "pytest against the installed wheel"
run_pytest "$venv" "$scratch/pytest.log"
pytest_summary=$(tail -n 1 "$scratch/pytest.log")

step "mypy --strict on a typed usage file and on the package; stubtest against the wheel"
(cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null \
  "$py/tests/typecheck_usage.py")
(cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null -p hookproof)
(cd "$work" && "$venv/bin/python" -m mypy.stubtest hookproof --ignore-missing-stub)

step "the abi3 floor: the same wheel and tests on Python 3.10"
# The wheel claims cp310-abi3 (requires-python >=3.10): a stable-ABI function newer than 3.10
# would fail only there, at import. Debian has no 3.10; pyenv machines do.
# (pyenv's shim for python3.10 is on PATH even where it cannot run: try each candidate.)
py310=
for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.*/bin/python3.10 $(command -v python3.10 || true); do
  if [ -x "$c" ] && "$c" -c 'import venv, ensurepip' 2>/dev/null; then py310=$c; break; fi
done
if [ -n "$py310" ]; then
  "$py310" -m venv "$scratch/venv310"
  "$scratch/venv310/bin/pip" install -q --disable-pip-version-check "$wheel" -r "$py/requirements-test-py310.txt"
  run_pytest "$scratch/venv310" "$scratch/pytest310.log"
  floor_summary="$("$py310" -V): $(tail -n 1 "$scratch/pytest310.log")"
else
  floor_summary="NOT TESTED: no Python 3.10 interpreter on this machine (python3.10 or pyenv 3.10.x)"
fi

step "summary (python)"
echo "wheel:   $(basename "$wheel"), $wheel_kb KB"
echo "pytest:  $pytest_summary"
echo "floor:   $floor_summary"
echo "mypy:    --strict clean (usage file and package); stubtest clean"
