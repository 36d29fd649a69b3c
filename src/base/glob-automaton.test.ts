import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatches, literalStep, notSlash, type GlobStep } from './glob-automaton.js';

const star: GlobStep = { kind: 'run', accepts: notSlash };
const any: GlobStep = { kind: 'run', accepts: () => true };
const dirs: GlobStep = { kind: 'dirs', accepts: () => true };
const word = (text: string): GlobStep[] => text.split('').map(literalStep);

test('steps: one character, runs and optional directories', () => {
  assert.equal(globMatches([...word('a'), star, ...word('.txt')], 'abc.txt'), true);
  assert.equal(globMatches([...word('a'), star, ...word('.txt')], 'a/c.txt'), false);
  assert.equal(globMatches([any], 'x/y/z'), true);
  assert.equal(globMatches([dirs, ...word('f')], 'f'), true);
  assert.equal(globMatches([dirs, ...word('f')], 'a/b/f'), true);
  assert.equal(globMatches([dirs, ...word('f')], 'a/bf'), false);
  assert.equal(globMatches([], ''), true);
  assert.equal(globMatches([], 'x'), false);
});

test('a pattern that makes a RegExp backtrack for hours takes linear time (fuzz finding)', () => {
  // `*a*a…*a*b` against `aaa…`: as `^[^/]*a[^/]*a…b$`, V8 takes exponential time to say no.
  const steps = [...Array.from({ length: 30 }, () => [star, literalStep('a')]).flat(), literalStep('b')];
  const started = process.hrtime.bigint();
  assert.equal(globMatches(steps, 'a'.repeat(4000)), false);
  assert.ok(process.hrtime.bigint() - started < 5_000_000_000n);
});
