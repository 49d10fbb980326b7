// Cloudflare Workers (workerd): the .wasm is a static module import that the bundler
// (wrangler) ships; Workers forbid compiling bytes at run time.
import wasmModule from './hookproof_wasm_bg.wasm';
import { initSync } from './hookproof_wasm.js';
import * as wasm from './hookproof_wasm.js';
import { makeBackend } from './backend.mjs';
import { createApi } from '../lib/api.mjs';

initSync({ module: wasmModule });
const api = createApi(makeBackend(wasm), { implementation: 'wasm' });

export const { Verifier, WebhookVerificationError, sign, parse, extendEchoResponse, verifyRequest, statusFor, implementation, providers } = api;
export default api;
