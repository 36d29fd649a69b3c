/**
 * `BerthScan` in `berth image inspect`: the image's last vulnerability scan (`{Time,
 * DatabaseGeneration, Counts}` by severity), or null when it was never scanned — read from
 * berthd's `GET /berth/v1/images/{id}/scan`, or from the scan database of the state root.
 */
import { existsSync } from 'node:fs';
import type { BerthClient } from '../../client/berth-client.js';
import type { LastScanView } from '../../security/image-scan-store.js';

export type BerthScanField = LastScanView['LastScan'];

export async function berthScanThroughDaemon(client: BerthClient, imageId: string): Promise<BerthScanField> {
  return (await client.security.lastScan(imageId)).LastScan;
}

/** In this process; a state root without a scan database has scanned nothing (and gets none made). */
export async function berthScanInProcess(stateRoot: string, imageId: string): Promise<BerthScanField> {
  const { ScanService } = await import('../../security/scan-service.js');
  const { scanDatabasePath } = await import('../../security/scan-database.js');
  const { lastScanView } = await import('../../security/image-scan-store.js');
  if (!existsSync(scanDatabasePath(stateRoot))) return null;
  const scanner = ScanService.open(stateRoot);
  try {
    return lastScanView(imageId, scanner.scans.lastScan(imageId)).LastScan;
  } finally {
    scanner.close();
  }
}
