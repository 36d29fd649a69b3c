import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryGlob } from './registry-glob.js';

const matches = (glob: string, value: string): boolean => new RegistryGlob(glob).matches(value);

test('* and ? stay inside one component; ** crosses them', () => {
  assert.equal(matches('prod/*', 'prod/app'), true);
  assert.equal(matches('prod/*', 'prod/team/app'), false);
  assert.equal(matches('prod/**', 'prod/team/app'), true);
  assert.equal(matches('prod/**', 'prod'), false);
  assert.equal(matches('prod/**', 'production/app'), false);
  assert.equal(matches('**', 'a/b/c'), true);
  assert.equal(matches('app?', 'app1'), true);
  assert.equal(matches('a?b', 'a/b'), false);
  assert.equal(matches('v*', 'v1.2.3'), true);
  assert.equal(matches('v*', 'latest'), false);
});

test('**/ may match no directory at all', () => {
  assert.equal(matches('prod/**/app', 'prod/app'), true);
  assert.equal(matches('prod/**/app', 'prod/a/b/app'), true);
  assert.equal(matches('prod/**/app', 'prod/a/bapp'), false);
  assert.equal(matches('**/app', 'app'), true);
});

test('everything else is literal, RegExp syntax included', () => {
  assert.equal(matches('a.b', 'a.b'), true);
  assert.equal(matches('a.b', 'axb'), false);
  assert.equal(matches('a+', 'aa'), false);
});

test('a pattern that would make a RegExp backtrack for ages answers at once', () => {
  const started = process.hrtime.bigint();
  assert.equal(matches(`${'*a'.repeat(30)}b`, 'a'.repeat(4000)), false);
  assert.ok(process.hrtime.bigint() - started < 5_000_000_000n);
});
