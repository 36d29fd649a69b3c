// Real etcd members for the cluster store's tests: on 127.0.0.1 with free ports, data dirs in a
// temp dir named after the owning test process (`berth-etcd-test-<owner tag>-*`), so a later run
// sweeps what a killed run left (its etcd processes and dirs) and never touches a live run's.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Etcd3 } from 'etcd3';
import { connectEtcd } from '../../../src/cluster/store/etcd-client.js';
import { isOwnerAlive, ownerTag, OWNER_TAG_PATTERN } from '../../../src/base/process-alive.js';
import { EtcdMember, ETCD_PATH, type EtcdPeer } from '../../../src/cluster/store/etcd-member.js';
import { freePort } from '../../../src/cluster/store/free-port.js';

const DIR_PREFIX = 'berth-etcd-test-';
const DIR_PATTERN = new RegExp(`^${DIR_PREFIX}(${OWNER_TAG_PATTERN})-`);

export function skipReason(): string | false {
  return existsSync(ETCD_PATH) ? false : `no ${ETCD_PATH} (scripts/install.sh installs etcd-server)`;
}

/** Kills etcd processes whose data dir is in a dead owner's temp dir, then removes such dirs. */
export async function sweepLeftovers(): Promise<void> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv[0] !== ETCD_PATH) continue;
    const dataDir = argv[argv.indexOf('--data-dir') + 1] ?? '';
    const dir = dataDir.startsWith(tmpdir()) ? dataDir.slice(tmpdir().length + 1).split('/')[0] ?? '' : '';
    const owner = DIR_PATTERN.exec(dir)?.[1];
    if (owner === undefined || isOwnerAlive(owner)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const name of await readdir(tmpdir())) {
    const owner = DIR_PATTERN.exec(name)?.[1];
    if (owner !== undefined && !isOwnerAlive(owner)) await rm(join(tmpdir(), name), { recursive: true, force: true });
  }
}

export interface PlannedMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
}

/** A temp dir of etcd members and clients; `cleanup` stops every member, closes every client, removes the dir. */
export class EtcdLab {
  readonly members = new Map<string, EtcdMember>();
  readonly #clients: Etcd3[] = [];
  #next = 0;

  private constructor(readonly dir: string) {}

  static async create(): Promise<EtcdLab> {
    await sweepLeftovers();
    return new EtcdLab(await mkdtemp(join(tmpdir(), `${DIR_PREFIX}${ownerTag()}-`)));
  }

  /** Names, free ports and a data dir for a member not started yet. */
  async plan(): Promise<PlannedMember> {
    const name = `m${this.#next++}`;
    return {
      name,
      clientUrl: `http://127.0.0.1:${await freePort()}`,
      peerUrl: `http://127.0.0.1:${await freePort()}`,
      dataDir: join(this.dir, name),
    };
  }

  /** Starts a new cluster of `count` members and waits until each is healthy. */
  async startCluster(count: number): Promise<EtcdMember[]> {
    const planned: PlannedMember[] = [];
    for (let i = 0; i < count; i++) planned.push(await this.plan());
    const peers = planned.map((m) => ({ name: m.name, peerUrl: m.peerUrl }));
    return Promise.all(planned.map((m) => this.start(m, peers, 'new')));
  }

  async start(m: PlannedMember, initialCluster: readonly EtcdPeer[], clusterState: 'new' | 'existing'): Promise<EtcdMember> {
    const member = await EtcdMember.start({ ...m, initialCluster, clusterState, clusterToken: `berth-test-${this.dir.slice(-6)}` });
    this.members.set(m.name, member);
    return member;
  }

  /** A client of these members (default: all of them), closed at cleanup. */
  client(members: readonly EtcdMember[] = [...this.members.values()]): Etcd3 {
    const client = connectEtcd(members.map((m) => m.clientUrl));
    this.#clients.push(client);
    return client;
  }

  async cleanup(): Promise<void> {
    for (const client of this.#clients) client.close();
    await Promise.all([...this.members.values()].map((m) => m.stop(2_000)));
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Polls a condition with a generous bound (etcd state changes have no event to wait on here). */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, boundMs = 30_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${boundMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
