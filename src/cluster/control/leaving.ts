/**
 * What a node does on its way out of the cluster (`ClusterNode.leave`), besides stopping its parts:
 * each step logs its failure and lets the leave go on, so that a node can always leave.
 */
import { messageOf } from '../../base/errors.js';
import { ClientNodeEngine } from '../agent/index.js';
import type { TaskFiles } from '../agent/agent-ports.js';
import { listMembers, removeMember } from '../store/etcd-membership.js';
import type { Membership } from './membership.js';
import type { MemberParts } from './member-parts.js';

/** A leaving manager gives up its etcd member (when others remain) and its node object. */
export async function retireManager(parts: MemberParts, membership: Membership, log: (message: string) => void): Promise<void> {
  const manager = parts.manager;
  if (manager === undefined) return;
  try {
    const node = await manager.store.get('node', membership.nodeId);
    if (node !== undefined) await manager.store.delete('node', node.id, node.version);
    if (membership.etcd?.mode === 'member') {
      if ((await listMembers(manager.client)).length > 1) await removeMember(manager.client, membership.nodeId);
    }
  } catch (err) {
    log(`cluster: leaving: ${messageOf(err)}`);
  }
}

/** Swarm's leave removes the node's task containers (and their secret and config files), then its share of the cluster's networks. */
export async function removeTaskContainers(parts: MemberParts, log: (message: string) => void, files?: TaskFiles): Promise<void> {
  const engine = new ClientNodeEngine(parts.engineClient);
  try {
    await Promise.all((await engine.listTaskContainers()).map((container) => engine.remove(container.containerId, 10)));
  } catch (err) {
    log(`cluster: leaving: removing task containers: ${messageOf(err)}`);
  }
  try {
    for (const taskId of (await files?.list()) ?? []) await files?.release(taskId);
  } catch (err) {
    log(`cluster: leaving: removing the tasks' secret and config files: ${messageOf(err)}`);
  }
  try {
    for (const id of await engine.listOverlays()) await engine.removeOverlay(id);
  } catch (err) {
    log(`cluster: leaving: removing the cluster's networks: ${messageOf(err)}`);
  }
}
