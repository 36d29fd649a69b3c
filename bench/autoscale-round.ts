// One round of berth's autoscaler under a load step (bench/cluster-deploy.ts; Swarm has no
// autoscaler). A service of 1 task that spins a CPU while a file exists in a host directory bound
// into it (the lab's nodes share the host's disk): created with `--autoscale-max 3 --autoscale-cpu
// 50 --autoscale-scale-down-delay 10s`, left idle until it is stable, then the file is made and
// the time taken until its spec asks for more than 1 replica and that many tasks run; the file
// is removed and the time taken until it is back to 1 replica. The service is removed at the end.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { berthCli, waitContainersGone } from './bench-lab.js';
import { pollService, runningTasks, specReplicas } from './service-status.js';

/** The task: busy while /load/on exists, idle (a 0.2 s sleep per look) otherwise. */
const LOAD_LOOP = 'while :; do if [ -e /load/on ]; then :; else sleep 0.2; fi; done';
const MAX = 3;
/** How long the idle service must keep 1 running replica before the load step: more than one look of the autoscaler (5 s). */
const STABLE_MS = 6_000;

export interface AutoscaleRun {
  /** Load on → spec replicas > 1 and that many tasks running. */
  upMs: number;
  /** The replicas reached then. */
  upTo: number;
  /** Load off → spec replicas 1 and 1 task running (includes the 10 s scale-down delay). */
  downMs: number;
}

export interface AutoscaleLab {
  /** The manager's API socket. */
  manager: string;
  /** Every engine socket of the lab. */
  engines: readonly string[];
  /** A host directory for the load switch (made and emptied here). */
  dir: string;
}

export async function autoscaleRound(lab: AutoscaleLab, name: string, log: (line: string) => void): Promise<AutoscaleRun> {
  const on = join(lab.dir, 'on');
  await mkdir(lab.dir, { recursive: true });
  await rm(on, { force: true });
  await berthCli(lab.manager, [
    'service', 'create', '--detach', '--name', name, '--autoscale-max', String(MAX), '--autoscale-cpu', '50', '--autoscale-scale-down-delay', '10s',
    '--mount', `type=bind,source=${lab.dir},target=/load`, 'busybox', 'sh', '-c', LOAD_LOOP,
  ]);
  try {
    const oneRunning = (replicas: number, running: number): boolean => replicas === 1 && running === 1;
    await pollService(lab.manager, name, (s, t) => oneRunning(specReplicas(s), runningTasks(t).length), 120_000);
    // Stable: still 1 replica running after a look of the autoscaler at the idle task.
    const stableFrom = Date.now();
    await pollService(lab.manager, name, (s, t) => {
      if (!oneRunning(specReplicas(s), runningTasks(t).length)) return 'changed while idle';
      return Date.now() - stableFrom >= STABLE_MS;
    }, STABLE_MS + 30_000);
    const loadOn = performance.now();
    await writeFile(on, '');
    const up = await pollService(lab.manager, name, (s, t) => specReplicas(s) > 1 && runningTasks(t).length >= specReplicas(s), 180_000);
    const upMs = performance.now() - loadOn;
    const upTo = specReplicas(up.service);
    const loadOff = performance.now();
    await rm(on, { force: true });
    await pollService(lab.manager, name, (s, t) => oneRunning(specReplicas(s), runningTasks(t).length), 180_000);
    const downMs = performance.now() - loadOff;
    log(`berth autoscaler: ${upTo} replicas running ${(upMs / 1000).toFixed(2)} s after the load began; back to 1 ${(downMs / 1000).toFixed(2)} s after it ended`);
    return { upMs, upTo, downMs };
  } finally {
    await rm(on, { force: true });
    await berthCli(lab.manager, ['service', 'rm', name]);
    await waitContainersGone(lab.engines, name, 180_000);
  }
}
