/**
 * Runs each running container's health check: one timer per container, a probe (health-probe.ts)
 * at each tick (skipped while paused), the new state stored (health-store.ts) and, when the status
 * changes, a `health_status: <status>` event. A container that turns unhealthy gets its
 * `onFailure` action (restart, stop or kill). Probing begins at each start (status `starting`),
 * ends at the exit, and resumes for running containers when berthd opens the engine (the stored
 * state kept). Timers come from the injected `Timers`.
 */
import type { Clock, Timers } from '../../base/clock.js';
import type { ContainerEvents } from '../container-events.js';
import type { ContainerStore } from '../container-store.js';
import type { ExecSessions } from '../exec-sessions.js';
import type { HealthOnFailure } from './health-config.js';
import { runProbe } from './health-probe.js';
import { applyProbe, initialHealth, nextProbeDelayMs, type HealthState } from './health-state.js';
import type { HealthStore } from './health-store.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';
import { isBerthError } from '../../base/errors.js';

const log = componentLogger('engine');

/** What an unhealthy container's `onFailure` does (the engine's own verbs). */
export type HealthActions = Record<Exclude<HealthOnFailure, 'none'>, (id: string) => Promise<void>>;

interface Watch {
  cancel: () => void;
}

export class HealthMonitor {
  readonly #watches = new Map<string, Watch>();
  readonly #offs: (() => void)[];

  constructor(
    private readonly store: ContainerStore,
    private readonly health: HealthStore,
    private readonly events: ContainerEvents,
    private readonly execs: ExecSessions,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly actions: HealthActions,
  ) {
    this.#offs = [
      events.on('start', (id) => { this.#begin(id, true); }),
      events.on('exit', (id) => { this.#end(id); }),
      events.on('removed', (id) => {
        this.#end(id);
        this.health.delete(id);
      }),
    ];
  }

  /** The container's last health state, if it has a health check and ever ran it. */
  state(id: string): HealthState | undefined {
    return this.health.get(id);
  }

  /** Resumes probing every running container that has a health check (after berthd restarts). */
  resume(): void {
    for (const record of this.store.list()) {
      if (record.state.status === 'running' || record.state.status === 'paused') this.#begin(record.id, false);
    }
  }

  /** Ids of the containers being probed. */
  watchedIds(): string[] {
    return [...this.#watches.keys()];
  }

  close(): void {
    for (const id of [...this.#watches.keys()]) this.#end(id);
    for (const off of this.#offs) off();
  }

  #begin(id: string, fresh: boolean): void {
    this.#end(id);
    const record = this.store.find(id);
    if (record?.config.healthcheck === undefined) return;
    if (fresh || this.health.get(id) === undefined) this.health.set(id, initialHealth());
    const watch: Watch = { cancel: () => undefined };
    this.#watches.set(id, watch);
    this.#schedule(id, watch);
  }

  #end(id: string): void {
    this.#watches.get(id)?.cancel();
    this.#watches.delete(id);
  }

  #schedule(id: string, watch: Watch): void {
    const record = this.store.find(id);
    const config = record?.config.healthcheck;
    if (record === undefined || config === undefined || this.#watches.get(id) !== watch) return;
    const delay = nextProbeDelayMs(this.health.get(id) ?? initialHealth(), config, record.state.startedAt, this.clock.now());
    watch.cancel = this.timers.after(delay, () => { void this.#probe(id, watch); });
  }

  async #probe(id: string, watch: Watch): Promise<void> {
    const record = this.store.find(id);
    const config = record?.config.healthcheck;
    if (record === undefined || config === undefined || this.#watches.get(id) !== watch) return;
    if (record.state.status !== 'running') {
      if (record.state.status === 'paused') this.#schedule(id, watch);
      else this.#end(id);
      return;
    }
    const result = await runProbe(this.execs, id, config, this.clock, this.timers);
    if (this.#watches.get(id) !== watch) return; // stopped or restarted meanwhile
    const before = this.health.get(id) ?? initialHealth();
    const after = applyProbe(before, result, config, record.state.startedAt);
    this.health.set(id, after);
    if (after.status !== before.status) {
      this.events.emit('action', id, `health_status: ${after.status}`, {});
      if (after.status === 'unhealthy' && config.onFailure !== 'none') {
        this.#end(id);
        // The health state and its event are recorded whatever the action does. Not found: the
        // container was removed meanwhile, nothing left to act on.
        const warn = warnOnFailure(log, `the ${config.onFailure} of an unhealthy container`, { id });
        await this.actions[config.onFailure](id).catch((err: unknown) => { if (!isBerthError(err, 'not-found')) warn(err); });
        return;
      }
    }
    this.#schedule(id, watch);
  }
}
