import { firstUnmetConstraint, type Constraint } from '../objects/constraints.js';
import type { Node } from '../objects/node.js';
import type { RestartPolicy } from '../objects/service.js';
import { isDesiredToRun, isTerminalTaskState, taskStateRank, type Task } from '../objects/task.js';

/**
 * What an orchestrator decided for one service; the controller applies it (new task ids, the
 * successor tasks, desired states) in one revision-compared transaction, then schedules.
 */
export interface Reconciliation {
  /** New tasks: a slot (replicated) or a node (global). */
  readonly create: readonly { readonly slot?: number; readonly nodeId?: string }[];
  /** Tasks to stop: set their desired state to shutdown. */
  readonly shutdown: readonly { readonly taskId: string; readonly reason: ShutdownReason }[];
  /**
   * Tasks whose slot (or node, for a global service) needs a successor (objects/task.ts
   * `successorOf`): the old one's desired state becomes shutdown, the successor starts after
   * `delayNs` (the restart policy's delay for a task that ended; 0 when its node was lost).
   */
  readonly replace: readonly { readonly taskId: string; readonly reason: ReplaceReason; readonly delayNs: number }[];
  /**
   * Tasks on a drained node that get a successor elsewhere while they keep running (a service
   * with a disruption limit): the old one is shut down once the successor runs.
   */
  readonly handover?: readonly { readonly taskId: string }[];
}

/** A decision being built: its lists writable. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

export type ShutdownReason = 'scale-down' | 'duplicate' | 'node-removed' | 'node-down' | 'node-drained' | 'node-ineligible' | 'job-superseded';
export type ReplaceReason = 'task-ended' | 'node-removed' | 'node-down' | 'node-drained';


/** The tasks the control plane still wants run (history, desired shutdown, is ignored). */
export function isCurrent(task: Task): boolean {
  return isDesiredToRun(task);
}

/**
 * Why a task's node can no longer run it, or undefined when it can. A node that is only
 * `unknown` (a missed heartbeat, lease not yet expired) keeps its tasks: they move only once the
 * node is declared down.
 */
export function lostNode(task: Task, nodes: ReadonlyMap<string, Node>): 'node-removed' | 'node-down' | 'node-drained' | undefined {
  if (task.nodeId === undefined) return undefined;
  const node = nodes.get(task.nodeId);
  if (node === undefined) return 'node-removed';
  if (node.status.state === 'down') return 'node-down';
  if (node.spec.availability === 'drain') return 'node-drained';
  return undefined;
}

/**
 * Why a global service's (or global job's) node no longer runs its tasks there: lost (removed,
 * down, drained) or no longer meeting the constraints; undefined when it still does.
 */
export function globalNodeGone(tasks: readonly Task[], nodes: ReadonlyMap<string, Node>, constraints: readonly Constraint[]): ShutdownReason | undefined {
  const first = tasks[0];
  if (first === undefined) return undefined;
  const lost = lostNode(first, nodes);
  if (lost !== undefined) return lost;
  const node = first.nodeId === undefined ? undefined : nodes.get(first.nodeId);
  return node !== undefined && firstUnmetConstraint(constraints, node) !== undefined ? 'node-ineligible' : undefined;
}

/** Among live tasks of one slot: prefer the furthest along (running), then the newest. */
export function preferredTask(tasks: readonly Task[]): Task | undefined {
  let best: Task | undefined;
  for (const task of tasks) {
    if (best === undefined) best = task;
    else {
      const rank = taskStateRank(task.status.state) - taskStateRank(best.status.state);
      if (rank > 0 || (rank === 0 && task.createdAt > best.createdAt) || (rank === 0 && task.createdAt === best.createdAt && task.id > best.id)) best = task;
    }
  }
  return best;
}

/** The newest task of a list. */
export function newestTask(tasks: readonly Task[]): Task | undefined {
  let newest: Task | undefined;
  for (const task of tasks) if (newest === undefined || task.createdAt > newest.createdAt || (task.createdAt === newest.createdAt && task.id > newest.id)) newest = task;
  return newest;
}

const OWN_ENDS = new Set(['complete', 'failed', 'rejected']);

/**
 * Whether a task that ended while wanted running gets a successor, by the restart policy:
 * `none` never; `on-failure` unless it completed (exit 0); `any` always. With `maxAttempts`,
 * the slot's tasks that ended on their own (complete, failed, rejected; within `windowNs` of
 * `now` when set) are the attempts: the first run plus `maxAttempts` restarts, then no more.
 * `history` is every task of the slot (or node), current or not.
 */
export function restarts(ended: Task, policy: RestartPolicy, history: readonly Task[], now: Date): boolean {
  switch (policy.condition) {
    case 'none': return false;
    case 'on-failure': if (ended.status.state === 'complete') return false; break;
    case 'any': break;
  }
  if (policy.maxAttempts === 0) return true;
  const since = policy.windowNs > 0 ? now.getTime() - policy.windowNs / 1e6 : Number.NEGATIVE_INFINITY;
  const attempts = history.filter((t) => isTerminalTaskState(t.status.state) && OWN_ENDS.has(t.status.state) && Date.parse(t.status.timestamp) >= since).length;
  return attempts <= policy.maxAttempts;
}

/** Groups tasks by a key, keeping input order inside each group. */
export function groupBy<K>(tasks: readonly Task[], key: (task: Task) => K | undefined): Map<K, Task[]> {
  const groups = new Map<K, Task[]>();
  for (const task of tasks) {
    const k = key(task);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [task]);
    else list.push(task);
  }
  return groups;
}
