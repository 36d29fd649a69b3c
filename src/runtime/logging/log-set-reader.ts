/**
 * Reading a log driver's file set (`x.N[.gz]` … `x.1[.gz]`, `x`; gzip-compressed files inflated)
 * into entries: json-file lines one entry each (a partial message is a partial entry), or
 * `local`'s k8s-file records with their partial records joined, across files. Read-only; files
 * that rotate away while being read are skipped, so callers that need an exact snapshot read
 * while the writer waits (LogShipment.attach).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { errnoCode } from '../../base/errors.js';
import { LogAssembler, parseLogRecord, type LogEntry } from '../k8s-file-log.js';
import { decodeJsonLogLine } from './json-file-line.js';
import type { ShippedFormat } from './log-shipment.js';
import { filesOfSet } from './rotation-plan.js';

/** Lines of a set's files (or appended to them) → entries; keeps `local`'s unfinished lines. */
export class LogLineDecoder {
  readonly #assembler = new LogAssembler();

  constructor(private readonly format: ShippedFormat) {}

  /** Entries the lines complete. Throws data-loss (`invalid-log-record`) for a line of another format. */
  push(lines: readonly string[]): LogEntry[] {
    const entries: LogEntry[] = [];
    for (const text of lines) {
      const line = text.endsWith('\n') ? text.slice(0, -1) : text;
      if (line === '') continue;
      if (this.format === 'json-file') {
        entries.push(decodeJsonLogLine(line));
      } else {
        const entry = this.#assembler.push(parseLogRecord(line));
        if (entry !== undefined) entries.push(entry);
      }
    }
    return entries;
  }

  /** `local`: lines never ended (the output stopped mid-line), as partial entries. */
  flush(): LogEntry[] {
    return this.#assembler.flush();
  }
}

const inflate = promisify(gunzip);

async function fileText(path: string): Promise<string | undefined> {
  try {
    const data = await readFile(path);
    return (path.endsWith('.gz') ? await inflate(data) : data).toString('utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The entries of the set whose current file is `path` (rotated files below `maxFile`), oldest first; unfinished `local` lines
 * stay in `decoder` (flush it for a complete read). A missing set is empty. A last line without
 * its newline (being written) is left out.
 */
export async function readLogSet(path: string, maxFile: number, decoder: LogLineDecoder): Promise<LogEntry[]> {
  const names = await readdir(dirname(path)).catch((err: unknown) => {
    if (errnoCode(err) === 'ENOENT') return [] as string[];
    throw err;
  });
  const entries: LogEntry[] = [];
  for (const name of filesOfSet(basename(path), names, maxFile)) {
    const text = await fileText(join(dirname(path), name));
    if (text === undefined) continue;
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    entries.push(...decoder.push(complete.split('\n')));
  }
  return entries;
}
