#!/usr/bin/env bash
# Packs the npm package, installs the tarball into a fresh project outside the repo, and
# runs a user's script there plus the vector and Express suites against the installed copy, in
# Node and in Bun.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$here"
tarball=$(npm pack --silent --pack-destination "$work" | tail -1)
size=$(du -k "$work/$tarball" | cut -f1)
echo "packed $tarball (${size} KB)"
listing=$(tar -tzf "$work/$tarball")
echo "$listing" | sed 's/^/  /'
# (grep on a variable: `tar | grep -q` trips pipefail when grep exits early.)
if grep -qE '(^|/)(src|target|test|node_modules)/|Cargo\.toml|\.rs$' <<<"$listing"; then
  echo "the package contains source or build trees" >&2; exit 1
fi
grep -q '\.node$' <<<"$listing" || { echo "the package has no native addon" >&2; exit 1; }
for f in LICENSE-MIT LICENSE-APACHE; do
  grep -qx "package/$f" <<<"$listing" || { echo "the package has no $f" >&2; exit 1; }
done
# One module serves the web and Node glue (build.sh points the Node glue at it).
[ "$(grep -c '\.wasm$' <<<"$listing")" = 1 ] || { echo "the package should carry one .wasm" >&2; exit 1; }

mkdir "$work/app" && cd "$work/app"
npm init -y >/dev/null
# express comes from the dev install's copy via the registry cache; the package itself from the tarball.
npm install --silent --no-audit --no-fund "$work/$tarball" express@5.3.0 >/dev/null 2>&1
cat > verify.mjs <<'JS'
import { Verifier, sign, implementation } from 'hookproof';
const centra = new Verifier('centra', { secret: 'test123' });
const v = centra.verify(
  { 'x-centra-signature': 't=12345678,v1=0b9cd84f5d583e5e1aadfb9f160aa8080b51d5b85ff85808d6b75bdac356c549' },
  'payload=%7B%22x%22%3A%22test%22%7D',
  { now: 12345678 },
);
const req = sign('extend', { secret: 's' }, '{"Id":"1"}');
const event = new Verifier('extend', { secret: 's' }).verifyAndParse(req.headers, req.body);
console.log(`installed package (${implementation}) verified Centra's doc example at ${v.timestamp} and an Extend event ${event.idempotency_key}`);
JS
cat > verify.cjs <<'JS'
const { Verifier, WebhookVerificationError, implementation } = require('hookproof');
try { new Verifier('centra', { secret: 's' }).verify({}, 'x'); } catch (e) {
  if (!(e instanceof WebhookVerificationError) || e.code !== 'missing_header') throw e;
  console.log(`CommonJS require works (${implementation}):`, e.code);
}
JS
node verify.mjs
node verify.cjs
# The types as a user's project gets them from the tarball: the usage files, an ES module and a
# CommonJS one, under node16 (the strictest about module formats), in the project's directory.
dev() { node -p "require('$here/package.json').devDependencies['$1']"; }
npm install --silent --no-audit --no-fund "@types/express@$(dev @types/express)" "@types/node@$(dev @types/node)" >/dev/null 2>&1
cp "$here/test/types/usage.mts" "$here/test/types/usage.cts" .
"$here/node_modules/.bin/tsc" --noEmit --strict --skipLibCheck false --module node16 --moduleResolution node16 \
  --target es2022 --lib es2022,dom --types node usage.mts usage.cts
echo "the installed package's types check from an ES module and a CommonJS TypeScript file"
# The same suites, against the installed package. They live in the repo, where the bare name
# `hookproof` would resolve to the repo's own package (self-reference): so resolve the names
# here, in the user's project, through the installed package's exports map.
resolve() { node --input-type=module -e "console.log(import.meta.resolve('$1'))"; }
api_url=$(resolve hookproof)
express_url=$(resolve hookproof/express)
case "$api_url $express_url" in
  "file://$work/app/node_modules/hookproof/"*" file://$work/app/node_modules/hookproof/"*) ;;
  *) echo "the installed package resolved outside the project: $api_url $express_url" >&2; exit 1 ;;
esac
export HOOKPROOF_PACKAGE="$api_url" HOOKPROOF_EXPRESS="$express_url" HOOKPROOF_REPO="$repo"
node --test "$here/test/vectors.test.mjs" "$here/test/express.test.mjs" "$here/test/readme.test.mjs" 2>&1 | tail -8
# The installed package's WebAssembly fallback (wasm/node.cjs and wasm/node/), as Node loads it
# where the addon cannot.
HOOKPROOF_FORCE_WASM=1 HOOKPROOF_EXPECT=wasm node --test "$here/test/vectors.test.mjs" 2>&1 | tail -8

# The fallback for real, without the switch: a platform with no addon in the package (deleted),
# and one whose addon cannot load (a file that is not a shared object, as an addon for another
# libc or CPU fails). Both must pick the WebAssembly build on their own, ESM and CommonJS alike.
for broken in missing unloadable; do
  mkdir "$work/$broken" && cd "$work/$broken"
  npm init -y >/dev/null
  npm install --silent --no-audit --no-fund --offline "$work/$tarball" >/dev/null
  addons=(node_modules/hookproof/*.node)
  [ -f "${addons[0]}" ] || { echo "no addon installed to break" >&2; exit 1; }
  if [ "$broken" = missing ]; then rm -f "${addons[@]}"; else for a in "${addons[@]}"; do echo 'not an addon' > "$a"; done; fi
  cp "$work/app/verify.mjs" "$work/app/verify.cjs" .
  out=$(node verify.mjs && node verify.cjs)
  echo "addon $broken: $out"
  grep -q '^installed package (wasm) verified' <<<"$out" && grep -q '^CommonJS require works (wasm)' <<<"$out" \
    || { echo "addon $broken: not on the wasm fallback" >&2; exit 1; }
  HOOKPROOF_PACKAGE="$(resolve hookproof)" HOOKPROOF_EXPECT=wasm node --test "$here/test/vectors.test.mjs" 2>&1 | tail -8
done
cd "$work/app"

# Bun (npm's `bun`, pinned in devDependencies) loads napi addons: the package's `node`
# condition must give it the native addon, and the suites must pass there, and on the
# WebAssembly fallback.
bun="$here/node_modules/.bin/bun"
bun_url=$(cd "$work/app" && "$bun" -e "console.log(import.meta.resolve('hookproof'))")
[ "$bun_url" = "$api_url" ] || { echo "Bun resolved hookproof to $bun_url, Node to $api_url" >&2; exit 1; }
(cd "$work/app" && "$bun" verify.mjs && "$bun" verify.cjs)
# bun test exits non-zero on a failure; also require that it ran tests and failed none.
bun_test() {
  local out; out=$("$bun" test "$@" 2>&1) || { echo "$out"; return 1; }
  grep -E '^ *[0-9]+ (pass|fail|skip|todo)$|^Ran ' <<<"$out"
  grep -qE '^ *[1-9][0-9]* pass$' <<<"$out" && grep -qE '^ *0 fail$' <<<"$out" \
    || { echo "$out"; echo "bun test ran no tests, or some failed" >&2; return 1; }
}
bun_test "$here/test/vectors.test.mjs" "$here/test/api.test.mjs" "$here/test/express.test.mjs"
HOOKPROOF_FORCE_WASM=1 HOOKPROOF_EXPECT=wasm bun_test "$here/test/vectors.test.mjs" "$here/test/api.test.mjs"
