import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandWord, expandWords, keyValuePairs, parseExecForm } from './shell-words.js';

const vars: Record<string, string> = { A: 'a', EMPTY: '', SPACED: 'x y' };
const lookup = (name: string): string | undefined => vars[name];

test('plain and braced variables, unset ones empty', () => {
  assert.equal(expandWord('$A-${A}-$NOPE-${NOPE}', lookup), 'a-a--');
  assert.equal(expandWord('$', lookup), '$');
  assert.equal(expandWord('cost: $5', lookup), 'cost: ');
});

test('${a:-b} ${a-b} ${a:+b} ${a+b}', () => {
  assert.equal(expandWord('${NOPE:-def}|${EMPTY:-def}|${A:-def}', lookup), 'def|def|a');
  assert.equal(expandWord('${NOPE-def}|${EMPTY-def}', lookup), 'def|');
  assert.equal(expandWord('${A:+alt}|${EMPTY:+alt}|${NOPE:+alt}', lookup), 'alt||');
  assert.equal(expandWord('${EMPTY+alt}|${NOPE+alt}', lookup), 'alt|');
  assert.equal(expandWord('${NOPE:-${A}x}', lookup), 'ax');
  assert.throws(() => expandWord('${NOPE:?must be set}', lookup), /must be set/);
});

test('quotes: single literal, double expands; escapes; quote removal', () => {
  assert.equal(expandWord(`'$A' "$A" \\$A`, lookup), '$A a $A');
  assert.equal(expandWord('"say \\"hi\\""', lookup), 'say "hi"');
  assert.equal(expandWord('a`$A', lookup, '`'), 'a$A');
  assert.throws(() => expandWord('"open', lookup), /double-quote/);
});

test('word splitting keeps quoted whitespace and does not split expansions', () => {
  assert.deepEqual(expandWords('a  "b c" $SPACED', lookup), ['a', 'b c', 'x y']);
  assert.deepEqual(expandWords('  ', lookup), []);
  assert.deepEqual(expandWords('""', lookup), ['']);
});

test('KEY=VALUE pairs and the legacy KEY VALUE form', () => {
  assert.deepEqual(keyValuePairs('A=1 B="two words" C=$A', lookup, '\\', true), [['A', '1'], ['B', 'two words'], ['C', 'a']]);
  assert.deepEqual(keyValuePairs('NAME some value $A', lookup, '\\', true), [['NAME', 'some value a']]);
});

test('exec form only for a JSON array of strings', () => {
  assert.deepEqual(parseExecForm('["a", "b"]'), ['a', 'b']);
  assert.equal(parseExecForm('[a, b]'), undefined);
  assert.equal(parseExecForm('["a", 1]'), undefined);
  assert.equal(parseExecForm('echo'), undefined);
});
