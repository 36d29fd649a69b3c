/**
 * The task reaper: deletes what nothing will run again.
 * - A task whose service was removed gets desired state `remove` (its node's agent then removes
 *   its container); once it ended, or if it never had a node, it is deleted.
 * - A task no longer wanted running (shutdown, remove) whose node no longer exists, or that never
 *   had one, is deleted: nothing can run it.
 * - History: of the ended tasks no longer wanted running, at most `HISTORY_PER_SLOT` per slot
 *   (per node for a global service) are kept, the newest; older ones are deleted.
 */
import type { Task } from '../objects/task.js';
import { batchOf, deleteTask, putTask, withDesiredState, type Batch, type Change } from './changes.js';
import type { ClusterView } from './cluster-view.js';
import { hasEnded, isHistory, newestFirst, wantedRunning } from './task-lifecycle.js';

export const HISTORY_PER_SLOT = 5;

/** Removed services' tasks and tasks nothing can run: one batch of single-change units. */
export function reapTasks(view: ClusterView, now: Date): Batch[] {
  const changes: Change[] = [];
  for (const task of view.tasks.values()) {
    const nodeGone = task.nodeId === undefined || !view.nodes.has(task.nodeId);
    if (!view.services.has(task.serviceId)) {
      if (hasEnded(task) || nodeGone) changes.push(deleteTask(task));
      else if (task.desiredState !== 'remove') changes.push(putTask(withDesiredState(task, 'remove', now)));
    } else if (!wantedRunning(task) && nodeGone) {
      changes.push(deleteTask(task));
    }
  }
  return changes.length === 0 ? [] : [batchOf(changes)];
}

/** History beyond the limit, per slot (or node) of every service: one batch of deletes. */
export function trimHistory(view: ClusterView): Batch[] {
  const slots = new Map<string, Task[]>();
  for (const task of view.tasks.values()) {
    if (!isHistory(task) || !view.services.has(task.serviceId)) continue;
    const key = `${task.serviceId}/${task.slot === undefined ? `node:${task.nodeId ?? ''}` : `slot:${task.slot}`}`;
    const list = slots.get(key);
    if (list === undefined) slots.set(key, [task]);
    else list.push(task);
  }
  const changes: Change[] = [];
  for (const list of slots.values()) {
    for (const task of list.sort(newestFirst).slice(HISTORY_PER_SLOT)) changes.push(deleteTask(task));
  }
  return changes.length === 0 ? [] : [batchOf(changes)];
}
