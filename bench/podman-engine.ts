// Podman, the daemonless engine of the container-start benchmark: rootful, runc, cgroupfs, one
// conmon per container (as berth). Everything it makes stays under PATHS.podman: its storage root,
// run root and temp dir (`podman --root … --runroot … --tmpdir … --storage-driver overlay`) and a
// private containers.conf (CONTAINERS_CONF). What a run leaves is removed by `sweepPodman`
// (`podman rm -af`), then by `sweepBerth` (processes, cgroups, mounts and files under the bench dir).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { failureOf, invoke, type Client } from './container-clients.js';
import { PATHS, recordContainerIds } from './container-engines.js';

export const PODMAN_MISSING = 'podman not installed: scripts/install.sh --bench installs it';

const DIRS = {
  root: join(PATHS.podman, 'root'),
  run: join(PATHS.podman, 'run'),
  tmp: join(PATHS.podman, 'tmp'),
  conf: join(PATHS.podman, 'containers.conf'),
} as const;

/**
 * The private containers.conf. Fixed ulimits: podman's defaults raise nofile and nproc to the
 * maximum, which fails where the caller's hard limits are lower. runc, as under dockerd and berthd
 * (Debian's podman defaults to crun); cgroupfs and a file events log (in --tmpdir): no systemd,
 * no journald.
 */
function containersConf(): string {
  return [
    '[containers]',
    'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]',
    '',
    '[engine]',
    'runtime = "runc"',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    '',
  ].join('\n');
}

/** Debian's /usr/bin/podman, else the first podman on PATH; undefined when there is none. */
function podmanBinary(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'podman'));
  return ['/usr/bin/podman', ...onPath].find((path) => existsSync(path));
}

/** The podman CLI on the private dirs (TMPDIR too: where its image library puts temporary files); `--pull never` on run, `--time 0` on `rm -f`. */
export function podmanClient(): Client<'podman'> {
  const env: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_CONF: DIRS.conf, TMPDIR: DIRS.tmp };
  delete env.CONTAINERS_STORAGE_CONF;
  return {
    label: 'podman (no daemon)',
    engine: 'podman',
    command: podmanBinary() ?? 'podman',
    prefix: ['--root', DIRS.root, '--runroot', DIRS.run, '--tmpdir', DIRS.tmp, '--storage-driver', 'overlay'],
    runFlags: ['--pull', 'never'],
    rmFlags: ['--time', '0'],
    env,
  };
}

async function writeConf(): Promise<void> {
  await mkdir(DIRS.tmp, { recursive: true });
  await writeFile(DIRS.conf, containersConf());
}

/** Writes the private configuration and `podman load`s the archive; throws PODMAN_MISSING without podman. */
export async function preparePodman(client: Client<'podman'>, archive: string): Promise<void> {
  if (podmanBinary() === undefined) throw new Error(PODMAN_MISSING);
  await writeConf();
  await invoke(client, ['load', '-i', archive], 120_000);
}

/**
 * When podman's root exists (this run's, or a killed run's): records the ids of the containers it
 * lists (so sweepBerth finds their cgroups), then `podman rm -af --time 0`. Failures are logged.
 */
export async function sweepPodman(log: (line: string) => void): Promise<void> {
  if (!existsSync(DIRS.root) || podmanBinary() === undefined) return;
  const client = podmanClient();
  await writeConf().catch((err: unknown) => { log(`podman: ${failureOf(err)}`); });
  try {
    const ids = (await invoke(client, ['ps', '-aq', '--no-trunc'], 60_000)).stdout.split('\n').filter(Boolean);
    await recordContainerIds('podman', ids);
    if (ids.length > 0) log(`podman: removing ${ids.length} containers left`);
  } catch (err) {
    log(`podman: could not list containers: ${failureOf(err)}`);
  }
  await invoke(client, ['rm', '-af', '--time', '0'], 300_000).catch((err: unknown) => { log(`podman: rm -af failed: ${failureOf(err)}`); });
}
