import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VolumeRecord } from '../volumes/volume-record.js';
import { prunesAll, volumeFilter } from './volume-filters.js';

const volume = (name: string, labels: Record<string, string> = {}): VolumeRecord => ({
  name, driver: 'local', createdAt: '2026-01-01T00:00:00Z', labels, options: {}, anonymous: false, seeded: false,
});

test('dangling, name, driver, label and label! filters', () => {
  const volumes = [volume('web-data', { app: 'web' }), volume('db-data', { app: 'db', tier: '' }), volume('cache')];
  const users = new Map([['db-data', ['c1']]]);
  const pick = (filters: Record<string, string[]>) => volumes.filter(volumeFilter(new Map(Object.entries(filters)), users)).map((v) => v.name);
  assert.deepEqual(pick({ dangling: ['true'] }), ['web-data', 'cache']);
  assert.deepEqual(pick({ dangling: ['false'] }), ['db-data']);
  assert.deepEqual(pick({ name: ['data'] }), ['web-data', 'db-data']);
  assert.deepEqual(pick({ label: ['app'] }), ['web-data', 'db-data']);
  assert.deepEqual(pick({ label: ['app=db', 'tier'] }), ['db-data']);
  assert.deepEqual(pick({ 'label!': ['app=web'] }), ['db-data', 'cache']);
  assert.deepEqual(pick({ driver: ['other'] }), []);
  assert.throws(() => pick({ colour: ['red'] }), /invalid filter 'colour'/);
});

test('prune takes every unused volume for old API versions or with all=true', () => {
  assert.equal(prunesAll('/v1.41/volumes/prune', new Map()), true);
  assert.equal(prunesAll('/v1.43/volumes/prune', new Map()), false);
  assert.equal(prunesAll('/volumes/prune', new Map()), false);
  assert.equal(prunesAll('/v1.43/volumes/prune', new Map([['all', ['true']]])), true);
  assert.equal(prunesAll('/v1.41/volumes/prune', new Map([['all', ['false']]])), false);
});
