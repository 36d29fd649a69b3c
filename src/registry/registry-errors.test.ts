import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../base/errors.js';
import { scopesFor } from './registry-app.js';
import { registryError, registryErrorAnswer } from './registry-errors.js';

test('errors become the spec JSON with its status; lower layers map by reason and kind', () => {
  assert.deepEqual(registryErrorAnswer(registryError('BLOB_UNKNOWN', 'no', { digest: 'x' })), { status: 404, body: { errors: [{ code: 'BLOB_UNKNOWN', message: 'no', detail: { digest: 'x' } }] } });
  assert.equal(registryErrorAnswer(errors.dataLoss('digest-mismatch', 'bad')).body.errors[0]?.code, 'DIGEST_INVALID');
  assert.equal(registryErrorAnswer(errors.invalidArgument('invalid-document', 'bad')).body.errors[0]?.code, 'MANIFEST_INVALID');
  assert.equal(registryErrorAnswer(errors.unavailable('upstream-unreachable', 'down')).status, 503);
  assert.equal(registryErrorAnswer(new Error('boom')).status, 500);
  assert.equal(registryErrorAnswer(registryError('RANGE_INVALID', 'r')).status, 416);
});

test('scopes a request needs', () => {
  const blob = { family: 'blob' as const, name: 'a/b', digest: 'd' };
  assert.deepEqual(scopesFor(blob, 'GET'), [{ type: 'repository', name: 'a/b', actions: ['pull'] }]);
  assert.deepEqual(scopesFor(blob, 'DELETE'), [{ type: 'repository', name: 'a/b', actions: ['delete'] }]);
  assert.deepEqual(scopesFor({ family: 'upload', name: 'a/b', id: 'x' }, 'GET'), [{ type: 'repository', name: 'a/b', actions: ['pull', 'push'] }]);
  // A mount's source is checked by the upload route (an unreadable source means a plain upload).
  assert.deepEqual(scopesFor({ family: 'upload', name: 'a/b' }, 'POST'), [{ type: 'repository', name: 'a/b', actions: ['pull', 'push'] }]);
  assert.deepEqual(scopesFor({ family: 'base' }, 'GET'), []);
  assert.deepEqual(scopesFor({ family: 'catalog' }, 'GET'), [{ type: 'registry', name: 'catalog', actions: ['*'] }]);
});
