/**
 * What can be told of this node's part in a cluster without loading the cluster's machinery (etcd
 * client, gRPC, certificates, controllers): the cluster's paths under the state root, whether the
 * node is a member (its membership file exists), and what a node in no cluster answers.
 * `ClusterNode` answers the same while it has no membership; berthd answers these itself until a
 * cluster call needs the machinery (daemon/lazy-cluster.ts).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../../base/errors.js';
import type { LocalClusterInfo } from './cluster-control.js';

export interface ClusterPaths {
  readonly dir: string;
  readonly file: string;
  readonly tls: string;
  /** A manager's certificate of the etcd CA (with the node's key), and that CA. */
  readonly etcdTls: string;
  readonly etcd: string;
  /** A manager's data keys (secrets at rest; 0600). */
  readonly dataKeys: string;
}

export function clusterPaths(root: string): ClusterPaths {
  const dir = join(root, 'cluster');
  return { dir, file: join(dir, 'membership.json'), tls: join(dir, 'tls'), etcdTls: join(dir, 'tls', 'etcd'), etcd: join(dir, 'etcd'), dataKeys: join(dir, 'data-keys.json') };
}

/** Whether the node at state root `root` is a member: its membership file exists (membership.ts reads it). */
export async function hasMembership(root: string): Promise<boolean> {
  try {
    await access(clusterPaths(root).file);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** A node in no cluster, as `/info`'s Swarm and `berth cluster status` show it. */
export function inactiveLocalInfo(): LocalClusterInfo {
  return { state: 'inactive', nodeId: '', nodeAddr: '', controlAvailable: false, error: '', remoteManagers: [] };
}

/** A manager's operation on a worker or a node in no cluster (dockerd's 503 words). */
export const notAManager = (): Error => errors.unavailable('not-a-manager', 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.');

/** `leave` on a node in no cluster. */
export const notInCluster = (): Error => errors.unavailable('not-in-cluster', 'This node is not part of a swarm');
