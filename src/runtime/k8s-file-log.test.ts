import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { LogAssembler, parseLogRecord, parseLogText, parseRfc3339Nano } from './k8s-file-log.js';

test('timestamps keep nanoseconds and honour offsets', () => {
  assert.equal(parseRfc3339Nano('2024-01-02T03:04:05.123456789Z'), 1704164645123456789n);
  assert.equal(parseRfc3339Nano('2024-01-02T05:04:05.123456789+02:00'), 1704164645123456789n);
  assert.equal(parseRfc3339Nano('2024-01-02T03:04:05.5Z'), 1704164645500000000n);
  assert.equal(parseRfc3339Nano('2024-01-02T03:04:05Z'), 1704164645000000000n);
  assert.throws(() => parseRfc3339Nano('2024-01-02 03:04:05Z'), (err) => isBerthError(err, 'invalid-argument'));
  assert.throws(() => parseRfc3339Nano('2024-01-02T03:04:05.1234567890Z'), (err) => isBerthError(err, 'invalid-argument'));
});

test('records: streams, tags, payloads with spaces, empty payloads', () => {
  const r = parseLogRecord('2026-11-26T22:12:31.661351235+00:00 stderr F err  with  spaces ');
  assert.deepEqual(r, {
    timeNs: 1795731151661351235n, time: '2026-11-26T22:12:31.661351235+00:00', stream: 'stderr', partial: false, payload: 'err  with  spaces ',
  });
  assert.equal(parseLogRecord('2026-11-26T22:12:31Z stdout F ').payload, '');
  assert.equal(parseLogRecord('2026-11-26T22:12:31Z stdout F').payload, '');
  assert.equal(parseLogRecord('2026-11-26T22:12:31Z stdout P abc').partial, true);
  for (const bad of ['', 'garbage', '2026-11-26T22:12:31Z stdin F x', '2026-11-26T22:12:31Z stdout X x', 'yesterday stdout F x']) {
    assert.throws(() => parseLogRecord(bad), (err) => isBerthError(err, 'data-loss'), bad);
  }
});

test('partial records join per stream, keeping the first timestamp', () => {
  const text = [
    '2024-01-02T03:04:05.000000001Z stdout P hel',
    '2024-01-02T03:04:05.000000002Z stderr F oops',
    '2024-01-02T03:04:05.000000003Z stdout P lo ',
    '2024-01-02T03:04:05.000000004Z stdout F world',
    '2024-01-02T03:04:05.000000005Z stdout P tail-without-newline',
    '',
  ].join('\n');
  const entries = parseLogText(text);
  assert.deepEqual(entries.map((e) => [e.stream, e.line, e.timeNs % 10n]), [
    ['stderr', 'oops', 2n],
    ['stdout', 'hello world', 1n],
    ['stdout', 'tail-without-newline', 5n],
  ]);
  const assembler = new LogAssembler();
  assert.equal(assembler.push(parseLogRecord('2024-01-02T03:04:05Z stdout P a')), undefined);
  assert.equal(assembler.push(parseLogRecord('2024-01-02T03:04:06Z stdout F b'))?.line, 'ab');
  assert.deepEqual(assembler.flush(), []);
});
