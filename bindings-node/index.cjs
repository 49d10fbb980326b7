'use strict';
// CommonJS entry: the same module instance as the ESM entry (Node >= 20.19 can require ESM),
// so `instanceof WebhookVerificationError` holds whichever way it was loaded.
module.exports = require('./index.mjs');
