/**
 * The audit trail's writer: appends records to the newest file, each written and fsynced before
 * `append` resolves (the caller lets the request take effect only then). Appends are serialized
 * in call order. When the file reaches `maxFileBytes`, the next record starts a new file; the
 * chain simply continues into it (its first record's `prev` is the last hash of the file before).
 * On open, the chain resumes from the last record on disk.
 */
import { open, mkdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../base/clock.js';
import { errors } from '../../base/errors.js';
import { auditFileIndexes, auditFileName, readAuditLines } from './audit-files.js';
import { GENESIS_HASH, hashOf, type AuditEntry, type AuditRecord } from './audit-record.js';

export const DEFAULT_AUDIT_FILE_BYTES = 64 * 1024 * 1024;

export interface AuditLogOptions {
  clock: Clock;
  /** Start a new file beyond this size (default 64 MiB). */
  maxFileBytes?: number;
}

export class AuditLog {
  #tail: Promise<unknown> = Promise.resolve();
  #handle: FileHandle | undefined;
  #size = 0;

  private constructor(
    readonly dir: string,
    private readonly options: AuditLogOptions,
    private index: number,
    private seq: number,
    private lastHash: string,
  ) {}

  /** Opens the trail in `dir` (created 0700), resuming after its last record. */
  static async open(dir: string, options: AuditLogOptions): Promise<AuditLog> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const indexes = await auditFileIndexes(dir);
    const lines = await readAuditLines(dir);
    const last = lines.findLast((line) => line.record !== undefined)?.record;
    return new AuditLog(dir, options, indexes.at(-1) ?? 1, last?.seq ?? 0, last?.hash ?? GENESIS_HASH);
  }

  /** Appends one record, durably; resolves with it. unavailable when the disk refuses. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    const next = this.#tail.then(() => this.#write(entry));
    this.#tail = next.catch(() => undefined); // the caller has `next` and its failure; the queue goes on
    return next;
  }

  async #write(entry: AuditEntry): Promise<AuditRecord> {
    const record = { seq: this.seq + 1, time: this.options.clock.now().toISOString(), prev: this.lastHash, ...entry };
    const hash = hashOf(record);
    const line = `${JSON.stringify({ ...record, hash })}\n`;
    try {
      const handle = await this.#file(Buffer.byteLength(line));
      await handle.write(line);
      await handle.datasync();
    } catch (cause) {
      throw errors.unavailable('audit-write-failed', `the audit trail cannot be written in ${this.dir}`, { cause });
    }
    this.#size += Buffer.byteLength(line);
    this.seq = record.seq;
    this.lastHash = hash;
    return record;
  }

  async #file(adding: number): Promise<FileHandle> {
    const limit = this.options.maxFileBytes ?? DEFAULT_AUDIT_FILE_BYTES;
    if (this.#handle !== undefined && this.#size > 0 && this.#size + adding > limit) {
      await this.#handle.close();
      this.#handle = undefined;
      this.index += 1;
    }
    if (this.#handle === undefined) {
      this.#handle = await open(join(this.dir, auditFileName(this.index)), 'a', 0o600);
      this.#size = (await this.#handle.stat()).size;
      if (this.#size > 0 && this.#size + adding > limit) {
        await this.#handle.close();
        this.index += 1;
        this.#handle = await open(join(this.dir, auditFileName(this.index)), 'a', 0o600);
        this.#size = 0;
      }
    }
    return this.#handle;
  }

  async close(): Promise<void> {
    await this.#tail;
    await this.#handle?.close();
    this.#handle = undefined;
  }
}
