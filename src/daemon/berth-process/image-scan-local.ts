/**
 * `BerthScan` in `berth image inspect` on a state root: the image's last vulnerability scan from
 * the root's scan database, as berthd's `GET /berth/v1/images/{id}/scan` reads it.
 */
import { existsSync } from 'node:fs';
import type { LastScanView } from '../../wire/security.js';
import { processClock, processRunner } from './process-parts.js';

/** A state root without a scan database has scanned nothing (and gets none made). */
export async function berthScanInProcess(stateRoot: string, imageId: string): Promise<LastScanView['LastScan']> {
  const { ScanService } = await import('../../security/scan-service.js');
  const { scanDatabasePath } = await import('../../security/scan-database.js');
  const { lastScanView } = await import('../../security/image-scan-store.js');
  if (!existsSync(scanDatabasePath(stateRoot))) return null;
  const scanner = ScanService.open(stateRoot, { runner: processRunner, clock: processClock });
  try {
    return lastScanView(imageId, scanner.scans.lastScan(imageId)).LastScan;
  } finally {
    scanner.close();
  }
}
