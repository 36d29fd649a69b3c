/**
 * The writing end of a log file set (`x`, `x.1[.gz]`, …) that rotates as Docker's do
 * (rotation-plan.ts). One writer per set; not safe for concurrent calls. A new current file is
 * always created beside the old one and renamed into place, so its inode differs from the
 * checkpointed file's as long as that one exists: `open` tells from the inode whether a rotation
 * happened after the last checkpoint.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { syncDirectory, tempPathFor } from '../../base/atomic-file.js';
import { errnoCode } from '../../base/errors.js';
import type { RotationSettings } from './log-options.js';
import { rotationPlan, type RotationStep } from './rotation-plan.js';
import { inodeAndSize } from './spool-file.js';

/** Which file the set's current file was at a checkpoint, and how long. */
export interface FileIdentity {
  ino: number;
  size: number;
}

const FILE_MODE = 0o640;

/** Compresses `from` to `to` (temp file, fsync, rename), then removes `from`. */
async function compressFile(from: string, to: string): Promise<void> {
  const temp = tempPathFor(to);
  try {
    await pipeline(createReadStream(from), createGzip(), createWriteStream(temp, { mode: FILE_MODE }));
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, to);
  } finally {
    await rm(temp, { force: true });
  }
  await rm(from, { force: true });
}

export class RotatingLogFile {
  private constructor(
    readonly path: string,
    private readonly settings: RotationSettings,
    private handle: FileHandle,
    private ino: number,
    private bytes: number,
  ) {}

  /**
   * Opens the set for appending after the checkpoint `at`: when the current file is the
   * checkpointed one, what was appended after the checkpoint is cut off; when it is another (a
   * rotation after the checkpoint) or there is no checkpoint, it starts empty. Also finishes a
   * compression cut short and removes temp files.
   */
  static async open(path: string, settings: RotationSettings, at: FileIdentity | undefined): Promise<RotatingLogFile> {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const names = await readdir(dir);
    for (const name of names) if (name.startsWith(`.tmp-${basename(path)}`)) await rm(join(dir, name), { force: true });
    if (settings.compress && names.includes(`${basename(path)}.1`)) await compressFile(`${path}.1`, `${path}.1.gz`);
    const current = await inodeAndSize(path);
    if (current === undefined || at === undefined || current.ino !== at.ino) return RotatingLogFile.#fresh(path, settings);
    const handle = await open(path, 'r+');
    const size = Math.min(current.size, at.size);
    if (current.size > size) await handle.truncate(size);
    await handle.close();
    return new RotatingLogFile(path, settings, await open(path, 'a', FILE_MODE), current.ino, size);
  }

  /** A new, empty current file renamed over whatever `path` was. */
  static async #fresh(path: string, settings: RotationSettings): Promise<RotatingLogFile> {
    const temp = tempPathFor(path);
    const handle = await open(temp, 'wx', FILE_MODE);
    try {
      await rename(temp, path);
    } catch (err) {
      await handle.close();
      await rm(temp, { force: true });
      throw err;
    }
    return new RotatingLogFile(path, settings, handle, (await handle.stat()).ino, 0);
  }

  get size(): number {
    return this.bytes;
  }

  identity(): FileIdentity {
    return { ino: this.ino, size: this.bytes };
  }

  async append(text: string): Promise<void> {
    if (text === '') return;
    const data = Buffer.from(text);
    let written = 0;
    while (written < data.length) written += (await this.handle.write(data, written)).bytesWritten;
    this.bytes += data.length;
  }

  /** Makes what was appended durable (call before a checkpoint names it). */
  async sync(): Promise<void> {
    await this.handle.datasync();
  }

  /** One rotation (rotationPlan): afterwards the current file is a new, empty one. */
  async rotate(): Promise<void> {
    let fresh: RotatingLogFile | undefined;
    const compress: RotationStep[] = [];
    for (const step of rotationPlan(this.path, this.settings)) {
      if (step.kind === 'remove') await rm(step.path, { force: true });
      else if (step.kind === 'rename') await rename(step.from, step.to).catch((err: unknown) => { if (errnoCode(err) !== 'ENOENT') throw err; });
      else if (step.kind === 'truncate') fresh = await RotatingLogFile.#fresh(this.path, this.settings);
      else compress.push(step);
    }
    if (fresh !== undefined) {
      await this.handle.close();
      this.handle = fresh.handle;
      this.ino = fresh.ino;
      this.bytes = 0;
    }
    await syncDirectory(dirname(this.path));
    for (const step of compress) if (step.kind === 'compress') await compressFile(step.from, step.to);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
