import { stat } from 'node:fs/promises';
import type { Clock } from '../base/clock.js';
import { errnoCode, isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { ImageService } from '../images/image-service.js';
import { toCycloneDx } from './sbom/cyclonedx.js';
import { InventoryCache } from './sbom/inventory-cache.js';
import { InventoryService, type ImageInventoryResult } from './sbom/inventory-service.js';
import { toSpdx } from './sbom/spdx.js';
import { ImageScanStore } from './image-scan-store.js';
import { severityCounts } from './rescan/rescan-findings.js';
import { ScanDatabase, scanDatabasePath } from './scan-database.js';
import { SBOM_FORMATS, type ImportResult, type SbomFormat, type ScanReport } from '../wire/security.js';
import { matchInventory } from './vulns/matcher.js';
import { readOsvRecords } from './vulns/osv-source.js';
import { VulnDatabase } from './vulns/vuln-database.js';

/** The SBOM formats are part of the API (`../wire/security.ts`). */
export { SBOM_FORMATS, type SbomFormat };

export interface ScanOptions {
  /** Leave out findings without a fixed version (after the last scan is recorded). */
  ignoreUnfixed?: boolean;
}

/** What the composition root hands the scanner. */
export interface ScanServiceOptions {
  /** Runs the tools that read layers and archives (tar). */
  runner: ProcessRunner;
  /** Times of SBOMs and of recorded last scans. */
  clock: Clock;
}

/**
 * SBOMs and vulnerability scans of images in the store, directories and root filesystem
 * tarballs, over the scanner's own database (`<root>/scan/vulns.db`). Inventories of image
 * layers are cached by diff ID, so a second image on the same base and a re-match after an
 * import read no layer again. Every scan of an image of the store is remembered as its last scan
 * (`scans.lastScan`).
 */
export class ScanService {
  readonly inventories: InventoryService;
  readonly vulns: VulnDatabase;
  readonly cache: InventoryCache;
  /** Last scans and already-reported findings per image. */
  readonly scans: ImageScanStore;
  private readonly clock: Clock;

  private constructor(private readonly db: ScanDatabase, options: ScanServiceOptions) {
    this.cache = new InventoryCache(db);
    this.inventories = new InventoryService(this.cache, options.runner);
    this.vulns = new VulnDatabase(db);
    this.scans = new ImageScanStore(db);
    this.clock = options.clock;
  }

  static open(stateRoot: string, options: ScanServiceOptions): ScanService {
    return new ScanService(ScanDatabase.open(scanDatabasePath(stateRoot)), options);
  }

  close(): void {
    this.db.close();
  }

  /**
   * An image of the store when `target` names one; otherwise a directory or tarball path. A
   * target that starts with `/` or `.` is always a path.
   */
  async inventory(target: string, images: ImageService | undefined): Promise<ImageInventoryResult> {
    const looksLikePath = target.startsWith('/') || target.startsWith('.');
    if (images !== undefined && !looksLikePath) {
      try {
        return await this.inventories.ofImage(images, target);
      } catch (err) {
        if (!isBerthError(err, 'not-found') && !isBerthError(err, 'invalid-argument')) throw err;
        if (!(await exists(target))) throw err;
      }
    }
    return this.inventories.ofPath(target);
  }

  async sbom(target: string, format: SbomFormat, images: ImageService | undefined): Promise<object> {
    const result = await this.inventory(target, images);
    const options = { now: this.clock.now(), ...(result.imageId !== undefined && { imageId: result.imageId }) };
    return format === 'spdx' ? toSpdx(result.inventory, options) : toCycloneDx(result.inventory, options);
  }

  async scan(target: string, images: ImageService | undefined, options: ScanOptions = {}): Promise<ScanReport> {
    return this.report(await this.inventory(target, images), options);
  }

  /** Matches an inventory; for an image of the store, records its last scan (counts before any filter). */
  report(result: ImageInventoryResult, options: ScanOptions = {}): ScanReport {
    // Read before matching: a scan racing an import claims the older generation, never the newer.
    const generation = this.vulns.generation();
    let findings = matchInventory(result.inventory, this.vulns);
    if (result.imageId !== undefined) this.scans.recordScan({ imageId: result.imageId, time: this.clock.now().toISOString(), generation, counts: severityCounts(findings) });
    if (options.ignoreUnfixed === true) findings = findings.filter((f) => f.fixedVersion !== undefined);
    const warnings = [...result.inventory.warnings];
    const distro = result.inventory.distro;
    return {
      subject: result.inventory.subject,
      ...(result.imageId !== undefined && { imageId: result.imageId }),
      ...(distro !== undefined && { distro: distro.prettyName ?? `${distro.id} ${distro.versionId}` }),
      databaseGeneration: generation,
      packages: result.inventory.packages.length,
      findings,
      warnings,
    };
  }

  /**
   * The OSV ecosystems of everything scanned so far (from the layer cache): what `db update`
   * downloads when not told otherwise. Empty when nothing was scanned yet.
   */
  ecosystemsInUse(): string[] {
    const names = new Set<string>();
    const byType: Record<string, string | undefined> = { apk: 'Alpine', npm: 'npm', pypi: 'PyPI', golang: 'Go', maven: 'Maven' };
    for (const layer of this.cache.all()) {
      if (layer.osRelease?.value.id === 'ubuntu') names.add('Ubuntu');
      for (const source of layer.sources) {
        for (const pkg of source.packages) {
          const name = pkg.ecosystem === 'deb' ? (layer.osRelease?.value.id === 'ubuntu' ? 'Ubuntu' : 'Debian') : byType[pkg.ecosystem];
          if (name !== undefined) names.add(name);
        }
      }
    }
    return [...names].sort();
  }

  /**
   * Validates and stores every OSV record of a directory or zip (all or nothing). The import bumps
   * the database generation, which a running berthd checks to rescan the images in use.
   */
  async importDatabase(path: string): Promise<ImportResult> {
    return this.vulns.import(await readOsvRecords(path));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}
