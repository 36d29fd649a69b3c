import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarName, formatReference, parseReference } from './reference.js';
import { isBerthError } from '../base/errors.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('normalizes names as Docker does', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['myorg/app', 'docker.io/myorg/app:latest'],
    ['index.docker.io/library/debian:bookworm', 'docker.io/library/debian:bookworm'],
    ['localhost/app:v1', 'localhost/app:v1'],
    ['host:5000/a/b:t', 'host:5000/a/b:t'],
    ['ghcr.io/owner/repo/sub:1.0-rc.1', 'ghcr.io/owner/repo/sub:1.0-rc.1'],
    [`busybox@${DIGEST}`, `docker.io/library/busybox@${DIGEST}`],
    [`host:5000/a:t@${DIGEST}`, `host:5000/a:t@${DIGEST}`],
    ['a__b/c-d.e', 'docker.io/a__b/c-d.e:latest'],
  ];
  for (const [input, want] of cases) assert.equal(formatReference(parseReference(input)), want, input);
});

test('familiar names drop the default registry', () => {
  assert.equal(familiarName('docker.io/library/busybox:latest'), 'busybox:latest');
  assert.equal(familiarName('docker.io/myorg/app:1'), 'myorg/app:1');
  assert.equal(familiarName('host:5000/a:t'), 'host:5000/a:t');
});

test('rejects malformed references with invalid-argument', () => {
  for (const bad of ['', 'UPPER', 'a//b', 'a:', 'a:-bad', `a@sha256:${'z'.repeat(64)}`, 'a@md5:abc', '-a', 'a/', 'host:port/x', 'a b']) {
    assert.throws(() => parseReference(bad), (err: unknown) => isBerthError(err, 'invalid-argument'), bad);
  }
});

test('tags are limited to 128 characters', () => {
  assert.doesNotThrow(() => parseReference(`a:${'t'.repeat(128)}`));
  assert.throws(() => parseReference(`a:${'t'.repeat(129)}`));
});
