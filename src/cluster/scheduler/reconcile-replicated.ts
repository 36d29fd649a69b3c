import type { Node } from '../objects/node.js';
import type { Service } from '../objects/service.js';
import { isTerminalTaskState, type Task } from '../objects/task.js';
import { groupBy, isCurrent, lostNode, newestTask, preferredTask, restarts, type Mutable, type Reconciliation } from './reconciliation.js';
import { startingSuccessor } from './rolling-update.js';

/** One slot after the per-slot decisions: what holds it, and how easy it is to give up. */
interface SlotState {
  readonly slot: number;
  /** The task kept in the slot (live), or undefined when the slot is being replaced or dead. */
  readonly kept: Task | undefined;
  /** The replace decided for the slot, if any (cancelled if the slot is scaled away). */
  readonly replacing: Task | undefined;
  /** The slot's last task ended and the restart policy gives it no successor. */
  readonly dead: boolean;
}

/**
 * The replicated orchestrator's decisions for one service (Swarm's): slots 1…replicas each hold
 * one live task. Given the service, every task of it (current and history) and the nodes:
 * - a slot with several live tasks keeps the furthest along and shuts the others down, except
 *   a start-first update's new task beside the out-of-date one it replaces (rolling-update.ts);
 * - a slot whose task's node was removed, declared down or drained is replaced (the successor is
 *   placed anew); a node only `unknown` keeps its tasks;
 * - a slot whose task ended while wanted running is replaced if the restart policy says so;
 *   otherwise it stays dead (and still counts as a slot);
 * - more slots than replicas: the surplus is shut down, dead slots first, then slots being
 *   replaced, then not yet running, then on the nodes holding most of the service, then the
 *   highest slot numbers; fewer: new slots with the lowest free numbers.
 * - a service with a disruption limit (`minAvailable`) hands a drained node's running task over:
 *   its successor is made while it runs on, and it is shut down once the successor runs;
 * Pure; the output lists are sorted by slot.
 */
export function reconcileReplicated(service: Service, tasks: readonly Task[], nodes: ReadonlyMap<string, Node>, now: Date): Reconciliation {
  const mode = service.spec.mode;
  const replicas = mode.kind === 'replicated' ? mode.replicas : 0;
  const policy = service.spec.taskTemplate.restartPolicy;
  const own = tasks.filter((task) => task.serviceId === service.id);
  const history = groupBy(own, (task) => task.slot);
  const current = groupBy(own.filter(isCurrent), (task) => task.slot);
  const out: Mutable<Reconciliation> = { create: [], shutdown: [], replace: [] };
  const handover: { taskId: string }[] = [];
  const slots: SlotState[] = [];
  const limited = service.spec.minAvailable > 0;
  /** A running task on a drained node, which a limited service keeps until its successor runs. */
  const holding = (task: Task): boolean => limited && task.status.state === 'running' && lostNode(task, nodes) === 'node-drained';

  for (const slot of [...current.keys()].sort((a, b) => a - b)) {
    const list = current.get(slot) ?? [];
    const live = list.filter((task) => !isTerminalTaskState(task.status.state) && lostNode(task, nodes) === undefined);
    const kept = preferredTask(live);
    const starting = startingSuccessor(kept, live, service.spec.taskTemplate);
    let replacing: Task | undefined;
    let dead = false;
    const held = list.find(holding);
    if (kept === undefined && held !== undefined) {
      // Start-first across the drain: the successor is made; the drained task runs on meanwhile.
      handover.push({ taskId: held.id });
      for (const task of list) if (task !== held && !isTerminalTaskState(task.status.state)) out.shutdown.push({ taskId: task.id, reason: lostNode(task, nodes) ?? 'duplicate' });
      slots.push({ slot, kept: held, replacing: undefined, dead: false });
      continue;
    }
    if (kept === undefined) {
      const last = newestTask(list);
      const lost = last === undefined ? undefined : lostNode(last, nodes);
      if (last !== undefined && lost !== undefined) {
        replacing = last;
        out.replace.push({ taskId: last.id, reason: lost, delayNs: 0 });
      } else if (last !== undefined && restarts(last, policy, history.get(slot) ?? [], now)) {
        replacing = last;
        out.replace.push({ taskId: last.id, reason: 'task-ended', delayNs: policy.delayNs });
      } else dead = true;
    }
    for (const task of list) {
      if (task === kept || task === replacing || task === starting) continue;
      if (dead && isTerminalTaskState(task.status.state)) continue;
      if (holding(task) && kept?.status.state !== 'running') continue;
      out.shutdown.push({ taskId: task.id, reason: lostNode(task, nodes) ?? 'duplicate' });
    }
    slots.push({ slot, kept, replacing, dead });
  }

  if (slots.length > replicas) {
    const perNode = new Map<string, number>();
    for (const s of slots) if (s.kept?.nodeId !== undefined) perNode.set(s.kept.nodeId, (perNode.get(s.kept.nodeId) ?? 0) + 1);
    const cost = (s: SlotState): number => (s.dead ? 0 : s.kept === undefined ? 1 : s.kept.status.state !== 'running' ? 2 : 3);
    const load = (s: SlotState): number => (s.kept?.nodeId === undefined ? 0 : perNode.get(s.kept.nodeId) ?? 0);
    // One at a time, so each pick sees the load the picks before it left behind.
    const remaining = [...slots];
    const removed: SlotState[] = [];
    while (removed.length < slots.length - replicas) {
      remaining.sort((a, b) => cost(a) - cost(b) || load(b) - load(a) || b.slot - a.slot);
      const pick = remaining.shift();
      if (pick === undefined) break;
      removed.push(pick);
      const node = pick.kept?.nodeId;
      if (node !== undefined) perNode.set(node, (perNode.get(node) ?? 1) - 1);
    }
    for (const s of removed.sort((a, b) => a.slot - b.slot)) {
      if (s.kept !== undefined) out.shutdown.push({ taskId: s.kept.id, reason: 'scale-down' });
      if (s.replacing !== undefined) {
        const replacing = s.replacing;
        out.replace = out.replace.filter((r) => r.taskId !== replacing.id);
        out.shutdown.push({ taskId: replacing.id, reason: 'scale-down' });
      }
    }
  } else {
    const used = new Set(slots.map((s) => s.slot));
    for (let slot = 1; out.create.length < replicas - slots.length; slot++) {
      if (!used.has(slot)) out.create.push({ slot });
    }
  }
  return handover.length === 0 ? out : { ...out, handover };
}
