// Builders of cluster objects for unit tests and the scheduler benchmark: valid objects with
// small defaults, overridden field by field.
import type { Node, NodeAvailability, NodeRole, NodeState } from '../../src/cluster/objects/node.js';
import { serviceSpecSchema, type Service, type ServiceSpecInput } from '../../src/cluster/objects/service.js';
import { newTask, type Task, type TaskState } from '../../src/cluster/objects/task.js';

export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
export const CPU = 1_000_000_000;

export interface NodeOptions {
  role?: NodeRole;
  availability?: NodeAvailability;
  state?: NodeState;
  labels?: Record<string, string>;
  engineLabels?: Record<string, string>;
  nanoCpus?: number;
  memoryBytes?: number;
  hostname?: string;
  arch?: string;
}

export function makeNode(id: string, options: NodeOptions = {}): Node {
  const time = T0.toISOString();
  return {
    id,
    version: 1,
    createdAt: time,
    updatedAt: time,
    spec: { role: options.role ?? 'worker', availability: options.availability ?? 'active', labels: options.labels ?? {} },
    description: {
      hostname: options.hostname ?? `host-${id}`,
      platform: { os: 'linux', arch: options.arch ?? 'x86_64' },
      resources: { nanoCpus: options.nanoCpus ?? 4 * CPU, memoryBytes: options.memoryBytes ?? 8 * GiB },
      engineLabels: options.engineLabels ?? {},
    },
    status: { state: options.state ?? 'ready', message: '', addr: '10.0.0.1' },
  };
}

/** A service (spec defaults filled in by the schema) with `taskTemplate.containerSpec.image` set. */
export function makeService(id: string, spec: Partial<ServiceSpecInput> = {}): Service {
  const time = T0.toISOString();
  const input: ServiceSpecInput = { name: id, taskTemplate: { containerSpec: { image: 'busybox' } }, ...spec };
  return { id, version: 1, createdAt: time, updatedAt: time, spec: serviceSpecSchema.parse(input), virtualIps: [], endpointPorts: [] };
}

export interface TaskOptions {
  slot?: number;
  nodeId?: string;
  state?: TaskState;
  desiredState?: TaskState;
  createdAt?: Date;
}

/** A task of `service`; with `nodeId` and no state it is running there. */
export function makeTask(id: string, service: Service, options: TaskOptions = {}): Task {
  const task = newTask(service, {
    id,
    now: options.createdAt ?? T0,
    ...(options.slot === undefined ? {} : { slot: options.slot }),
    ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }),
  });
  const state = options.state ?? (options.nodeId === undefined ? 'pending' : 'running');
  return { ...task, desiredState: options.desiredState ?? 'running', status: { ...task.status, state } };
}

/** Nodes by id, as the orchestrators take them. */
export function nodeMap(nodes: readonly Node[]): Map<string, Node> {
  return new Map(nodes.map((node) => [node.id, node]));
}
