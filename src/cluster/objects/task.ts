import { z } from 'zod';
import { networkAddressSchema } from './network.js';
import { objectIdSchema, objectMetaSchema } from './object-meta.js';
import { taskTemplateSchema, type Service, type TaskTemplate } from './service.js';

/**
 * A task: one slot of a service on one node; it runs as one container of that node's engine.
 * Tasks are replaced, never edited: once made, only the control plane's `desiredState` and
 * `nodeId` (set once, when the scheduler places it) and the node's observed `status` change. A
 * new container for the same slot is a new task (`successorOf`).
 *
 * Swarm's task states, in order: the control plane moves a task through new → pending (waiting
 * for a node) → assigned; the node's agent then reports accepted → preparing → ready → starting
 * → running, and one of the ends: complete (exited 0), failed, shutdown (stopped on request),
 * rejected (the node could not run it), orphaned (its node was lost), remove.
 */
export const TASK_STATES = [
  'new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running',
  'complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

const RANK = new Map<TaskState, number>(TASK_STATES.map((state, i) => [state, i]));
const RUNNING_RANK = RANK.get('running') ?? 0;

/** Position in the lifecycle; later states are greater. */
export function taskStateRank(state: TaskState): number {
  return RANK.get(state) ?? 0;
}

/** Whether the state is an end: the task's container is gone (or never came). */
export function isTerminalTaskState(state: TaskState): boolean {
  return taskStateRank(state) > RUNNING_RANK;
}

/**
 * Whether the control plane wants the task run: desired `running` (or a state before it), or
 * desired `complete` — a job's task, run until its container exits (Swarm's jobs).
 */
export function isDesiredToRun(task: { readonly desiredState: TaskState }): boolean {
  return task.desiredState === 'complete' || taskStateRank(task.desiredState) <= RUNNING_RANK;
}

export const taskStatusSchema = z.object({
  state: z.enum(TASK_STATES),
  /** What happened last, for people ("started", "no suitable node: …"). */
  message: z.string().default(''),
  /** The error that ended the task, if one did. */
  err: z.string().optional(),
  /** When this status was observed (RFC 3339). */
  timestamp: z.iso.datetime(),
  /** The node engine's container, once it exists. */
  containerId: z.string().optional(),
  exitCode: z.number().int().optional(),
});
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskSchema = objectMetaSchema.extend({
  serviceId: objectIdSchema,
  /** Replicated services: the slot (1…replicas) this task fills; replicated jobs: 0…totalCompletions−1, as Swarm's. */
  slot: z.number().int().nonnegative().optional(),
  /** The node the task runs on: set at creation for a global service, by the scheduler otherwise. */
  nodeId: objectIdSchema.optional(),
  /** The service's task template when the task was made. */
  spec: taskTemplateSchema,
  /** The service's version the spec was copied from. */
  serviceVersion: z.number().int().nonnegative(),
  /** Where the control plane wants the task: `running`, `complete` (a job's task), or `shutdown` to stop it. */
  desiredState: z.enum(TASK_STATES),
  /** A job's task: the run (the service's `jobStatus.iteration`) it was made for. */
  jobIteration: z.number().int().nonnegative().optional(),
  /**
   * A stop-first update's successor: the task it replaces, which must end before this one is
   * placed (Swarm's stop-first: never two containers of a slot at once). Not set otherwise.
   */
  replaces: z.string().optional(),
  status: taskStatusSchema,
  /** The task's address on each network of its spec (the leader allocates them before it is placed). */
  networks: z.array(networkAddressSchema).default([]),
});
export type Task = z.infer<typeof taskSchema>;

export interface NewTaskOptions {
  /** The new task's id (injected: ids are not this module's business). */
  readonly id: string;
  readonly now: Date;
  /** Replicated services. */
  readonly slot?: number;
  /** Global services: the node the task is for. */
  readonly nodeId?: string;
  /** Jobs: the run the task is for (the task is then desired `complete`). */
  readonly jobIteration?: number;
}

/** A new task of `service` in state new, desired running, version 0 (not stored yet). */
export function newTask(service: Service, options: NewTaskOptions): Task {
  const time = options.now.toISOString();
  return {
    id: options.id,
    version: 0,
    createdAt: time,
    updatedAt: time,
    serviceId: service.id,
    ...(options.slot === undefined ? {} : { slot: options.slot }),
    ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }),
    spec: structuredClone(service.spec.taskTemplate),
    serviceVersion: service.version,
    desiredState: options.jobIteration === undefined ? 'running' : 'complete',
    ...(options.jobIteration === undefined ? {} : { jobIteration: options.jobIteration }),
    status: { state: 'new', message: 'created', timestamp: time },
    networks: [],
  };
}

export interface SuccessorOptions {
  readonly id: string;
  readonly now: Date;
  /** The spec for the successor (the service's current one); the predecessor's when absent. */
  readonly spec?: TaskTemplate;
  readonly serviceVersion?: number;
  /** Keep the predecessor's node (global services). Replicated successors are placed anew. */
  readonly keepNode: boolean;
  /** Placed only once the predecessor ended (a stop-first update). */
  readonly afterPredecessor?: boolean;
}

/**
 * The task that takes `task`'s place: same service, slot and job run, a new id, state new,
 * desired as its predecessor was made (running, or complete for a job's task). Pure: the predecessor is not changed (the caller sets its desired state to shutdown
 * in the same transaction that stores the successor).
 */
export function successorOf(task: Task, options: SuccessorOptions): Task {
  const time = options.now.toISOString();
  return {
    id: options.id,
    version: 0,
    createdAt: time,
    updatedAt: time,
    serviceId: task.serviceId,
    ...(task.slot === undefined ? {} : { slot: task.slot }),
    ...(options.keepNode && task.nodeId !== undefined ? { nodeId: task.nodeId } : {}),
    spec: structuredClone(options.spec ?? task.spec),
    serviceVersion: options.serviceVersion ?? task.serviceVersion,
    desiredState: task.jobIteration === undefined ? 'running' : 'complete',
    ...(task.jobIteration === undefined ? {} : { jobIteration: task.jobIteration }),
    ...(options.afterPredecessor === true ? { replaces: task.id } : {}),
    status: { state: 'new', message: `replaces task ${task.id}`, timestamp: time },
    networks: [],
  };
}
