import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StdioFrameReader, stdioFrame } from './stdio-frames.js';

test('frames round-trip, split anywhere', () => {
  const bytes = Buffer.concat([stdioFrame('stdout', Buffer.from('hello\n')), stdioFrame('stderr', Buffer.from('oops'))]);
  assert.deepEqual([...bytes.subarray(0, 8)], [1, 0, 0, 0, 0, 0, 0, 6]);
  const reader = new StdioFrameReader();
  const frames = [...reader.push(bytes.subarray(0, 5)), ...reader.push(bytes.subarray(5, 17)), ...reader.push(bytes.subarray(17))];
  assert.deepEqual(frames.map((f) => [f.stream, f.payload.toString()]), [['stdout', 'hello\n'], ['stderr', 'oops']]);
});
