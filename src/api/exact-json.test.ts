import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExactJson } from './exact-json.js';

test('integers beyond ±(2^53−1) become exact bigints; everything else is as JSON.parse gives it', () => {
  const text = '{"Memory":9223372036854775807,"Swap":-9223372036854775808,"Big":18446744073709551616,"Safe":9007199254740991,"Unsafe":9007199254740992,'
    + '"Float":1.5,"Exp":1e300,"Long":12345678901234567.5,"List":[1,99999999999999999999,"x"],"S":"12345678901234567890","N":null}';
  assert.deepEqual(parseExactJson(text), {
    Memory: 9223372036854775807n, Swap: -9223372036854775808n, Big: 18446744073709551616n, Safe: 9007199254740991, Unsafe: 9007199254740992n,
    Float: 1.5, Exp: 1e300, Long: Number("12345678901234567.5"), List: [1, 99999999999999999999n, 'x'], S: '12345678901234567890', N: null,
  });
});

test('digits inside strings, escaped quotes and keys stay text', () => {
  const text = String.raw`{"a\"12345678901234567890":"b\\\"99999999999999999999\"","12345678901234567890":[" 99999999999999999999 ",3]}`;
  assert.deepEqual(parseExactJson(text), JSON.parse(text));
});

test('text that is not JSON is refused as JSON.parse refuses it', () => {
  assert.throws(() => parseExactJson('{"a":12345678901234567890'), SyntaxError);
  assert.throws(() => parseExactJson('["12345678901234567890]'), SyntaxError);
  assert.throws(() => parseExactJson('{"a":1'), SyntaxError);
});

test('a long string with digits is read in one pass', () => {
  const big = '1'.repeat(3 * 1024 * 1024);
  assert.deepEqual(parseExactJson(`{"v":"${big}","n":${'9'.repeat(20)}}`), { v: big, n: 99999999999999999999n });
});
