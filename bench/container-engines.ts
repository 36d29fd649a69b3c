// The engines of the container-start benchmark, side by side under one scratch directory: a
// private dockerd (test/support/private-dockerd.ts), a berthd on its own root and socket, and the
// dirs of podman (podman-engine.ts). Also: the busybox image they run, the per-container monitor
// processes (containerd shims, conmons), daemon memory, and a sweep that removes whatever a run
// (or a killed run) left of berth and podman.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { currentMountPointsBelow as mountsBelow } from '../src/mount/mountinfo.js';
import { BerthdProcess } from '../test/support/berthd-process.js';
import type { PrivateDockerd } from '../test/support/private-dockerd.js';
import { REPO, type AnyEngine } from './container-clients.js';
import { killQuietly, listProcesses, mentions, pssKib, rssKib, type ProcessInfo } from './proc-memory.js';

/** Everything the benchmark makes lives here; it is emptied at the start and removed at the end. */
export const BASE = '/var/tmp/berth-bench/container-start';
export const PATHS = {
  /** The private dockerd's base dir (PrivateDockerd cleans it, also after a killed run). */
  dockerd: join(BASE, 'dockerd'),
  /** berthd's state root, socket and the ids of containers made in it. */
  berth: join(BASE, 'berth'),
  berthRoot: join(BASE, 'berth', 'root'),
  berthSocket: join(BASE, 'berth', 'berth.sock'),
  berthIds: join(BASE, 'berth', 'container-ids'),
  /** podman's storage root, run root, temp dir and containers.conf, and the ids of containers made in it. */
  podman: join(BASE, 'podman'),
  podmanIds: join(BASE, 'podman', 'container-ids'),
  /** The docker CLI's private config dir (no host credentials or contexts). */
  cli: join(BASE, 'cli'),
  image: join(BASE, 'image'),
} as const;
export const IMAGE = 'busybox';

const runner = new ChildProcessRunner();
const STOP_GRACE_MS = 20_000;
/** runc's default --root, where rootful podman's runc keeps each container's state.json. */
const RUNC_STATE = '/run/runc';

/** `berth image bootstrap busybox` on a scratch --root (in-process engine), saved as a docker-archive. */
export async function busyboxArchive(): Promise<string> {
  const root = join(PATHS.image, 'root');
  const archive = join(PATHS.image, 'busybox.tar');
  const berth = join(REPO, 'bin', 'berth.js');
  await runner.run(process.execPath, [berth, '--root', root, 'image', 'bootstrap', 'busybox']);
  await runner.run(process.execPath, [berth, '--root', root, 'image', 'save', '-o', archive, IMAGE]);
  await rm(root, { recursive: true, force: true });
  return archive;
}

/** Starts berthd on PATHS.berthRoot / PATHS.berthSocket and waits for `/_ping`. */
export async function startBerthd(): Promise<BerthdProcess> {
  await mkdir(PATHS.berth, { recursive: true });
  return BerthdProcess.start(PATHS.berthRoot, PATHS.berthSocket);
}

/** SIGTERM, then SIGKILL if berthd has not exited within the grace period. */
export async function stopBerthd(daemon: BerthdProcess): Promise<void> {
  const stopped = await Promise.race([daemon.stop().then(() => true), delay(STOP_GRACE_MS, false, { ref: false })]);
  if (!stopped) {
    daemon.child.kill('SIGKILL');
    await daemon.stop();
  }
}

/** Remembers ids of containers made in berthd, so a later sweep can find their cgroups. */
export async function recordBerthIds(ids: readonly string[]): Promise<void> {
  await appendIds(PATHS.berthIds, ids);
}

/** Remembers ids of containers made by an engine (berthd, podman; the private dockerd cleans its own). */
export async function recordContainerIds(engine: AnyEngine, ids: readonly string[]): Promise<void> {
  if (engine !== 'docker') await appendIds(engine === 'berth' ? PATHS.berthIds : PATHS.podmanIds, ids);
}

async function appendIds(file: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, ids.map((id) => `${id}\n`).join(''));
}

async function recordedIds(file: string): Promise<Set<string>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return new Set(text.split('\n').filter((id) => /^[0-9a-f]{12,64}$/.test(id)));
}

/** The value after `flag` in a command line. */
function argAfter(info: ProcessInfo, flag: string): string | undefined {
  const index = info.argv.indexOf(flag);
  return index >= 0 ? info.argv[index + 1] : undefined;
}

/**
 * Per-container monitor processes of an engine: containerd-shim-runc-v2 of the private dockerd,
 * conmon of berthd's containers, or conmon naming podman's dirs (its bundle, exit dir, root).
 */
export async function monitorProcesses(engine: AnyEngine): Promise<ProcessInfo[]> {
  const ids = engine === 'berth' ? await recordedIds(PATHS.berthIds) : new Set<string>();
  return (await listProcesses()).filter((p) =>
    engine === 'docker'
      ? p.program === 'containerd-shim-runc-v2' && mentions(p, PATHS.dockerd)
      : engine === 'podman'
        ? p.program === 'conmon' && mentions(p, PATHS.podman)
        : p.program === 'conmon' && (mentions(p, PATHS.berth) || ids.has(argAfter(p, '-c') ?? '')),
  );
}

/** PSS (KiB) of each monitor process of an engine. */
export async function monitorPss(engine: AnyEngine): Promise<number[]> {
  const pss: number[] = [];
  for (const p of await monitorProcesses(engine)) pss.push(await pssKib(p.pid).catch(() => Number.NaN));
  return pss.filter((n) => !Number.isNaN(n));
}

/** RSS (KiB) of the private dockerd and of the containerd it manages. */
export async function dockerDaemonRss(dockerd: PrivateDockerd): Promise<{ dockerd: number; containerd: number }> {
  const pid = Number((await readFile(join(dockerd.baseDir, 'docker.pid'), 'utf8')).trim());
  const containerd = (await listProcesses()).find((p) => p.program === 'containerd' && mentions(p, dockerd.baseDir));
  if (containerd === undefined) throw new Error('the private dockerd has no containerd process');
  return { dockerd: await rssKib(pid), containerd: await rssKib(containerd.pid) };
}

/** RSS (KiB) of the berthd process (Node). */
export async function berthdRss(daemon: BerthdProcess): Promise<number> {
  if (daemon.child.pid === undefined) throw new Error('berthd has no pid');
  return rssKib(daemon.child.pid);
}

/**
 * Removes what berth and podman left under BASE (everything but the dockerd dir, which
 * PrivateDockerd owns): processes naming a path there (berthd, conmons, berth and podman CLIs),
 * conmons and cgroups of recorded container ids (killing what is still in them; podman's are
 * libpod_parent/libpod-<id>), runc's state of podman's containers (/run/runc/<id>), mounts, and
 * the files. Idempotent. `sweepPodman` (podman-engine.ts) first lets podman remove its own.
 */
export async function sweepBerth(log: (line: string) => void): Promise<void> {
  const podmanIds = await recordedIds(PATHS.podmanIds);
  const ids = new Set([...await recordedIds(PATHS.berthIds), ...podmanIds]);
  const ours = (p: ProcessInfo): boolean =>
    (mentions(p, BASE) && !mentions(p, PATHS.dockerd)) || (p.program === 'conmon' && ids.has(argAfter(p, '-c') ?? ''));
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const pids = (await listProcesses()).filter(ours).map((p) => p.pid);
    if (pids.length === 0) break;
    log(`ending leftover berth processes (${signal}): ${pids.join(' ')}`);
    for (const pid of pids) killQuietly(pid, signal);
    for (let waited = 0; waited < STOP_GRACE_MS && (await listProcesses()).some(ours); waited += 100) await delay(100);
  }
  if (ids.size > 0) await removeCgroupsNamed(ids, log);
  for (const id of podmanIds) await rm(join(RUNC_STATE, id), { recursive: true, force: true });
  const points = (await mountsBelow(BASE)).filter((point) => point !== PATHS.dockerd && !point.startsWith(`${PATHS.dockerd}/`));
  for (const point of points.sort((a, b) => b.length - a.length)) {
    await runner.run('umount', [point], { okCodes: [0, 32] }).catch(() => runner.run('umount', ['-l', point], { okCodes: [0, 32] }));
  }
  for (const name of await readdir(BASE).catch(() => [])) if (join(BASE, name) !== PATHS.dockerd) await rm(join(BASE, name), { recursive: true, force: true });
}

/** Cgroup dirs (any hierarchy, depth ≤ 4) whose name contains one of `ids`: kills their processes, removes them. */
async function removeCgroupsNamed(ids: ReadonlySet<string>, log: (line: string) => void): Promise<void> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if ([...ids].some((id) => entry.name.includes(id))) found.push(path);
      else if (depth < 4) await walk(path, depth + 1);
    }
  };
  await walk('/sys/fs/cgroup', 0);
  for (const dir of found.sort((a, b) => b.length - a.length)) {
    for (let attempt = 0; attempt < 50 && existsSync(dir); attempt++) {
      const procs = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
      if (procs.length > 0) log(`killing leftover container processes in ${dir}: ${procs.join(' ')}`);
      for (const pid of procs) killQuietly(Number(pid), 'SIGKILL');
      if (await rmdir(dir).then(() => true, () => false)) break;
      await delay(100);
    }
  }
}
