// What an operation cut short by a daemon crash may leave on a lab's state root and on the host,
// for the crash tests to assert on after the next berthd started: mounts below the root, container
// cgroups below the lab's parent, conmon processes of the root, network namespaces, CNI cache
// entries and address leases, temporary files and directories, and leases of the image store.
import BetterSqlite3 from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../src/mount/mountinfo.js';
import { leftoverCgroupDirs } from '../integration/runtime/runtime-fixtures.js';
import type { CrashLab } from './crash-lab.js';

export interface Leftovers {
  mounts: string[];
  /** Container cgroups (below the lab's parent, which stays). */
  cgroups: string[];
  /** Ids of the containers a conmon of this root watches. */
  conmons: string[];
  netns: string[];
  cniCache: string[];
  /** host-local's address files (`<network>/<address>`). */
  addressLeases: string[];
  /** Entries of tmp/, content/ingest/, and the `.tmp-*` ones of snapshots/ and volumes/. */
  temp: string[];
  /** Rows of the `leases` table (blobs and layers a writer holds). */
  storeLeases: number;
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** Container ids of the conmon processes whose exit directory is below `root`. */
async function conmonsOf(root: string): Promise<string[]> {
  const ids: string[] = [];
  for (const pid of await list('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!(argv[0] ?? '').endsWith('conmon') || !argv.some((arg) => arg.startsWith(root))) continue;
    const at = argv.indexOf('-c');
    ids.push(at < 0 ? `pid ${pid}` : argv[at + 1] ?? '');
  }
  return ids.sort();
}

export async function leftovers(lab: CrashLab): Promise<Leftovers> {
  const { root } = lab;
  const network = join(root, 'network');
  const addressLeases: string[] = [];
  for (const net of await list(join(network, 'ipam'))) {
    for (const file of await list(join(network, 'ipam', net))) if (/^\d+\.\d+\.\d+\.\d+$/.test(file) || file.includes(':')) addressLeases.push(`${net}/${file}`);
  }
  const db = new BetterSqlite3(join(root, 'berth.db'), { readonly: true, fileMustExist: true });
  let storeLeases: number;
  try {
    storeLeases = (db.prepare('SELECT COUNT(*) AS n FROM leases').get() as { n: number }).n;
  } finally {
    db.close();
  }
  return {
    mounts: await currentMountPointsBelow(root),
    cgroups: (await leftoverCgroupDirs(lab.cgroup)).filter((dir) => dir.split('/').at(-1) !== lab.cgroup),
    conmons: await conmonsOf(root),
    netns: await list(join(network, 'netns')),
    cniCache: await list(join(network, 'cni-cache')),
    addressLeases,
    temp: [
      ...(await list(join(root, 'tmp'))),
      ...(await list(join(root, 'content', 'ingest'))),
      ...(await list(join(root, 'snapshots'))).filter((name) => name.startsWith('.tmp-')),
      ...(await list(join(root, 'volumes'))).filter((name) => name.startsWith('.tmp-')),
    ],
    storeLeases,
  };
}

/** Nothing left at all: what a lab with no running container must show. */
export const NOTHING: Leftovers = { mounts: [], cgroups: [], conmons: [], netns: [], cniCache: [], addressLeases: [], temp: [], storeLeases: 0 };

/** The host's interfaces enslaved to a bridge (the host ends of its containers' veths). */
export function linksOn(bridge: string): string[] {
  try {
    const links = JSON.parse(execFileSync('ip', ['-j', 'link', 'show', 'master', bridge], { encoding: 'utf8' }) || '[]') as { ifname: string }[];
    return links.map((link) => link.ifname).sort();
  } catch {
    return [];
  }
}
