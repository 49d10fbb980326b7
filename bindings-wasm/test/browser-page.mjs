// Runs in Chromium: every vector through the browser build (web.mjs), same rules as Node.
import * as api from '/pkg/wasm/web.mjs';
import { runVectors } from '/test/vector-runner.mjs';

const results = await runVectors(api, async (p) => (await fetch(`/vectors/${p}.json`)).json());
window.__hookproof = results;
document.body.textContent = JSON.stringify(results);
