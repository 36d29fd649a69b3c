/**
 * The CLI's in-process scanner (the `scanner` port, cli/berth-ports.ts): the scan service opened
 * on the state root of --root / BERTH_ROOT for one command, with that root's image service unless
 * the target is a path. The commands themselves, and the rendering of their reports, are cli/'s
 * (`cli/commands/security-run.ts`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageService } from '../../images/image-service.js';
import { ScanService } from '../../security/scan-service.js';
import { downloadOsvArchives } from '../../security/vulns/db-update.js';
import type { GlobalOptions } from '../../cli/args/command-spec.js';
import type { InProcessScanner } from '../../cli/berth-ports.js';
import { stateRootOf } from '../../cli/context.js';
import { isPathTarget } from '../../cli/commands/scan-target.js';
import { withImages } from './local-images.js';
import { processClock, processRunner } from './process-parts.js';

function openScanner(globals: GlobalOptions): ScanService {
  return ScanService.open(stateRootOf(globals), { runner: processRunner, clock: processClock });
}

/** Runs `work` with the scanner, and the image service unless the target is a path on disk. */
async function withScanner<T>(globals: GlobalOptions, target: string | undefined, work: (scanner: ScanService, images: ImageService | undefined) => Promise<T>): Promise<T> {
  const scanner = openScanner(globals);
  try {
    if (target !== undefined && (await isPathTarget(target))) return await work(scanner, undefined);
    return await withImages(globals, (images) => work(scanner, images));
  } finally {
    scanner.close();
  }
}

/** What `db update` fetches when told no ecosystem and nothing was scanned yet. */
const DEFAULT_ECOSYSTEMS = ['Debian', 'Alpine', 'npm', 'PyPI', 'Go', 'Maven'];

export const localScanner: InProcessScanner = {
  scan: (globals, target, options) => withScanner(globals, target, (scanner, images) => {
    if (scanner.vulns.count() === 0) options.onWarning('the vulnerability database is empty: run berth scan db import (or update)');
    return scanner.scan(target, images, { ...(options.ignoreUnfixed && { ignoreUnfixed: true }) });
  }),

  sbom: (globals, target, format) => withScanner(globals, target, (scanner, images) => scanner.sbom(target, format, images)),

  importDatabase: (globals, path) => withScanner(globals, path, (scanner) => scanner.importDatabase(path)),

  async updateDatabase(globals, ecosystems, report) {
    const dir = await mkdtemp(join(tmpdir(), 'berth-osv-'));
    try {
      let wanted = ecosystems;
      if (wanted.length === 0) {
        const scanner = openScanner(globals);
        try { wanted = scanner.ecosystemsInUse(); } finally { scanner.close(); }
      }
      if (wanted.length === 0) wanted = DEFAULT_ECOSYSTEMS;
      report.onProgress(`Downloading OSV data for ${wanted.join(', ')}`);
      const files = await downloadOsvArchives(wanted, dir);
      await withScanner(globals, dir, async (scanner) => {
        for (const file of files) report.onImported(file, await scanner.importDatabase(file));
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
