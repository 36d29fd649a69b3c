import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRescan, type RescanState } from './rescan-plan.js';

const a = { imageId: 'sha256:a', containerIds: ['c1'] };
const b = { imageId: 'sha256:b', containerIds: ['c2', 'c3'] };

function state(overrides: Partial<RescanState>): RescanState {
  return { watched: [a, b], generation: 4, lastGeneration: 4, matchedAt: new Map([['sha256:a', 4], ['sha256:b', 4]]), full: false, ...overrides };
}

test('the first pass rescans every image in use, even with none matched and an empty database', () => {
  assert.deepEqual(planRescan(state({ generation: 0, lastGeneration: undefined, matchedAt: new Map() })), { stale: [a, b], unused: [], trigger: 'start' });
  assert.deepEqual(planRescan(state({ watched: [], generation: 0, lastGeneration: undefined, matchedAt: new Map() })), { stale: [], unused: [], trigger: 'start' });
});

test('nothing changed: nothing to do', () => {
  assert.equal(planRescan(state({})), undefined);
});

test('a changed database (any other generation, also a lower one after a rebuild) makes every image stale', () => {
  assert.deepEqual(planRescan(state({ generation: 5 })), { stale: [a, b], unused: [], trigger: 'database' });
  assert.deepEqual(planRescan(state({ generation: 1, lastGeneration: 4 })), { stale: [a, b], unused: [], trigger: 'database' });
});

test('a newly used image is rescanned alone; an image no longer in use is forgotten', () => {
  assert.deepEqual(planRescan(state({ matchedAt: new Map([['sha256:a', 4]]) })), { stale: [b], unused: [], trigger: 'images' });
  assert.deepEqual(planRescan(state({ watched: [a] })), { stale: [], unused: ['sha256:b'], trigger: 'images' });
});

test('an image whose last pass failed (not marked matched) is tried again', () => {
  assert.deepEqual(planRescan(state({ matchedAt: new Map([['sha256:a', 3], ['sha256:b', 4]]) }))?.stale, [a]);
});

test('a full pass rescans every image in use whatever changed', () => {
  assert.deepEqual(planRescan(state({ full: true })), { stale: [a, b], unused: [], trigger: 'schedule' });
});
