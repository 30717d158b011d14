import * as assert from 'node:assert/strict';
import { ERROR_KINDS, errorKindOfStatus, isGraded, isRetried, statusWording, type ErrorKind } from '../../src/core/task/errorKinds';

describe('error kinds', () => {
  it('maps HTTP statuses onto kinds, retrying only what a second try can fix', () => {
    const seen = [401, 403, 404, 408, 400, 413, 422, 429, 500, 502, 503].map((s) => [s, errorKindOfStatus(s), isRetried(errorKindOfStatus(s), s)]);
    assert.deepEqual(seen, [
      [401, 'auth', false],
      [403, 'auth', false],
      [404, 'not-found', false],
      [408, 'timeout', true],
      [400, 'request', false],
      [413, 'request', false],
      [422, 'request', false],
      [429, 'rate-limit', true],
      [500, 'server', true],
      [502, 'server', true],
      [503, 'server', true],
    ]);
    assert.equal(isRetried('timeout', undefined), false, 'our own time limit running out is not retried');
    assert.equal(isRetried('network', undefined), true);
    assert.equal(isRetried('server', undefined), true, 'a stream that broke mid-way');
    assert.equal(isRetried('server', 200), false, 'a 200 that is not a stream would come back the same');
  });

  it('grades only what the model did: a malformed or truncated answer; every other failure is left for the next run', () => {
    const kinds = Object.keys(ERROR_KINDS) as ErrorKind[];
    assert.deepEqual(kinds.filter(isGraded), ['malformed-output', 'truncated']);
    assert.ok(kinds.every((k) => ERROR_KINDS[k].means.length > 0));
  });

  it('starts a provider message with words for its kind', () => {
    assert.deepEqual(['auth', 'not-found', 'rate-limit', 'timeout', 'request', 'server', 'network'].map((k) => statusWording(k as ErrorKind)), [
      'Not authorised',
      'Model or endpoint not found',
      'Rate limited',
      'The server timed out',
      'Request refused',
      'Server error',
      'Server error',
    ]);
  });
});
