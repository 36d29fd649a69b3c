/**
 * Changes to the members of a running etcd cluster, through a client of it. etcd requires a
 * member to be added BEFORE it starts (then it starts with clusterState `existing` and the
 * initial cluster that `addMember` returns), and removed before its data is thrown away.
 */
import { type Etcd3 } from 'etcd3';
import { errors } from '../../base/errors.js';
import { storeError } from './etcd-cluster-store.js';
import type { EtcdPeer } from './etcd-member.js';

export interface EtcdMemberInfo {
  /** etcd's member id (decimal text). */
  readonly id: string;
  /** Empty until the member has started. */
  readonly name: string;
  readonly peerUrls: readonly string[];
  readonly clientUrls: readonly string[];
}

export async function listMembers(client: Etcd3): Promise<EtcdMemberInfo[]> {
  const response = await client.cluster.memberList({}).catch((err: unknown) => { throw storeError(err, 'member list'); });
  return response.members.map((m) => ({ id: m.ID, name: m.name, peerUrls: m.peerURLs, clientUrls: m.clientURLs }));
}

/**
 * Adds a member that will start as `name` at `peerUrl`; returns the initial cluster it must start
 * with. etcd refuses additions (unavailable) until its leader has heard from the members for a
 * few seconds, e.g. right after the cluster formed or lost a member: this retries them for up to
 * `timeoutMs` (default 30 s), then throws unavailable (`store-unavailable`). Retrying is safe: a
 * member already added with this peer URL and not started yet counts as added.
 * already-exists (`etcd-member-exists`) when a started member has that peer URL.
 */
export async function addMember(client: Etcd3, name: string, peerUrl: string, timeoutMs = 30_000, options: AddMemberOptions = {}): Promise<EtcdPeer[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await addOnce(client, name, peerUrl, options.learner === true);
    } catch (err) {
      const wrapped = storeError(err, `member add ${peerUrl}`);
      if (wrapped.kind !== 'unavailable' || Date.now() > deadline) throw wrapped;
      // The client's circuit breaker may be open after etcd's refusals: wait it out.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

export interface AddMemberOptions {
  /**
   * Add it as a learner: it receives the log but does not vote, so the quorum stays as it was until
   * `promoteMember` makes it a voter (once it has caught up). A member that never starts then
   * costs the cluster nothing.
   */
  readonly learner?: boolean;
}

async function addOnce(client: Etcd3, name: string, peerUrl: string, learner: boolean): Promise<EtcdPeer[]> {
  const members = await listMembers(client);
  const existing = members.find((m) => m.peerUrls.includes(peerUrl));
  if (existing !== undefined && existing.name !== '') {
    throw errors.alreadyExists('etcd-member-exists', `etcd member ${existing.name} already has the peer URL ${peerUrl}`);
  }
  if (existing !== undefined) return initialCluster(members, name, peerUrl);
  const response = await client.cluster.memberAdd({ peerURLs: [peerUrl], isLearner: learner });
  return initialCluster(response.members.map((m) => ({ id: m.ID, name: m.name, peerUrls: m.peerURLs, clientUrls: m.clientURLs })), name, peerUrl);
}

function initialCluster(members: readonly EtcdMemberInfo[], name: string, peerUrl: string): EtcdPeer[] {
  return members.flatMap((m) => {
    const url = m.peerUrls[0];
    if (url === undefined) return [];
    return [{ name: m.peerUrls.includes(peerUrl) ? name : m.name, peerUrl: url }];
  });
}

/** Removes the member with this name (or peer URL); not-found (`etcd-member-not-found`) if none. */
export async function removeMember(client: Etcd3, nameOrPeerUrl: string): Promise<void> {
  const member = (await listMembers(client)).find((m) => m.name === nameOrPeerUrl || m.peerUrls.includes(nameOrPeerUrl));
  if (member === undefined) throw errors.notFound('etcd-member-not-found', `no etcd member named ${nameOrPeerUrl}`);
  await client.cluster.memberRemove({ ID: member.id }).catch((err: unknown) => { throw storeError(err, `member remove ${nameOrPeerUrl}`); });
}

/**
 * Makes the learner with this name (or peer URL) a voting member. etcd refuses until the learner
 * has caught up with the leader's log: this retries for up to `timeoutMs` (default 60 s), then
 * throws unavailable (`store-unavailable`). not-found (`etcd-member-not-found`) if there is no
 * such member; a member that votes already is left as it is.
 */
export async function promoteMember(client: Etcd3, nameOrPeerUrl: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const members = await client.cluster.memberList({}).catch((err: unknown) => { throw storeError(err, 'member list'); });
    const member = members.members.find((m) => m.name === nameOrPeerUrl || m.peerURLs.includes(nameOrPeerUrl));
    if (member === undefined) throw errors.notFound('etcd-member-not-found', `no etcd member named ${nameOrPeerUrl}`);
    if (!member.isLearner) return;
    try {
      await client.cluster.memberPromote({ ID: member.ID });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw storeError(err, `member promote ${nameOrPeerUrl}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
