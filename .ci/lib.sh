# Shared helpers for the .ci scripts (sourced).
step() { printf '\n--- %s\n' "$*"; }

# Rust components and targets the suites need; rustup fetches them from its own channel.
ensure_rust() {
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
  command -v cargo-clippy >/dev/null && command -v rustfmt >/dev/null \
    || { echo "rustfmt/clippy unavailable" >&2; return 1; }
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown \
    || { echo "cannot add the wasm32-unknown-unknown target" >&2; return 1; }
}
