/**
 * Metric rules over the per-container values of one evaluation: a rule's value for a container is
 * its `metric` (with `rate: true`, its per-second increase since the previous evaluation), divided
 * by `ratio_to` when given (a container whose divisor is 0, e.g. no memory limit, has no value),
 * compared with `threshold` by `op`. Several series of one metric for a container (interfaces,
 * devices) are summed by whoever reads them (the metric source).
 */
import type { Comparison } from './alert-rules-schema.js';
import type { AlertRule } from './alert-rules-file.js';

/** Who a container alert is about: its labels `container_id`, `name`, `image`. */
export interface ContainerIdentity {
  id: string;
  name: string;
  image: string;
}

/** One running container's metric values (name → value), as one scrape read them. */
export interface ContainerMetrics {
  container: ContainerIdentity;
  values: ReadonlyMap<string, number>;
}

/** Where metric rules get their values (berthd: its NodeMetrics). */
export interface MetricSource {
  read(): Promise<readonly ContainerMetrics[]>;
}

export interface MetricReading {
  container: ContainerIdentity;
  value: number;
}

export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '==': return value === threshold;
    case '!=': return value !== threshold;
  }
}

/** Evaluates metric rules; keeps each counter's previous reading for `rate` (in memory only: after a restart the first evaluation has no rate). */
export class MetricConditions {
  #previous = new Map<string, { value: number; atMs: number }>();

  /** The containers for which `rule` holds now, with its value. */
  evaluate(rule: AlertRule, containers: readonly ContainerMetrics[], nowMs: number): MetricReading[] {
    const out: MetricReading[] = [];
    for (const { container, values } of containers) {
      const value = this.#valueOf(rule, container, values, nowMs);
      if (value !== undefined && rule.op !== undefined && rule.threshold !== undefined && compare(value, rule.op, rule.threshold)) out.push({ container, value });
    }
    return out;
  }

  /** Forgets counters of containers no longer seen (call once per evaluation with every container). */
  forgetGone(containers: readonly ContainerMetrics[]): void {
    const ids = new Set(containers.map((c) => c.container.id));
    for (const key of this.#previous.keys()) if (!ids.has(key.slice(key.lastIndexOf('/') + 1))) this.#previous.delete(key);
  }

  #valueOf(rule: AlertRule, container: ContainerIdentity, values: ReadonlyMap<string, number>, nowMs: number): number | undefined {
    if (rule.metric === undefined) return undefined;
    let value = values.get(rule.metric);
    if (value === undefined) return undefined;
    if (rule.rate === true) {
      const key = `${rule.name}/${rule.metric}/${container.id}`;
      const before = this.#previous.get(key);
      this.#previous.set(key, { value, atMs: nowMs });
      if (before === undefined || nowMs <= before.atMs || value < before.value) return undefined;
      value = ((value - before.value) * 1000) / (nowMs - before.atMs);
    }
    if (rule.ratio_to === undefined) return value;
    const divisor = values.get(rule.ratio_to);
    return divisor === undefined || divisor === 0 ? undefined : value / divisor;
  }
}
