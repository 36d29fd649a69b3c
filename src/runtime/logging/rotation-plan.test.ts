import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesOfSet, needsRotation, rotationPlan } from './rotation-plan.js';

test('a file at or over max-size is rotated before the next message; without max-size never', () => {
  const settings = { maxSize: 1000, maxFile: 3, compress: false };
  assert.equal(needsRotation(999, settings), false);
  assert.equal(needsRotation(1000, settings), true);
  assert.equal(needsRotation(5000, { ...settings, maxSize: -1 }), false);
});

test('max-file 3: the oldest goes, the others move up, the current file becomes .1', () => {
  assert.deepEqual(rotationPlan('/c/x', { maxSize: 1000, maxFile: 3, compress: false }), [
    { kind: 'remove', path: '/c/x.2' },
    { kind: 'rename', from: '/c/x.1', to: '/c/x.2' },
    { kind: 'rename', from: '/c/x', to: '/c/x.1' },
    { kind: 'truncate', path: '/c/x' },
  ]);
});

test('compressed: the numbered files are .gz, the new .1 is compressed last', () => {
  assert.deepEqual(rotationPlan('/c/x', { maxSize: 1000, maxFile: 3, compress: true }), [
    { kind: 'remove', path: '/c/x.2.gz' },
    { kind: 'rename', from: '/c/x.1.gz', to: '/c/x.2.gz' },
    { kind: 'rename', from: '/c/x', to: '/c/x.1' },
    { kind: 'truncate', path: '/c/x' },
    { kind: 'compress', from: '/c/x.1', to: '/c/x.1.gz' },
  ]);
});

test('max-file 1: as dockerd 20.10, the current file still becomes .1 (replacing it)', () => {
  assert.deepEqual(rotationPlan('/c/x', { maxSize: 1000, maxFile: 1, compress: false }), [
    { kind: 'rename', from: '/c/x', to: '/c/x.1' },
    { kind: 'truncate', path: '/c/x' },
  ]);
});

test('the files logs reads, oldest first: numbers below max-file; a plain .1 beside its .gz counts, other names do not', () => {
  const names = ['x', 'x.1.gz', 'x.1', 'x.10', 'x.2.gz', 'x.json', '.tmp-x-abc', 'y.1', 'log-copy.json'];
  assert.deepEqual(filesOfSet('x', names, 11), ['x.10', 'x.2.gz', 'x.1', 'x']);
  assert.deepEqual(filesOfSet('x', names, 3), ['x.2.gz', 'x.1', 'x']);
  assert.deepEqual(filesOfSet('x', names, 1), ['x']);
  assert.deepEqual(filesOfSet('x', [], 5), []);
});
