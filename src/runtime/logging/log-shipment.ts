/**
 * Copies one container's spool — the k8s-file conmon writes, which outlives berthd — into its log
 * driver's files: json-file lines (json-file-encoder.ts) or the k8s-file records themselves
 * (`local`), rotated as Docker rotates (rotating-log-file.ts). Every copy ends with a checkpoint
 * (ship-checkpoint.ts), so after a crash `open` cuts off what the last checkpoint does not name
 * and the copy goes on from there: nothing is lost or written twice. While the container runs,
 * `watch` copies as conmon appends; copied parts of the spool are freed (holes punched);
 * `finish` (the container exited) writes the unfinished lines too, and `startAfresh` (the next
 * run) empties the spool.
 *
 * Calls are serialized; `attach` reads the files and subscribes a listener with no copy in between.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat, truncate, writeFile } from 'node:fs/promises';
import { messageOf } from '../../base/errors.js';
import { failpoint } from '../../base/failpoint.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { parseLogRecord, type LogRecord } from '../k8s-file-log.js';
import { JsonFileEncoder, type PendingLines } from './json-file-encoder.js';
import type { RotationSettings } from './log-options.js';
import { needsRotation } from './rotation-plan.js';
import { RotatingLogFile } from './rotating-log-file.js';
import { readCheckpoint, writeCheckpoint } from './ship-checkpoint.js';
import { inodeAndSize, readSpool } from './spool-file.js';

export type ShippedFormat = 'json-file' | 'local';

export interface LogShipmentOptions {
  /** conmon's k8s-file log of the container. */
  spoolPath: string;
  /** The current file of the driver's set (`<id>-json.log`, `local-logs/container.log`). */
  filePath: string;
  checkpointPath: string;
  format: ShippedFormat;
  rotation: RotationSettings;
  /** json-file: the marshalled attributes of every line (marshalAttributes). */
  attrs?: string | undefined;
  /** Runs `fallocate` to free copied parts of the spool. */
  runner: ProcessRunner;
  /** Problems that do not stop the copy (a spool line that is no record, a failed punch). */
  warn: (message: string) => void;
}

/** Lines appended to the driver's files, in order (each with its newline). */
export type ShippedLinesListener = (lines: readonly string[]) => void;

interface Transcoder {
  push(record: LogRecord, raw: string): string[];
  flush(): string[];
  pending(): PendingLines;
}

/** Bytes of the spool read at once (conmon's records are at most ~8 KiB). */
const CHUNK_BYTES = 1024 * 1024;
/** Free the copied part of the spool in steps of this much. */
const PUNCH_STEP_BYTES = 1024 * 1024;
const SAFETY_POLL_MS = 1000;

export class LogShipment {
  readonly #listeners = new Set<ShippedLinesListener>();
  #queue: Promise<unknown> = Promise.resolve();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #again = false;
  #punched = 0;
  #punchFailed = false;
  #closed = false;

  private constructor(
    private readonly options: LogShipmentOptions,
    private readonly file: RotatingLogFile,
    private readonly transcoder: Transcoder,
    private spoolIno: number,
    private offset: number,
  ) {}

  /** Opens the copy where its checkpoint left it (see the module comment). Throws on I/O errors. */
  static async open(options: LogShipmentOptions): Promise<LogShipment> {
    await writeFile(options.spoolPath, '', { flag: 'a', mode: 0o600 });
    const checkpoint = await readCheckpoint(options.checkpointPath);
    const file = await RotatingLogFile.open(options.filePath, options.rotation, checkpoint?.sink);
    const spool = await stat(options.spoolPath);
    const same = checkpoint !== undefined && checkpoint.spool.ino === spool.ino && checkpoint.spool.offset <= spool.size;
    // No checkpoint yet: a crash before the first one finds the file to cut back by its inode or size.
    return new LogShipment(options, file, transcoderFor(options, same ? checkpoint.pending : {}), spool.ino, same ? checkpoint.spool.offset : 0);
  }

  /** Copies what the spool has now (lines not ended yet are held back). */
  sync(): Promise<void> {
    return this.#serial(() => this.#copy());
  }

  /** The container's output has ended: copies everything, its unfinished lines too. */
  finish(): Promise<void> {
    return this.#serial(() => this.#finish());
  }

  /** Before a new run: finishes what an earlier run left, then starts the spool afresh. */
  startAfresh(): Promise<void> {
    return this.#serial(async () => {
      await this.#finish();
      if (this.offset === 0 && (await inodeAndSize(this.options.spoolPath))?.size === 0) return;
      await truncate(this.options.spoolPath, 0);
      this.offset = 0;
      this.#punched = 0;
      await this.#checkpoint();
    });
  }

  /** Runs `read` (of the driver's files) with nothing copied meanwhile. */
  read<T>(read: () => Promise<T>): Promise<T> {
    return this.#serial(read);
  }

  /** Runs `read` (of the driver's files) with nothing copied meanwhile, then adds `listener`. */
  attach<T>(read: () => Promise<T>, listener: ShippedLinesListener): Promise<{ value: T; detach: () => void }> {
    return this.#serial(async () => {
      const value = await read();
      this.#listeners.add(listener);
      return { value, detach: () => { this.#listeners.delete(listener); } };
    });
  }

  /** Copies as conmon appends (a watch on the spool and a slow safety poll) until `close`. */
  watch(): void {
    if (this.#watcher !== undefined || this.#closed) return;
    this.#watcher = watch(this.options.spoolPath, () => { this.#kick(); });
    this.#watcher.on('error', (err) => { this.options.warn(`watching ${this.options.spoolPath}: ${messageOf(err)}`); });
    this.#timer = setInterval(() => { this.#kick(); }, SAFETY_POLL_MS);
    this.#timer.unref();
    this.#kick();
  }

  /** Stops watching and closes the file once the calls in progress are done. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#watcher?.close();
    clearInterval(this.#timer);
    this.#listeners.clear();
    await this.#serial(() => this.file.close());
  }

  async #finish(): Promise<void> {
    await this.#copy();
    const unfinished = this.transcoder.flush();
    if (unfinished.length === 0) return;
    await this.#write(unfinished);
    await this.#checkpoint();
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work, work);
    this.#queue = result.catch(() => undefined); // the queue only orders calls: `result` carries the failure to its caller
    return result;
  }

  #kick(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    // Read through a function: watch events set the flag while a copy is awaited.
    const again = (): boolean => this.#again;
    void (async () => {
      try {
        do {
          this.#again = false;
          await this.sync();
        } while (again());
      } catch (err) {
        this.options.warn(`copying ${this.options.spoolPath}: ${messageOf(err)}`);
      } finally {
        this.#running = false;
      }
    })();
  }

  async #copy(): Promise<void> {
    if (this.#closed) return;
    const spool = await inodeAndSize(this.options.spoolPath);
    if (spool === undefined) return;
    // A spool replaced or started afresh behind the checkpoint's back: copy it from its start.
    if (spool.ino !== this.spoolIno || spool.size < this.offset) {
      this.spoolIno = spool.ino;
      this.offset = 0;
      this.#punched = 0;
    }
    const end = spool.size;
    while (this.offset < end) {
      const chunk = await readSpool(this.options.spoolPath, this.offset, Math.min(end - this.offset, CHUNK_BYTES));
      const last = chunk.lastIndexOf(0x0a);
      if (last < 0) {
        if (chunk.length < CHUNK_BYTES) return; // a record still being written
        this.options.warn(`${this.options.spoolPath}: ${chunk.length} bytes without a line end at ${this.offset} skipped`);
        this.offset += chunk.length;
        continue;
      }
      await this.#copyLines(chunk.subarray(0, last + 1));
      failpoint('log-copy-before-checkpoint');
      await this.#checkpoint();
      await this.#punch();
    }
  }

  /** Copies whole spool lines starting at `this.offset`, rotating before a record when the file is full. */
  async #copyLines(lines: Buffer): Promise<void> {
    let out: string[] = [];
    let at = 0;
    while (at < lines.length) {
      const next = lines.indexOf(0x0a, at);
      const raw = lines.subarray(at, next).toString('utf8');
      let record: LogRecord | undefined;
      try {
        record = parseLogRecord(raw);
      } catch (err) {
        this.options.warn(`${this.options.spoolPath}: skipped a line at ${this.offset + at}: ${messageOf(err)}`);
      }
      if (record !== undefined) {
        if (needsRotation(this.file.size + byteLength(out), this.options.rotation)) {
          await this.#write(out);
          out = [];
          // Named before the rotation: a crash inside it resumes at this record, in a new file.
          await this.#checkpoint(this.offset + at);
          await this.file.rotate();
          failpoint('log-copy-after-rotate');
        }
        out.push(...this.transcoder.push(record, raw));
      }
      at = next + 1;
    }
    await this.#write(out);
    this.offset += lines.length;
  }

  async #write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.file.append(lines.join(''));
    for (const listener of this.#listeners) listener(lines);
  }

  /** Makes the file durable, then names it and the spool position `offset` in the checkpoint. */
  async #checkpoint(offset = this.offset): Promise<void> {
    await this.file.sync();
    await writeCheckpoint(this.options.checkpointPath, {
      spool: { ino: this.spoolIno, offset },
      sink: this.file.identity(),
      pending: this.transcoder.pending(),
    });
  }

  /** Frees the copied part of the spool (conmon appends with O_APPEND, so offsets stay valid). */
  async #punch(): Promise<void> {
    const length = Math.floor(this.offset / 4096) * 4096;
    if (this.#punchFailed || length - this.#punched < PUNCH_STEP_BYTES) return;
    try {
      await this.options.runner.run('fallocate', ['--punch-hole', '--offset', '0', '--length', String(length), this.options.spoolPath]);
    } catch (err) {
      // Said once: the spool then grows until the container's next start empties it.
      this.#punchFailed = true;
      this.options.warn(`freeing the copied part of ${this.options.spoolPath} (not again for this run): ${messageOf(err)}`);
    }
    this.#punched = length;
  }
}

function byteLength(lines: readonly string[]): number {
  let total = 0;
  for (const line of lines) total += Buffer.byteLength(line);
  return total;
}

function transcoderFor(options: LogShipmentOptions, pending: PendingLines): Transcoder {
  if (options.format === 'json-file') {
    const encoder = new JsonFileEncoder(options.attrs, pending);
    return { push: (record) => encoder.push(record), flush: () => encoder.flush(), pending: () => encoder.pending() };
  }
  return { push: (_record, raw) => [`${raw}\n`], flush: () => [], pending: () => ({}) };
}
