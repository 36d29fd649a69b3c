/**
 * Applies restart policies (restart-policy.ts): after each exit it decides, and a container to be
 * restarted waits in status `restarting` for its backoff (Docker's: 100 ms doubling to a minute,
 * reset after a 10 s run), then starts again with RestartCount + 1. A manual stop or kill turns
 * the policy off until the next manual start; it is remembered in memory at once (kill is not
 * serialized with exits) and in the record at the exit. When berthd starts, `atBoot` starts the
 * containers their policy wants running. Timers come from the injected `Timers`.
 */
import type { Clock, Timers } from '../../base/clock.js';
import type { ContainerEvents } from '../container-events.js';
import { ZERO_TIME, type ContainerRecord, type ContainerState } from '../container-record.js';
import type { ContainerStore } from '../container-store.js';
import { NO_RESTART, nextBackoffMs, restartsAfterExit, startsAtBoot, type ExitFacts } from './restart-policy.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';

const log = componentLogger('engine');

export interface RestartHooks {
  /** Runs `work` under the container's lock. */
  locked(id: string, work: () => Promise<void>): Promise<void>;
  /** Starts the container's next run, keeping its RestartCount (the caller raised it). Throws as start. */
  start(record: ContainerRecord): Promise<void>;
}

function ranMs(state: ContainerState): number {
  const ms = Date.parse(state.finishedAt) - Date.parse(state.startedAt);
  return Number.isFinite(ms) ? ms : 0;
}

function facts(state: ContainerState, manuallyStopped: boolean): ExitFacts {
  return { exitCode: state.exitCode, manuallyStopped, restartCount: state.restartCount };
}

export class RestartSupervisor {
  readonly #pending = new Map<string, () => void>();
  readonly #delays = new Map<string, number>();
  readonly #stopped = new Set<string>();
  readonly #offs: (() => void)[];
  #closed = false;

  constructor(
    private readonly store: ContainerStore,
    events: ContainerEvents,
    private readonly timers: Timers,
    private readonly clock: Clock,
    private readonly hooks: RestartHooks,
  ) {
    // Exits are emitted under the container's lock, after the exit is recorded.
    this.#offs = [
      events.on('exit', (id, state) => { this.#afterExit(id, state); }),
      events.on('removed', (id) => { this.cancel(id); this.#delays.delete(id); this.#stopped.delete(id); }),
    ];
  }

  /** A user stopped or killed the container: no restart until the next manual start. */
  noteManualStop(id: string): void {
    this.#stopped.add(id);
    this.cancel(id);
  }

  /** A user started the container: the policy applies again, from a fresh backoff. */
  noteManualStart(id: string): void {
    this.#stopped.delete(id);
    this.#delays.delete(id);
    this.cancel(id);
  }

  /** Cancels a pending restart; returns whether there was one. */
  cancel(id: string): boolean {
    const cancel = this.#pending.get(id);
    this.#pending.delete(id);
    cancel?.();
    return cancel !== undefined;
  }

  /**
   * A container waiting for its restart has no process: a stop, kill or forced removal makes it
   * exited (manually stopped). Returns whether it was waiting. Call under the container's lock.
   */
  settle(record: ContainerRecord): boolean {
    if (record.state.status !== 'restarting') return false;
    this.cancel(record.id);
    this.store.setState(record.id, { ...record.state, status: 'exited', manuallyStopped: true });
    return true;
  }

  /** Pending restarts (for tests and diagnostics). */
  pendingIds(): string[] {
    return [...this.#pending.keys()];
  }

  /** Starts, once, every stopped container whose policy wants it running after berthd starts. */
  async atBoot(): Promise<void> {
    for (const record of this.store.list()) {
      const { state } = record;
      if (state.status !== 'exited' || state.startedAt === ZERO_TIME || this.#pending.has(record.id)) continue;
      if (!startsAtBoot(record.config.restartPolicy ?? NO_RESTART, facts(state, state.manuallyStopped === true))) continue;
      this.store.setState(record.id, { ...state, status: 'restarting' });
      await this.#restart(record.id);
    }
  }

  /** Cancels every pending restart; containers stay as recorded (restarting ones are started at the next boot). */
  close(): void {
    this.#closed = true;
    for (const id of [...this.#pending.keys()]) this.cancel(id);
    for (const off of this.#offs) off();
  }

  /** Under the container's lock. */
  #afterExit(id: string, state: ContainerState): void {
    const record = this.store.find(id);
    if (record === undefined || this.#closed) return;
    const manual = this.#stopped.has(id) || state.manuallyStopped === true;
    if (manual && state.manuallyStopped !== true) this.store.setState(id, { ...state, manuallyStopped: true });
    if (!restartsAfterExit(record.config.restartPolicy ?? NO_RESTART, facts(state, manual))) return;
    const delay = nextBackoffMs(this.#delays.get(id), ranMs(state));
    this.#delays.set(id, delay);
    this.store.setState(id, { ...state, status: 'restarting' });
    this.cancel(id);
    this.#pending.set(id, this.timers.after(delay, () => {
      this.#pending.delete(id);
      void this.#restart(id);
    }));
  }

  async #restart(id: string): Promise<void> {
    await this.hooks.locked(id, async () => {
      const record = this.store.find(id);
      if (record === undefined || record.state.status !== 'restarting' || this.#closed) return;
      const state = { ...record.state, restartCount: record.state.restartCount + 1 };
      this.store.setState(id, state);
      try {
        await this.hooks.start({ ...record, state });
      } catch (err) {
        // The start recorded its error and exit code: decide again as after an exit.
        log.warn('restarting a container by its restart policy failed', { err, id });
        const failed = this.store.find(id);
        if (failed === undefined) return;
        const exited: ContainerState = { ...failed.state, status: 'exited', finishedAt: this.clock.now().toISOString() };
        this.store.setState(id, exited);
        this.#afterExit(id, exited);
      }
    }).catch(warnOnFailure(log, 'deciding on the restart of a container', { id }));
  }
}
