// Node entry: the native addon, or the WebAssembly build when no addon matches this platform.
import { createRequire } from 'node:module';
import { createApi } from './lib/api.mjs';

const require = createRequire(import.meta.url);

function backend() {
  const { addon, errors } = require('./native.cjs');
  if (addon && process.env.HOOKPROOF_FORCE_WASM !== '1') return { backend: addon, implementation: 'native' };
  try {
    return { backend: require('./wasm/node.cjs'), implementation: 'wasm' };
  } catch (e) {
    throw new Error(
      `hookproof: no native addon for ${process.platform}-${process.arch} (${errors.join('; ')}) ` +
        `and no WebAssembly build (${e.message.split('\n')[0]})`,
    );
  }
}

const chosen = backend();
const api = createApi(chosen.backend, { implementation: chosen.implementation });

export const {
  Verifier,
  WebhookVerificationError,
  sign,
  parse,
  extendEchoResponse,
  verifyRequest,
  statusFor,
  implementation,
  providers,
} = api;
export default api;
