// What a benchmark with a berthd of its own leaves behind, removed before it starts (a killed run's
// leftovers) and at its end: processes naming its directory, mounts below it, the containers'
// cgroups under its cgroup parent (their processes killed first), and the directory itself.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ChildProcessRunner } from '../src/base/process-runner.js';
import { currentMountPointsBelow } from '../src/mount/mountinfo.js';
import { killQuietly, listProcesses, mentions } from './proc-memory.js';

const runner = new ChildProcessRunner();

/** Removes everything of `base` and the cgroups named `cgroupParent` (relative, e.g. `berth-bench-x`). */
export async function sweepBenchBase(base: string, cgroupParent: string, log: (line: string) => void): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const pids = (await listProcesses()).filter((p) => mentions(p, base)).map((p) => p.pid);
    if (pids.length === 0) break;
    log(`ending leftover processes (${signal}): ${pids.join(' ')}`);
    for (const pid of pids) killQuietly(pid, signal);
    await delay(1000);
  }
  for (const point of (await currentMountPointsBelow(base)).sort((a, b) => b.length - a.length)) {
    await runner.run('umount', [point], { okCodes: [0, 32] }).catch(() => runner.run('umount', ['-l', point], { okCodes: [0, 32] }));
  }
  const hierarchies = await readdir('/sys/fs/cgroup').catch(() => []); // no cgroup mount: nothing to remove
  for (const top of ['', ...hierarchies].map((h) => join('/sys/fs/cgroup', h, cgroupParent))) await removeCgroupTree(top);
  await rm(base, { recursive: true, force: true });
}

async function removeCgroupTree(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) if (entry.isDirectory()) await removeCgroupTree(join(dir, entry.name)); // gone meanwhile: nothing below
  for (let attempt = 0; attempt < 50; attempt++) {
    for (const pid of (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean)) killQuietly(Number(pid), 'SIGKILL'); // gone: no processes
    if (await rmdir(dir).then(() => true, () => !existsSync(dir))) return;
    await delay(100);
  }
}
