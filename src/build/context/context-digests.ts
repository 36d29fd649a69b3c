/**
 * Content digests of a context tar's regular files, computed while the tar streams in (on its way
 * to the unpacker), so that a step's cache key does not read the files a second time. Best effort:
 * a tar this parser cannot read leaves it knowing nothing (the unpacker reports the real error),
 * and a file it does not know is hashed from disk as before.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { posix, relative } from 'node:path';
import { Transform } from 'node:stream';
import { extract as tarExtract } from 'tar-stream';
import type { FileDigests } from '../steps/copy-files.js';

interface Known {
  size: number;
  digest: string;
}

export class ContextDigests implements FileDigests {
  private readonly files = new Map<string, Known>();
  private root: string | undefined;
  private valid = true;

  /** A pass-through that hashes every regular file it sees go by. Call `settle` once it has ended. */
  tap(): { stream: Transform; settle(root: string): Promise<void> } {
    const extract = tarExtract();
    const reading = (async () => {
      for await (const entry of extract) {
        const name = posix.normalize(entry.header.name).replace(/^(\.\/|\/)+/, '').replace(/\/$/, '');
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
        }
        if (entry.header.type === 'file' || entry.header.type === 'contiguous-file') this.files.set(name, { size, digest: hash.digest('hex') });
        else this.files.delete(name);
      }
    })().catch(() => { this.valid = false; });
    // A chunk waiting for the parser to drain; released by a drain or by the parser's end.
    let waiting: (() => void) | undefined;
    const release = (): void => {
      const resume = waiting;
      waiting = undefined;
      resume?.();
    };
    extract.on('drain', release);
    extract.on('close', release);
    const stream = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        if (!this.valid || extract.destroyed) { callback(null, chunk); return; }
        if (extract.write(chunk)) callback(null, chunk);
        else waiting = () => { callback(null, chunk); };
      },
      flush: (callback) => {
        extract.end(null);
        callback();
      },
    });
    stream.on('error', () => { extract.destroy(); });
    return {
      stream,
      settle: async (root: string) => {
        await reading;
        this.root = root;
      },
    };
  }

  get(path: string, info: Stats): string | undefined {
    if (!this.valid || this.root === undefined) return undefined;
    const known = this.files.get(relative(this.root, path));
    return known !== undefined && known.size === info.size ? known.digest : undefined;
  }
}
