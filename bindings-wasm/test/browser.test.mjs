// Headless Chromium (Debian's /usr/bin/chromium via playwright-core) loads a page served on
// 127.0.0.1 that imports the browser build and runs every vector; any failure fails the test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const roots = { '/pkg/': join(repo, 'bindings-node'), '/vectors/': join(repo, 'tests', 'vectors'), '/test/': here };
const types = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.html': 'text/html' };

function serve() {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<!doctype html><title>hookproof</title><body>running<script type="module" src="/test/browser-page.mjs"></script>');
      }
      for (const [prefix, dir] of Object.entries(roots)) {
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

test('every vector passes in headless Chromium', { timeout: 120000 }, async () => {
  const server = await serve();
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
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.__hookproof !== undefined || document.body.dataset.error, null, { timeout: 60000 }).catch(() => {});
    const results = await page.evaluate(() => window.__hookproof);
    assert.deepEqual(errors, [], 'page errors');
    assert.ok(results, 'the page reported nothing');
    assert.equal(results.implementation, 'wasm');
    assert.deepEqual(results.failed, []);
    assert.ok(results.passed >= 120, `only ${results.passed} passed`);
    console.log(`chromium: ${results.passed} vectors passed`);
  } finally {
    await browser.close();
    server.close();
  }
});
