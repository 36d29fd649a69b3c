import { Counter, Gauge, Registry } from 'prom-client';
import { SEVERITIES, type Severity } from '../vulns/cvss.js';
import type { SeverityCounts } from './rescan-findings.js';

/** What started a rescan: the first one, a changed database, newly used images, or the schedule. */
export type RescanTrigger = 'start' | 'database' | 'images' | 'schedule';

/** One image in use and its findings by severity, as of its last rescan. */
export interface ImageVulnerabilities {
  /** Familiar name, or the id when the image has none. */
  image: string;
  imageId: string;
  counts: SeverityCounts;
}

/**
 * The rescans' Prometheus metrics, on a registry of their own (as the registry's are) that berthd
 * serves at `GET /berth/v1/metrics`.
 */
export class RescanMetrics {
  readonly registry = new Registry();
  private readonly vulnerabilities = new Gauge({ name: 'berth_image_vulnerabilities', help: 'Known vulnerabilities of each image in use, by severity, as of its last rescan', labelNames: ['image', 'image_id', 'severity'], registers: [this.registry] });
  private readonly rescans = new Counter({ name: 'berth_vulnerability_rescans_total', help: 'Rescans of the images in use, by what started them', labelNames: ['trigger'], registers: [this.registry] });
  private readonly reported = new Counter({ name: 'berth_vulnerability_findings_reported_total', help: 'New findings at or above the severity floor reported as events, by severity', labelNames: ['severity'], registers: [this.registry] });
  private readonly failures = new Counter({ name: 'berth_vulnerability_rescan_failures_total', help: 'Images a rescan could not scan', registers: [this.registry] });
  private readonly generation = new Gauge({ name: 'berth_vulnerability_database_generation', help: 'Generation of the vulnerability database the last rescan matched', registers: [this.registry] });
  private readonly lastRescan = new Gauge({ name: 'berth_vulnerability_last_rescan_timestamp_seconds', help: 'When the last rescan finished (Unix seconds)', registers: [this.registry] });

  /** A rescan finished: `images` is every image in use (rescanned now or before); others drop out of the gauge. */
  rescanned(trigger: RescanTrigger, generation: number, finishedAt: Date, images: readonly ImageVulnerabilities[]): void {
    // One synchronous block: a scrape never sees the gauge half rebuilt.
    this.vulnerabilities.reset();
    for (const entry of images) {
      for (const severity of SEVERITIES) this.vulnerabilities.set({ image: entry.image, image_id: entry.imageId, severity }, entry.counts[severity]);
    }
    this.rescans.inc({ trigger });
    this.generation.set(generation);
    this.lastRescan.set(finishedAt.getTime() / 1000);
  }

  findingsReported(severities: readonly Severity[]): void {
    for (const severity of severities) this.reported.inc({ severity });
  }

  imageFailed(): void {
    this.failures.inc();
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
