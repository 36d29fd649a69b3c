import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { errors } from './errors.js';

/**
 * The absolute path of a program: `name` itself when it contains a slash, else the first
 * executable match on PATH (plus the sbin directories, which root's PATH may lack under systemd).
 * Throws not-found (`command-not-found`) naming it.
 */
export function findExecutable(name: string, hint = 'run scripts/install.sh'): string {
  const candidates = name.includes('/')
    ? [name]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter((d) => d !== '').map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there or not executable: keep looking (the throw below names the program).
    }
  }
  throw errors.notFound('command-not-found', `${name}: not found on PATH (${hint})`);
}
