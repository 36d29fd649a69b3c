/**
 * Gauges of the engine's state, read at scrape time: containers by state and by health, and the
 * restarts a restart policy made since the previous scrape (from each record's restart count,
 * which the event log does not show apart from a `start`).
 */
import { Gauge, type Registry } from 'prom-client';
import { CONTAINER_STATUSES, type ContainerRecord } from '../engine/container-record.js';

/** What the state gauges need of the engine. */
export interface StateEngine {
  list(): ContainerRecord[];
  readonly health: { state(id: string): { status: string } | undefined };
}

export class EngineState {
  readonly #containers: Gauge<'state'>;
  readonly #health: Gauge<'status'>;
  readonly #restartCounts = new Map<string, number>();

  constructor(private readonly engine: StateEngine, registry: Registry) {
    this.#containers = new Gauge({ name: 'berth_containers', help: 'Containers by state', labelNames: ['state'], registers: [registry] });
    this.#health = new Gauge({ name: 'berth_containers_health', help: 'Running containers with a health check, by health status', labelNames: ['status'], registers: [registry] });
  }

  /** Updates the gauges; returns how many restarts by a restart policy happened since the last call. */
  update(): number {
    const byState = new Map<string, number>(CONTAINER_STATUSES.map((s) => [s, 0]));
    const byHealth = new Map<string, number>([['starting', 0], ['healthy', 0], ['unhealthy', 0]]);
    let restarts = 0;
    const seen = new Set<string>();
    for (const record of this.engine.list()) {
      seen.add(record.id);
      byState.set(record.state.status, (byState.get(record.state.status) ?? 0) + 1);
      if (record.config.healthcheck !== undefined && record.state.status === 'running') {
        const status = this.engine.health.state(record.id)?.status ?? 'starting';
        byHealth.set(status, (byHealth.get(status) ?? 0) + 1);
      }
      const before = this.#restartCounts.get(record.id);
      // A count that went down was reset by a start someone asked for: nothing to add.
      if (before !== undefined && record.state.restartCount > before) restarts += record.state.restartCount - before;
      this.#restartCounts.set(record.id, record.state.restartCount);
    }
    for (const id of this.#restartCounts.keys()) if (!seen.has(id)) this.#restartCounts.delete(id);
    for (const [state, count] of byState) this.#containers.set({ state }, count);
    for (const [status, count] of byHealth) this.#health.set({ status }, count);
    return restarts;
  }
}
