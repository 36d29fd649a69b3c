/**
 * The task reaper: deletes what nothing will run again.
 * - A task whose service was removed gets desired state `remove` (its node's agent then removes
 *   its container); once it ended, or if it never had a node, it is deleted.
 * - A task no longer wanted running (shutdown, remove) whose node no longer exists, or that never
 *   had one, is deleted: nothing can run it.
 * - History: of the ended tasks no longer wanted running, at most `HISTORY_PER_SLOT` per slot
 *   (per node for a global service; per run and slot for a job) are kept, the newest; older ones
 *   are deleted. A job's completed tasks are its record, kept with their run: the ended tasks of
 *   runs before the last `historyLimit` (the schedule's, else `JOB_RUNS_KEPT`) are deleted.
 */
import { isJobMode, type Service } from '../objects/service.js';
import type { Task } from '../objects/task.js';
import { batchOf, deleteTask, putTask, withDesiredState, type Batch, type Change } from './changes.js';
import type { ClusterView } from './cluster-view.js';
import { hasEnded, isHistory, newestFirst, wantedRunning } from './task-lifecycle.js';

export const HISTORY_PER_SLOT = 5;
/** Earlier runs of a job without a schedule whose tasks are kept. */
export const JOB_RUNS_KEPT = 3;

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
  const changes: Change[] = [];
  for (const task of view.tasks.values()) {
    const service = view.services.get(task.serviceId);
    if (service === undefined) continue;
    if (isOldJobRun(service, task)) {
      if (hasEnded(task)) changes.push(deleteTask(task));
      continue;
    }
    if (!isHistory(task)) continue;
    const run = task.jobIteration === undefined ? '' : `run:${task.jobIteration}/`;
    const key = `${task.serviceId}/${run}${task.slot === undefined ? `node:${task.nodeId ?? ''}` : `slot:${task.slot}`}`;
    const list = slots.get(key);
    if (list === undefined) slots.set(key, [task]);
    else list.push(task);
  }
  for (const list of slots.values()) {
    for (const task of list.sort(newestFirst).slice(HISTORY_PER_SLOT)) changes.push(deleteTask(task));
  }
  return changes.length === 0 ? [] : [batchOf(changes)];
}

/** A job's task of a run older than the runs it keeps. */
function isOldJobRun(service: Service, task: Task): boolean {
  if (!isJobMode(service.spec.mode) || task.jobIteration === undefined) return false;
  const kept = service.spec.schedule?.historyLimit ?? JOB_RUNS_KEPT;
  return task.jobIteration < (service.jobStatus?.iteration ?? 0) - kept;
}
