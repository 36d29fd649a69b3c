import { stat } from 'node:fs/promises';

/**
 * Whether a `berth scan` / `sbom` target is a path on this machine rather than an image: it
 * starts with `/` or `.`, or a file or directory of that name exists. Paths are always read in
 * this process; images go through berthd unless a state root is named.
 */
export async function isPathTarget(target: string): Promise<boolean> {
  if (target.startsWith('/') || target.startsWith('.')) return true;
  try {
    await stat(target);
    return true;
  } catch {
    return false; // nothing of that name here (or nothing this user may look at): an image reference
  }
}
