/**
 * The engine's counters, derived from its event log (events/) rather than from calls spread
 * through the engine: at each scrape the events recorded since the previous one are read and
 * counted, so nothing runs between scrapes. Counting starts with the events recorded after
 * berthd started. If more events than the log keeps (`--events-max-count`) are recorded between
 * two scrapes, the dropped ones are not counted.
 */
import { Counter, type Registry } from 'prom-client';
import type { NodeEvent } from '../events/event-types.js';

/** What counting needs of the event log (EventLog has it). */
export interface EventSource {
  read(query: { afterSeq: number; limit: number }): NodeEvent[];
  lastSeq(): number;
}

/** An action without what follows its colon (`exec_create: sh -c true` → `exec_create`), so labels stay few. */
export function actionKind(action: string): string {
  const colon = action.indexOf(':');
  return (colon < 0 ? action : action.slice(0, colon)).trim();
}

/** The status of a `health_status: healthy` action; undefined for other actions. */
export function healthStatusOf(action: string): string | undefined {
  return actionKind(action) === 'health_status' ? action.slice(action.indexOf(':') + 1).trim() : undefined;
}

const BATCH = 1000;

export class EventCounters {
  #afterSeq: number;
  readonly #events: Counter<'type' | 'action'>;
  readonly #starts: Counter;
  readonly #exits: Counter<'code'>;
  readonly #ooms: Counter;
  readonly #health: Counter<'status'>;
  readonly #images: Counter<'action'>;
  readonly #restarts: Counter<'reason'>;

  constructor(private readonly source: EventSource, registry: Registry) {
    this.#afterSeq = source.lastSeq();
    const registers = [registry];
    this.#events = new Counter({ name: 'berth_events_total', help: 'Events recorded, by object type and action (without what follows a colon)', labelNames: ['type', 'action'], registers });
    this.#starts = new Counter({ name: 'berth_container_starts_total', help: 'Container starts, restarts by a restart policy included', registers });
    this.#exits = new Counter({ name: 'berth_container_exits_total', help: 'Container exits by exit code', labelNames: ['code'], registers });
    this.#ooms = new Counter({ name: 'berth_container_oom_kills_total', help: 'Containers whose process the kernel killed for lack of memory', registers });
    this.#health = new Counter({ name: 'berth_container_health_status_changes_total', help: 'Health-check results that changed a container\'s health, by the new status', labelNames: ['status'], registers });
    this.#restarts = new Counter({ name: 'berth_container_restarts_total', help: 'Container restarts: asked for (`restart`) or by a restart policy', labelNames: ['reason'], registers });
    this.#images = new Counter({ name: 'berth_image_operations_total', help: 'Image pulls, pushes, loads, imports, saves, tags and deletions', labelNames: ['action'], registers });
  }

  /** Counts the events recorded since the last call. */
  catchUp(): void {
    for (;;) {
      const batch = this.source.read({ afterSeq: this.#afterSeq, limit: BATCH });
      for (const event of batch) {
        this.#afterSeq = event.seq;
        this.#count(event);
      }
      if (batch.length < BATCH) return;
    }
  }

  /** Restarts by a restart policy, which the event log records only as a `start`. */
  policyRestarts(count: number): void {
    if (count > 0) this.#restarts.inc({ reason: 'policy' }, count);
  }

  #count(event: NodeEvent): void {
    const action = actionKind(event.action);
    this.#events.inc({ type: event.type, action });
    if (event.type === 'image') {
      this.#images.inc({ action });
      return;
    }
    if (event.type !== 'container') return;
    if (action === 'start') this.#starts.inc();
    else if (action === 'die') this.#exits.inc({ code: event.actor.attributes.exitCode ?? '' });
    else if (action === 'oom') this.#ooms.inc();
    else if (action === 'restart') this.#restarts.inc({ reason: 'manual' });
    else if (action === 'health_status') this.#health.inc({ status: healthStatusOf(event.action) ?? '' });
  }
}
