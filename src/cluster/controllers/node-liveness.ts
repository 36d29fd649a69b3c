/**
 * The node controller: a node's status follows its heartbeat lease. A live lease makes it
 * `ready`; a node without one that was `ready` or `unknown` becomes `down`. A node is declared
 * down only because its lease is gone (etcd ended it), never by this manager's clock — except a
 * node still `unknown` (it never beat): it has one heartbeat TTL from its creation for its first
 * beat before it is declared down, so a node that just joined or initialised the cluster is not
 * reported down and ready again within a second. A node already `down` stays down until it beats again.
 */
import type { Node, NodeState } from '../objects/node.js';
import { batchOf, putNode, type Batch } from './changes.js';
import type { ClusterView } from './cluster-view.js';

export const HEARTBEAT_RECEIVED = 'heartbeat received';
export const HEARTBEAT_LEASE_EXPIRED = 'heartbeat lease expired';
/** How long a new node has for its first beat: Swarm's default heartbeat TTL. */
export const FIRST_BEAT_GRACE_MS = 15_000;

/** One batch per node whose status changes. */
export function nodeLiveness(view: ClusterView, now: Date): Batch[] {
  const batches: Batch[] = [];
  for (const node of view.nodes.values()) {
    const next = nextStatus(node, view.alive.has(node.id), now);
    if (next === undefined) continue;
    const changed: Node = { ...node, updatedAt: now.toISOString(), status: { ...node.status, state: next.state, message: next.message } };
    batches.push(batchOf([putNode(changed)]));
  }
  return batches;
}

/** A pass when each node still waiting for its first beat runs out of time (control-plane.ts arms them). */
export function firstBeatWakeups(view: ClusterView, now: Date): { key: string; ms: number }[] {
  const wakeups: { key: string; ms: number }[] = [];
  for (const node of view.nodes.values()) {
    if (node.status.state !== 'unknown' || view.alive.has(node.id)) continue;
    const ms = Date.parse(node.createdAt) + FIRST_BEAT_GRACE_MS - now.getTime();
    if (ms > 0) wakeups.push({ key: `first-beat/${node.id}`, ms });
  }
  return wakeups;
}

function nextStatus(node: Node, alive: boolean, now: Date): { state: NodeState; message: string } | undefined {
  if (alive) return node.status.state === 'ready' ? undefined : { state: 'ready', message: HEARTBEAT_RECEIVED };
  if (node.status.state === 'ready') return { state: 'down', message: HEARTBEAT_LEASE_EXPIRED };
  const firstBeatMissed = now.getTime() >= Date.parse(node.createdAt) + FIRST_BEAT_GRACE_MS;
  return node.status.state === 'unknown' && firstBeatMissed ? { state: 'down', message: HEARTBEAT_LEASE_EXPIRED } : undefined;
}
