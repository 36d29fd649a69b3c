import { parseConstraints, firstUnmetConstraint } from '../objects/constraints.js';
import type { Node } from '../objects/node.js';
import type { Service } from '../objects/service.js';
import { isTerminalTaskState, type Task } from '../objects/task.js';
import { globalNodeGone, groupBy, isCurrent, newestTask, preferredTask, restarts, type Mutable, type Reconciliation } from './reconciliation.js';
import { startingSuccessor } from './rolling-update.js';

/**
 * The global orchestrator's decisions for one service (Swarm's): one live task on every eligible
 * node — ready, active and meeting the constraints — including nodes that join later.
 * - a task on a node removed, declared down, drained or no longer meeting the constraints is
 *   shut down (a global task belongs to its node: it is not placed elsewhere); a paused or
 *   `unknown` node keeps its task, but gets none while it is not ready and active;
 * - several live tasks on one node: the furthest along is kept, the others shut down (except a
 *   start-first update's new task beside the out-of-date one, rolling-update.ts);
 * - a task that ended while wanted running is replaced on the same node if the restart policy
 *   says so;
 * - an eligible node with no current task gets a new one.
 * Pure; the output lists are sorted by node id. Throws invalid-argument when the service's
 * constraints do not parse (a spec that skipped validation).
 */
export function reconcileGlobal(service: Service, tasks: readonly Task[], nodes: ReadonlyMap<string, Node>, now: Date): Reconciliation {
  const template = service.spec.taskTemplate;
  const constraints = parseConstraints(template.placement.constraints, 'taskTemplate.placement.constraints');
  const own = tasks.filter((task) => task.serviceId === service.id);
  const history = groupBy(own, (task) => task.nodeId);
  const current = groupBy(own.filter(isCurrent), (task) => task.nodeId);
  const out: Mutable<Reconciliation> = { create: [], shutdown: [], replace: [] };

  for (const nodeId of [...current.keys()].sort()) {
    const list = current.get(nodeId) ?? [];
    const gone = globalNodeGone(list, nodes, constraints);
    if (gone !== undefined) {
      for (const task of list) out.shutdown.push({ taskId: task.id, reason: gone });
      continue;
    }
    const live = list.filter((task) => !isTerminalTaskState(task.status.state));
    const kept = preferredTask(live);
    const starting = startingSuccessor(kept, live, template);
    let replacing: Task | undefined;
    if (kept === undefined) {
      const last = newestTask(list);
      if (last !== undefined && restarts(last, template.restartPolicy, history.get(nodeId) ?? [], now)) {
        replacing = last;
        out.replace.push({ taskId: last.id, reason: 'task-ended', delayNs: template.restartPolicy.delayNs });
      }
    }
    for (const task of list) {
      if (task === kept || task === replacing || task === starting || (kept === undefined && isTerminalTaskState(task.status.state) && replacing === undefined)) continue;
      out.shutdown.push({ taskId: task.id, reason: 'duplicate' });
    }
  }

  const eligible = [...nodes.values()]
    .filter((node) => node.status.state === 'ready' && node.spec.availability === 'active' && firstUnmetConstraint(constraints, node) === undefined)
    .map((node) => node.id)
    .sort();
  for (const nodeId of eligible) if (!current.has(nodeId)) out.create.push({ nodeId });
  return out;
}
