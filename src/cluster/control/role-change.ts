/**
 * `node promote|demote` on the node itself. The managers change the node's spec; its heartbeat
 * answer carries the role asked for, and the node moves there: it asks another manager for a
 * certificate of that role (`POST /cluster/v1/role`; for a manager also an etcd certificate and a
 * learner member, for a worker its etcd member removed); a promoted manager starts its etcd member
 * (joining the existing cluster) and waits until it votes; then the node writes its membership,
 * stops what runs and starts what the new role runs. Its agent runs until then, so its heartbeats
 * keep its lease, and its task containers keep running throughout: the new agent takes them up.
 *
 * Failure: before the membership is written, the old role keeps running and the change is tried
 * again at a later heartbeat (the managers' side of the call may be repeated).
 */
import { createPublicKey } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { messageOf } from '../../base/errors.js';
import type { NodeRole } from '../objects/node.js';
import { connectEtcd } from '../store/etcd-client.js';
import { promoteMember } from '../store/etcd-membership.js';
import type { EtcdMember } from '../store/etcd-member.js';
import { writeTlsFiles, type NodeTlsMaterial } from '../trust/index.js';
import { ManagerClient } from '../transport/manager-client.js';
import type { RoleAnswer } from '../transport/protocol.js';
import { writeDataKeys } from './data-keyring.js';
import { managerAddresses } from './manager-backend.js';
import { etcdMembership, writeMembership, type ClusterPaths, type Membership } from './membership.js';
import { startEtcdMember, type MemberParts, type PartsContext } from './member-parts.js';
import { readNodes } from './stored-objects.js';

export interface RoleChange {
  readonly role: NodeRole;
  readonly paths: ClusterPaths;
  readonly membership: Membership;
  /** What runs now (read for the managers' addresses). */
  readonly parts: MemberParts;
  /** Stops what runs, once the new role's material is written. */
  readonly stopParts: () => Promise<void>;
  /** The node's current TLS material (its key stays the same). */
  readonly tls: NodeTlsMaterial;
  readonly log: (message: string) => void;
  /** The parts' context for TLS material. */
  readonly context: (tls: NodeTlsMaterial, etcdTls: NodeTlsMaterial | undefined) => PartsContext;
}

/** The other managers' cluster ports: from the store on a manager, else as the membership knows them. */
async function otherManagers(change: RoleChange): Promise<string[]> {
  const { membership, parts } = change;
  const known = parts.manager === undefined ? membership.managers : managerAddresses(await readNodes(parts.manager.store));
  return known.filter((m) => m.nodeId !== membership.nodeId).map((m) => m.addr);
}

/** A changed role as written: what the caller starts. */
export interface RoleChanged {
  readonly membership: Membership;
  readonly member: EtcdMember | undefined;
  readonly context: PartsContext;
}

/**
 * Moves the node to `change.role` up to its membership written (the caller starts its parts);
 * resolves undefined when the managers answer another role (the spec changed again: a later
 * heartbeat decides). What runs keeps running (its heartbeats keep the node's lease) while a
 * promoted manager's etcd member starts and catches up; it is stopped last. On a failure before
 * that, the old TLS material is put back and the error is thrown with the old parts still running.
 */
export async function changeRole(change: RoleChange): Promise<RoleChanged | undefined> {
  const link = new ManagerClient(change.tls, await otherManagers(change));
  try {
    const answer = await link.changeRole({ publicKeyPem: createPublicKey(change.tls.keyPem).export({ type: 'spki', format: 'pem' }).toString() });
    if (answer.role !== change.role) return undefined;
    return await moveTo(change, answer, link);
  } finally {
    link.close();
  }
}

async function moveTo(change: RoleChange, answer: RoleAnswer, link: ManagerClient): Promise<RoleChanged> {
  const { membership, paths } = change;
  const tls: NodeTlsMaterial = { keyPem: change.tls.keyPem, certPem: answer.certPem, caCertPem: answer.caCertPem };
  const etcd = answer.etcd;
  const etcdTls = etcd?.mode === 'member' ? { keyPem: change.tls.keyPem, certPem: etcd.certPem, caCertPem: etcd.caCertPem } : undefined;
  const { etcd: _formerEtcd, ...rest } = membership;
  const next: Membership = {
    ...rest, role: answer.role, managers: answer.managers.map((m) => ({ nodeId: m.nodeId, addr: m.addr })),
    ...(etcd === undefined ? {} : { etcd: etcdMembership(etcd, membership.addr) }),
  };
  const context = change.context(tls, etcdTls);
  let member: EtcdMember | undefined;
  try {
    if (etcd?.mode === 'member' && etcdTls !== undefined) {
      await rm(paths.etcd, { recursive: true, force: true });
      await writeTlsFiles(paths.etcdTls, etcdTls);
      member = await startEtcdMember(next, context);
      await promoteLearner(etcd.clientUrls, etcd.name, etcdTls);
    }
    await writeTlsFiles(paths.tls, tls);
    if (answer.dataKeys !== undefined && answer.dataKeys.length > 0) await writeDataKeys(paths.dataKeys, answer.dataKeys);
    await writeMembership(paths, next);
  } catch (err) {
    await member?.stop().catch((stopErr: unknown) => { change.log(`cluster: stopping the new etcd member: ${messageOf(stopErr)}`); });
    await writeTlsFiles(paths.tls, change.tls);
    throw err;
  }
  // A lease that outlasts the restart of the parts, so that the node is not taken for lost
  // meanwhile; once more after the old agent stopped, in case one of its beats came after.
  const transitionBeat = (): Promise<void> => link.heartbeat(true).then(() => undefined, (err: unknown) => {
    change.log(`cluster: the transition heartbeat failed (the node may be taken for down meanwhile): ${messageOf(err)}`);
  });
  await transitionBeat();
  await change.stopParts();
  await transitionBeat();
  if (answer.role === 'worker') {
    // The managers removed this node's etcd member: its data and credentials are of no use any more.
    await rm(paths.etcd, { recursive: true, force: true });
    await rm(paths.etcdTls, { recursive: true, force: true });
    await rm(paths.dataKeys, { force: true });
  }
  return { membership: next, member, context };
}

/** Makes a new etcd member (a learner) a voter once it has caught up. */
export async function promoteLearner(clientUrls: readonly string[], name: string, tls: NodeTlsMaterial): Promise<void> {
  const client = connectEtcd([...clientUrls], { tls });
  try {
    await promoteMember(client, name);
  } finally {
    client.close();
  }
}
