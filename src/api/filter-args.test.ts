import { test } from 'node:test';
import assert from 'node:assert/strict';
import { booleanFilter, checkFilterKeys, matchLabels, matchPattern } from './filter-args.js';

const f = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

test('label values are ANDed: key, key=value, key= for an empty value', () => {
  const labels = { app: 'web', tier: 'back', empty: '' };
  assert.equal(matchLabels(['app=web', 'tier=back'], labels), true);
  assert.equal(matchLabels(['app=web', 'app=db'], labels), false);
  assert.equal(matchLabels(['app', 'zone'], labels), false);
  assert.equal(matchLabels(['empty='], labels), true);
  assert.equal(matchLabels(['toString'], labels), false, 'no inherited keys');
  assert.equal(matchLabels(undefined, {}), true);
});

test('patterns: equal, or a regular expression found in the value; invalid ones match nothing', () => {
  assert.equal(matchPattern(['web'], 'web-1'), true);
  assert.equal(matchPattern(['^/web'], '/web-1', 'web-1'), true);
  assert.equal(matchPattern(['[bad'], 'web'), false);
  assert.equal(matchPattern(['db', 'web'], 'web-1'), true);
});

test('keys and boolean values are checked with dockerd\'s messages', () => {
  assert.throws(() => { checkFilterKeys(f({ colour: ['red'] }), ['label']); }, /Invalid filter 'colour'/);
  assert.equal(booleanFilter(f({ dangling: ['true', 'false'] }), 'dangling', false), true);
  assert.equal(booleanFilter(f({ dangling: ['0'] }), 'dangling', true), false);
  assert.equal(booleanFilter(f({}), 'dangling', true), undefined);
  assert.throws(() => booleanFilter(f({ dangling: ['1'] }), 'dangling', false), /Invalid filter 'dangling=\[1\]'/);
});
