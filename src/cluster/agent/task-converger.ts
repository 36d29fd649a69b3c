/**
 * Brings this node's task containers to what the managers assigned. The work item is a task id
 * (level-based): a step reads the task's latest assignment and its observed containers, takes the
 * next idempotent action, and reports what it saw. Steps of one task run one at a time
 * (KeyedMutex), and a task has at most one step waiting, so an assignment that arrives twice, or
 * while a step runs, never gives a task two containers. Steps of different tasks run concurrently.
 */
import type { Clock } from '../../base/clock.js';
import { messageOf } from '../../base/errors.js';
import { KeyedMutex } from '../../base/keyed-mutex.js';
import { isDesiredToRun, isTerminalTaskState, taskStateRank, type Task, type TaskState } from '../objects/task.js';
import type { MountConfig } from '../../wire/mounts.js';
import type { Assignments, NodeEngine, TaskContainer, TaskContainerExit, TaskFiles, TaskHealthChange } from './agent-ports.js';
import { ObservedContainers } from './observed-containers.js';
import type { StatusReporter } from './status-reporter.js';
import { exitStatus, observedStatus } from './task-statuses.js';

/** Seconds a task container gets between TERM and KILL when it is stopped. */
export const TASK_STOP_TIMEOUT_S = 10;

export interface TaskConvergerOptions {
  readonly nodeId: string;
  readonly engine: NodeEngine;
  readonly reporter: StatusReporter;
  readonly clock: Clock;
  /** Aborts pulls under way; no step starts after it. */
  readonly signal: AbortSignal;
  readonly log: (message: string) => void;
  /** Where tasks' secret and config files go (a task that uses some fails to start without it). */
  readonly files?: TaskFiles;
}

interface Wanted {
  readonly task: Task;
  readonly serviceName: string;
}

export class TaskConverger {
  readonly #observed = new ObservedContainers();
  readonly #mutex = new KeyedMutex();
  readonly #waiting = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<unknown>>();
  /** Undefined until the first assignments: until then no container counts as unassigned. */
  #wanted: Map<string, Wanted> | undefined;
  #latest: Assignments | undefined;
  #listings: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TaskConvergerOptions) {}

  /** Takes new assignments, lists the engine's task containers, and steps every task that is assigned or has a container. */
  converge(assignments: Assignments): Promise<void> {
    this.#latest = assignments;
    this.#wanted = new Map(assignments.tasks.map((task) => [task.id, { task, serviceName: assignments.serviceNames[task.serviceId] ?? task.serviceId }]));
    return this.#track(this.#list().then(async (listed) => {
      if (!listed) return;
      const ids = new Set([...(this.#wanted?.keys() ?? []), ...this.#observed.taskIds(), ...await this.#tasksWithFiles()]);
      this.options.reporter.forgetExcept(ids);
      await Promise.all([...ids].map((taskId) => this.#enqueue(taskId)));
    }));
  }

  /** Converges again to the latest assignments (after a gap in the exits, say); nothing before the first. */
  reconverge(): Promise<void> {
    return this.#latest === undefined ? Promise.resolve() : this.converge(this.#latest);
  }

  /**
   * Lists the task containers and offers what each shows (running, or its exit) to the reporter:
   * what the agent tells the managers first when it reaches them again. False if the listing failed.
   */
  async offerObserved(): Promise<boolean> {
    if (!(await this.#list())) return false;
    const now = this.options.clock.now();
    for (const taskId of this.#observed.taskIds()) {
      for (const container of this.#observed.of(taskId)) {
        this.options.reporter.offer(taskId, container.running
          ? observedStatus('running', 'started', now, { containerId: container.containerId })
          : exitStatus(container.containerId, container.exitCode, now));
      }
    }
    return true;
  }

  /** A task container exited: record it, and report the task's end unless it ended already or is no longer this node's. */
  exited(exit: TaskContainerExit): Promise<void> {
    return this.#track(this.#mutex.run(exit.taskId, () => {
      const known = this.#observed.of(exit.taskId).find((c) => c.containerId === exit.containerId);
      if (known === undefined) return Promise.resolve(); // removed by the agent, or not listed yet (the listing shows the exit)
      this.#observed.put({ ...known, running: false, exitCode: exit.exitCode });
      const wanted = this.#wanted?.get(exit.taskId);
      if (this.#wanted !== undefined && wanted === undefined) return Promise.resolve();
      if (!isTerminalTaskState(this.#state(exit.taskId, wanted?.task))) {
        this.options.reporter.offer(exit.taskId, exitStatus(exit.containerId, exit.exitCode, this.options.clock.now()));
      }
      return Promise.resolve();
    }));
  }

  /** A task container's health changed: record it and step the task (healthy: running; unhealthy: ended and replaced). */
  healthChanged(change: TaskHealthChange): Promise<void> {
    const known = this.#observed.of(change.taskId).find((c) => c.containerId === change.containerId && c.running);
    if (known === undefined) return Promise.resolve(); // not listed yet: the next listing shows its health
    this.#observed.put({ ...known, health: change.health });
    return this.#track(this.#enqueue(change.taskId));
  }

  /** Resolves once every step and listing under way has ended. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  /** Lists into the observed table; listings run one after another. False (logged) when the engine failed. */
  #list(): Promise<boolean> {
    const listing = this.#listings.then(async () => {
      const startedAt = this.#observed.beginListing();
      try {
        this.#observed.applyListing(startedAt, await this.options.engine.listTaskContainers());
        return true;
      } catch (err) {
        this.options.log(`agent: listing the task containers failed: ${messageOf(err)}`);
        return false;
      }
    });
    this.#listings = listing;
    return listing;
  }

  #enqueue(taskId: string): Promise<void> {
    const waiting = this.#waiting.get(taskId);
    if (waiting !== undefined) return waiting;
    // The mutex starts the step after `set` below (never synchronously), so it is no longer waiting then.
    const step = this.#mutex.run(taskId, async () => {
      this.#waiting.delete(taskId);
      if (this.options.signal.aborted) return;
      try {
        await this.#step(taskId);
      } catch (err) {
        this.options.log(`agent: task ${taskId}: ${messageOf(err)} (retried with the next assignments)`);
      }
    });
    this.#waiting.set(taskId, step);
    return step;
  }

  async #step(taskId: string): Promise<void> {
    const containers = this.#observed.of(taskId);
    const wanted = this.#wanted?.get(taskId);
    if (wanted === undefined) {
      if (this.#wanted === undefined) return;
      for (const container of containers) await this.#remove(container);
      await this.options.files?.release(taskId);
      return;
    }
    const state = this.#state(taskId, wanted.task);
    if (isDesiredToRun(wanted.task)) await this.#keepRunning(wanted, state, containers);
    else await this.#stop(wanted.task, state, containers);
  }

  async #keepRunning({ task, serviceName }: Wanted, state: TaskState, containers: readonly TaskContainer[]): Promise<void> {
    const { reporter, engine, clock, signal } = this.options;
    const running = containers.find((c) => c.running);
    if (running !== undefined) {
      for (const extra of containers) if (extra !== running) await this.#remove(extra);
      await this.#reportLive(task, state, running);
      return;
    }
    const ended = containers[0];
    if (ended !== undefined) {
      // A task is never restarted: its end is reported and the container kept (its logs) until the task goes.
      if (!isTerminalTaskState(state)) reporter.offer(task.id, exitStatus(ended.containerId, ended.exitCode, clock.now()));
      return;
    }
    if (taskStateRank(state) < taskStateRank('assigned') || isTerminalTaskState(state)) return;
    reporter.offer(task.id, observedStatus('preparing', 'preparing', clock.now()));
    try {
      await engine.ensureImage(task.spec.containerSpec.image, signal);
    } catch (err) {
      if (!signal.aborted) reporter.offer(task.id, observedStatus('rejected', 'preparing', clock.now(), { err: messageOf(err) }));
      return;
    }
    if (signal.aborted) return;
    let containerId: string;
    try {
      containerId = await engine.run(task, serviceName, this.options.nodeId, await this.#prepareFiles(task));
    } catch (err) {
      reporter.offer(task.id, observedStatus('failed', 'starting', clock.now(), { err: messageOf(err) }));
      return;
    }
    const checked = hasHealthcheck(task);
    this.#observed.put({ containerId, taskId: task.id, running: true, ...(checked ? { health: 'starting' as const } : {}) });
    reporter.offer(task.id, checked
      ? observedStatus('starting', 'starting', clock.now(), { containerId })
      : observedStatus('running', 'started', clock.now(), { containerId }));
  }

  /**
   * A live container's task: running (once healthy, when it has a health check), starting while
   * its health check has not passed yet, and failed once unhealthy — its container is removed, and
   * the task replaced, as Swarm does.
   */
  async #reportLive(task: Task, state: TaskState, container: TaskContainer): Promise<void> {
    const { reporter, clock } = this.options;
    const { containerId } = container;
    if (isTerminalTaskState(state)) return;
    if (container.health === 'unhealthy') {
      // Reported before the container is removed: its stop may take the whole grace period.
      reporter.offer(task.id, observedStatus('failed', 'unhealthy', clock.now(), { containerId, err: 'task: unhealthy container' }));
      await this.#remove(container);
    } else if (container.health === 'starting' || (container.health === undefined && hasHealthcheck(task) && taskStateRank(state) < taskStateRank('running'))) {
      if (taskStateRank(state) < taskStateRank('starting')) reporter.offer(task.id, observedStatus('starting', 'starting', clock.now(), { containerId }));
    } else if (taskStateRank(state) < taskStateRank('running')) {
      reporter.offer(task.id, observedStatus('running', 'started', clock.now(), { containerId }));
    }
  }

  async #stop(task: Task, state: TaskState, containers: readonly TaskContainer[]): Promise<void> {
    const { reporter, clock } = this.options;
    for (const container of containers) {
      if (!container.running && !isTerminalTaskState(state)) reporter.offer(task.id, exitStatus(container.containerId, container.exitCode, clock.now()));
      await this.#remove(container);
      if (container.running) reporter.offer(task.id, observedStatus('shutdown', 'shutdown', clock.now(), { containerId: container.containerId }));
    }
    if (containers.length === 0 && !isTerminalTaskState(state)) reporter.offer(task.id, observedStatus('shutdown', 'shutdown', clock.now()));
    await this.options.files?.release(task.id);
  }

  /** The bind mounts of the task's secret and config files, written first; none for a task without any. */
  async #prepareFiles(task: Task): Promise<readonly MountConfig[]> {
    const { secrets = [], configs = [] } = task.spec.containerSpec;
    if (secrets.length === 0 && configs.length === 0) return [];
    if (this.options.files === undefined) throw new Error('this node cannot hold secret or config files (no tmpfs support in its agent)');
    return this.options.files.prepare(task, this.#latest?.files ?? []);
  }

  /** The tasks with files on this node (none when listing them failed: logged). */
  async #tasksWithFiles(): Promise<readonly string[]> {
    try {
      return (await this.options.files?.list()) ?? [];
    } catch (err) {
      this.options.log(`agent: listing the tasks' files failed: ${messageOf(err)}`);
      return [];
    }
  }

  async #remove(container: TaskContainer): Promise<void> {
    await this.options.engine.remove(container.containerId, TASK_STOP_TIMEOUT_S);
    this.#observed.drop(container.taskId, container.containerId);
  }

  /** The task's state as far as the agent knows: the managers' or the agent's own latest report, whichever is later. */
  #state(taskId: string, task: Task | undefined): TaskState {
    const reported = this.options.reporter.lastState(taskId);
    const stored = task?.status.state ?? 'new';
    return reported !== undefined && taskStateRank(reported) > taskStateRank(stored) ? reported : stored;
  }

  #track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    // `work` goes back to the caller, who handles its failure; this derived promise fails alike
    // and only untracks it, so its rejection is dropped here (it would be unhandled otherwise).
    void work.finally(() => this.#running.delete(work)).catch(() => undefined);
    return work;
  }
}

/** Whether the task's container has a health check of its own (one whose test is not `NONE`). */
function hasHealthcheck(task: Task): boolean {
  const test = task.spec.containerSpec.healthcheck?.test;
  return test !== undefined && test[0] !== 'NONE';
}
