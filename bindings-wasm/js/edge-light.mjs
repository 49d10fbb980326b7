// Vercel and Next.js edge functions (the `edge-light` condition): like Workers, the edge
// runtime forbids compiling bytes at run time, so the .wasm is a `?module` import, which Next
// ships as a WebAssembly.Module binding of the function.
import wasmModule from './hookproof_wasm_bg.wasm?module';
import { initSync } from './hookproof_wasm.js';
import * as wasm from './hookproof_wasm.js';
import { makeBackend } from './backend.mjs';
import { createApi } from '../lib/api.mjs';

// Next's local server (next dev / next start) compiles the binding outside the sandbox's
// realm, so the glue's `instanceof WebAssembly.Module` fails and it would recompile (which
// the edge runtime forbids). WebAssembly checks the object, not its prototype: adopt the
// prototype instead. Only for a module of another realm (its tag says so); on Vercel the
// module is the isolate's own and this does nothing, and bytes from another bundler's
// loader are left for the glue to compile.
if (!(wasmModule instanceof WebAssembly.Module) && Object.prototype.toString.call(wasmModule) === '[object WebAssembly.Module]') {
  Object.setPrototypeOf(wasmModule, WebAssembly.Module.prototype);
}
initSync({ module: wasmModule });
const api = createApi(makeBackend(wasm), { implementation: 'wasm' });

export const { Verifier, WebhookVerificationError, sign, parse, extendEchoResponse, verifyRequest, statusFor, implementation, providers } = api;
export default api;
