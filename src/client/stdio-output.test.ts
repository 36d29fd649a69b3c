import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { stdioFrame } from '../stdio/stdio-frames.js';
import { copyOutput } from './stdio-output.js';

async function collect(chunks: Buffer[], tty: boolean): Promise<{ stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  await copyOutput(Readable.from(chunks), tty, { stdout, stderr });
  return { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

test('multiplexed frames split anywhere go back to stdout and stderr', async () => {
  const bytes = Buffer.concat([stdioFrame('stdout', Buffer.from('out 1\n')), stdioFrame('stderr', Buffer.from('err\n')), stdioFrame('stdout', Buffer.from('out 2\n'))]);
  const pieces = [bytes.subarray(0, 3), bytes.subarray(3, 11), bytes.subarray(11, 20), bytes.subarray(20)];
  assert.deepEqual(await collect(pieces, false), { stdout: 'out 1\nout 2\n', stderr: 'err\n' });
});

test('a TTY stream is raw, all on stdout', async () => {
  assert.deepEqual(await collect([Buffer.from('\x01\x00raw'), Buffer.from(' bytes\r\n')], true), { stdout: '\x01\x00raw bytes\r\n', stderr: '' });
});
