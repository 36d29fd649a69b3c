/**
 * Worker-thread entry that unpacks one layer at a time, fed chunk by chunk by an UnpackPool on
 * the main thread. Running the tar parsing and the file-creating syscalls here lets the main thread
 * hash and store the layer's blob at the same time, on the other core.
 */
import { parentPort } from 'node:worker_threads';
import { PassThrough } from 'node:stream';
import { isBerthError, messageOf } from '../base/errors.js';
import { ChildProcessRunner } from '../base/process-runner.js';
import { openLayerStream } from './decompress.js';
import { unpackLayer } from './layer-unpacker.js';
import type { MainToWorker, WorkerToMain } from './unpack-messages.js';

const port = parentPort;
if (port === null) throw new Error('unpack-worker must run in a worker thread');
// A worker thread is an entry point of its own: the composition root's runner (an object of the
// main thread) cannot be passed to it, so the worker makes its own (used for decompressors).
const runner = new ChildProcessRunner();
/** The layer being unpacked: its job number and input. */
let current: { job: number; input: PassThrough; owed: number } | undefined;

function post(message: WorkerToMain): void {
  port?.postMessage(message);
}

async function run(job: number, target: string, compressed: boolean, stream: PassThrough): Promise<void> {
  try {
    const tar = compressed ? openLayerStream(stream) : stream;
    const result = await unpackLayer(tar, target, { runner, hash: compressed });
    post({ type: 'done', job, size: result.size, diffId: result.diffId });
  } catch (err) {
    post(isBerthError(err) ? { type: 'error', job, kind: err.kind, reason: err.reason, message: err.message } : { type: 'error', job, kind: 'internal', reason: 'unpack-failed', message: messageOf(err) });
  } finally {
    // Whatever still arrives (tar padding after the end marker, or input after a failure) is dropped.
    if (current?.job === job) current = undefined;
    stream.resume();
  }
}

port.on('message', (message: MainToWorker) => {
  switch (message.type) {
    case 'start': {
      const input = new PassThrough({ highWaterMark: 4 * 1024 * 1024 });
      current = { job: message.job, input, owed: 0 };
      void run(message.job, message.target, message.compressed, input);
      break;
    }
    case 'chunk': {
      const job = message.job;
      const bytes = message.data.byteLength;
      const active = current?.job === job ? current : undefined;
      const chunk = Buffer.from(message.data.buffer, message.data.byteOffset, bytes);
      if (active === undefined || active.input.destroyed || active.input.write(chunk)) {
        post({ type: 'ack', job, bytes });
        break;
      }
      // Over the input's high-water mark: owe the ack until it drains (one listener per job).
      active.owed += bytes;
      if (active.owed === bytes) {
        active.input.once('drain', () => {
          post({ type: 'ack', job, bytes: active.owed });
          active.owed = 0;
        });
      }
      break;
    }
    case 'end':
      if (current?.job === message.job) current.input.end();
      break;
  }
});
