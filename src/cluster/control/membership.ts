/**
 * This node's membership, kept under berthd's state root so that a restarted berthd rejoins by
 * itself: `<root>/cluster/membership.json`, the node's TLS material in `<root>/cluster/tls/`, a
 * supervised etcd member's data in `<root>/cluster/etcd/`. The file is written last when a node
 * joins and removed first when it leaves: a node is a member exactly while the file exists.
 */
import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../base/atomic-file.js';
import { errnoCode, errors, messageOf } from '../../base/errors.js';
import { NODE_ROLES } from '../objects/node.js';
import type { EtcdJoin } from '../transport/protocol.js';
import { etcdClientUrl, etcdPeerUrl } from './manager-etcd.js';
import type { ClusterPaths } from './membership-state.js';

export { clusterPaths, type ClusterPaths } from './membership-state.js';

const peerSchema = z.object({ name: z.string(), peerUrl: z.string() });

export const membershipSchema = z.object({
  clusterId: z.string(),
  nodeId: z.string(),
  role: z.enum(NODE_ROLES),
  /** The IP other nodes reach this node at. */
  addr: z.string(),
  /** The cluster port this node listens on (every member: a manager's routes, its tasks' logs). */
  port: z.number().int(),
  /** Where the cluster port listens. */
  listenHost: z.string(),
  managers: z.array(z.object({ nodeId: z.string(), addr: z.string() })),
  /** Managers: the etcd the cluster's state lives in. */
  etcd: z.discriminatedUnion('mode', [
    z.object({
      mode: z.literal('member'), name: z.string(), clientUrl: z.string(), peerUrl: z.string(), initialCluster: z.array(peerSchema), clusterState: z.enum(['new', 'existing']),
      /** The other members' client URLs when this one joined (the client also uses them). */
      peerClientUrls: z.array(z.string()).default([]),
    }),
    z.object({ mode: z.literal('external'), endpoints: z.array(z.string()) }),
  ]).optional(),
});
export type Membership = z.infer<typeof membershipSchema>;

/** How a manager that joined (or was promoted) runs its etcd: a supervised member of the existing cluster, or an external one. */
export function etcdMembership(etcd: EtcdJoin, addr: string): NonNullable<Membership['etcd']> {
  if (etcd.mode === 'external') return { mode: 'external', endpoints: [...etcd.endpoints] };
  return {
    mode: 'member', name: etcd.name, clientUrl: etcdClientUrl(addr), peerUrl: etcdPeerUrl(addr),
    initialCluster: etcd.initialCluster.map((p) => ({ ...p })), clusterState: 'existing', peerClientUrls: [...etcd.clientUrls],
  };
}

/** The membership, or undefined for a node in no cluster. data-loss (`membership-corrupt`) for a damaged file. */
export async function readMembership(paths: ClusterPaths): Promise<Membership | undefined> {
  let text: string;
  try {
    text = await readFile(paths.file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return membershipSchema.parse(JSON.parse(text));
  } catch (err) {
    throw errors.dataLoss('membership-corrupt', `${paths.file}: not a cluster membership (${messageOf(err)}); move it away to leave the cluster`, { cause: err });
  }
}

export async function writeMembership(paths: ClusterPaths, membership: Membership): Promise<void> {
  await writeFileAtomic(paths.file, JSON.stringify(membership, null, 2), 0o600);
}

/** Ends the membership (the file first), then removes the rest of the cluster's directory. */
export async function removeMembership(paths: ClusterPaths): Promise<void> {
  await rm(paths.file, { force: true });
  await rm(paths.dir, { recursive: true, force: true });
}
