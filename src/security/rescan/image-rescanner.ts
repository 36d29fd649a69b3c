import { systemClock, type Clock } from '../../base/clock.js';
import { isBerthError, messageOf } from '../../base/errors.js';
import type { EventRecorder } from '../../events/event-types.js';
import type { ImageService } from '../../images/image-service.js';
import { familiarName } from '../../oci/reference.js';
import type { ScanService } from '../scan-service.js';
import type { Severity } from '../vulns/cvss.js';
import type { Finding } from '../../wire/security.js';
import { findingKey, newFindingsAtFloor, rescanEventAttributes, severityCounts } from './rescan-findings.js';
import type { ImageVulnerabilities, RescanMetrics } from './rescan-metrics.js';
import { planRescan, type WatchedImage } from './rescan-plan.js';

/** The action of the image event a rescan records (Type `image`). */
export const VULNERABILITIES_ACTION = 'vulnerabilities';

export interface ImageRescannerOptions {
  scanner: ScanService;
  images: ImageService;
  events: EventRecorder;
  metrics: RescanMetrics;
  /** Findings at or above it make events. */
  floor: Severity;
  watchedImages: () => WatchedImage[];
  clock?: Clock;
  /** One line per event (new findings, an image's failure) for the daemon's log. */
  log?: (line: string) => void;
}

function findingsLine(findings: readonly Finding[]): string {
  const shown = findings.slice(0, 5).map((f) => `${f.id} (${f.severity}) in ${f.package.name} ${f.package.version}`);
  return `${shown.join('; ')}${findings.length > shown.length ? `; and ${findings.length - shown.length} more` : ''}`;
}

/**
 * Rescans of the images in use (`pass`; which images: rescan-plan). Findings at or above the floor
 * that were never reported for an image become one `image` / `vulnerabilities` event, then are
 * remembered as reported in the scan database (event first: a crash between the two repeats an
 * event rather than losing one). An image that fails is tried again at the next pass, its failure
 * logged once. Not safe to run two passes at once: RescanLoop runs one at a time.
 */
export class ImageRescanner {
  /** Image id → generation its findings were last matched against (in memory: berthd rescans after a restart). */
  private readonly matchedAt = new Map<string, number>();
  private readonly latest = new Map<string, ImageVulnerabilities>();
  /** Image id → the last failure logged for it. */
  private readonly failures = new Map<string, string>();
  private lastGeneration: number | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: ImageRescannerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Rescans what needs it (every image in use when `full`); does nothing when nothing does. */
  async pass(full: boolean): Promise<void> {
    const generation = this.options.scanner.vulns.generation();
    const plan = planRescan({ watched: this.options.watchedImages(), generation, lastGeneration: this.lastGeneration, matchedAt: this.matchedAt, full });
    if (plan === undefined) return;
    for (const id of plan.unused) {
      this.latest.delete(id);
      this.matchedAt.delete(id);
      this.failures.delete(id);
    }
    for (const image of plan.stale) {
      try {
        await this.rescan(image);
        this.failures.delete(image.imageId);
      } catch (err) {
        if (isBerthError(err, 'not-found')) {
          // Removed from the store (forced) while a container still names it: nothing to report.
          this.matchedAt.set(image.imageId, generation);
          continue;
        }
        this.options.metrics.imageFailed();
        const message = messageOf(err);
        if (this.failures.get(image.imageId) !== message) this.options.log?.(`rescan of image ${image.imageId}: ${message}`);
        this.failures.set(image.imageId, message);
      }
    }
    this.lastGeneration = generation;
    this.options.metrics.rescanned(plan.trigger, generation, this.clock.now(), [...this.latest.values()]);
  }

  private async rescan(image: WatchedImage): Promise<void> {
    const { scanner, images, floor } = this.options;
    const record = images.resolve(image.imageId);
    const report = await scanner.scan(record.id, images);
    const counts = severityCounts(report.findings);
    const name = record.names[0] === undefined ? record.id : familiarName(record.names[0]);
    const fresh = newFindingsAtFloor(report.findings, floor, scanner.scans.reported(record.id));
    if (fresh.length > 0) {
      const attributes = rescanEventAttributes({ name, floor, counts, fresh, generation: report.databaseGeneration, containerIds: image.containerIds });
      this.options.events.record('image', VULNERABILITIES_ACTION, { id: record.id, attributes });
      scanner.scans.markReported(record.id, fresh.map((f) => ({ key: findingKey(f), severity: f.severity })), this.clock.now().toISOString());
      this.options.metrics.findingsReported(fresh.map((f) => f.severity));
      this.options.log?.(`image ${name} (${record.id.slice(7, 19)}) has ${fresh.length} new finding${fresh.length === 1 ? '' : 's'} at or above ${floor}: ${findingsLine(fresh)}`);
    }
    // Only once reported: an image whose event could not be recorded is tried again next pass.
    this.matchedAt.set(record.id, report.databaseGeneration);
    this.latest.set(record.id, { image: name, imageId: record.id, counts });
  }
}
