import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors, messageOf } from '../../base/errors.js';

/** Where OSV publishes one zip of all records per ecosystem. */
export const OSV_ARCHIVE_BASE = 'https://osv-vulnerabilities.storage.googleapis.com';

export interface DownloadOptions {
  /** fetch is injected so callers (and tests) decide what the network is. */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  signal?: AbortSignal;
}

/**
 * Downloads the OSV archive (`<ecosystem>/all.zip`) of each ecosystem to `dir`, returning the
 * files. Fails with unavailable (reason `osv-unreachable`) when the archive host cannot be
 * reached, so a machine without internet says so instead of hanging: import archives fetched
 * elsewhere with `berth scan db import` instead.
 */
export async function downloadOsvArchives(ecosystems: string[], dir: string, options: DownloadOptions = {}): Promise<string[]> {
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const files: string[] = [];
  for (const ecosystem of ecosystems) {
    const url = `${OSV_ARCHIVE_BASE}/${encodeURIComponent(ecosystem)}/all.zip`;
    let response: Response;
    try {
      response = await doFetch(url, { signal: options.signal ?? AbortSignal.timeout(15_000) });
    } catch (err) {
      throw errors.unavailable('osv-unreachable', `cannot download OSV data for ${ecosystem} (${messageOf(err)}): no internet here? Fetch the zip elsewhere and run 'berth scan db import FILE'`, { cause: err });
    }
    if (!response.ok) throw errors.unavailable('osv-unreachable', `OSV data for ${ecosystem}: HTTP ${response.status}`);
    const file = join(dir, `${ecosystem.replace(/[^A-Za-z0-9.-]/g, '_')}.zip`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    files.push(file);
  }
  return files;
}
