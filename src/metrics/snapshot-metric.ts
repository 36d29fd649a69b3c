/**
 * prom-client metrics whose series are replaced whole at each scrape. prom-client's own Counter
 * and Gauge accept only the label names declared up front, but cAdvisor's series carry one label
 * per container label (`container_label_*`), different for each container; these take any labels
 * and leave the text format (escaping, types, HELP) to prom-client.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** Series as prom-client's `get` returns them (`sharedLabels`, rendered after `labels`, may be added). */
type Series = Awaited<ReturnType<Gauge['get']>>['values'];

export interface SnapshotMetric {
  /** The series to expose until the next `load`. */
  load(series: Series): void;
}

class SnapshotGauge extends Gauge implements SnapshotMetric {
  #series: Series = [];

  load(series: Series): void {
    this.#series = series;
  }

  override async get(): ReturnType<Gauge['get']> {
    return { ...(await super.get()), values: this.#series };
  }
}

class SnapshotCounter extends Counter implements SnapshotMetric {
  #series: Series = [];

  load(series: Series): void {
    this.#series = series;
  }

  override async get(): ReturnType<Counter['get']> {
    return { ...(await super.get()), values: this.#series };
  }
}

/** A counter or gauge registered on `registry` whose series are given by `load`. */
export function snapshotMetric(kind: 'counter' | 'gauge', name: string, help: string, registry: Registry): SnapshotMetric {
  const config = { name, help, registers: [registry] };
  return kind === 'counter' ? new SnapshotCounter(config) : new SnapshotGauge(config);
}
