/**
 * Forms the lab's nodes into one cluster, as a user would with the CLI: the first manager runs
 * `cluster init` on its lab address, the other managers join one at a time with the manager token
 * (each adds an etcd member, which etcd takes one at a time), then the workers join.
 */
import { BerthClient } from '../client/berth-client.js';
import type { LabRole } from './lab-names.js';

/** Swarm's cluster port, where the lab's managers listen. */
const CLUSTER_PORT = 2377;

export interface LabClusterNode {
  readonly socket: string;
  readonly address: string;
  readonly role: LabRole;
}

export async function formLabCluster(nodes: readonly LabClusterNode[]): Promise<void> {
  const [first, ...rest] = nodes;
  if (first === undefined) return;
  const leader = new BerthClient(first.socket);
  await leader.cluster.initSwarm({ AdvertiseAddr: first.address, ListenAddr: `0.0.0.0:${CLUSTER_PORT}` });
  const tokens = await leader.cluster.joinTokens();
  const join = (node: LabClusterNode): Promise<void> => new BerthClient(node.socket).cluster.joinSwarm({
    AdvertiseAddr: node.address, ListenAddr: `0.0.0.0:${CLUSTER_PORT}`, RemoteAddrs: [`${first.address}:${CLUSTER_PORT}`],
    JoinToken: node.role === 'manager' ? tokens.Manager : tokens.Worker,
  });
  for (const node of rest.filter((n) => n.role === 'manager')) await join(node);
  await Promise.all(rest.filter((n) => n.role === 'worker').map(join));
}
