/**
 * A Debian minbase root filesystem made by debootstrap from the mirror the host's apt already
 * uses, then tidied the way Docker's `debian` image is: no apt caches, downloaded .debs or package
 * lists, no device nodes in /dev, no hostname, an empty resolv.conf and machine-id (the runtime
 * supplies them).
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { findAptMirror, type AptSourcesFile } from './apt-mirror.js';
import { currentMountPointsBelow } from '../../mount/mountinfo.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';

const log = componentLogger('images');

/** Options of buildDebianRootfs. */
export interface DebianRootfsOptions {
  /** Debian suite, e.g. `bookworm`. */
  suite: string;
  /** Mirror URL; default: the host's apt mirror for `suite`. */
  mirror?: string;
  /** Called with one line per phase (debootstrap's own output is reported when it finishes). */
  onProgress?: (line: string) => void;
}

const APT_DIR = '/etc/apt';

/**
 * Fills `dir` (missing or empty) with a tidied Debian minbase rootfs (~30 s, ~200 MB of downloads).
 * Throws failed-precondition (`apt-mirror-unknown`) when no mirror is given and the host's apt
 * sources name none, not-found (`command-not-found`) when debootstrap is not installed, internal
 * (`command-failed`) when debootstrap fails. On failure anything debootstrap left mounted under
 * `dir` is unmounted; the partial tree stays for the caller to remove.
 */
export async function buildDebianRootfs(dir: string, runner: ProcessRunner, options: DebianRootfsOptions): Promise<void> {
  const progress = options.onProgress ?? (() => undefined);
  const mirror = options.mirror ?? findAptMirror(await readHostAptSources(), options.suite);
  if (mirror === undefined) {
    throw errors.failedPrecondition('apt-mirror-unknown', `no Debian mirror for ${options.suite} in ${APT_DIR} sources; pass a mirror`);
  }
  progress(`debootstrap --variant=minbase ${options.suite} from ${mirror}`);
  try {
    const result = await runner.run('debootstrap', ['--variant=minbase', options.suite, dir, mirror]);
    for (const line of `${result.stdout}${result.stderr}`.split('\n')) if (line.startsWith('I: Base system')) progress(line);
  } catch (err) {
    await unmountBelow(dir, runner);
    throw err;
  }
  progress('tidying the rootfs');
  await tidy(dir);
}

/** Removes what Docker's debian image does not carry. */
async function tidy(dir: string): Promise<void> {
  await removeEntries(join(dir, 'var/cache/apt'), (name) => name.endsWith('.bin'));
  await removeEntries(join(dir, 'var/cache/apt/archives'), (name) => name.endsWith('.deb'));
  await removeEntries(join(dir, 'var/lib/apt/lists'), (name) => name !== 'partial');
  await removeEntries(join(dir, 'var/lib/apt/lists/partial'), () => true);
  await removeEntries(join(dir, 'dev'), () => true);
  await rm(join(dir, 'etc/hostname'), { force: true });
  await writeFile(join(dir, 'etc/resolv.conf'), '');
  await writeFile(join(dir, 'etc/machine-id'), '');
}

async function removeEntries(dir: string, which: (name: string) => boolean): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw err;
  }
  for (const name of names.filter(which)) await rm(join(dir, name), { recursive: true, force: true });
}

/** The host's apt sources files: sources.list, then sources.list.d/*.list and *.sources by name. */
async function readHostAptSources(): Promise<AptSourcesFile[]> {
  const paths = [join(APT_DIR, 'sources.list')];
  try {
    const names = (await readdir(join(APT_DIR, 'sources.list.d'))).sort();
    paths.push(...names.filter((n) => n.endsWith('.list') || n.endsWith('.sources')).map((n) => join(APT_DIR, 'sources.list.d', n)));
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  const files: AptSourcesFile[] = [];
  for (const path of paths) {
    try {
      files.push({ path, text: await readFile(path, 'utf8') });
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
  }
  return files;
}

/** Lazily unmounts every mount at or below `dir`, deepest first (debootstrap mounts proc and sys). */
async function unmountBelow(dir: string, runner: ProcessRunner): Promise<void> {
  const points = await currentMountPointsBelow(dir);
  for (const point of points) {
    // Best effort (code 32: not mounted any more); the caller goes on removing or keeping the tree.
    await runner.run('umount', ['-l', point], { okCodes: [0, 32] }).catch(warnOnFailure(log, 'unmounting below a bootstrap root', { path: point }));
  }
}
