/**
 * The etcd a manager's cluster state lives in: a member berthd supervises (its data under the
 * state root; managers that join add members) or an external cluster (`--etcd-endpoints`).
 */
import type { Etcd3 } from 'etcd3';
import { addMember, listMembers, removeMember } from '../store/etcd-membership.js';
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
  /** Removes a demoted manager's member (supervised mode), if it has one. */
  removeMemberOf(nodeId: string): Promise<void>;
}

/**
 * Membership changes go through a client of their own, closed after each: etcd refuses a change
 * for a while after the last one (the retries count as failures), and those refusals must not
 * open the circuit breaker of the client the manager's store, heartbeats and election use.
 */
export class SupervisedEtcd implements ManagerEtcd {
  constructor(private readonly connect: () => Etcd3) {}

  addMemberFor(nodeId: string, addr: string, etcdCert: EtcdCertificate): Promise<EtcdJoin> {
    return this.#with(async (client) => {
      const initialCluster = await addMember(client, nodeId, etcdPeerUrl(addr), 30_000, { learner: true });
      const clientUrls = (await listMembers(client)).flatMap((m) => m.clientUrls);
      return { mode: 'member', name: nodeId, initialCluster, clientUrls, ...etcdCert };
    });
  }

  removeMemberOf(nodeId: string): Promise<void> {
    return this.#with(async (client) => {
      if ((await listMembers(client)).some((m) => m.name === nodeId)) await removeMember(client, nodeId);
    });
  }

  async #with<T>(change: (client: Etcd3) => Promise<T>): Promise<T> {
    const client = this.connect();
    try {
      return await change(client);
    } finally {
      client.close();
    }
  }
}

export class ExternalEtcd implements ManagerEtcd {
  constructor(private readonly endpoints: readonly string[]) {}

  addMemberFor(): Promise<EtcdJoin> {
    return Promise.resolve({ mode: 'external', endpoints: [...this.endpoints] });
  }

  removeMemberOf(): Promise<void> {
    return Promise.resolve();
  }
}
