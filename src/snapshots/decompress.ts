import { PassThrough, Readable, Transform, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';

import type { LayerCompression } from '../wire/compression-options.js';

/** The compression a layer blob was found to use, from its first bytes (named as the wire names them). */
export type { LayerCompression };

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd] as const;

/** Which compression `head` (the first bytes of a blob, at least 4 unless the blob is shorter) starts with. */
export function sniffCompression(head: Uint8Array): LayerCompression {
  if (GZIP_MAGIC.every((byte, i) => head[i] === byte)) return 'gzip';
  if (ZSTD_MAGIC.every((byte, i) => head[i] === byte)) return 'zstd';
  return 'none';
}

/**
 * The uncompressed tar of a layer blob that may be gzip, zstd or plain tar, decided by sniffing its
 * first bytes (media types lie often enough that the bytes are the truth). Streams: nothing is
 * buffered beyond the decoder's window. Errors of `source` or of the decoder (corrupt data) are
 * emitted as errors of the returned stream; destroying the returned stream destroys `source`.
 */
export function openLayerStream(source: Readable): Readable {
  const out = new PassThrough();
  void sniffAndPipe(source, out);
  return out;
}

async function sniffAndPipe(source: Readable, out: PassThrough): Promise<void> {
  const iterator: AsyncIterator<unknown> = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  try {
    while (headLength < ZSTD_MAGIC.length) {
      const next = await iterator.next();
      if (next.done === true) {
        ended = true;
        break;
      }
      const chunk = toBuffer(next.value);
      head.push(chunk);
      headLength += chunk.length;
    }
  } catch (err) {
    out.destroy(err instanceof Error ? err : new Error(String(err)));
    return;
  }
  const first = Buffer.concat(head);
  const rest = Readable.from(chain(first, ended ? null : iterator), { objectMode: false });
  out.once('close', () => {
    if (!rest.destroyed) rest.destroy();
  });
  const compression = sniffCompression(first);
  // pipeline destroys `out` with any error of the source or the decoder: its reader sees it there.
  if (compression === 'none') {
    pipeline(rest, out, () => undefined);
  } else {
    pipeline(rest, compression === 'gzip' ? createGunzip() : zstdDecoder(), out, () => undefined);
  }
}

async function* chain(first: Buffer, iterator: AsyncIterator<unknown> | null): AsyncGenerator<Buffer> {
  if (first.length > 0) yield first;
  if (iterator === null) return;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield toBuffer(next.value);
    }
  } finally {
    await iterator.return?.();
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value);
  throw new TypeError('layer stream yielded a value that is not bytes');
}

/** A Transform around fzstd's streaming decoder. */
function zstdDecoder(): Transform {
  const decoder = new Decompress();
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.push(chunk);
        callback();
      } catch (err) {
        callback(err instanceof Error ? err : new Error(String(err)));
      }
    },
    flush(callback) {
      try {
        decoder.push(new Uint8Array(0), true);
        callback();
      } catch (err) {
        callback(err instanceof Error ? err : new Error(String(err)));
      }
    },
  });
  decoder.ondata = (data: Uint8Array) => {
    if (data.length > 0) transform.push(Buffer.from(data));
  };
  return transform;
}
