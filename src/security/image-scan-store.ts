import { componentLogger } from '../base/logger.js';
import type { ScanDatabase } from './scan-database.js';
import { SEVERITIES, type Severity } from './vulns/cvss.js';
import type { LastScanView } from '../wire/security.js';

const log = componentLogger('security');

/** The last vulnerability scan of one image: when, against which database generation, how many findings by severity. */
export interface LastScan {
  imageId: string;
  /** ISO 8601. */
  time: string;
  generation: number;
  counts: Record<Severity, number>;
}


export function lastScanView(imageId: string, scan: LastScan | undefined): LastScanView {
  return { Image: imageId, LastScan: scan === undefined ? null : { Time: scan.time, DatabaseGeneration: scan.generation, Counts: scan.counts } };
}

interface ScanRow { image_id: string; scanned_at: string; generation: number; counts: string }

function countsOf(text: string, imageId: string): Record<Severity, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    log.warn('the stored finding counts of an image\'s last scan are not JSON: shown as none', { err, imageId });
    parsed = {};
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return Object.fromEntries(SEVERITIES.map((s) => [s, typeof record[s] === 'number' ? record[s] : 0])) as Record<Severity, number>;
}

/**
 * Per-image scan state in the scan database: the last scan of each image (any scan of an image of
 * the store writes it), and the findings already reported for it (what rescans compare with, so
 * a finding is reported once per image, also across berthd restarts). Calls are synchronous;
 * several processes may use one database (SQLite WAL).
 */
export class ImageScanStore {
  constructor(private readonly db: ScanDatabase) {}

  /** Replaces the image's last scan. */
  recordScan(scan: LastScan): void {
    this.db.sqlite
      .prepare('INSERT INTO image_scans (image_id, scanned_at, generation, counts) VALUES (?, ?, ?, ?) ON CONFLICT(image_id) DO UPDATE SET scanned_at = excluded.scanned_at, generation = excluded.generation, counts = excluded.counts')
      .run(scan.imageId, scan.time, scan.generation, JSON.stringify(scan.counts));
  }

  /** The image's last scan, or undefined when it was never scanned. */
  lastScan(imageId: string): LastScan | undefined {
    const row = this.db.sqlite.prepare('SELECT image_id, scanned_at, generation, counts FROM image_scans WHERE image_id = ?').get(imageId) as ScanRow | undefined;
    return row === undefined ? undefined : { imageId: row.image_id, time: row.scanned_at, generation: row.generation, counts: countsOf(row.counts, row.image_id) };
  }

  /** The keys (rescan-findings' findingKey) of the findings already reported for the image. */
  reported(imageId: string): Set<string> {
    const rows = this.db.sqlite.prepare('SELECT finding FROM reported_findings WHERE image_id = ?').all(imageId) as { finding: string }[];
    return new Set(rows.map((r) => r.finding));
  }

  /** Remembers findings as reported (one transaction; a key already there is kept). */
  markReported(imageId: string, findings: readonly { key: string; severity: Severity }[], time: string): void {
    const insert = this.db.sqlite.prepare('INSERT OR IGNORE INTO reported_findings (image_id, finding, severity, reported_at) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const f of findings) insert.run(imageId, f.key, f.severity, time);
    });
  }
}
