import { systemTimers, type Clock, type Timers } from '../base/clock.js';
import { messageOf } from '../base/errors.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import type { EventRecorder } from '../events/event-types.js';
import type { ImageService } from '../images/image-service.js';
import { ImageRescanner } from './rescan/image-rescanner.js';
import type { WatchedImage } from './rescan/rescan-plan.js';
import { RescanLoop } from './rescan/rescan-loop.js';
import { RescanMetrics } from './rescan/rescan-metrics.js';
import type { ScanService } from './scan-service.js';
import type { Severity } from './vulns/cvss.js';

const log = componentLogger('security');

/** What berthd needs of a container record to watch its image. */
interface ContainerLike { id: string; imageId: string }

/** The images of existing containers (whatever their state), each with the containers that use it. */
export function watchedImagesOf(containers: readonly ContainerLike[]): WatchedImage[] {
  const byImage = new Map<string, string[]>();
  for (const c of containers) byImage.set(c.imageId, [...(byImage.get(c.imageId) ?? []), c.id]);
  return [...byImage].map(([imageId, containerIds]) => ({ imageId, containerIds }));
}

/** berthd's rescan settings (`--rescan-severity`, `--rescan-interval`, `--rescan-check-interval`). */
export interface RescanSettings {
  floor: Severity;
  /** 0: no scheduled full rescans. */
  rescanIntervalMs: number;
  checkIntervalMs: number;
}

export interface RescansOptions extends RescanSettings {
  scanner: ScanService;
  images: ImageService;
  events: EventRecorder;
  watchedImages: () => WatchedImage[];
  timers?: Timers;
  /** When rescans happened and findings were reported (default: the system clock). */
  clock?: Clock;
  /** Where the rescans' lines go (new findings, failures). Default: the process logger, as warnings. */
  log?: (line: string) => void;
}

/** Rescans running in berthd: their metrics, a way to ask for a check now (after an import), and stop. */
export interface Rescans {
  metrics: RescanMetrics;
  checkNow(): void;
  close(): Promise<void>;
}

/** Starts berthd's rescans of the images in use (first check at once). */
export function startRescans(options: RescansOptions): Rescans {
  const line = options.log ?? ((text: string) => { log.warn(text); });
  const metrics = new RescanMetrics();
  const rescanner = new ImageRescanner({ scanner: options.scanner, images: options.images, events: options.events, metrics, floor: options.floor, watchedImages: options.watchedImages, log: line, ...(options.clock !== undefined && { clock: options.clock }) });
  const loop = new RescanLoop({
    timers: options.timers ?? systemTimers,
    checkIntervalMs: options.checkIntervalMs,
    rescanIntervalMs: options.rescanIntervalMs,
    pass: (full) => rescanner.pass(full),
    onError: options.log === undefined ? warnOnFailure(log, 'vulnerability rescan') : (err) => { line(`vulnerability rescan failed: ${messageOf(err)}`); },
  });
  loop.start();
  return { metrics, checkNow: () => { loop.checkNow(); }, close: () => loop.close() };
}
