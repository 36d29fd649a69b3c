/**
 * A blob's bytes from a registry as a stream that survives dropped connections: after a failure
 * it asks again from where it stopped (`Range: bytes=N-`), a few times, with a short pause.
 * Verification is the consumer's (the content store checks digest and size).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError, errors } from '../../base/errors.js';
import type { Descriptor } from '../../oci/schemas.js';
import { openBlob } from './registry-api.js';
import type { RegistryClient } from './registry-client.js';

export interface BlobDownloadOptions {
  /** Attempts after the first (default 3). */
  retries?: number;
  signal?: AbortSignal;
  onBytes?: (received: number) => void;
  /** Pause before retry n (1-based), in ms (default 250·n). */
  backoffMs?: (attempt: number) => number;
}

const BATCH_BYTES = 1024 * 1024;

/** Stream errors (resets, timeouts, truncation) and unavailable answers are worth another try. */
function retriable(err: unknown): boolean {
  if (err instanceof BerthError) return err.kind === 'unavailable';
  return true;
}

export async function* downloadBlob(client: RegistryClient, repository: string, blob: Descriptor, options: BlobDownloadOptions = {}): AsyncGenerator<Uint8Array> {
  let offset = 0;
  let attempt = 0;
  for (;;) {
    try {
      options.signal?.throwIfAborted();
      const answer = await openBlob(client, repository, blob.digest, offset);
      if (offset > 0 && answer.status !== 206) {
        answer.body.destroy();
        throw errors.failedPrecondition('range-unsupported', `blob ${blob.digest}: the registry cannot resume a download (answered ${answer.status} to a Range request)`);
      }
      const abort = (): void => { answer.body.destroy(new BerthError('canceled', 'canceled', 'download canceled')); };
      options.signal?.addEventListener('abort', abort, { once: true });
      if (options.signal?.aborted === true) abort(); // aborted while the request was on its way
      // Socket reads are ~64 KiB: batched, each hop downstream (hash, file write, unpack worker) costs less.
      let batch: Buffer[] = [];
      let batchBytes = 0;
      let broken: Error | undefined;
      try {
        for await (const chunk of answer.body) {
          const bytes = chunk as Buffer;
          batch.push(bytes);
          batchBytes += bytes.length;
          if (batchBytes < BATCH_BYTES) continue;
          const out = Buffer.concat(batch, batchBytes);
          batch = [];
          batchBytes = 0;
          offset += out.length;
          options.onBytes?.(offset);
          yield out;
        }
      } catch (err) {
        broken = err instanceof Error ? err : new Error(String(err)); // what arrived before the failure still counts
      } finally {
        options.signal?.removeEventListener('abort', abort);
      }
      if (batchBytes > 0) {
        offset += batchBytes;
        options.onBytes?.(offset);
        yield Buffer.concat(batch, batchBytes);
      }
      if (broken !== undefined) throw broken;
      if (offset < blob.size) throw errors.unavailable('blob-truncated', `blob ${blob.digest}: connection closed after ${offset} of ${blob.size} bytes`);
      return;
    } catch (err) {
      if (options.signal?.aborted === true || !retriable(err) || attempt >= (options.retries ?? 3)) throw err;
      attempt++;
      await sleep(options.backoffMs?.(attempt) ?? 250 * attempt);
    }
  }
}
