/**
 * One berthd per state root. Two daemons on one root would both watch `exits/` and both record
 * exits, unmount root filesystems under each other and lose waiters: `berthd.pid` in the root
 * names the daemon that serves it. A file left by a daemon that is gone (kill -9, a reboot) is
 * taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';
import { componentLogger, warnUnlessErrno } from '../base/logger.js';
import { isProcessAlive } from '../base/process-alive.js';

const log = componentLogger('daemon');

/** Whether `pid` is a live berthd (not just any process that reused the number). */
async function isBerthd(pid: number): Promise<boolean> {
  if (pid === process.pid || !isProcessAlive(pid)) return false;
  // ENOENT, ESRCH: the process went meanwhile.
  const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(warnUnlessErrno(['ENOENT', 'ESRCH'], log, 'reading the command line of the state root\'s holder', { pid }))) ?? '';
  return cmdline.includes('berthd');
}

/**
 * Claims the state root for this process; returns the function that releases it. Throws
 * failed-precondition (`state-root-in-use`) when another berthd serves the root.
 */
export async function lockStateRoot(root: string): Promise<() => Promise<void>> {
  await mkdir(root, { recursive: true, mode: 0o711 });
  const path = join(root, 'berthd.pid');
  const mine = `${process.pid}\n`;
  try {
    await writeFile(path, mine, { flag: 'wx' });
  } catch (err) {
    if (errnoCode(err) !== 'EEXIST') throw err;
    // ENOENT: its holder removed it meanwhile; no holder then.
    const holder = Number(((await readFile(path, 'utf8').catch(warnUnlessErrno(['ENOENT'], log, 'reading the state root\'s pid file', { path }))) ?? '').trim());
    if (await isBerthd(holder)) {
      throw errors.failedPrecondition('state-root-in-use', `another berthd (pid ${holder}) serves the state root ${root}; stop it first`);
    }
    await writeFile(path, mine);
  }
  return async () => {
    // ENOENT: removed already; nothing to release.
    if ((await readFile(path, 'utf8').catch(warnUnlessErrno(['ENOENT'], log, 'reading the state root\'s pid file', { path }))) === mine) await rm(path, { force: true });
  };
}
