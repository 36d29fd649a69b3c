import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchRoute } from './route-match.js';

test('spec paths map to their endpoint family', () => {
  const d = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(matchRoute('/v2/'), { family: 'base' });
  assert.deepEqual(matchRoute('/v2'), { family: 'base' });
  assert.deepEqual(matchRoute('/v2/_catalog'), { family: 'catalog' });
  assert.deepEqual(matchRoute(`/v2/a/b/blobs/${d}`), { family: 'blob', name: 'a/b', digest: d });
  assert.deepEqual(matchRoute('/v2/a/blobs/uploads/'), { family: 'upload', name: 'a' });
  assert.deepEqual(matchRoute('/v2/a/blobs/uploads/123'), { family: 'upload', name: 'a', id: '123' });
  assert.deepEqual(matchRoute('/v2/x/manifests/y/manifests/latest'), { family: 'manifest', name: 'x/manifests/y', reference: 'latest' });
  assert.deepEqual(matchRoute('/v2/blobs/tags/list'), { family: 'tags', name: 'blobs' });
  assert.deepEqual(matchRoute(`/v2/r/referrers/${d}`), { family: 'referrers', name: 'r', digest: d });
  assert.equal(matchRoute('/v3/a'), undefined);
  assert.equal(matchRoute('/v2/a/unknown'), undefined);
});
