'use strict';
// Node fallback backend (no native addon for this platform): the nodejs-target module.
const wasm = require('./node/hookproof_wasm.js');
const { makeBackend } = require('./backend.mjs');

module.exports = makeBackend(wasm);
