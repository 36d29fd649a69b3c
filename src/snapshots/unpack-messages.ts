import type { Digest } from '../base/digest.js';
import type { ErrorKind } from '../base/errors.js';

/** Messages from an UnpackPool to its worker. `job` tells one layer's messages from the next one's. */
export type MainToWorker =
  | { type: 'start'; job: number; target: string; compressed: boolean }
  | { type: 'chunk'; job: number; data: Uint8Array }
  | { type: 'end'; job: number };

/** Messages from the worker: `ack`s for the bytes it took, then `done` or `error`. */
export type WorkerToMain =
  | { type: 'ack'; job: number; bytes: number }
  | { type: 'done'; job: number; size: number; diffId: Digest | undefined }
  | { type: 'error'; job: number; kind: ErrorKind; reason: string; message: string };
