import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VolumeRecord } from '../volumes/volume-record.js';
import { prunesAll, volumeFilter, volumePruneFilter } from './volume-filters.js';

const volume = (name: string, labels: Record<string, string> = {}): VolumeRecord => ({
  name, driver: 'local', createdAt: '2026-01-01T00:00:00Z', labels, options: {}, anonymous: false, seeded: false,
});

test('list: dangling, name, driver and label filters, as dockerd', () => {
  const volumes = [volume('web-data', { app: 'web' }), volume('db-data', { app: 'db', tier: '' }), volume('cache')];
  const users = new Map([['db-data', ['c1']]]);
  const pick = (filters: Record<string, string[]>) => volumes.filter(volumeFilter(new Map(Object.entries(filters)), users)).map((v) => v.name);
  assert.deepEqual(pick({ dangling: ['true'] }), ['web-data', 'cache']);
  assert.deepEqual(pick({ dangling: ['false'] }), ['db-data']);
  assert.deepEqual(pick({ dangling: ['true', 'false'] }), ['web-data', 'cache'], 'true wins');
  assert.deepEqual(pick({ dangling: ['0'] }), ['db-data']);
  assert.throws(() => pick({ dangling: ['maybe'] }), /Invalid filter 'dangling=\[maybe\]'/);
  assert.deepEqual(pick({ name: ['data'] }), ['web-data', 'db-data']);
  assert.deepEqual(pick({ name: ['^db-', 'cache'] }), ['db-data', 'cache']);
  assert.deepEqual(pick({ label: ['app'] }), ['web-data', 'db-data']);
  assert.deepEqual(pick({ label: ['app=db', 'tier'] }), ['db-data']);
  assert.deepEqual(pick({ label: ['app=db', 'app=web'] }), [], 'label values are ANDed');
  assert.deepEqual(pick({ driver: ['other'] }), []);
  assert.deepEqual(pick({ driver: ['other', 'local'] }), ['web-data', 'db-data', 'cache']);
  assert.throws(() => pick({ colour: ['red'] }), /Invalid filter 'colour'/);
  assert.throws(() => pick({ 'label!': ['app'] }), /Invalid filter 'label!'/);
});

test('prune: label, and label! keeps a volume only when every label! value holds', () => {
  const volumes = [volume('a', { a: '1' }), volume('b', { b: '1' }), volume('ab', { a: '1', b: '1' }), volume('none')];
  const pick = (filters: Record<string, string[]>) => volumes.filter(volumePruneFilter(new Map(Object.entries(filters)))).map((v) => v.name);
  assert.deepEqual(pick({ 'label!': ['a', 'b'] }), ['a', 'b', 'none']);
  assert.deepEqual(pick({ 'label!': ['a=1'] }), ['b', 'none']);
  assert.deepEqual(pick({ label: ['a'], all: ['true'] }), ['a', 'ab']);
  assert.throws(() => pick({ dangling: ['true'] }), /Invalid filter 'dangling'/);
});

test('prune takes every unused volume for old API versions or with all=true', () => {
  assert.equal(prunesAll('/v1.41/volumes/prune', new Map()), true);
  assert.equal(prunesAll('/v1.43/volumes/prune', new Map()), false);
  assert.equal(prunesAll('/volumes/prune', new Map()), false);
  assert.equal(prunesAll('/v1.43/volumes/prune', new Map([['all', ['true']]])), true);
  assert.equal(prunesAll('/v1.41/volumes/prune', new Map([['all', ['false']]])), false);
});
