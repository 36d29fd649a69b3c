import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch, queryBool, queryFilters, queryList } from './query.js';
import { isBerthError } from '../base/errors.js';
import { stripVersion } from './api-version.js';

test('filters in both of Docker\'s JSON forms', () => {
  assert.deepEqual(queryFilters({ filters: '{"dangling":["true"],"reference":["bu*"]}' }), new Map([['dangling', ['true']], ['reference', ['bu*']]]));
  assert.deepEqual(queryFilters({ filters: '{"dangling":{"true":true}}' }), new Map([['dangling', ['true']]]));
  assert.deepEqual(queryFilters({}), new Map());
  assert.throws(() => queryFilters({ filters: '{oops' }), (err: unknown) => isBerthError(err, 'invalid-argument'));
  assert.throws(() => queryFilters({ filters: '{"a": 1}' }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.includes('filters.a'));
});

test('booleans and lists', () => {
  assert.equal(queryBool({ force: '1' }, 'force'), true);
  assert.equal(queryBool({ force: 'true' }, 'force'), true);
  assert.equal(queryBool({ force: '0' }, 'force'), false);
  assert.equal(queryBool({}, 'force'), false);
  assert.deepEqual(queryList({ names: ['a', 'b'] }, 'names'), ['a', 'b']);
  assert.deepEqual(queryList({ names: 'a' }, 'names'), ['a']);
});

test('reference globs do not cross slashes', () => {
  assert.equal(globMatch('busy*', 'busybox:latest'), true);
  assert.equal(globMatch('example.com/*', 'example.com/a/b'), false);
  assert.equal(globMatch('example.com/*/*', 'example.com/a/b'), true);
  assert.equal(globMatch('a.b', 'axb'), false);
});

test('versioned paths map to unversioned ones', () => {
  assert.equal(stripVersion('/v1.41/images/json?all=1'), '/images/json?all=1');
  assert.equal(stripVersion('/_ping'), '/_ping');
  assert.equal(stripVersion('/v1.43/_ping'), '/_ping');
});

test('globMatch answers at once for patterns full of stars (as the fuzzer found for pathPattern)', () => {
  assert.equal(globMatch(`${'*a'.repeat(25)}b`, 'a'.repeat(3000)), false);
  assert.equal(globMatch('busy?ox*', 'busybox:1'), true);
  assert.equal(globMatch('a.b*', 'axb'), false);
});
