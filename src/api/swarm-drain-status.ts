/**
 * What holds a drain, for `GET /nodes/{id}`: a drained node whose tasks still run (a service with
 * a disruption limit keeps them until their successors run elsewhere) says which services in its
 * status message. Pure.
 */
import type { Service, Task } from '../cluster/objects/index.js';
import { isDesiredToRun, isTerminalTaskState } from '../cluster/objects/task.js';

/** The message, or undefined when nothing holds the node (or it is not drained). */
export function drainHoldMessage(tasks: readonly Task[], services: readonly Service[]): string | undefined {
  const holding = tasks.filter((task) => isDesiredToRun(task) && !isTerminalTaskState(task.status.state));
  if (holding.length === 0) return undefined;
  const names = new Map(services.map((s) => [s.id, s.spec.name]));
  const counts = new Map<string, number>();
  for (const task of holding) {
    const name = names.get(task.serviceId) ?? task.serviceId;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const list = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, n]) => `${name} (${String(n)} task${n === 1 ? '' : 's'})`);
  return `drain waits for ${list.join(', ')}: its tasks stop once their successors run elsewhere`;
}
