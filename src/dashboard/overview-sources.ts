/**
 * Gathers what the overview shows from berthd, through client/: containers (all), images,
 * volumes, networks and disk use; and, on a cluster manager, its nodes and services with their
 * task counts. A node that is in a cluster but not a manager shows no cluster part.
 *
 * Disk use (`GET /system/df`) walks every writable layer and volume, so one answer is kept for
 * DISK_USAGE_TTL_MS however many pages refresh meanwhile; the lists are asked for every time.
 */
import type { BerthClient } from '../client/berth-client.js';
import { overviewOf, type Overview, type OverviewSources } from './overview-model.js';

export const DISK_USAGE_TTL_MS = 30_000;

type DiskUsage = Awaited<ReturnType<BerthClient['diskUsage']>>;

/** The calls of BerthClient the overview makes. */
export interface OverviewClient {
  containers: Pick<BerthClient['containers'], 'list'>;
  images: Pick<BerthClient['images'], 'list'>;
  volumes: Pick<BerthClient['volumes'], 'list'>;
  networks: Pick<BerthClient['networks'], 'list'>;
  cluster: Pick<BerthClient['cluster'], 'listNodes' | 'listServices'>;
  diskUsage: BerthClient['diskUsage'];
  info: BerthClient['info'];
}

async function clusterOf(client: OverviewClient): Promise<OverviewSources['cluster']> {
  const info = await client.info();
  if (info.Swarm.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) return undefined;
  const [nodes, services] = await Promise.all([client.cluster.listNodes(), client.cluster.listServices(undefined, true)]);
  return { nodes, services };
}

export class OverviewGatherer {
  #disk: { at: number; answer: Promise<DiskUsage> } | undefined;

  /** `now`: milliseconds, injected for tests. */
  constructor(private readonly client: OverviewClient, private readonly now: () => number = Date.now) {}

  #diskUsage(): Promise<DiskUsage> {
    const now = this.now();
    if (this.#disk === undefined || now - this.#disk.at >= DISK_USAGE_TTL_MS) {
      const answer = this.client.diskUsage();
      const entry = { at: now, answer };
      this.#disk = entry;
      // A failed answer is not kept: the next refresh asks again (the failure reaches the page through `gather`).
      answer.catch(() => { if (this.#disk === entry) this.#disk = undefined; });
    }
    return this.#disk.answer;
  }

  async gather(): Promise<Overview> {
    const { client } = this;
    const [containers, images, volumes, networks, disk, cluster] = await Promise.all([
      client.containers.list({ all: true }), client.images.list(), client.volumes.list(), client.networks.list(), this.#diskUsage(), clusterOf(client),
    ]);
    return overviewOf({ containers, images, volumes, networks, disk, ...(cluster === undefined ? {} : { cluster }) });
  }
}
