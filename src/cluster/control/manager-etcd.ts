/**
 * The etcd a manager's cluster state lives in: a member berthd supervises (its data under the
 * state root; managers that join add members) or an external cluster (`--etcd-endpoints`).
 */
import type { Etcd3 } from 'etcd3';
import { addMember, listMembers } from '../store/etcd-membership.js';
import type { EtcdJoin } from '../transport/protocol.js';

/** etcd's client and peer ports on a manager's address. */
export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;

export const etcdClientUrl = (addr: string): string => `https://${addr}:${ETCD_CLIENT_PORT}`;
export const etcdPeerUrl = (addr: string): string => `https://${addr}:${ETCD_PEER_PORT}`;

/** A joining manager's certificate of the etcd CA, and that CA. */
export interface EtcdCertificate {
  readonly certPem: string;
  readonly caCertPem: string;
}

export interface ManagerEtcd {
  /**
   * Makes room for a joining manager: adds its member as a learner (supervised mode; the joining
   * manager promotes it once it has caught up) and says how it starts.
   */
  addMemberFor(nodeId: string, addr: string, etcdCert: EtcdCertificate): Promise<EtcdJoin>;
}

export class SupervisedEtcd implements ManagerEtcd {
  constructor(private readonly client: Etcd3) {}

  async addMemberFor(nodeId: string, addr: string, etcdCert: EtcdCertificate): Promise<EtcdJoin> {
    const initialCluster = await addMember(this.client, nodeId, etcdPeerUrl(addr), 30_000, { learner: true });
    const clientUrls = (await listMembers(this.client)).flatMap((m) => m.clientUrls);
    return { mode: 'member', name: nodeId, initialCluster, clientUrls, ...etcdCert };
  }
}

export class ExternalEtcd implements ManagerEtcd {
  constructor(private readonly endpoints: readonly string[]) {}

  addMemberFor(): Promise<EtcdJoin> {
    return Promise.resolve({ mode: 'external', endpoints: [...this.endpoints] });
  }
}
