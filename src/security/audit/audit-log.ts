/**
 * The audit trail's writer: appends records to the newest file in call order. A durable append
 * (the default: a request record, which the caller lets take effect only once it resolves)
 * resolves once its record is written and fsynced; an append with `{ durable: false }` (an
 * outcome, which nothing waits on) once it is written, and it is made durable by the next fsync
 * (the next durable record's, or `close`). Records that arrive while a write is under way go
 * together in the next write and its one fsync (a group commit). When the file reaches
 * `maxFileBytes`, the next write starts a new file; the chain simply continues into it (its first
 * record's `prev` is the last hash of the file before). On open, the chain resumes from the last
 * record on disk.
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

interface Pending {
  entry: AuditEntry;
  durable: boolean;
  resolve: (record: AuditRecord) => void;
  reject: (err: unknown) => void;
}

export class AuditLog {
  #pending: Pending[] = [];
  /** The write under way, if any (it takes every record pending when it starts). */
  #writing: Promise<void> | undefined;
  /** Written records not yet fsynced. */
  #unsynced = false;
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

  /** Appends one record; resolves with it once written (and fsynced unless `durable` is false). unavailable when the disk refuses. */
  append(entry: AuditEntry, options: { durable?: boolean } = {}): Promise<AuditRecord> {
    return new Promise<AuditRecord>((resolve, reject) => {
      this.#pending.push({ entry, durable: options.durable ?? true, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        const records = await this.#write(batch);
        batch.forEach((pending, i) => { pending.resolve(records[i] as AuditRecord); });
      } catch (err) {
        for (const pending of batch) pending.reject(err);
      }
    }
    this.#writing = undefined;
  }

  /** Writes the batch's records with one write, and fsyncs when one of them must be durable. */
  async #write(batch: readonly Pending[]): Promise<AuditRecord[]> {
    let { seq, lastHash } = this;
    const records: AuditRecord[] = [];
    const lines: string[] = [];
    for (const { entry } of batch) {
      const record = { seq: seq + 1, time: this.options.clock.now().toISOString(), prev: lastHash, ...entry };
      const hash = hashOf(record);
      records.push(record);
      lines.push(`${JSON.stringify({ ...record, hash })}\n`);
      seq = record.seq;
      lastHash = hash;
    }
    const text = lines.join('');
    try {
      const handle = await this.#file(Buffer.byteLength(text));
      await handle.write(text);
      this.#unsynced = true;
      if (batch.some((pending) => pending.durable)) await this.#sync(handle);
    } catch (cause) {
      throw errors.unavailable('audit-write-failed', `the audit trail cannot be written in ${this.dir}`, { cause });
    }
    this.#size += Buffer.byteLength(text);
    this.seq = seq;
    this.lastHash = lastHash;
    return records;
  }

  async #sync(handle: FileHandle): Promise<void> {
    await handle.datasync();
    this.#unsynced = false;
  }

  async #file(adding: number): Promise<FileHandle> {
    const limit = this.options.maxFileBytes ?? DEFAULT_AUDIT_FILE_BYTES;
    if (this.#handle !== undefined && this.#size > 0 && this.#size + adding > limit) {
      if (this.#unsynced) await this.#sync(this.#handle);
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
    await this.#writing;
    if (this.#handle !== undefined && this.#unsynced) await this.#sync(this.#handle);
    await this.#handle?.close();
    this.#handle = undefined;
  }
}
