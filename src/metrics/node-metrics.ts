/**
 * Everything berthd exposes at `GET /metrics`, in Prometheus's text format: per-container series
 * with cAdvisor's names (container-families.ts), the engine's counters from its event log
 * (event-counters.ts), its state (engine-state.ts), the API's requests (api-metrics.ts), berthd's
 * process, and the registries other parts keep (vulnerability rescans, the cluster's while a member, …).
 *
 * All of it is gathered when a scrape asks and nothing runs between scrapes. One scrape runs at a
 * time: a scrape asked for while one runs gets that one's answer.
 */
import { Registry } from 'prom-client';
import type { Clock } from '../base/clock.js';
import { ApiMetrics } from './api-metrics.js';
import { CONTAINER_FAMILIES, ContainerFamilies } from './container-families.js';
import { ContainerSampler, type ContainerSample, type SampledEngine } from './container-sampler.js';
import { EngineState, type StateEngine } from './engine-state.js';
import { EventCounters, type EventSource } from './event-counters.js';
import { ProcessMetrics } from './process-metrics.js';

/** What the metrics need of the engine (ContainerEngine has it all). */
export interface MeteredEngine extends SampledEngine, StateEngine {
  readonly eventLog: EventSource;
}

export interface NodeMetricsOptions {
  engine: MeteredEngine;
  /** The cgroup under which containers run (berthd's `--cgroup-parent`). */
  cgroupParent: string;
  clock: Clock;
  /** Other parts' registries, served alongside (their metric names must not clash with these). */
  registries?: readonly Registry[];
  /**
   * Registries that come and go while berthd runs (the cluster's, once this node is a member: the
   * cluster's machinery loads after berthd started), asked for at each scrape and served alongside.
   */
  currentRegistries?: () => readonly Registry[];
}

export class NodeMetrics {
  /** Where the API server reports each finished request. */
  readonly api: ApiMetrics;
  readonly #own = new Registry();
  readonly #served: Registry;
  readonly #current: (() => readonly Registry[]) | undefined;
  readonly #clock: Clock;
  readonly #sampler: ContainerSampler;
  readonly #families: ContainerFamilies;
  readonly #events: EventCounters;
  readonly #state: EngineState;
  readonly #process: ProcessMetrics;
  #scrape: Promise<string> | undefined;
  #samples: readonly ContainerSample[] = [];

  constructor(options: NodeMetricsOptions) {
    this.#clock = options.clock;
    this.api = new ApiMetrics(this.#own);
    this.#sampler = new ContainerSampler(options.engine, options.cgroupParent, options.clock);
    this.#families = new ContainerFamilies(this.#own);
    this.#events = new EventCounters(options.engine.eventLog, this.#own);
    this.#state = new EngineState(options.engine, this.#own);
    this.#process = new ProcessMetrics(this.#own);
    this.#served = Registry.merge([this.#own, ...(options.registries ?? [])]);
    this.#current = options.currentRegistries;
  }

  /** The Content-Type of `text()`. */
  get contentType(): string {
    return this.#served.contentType;
  }

  /** Gathers and renders every metric. */
  text(): Promise<string> {
    this.#scrape ??= this.#gather().finally(() => { this.#scrape = undefined; });
    return this.#scrape;
  }

  /**
   * Each running container's identity labels and per-container values (a family's series summed
   * over `interface`/`device`), as a scrape reads them (it runs one): for rules evaluated in berthd.
   */
  async containerValues(): Promise<{ labels: Record<string, string>; values: Map<string, number> }[]> {
    await this.text();
    const nowS = this.#clock.now().getTime() / 1000;
    return this.#samples.map((sample) => ({
      labels: sample.labels,
      values: new Map(CONTAINER_FAMILIES.flatMap((family) => {
        const series = family.values(sample, nowS);
        return series.length === 0 ? [] : [[family.name, series.reduce((sum, [, value]) => sum + value, 0)] as const];
      })),
    }));
  }

  async #gather(): Promise<string> {
    this.#events.catchUp();
    this.#events.policyRestarts(this.#state.update());
    this.#samples = await this.#sampler.sample();
    this.#families.load(this.#samples, this.#clock.now().getTime() / 1000);
    this.#process.update();
    const current = this.#current?.() ?? [];
    return (current.length === 0 ? this.#served : Registry.merge([this.#served, ...current])).metrics();
  }
}
