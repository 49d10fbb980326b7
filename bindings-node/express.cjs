'use strict';
module.exports = require('./express.mjs');
