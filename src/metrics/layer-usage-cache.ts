/**
 * Sizes of containers' writable layers (`container_fs_usage_bytes`), measured at scrape time but
 * not at every scrape: measuring walks the layer's directory tree, which costs far more than
 * reading a cgroup. A size is kept for `maxAgeMs`; a scrape re-measures at most `perScrape` of the
 * stalest ones, so a scrape's cost stays bounded however many containers run, and nothing is
 * measured between scrapes. Not safe for concurrent `refresh` calls (NodeMetrics runs one scrape at a time).
 */
import { errnoCode } from '../base/errors.js';
import { componentLogger } from '../base/logger.js';
import type { Clock } from '../base/clock.js';

const log = componentLogger('metrics');

export interface LayerUsageOptions {
  /** Measures a container's writable layer in bytes; may throw (the container was removed meanwhile). */
  measure: (id: string) => Promise<number>;
  clock: Clock;
  maxAgeMs?: number;
  perScrape?: number;
}

interface Entry {
  bytes: number;
  measuredAtMs: number;
}

export class LayerUsageCache {
  readonly #entries = new Map<string, Entry>();
  readonly #measure: LayerUsageOptions['measure'];
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  readonly #perScrape: number;

  constructor(options: LayerUsageOptions) {
    this.#measure = options.measure;
    this.#clock = options.clock;
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#perScrape = options.perScrape ?? 10;
  }

  /** Forgets containers not in `ids` and re-measures up to `perScrape` stale or unknown ones (unknown first). */
  async refresh(ids: readonly string[]): Promise<void> {
    const wanted = new Set(ids);
    for (const id of this.#entries.keys()) if (!wanted.has(id)) this.#entries.delete(id);
    const now = this.#clock.now().getTime();
    const age = (id: string): number => now - (this.#entries.get(id)?.measuredAtMs ?? Number.NEGATIVE_INFINITY);
    const due = ids.filter((id) => age(id) >= this.#maxAgeMs).sort((a, b) => age(b) - age(a)).slice(0, this.#perScrape);
    for (const id of due) {
      try {
        this.#entries.set(id, { bytes: await this.#measure(id), measuredAtMs: now });
      } catch (err) {
        // Removed (or its layer not mounted yet) since the list was taken: no size to show this time.
        // Any other failure is also no size, but worth a line.
        if (errnoCode(err) !== 'ENOENT') log.warn('measuring a container\'s writable layer failed', { id, err });
        this.#entries.delete(id);
      }
    }
  }

  /** The last measured size, undefined when never measured. */
  get(id: string): number | undefined {
    return this.#entries.get(id)?.bytes;
  }
}
