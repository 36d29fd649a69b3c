/** berth's scanning routes; the shapes are in `../wire/security.ts`. */
import type { DatabaseImportConfig, ImportResult, LastScanView, ScanReport } from '../wire/security.js';
import type { ApiTransport } from './api-transport.js';

/** An image name in a path: each `/`-separated part encoded. */
function imagePath(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

/** berth's scanning routes (`/berth/v1/…`): scans and SBOMs of images, vulnerability database imports. */
export class SecurityClient {
  constructor(private readonly api: ApiTransport) {}

  /** `POST /berth/v1/images/{name}/scan`; not-found for an unknown image. */
  scan(name: string, options: { severity?: string; ignoreUnfixed?: boolean }): Promise<ScanReport> {
    return this.api.json<ScanReport>('POST', `/berth/v1/images/${imagePath(name)}/scan`, { query: { severity: options.severity, ignoreUnfixed: options.ignoreUnfixed === true ? true : undefined } });
  }

  /** `GET /berth/v1/images/{name}/scan`: the image's last scan (`LastScan` null when never scanned); not-found for an unknown image. */
  lastScan(name: string): Promise<LastScanView> {
    return this.api.json<LastScanView>('GET', `/berth/v1/images/${imagePath(name)}/scan`);
  }

  /** `POST /berth/v1/images/{name}/sbom?format=cyclonedx|spdx`. */
  sbom(name: string, format: string): Promise<object> {
    return this.api.json<object>('POST', `/berth/v1/images/${imagePath(name)}/sbom`, { query: { format } });
  }

  /** `POST /berth/v1/scan/db/import` of a directory or zip on the daemon's host. */
  importDatabase(path: string): Promise<ImportResult> {
    const body: DatabaseImportConfig = { path };
    return this.api.json<ImportResult>('POST', '/berth/v1/scan/db/import', { body });
  }
}
