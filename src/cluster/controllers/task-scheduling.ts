/**
 * The scheduler applied: tasks wanted running that wait for a node (new, allocated or pending)
 * are placed with `schedule`. An assignment sets the task's node and status `assigned`
 * ("scheduled"), guarded by the node's version (a node that changed since the read fails the
 * commit, and the pass places again); a task that fits nowhere gets status `pending` with the
 * scheduler's reason, written only when the reason changes. Tasks still waiting for their
 * network addresses (network-allocation.ts) are left for a later pass, and so are a stop-first
 * update's successors until the task they replace ended. A global service's tasks are made
 * for their node: they go from new to `assigned` directly.
 */
import { needsAddresses } from '../networking/address-allocation.js';
import type { Task } from '../objects/task.js';
import { schedule, type Random } from '../scheduler/index.js';
import { checkNode, putTask, type Batch, type Change } from './changes.js';
import type { ClusterView } from './cluster-view.js';
import { awaitsPlacement, hasEnded, wantedRunning } from './task-lifecycle.js';

export const SCHEDULED = 'scheduled';

/** One batch: the plan (each task's change its own unit). */
export function scheduleTasks(view: ClusterView, now: Date, random: Random): Batch[] {
  const waiting = [...view.tasks.values()]
    .filter((task) => view.services.has(task.serviceId) && wantedRunning(task) && awaitsPlacement(task) && !needsAddresses(task) && predecessorGone(view, task))
    .sort(placementOrder);
  const units: Change[][] = [];
  const withStatus = (task: Task, state: 'assigned' | 'pending', message: string, nodeId?: string): Task => ({
    ...task,
    ...(nodeId === undefined ? {} : { nodeId }),
    updatedAt: now.toISOString(),
    status: { state, message, timestamp: now.toISOString() },
  });

  for (const task of waiting) {
    if (task.nodeId !== undefined && task.status.state === 'new') units.push([putTask(withStatus(task, 'assigned', SCHEDULED))]);
  }
  const unplaced = waiting.filter((task) => task.nodeId === undefined);
  if (unplaced.length > 0) {
    const plan = schedule({ nodes: [...view.nodes.values()], tasks: [...view.tasks.values()] }, unplaced, { random });
    for (const { taskId, nodeId } of plan.assignments) {
      const task = view.tasks.get(taskId);
      const node = view.nodes.get(nodeId);
      if (task !== undefined && node !== undefined) units.push([checkNode(node), putTask(withStatus(task, 'assigned', SCHEDULED, nodeId))]);
    }
    for (const { taskId, reason } of plan.unplaced) {
      const task = view.tasks.get(taskId);
      if (task !== undefined && (task.status.state !== 'pending' || task.status.message !== reason)) {
        units.push([putTask(withStatus(task, 'pending', reason))]);
      }
    }
  }
  return units.length === 0 ? [] : [{ guard: [], units }];
}

/**
 * The time from each task's creation to its assignment, in seconds, for the assignments among
 * `changes` that landed at `at` (a put of a task in state `assigned`; 0 when the task's creation
 * time is later, written by a manager whose clock is ahead).
 */
export function schedulingDelays(changes: readonly Change[], at: Date): number[] {
  return changes.flatMap((change) => {
    if (change.op !== 'put-task' || change.task.status.state !== 'assigned') return [];
    const created = Date.parse(change.task.createdAt);
    return Number.isNaN(created) ? [] : [Math.max(0, at.getTime() - created) / 1000];
  });
}

/**
 * A stop-first update's successor waits until the task it replaces ended, as Swarm's does (never
 * two containers of one slot at once); a predecessor gone from the store, or on a node that is
 * down or gone, will not report an end and does not hold it.
 */
function predecessorGone(view: ClusterView, task: Task): boolean {
  if (task.replaces === undefined) return true;
  const old = view.tasks.get(task.replaces);
  if (old === undefined || hasEnded(old)) return true;
  const node = old.nodeId === undefined ? undefined : view.nodes.get(old.nodeId);
  return node === undefined || node.status.state === 'down';
}

/** Oldest first, then by service and slot, so that a plan is the same for the same state. */
function placementOrder(a: Task, b: Task): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  if (a.serviceId !== b.serviceId) return a.serviceId < b.serviceId ? -1 : 1;
  if ((a.slot ?? 0) !== (b.slot ?? 0)) return (a.slot ?? 0) - (b.slot ?? 0);
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
