/**
 * The list filters of `GET /nodes`, `/services` and `/tasks` as dockerd applies them: `id` is an
 * id prefix, `name` a name prefix, `label`/`node.label` key or key=value (all must hold); values of
 * one key are ORed, keys ANDed. A key the route does not know is dockerd's 400 "Invalid filter".
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClusterNode } from '../cluster/control/cluster-control.js';
import type { Service, Task } from '../cluster/objects/index.js';
import { checkFilterKeys, invalidFilterValue, matchLabels, type Filters } from './filter-args.js';

/** Whether any value of `key` holds for the object (no value: true). */
function anyOf(filters: Filters, key: string, holds: (value: string) => boolean): boolean {
  const values = filters.get(key);
  return values === undefined || values.length === 0 || values.some(holds);
}

/** Refuses a value of `key` outside `allowed`. */
function checkValues(filters: Filters, key: string, allowed: readonly string[]): void {
  const values = filters.get(key) ?? [];
  if (values.some((value) => !allowed.includes(value))) throw invalidFilterValue(key, values);
}

/** A node's name in filters and task names: its hostname (berth stores no NodeSpec.Name). */
const nodeName = (node: ClusterNode): string => node.node.description.hostname;

export function nodeFilter(filters: Filters): (node: ClusterNode) => boolean {
  checkFilterKeys(filters, ['id', 'label', 'membership', 'name', 'node.label', 'role']);
  checkValues(filters, 'role', ['manager', 'worker']);
  checkValues(filters, 'membership', ['accepted', 'pending']);
  return (clusterNode) => {
    const { node } = clusterNode;
    return anyOf(filters, 'id', (id) => node.id.startsWith(id))
      && anyOf(filters, 'name', (name) => nodeName(clusterNode).startsWith(name))
      && anyOf(filters, 'role', (role) => node.spec.role === role)
      && anyOf(filters, 'membership', (membership) => membership === 'accepted')
      && matchLabels(filters.get('node.label'), node.spec.labels)
      && matchLabels(filters.get('label'), node.description.engineLabels);
  };
}

export function serviceFilter(filters: Filters): (service: Service) => boolean {
  checkFilterKeys(filters, ['id', 'label', 'mode', 'name']);
  checkValues(filters, 'mode', ['replicated', 'global', 'replicated-job', 'global-job']);
  return (service) => anyOf(filters, 'id', (id) => service.id.startsWith(id))
    && anyOf(filters, 'name', (name) => service.spec.name.startsWith(name))
    && anyOf(filters, 'mode', (mode) => service.spec.mode.kind === mode)
    && matchLabels(filters.get('label'), service.spec.labels);
}

/** Swarm's task name: `<service>.<slot>.<task id>` (a global service's: its node id for the slot). */
export function taskName(task: Task, serviceName: string): string {
  return `${serviceName}.${task.slot ?? task.nodeId ?? ''}.${task.id}`;
}

export interface TaskFilterContext {
  readonly services: readonly Service[];
  readonly nodes: readonly ClusterNode[];
}

/**
 * `service` matches a service id (prefix) or name, `node` a node id (prefix) or hostname, `label`
 * the labels of the task's service (Swarm matches a task's ServiceAnnotations: `docker stack ps`
 * finds a stack's tasks by `com.docker.stack.namespace`).
 */
export function taskFilter(filters: Filters, context: TaskFilterContext): (task: Task) => boolean {
  // `_up-to-date` is dockerd's internal filter (the docker CLI's progress of create and update):
  // tasks whose spec is the service's current task template. `runtime`: every task is a container.
  checkFilterKeys(filters, ['id', 'name', 'service', 'node', 'desired-state', 'label', '_up-to-date', 'runtime']);
  checkValues(filters, 'desired-state', ['running', 'shutdown', 'accepted']);
  const serviceNames = new Map(context.services.map((service) => [service.id, service.spec.name]));
  const templates = new Map(context.services.map((service) => [service.id, service.spec.taskTemplate]));
  const serviceLabels = new Map(context.services.map((service) => [service.id, service.spec.labels]));
  const upToDate = (filters.get('_up-to-date') ?? []).length > 0;
  const hostnames = new Map(context.nodes.map((node) => [node.node.id, nodeName(node)]));
  return (task) => {
    const serviceName = serviceNames.get(task.serviceId) ?? '';
    const hostname = task.nodeId === undefined ? undefined : hostnames.get(task.nodeId);
    return anyOf(filters, 'id', (id) => task.id.startsWith(id))
      && anyOf(filters, 'name', (name) => taskName(task, serviceName).startsWith(name))
      && anyOf(filters, 'service', (ref) => task.serviceId.startsWith(ref) || serviceName === ref)
      && anyOf(filters, 'node', (ref) => (task.nodeId !== undefined && task.nodeId.startsWith(ref)) || hostname === ref)
      && anyOf(filters, 'desired-state', (state) => task.desiredState === state)
      && matchLabels(filters.get('label'), serviceLabels.get(task.serviceId) ?? {})
      && anyOf(filters, 'runtime', (runtime) => runtime === 'container')
      && (!upToDate || isDeepStrictEqual(task.spec, templates.get(task.serviceId)));
  };
}
