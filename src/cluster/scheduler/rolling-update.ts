import { isDeepStrictEqual } from 'node:util';
import type { Canary, Service, TaskTemplate, UpdateConfig, UpdateOrder, UpdateStatus } from '../objects/service.js';
import { isTerminalTaskState, type Task } from '../objects/task.js';
import { groupBy, isCurrent, preferredTask } from './reconciliation.js';

/**
 * What the rolling updater decided for one service in one pass (Swarm's updater, level-based:
 * everything it needs is in the service and its tasks, nothing in memory).
 */
export interface UpdatePlan {
  /**
   * Out-of-date tasks whose slot gets a task of the current spec now. `stop-first`: the old one
   * is shut down together; `start-first`: the old one stays until the new one runs (the
   * replicated and global orchestrators then keep the running new one and shut the old down).
   */
  readonly replace: readonly { readonly taskId: string; readonly order: UpdateOrder }[];
  /** The service's new update status, when it changes. */
  readonly status?: UpdateStatus;
  /** The update failed and rolls back: the spec becomes `previousSpec` (nothing else this pass). */
  readonly rollback: boolean;
  /** A delay or a monitor window still running: decide again after this many milliseconds. */
  readonly wakeupMs?: number;
}

/** The task spec as a comparable value (absent and undefined alike, key order ignored). */
function comparable(template: TaskTemplate): unknown {
  return JSON.parse(JSON.stringify(template)) as unknown;
}

/** Whether a task was made from `template` (the service's current task template, force counter included). */
export function isUpToDate(task: Task, template: TaskTemplate): boolean {
  return isDeepStrictEqual(comparable(task.spec), comparable(template));
}

const FAILED_ENDS: ReadonlySet<string> = new Set(['failed', 'rejected', 'complete']);
const IN_PROGRESS: ReadonlySet<string> = new Set(['updating', 'rollback_started']);

/** Whether an update status stops the updater until the next spec change. */
export function isPausedUpdate(status: UpdateStatus | undefined): boolean {
  return status?.state === 'paused' || status?.state === 'rollback_paused';
}

/** The config that drives the rolling: the rollback config while rolling back. */
export function activeUpdateConfig(service: Service): UpdateConfig {
  return service.updateStatus?.state.startsWith('rollback') === true ? service.spec.rollbackConfig : service.spec.updateConfig;
}

/**
 * The rolling updater's decision for one service (replicated: per slot; global: per node), given
 * every task of it and the time:
 * - a slot is *out of date* when its live tasks (wanted running, not ended) were all made from
 *   another task template; it is *in flight* while its task of the current spec is not running
 *   yet (running means healthy for a spec with a health check: the agent reports it so);
 * - with no update status (a new spec) and slots out of date, the update starts (`updating`);
 * - while updating or rolling back: at most `parallelism` slots in flight (0: all at once); a
 *   next batch only once `delayNs` has passed since the last new task started running;
 * - tasks of the current spec made since the update started that ended on their own (failed,
 *   rejected, exited) are failures; more than `maxFailureRatio` of the slots is a failed update:
 *   `pause` stops replacing (`paused`, with the task), `continue` goes on, `rollback` restores the
 *   previous spec (`rollback_started`; tasks on that spec that still run are kept); a failed
 *   rollback pauses (`rollback_paused`);
 * - nothing out of date or in flight, and every new task running for `monitorNs`: `completed`
 *   (`rollback_completed`); until then a wake-up for the end of the monitor window.
 * - stop-first with a disruption limit (`minAvailable`): no replacement that would leave fewer
 *   running tasks than it;
 * - with a canary (berth's; updates only, until promoted): no more than its tasks are updated;
 *   once they run clean for `monitorNs` the update holds (`paused`, canary `holding`, until
 *   `service promote`) or, with `autoPromote`, is promoted and goes on;
 * A paused update does nothing until the spec changes again (or a canary is promoted). Pure.
 */
export function planUpdate(service: Service, tasks: readonly Task[], now: Date): UpdatePlan {
  const none: UpdatePlan = { replace: [], rollback: false };
  const status = service.updateStatus;
  if (isPausedUpdate(status)) return none;
  const template = service.spec.taskTemplate;
  const own = tasks.filter((task) => task.serviceId === service.id);
  const live = own.filter((task) => isCurrent(task) && !isTerminalTaskState(task.status.state));
  const slots = groupBy(live, (task) => (service.spec.mode.kind === 'global' ? task.nodeId : task.slot));
  const stale: Task[] = [];
  let inFlight = 0;
  let updated = 0;
  for (const list of [...slots.values()]) {
    const fresh = list.filter((task) => isUpToDate(task, template));
    if (fresh.length > 0) {
      updated += 1;
      if (!fresh.some((task) => task.status.state === 'running')) inFlight += 1;
    } else {
      const kept = preferredTask(list);
      if (kept !== undefined) stale.push(kept);
    }
  }
  const rollingBack = status?.state.startsWith('rollback') === true;
  const time = now.toISOString();
  if (status === undefined || !IN_PROGRESS.has(status.state)) {
    // No update under way: one starts when tasks are out of date (a new spec, or a force).
    if (stale.length === 0 || (status !== undefined && status.state !== 'completed' && status.state !== 'rollback_completed')) return none;
    return { replace: [], rollback: false, status: { state: 'updating', startedAt: time, message: 'update in progress' } };
  }

  const config = activeUpdateConfig(service);
  const startedAt = status.startedAt ?? service.updatedAt;
  const made = own.filter((task) => task.createdAt >= startedAt && isUpToDate(task, template));
  const failures = made.filter((task) => FAILED_ENDS.has(task.status.state));
  const total = Math.max(1, slots.size, service.spec.mode.kind === 'replicated' ? service.spec.mode.replicas : 0);
  const failed = failures[0];
  if (failed !== undefined && failures.length / total > config.maxFailureRatio && config.failureAction !== 'continue') {
    const why = `task ${failed.id} ${failed.status.state}: ${failed.status.err ?? (failed.status.message || 'no message')}`;
    if (rollingBack) return { replace: [], rollback: false, status: { ...status, state: 'rollback_paused', message: `rollback paused: ${why}` } };
    if (config.failureAction === 'rollback' && service.previousSpec !== undefined) {
      return { replace: [], rollback: true, status: { state: 'rollback_started', startedAt: time, message: `update rolled back: ${why}` } };
    }
    const note = config.failureAction === 'rollback' ? ' (no previous spec to roll back to)' : '';
    return { replace: [], rollback: false, status: { ...status, state: 'paused', message: `update paused: ${why}${note}` } };
  }

  const running = made.filter((task) => task.status.state === 'running' && isCurrent(task));
  const monitorMs = config.monitorNs / 1e6;
  // A replicated slot without a live task (one that just failed) is being refilled: not done yet.
  const missing = service.spec.mode.kind === 'replicated' && slots.size < service.spec.mode.replicas;
  if (stale.length === 0 && inFlight === 0 && !missing) {
    const watchedUntil = Math.max(0, ...running.map((task) => Date.parse(task.status.timestamp) + monitorMs));
    if (watchedUntil > now.getTime()) return { replace: [], rollback: false, wakeupMs: Math.ceil(watchedUntil - now.getTime()) };
    const done = rollingBack ? 'rollback_completed' : 'completed';
    // A rollback the updater started keeps its reason beside the outcome.
    const message = !rollingBack ? 'update completed' : status.message.startsWith('update rolled back') ? `${status.message}; rollback completed` : 'rollback completed';
    return { replace: [], rollback: false, status: { ...status, state: done, completedAt: time, message } };
  }

  const canary = rollingBack || status.canary === 'promoted' || config.canary === undefined ? undefined : canarySize(config.canary, total);
  if (canary !== undefined && stale.length > 0 && updated >= canary) {
    // The canary tasks are out: once they run clean for the monitor window, hold or promote.
    if (inFlight > 0) return none;
    const watchedUntil = Math.max(0, ...running.map((task) => Date.parse(task.status.timestamp) + monitorMs));
    if (watchedUntil > now.getTime()) return { replace: [], rollback: false, wakeupMs: Math.ceil(watchedUntil - now.getTime()) };
    if (config.canary?.autoPromote === true) {
      return { replace: [], rollback: false, status: { ...status, canary: 'promoted', message: `canary promoted: ${updated} of ${total} tasks ran clean for the monitor window` } };
    }
    return {
      replace: [], rollback: false,
      status: { ...status, state: 'paused', canary: 'holding', message: `canary: ${updated} of ${total} tasks updated; waiting for "berth service promote ${service.spec.name}" (or a rollback)` },
    };
  }

  const lastStart = Math.max(Number.NEGATIVE_INFINITY, ...running.map((task) => Date.parse(task.status.timestamp)));
  const nextBatchAt = lastStart + config.delayNs / 1e6;
  if (stale.length > 0 && config.delayNs > 0 && nextBatchAt > now.getTime()) {
    return { replace: [], rollback: false, wakeupMs: Math.ceil(nextBatchAt - now.getTime()) };
  }
  let parallel = config.parallelism === 0 ? stale.length : Math.max(0, config.parallelism - inFlight);
  if (config.order === 'stop-first' && service.spec.minAvailable > 0) {
    // Each stop-first replacement stops a running task: keep at least minAvailable running.
    const runningNow = live.filter((task) => task.status.state === 'running').length;
    parallel = Math.min(parallel, Math.max(0, runningNow - service.spec.minAvailable));
  }
  const room = canary === undefined ? parallel : Math.min(parallel, canary - updated);
  const next = stale.sort(bySlot).slice(0, room);
  return { replace: next.map((task) => ({ taskId: task.id, order: config.order })), rollback: false };
}

/** The canary's task count: its count, or its share of the slots rounded up, at least 1. */
export function canarySize(canary: Canary, slots: number): number {
  return Math.max(1, canary.count ?? Math.ceil(((canary.percent ?? 100) / 100) * slots));
}

function bySlot(a: Task, b: Task): number {
  return (a.slot ?? 0) - (b.slot ?? 0) || ((a.nodeId ?? '') < (b.nodeId ?? '') ? -1 : (a.nodeId ?? '') > (b.nodeId ?? '') ? 1 : 0);
}

/**
 * A start-first update in flight in one slot: when the task kept is out of date and a live task of
 * the current spec is beside it, that new task is kept too (the old one goes once the new one is
 * running: it is then the one kept). Undefined otherwise.
 */
export function startingSuccessor(kept: Task | undefined, live: readonly Task[], template: TaskTemplate): Task | undefined {
  if (kept === undefined || isUpToDate(kept, template)) return undefined;
  return live.find((task) => task !== kept && isUpToDate(task, template));
}
