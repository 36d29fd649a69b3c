/**
 * `BerthScan` in `berth image inspect`: the image's last vulnerability scan (`{Time,
 * DatabaseGeneration, Counts}` by severity), or null when it was never scanned — read from
 * berthd's `GET /berth/v1/images/{id}/scan` (on a state root, the in-process port reads the root's
 * scan database).
 */
import type { BerthClient } from '../../client/berth-client.js';

export type BerthScanField = Awaited<ReturnType<BerthClient['security']['lastScan']>>['LastScan'];

export async function berthScanThroughDaemon(client: BerthClient, imageId: string): Promise<BerthScanField> {
  return (await client.security.lastScan(imageId)).LastScan;
}
