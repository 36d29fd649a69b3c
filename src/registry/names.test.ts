import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { isRepositoryName, isTag, parseManifestReference, parseRepositoryName } from './names.js';

test('repository names per the distribution spec', () => {
  for (const ok of ['a', 'library/busybox', 'a.b/c_d/e__f', 'x-y--z/0', 'a/b/c/d/e']) assert.ok(isRepositoryName(ok), ok);
  for (const bad of ['', 'A', 'a/', '/a', 'a//b', 'a..b', '_a', 'a_', 'a___b', 'a:b', 'a/../b', `a${'b'.repeat(255)}`]) assert.ok(!isRepositoryName(bad), bad);
  assert.throws(() => parseRepositoryName('Bad'), (err: unknown) => isBerthError(err) && err.reason === 'NAME_INVALID');
});

test('tags and digests as references', () => {
  for (const ok of ['latest', 'v1.2.3', '_x', 'A-b_c.d', 'a'.repeat(128)]) assert.ok(isTag(ok), ok);
  for (const bad of ['', '.a', '-a', 'a'.repeat(129), 'a/b', 'a+b']) assert.ok(!isTag(bad), bad);
  assert.deepEqual(parseManifestReference('v1'), { kind: 'tag', tag: 'v1' });
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(parseManifestReference(digest), { kind: 'digest', digest });
  assert.throws(() => parseManifestReference('sha256:abc'), (err: unknown) => isBerthError(err) && err.reason === 'DIGEST_INVALID');
  assert.throws(() => parseManifestReference('bad/tag'), (err: unknown) => isBerthError(err) && err.reason === 'TAG_INVALID');
});
