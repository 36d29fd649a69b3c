/**
 * The node's event log: every event is written to SQLite (`events`) before anyone is told, so a
 * client that reads history and then follows sees every event once, in order, with no gap. Old
 * events are dropped as new ones come, past a count and an age (both configurable). Several
 * processes may record on one state root (the CLI's in-process image commands); followers see
 * their events too, within `pollMs`.
 */
import type { Statement } from 'better-sqlite3';
import { systemClock, type Clock } from '../base/clock.js';
import { errors, messageOf } from '../base/errors.js';
import { componentLogger } from '../base/logger.js';
import type { Database } from '../store/database.js';
import { eventMatches, type EventFilters } from './event-filter.js';
import { EVENT_TYPES, type EventActor, type EventRecorder, type EventType, type NodeEvent } from './event-types.js';

export interface EventRetention {
  /** Keep at most this many events (default 10 000). */
  maxCount?: number;
  /** Drop events older than this many milliseconds (default 7 days). */
  maxAgeMs?: number;
}

export interface EventLogOptions extends EventRetention {
  clock?: Clock;
  /** How often a follower looks for events other processes recorded (default 1 s). */
  pollMs?: number;
}

export interface EventQuery {
  /** Only events recorded after this one. */
  afterSeq?: number;
  sinceNs?: bigint;
  untilNs?: bigint;
  limit?: number;
}

export interface FollowOptions {
  sinceNs?: bigint;
  untilNs?: bigint;
  filters?: EventFilters;
  signal?: AbortSignal;
}

export const DEFAULT_EVENT_RETENTION = { maxCount: 10_000, maxAgeMs: 7 * 24 * 3600 * 1000 } as const;

interface Row {
  seq: bigint;
  time_nano: bigint;
  type: string;
  action: string;
  actor_id: string;
  attributes: string;
  scope: string;
}

const BATCH = 500;

const log = componentLogger('events');

function fromRow(row: Row): NodeEvent {
  const type = (EVENT_TYPES as readonly string[]).includes(row.type) ? (row.type as EventType) : 'daemon';
  let attributes: Record<string, string> = {};
  try {
    const parsed: unknown = JSON.parse(row.attributes);
    if (typeof parsed === 'object' && parsed !== null) {
      attributes = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
  } catch (err) {
    // A damaged row keeps its other fields.
    log.warn('an event has unreadable attributes; reading it without them', { err, seq: Number(row.seq) });
  }
  return {
    seq: Number(row.seq), type, action: row.action, actor: { id: row.actor_id, attributes },
    scope: row.scope === 'swarm' ? 'swarm' : 'local', timeNano: row.time_nano,
  };
}

/** Methods are synchronous except `follow`; any number of followers may run at once. */
export class EventLog implements EventRecorder {
  readonly #clock: Clock;
  readonly #maxCount: number;
  readonly #maxAgeNs: bigint;
  readonly #pollMs: number;
  readonly #listeners = new Set<() => void>();
  readonly #insert: Statement;
  readonly #read: Statement;
  readonly #last: Statement;
  readonly #pruneCount: Statement;
  readonly #pruneAge: Statement;
  #lastTime = 0n;

  constructor(db: Database, options: EventLogOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#maxCount = Math.max(1, options.maxCount ?? DEFAULT_EVENT_RETENTION.maxCount);
    this.#maxAgeNs = BigInt(Math.max(0, options.maxAgeMs ?? DEFAULT_EVENT_RETENTION.maxAgeMs)) * 1_000_000n;
    this.#pollMs = options.pollMs ?? 1000;
    const sqlite = db.sqlite;
    this.#insert = sqlite.prepare('INSERT INTO events (time_nano, type, action, actor_id, attributes, scope) VALUES (?, ?, ?, ?, ?, ?)');
    this.#read = sqlite.prepare(`SELECT seq, time_nano, type, action, actor_id, attributes, scope FROM events
      WHERE seq > ? AND time_nano >= ? AND time_nano <= ? ORDER BY seq LIMIT ?`).safeIntegers(true);
    this.#last = sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").safeIntegers(true);
    this.#pruneCount = sqlite.prepare('DELETE FROM events WHERE seq <= ?');
    this.#pruneAge = sqlite.prepare('DELETE FROM events WHERE time_nano < ?');
  }

  /** Now, in nanoseconds (strictly increasing within this process). */
  #now(): bigint {
    let time = BigInt(this.#clock.now().getTime()) * 1_000_000n;
    if (time <= this.#lastTime) time = this.#lastTime + 1n;
    this.#lastTime = time;
    return time;
  }

  /** Persists the event, drops what retention no longer keeps, then wakes followers. Throws unavailable when SQLite fails. */
  record(type: EventType, action: string, actor: EventActor, scope: 'local' | 'swarm' = 'local'): NodeEvent {
    const timeNano = this.#now();
    let seq: number;
    try {
      seq = Number(this.#insert.run(timeNano, type, action, actor.id, JSON.stringify(actor.attributes), scope).lastInsertRowid);
      if (seq > this.#maxCount) this.#pruneCount.run(seq - this.#maxCount);
      if (this.#maxAgeNs > 0n) this.#pruneAge.run(timeNano - this.#maxAgeNs);
    } catch (cause) {
      throw errors.unavailable('event-log-write', `cannot record ${type} event ${action}: ${messageOf(cause)}`, { cause });
    }
    for (const wake of this.#listeners) wake();
    return { seq, type, action, actor: { id: actor.id, attributes: { ...actor.attributes } }, scope, timeNano };
  }

  /** Recorded events matching the query, oldest first. */
  read(query: EventQuery = {}): NodeEvent[] {
    const rows = this.#read.all(
      query.afterSeq ?? 0, query.sinceNs ?? 0n, query.untilNs ?? 2n ** 63n - 1n, query.limit ?? -1,
    ) as Row[];
    return rows.map(fromRow);
  }

  /** The seq of the newest event ever recorded (0 when none). */
  lastSeq(): number {
    const row = this.#last.get() as { seq: bigint } | undefined;
    return row === undefined ? 0 : Number(row.seq);
  }

  /** How many `follow` calls are running (`NEventsListener` of `/info`). */
  get followers(): number {
    return this.#listeners.size;
  }

  /**
   * Calls `write` for each matching event in order: with `sinceNs`, first the recorded ones from
   * then; then new ones as they are recorded, until `untilNs` has passed (at once when it is in
   * the past) or `signal` aborts. Without `sinceNs` only new events. `write` may be async
   * (backpressure); events recorded meanwhile wait in the database.
   */
  async follow(options: FollowOptions, write: (event: NodeEvent) => void | Promise<void>): Promise<void> {
    const { sinceNs, untilNs, filters = new Map<string, string[]>(), signal } = options;
    let afterSeq = sinceNs === undefined ? this.lastSeq() : 0;
    // Set by poke, possibly while `write` runs: then the loop reads again before it waits.
    const woken = { pending: false };
    const isPending = (): boolean => woken.pending;
    let wake: (() => void) | undefined;
    const poke = (): void => {
      woken.pending = true;
      wake?.();
    };
    this.#listeners.add(poke);
    signal?.addEventListener('abort', poke);
    const poll = setInterval(poke, this.#pollMs);
    poll.unref();
    const untilMs = untilNs === undefined ? undefined : Number(untilNs / 1_000_000n) - this.#clock.now().getTime();
    const untilTimer = untilMs !== undefined && untilMs > 0 ? setTimeout(poke, Math.min(untilMs + 1, 2 ** 31 - 1)) : undefined;
    try {
      for (;;) {
        woken.pending = false;
        const ended = untilNs !== undefined && BigInt(this.#clock.now().getTime()) * 1_000_000n >= untilNs;
        for (;;) {
          const batch = this.read({ afterSeq, ...(sinceNs === undefined ? {} : { sinceNs }), ...(untilNs === undefined ? {} : { untilNs }), limit: BATCH });
          for (const event of batch) {
            afterSeq = event.seq;
            if (signal?.aborted === true) return;
            if (eventMatches(event, filters)) await write(event);
          }
          if (batch.length < BATCH) break;
        }
        if (ended || signal?.aborted === true) return;
        if (!isPending()) await new Promise<void>((resolve) => { wake = resolve; });
        wake = undefined;
      }
    } finally {
      this.#listeners.delete(poke);
      signal?.removeEventListener('abort', poke);
      clearInterval(poll);
      clearTimeout(untilTimer);
    }
  }
}
