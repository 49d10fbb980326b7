# Shared helpers for the .ci scripts (sourced).
step() { printf '\n--- %s\n' "$*"; }

# Rust components and targets the suites need; rustup fetches them from its own channel.
ensure_rust() {
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
  # The versions, not `command -v`: rustup's shims exist whether or not the components do.
  cargo clippy --version >/dev/null 2>&1 && rustfmt --version >/dev/null 2>&1 \
    || { echo "rustfmt/clippy unavailable" >&2; return 1; }
  # The committed lock files must already hold what the manifests ask: otherwise every cargo
  # call would quietly resolve other versions than the ones committed.
  local manifest
  for manifest in Cargo.toml core/fuzz/Cargo.toml; do
    cargo metadata --locked --format-version 1 --manifest-path "$manifest" >/dev/null || {
      echo "cargo metadata --locked failed for $manifest (above): if its lock needs updating, run" \
        "cargo update -w --manifest-path $manifest and commit the lock" >&2
      return 1
    }
  done
}

# Debian's python3 has no venv/ensurepip until python3-venv is installed (pyenv and
# python.org builds have them).
ensure_python_venv() {
  command -v python3 >/dev/null || { echo "python3 is missing" >&2; return 1; }
  python3 -c 'import ensurepip, venv' 2>/dev/null && return 0
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null \
    || { echo "python3 has no venv module and python3-venv cannot be installed" >&2; return 1; }
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown \
    || { echo "cannot add the wasm32-unknown-unknown target" >&2; return 1; }
}

# The suites' test files are listed by hand (the wasm run leaves out the native-only one): fail
# when a file is in none of the lists, or a new test file would never run.
all_tests_listed() {
  local listed=$1 f; shift
  for f in "$@"; do
    grep -qF "$f" <<<"$listed" || { echo "$f is in no test command: list it" >&2; return 1; }
  done
}
