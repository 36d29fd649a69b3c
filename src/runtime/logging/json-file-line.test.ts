import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRfc3339Nano } from '../k8s-file-log.js';
import { decodeJsonLogLine, encodeJsonLogLine, goTimeRfc3339Nano, marshalAttributes } from './json-file-line.js';

test('a line as dockerd 20.10 wrote it for the same output, attributes and time', () => {
  // Captured from a private dockerd: printf 't\tab<>&"\\ \001 é\n' with --log-opt labels=a,env=E1,tag={{.Name}}/{{.ID}}.
  const expected = '{"log":"t\\u0009ab\\u003c\\u003e\\u0026\\"\\\\ \\u0001 é\\n","stream":"stdout","attrs":{"E1":"x","a":"1","tag":"tagged/2c64011084b6"},'
    + '"time":"2026-12-06T17:21:47.77805848Z"}\n';
  const attrs = marshalAttributes({ tag: 'tagged/2c64011084b6', a: '1', E1: 'x' });
  const line = encodeJsonLogLine({ log: 't\tab<>&"\\ \u0001 é\n', stream: 'stdout', timeNs: parseRfc3339Nano('2026-12-06T17:21:47.77805848Z') }, attrs);
  assert.equal(line, expected);
});

test("attributes as Go marshals a map: sorted keys, \\t short, HTML escaped; none: no attrs", () => {
  assert.equal(marshalAttributes({ b: 'x\ty', a: '<&>' }), '{"a":"\\u003c\\u0026\\u003e","b":"x\\ty"}');
  assert.equal(marshalAttributes({}), undefined);
  assert.equal(encodeJsonLogLine({ log: 'tty\r\n', stream: 'stdout', timeNs: 1_000_000_000n }), '{"log":"tty\\r\\n","stream":"stdout","time":"1970-01-01T00:00:01Z"}\n');
});

test("time as Go's RFC3339Nano: trailing zeros of the fraction dropped, none when zero", () => {
  assert.equal(goTimeRfc3339Nano(parseRfc3339Nano('2026-12-06T17:21:50.100000000Z')), '2026-12-06T17:21:50.1Z');
  assert.equal(goTimeRfc3339Nano(parseRfc3339Nano('2026-12-06T18:21:50.000000001+01:00')), '2026-12-06T17:21:50.000000001Z');
  assert.equal(goTimeRfc3339Nano(parseRfc3339Nano('2026-12-06T17:21:50Z')), '2026-12-06T17:21:50Z');
});

test('lone surrogates and line separators are escaped as Go escapes them', () => {
  assert.equal(encodeJsonLogLine({ log: '\u2028\ud800', stream: 'stderr', timeNs: 0n }), '{"log":"\\u2028\\ufffd","stream":"stderr","time":"1970-01-01T00:00:00Z"}\n');
});

test('decoding: the log without its newline, partial without one; other lines are data-loss', () => {
  const whole = decodeJsonLogLine('{"log":"hi\\n","stream":"stderr","attrs":{"a":"1"},"time":"2026-12-06T17:21:47.5Z"}');
  assert.deepEqual(whole, { timeNs: parseRfc3339Nano('2026-12-06T17:21:47.5Z'), time: '2026-12-06T17:21:47.5Z', stream: 'stderr', line: 'hi' });
  assert.equal(decodeJsonLogLine('{"log":"nonl","stream":"stdout","time":"2026-12-06T17:21:47Z"}').partial, true);
  assert.throws(() => decodeJsonLogLine('2026-12-06T17:21:47Z stdout F hi'), /not a json-file log line/);
  assert.throws(() => decodeJsonLogLine('{"log":"x\\n","stream":"stdin","time":"2026-12-06T17:21:47Z"}'), /stream "stdin"/);
});
