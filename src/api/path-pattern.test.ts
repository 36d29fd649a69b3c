import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { pathPattern } from './path-pattern.js';

test('Go path.Match: * and ? stop at /, classes, ranges, negation and escapes', () => {
  const match = (pattern: string, name: string): boolean => pathPattern(pattern)(name);
  assert.equal(match('busy*', 'busybox:latest'), true);
  assert.equal(match('*child', 'reg.example/ns/child:3'), false);
  assert.equal(match('*/*/child', 'reg.example/ns/child'), true);
  assert.equal(match('busy?ox', 'busybox'), true);
  assert.equal(match('busybox:[ls]*', 'busybox:second'), true);
  assert.equal(match('busybox:[^ls]*', 'busybox:second'), false);
  assert.equal(match('v[0-9]', 'v7'), true);
  assert.equal(match('v[9-0]', 'v7'), false, 'a reversed range matches nothing');
  assert.equal(match('a\\*b', 'a*b'), true);
  assert.equal(match('a.b', 'axb'), false);
});

test('malformed patterns are refused with Go\'s message', () => {
  for (const pattern of ['[bad', '[]', 'a[-z]', 'tail\\']) {
    assert.throws(() => pathPattern(pattern), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message === 'syntax error in pattern', pattern);
  }
});

test('patterns full of stars answer at once (fuzz finding: a reference filter hung the daemon)', () => {
  // From the fuzzer: `ler.` and 24 stars; as a RegExp, `^ler\.[^/]*[^/]*…$` backtracked exponentially.
  const pattern = `ler.${'*'.repeat(12)}\0${'*'.repeat(12)}host-gate`;
  assert.equal(pathPattern(pattern)(`ler.${'x'.repeat(3000)}`), false);
  assert.equal(pathPattern('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b')('a'.repeat(3000)), false);
  assert.equal(pathPattern('*a*b')('xaxxb'), true);
});
