/**
 * Removing everything a lab made, in the order that leaves nothing behind, from its state file
 * when there is one and from its names otherwise (a crashed `up`):
 *
 *   berthd: SIGTERM, then SIGKILL ─▶ containers: every process in the lab's cgroups killed (thawed
 *   first), cgroups removed ─▶ what still runs in the nodes' namespaces (conmon) killed ─▶ mounts
 *   below the lab's directory unmounted ─▶ namespaces, veths, bridge deleted ─▶ directory removed.
 *
 * Each step is idempotent, so a teardown that was itself interrupted is finished by the next.
 */
import { readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';
import { componentLogger, warnUnlessErrno } from '../base/logger.js';
import { isProcessAlive } from '../base/process-alive.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { currentMountPointsBelow } from '../mount/mountinfo.js';
import { waitFor } from './berthd-launcher.js';
import type { LabNames } from './lab-names.js';
import type { LabNetwork } from './lab-network.js';
import type { LabState } from './lab-state.js';

const log = componentLogger('lab');

const CGROUP_ROOT = '/sys/fs/cgroup';
/** ENOENT, ENOTDIR: the cgroup (or hierarchy) is not there, or went meanwhile. */
const GONE = ['ENOENT', 'ENOTDIR'];
/** How long berthd gets to stop after SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 15_000;
/** How long killed processes get to be gone (they cannot refuse SIGKILL). */
const KILL_DEADLINE_MS = 30_000;

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if (errnoCode(err) !== 'ESRCH') log.warn(`sending ${name} failed`, { err, pid }); // ESRCH: already gone
  }
}

/** Tears a lab down; see the module comment. Throws internal naming what could not be removed. */
export async function tearDownLab(runner: ProcessRunner, names: LabNames, network: LabNetwork, state: LabState | undefined): Promise<void> {
  const netns = new Set([...(state?.nodes.map((n) => n.netns) ?? []), ...(await network.listNetns())]);
  await stopDaemons(network, state);
  await sweepCgroups(names.cgroupTop);
  for (const ns of netns) await killAll(await network.pidsIn(ns));
  for (const point of await currentMountPointsBelow(names.dir)) {
    // Busy (a process still holds it): detached lazily instead; that failing fails the teardown.
    await runner.run('umount', [point]).catch(() => runner.run('umount', ['-l', point]));
  }
  for (const ns of netns) await network.removeNetns(ns);
  await network.removeLinks();
  await rm(names.dir, { recursive: true, force: true });
}

/** SIGTERM to each node's berthd that still runs in its namespace; SIGKILL after the grace. */
async function stopDaemons(network: LabNetwork, state: LabState | undefined): Promise<void> {
  const running: number[] = [];
  for (const node of state?.nodes ?? []) {
    if (node.pid !== undefined && isProcessAlive(node.pid) && await network.isIn(node.pid, node.netns)) running.push(node.pid);
  }
  for (const pid of running) signal(pid, 'SIGTERM');
  if (await waitFor(() => running.every((pid) => !isProcessAlive(pid)), STOP_GRACE_MS)) return;
  await killAll(running);
}

/** SIGKILL to `pids`; resolves once they are gone (internal after a generous deadline). */
async function killAll(pids: readonly number[]): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGKILL');
  if (!(await waitFor(() => pids.every((pid) => !isProcessAlive(pid)), KILL_DEADLINE_MS))) {
    throw errors.internal('lab-process-survived', `processes ${pids.filter((p) => isProcessAlive(p)).join(', ')} survived SIGKILL`);
  }
}

/** `top` and its descendants in every cgroup hierarchy, deepest first. */
export async function labCgroupDirs(top: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true }).catch(warnUnlessErrno(GONE, log, 'listing a lab cgroup', { dir }))) ?? []) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
    }
    found.push(dir);
  };
  for (const hierarchy of (await readdir(CGROUP_ROOT).catch(warnUnlessErrno(GONE, log, 'listing the cgroup hierarchies', { dir: CGROUP_ROOT }))) ?? []) {
    const dir = join(CGROUP_ROOT, hierarchy, top);
    // ENOTDIR: a file at the root (cgroup v2's own files): no hierarchy.
    if ((await readdir(dir).catch(warnUnlessErrno(GONE, log, 'looking for the lab\'s cgroup', { dir }))) !== undefined) await walk(dir);
  }
  // The unified hierarchy on a pure cgroup v2 host is the root itself.
  const unified = join(CGROUP_ROOT, top);
  if (!found.includes(unified) && (await readFile(join(unified, 'cgroup.procs'), 'utf8').then(() => true, () => false))) await walk(unified);
  return found.sort((a, b) => b.length - a.length);
}

async function procsOf(dir: string): Promise<number[]> {
  return ((await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(warnUnlessErrno(GONE, log, 'listing the processes of a lab cgroup', { dir }))) ?? '').split('\n').filter(Boolean).map(Number);
}

/** Kills every process in the lab's cgroups (thawing frozen ones first) and removes the cgroups. */
async function sweepCgroups(top: string): Promise<void> {
  const dirs = await labCgroupDirs(top);
  for (const dir of dirs) {
    if (dir.includes('/freezer/')) await writeFile(join(dir, 'freezer.state'), 'THAWED').catch(warnUnlessErrno(GONE, log, 'thawing a lab cgroup', { dir }));
  }
  const pids = (await Promise.all(dirs.map(procsOf))).flat();
  await killAll(pids);
  for (const dir of dirs) {
    if (!(await waitFor(async () => (await procsOf(dir)).length === 0, KILL_DEADLINE_MS))) throw errors.internal('lab-cgroup-busy', `cgroup ${dir}: processes remain`);
    await rmdir(dir).catch(warnUnlessErrno(GONE, log, 'removing a lab cgroup', { dir }));
  }
}
