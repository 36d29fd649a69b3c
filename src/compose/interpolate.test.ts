import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { parseEnvFile } from './env-file.js';
import { interpolate } from './interpolate.js';

const env = { SET: 'value', EMPTY: '' };

test('plain and braced variables; unset ones become empty', () => {
  assert.equal(interpolate('a $SET b ${SET}c', env), 'a value b valuec');
  assert.equal(interpolate('[$UNSET][${UNSET}]', env), '[][]');
  assert.equal(interpolate('no variables', env), 'no variables');
});

test('defaults: :- for unset or empty, - for unset only, nested', () => {
  assert.equal(interpolate('${UNSET:-d}|${EMPTY:-d}|${SET:-d}', env), 'd|d|value');
  assert.equal(interpolate('${UNSET-d}|${EMPTY-d}|${SET-d}', env), 'd||value');
  assert.equal(interpolate('${UNSET:-${SET}-x}', env), 'value-x');
  assert.equal(interpolate('${EMPTY:+alt}|${SET:+alt}|${EMPTY+alt}', env), '|alt|alt');
});

test('required markers: :? for unset or empty, ? for unset only, naming where', () => {
  assert.equal(interpolate('${SET:?boom}', env), 'value');
  assert.equal(interpolate('${EMPTY?boom}', env), '');
  assert.throws(() => interpolate('${EMPTY:?must be set}', env, 'f.yaml:3: services.a.image'), (err: unknown) =>
    isBerthError(err, 'invalid-argument') && err.reason === 'compose-variable-required' && /f\.yaml:3: services\.a\.image: required variable EMPTY is missing a value: must be set/.test(err.message));
  assert.throws(() => interpolate('${UNSET?}', env), /required variable UNSET/);
});

test('$$ is a literal dollar; malformed braces are errors', () => {
  assert.equal(interpolate('cost $$5 and $${SET}', env), 'cost $5 and ${SET}');
  assert.throws(() => interpolate('${SET', env), /invalid interpolation/);
  assert.throws(() => interpolate('${1BAD}', env), /invalid interpolation/);
});

test('env files: comments, export, quotes, interpolation, bare names from the environment', () => {
  const text = '# comment\nexport A=1\nB="two\\nlines"\nC=\'lit $A\'\nD=${A}x # trailing\nHOME\n\nE=\n';
  assert.deepEqual(parseEnvFile(text, '.env', { HOME: '/root' }), { A: '1', B: 'two\nlines', C: 'lit $A', D: '1x', HOME: '/root', E: '' });
  assert.throws(() => parseEnvFile('A=1\nnot a line\n', 'x.env'), /x\.env:2: unexpected line/);
});
