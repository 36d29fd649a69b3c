/**
 * The alerting loop of berthd: at each tick it reads the event log from where it left off (event
 * rules), every `interval` it reads the containers' metrics (metric rules), resolves what expired,
 * queues the notifications that are due, saves the state, and delivers the outbox (outbox-delivery.ts)
 * in the background. Ticks run one at a time on injected clock and timers; nothing is lost on a
 * crash: the state (alerts, groups, outbox, event position) is saved before anything is sent.
 */
import type { Clock, Timers } from '../base/clock.js';
import { messageOf } from '../base/errors.js';
import type { AlertRule, AlertRules } from './alert-rules-file.js';
import { emptyAlertState, type AlertState } from './alert-state.js';
import type { AlertStateStore } from './alert-state-file.js';
import { AlertBook } from './alert-book.js';
import { expiredLoops, judgeEvent, pruneWindows, type EventSource } from './event-conditions.js';
import { MetricConditions, type MetricSource } from './metric-conditions.js';
import { planNotifications, nextGroupDue } from './notification-planner.js';
import { deliverDue, nextAttemptDue, type WebhookPost } from './outbox-delivery.js';
import { alertViews, type AlertListing } from './alert-views.js';

export interface AlertRunnerOptions {
  rules: AlertRules;
  store: AlertStateStore;
  events: EventSource;
  /** Without it, metric rules never hold. */
  metrics?: MetricSource;
  post: WebhookPost;
  clock: Clock;
  timers: Timers;
  log: (message: string) => void;
}

/** Events are read at least this often, whatever the interval. */
const EVENT_POLL_MS = 1000;
const EVENT_BATCH = 500;
/** Ticks that schedule themselves are at least this far apart. */
const MIN_TICK_MS = 100;

export class AlertRunner implements AlertListing {
  #rules: AlertRules;
  readonly #state: AlertState;
  readonly #book: AlertBook;
  readonly #metricConditions = new MetricConditions();
  #nextMetricsAt = 0;
  #saved = '';
  #saving: Promise<void> = Promise.resolve();
  #ticking: Promise<void> = Promise.resolve();
  #delivering: Promise<void> | undefined;
  #cancelTimer: (() => void) | undefined;
  /** When the armed timer fires. */
  #scheduledAt: number | undefined;
  #closed = false;
  /** Aborts deliveries in flight when the runner closes. */
  readonly #stopping = new AbortController();

  private constructor(private readonly options: AlertRunnerOptions, state: AlertState) {
    this.#rules = options.rules;
    this.#state = state;
    this.#book = new AlertBook(state, options.rules);
    this.#saved = JSON.stringify(state);
  }

  /** Loads the saved state (a first start reads only events recorded from now on) and starts ticking. */
  static async open(options: AlertRunnerOptions): Promise<AlertRunner> {
    const state = (await options.store.load()) ?? emptyAlertState(options.events.lastSeq());
    // A new process tries its unsent notifications at once, whatever the backoff had reached.
    const now = options.clock.now().getTime();
    for (const item of state.outbox) item.nextAttemptAt = Math.min(item.nextAttemptAt, now);
    const runner = new AlertRunner(options, state);
    runner.#schedule(0);
    return runner;
  }

  /** Rules read again: alerts of rules now gone resolve at the next tick. */
  replaceRules(rules: AlertRules): void {
    this.#rules = rules;
    this.#book.replaceRules(rules);
    this.#nextMetricsAt = 0;
    this.#schedule(0);
  }

  list(): ReturnType<AlertListing['list']> {
    return alertViews(this.#state);
  }

  /** One evaluation now (ticks run one at a time). */
  tick(): Promise<void> {
    this.#ticking = this.#ticking.then(() => this.#tick()).catch((err: unknown) => {
      this.options.log(`alerts: evaluation failed: ${messageOf(err)}`);
      this.#schedule(this.#rules.intervalMs);
    });
    return this.#ticking;
  }

  /** Stops ticking and waits for the current tick, delivery and save. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stopping.abort();
    this.#cancelTimer?.();
    await this.#ticking;
    await this.#delivering;
    await this.#saving;
  }

  async #tick(): Promise<void> {
    if (this.#closed) return;
    const now = this.options.clock.now().getTime();
    this.#readEvents();
    for (const rule of this.#rules.rules) {
      for (const id of expiredLoops(rule, this.#state.windows, now)) this.#book.resolveContainer(rule.name, id, now);
    }
    this.#state.windows = pruneWindows(this.#state.windows);
    const metricRules = this.#rules.rules.filter((rule) => rule.metric !== undefined);
    if (metricRules.length > 0 && this.options.metrics !== undefined && now >= this.#nextMetricsAt) {
      this.#nextMetricsAt = now + this.#rules.intervalMs;
      await this.#evaluateMetrics(metricRules, this.options.metrics, now);
    }
    this.#book.expire(now);
    planNotifications(this.#state, this.#rules, now);
    await this.#save();
    this.#deliver();
    this.#schedule(this.#nextWake(now) - now);
  }

  /** A failed read is logged and changes nothing: alerts keep their status until a read succeeds. */
  async #evaluateMetrics(rules: readonly AlertRule[], source: MetricSource, now: number): Promise<void> {
    let containers: Awaited<ReturnType<MetricSource['read']>>;
    try {
      containers = await source.read();
    } catch (err) {
      this.options.log(`alerts: cannot read metrics: ${messageOf(err)}`);
      return;
    }
    this.#metricConditions.forgetGone(containers);
    for (const rule of rules) this.#book.holdMetric(rule, this.#metricConditions.evaluate(rule, containers, now), now);
  }

  #readEvents(): void {
    const eventRules = this.#rules.rules.filter((rule) => rule.event !== undefined);
    for (;;) {
      const batch = this.options.events.read({ afterSeq: this.#state.eventSeq, limit: EVENT_BATCH });
      for (const event of batch) {
        this.#state.eventSeq = event.seq;
        const atMs = Number(event.timeNano / 1_000_000n);
        for (const rule of eventRules) {
          const verdict = judgeEvent(rule, event, this.#state.windows);
          if (verdict?.kind === 'fire') this.#book.fire(rule, verdict.container, atMs);
          else if (verdict?.kind === 'resolve') this.#book.resolveContainer(rule.name, verdict.container.id, atMs);
        }
      }
      if (batch.length < EVENT_BATCH) return;
    }
  }

  /** The next tick: events, a due group or a due attempt (a delivery in flight schedules its own next one); never sooner than MIN_TICK_MS. */
  #nextWake(now: number): number {
    const attempt = this.#delivering === undefined ? nextAttemptDue(this.#state) : undefined;
    const candidates = [now + Math.min(this.#rules.intervalMs, EVENT_POLL_MS), nextGroupDue(this.#state, this.#rules), attempt];
    return Math.max(now + MIN_TICK_MS, Math.min(...candidates.filter((t): t is number => t !== undefined)));
  }

  /** Delivers what is due in the background (one delivery round at a time); the next tick follows its end. */
  #deliver(): void {
    if (this.#delivering !== undefined || this.#closed) return;
    const now = (): number => this.options.clock.now().getTime();
    this.#delivering = deliverDue(this.#state, this.options.post, now, () => this.#save(), this.#stopping.signal)
      .then((delivered) => { if (delivered > 0) this.#schedule(0); })
      .catch((err: unknown) => { this.options.log(`alerts: delivery failed: ${messageOf(err)}`); })
      .finally(() => {
        this.#delivering = undefined;
        const next = nextAttemptDue(this.#state);
        if (next !== undefined) this.#schedule(next - now());
      });
  }

  /** Saves the state when it changed (writes are queued, each writing the state as it is then). */
  #save(): Promise<void> {
    this.#saving = this.#saving.then(async () => {
      const text = JSON.stringify(this.#state);
      if (text === this.#saved) return;
      await this.options.store.save(this.#state);
      this.#saved = text;
    }).catch((err: unknown) => { this.options.log(`alerts: cannot save state: ${messageOf(err)}`); });
    return this.#saving;
  }

  /** The next tick in `ms` (an earlier one already armed stays). */
  #schedule(ms: number): void {
    if (this.#closed) return;
    const at = this.options.clock.now().getTime() + Math.max(0, ms);
    if (this.#scheduledAt !== undefined && this.#scheduledAt <= at) return;
    this.#cancelTimer?.();
    this.#scheduledAt = at;
    this.#cancelTimer = this.options.timers.after(Math.max(0, ms), () => {
      this.#scheduledAt = undefined;
      this.#cancelTimer = undefined;
      void this.tick();
    });
  }
}
