/**
 * The cluster's state as metric values, pure: nodes counted by role, status and availability
 * (every combination, zeros included, so that a sum over any label is always defined), and each
 * service's desired and running tasks, counted as dockerd counts them for `service ls`.
 */
import { NODE_AVAILABILITIES, NODE_ROLES, NODE_STATES, type Node, type NodeAvailability, type NodeRole, type NodeState } from '../objects/node.js';
import type { Service } from '../objects/service.js';
import type { Task } from '../objects/task.js';
import { desiredTasks } from '../objects/desired-tasks.js';

export interface NodeCount {
  readonly role: NodeRole;
  readonly status: NodeState;
  readonly availability: NodeAvailability;
  readonly count: number;
}

export interface ServiceTaskCount {
  /** The service's name (unique in a cluster). */
  readonly service: string;
  readonly desired: number;
  /** Tasks whose current (observed) state is running. */
  readonly running: number;
}

/** The nodes per role, status and availability: every combination, in a fixed order. */
export function countNodes(nodes: readonly Node[]): NodeCount[] {
  const key = (role: string, status: string, availability: string): string => `${role}/${status}/${availability}`;
  const counts = new Map<string, number>();
  for (const node of nodes) {
    const k = key(node.spec.role, node.status.state, node.spec.availability);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return NODE_ROLES.flatMap((role) => NODE_STATES.flatMap((status) => NODE_AVAILABILITIES.map((availability) => (
    { role, status, availability, count: counts.get(key(role, status, availability)) ?? 0 }
  ))));
}

/** Each service's desired and running tasks, by service name. */
export function countServiceTasks(services: readonly Service[], tasks: readonly Task[]): ServiceTaskCount[] {
  const byService = new Map<string, Task[]>();
  for (const task of tasks) {
    const own = byService.get(task.serviceId);
    if (own === undefined) byService.set(task.serviceId, [task]);
    else own.push(task);
  }
  return services.map((service) => {
    const own = byService.get(service.id) ?? [];
    return { service: service.spec.name, desired: desiredTasks(service, own), running: own.filter((task) => task.status.state === 'running').length };
  });
}
