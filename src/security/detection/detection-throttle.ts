/**
 * How many matches of one rule in one container become events: a token bucket per (container,
 * rule), so a container that writes below /usr in a loop cannot flood the event log, the alert
 * webhooks or berthd's log. Matches beyond it are counted, not recorded; the rule's pause or kill
 * is taken whatever the bucket says.
 */
import type { Clock } from '../../base/clock.js';

export interface ThrottleSettings {
  /** Events recorded at once before the rate applies. */
  burst: number;
  /** Events per second after the burst. */
  perSecond: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { burst: 20, perSecond: 2 };

export class DetectionThrottle {
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly clock: Clock, private readonly settings: ThrottleSettings = DEFAULT_THROTTLE) {}

  /** Whether this match of `rule` in container `id` is recorded (and takes a token). */
  admit(id: string, rule: string): boolean {
    const key = `${id}/${rule}`;
    const nowMs = this.clock.now().getTime();
    const bucket = this.#buckets.get(key) ?? { tokens: this.settings.burst, atMs: nowMs };
    const tokens = Math.min(this.settings.burst, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * this.settings.perSecond);
    const admitted = tokens >= 1;
    this.#buckets.set(key, { tokens: admitted ? tokens - 1 : tokens, atMs: nowMs });
    return admitted;
  }

  /** Forgets a container's buckets (it was removed, or it stopped). */
  forget(id: string): void {
    for (const key of this.#buckets.keys()) if (key.startsWith(`${id}/`)) this.#buckets.delete(key);
  }
}
