// Reading a tar stream in tests: every entry's header and data, in order.
import type { Readable } from 'node:stream';
import { extract, type Header } from 'tar-stream';

export interface ReadTarEntry {
  header: Header;
  data: Buffer;
}

/** Every entry of a tar stream with its whole data, in order. */
export async function readTarEntries(stream: Readable): Promise<ReadTarEntry[]> {
  const entries: ReadTarEntry[] = [];
  const parser = extract();
  const done = new Promise<void>((resolve, reject) => {
    parser.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        entries.push({ header, data: Buffer.concat(chunks) });
        next();
      });
    });
    parser.on('finish', resolve);
    parser.on('error', reject);
  });
  stream.pipe(parser);
  await done;
  return entries;
}
