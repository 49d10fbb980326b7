// Browsers, Deno and other runtimes with fetch: instantiate the module from its URL.
import init from './hookproof_wasm.js';
import { makeBackend } from './backend.mjs';
import { createApi } from '../lib/api.mjs';
import * as wasm from './hookproof_wasm.js';

await init({ module_or_path: new URL('./hookproof_wasm_bg.wasm', import.meta.url) });
const api = createApi(makeBackend(wasm), { implementation: 'wasm' });

export const { Verifier, WebhookVerificationError, sign, parse, extendEchoResponse, verifyRequest, statusFor, implementation, providers } = api;
export default api;
