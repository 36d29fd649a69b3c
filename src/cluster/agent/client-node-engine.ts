/**
 * NodeEngine over berthd's API (client/): the agent drives its node as every client of berthd does, and the
 * engine knows nothing of the cluster. Task containers are found by their
 * `com.docker.swarm.task.id` label; exits are the `die` events of containers that carry it.
 */
import { BerthError, errors, isBerthError, messageOf } from '../../base/errors.js';
import { componentLogger } from '../../base/logger.js';
import type { BerthClient } from '../../client/berth-client.js';
import { readJsonMessages } from '../../client/image-client.js';
import type { ContainerSummary } from '../../wire/container-inspect.js';
import type { MountConfig } from '../../wire/mounts.js';
import type { OverlayState } from '../../wire/overlays.js';
import type { Task } from '../objects/task.js';
import type { NodeEngine, TaskContainer, TaskContainerEvent, TaskHealth } from './agent-ports.js';
import { TASK_ID_LABEL, taskContainerConfig, taskContainerName } from './task-container-config.js';

const log = componentLogger('cluster');

/** Engine states in which a container's process is alive. */
const LIVE_STATES = new Set(['running', 'paused', 'restarting']);
/** Engine states in which the container ran and exited (its exit code is meaningful). */
const EXITED_STATES = new Set(['exited', 'dead']);

export class ClientNodeEngine implements NodeEngine {
  constructor(private readonly client: BerthClient) {}

  /** Running ones from the listing; an ended one's exit code from its inspect (one that vanished meanwhile is left out). */
  async listTaskContainers(): Promise<readonly TaskContainer[]> {
    const summaries = await this.client.containers.list({ all: true, filters: { label: [TASK_ID_LABEL] } });
    const containers = await Promise.all(summaries.map((summary) => this.#taskContainer(summary)));
    return containers.filter((c) => c !== undefined);
  }

  /**
   * Inspects the image, and pulls it when it is not there. Throws not-found (`task-image-unknown`:
   * the registry has no such image) or unavailable (`task-image-unavailable`: every other failure),
   * each saying the image cannot be had on this node; canceled when `signal` aborts.
   */
  async ensureImage(reference: string, signal: AbortSignal): Promise<void> {
    try {
      await this.client.images.inspect(reference);
      return;
    } catch (err) {
      if (!isBerthError(err, 'not-found')) throw unobtainable(reference, err);
    }
    try {
      const progress = await this.client.images.pull(reference, undefined, { signal });
      for await (const message of readJsonMessages(progress)) {
        const failure = message.error ?? message.errorDetail?.message;
        if (failure !== undefined) throw errors.unavailable('pull-failed', failure);
      }
    } catch (err) {
      if (signal.aborted) throw new BerthError('canceled', 'task-image-pull-canceled', `pulling ${reference} was canceled`, { cause: err });
      throw unobtainable(reference, err);
    }
  }

  /** Creates and starts the container; a container that does not start is removed again. */
  async run(task: Task, serviceName: string, nodeId: string, files: readonly MountConfig[] = []): Promise<string> {
    const { Id: id } = await this.client.containers.create(taskContainerConfig(task, serviceName, nodeId, files), taskContainerName(task, serviceName, nodeId));
    try {
      await this.client.containers.start(id);
    } catch (err) {
      // The start's failure is what the caller needs; a container that stays is logged (the
      // agent removes task containers it no longer wants with the next assignments).
      await this.client.containers.remove(id, { force: true, volumes: true }).catch((removeErr: unknown) => {
        if (!isBerthError(removeErr, 'not-found')) log.warn('removing a task container that did not start failed', { id, taskId: task.id, err: removeErr });
      });
      throw err;
    }
    return id;
  }

  /** Stops (TERM, KILL after `timeoutSeconds`) and removes with its anonymous volumes; a container already gone is fine. */
  async remove(containerId: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.client.containers.stop(containerId, { timeoutS: timeoutSeconds });
      await this.client.containers.remove(containerId, { force: true, volumes: true });
    } catch (err) {
      if (!isBerthError(err, 'not-found')) throw err;
    }
  }

  async putOverlay(state: OverlayState): Promise<void> {
    await this.client.overlays.put(state);
  }

  async listOverlays(): Promise<readonly string[]> {
    return (await this.client.overlays.list()).map((overlay) => overlay.Id);
  }

  removeOverlay(id: string): Promise<void> {
    return this.client.overlays.remove(id);
  }

  /** The `die` and `health_status` events of task containers from now on; ends quietly when `signal` aborts. */
  async *events(signal: AbortSignal): AsyncGenerator<TaskContainerEvent> {
    try {
      yield* await this.followEvents(signal);
    } catch (err) {
      if (!signal.aborted) throw err;
    }
  }

  /**
   * `events`, split in two: resolves once berthd follows its events for this client (every event
   * after that is in the stream), with the events to iterate until `signal` aborts.
   */
  async followEvents(signal: AbortSignal): Promise<AsyncGenerator<TaskContainerEvent>> {
    const events = await this.client.events.open({ filters: { type: ['container'], event: ['die', 'health_status'], label: [TASK_ID_LABEL] } }, signal);
    return (async function* taskEvents(): AsyncGenerator<TaskContainerEvent> {
      for await (const event of events) {
        const taskId = event.Actor.Attributes[TASK_ID_LABEL];
        if (taskId === undefined) continue;
        const health = /^health_status:\s*(healthy|unhealthy)$/.exec(event.Action)?.[1];
        if (health === 'healthy' || health === 'unhealthy') {
          yield { kind: 'health', containerId: event.Actor.ID, taskId, health };
          continue;
        }
        const exitCode = Number(event.Actor.Attributes.exitCode);
        if (event.Action === 'die' && Number.isInteger(exitCode)) yield { kind: 'exit', containerId: event.Actor.ID, taskId, exitCode };
      }
    })();
  }

  async #taskContainer(summary: ContainerSummary): Promise<TaskContainer | undefined> {
    const taskId = summary.Labels[TASK_ID_LABEL];
    if (taskId === undefined) return undefined;
    if (LIVE_STATES.has(summary.State)) {
      const health = healthOf(summary.Status);
      return { containerId: summary.Id, taskId, running: true, ...(health === undefined ? {} : { health }) };
    }
    if (!EXITED_STATES.has(summary.State)) return { containerId: summary.Id, taskId, running: false };
    try {
      const { State } = await this.client.containers.inspect(summary.Id);
      if (State.Running) return { containerId: summary.Id, taskId, running: true };
      return { containerId: summary.Id, taskId, running: false, exitCode: State.ExitCode };
    } catch (err) {
      if (isBerthError(err, 'not-found')) return undefined;
      throw err;
    }
  }
}

/** The health a container listing's Status shows (`Up 3 seconds (health: starting)`). */
function healthOf(status: string): TaskHealth | undefined {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return undefined;
}

function unobtainable(reference: string, cause: unknown): BerthError {
  const kind = isBerthError(cause, 'not-found') ? 'not-found' : 'unavailable';
  return new BerthError(kind, kind === 'not-found' ? 'task-image-unknown' : 'task-image-unavailable',
    `image ${reference} is not on this node and cannot be pulled: ${messageOf(cause)}`, { cause });
}
