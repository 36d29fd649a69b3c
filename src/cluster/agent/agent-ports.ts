/**
 * What the agent needs around it, as ports: the managers (ManagerLink, over the cluster port's
 * mutual TLS; implemented in transport/) and its own node's engine (NodeEngine, over client/).
 */
import type { MountConfig } from '../../wire/mounts.js';
import type { OverlayState } from '../../wire/overlays.js';
import type { NodeRole } from '../objects/node.js';
import type { Task, TaskStatus } from '../objects/task.js';

/** Every task assigned to this node whose desired state is not yet `remove`, and the store revision they were read at. */
export interface Assignments {
  readonly revision: number;
  readonly tasks: readonly Task[];
  /** service id → service name, for every service of `tasks` (container names carry it). */
  readonly serviceNames: Readonly<Record<string, string>>;
  /** What the node must make of each cluster network its tasks are on (networking/overlay-plan.ts). */
  readonly overlays: readonly OverlayState[];
  /** The data of the secrets and configs its running tasks use (secrets opened by the manager; over mutual TLS only). */
  readonly files?: readonly TaskFileData[] | undefined;
}

/** One secret's or config's data (base64), as a node gets it for its tasks. */
export interface TaskFileData {
  readonly kind: 'secret' | 'config';
  readonly id: string;
  readonly data: string;
}

/** One observed status of one task (the agent's report). */
export interface TaskStatusReport {
  readonly taskId: string;
  readonly status: TaskStatus;
}

export interface ManagerLink {
  /**
   * This node's assignments. With `sinceRevision` > 0 the call waits (long poll, at most about
   * 30 s) until the node's tasks changed after that revision, then answers; with 0 it answers at
   * once. unavailable when no manager can be reached (the agent keeps what runs and retries).
   */
  assignments(sinceRevision: number, signal: AbortSignal): Promise<Assignments>;
  /** Reports observed statuses; a manager applies each that moves its task forward (never back). */
  report(reports: readonly TaskStatusReport[]): Promise<void>;
  /** Renews this node's heartbeat lease; answers the period the node should beat at and the role its spec asks for. */
  heartbeat(): Promise<{ readonly periodMs: number; readonly role?: NodeRole | undefined }>;
}

/** A running container's health, when its task has a health check. */
export type TaskHealth = 'starting' | 'healthy' | 'unhealthy';

/** A container of this node that runs (or ran) a task: found by its `com.docker.swarm.task.id` label. */
export interface TaskContainer {
  readonly containerId: string;
  readonly taskId: string;
  readonly running: boolean;
  /** Running containers with a health check: what it says so far. */
  readonly health?: TaskHealth;
  /** Set once it exited. */
  readonly exitCode?: number;
}

export interface TaskContainerExit {
  readonly containerId: string;
  readonly taskId: string;
  readonly exitCode: number;
}

/** A task container's health check changed its health. */
export interface TaskHealthChange {
  readonly containerId: string;
  readonly taskId: string;
  readonly health: 'healthy' | 'unhealthy';
}

export type TaskContainerEvent = ({ readonly kind: 'exit' } & TaskContainerExit) | ({ readonly kind: 'health' } & TaskHealthChange);

export interface NodeEngine {
  /** Every container of this node labelled as a task's, running or not. */
  listTaskContainers(): Promise<readonly TaskContainer[]>;
  /** Makes the image present (local, else pulled); throws (not-found and others) with a message for the task when it cannot. */
  ensureImage(reference: string, signal: AbortSignal): Promise<void>;
  /**
   * Creates and starts the task's container (name `<service>.<slot|node>.<task id>`, Swarm's
   * labels), with `files` (its secrets' and configs' bind mounts) besides the spec's mounts; returns its id.
   */
  run(task: Task, serviceName: string, nodeId: string, files?: readonly MountConfig[]): Promise<string>;
  /** Stops (TERM, then KILL after `timeoutSeconds`) and removes the container. Idempotent. */
  remove(containerId: string, timeoutSeconds: number): Promise<void>;
  /** Makes the node's share of a cluster network match `state` (idempotent). */
  putOverlay(state: OverlayState): Promise<void>;
  /** The ids of the node's overlays. */
  listOverlays(): Promise<readonly string[]>;
  /** Removes an overlay; not-found when it is gone, conflict while containers are on it. */
  removeOverlay(id: string): Promise<void>;
  /** Exits and health changes of task containers from now on (the engine's `die` and `health_status` events), until the signal aborts. */
  events(signal: AbortSignal): AsyncIterable<TaskContainerEvent>;
}

/**
 * Where a node keeps its tasks' secret and config files: never on its disk (a tmpfs per task).
 * Calls for one task never overlap (the converger steps a task one step at a time).
 */
export interface TaskFiles {
  /**
   * Writes the files of the task's secrets and configs (data from `data`, by id) with their owner
   * and mode, and answers the read-only bind mounts its container gets. failed-precondition
   * `task-file-data-missing` naming the object when `data` lacks one.
   */
  prepare(task: Task, data: readonly TaskFileData[]): Promise<readonly MountConfig[]>;
  /** Removes the task's files. Idempotent. */
  release(taskId: string): Promise<void>;
  /** The tasks that have files on this node. */
  list(): Promise<readonly string[]>;
}
