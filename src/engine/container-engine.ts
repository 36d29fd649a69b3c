/**
 * The node's containers: create, start, stop, kill, restart, pause, unpause, remove, wait, and
 * live restore. A container is a durable record (SQLite) plus, while it runs, a task (conmon + its OCI runtime)
 * that outlives berthd; exits are read from conmon's exit files, so none is lost while berthd is
 * down. Operations on one container are serialized (kill and reads are not: they are safe at any
 * time); different containers proceed concurrently.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, systemTimers, type Clock } from '../base/clock.js';
import { errors, isBerthError, messageOf } from '../base/errors.js';
import { failpoint } from '../base/failpoint.js';
import { KeyedMutex } from '../base/keyed-mutex.js';
import { ChildProcessRunner, type ProcessRunner } from '../base/process-runner.js';
import type { ImageRecord } from '../images/image-record.js';
import type { ImageService } from '../images/image-service.js';
import { NetworkService } from '../network/network-service.js';
import type { ImageConfig } from '../oci/schemas.js';
import { attachSocketPath } from '../runtime/attach-socket.js';
import { resizeTerminal, terminalControlPath } from '../runtime/terminal-resize.js';
import { readExitCode, wasOomKilled } from '../runtime/exit-file.js';
import type { OciRuntimes } from '../runtime/oci-runtimes.js';
import { stopContainer } from '../runtime/stop-container.js';
import { launchExitCode } from '../runtime/launch-failure.js';
import { AttachRegistry } from './attach-registry.js';
import { ContainerEvents } from './container-events.js';
import { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord, type ContainerState } from './container-record.js';
import { ContainerStore } from './container-store.js';
import { attachRunNetwork, type NetworkingContext } from './container-networking.js';
import { removeLink, runLinks, type LinkContext } from './container-links.js';
import { killContainer } from './kill-container.js';
import { cleanupTask, createTask, openRuntimes, runtimeNameOf, runtimeOf, taskContext, type TaskContext } from './container-task.js';
import { prepareContainer, type CreateContainerRequest } from './create-container.js';
import { ExecSessions } from './exec-sessions.js';
import { ExitMonitor } from './exit-monitor.js';
import { waitForContainer, type WaitCondition } from './wait-container.js';
import { readHostFacts, type HostFacts } from './host-facts.js';
import { restoreContainers } from './live-restore.js';
import { ContainerLogs, DEFAULT_LOG_SETTINGS } from './container-logs.js';
import { VolumeService } from '../volumes/volume-service.js';
import { releaseVolumes } from './volume-usage.js';
import { removeContainer, removeNow, removesVolumes, type RemovalContext } from './remove-container.js';
import type { ContainerEngineOptions } from './container-engine-options.js';
import { freezeContainer, lifecycleServices, type LifecycleServices } from './lifecycle-services.js';
import { readUsernsPool } from './userns-container.js';

export type { ContainerEngineOptions } from './container-engine-options.js';

export type { WaitCondition } from './wait-container.js';

/** Docker's default grace period between the stop signal and SIGKILL. */
export const DEFAULT_STOP_TIMEOUT_S = 10;

export class ContainerEngine {
  readonly events = new ContainerEvents();
  readonly attachments = new AttachRegistry();
  readonly execs: ExecSessions = new ExecSessions(this);
  readonly store: ContainerStore;
  readonly paths: ContainerPaths;
  readonly task: TaskContext;
  readonly volumes: VolumeService;
  readonly logs: ContainerLogs;
  readonly #images: ImageService;
  readonly #clock: Clock;
  readonly #mutex = new KeyedMutex();
  readonly #imageConfigs = new Map<string, ImageConfig>();
  readonly #monitor: ExitMonitor;
  readonly eventLog: LifecycleServices['eventLog'];
  readonly restarts: LifecycleServices['restarts'];
  readonly health: LifecycleServices['health'];

  private constructor(options: ContainerEngineOptions, host: HostFacts, network: NetworkService, runtimes: OciRuntimes) {
    this.#images = options.images;
    this.#clock = options.clock ?? systemClock;
    this.store = new ContainerStore(options.images.db);
    this.paths = new ContainerPaths(options.images.root.path);
    const runner = options.runner ?? new ChildProcessRunner();
    this.volumes = new VolumeService({ db: options.images.db, root: options.images.root.path, runner, clock: this.#clock });
    this.task = taskContext(options, { paths: this.paths, runtimes, runner, host, volumes: this.volumes, network });
    this.logs = new ContainerLogs({
      paths: this.paths, runner, defaults: options.logDefaults ?? DEFAULT_LOG_SETTINGS, imageConfig: (imageId) => this.imageConfig(imageId),
    });
    this.#monitor = new ExitMonitor(this.paths.exits, (id) => {
      void this.#mutex.run(id, () => this.#recordExit(id)).catch(() => undefined);
    });
    ({ eventLog: this.eventLog, restarts: this.restarts, health: this.health } = lifecycleServices({
      images: options.images, store: this.store, events: this.events, execs: this.execs, clock: this.#clock,
      timers: options.timers ?? systemTimers, retention: options.eventRetention,
      restartHooks: { locked: (id, work) => this.locked(id, work), start: (record) => this.#startNow(record, true) },
      healthActions: { restart: (id) => this.restart(id), stop: async (id) => { await this.stop(id); }, kill: (id) => this.kill(id) },
      resources: { volumes: this.volumes.events, networks: network.events, attachments: network.attachments.events },
    }));
  }

  /** Opens the engine on the image service's state root and restores what runs (live restore). */
  static async open(options: ContainerEngineOptions): Promise<ContainerEngine> {
    const runner = options.runner ?? new ChildProcessRunner();
    const host = options.host ?? (await readHostFacts());
    const runtimes = await openRuntimes(new ContainerPaths(options.images.root.path), host.cgroups, runner, options);
    const network = await NetworkService.open({
      db: options.images.db, root: options.images.root.path, runner, ...(options.cniPluginDir === undefined ? {} : { pluginDir: options.cniPluginDir }),
    });
    const usernsPool = options.usernsPool ?? (await readUsernsPool());
    const engine = new ContainerEngine({ ...options, runner, usernsPool }, host, network, runtimes);
    await restoreContainers(engine, {
      recordExit: (id) => engine.#recordExit(id),
      removeNow: (record) => removeNow(engine.#removal(), record, removesVolumes(record)),
    });
    await engine.logs.restore(engine.store.list());
    await engine.volumes.cleanup();
    await releaseVolumes(engine.#volumeContext());
    await engine.#monitor.start();
    await engine.restarts.atBoot();
    engine.health.resume();
    return engine;
  }

  /** Stops watching exits, restart timers and health probes. Containers keep running. */
  close(): void {
    this.#monitor.stop();
    void this.logs.close();
    this.restarts.close();
    this.health.close();
    this.network.close();
  }

  /** `close`, then takes down the host side of networks no running container uses (a daemon's clean stop). */
  async shutdown(): Promise<void> {
    this.close();
    await this.network.releaseIdle();
  }

  /** The node's bridge networks. */
  get network(): NetworkService {
    const { network } = this.task;
    if (network === undefined) throw errors.internal('no-network-service', 'networking is not set up');
    return network;
  }

  /** What the networking glue needs of the engine. */
  get networking(): NetworkingContext {
    return { network: this.network, store: this.store, paths: this.paths, hostResolvConf: this.task.host.resolvConf };
  }

  /** What legacy links read. */
  get linking(): LinkContext {
    return { store: this.store, network: this.network, imageConfig: (id) => this.imageConfig(id) };
  }

  /** `rm --link REF/ALIAS`; see container-links.ts. */
  async removeLink(ref: string, alias: string): Promise<void> {
    await removeLink({ store: this.store, linking: this.linking, networking: this.networking, locked: (id, work) => this.locked(id, work) }, ref, alias);
  }

  /** Ids of the container's exec sessions. */
  execIds(id: string): string[] {
    return this.execs.idsOf(id);
  }

  list(): ContainerRecord[] {
    return this.store.list();
  }

  inspect(ref: string): ContainerRecord {
    return this.store.resolve(ref);
  }

  /** The image a container would be created from. Throws not-found (`no-such-image`). */
  resolveImage(ref: string): ImageRecord {
    try {
      return this.#images.resolve(ref);
    } catch (err) {
      if (isBerthError(err, 'not-found')) throw errors.notFound('no-such-image', `No such image: ${ref}`, { cause: err });
      throw err;
    }
  }

  async imageConfig(imageId: string): Promise<ImageConfig> {
    const cached = this.#imageConfigs.get(imageId);
    if (cached !== undefined) return cached;
    const config = await this.#images.config(this.#images.resolve(imageId));
    this.#imageConfigs.set(imageId, config);
    return config;
  }

  /** Creates the record, its writable layer and etc files. Throws as `prepareContainer`. */
  async create(request: CreateContainerRequest): Promise<ContainerRecord> {
    const id = randomBytes(32).toString('hex');
    const record = await this.#mutex.run(id, () => prepareContainer(this, id, request, this.#clock));
    this.#note(id, 'create');
    return record;
  }

  /** Starts a created or exited container. `changed` is false when it was already running. */
  async start(ref: string): Promise<{ changed: boolean }> {
    const { id } = this.store.resolve(ref);
    return this.#mutex.run(id, async () => {
      const record = this.#require(id);
      if (record.state.status === 'running' || record.state.status === 'paused') return { changed: false };
      this.restarts.noteManualStart(id);
      await this.#startNow(record);
      return { changed: true };
    });
  }

  /** `byPolicy`: a restart by the restart policy (keeps RestartCount; a manual start resets it). */
  async #startNow(record: ContainerRecord, byPolicy = false): Promise<void> {
    const { id } = record;
    const uuid = randomUUID();
    try {
      const image = await this.imageConfig(record.imageId);
      await this.logs.beforeRun(record);
      const links = await runLinks(this.linking, record, true);
      const netnsPath = await attachRunNetwork(this.networking, record, links.hosts);
      const launched = await createTask(this.task, record, image, uuid, netnsPath, links.env);
      failpoint('start-after-create-task');
      const size = record.config.consoleSize;
      if (size !== undefined && record.config.options.tty === true) await resizeTerminal(terminalControlPath(this.paths.dir(id)), size[0], size[1]);
      await this.attachments.connectWaiting(id, attachSocketPath(this.paths.dir(id)));
      await runtimeOf(this.task, record).cli.start(id);
      this.#setState(id, {
        ...record.state, status: 'running', pid: launched.pid, conmonPid: launched.conmonPid, attachId: uuid,
        exitCode: 0, oomKilled: false, error: '', startedAt: this.#clock.now().toISOString(),
        restartCount: byPolicy ? record.state.restartCount : 0, manuallyStopped: false, removal: undefined,
      });
    } catch (err) {
      await cleanupTask(this.task, id, runtimeNameOf(record)).catch(() => undefined);
      await this.logs.settle(record);
      await releaseVolumes(this.#volumeContext(), record).catch(() => undefined);
      // Docker's codes: 127 command not found, 126 cannot be run, 125 anything else.
      const exitCode = launchExitCode(isBerthError(err) ? err.reason : '', 125);
      // As Docker: a failed start leaves the status as it was, with the code and the reason.
      this.#setState(id, { ...record.state, pid: 0, conmonPid: 0, exitCode, error: messageOf(err) });
      throw err;
    }
    this.events.emit('start', id);
  }

  /** Stops a running container (signal, timeout, SIGKILL). `changed` is false when it was not running. */
  async stop(ref: string, options: { timeoutS?: number; signal?: string } = {}): Promise<{ changed: boolean }> {
    const { id } = this.store.resolve(ref);
    return this.#mutex.run(id, async () => {
      const record = this.#require(id);
      if (!isActive(record.state)) return { changed: false };
      this.restarts.noteManualStop(id);
      if (this.restarts.settle(record)) return { changed: true };
      await this.#stopNow(record, options);
      return { changed: true };
    });
  }

  async #stopNow(record: ContainerRecord, options: { timeoutS?: number; signal?: string }): Promise<void> {
    const timeoutS = options.timeoutS ?? record.config.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S;
    const stopSignal = options.signal ?? record.config.stopSignal ?? 'TERM';
    if (timeoutS !== 0) this.#note(record.id, 'kill', { signal: stopSignal });
    const { killed } = await stopContainer({
      runc: runtimeOf(this.task, record).cli, id: record.id, exitDir: this.paths.exits, timeoutMs: timeoutS < 0 ? 2 ** 31 - 1 : timeoutS * 1000, stopSignal,
    });
    if (killed) this.#note(record.id, 'kill', { signal: 'KILL' });
    await this.#recordExit(record.id);
    this.#note(record.id, 'stop');
  }

  #note(id: string, action: string, attributes: Record<string, string> = {}): void {
    this.events.emit('action', id, action, attributes);
  }

  /** Sends a signal to the container's init; see kill-container.ts (SIGKILL waits for the recorded exit). */
  async kill(ref: string, signal = 'KILL'): Promise<void> {
    await killContainer({
      store: this.store, events: this.events, restarts: this.restarts,
      runtime: (record) => runtimeOf(this.task, record).cli, locked: (id, work) => this.locked(id, work),
    }, ref, signal);
  }

  /** Stops (if running) and starts again. */
  async restart(ref: string, options: { timeoutS?: number; signal?: string } = {}): Promise<void> {
    const { id } = this.store.resolve(ref);
    await this.#mutex.run(id, async () => {
      const record = this.#require(id);
      this.restarts.noteManualStop(id);
      if (!this.restarts.settle(record) && isActive(record.state)) await this.#stopNow(record, options);
      this.restarts.noteManualStart(id);
      await this.#startNow(this.#require(id));
      this.#note(id, 'restart');
    });
  }

  /** Freezes every process of a running container (`pause` false: thaws them). */
  async pause(ref: string, pause = true): Promise<void> {
    await this.exclusive(ref, (record) => freezeContainer(runtimeOf(this.task, record).cli, this.store, this.events, record, pause));
  }

  async unpause(ref: string): Promise<void> {
    await this.pause(ref, false);
  }

  /** Runs `work` under the container's lock (changes of its record made outside this class). */
  locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.#mutex.run(id, work);
  }

  /** `locked` for a reference, with the container's current record (for operations in their own modules). */
  async exclusive<T>(ref: string, fn: (record: ContainerRecord) => Promise<T>): Promise<T> {
    const { id } = this.store.resolve(ref);
    return this.#mutex.run(id, () => fn(this.#require(id)));
  }

  /**
   * Removes the container, its writable layer and files (see remove-container.ts). A running one
   * needs `force`; `volumes` (`rm -v`) removes its anonymous volumes.
   */
  async remove(ref: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const { id } = this.store.resolve(ref);
    await this.#mutex.run(id, async () => {
      const found = this.store.find(id);
      if (found === undefined) return;
      // A container waiting for its restart has no process: settled, it is exited (re-read it).
      await removeContainer(this.#removal(), options.force === true && this.restarts.settle(found) ? this.#require(id) : found, options);
    });
  }

  /** What volume-usage.ts needs of the engine. */
  #volumeContext(): { store: ContainerStore; volumes: VolumeService; runner: ProcessRunner } {
    return { store: this.store, volumes: this.volumes, runner: this.task.runner };
  }

  /** What remove-container.ts needs of the engine. */
  #removal(): RemovalContext {
    return {
      store: this.store, task: this.task, paths: this.paths, logs: this.logs, events: this.events, restarts: this.restarts,
      execs: this.execs, attachments: this.attachments, volumes: this.#volumeContext(), recordExit: (id) => this.#recordExit(id, { autoRemove: false }),
    };
  }

  /**
   * Waits as Docker's wait does and resolves with the exit code: `not-running` returns at once when
   * the container is not running; `next-exit` waits for the next exit; `removed` for the removal.
   */
  wait(ref: string, condition: WaitCondition = 'not-running', signal?: AbortSignal): Promise<{ exitCode: number; error: string }> {
    return waitForContainer(this.store, this.events, this.store.resolve(ref).id, condition, signal);
  }

  /**
   * Records the exit conmon reported (if any yet) and cleans the run up; with `autoRemove` (the
   * default follows the container's `--rm`) removes the container too. Idempotent. Call under the
   * container's lock.
   */
  async #recordExit(id: string, options: { autoRemove?: boolean } = {}): Promise<void> {
    const record = this.store.find(id);
    if (record === undefined || !isActive(record.state)) return;
    const exitCode = await readExitCode(this.paths.exits, id);
    if (exitCode === undefined) return;
    const oomKilled = await wasOomKilled(this.paths.persist(id));
    // conmon wrote all output before the exit file: followers get it before the exit.
    await this.logs.settle(record);
    await cleanupTask(this.task, id, runtimeNameOf(record));
    await releaseVolumes(this.#volumeContext(), record);
    const state: ContainerState = {
      ...record.state, status: 'exited', pid: 0, conmonPid: 0, exitCode, oomKilled, finishedAt: this.#clock.now().toISOString(),
    };
    this.#setState(id, state);
    await rm(join(this.paths.exits, id), { force: true });
    await rm(join(this.paths.sockets, record.state.attachId), { force: true });
    this.events.emit('exit', id, state);
    if (options.autoRemove ?? record.config.autoRemove) await removeNow(this.#removal(), { ...record, state }, removesVolumes({ ...record, state }));
  }

  #require(id: string): ContainerRecord {
    const record = this.store.find(id);
    if (record === undefined) throw errors.notFound('no-such-container', `No such container: ${id}`);
    return record;
  }

  #setState(id: string, state: ContainerState): void {
    this.store.setState(id, state);
  }
}
