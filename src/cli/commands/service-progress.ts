/**
 * How far a service is from running all its tasks, as `docker service create` shows it while it
 * waits: one line per slot (`1/3: running`; a global service's by node) under
 * `overall progress: 2 out of 3 tasks`, with the scheduler's reason beside a task that cannot be
 * placed. Pure: the caller fetches the service and its tasks and passes the time in.
 */
import type { SwarmService, SwarmTask } from '../../wire/swarm.js';

/** One slot of the service (a replica number, or a node for a global service). */
export interface SlotView {
  key: string;
  /** `1/3`, or the node id's first 12 characters for a global service. */
  label: string;
  /** The task's state (`pending`, `running`, …); `new` while the slot has no task yet. */
  state: string;
  /** The task's error, or its status message when it has none (the scheduler's reason for a pending task). */
  reason: string;
  /** Waiting can end only by someone else's doing: pending with a reason, or stopped for good (restart condition none). */
  blocked: boolean;
}

export interface ConvergeView {
  /** One task per eligible node rather than a number of replicas. */
  global: boolean;
  running: number;
  desired: number;
  slots: SlotView[];
}

const TERMINAL = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);

const versionOf = (task: SwarmTask): number => task.Version.Index;

/** The task that stands for a slot: the newest of those meant to run, else the newest of all. */
function current(tasks: SwarmTask[]): SwarmTask | undefined {
  const newestFirst = [...tasks].sort((a, b) => versionOf(b) - versionOf(a) || b.CreatedAt.localeCompare(a.CreatedAt));
  return newestFirst.find((t) => t.DesiredState === 'running') ?? newestFirst[0];
}

function group(tasks: SwarmTask[], keyOf: (task: SwarmTask) => string): Map<string, SwarmTask[]> {
  const groups = new Map<string, SwarmTask[]>();
  for (const task of tasks) groups.set(keyOf(task), [...(groups.get(keyOf(task)) ?? []), task]);
  return groups;
}

function slotView(key: string, label: string, task: SwarmTask | undefined, restartNone: boolean): SlotView {
  if (task === undefined) return { key, label, state: 'new', reason: '', blocked: false };
  const state = task.Status.State;
  const reason = task.Status.Err !== undefined && task.Status.Err !== '' ? task.Status.Err : (task.Status.Message ?? '');
  const blocked = (state === 'pending' && reason !== '') || (restartNone && TERMINAL.has(state));
  return { key, label, state, reason, blocked };
}

/** The service's slots and counts from its tasks (those of other services are ignored). Not for a job: its run's view is service-job-progress.ts's. */
export function convergeView(service: SwarmService, tasks: SwarmTask[]): ConvergeView {
  const own = tasks.filter((t) => t.ServiceID === service.ID);
  const restartNone = service.Spec.TaskTemplate.RestartPolicy.Condition === 'none';
  const mode = service.Spec.Mode;
  const replicated = 'Replicated' in mode ? mode.Replicated : undefined;
  const global = replicated === undefined;
  let slots: SlotView[];
  if (global) {
    const byNode = group(own.filter((t) => t.DesiredState !== 'shutdown'), (t) => t.NodeID ?? '');
    slots = [...byNode.entries()].filter(([node]) => node !== '').sort(([a], [b]) => a.localeCompare(b))
      .map(([node, list]) => slotView(node, node.slice(0, 12), current(list), restartNone));
  } else {
    const desired = replicated.Replicas;
    const bySlot = group(own, (t) => String(t.Slot ?? 0));
    slots = Array.from({ length: desired }, (_, i) => slotView(String(i + 1), `${i + 1}/${desired}`, current(bySlot.get(String(i + 1)) ?? []), restartNone));
  }
  const desired = replicated !== undefined ? replicated.Replicas : Math.max(slots.length, service.ServiceStatus?.DesiredTasks ?? 0);
  return { global, running: slots.filter((s) => s.state === 'running').length, desired, slots };
}

/** The lines shown for a view, keyed for in-place redrawing: the overall line, then one per slot. */
export function progressLines(view: ConvergeView): { key: string; text: string }[] {
  const width = Math.max(0, ...view.slots.map((s) => s.label.length));
  return [
    { key: 'overall', text: `overall progress: ${view.running} out of ${view.desired} tasks` },
    ...view.slots.map((s) => ({ key: s.key, text: `${`${s.label}:`.padEnd(width + 1)} ${s.state.padEnd(9)} ${s.reason}`.trimEnd() })),
  ];
}

/** Whether every task runs. A global service with no task yet has not converged (its tasks are still to come). */
export function converged(view: ConvergeView): boolean {
  if (view.slots.length === 0) return !view.global && view.desired === 0;
  return view.running >= view.desired && view.slots.every((s) => s.state === 'running');
}

/** The outcome of one look at the service. */
export type ConvergeOutcome = { kind: 'converged' } | { kind: 'waiting' } | { kind: 'stalled'; reasons: string[] };

/**
 * Judges successive views: converged when every task runs; stalled when every slot not yet
 * running has been blocked (pending with the scheduler's reason, or stopped for good) for
 * `graceMs` without a break; waiting otherwise.
 */
export class ConvergeJudge {
  #blockedSince: number | undefined;

  constructor(private readonly graceMs: number) {}

  judge(view: ConvergeView, nowMs: number): ConvergeOutcome {
    if (converged(view)) return { kind: 'converged' };
    const unready = view.slots.filter((s) => s.state !== 'running');
    const allBlocked = unready.length > 0 && unready.every((s) => s.blocked);
    if (!allBlocked) {
      this.#blockedSince = undefined;
      return { kind: 'waiting' };
    }
    this.#blockedSince ??= nowMs;
    if (nowMs - this.#blockedSince < this.graceMs) return { kind: 'waiting' };
    return { kind: 'stalled', reasons: unready.map((s) => `${s.label}: ${s.state}${s.reason === '' ? '' : `: ${s.reason}`}`) };
  }
}
