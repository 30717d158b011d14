const assert = require('assert');

// ...
// The helpers below are shared by every test in this file.

function makeRequest(path) {
  return { method: 'GET', path: path, headers: {} };
}

function expectOk(res) {
  assert.strictEqual(res.status, 200);
}

module.exports = { makeRequest, expectOk };
