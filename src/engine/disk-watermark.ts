/**
 * Automatic cleanup by disk usage, in the spirit of the kubelet's image GC: when the filesystem of
 * the state root is fuller than the high watermark, stopped containers (longest stopped first) and
 * then images no container uses (oldest first) are removed until usage is at or below the low
 * watermark. Only what has been stopped or unused for at least `minAgeMs` is touched. Off unless
 * berthd is given a high watermark.
 */
import { statfs } from 'node:fs/promises';
import { systemClock, type Clock } from '../base/clock.js';
import { errors, isBerthError } from '../base/errors.js';
import type { ImageService } from '../images/image-service.js';
import { ZERO_TIME, type ContainerRecord } from './container-record.js';

/** What the collector needs of the engine (ContainerEngine is one): its records, `rm`, image use. */
export interface WatermarkContainers {
  list(): ContainerRecord[];
  /** As `rm` without force: conflict for a running container, not-found for a gone one. */
  remove(ref: string): Promise<void>;
  /** Whether any container (in any state) was created from the image. */
  usesImage(imageId: string): boolean;
}

export interface DiskWatermarkOptions {
  /** Start collecting above this percentage of the filesystem in use (1–100). */
  highPercent: number;
  /** Stop once usage is at or below this (0–highPercent). */
  lowPercent: number;
  /** A container stopped, or an image loaded, less than this long ago is kept. */
  minAgeMs: number;
  clock?: Clock;
  /** Percent of the state root's filesystem in use; statfs by default. */
  usedPercent?: () => Promise<number>;
}

export interface WatermarkPass {
  /** Usage before and after, in percent. */
  before: number;
  after: number;
  removedContainers: string[];
  removedImages: string[];
}

/** Checks the watermarks. Throws invalid-argument (`invalid-watermark`) naming the wrong one. */
export function checkWatermarks(high: number, low: number): void {
  if (!Number.isFinite(high) || high <= 0 || high > 100) throw errors.invalidArgument('invalid-watermark', `--gc-high-watermark ${high}: want a percentage in (0, 100]`);
  if (!Number.isFinite(low) || low < 0 || low >= high) throw errors.invalidArgument('invalid-watermark', `--gc-low-watermark ${low}: want a percentage below the high watermark (${high})`);
}

/** Percent of a filesystem's blocks not available to unprivileged users, as `df` reports Use%. */
export async function filesystemUsedPercent(path: string): Promise<number> {
  const fs = await statfs(path);
  const usable = fs.blocks - fs.bfree + fs.bavail;
  return usable === 0 ? 0 : ((fs.blocks - fs.bfree) / usable) * 100;
}

const STOPPED = new Set(['exited', 'dead', 'created']);

export class DiskWatermarkCollector {
  readonly #clock: Clock;
  readonly #usedPercent: () => Promise<number>;
  #running = false;

  constructor(private readonly engine: WatermarkContainers, private readonly images: ImageService, private readonly options: DiskWatermarkOptions) {
    checkWatermarks(options.highPercent, options.lowPercent);
    this.#clock = options.clock ?? systemClock;
    this.#usedPercent = options.usedPercent ?? (() => filesystemUsedPercent(images.root.path));
  }

  /**
   * One pass: nothing happens at or below the high watermark. Safe to call while containers are
   * created and started (removals go through the engine and the image store as `rm` and `rmi`
   * would); a pass already running makes this one return at once with nothing removed.
   */
  async check(): Promise<WatermarkPass> {
    const before = await this.#usedPercent();
    const pass: WatermarkPass = { before, after: before, removedContainers: [], removedImages: [] };
    if (this.#running || before <= this.options.highPercent) return pass;
    this.#running = true;
    try {
      const now = this.#clock.now().getTime();
      const old = (iso: string): boolean => now - Date.parse(iso) >= this.options.minAgeMs;
      for (const record of this.#stoppedContainers().filter((r) => old(stoppedAt(r)))) {
        if (pass.after <= this.options.lowPercent) break;
        if (await this.#removeContainer(record.id)) pass.removedContainers.push(record.id);
        pass.after = await this.#usedPercent();
      }
      const used = new Set(this.engine.list().map((r) => r.imageId));
      const unused = this.images.list().filter((i) => !used.has(i.id) && old(i.loadedAt)).sort((a, b) => a.loadedAt.localeCompare(b.loadedAt));
      for (const image of unused) {
        if (pass.after <= this.options.lowPercent) break;
        if (await this.#removeImage(image.id)) pass.removedImages.push(image.id);
        pass.after = await this.#usedPercent();
      }
      return pass;
    } finally {
      this.#running = false;
    }
  }

  /** Stopped containers, longest stopped first. */
  #stoppedContainers(): ContainerRecord[] {
    return this.engine.list().filter((r) => STOPPED.has(r.state.status)).sort((a, b) => stoppedAt(a).localeCompare(stoppedAt(b)));
  }

  /** Removes a container unless it was started (or removed) meanwhile. */
  async #removeContainer(id: string): Promise<boolean> {
    try {
      await this.engine.remove(id);
      return true;
    } catch (err) {
      if (isBerthError(err, 'conflict') || isBerthError(err, 'not-found')) return false;
      throw err;
    }
  }

  /** Removes an image unless a container started using it (or it went) meanwhile. */
  async #removeImage(id: string): Promise<boolean> {
    if (this.engine.usesImage(id)) return false;
    try {
      await this.images.remove([id], true);
      return !this.images.list().some((i) => i.id === id);
    } catch (err) {
      if (isBerthError(err, 'not-found') || isBerthError(err, 'conflict')) return false;
      throw err;
    }
  }
}

/** When a stopped container stopped (created ones: when they were created). */
function stoppedAt(record: ContainerRecord): string {
  return record.state.finishedAt === ZERO_TIME ? record.createdAt : record.state.finishedAt;
}
