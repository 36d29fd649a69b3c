/**
 * The node controller: a node's status follows its heartbeat lease. A live lease makes it
 * `ready`; a node without one that was `ready` or `unknown` becomes `down`. A node is declared
 * down only because its lease is gone (etcd ended it), never by this manager's clock. A node
 * already `down` stays down until it beats again.
 */
import type { Node, NodeState } from '../objects/node.js';
import { batchOf, putNode, type Batch } from './changes.js';
import type { ClusterView } from './cluster-view.js';

export const HEARTBEAT_RECEIVED = 'heartbeat received';
export const HEARTBEAT_LEASE_EXPIRED = 'heartbeat lease expired';

/** One batch per node whose status changes. */
export function nodeLiveness(view: ClusterView, now: Date): Batch[] {
  const batches: Batch[] = [];
  for (const node of view.nodes.values()) {
    const next = nextStatus(node, view.alive.has(node.id));
    if (next === undefined) continue;
    const changed: Node = { ...node, updatedAt: now.toISOString(), status: { ...node.status, state: next.state, message: next.message } };
    batches.push(batchOf([putNode(changed)]));
  }
  return batches;
}

function nextStatus(node: Node, alive: boolean): { state: NodeState; message: string } | undefined {
  if (alive) return node.status.state === 'ready' ? undefined : { state: 'ready', message: HEARTBEAT_RECEIVED };
  if (node.status.state === 'ready' || node.status.state === 'unknown') return { state: 'down', message: HEARTBEAT_LEASE_EXPIRED };
  return undefined;
}
