import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogRecord } from '../k8s-file-log.js';
import { JsonFileEncoder, MAX_MESSAGE_BYTES } from './json-file-encoder.js';

const record = (sec: number, stream: string, tag: 'F' | 'P', text: string) =>
  parseLogRecord(`2026-01-02T03:04:${String(sec).padStart(2, '0')}.5+00:00 ${stream} ${tag} ${text}`);
const logs = (lines: string[]): unknown[] => lines.map((line) => JSON.parse(line) as unknown);

test("partial records are joined per stream, at the first record's time; other streams go on meanwhile", () => {
  const encoder = new JsonFileEncoder(undefined);
  assert.deepEqual(encoder.push(record(1, 'stdout', 'P', 'he')), []);
  assert.deepEqual(logs(encoder.push(record(2, 'stderr', 'F', 'err'))), [{ log: 'err\n', stream: 'stderr', time: '2026-01-02T03:04:02.5Z' }]);
  assert.deepEqual(encoder.pending(), { stdout: { timeNs: '1767323041500000000', text: 'he' } });
  assert.deepEqual(logs(encoder.push(record(3, 'stdout', 'F', 'llo'))), [{ log: 'hello\n', stream: 'stdout', time: '2026-01-02T03:04:01.5Z' }]);
  assert.deepEqual(encoder.pending(), {});
});

test('a line of 16 KiB or more becomes partial messages of 16 KiB, as dockerd splits it', () => {
  const encoder = new JsonFileEncoder(undefined);
  const part = 'a'.repeat(8192);
  assert.deepEqual(encoder.push(record(1, 'stdout', 'P', part)), []);
  const split = logs(encoder.push(record(2, 'stdout', 'P', part))) as { log: string }[];
  assert.equal(split.length, 1);
  assert.equal(split[0]?.log.length, MAX_MESSAGE_BYTES);
  assert.deepEqual(logs(encoder.push(record(3, 'stdout', 'F', 'tail'))), [{ log: 'tail\n', stream: 'stdout', time: '2026-01-02T03:04:01.5Z' }]);
  // Exactly 16 KiB: the buffer is full before the newline, so the newline comes alone.
  encoder.push(record(4, 'stdout', 'P', part));
  assert.deepEqual((logs(encoder.push(record(5, 'stdout', 'F', part))) as { log: string }[]).map((l) => l.log.length), [MAX_MESSAGE_BYTES, 1]);
});

test('a split never cuts a character in two', () => {
  const encoder = new JsonFileEncoder(undefined);
  const lines = logs(encoder.push(record(1, 'stdout', 'F', `${'a'.repeat(MAX_MESSAGE_BYTES - 1)}é`))) as { log: string }[];
  assert.deepEqual(lines.map((l) => Buffer.byteLength(l.log)), [MAX_MESSAGE_BYTES - 1, 3]);
});

test('held-back lines survive a checkpoint; flush writes them as partial messages, oldest first', () => {
  const first = new JsonFileEncoder('{"a":"1"}');
  first.push(record(2, 'stderr', 'P', 'err'));
  first.push(record(1, 'stdout', 'P', 'out'));
  const resumed = new JsonFileEncoder('{"a":"1"}', first.pending());
  assert.deepEqual(logs(resumed.flush()), [
    { log: 'err', stream: 'stderr', attrs: { a: '1' }, time: '2026-01-02T03:04:02.5Z' },
    { log: 'out', stream: 'stdout', attrs: { a: '1' }, time: '2026-01-02T03:04:01.5Z' },
  ].sort((a, b) => a.time.localeCompare(b.time)));
  assert.deepEqual(resumed.flush(), []);
});
