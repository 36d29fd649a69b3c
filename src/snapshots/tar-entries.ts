/**
 * Reads the entries of a tar stream one by one, and names what fails: the one loop behind both
 * layer unpacks (layer-unpacker.ts) and uploads into containers (engine/archive-upload.ts).
 */
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BerthError, errnoCode, errors, messageOf } from '../base/errors.js';
import type { LayerEntry } from './layer-writer.js';
import { rawPaxExtract } from './raw-pax-extract.js';

/**
 * Feeds every entry of `tar` (passed through `through` first, e.g. a hashing pass) to `handle`,
 * in order; `handle` reads or drains the entry's data. A BerthError from `handle` is thrown as it
 * is, after the tar is abandoned. Any other failure is traced to its cause: the tar (or its source)
 * failing — truncated, malformed, a dead stream — is invalid-argument `malformed-layer`; the file
 * system refusing a write (an errno code) is internal `layer-write-failed`.
 */
export async function forEachTarEntry(tar: Readable, handle: (entry: LayerEntry) => Promise<void>, through?: Transform): Promise<void> {
  const extract = rawPaxExtract();
  const fed = through === undefined ? pipeline(tar, extract) : pipeline(tar, through, extract);
  fed.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  try {
    for await (const value of extract) await handle(value);
    await fed;
  } catch (err) {
    if (err instanceof BerthError) {
      extract.destroy();
      tar.destroy();
      await fed.catch(() => undefined); // the feed fails because the tar was abandoned: `err` is the cause
      throw err;
    }
    // A dead entry stream or extractor: the tar (or its source) failed; report that cause.
    const cause = await fed.then(
      () => err,
      (feedError: unknown) => feedError,
    );
    tar.destroy();
    throw classify(cause);
  }
}

function classify(err: unknown): BerthError {
  if (err instanceof BerthError) return err;
  const code = errnoCode(err);
  if (code !== undefined && !code.startsWith('Z_') && !code.startsWith('ERR_')) {
    return errors.internal('layer-write-failed', `cannot unpack layer: ${messageOf(err)}`, { cause: err });
  }
  return errors.invalidArgument('malformed-layer', `layer is not a valid tar stream: ${messageOf(err)}`, { cause: err });
}
