// Benchmarks verification inside a real workerd: idiomatic WebCrypto code vs hookproof's
// sync wasm verify and verifyAsync (wasm below 2 KB, WebCrypto above), for 256 B, 2 KB and
// 20 KB bodies. Also hookproof's wasm build vs the native addon in Node.
//   node bindings-wasm/bench/run.mjs        (after bindings-wasm/build.sh and the addon build)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, serve } from '../test/workerd-harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, '..', '..', 'bindings-node');
const api = await import(join(pkgDir, 'index.mjs'));
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

// Verifications per request. The HTTP round trip (~1 ms) is timed with n=0 in the same run and
// subtracted, so it pulls neither side's time toward the other's.
const N = Number(process.env.N ?? 5000);
if (!Number.isSafeInteger(N) || N < 1) throw new Error(`N is a whole number of verifications per request, not ${process.env.N}`);

const dist = mkdtempSync(join(tmpdir(), 'hookproof-bench-'));
let base;
let workerd;
async function bestRequest(mode, req, n) {
  const run = async () => {
    const t = process.hrtime.bigint();
    const res = await fetch(`${base}/${mode}?n=${n}`, { method: 'POST', headers: req.headers, body: req.body });
    if (res.status !== 200) throw new Error(`${mode}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return Number(process.hrtime.bigint() - t) / 1e3;
  };
  for (let i = 0; i < 3; i++) await run();
  let best = Infinity;
  for (let i = 0; i < 7; i++) best = Math.min(best, await run());
  return best;
}
async function timeMode(mode, req, roundTrip) {
  return ((await bestRequest(mode, req, N)) - roundTrip) / N;
}

try {
  bundle(join(here, 'worker.js'), dist, pkgDir);
  ({ base, child: workerd } = await serve(dist, join(pkgDir, 'wasm', 'hookproof_wasm_bg.wasm')));
  console.log(`inside workerd, per verification (best of 7 requests x ${N}, less the round trip); ratio = idiomatic / ours`);
  console.log(`${'body'.padEnd(8)}${'idiomatic'.padStart(12)}${'sync wasm'.padStart(12)}${'ratio'.padStart(8)}${'verifyAsync'.padStart(13)}${'ratio'.padStart(8)}`);
  for (const size of [256, 2048, 20480]) {
    const payload = JSON.stringify({ type: 'bench', data: 'x'.repeat(Math.max(0, size - 30)) });
    const req = api.sign('standardwebhooks', { secret: SECRET }, payload);
    const roundTrip = await bestRequest('idiomatic', req, 0);
    const [i, s, a] = [await timeMode('idiomatic', req, roundTrip), await timeMode('sync', req, roundTrip), await timeMode('async', req, roundTrip)];
    console.log(`${(payload.length + 'B').padEnd(8)}${i.toFixed(2).padStart(10)}us${s.toFixed(2).padStart(10)}us${(i / s).toFixed(2).padStart(7)}x${a.toFixed(2).padStart(11)}us${(i / a).toFixed(2).padStart(7)}x`);
  }
} finally {
  workerd?.kill();
  rmSync(dist, { recursive: true, force: true });
}

// The wasm build against the native addon, in Node.
process.env.HOOKPROOF_FORCE_WASM = '1';
const wasmBackend = (await import(join(pkgDir, 'wasm', 'node.cjs'))).default;
const { createApi } = await import(join(pkgDir, 'lib', 'api.mjs'));
const wasmApi = createApi(wasmBackend, { implementation: 'wasm' });
console.log('\nin Node, verify per call: native addon vs wasm build');
for (const size of [256, 2048, 20480]) {
  const payload = JSON.stringify({ type: 'bench', data: 'x'.repeat(Math.max(0, size - 30)) });
  const req = api.sign('standardwebhooks', { secret: SECRET }, payload);
  const body = Buffer.from(req.body);
  const time = (v) => {
    for (let i = 0; i < 2000; i++) v.verify(req.headers, body);
    const n = 20000;
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) v.verify(req.headers, body);
    return Number(process.hrtime.bigint() - t) / 1e3 / n;
  };
  const native = time(new api.Verifier('standardwebhooks', { secret: SECRET }));
  const wasm = time(new wasmApi.Verifier('standardwebhooks', { secret: SECRET }));
  console.log(`${(payload.length + 'B').padEnd(8)} native ${native.toFixed(2)}us  wasm ${wasm.toFixed(2)}us  wasm/native ${(wasm / native).toFixed(2)}x`);
}
