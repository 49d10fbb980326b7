// Headless Chromium (Debian's /usr/bin/chromium via playwright-core) runs every vector through
// the browser build, on a page served on 127.0.0.1 and in a Web Worker bundled by webpack from
// the installed package; any failure fails the test.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import webpack from 'webpack';
import { installPacked, vectorTotal } from './workerd-harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const roots = { '/pkg/': join(repo, 'bindings-node'), '/vectors/': join(repo, 'tests', 'vectors'), '/test/': here };
const types = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.html': 'text/html' };
const pages = {
  '/': '<script type="module" src="/test/browser-page.mjs"></script>',
  // The worker posts its results (or its error) back; the page keeps them where the test reads.
  '/webworker': `<script>
    const w = new Worker('/webworker/worker.js');
    w.onmessage = (e) => { window.__hookproof = e.data; };
    w.onerror = (e) => { window.__hookproof = { error: e.message }; };
  </script>`,
};

/** Serves `roots` (plus `extra`: URL prefix -> directory) and `pages` on 127.0.0.1. */
function serve(extra = {}) {
  const dirs = { ...roots, ...extra };
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (pages[url.pathname]) {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<!doctype html><title>hookproof</title><body>running${pages[url.pathname]}`);
      }
      for (const [prefix, dir] of Object.entries(dirs)) {
        if (url.pathname.startsWith(prefix)) {
          const file = normalize(join(dir, url.pathname.slice(prefix.length)));
          if (!file.startsWith(dir)) break;
          try {
            const body = readFileSync(file);
            res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
            return res.end(body);
          } catch {
            break;
          }
        }
      }
      res.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Opens `path` in headless Chromium and returns what the page left in `window.__hookproof`. */
async function resultsOf(server, path) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    // playwright gives every launch a fresh profile of its own (a --user-data-dir here hangs it).
    timeout: 60000,
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}${path}`);
    await page.waitForFunction(() => window.__hookproof !== undefined || document.body.dataset.error, null, { timeout: 60000 }).catch(() => {});
    const results = await page.evaluate(() => window.__hookproof);
    assert.deepEqual(errors, [], 'page errors');
    assert.ok(results, 'the page reported nothing');
    assert.equal(results.error, undefined, `the page failed: ${results.error}`);
    assert.equal(results.implementation, 'wasm');
    assert.deepEqual(results.failed, []);
    assert.equal(results.cases, vectorTotal(), 'every vector case ran');
    return results;
  } finally {
    await browser.close();
  }
}

test('every vector passes in headless Chromium', { timeout: 120000 }, async () => {
  const server = await serve();
  try {
    const results = await resultsOf(server, '/');
    console.log(`chromium: ${results.passed} vectors passed`);
  } finally {
    server.close();
  }
});

// webpack resolves the `worker` export condition for a Web Worker (target "webworker"), with
// no configuration: web.mjs's `new URL('./hookproof_wasm_bg.wasm', import.meta.url)` becomes an
// emitted asset. (A static `.wasm` import, as Workers need, does not build there.)
test('the `worker` condition: a webpack Web Worker bundle of the installed package', { timeout: 180000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'hookproof-webworker-'));
  try {
    const app = installPacked(work, join(repo, 'bindings-node'));
    const entry = join(app, 'worker.mjs');
    writeFileSync(
      entry,
      `import * as api from 'hookproof';
import { runVectors } from ${JSON.stringify(join(here, 'vector-runner.mjs'))};
runVectors(api, async (p) => (await fetch('/vectors/' + p + '.json')).json())
  .then((results) => postMessage(results), (e) => postMessage({ error: String(e?.stack ?? e) }));
`,
    );
    const dist = join(work, 'dist');
    const config = { mode: 'production', target: 'webworker', context: app, entry, output: { path: dist, filename: 'worker.js' }, performance: { hints: false } };
    const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
    assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
    const { modules, assets } = stats.toJson({ modules: true, assets: true });
    const names = modules.flatMap((m) => [m.name, ...(m.modules ?? []).map((n) => n.name)]);
    assert.ok(names.some((n) => n.endsWith('node_modules/hookproof/wasm/web.mjs')), `not web.mjs: ${names.join(', ')}`);
    assert.ok(assets.some((a) => a.name.endsWith('.wasm')), 'the .wasm is an emitted asset');
    const server = await serve({ '/webworker/': dist });
    try {
      const results = await resultsOf(server, '/webworker');
      console.log(`chromium web worker (webpack, \`worker\` condition): ${results.passed} vectors passed`);
    } finally {
      server.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
