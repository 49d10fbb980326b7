#!/usr/bin/env bash
# Builds the WebAssembly package into bindings-node/wasm/: cargo (wasm32, size profile),
# the pinned wasm-bindgen CLI (web and nodejs targets), npm binaryen's wasm-opt -Oz, glue.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pin in Cargo.toml

rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown \
  || { echo "cannot add the wasm32-unknown-unknown target" >&2; exit 1; }
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  # No --locked: the CLI's lock file names crates this registry view lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
(cd "$here" && npm install --no-audit --no-fund --silent)

# Panic locations name their source files: strip the registry directory so the module does not
# carry this machine's paths (and is the same wherever CARGO_HOME is). Target-only flags.
remap=()
for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$d" ] && remap+=("--remap-path-prefix=$d=")
done
# SIMD128 (every engine since 2023: Chrome 91, Firefox 89, Safari 16.4, Node 16.4, Deno 1.9,
# workerd) selects sha2's wasm SIMD rounds: 3 KB of code instead of 19 KB of unrolled scalar
# ones, and a third faster (20 KB sync verify in workerd 73 -> 55 us).
flags=$(printf '%s\x1f' "${remap[@]}" -Ctarget-feature=+simd128)
CARGO_ENCODED_RUSTFLAGS="${flags%$'\x1f'}" \
  cargo build --profile wasm --target wasm32-unknown-unknown -p hookproof-wasm
raw="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm/hookproof_wasm.wasm"

out="$root/bindings-node/wasm"
rm -rf "$out" && mkdir -p "$out/node"
# Every entry passes the module (or its URL) to the glue: without its own default URL, bundlers
# that follow `new URL(..., import.meta.url)` (Next's edge build) do not ship a second copy.
wasm-bindgen --target web --omit-default-module-path --out-dir "$out" --no-typescript "$raw"
wasm-bindgen --target nodejs --out-dir "$out/node" --no-typescript "$raw"
# Both targets emit the same module: the Node glue reads the web one rather than the package
# carrying it twice. Checked, since a wasm-bindgen upgrade could change either.
cmp -s "$out/hookproof_wasm_bg.wasm" "$out/node/hookproof_wasm_bg.wasm" \
  || { echo "build.sh: the web and nodejs targets' modules differ" >&2; exit 1; }
rm "$out/node/hookproof_wasm_bg.wasm"
glue="$out/node/hookproof_wasm.js"
# A copy beside the glue wins: an app bundled into dist/ copies the module next to its bundle.
sed -i 's|`${__dirname}/hookproof_wasm_bg.wasm`|((p) => require("fs").existsSync(p) ? p : `${__dirname}/../hookproof_wasm_bg.wasm`)(`${__dirname}/hookproof_wasm_bg.wasm`)|' "$glue"
grep -qF '`${__dirname}/../hookproof_wasm_bg.wasm`)' "$glue" \
  || { echo "build.sh: the nodejs glue no longer names its module as it did" >&2; exit 1; }
# Debian's wasm-opt (108) emits modules that fail to instantiate: use npm's binaryen.
f="$out/hookproof_wasm_bg.wasm"
"$here/node_modules/.bin/wasm-opt" -Oz --converge --enable-simd --strip-debug --strip-producers "$f" -o "$f"
cp "$here"/js/*.mjs "$here"/js/node.cjs "$out/"
# The package is "type": "module"; the nodejs-target glue is CommonJS.
echo '{ "type": "commonjs" }' > "$out/node/package.json"
echo "wasm: $(stat -c %s "$out/hookproof_wasm_bg.wasm") bytes, $(gzip -9 -c "$out/hookproof_wasm_bg.wasm" | wc -c) gzipped"
