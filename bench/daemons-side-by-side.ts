// The common start of the benchmarks that put berthd beside a private dockerd (idle-events,
// metrics-scrape): root checked, the leftovers of a killed run swept (and swept again at the end),
// the private dockerd, a docker CLI client for each daemon, and the busybox archive both load.
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { PrivateDockerd } from '../test/support/private-dockerd.js';
import type { CleanupStack } from './cleanup-stack.js';
import { dockerClient, type Client } from './container-clients.js';
import { BASE, busyboxArchive, PATHS, sweepBerth } from './container-engines.js';

export interface DaemonsSideBySide {
  readonly dockerd: PrivateDockerd;
  /** The docker CLI against the private dockerd, and against berthd (`PATHS.berthSocket`, started by the caller). */
  readonly docker: Client;
  readonly berth: Client;
  readonly archive: string;
  /** The load average before the benchmark started, as the report prints it. */
  readonly loadBefore: string;
}

export async function startDaemonsSideBySide(cleanups: CleanupStack, log: (line: string) => void): Promise<DaemonsSideBySide> {
  if (process.getuid?.() !== 0) throw new Error('needs root (dockerd, runc, cgroups, mounts)');
  await sweepBerth(log);
  cleanups.push(async () => { await sweepBerth(log); await rm(BASE, { recursive: true, force: true }); });
  const loadBefore = loadavg().map((n) => n.toFixed(2)).join(' ');
  const dockerd = await PrivateDockerd.start({ baseDir: PATHS.dockerd });
  cleanups.push(() => dockerd.stop());
  await mkdir(PATHS.cli, { recursive: true });
  return {
    dockerd, loadBefore, archive: await busyboxArchive(),
    docker: dockerClient('dockerd', 'docker', dockerd.socketPath, PATHS.cli),
    berth: dockerClient('berthd', 'berth', PATHS.berthSocket, PATHS.cli),
  };
}
