#!/usr/bin/env bash
# The Python wheels: clippy, build the cp310-abi3 and cp39-abi3 wheels with maturin, audit their
# ABI, install each into FRESH virtualenvs, run the tests against the installed wheel (not the
# source tree), mypy --strict and stubtest, and the tests again on the other Pythons found and
# on the sdist compiled by pip.
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
ABI3AUDIT_VERSION=0.0.26
ZIGLANG_VERSION=0.17.1

step "clippy -D warnings and rustfmt (hookproof-python)"
cargo clippy -p hookproof-python --all-targets -- -D warnings
cargo clippy -p hookproof-python --all-targets --features abi3-py39 -- -D warnings
cargo fmt -p hookproof-python --check

step "build tools venv (maturin $MATURIN_VERSION, abi3audit $ABI3AUDIT_VERSION, ziglang $ZIGLANG_VERSION)"
tools=$py/.venv-build
[ -x "$tools/bin/python" ] || python3 -m venv "$tools"
"$tools/bin/pip" install -q --disable-pip-version-check "maturin==$MATURIN_VERSION" \
  "abi3audit==$ABI3AUDIT_VERSION" "ziglang==$ZIGLANG_VERSION"

step "maturin build --release: the cp310-abi3 wheel, and the cp39-abi3 one (--features abi3-py39)"
# Linked by zig against glibc 2.17 (manylinux2014), so the wheels install on distributions older
# than this machine (RHEL 8, Debian 11, Ubuntu 20.04); maturin refuses a newer symbol. It finds
# zig as the tools venv's `python -m ziglang`.
rm -rf "$py/dist"
for features in "" abi3-py39; do
  PATH="$tools/bin:$PATH" "$tools/bin/maturin" build --release -m "$py/Cargo.toml" -o "$py/dist" \
    --interpreter python3 --zig --compatibility manylinux2014 ${features:+--features "$features"}
done
one_wheel() {
  local w=("$py"/dist/hookproof-*-"$1"-*.whl)
  [ ${#w[@]} -eq 1 ] && [ -f "${w[0]}" ] || { echo "expected one $1 wheel in $py/dist" >&2; exit 1; }
  echo "${w[0]}"
}
wheel=$(one_wheel cp310-abi3)
wheel39=$(one_wheel cp39-abi3)
for w in "$wheel" "$wheel39"; do
  [[ $(basename "$w") == *manylinux2014_$(uname -m)* ]] || { echo "$w is not a manylinux2014 wheel" >&2; exit 1; }
done
wheel_kb=$(( $(stat -c %s "$wheel") / 1024 ))
echo "wheels: $(basename "$wheel") ($wheel_kb KB), $(basename "$wheel39")"

step "abi3audit: each wheel imports only the stable ABI of the version its tag claims"
# Loading on Linux proves little: libpython exports every function, stable or not. (A wheel
# that reads text through PyUnicode_AsUTF8AndSize but is tagged cp39 fails here; on Windows'
# 3.9 it would fail at import.)
"$tools/bin/abi3audit" --strict --summary "$wheel" "$wheel39"

# Installs hookproof into the virtualenv $1 as pip picks it from the two wheels (no index), or
# the wheel file $4 when given, checks that it got the wheel tagged $2 (pip prefers the newest
# abi3 tag an interpreter accepts: 3.10+ must never get the 3.9 wheel's copying header reads),
# then installs the test dependencies $3.
install_wheel() {
  if [ -n "${4:-}" ]; then
    "$1/bin/pip" install -q --disable-pip-version-check "$4"
  else
    "$1/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$py/dist" hookproof
  fi
  local tag
  tag=$("$1/bin/python" -c 'from importlib.metadata import distribution as d
print(next(l.split()[1] for l in d("hookproof").read_text("WHEEL").splitlines() if l.startswith("Tag:")))')
  case "$tag" in
    "$2"-*) echo "installed $tag for $("$1/bin/python" -V)" ;;
    *) echo "installed $tag for $("$1/bin/python" -V), expected $2" >&2; exit 1 ;;
  esac
  "$1/bin/pip" install -q --disable-pip-version-check -r "$3"
}

step "fresh virtualenv with the wheel and the pinned test dependencies"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
venv=$scratch/venv
python3 -m venv "$venv"
install_wheel "$venv" cp310-abi3 "$py/requirements-test.txt"

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

step "mypy --strict on a typed usage file, the package and every vector's detail; stubtest against the wheel"
(cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null \
  "$py/tests/typecheck_usage.py")
(cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null -p hookproof)
# The detail TypedDicts against every event the shared vectors parse to (a literal per event).
(cd "$py/tests" && "$venv/bin/python" typed_vectors.py > "$work/typed_vectors_check.py")
(cd "$work" && "$venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null typed_vectors_check.py)
(cd "$work" && "$venv/bin/python" -m mypy.stubtest hookproof --ignore-missing-stub \
  --allowlist "$py/stubtest-allowlist.txt")

# The wheels on other Pythons. At each floor: an abi3 wheel that uses a stable-ABI function
# newer than its tag claims fails only there, at import. On the newest: what the stable ABI
# promises for later versions. Debian has only 3.11; pyenv machines have the others. (pyenv's
# shims are on PATH even where they cannot run: try each candidate.)
others=()
# The suite in a fresh virtualenv of the interpreter $1; $2-$4 as for install_wheel.
test_on() {
  local name
  name=$(basename "$1")-$2
  "$1" -m venv "$scratch/venv-$name"
  install_wheel "$scratch/venv-$name" "$2" "$3" "${4:-}"
  run_pytest "$scratch/venv-$name" "$scratch/pytest-$name.log"
  others+=("$("$1" -V), $2: $(tail -n 1 "$scratch/pytest-$name.log")")
}
# $1: version, $2: the wheel tag pip must pick, $3: the pinned test dependencies there.
on_python() {
  local interp="" c
  for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/python"$1" $(command -v "python$1" || true); do
    if [ -x "$c" ] && "$c" -c 'import venv, ensurepip' 2>/dev/null; then interp=$c; break; fi
  done
  if [ -z "$interp" ]; then
    others+=("NOT TESTED: no Python $1 interpreter on this machine (python$1 or pyenv $1.x)")
    return
  fi
  test_on "$interp" "$2" "$3"
}

step "the cp39-abi3 wheel's own code (its copying header reads) on this python3"
# Every machine runs it, not only those with a 3.9: any abi3 wheel installs on a newer Python.
test_on python3 cp39-abi3 "$py/requirements-test.txt" "$wheel39"

step "the sdist, which pip compiles where no wheel matches (macOS, Windows, Arm): the suite on it"
"$tools/bin/maturin" sdist -m "$py/Cargo.toml" -o "$scratch/sdist"
sdist=("$scratch"/sdist/hookproof-*.tar.gz)
python3 -m venv "$scratch/venv-sdist"
# pip builds it with the newest maturin its build-system allows: pinned as above instead.
echo "maturin==$MATURIN_VERSION" > "$scratch/build-constraints.txt"
PIP_CONSTRAINT="$scratch/build-constraints.txt" \
  install_wheel "$scratch/venv-sdist" cp310-abi3 "$py/requirements-test.txt" "${sdist[0]}"
run_pytest "$scratch/venv-sdist" "$scratch/pytest-sdist.log"
others+=("$(python3 -V), built from the sdist: $(tail -n 1 "$scratch/pytest-sdist.log")")

step "the wheels on other Pythons: cp39-abi3 on 3.9, cp310-abi3 on 3.10 (its floor) and 3.13"
on_python 3.9 cp39-abi3 "$py/requirements-test-py39.txt"
on_python 3.10 cp310-abi3 "$py/requirements-test-py310.txt"
on_python 3.13 cp310-abi3 "$py/requirements-test.txt"

step "summary (python)"
echo "wheels:  $(basename "$wheel") ($wheel_kb KB), $(basename "$wheel39")"
echo "pytest:  $pytest_summary"
printf 'also:    %s\n' "${others[@]}"
echo "mypy:    --strict clean (usage file, package, detail types against the vectors); stubtest clean"
