import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DetachKeyScanner, parseDetachKeys } from './detach-keys.js';

test('detach keys parse like Docker', () => {
  assert.deepEqual([...parseDetachKeys('ctrl-p,ctrl-q')], [16, 17]);
  assert.deepEqual([...parseDetachKeys('ctrl-@,ctrl-[,a')], [0, 27, 97]);
  assert.throws(() => parseDetachKeys('ctrl-ab'), /detachKeys: invalid key "ctrl-ab"/);
});

test('the scanner holds back a prefix and detaches on the whole sequence', () => {
  const scanner = new DetachKeyScanner(Buffer.from([16, 17]));
  assert.deepEqual(scanner.push(Buffer.from('ab\x10')), { forward: Buffer.from('ab'), detached: false });
  assert.deepEqual(scanner.push(Buffer.from('c')), { forward: Buffer.from('\x10c'), detached: false });
  assert.deepEqual(scanner.push(Buffer.from('\x10\x10')), { forward: Buffer.from('\x10'), detached: false });
  assert.deepEqual(scanner.push(Buffer.from('\x11zz')), { forward: Buffer.from(''), detached: true });
});
