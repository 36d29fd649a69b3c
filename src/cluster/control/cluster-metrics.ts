/**
 * The cluster's Prometheus series, in a registry of their own that berthd serves beside its
 * other metrics while this node is a member (`ClusterNode.metricsRegistries`):
 *
 *   berth_cluster_nodes{role,status,availability}        managers: nodes, read at scrape time
 *   berth_cluster_service_desired_tasks{service}          managers: per service name, at scrape time
 *   berth_cluster_service_running_tasks{service}          managers: tasks whose current state is running
 *   berth_cluster_scheduling_duration_seconds             the leader: a task's creation → its assignment
 *   berth_cluster_leader                                  1 while this node leads the control plane
 *   berth_cluster_leader_changes_total                    leadership gained or lost by this node
 *   berth_cluster_etcd_request_duration_seconds{operation} this node's etcd calls (store/etcd-call-timing.ts)
 *
 * Nothing runs between scrapes: the state gauges read the store when a scrape asks (one listing
 * of nodes, services and tasks, shared by the three gauges of one scrape); the rest are set
 * where things happen. A scrape whose read fails shows no state series (and logs the failure
 * once, until a read succeeds again).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { messageOf } from '../../base/errors.js';
import { nodeSchema, type Node } from '../objects/node.js';
import { serviceSchema, type Service } from '../objects/service.js';
import { decodeObject } from '../objects/stored-object.js';
import { taskSchema, type Task } from '../objects/task.js';
import type { ClusterStore, StoredObject } from '../store/cluster-store.js';
import type { EtcdCallTiming } from '../store/etcd-call-timing.js';
import { countNodes, countServiceTasks } from './cluster-series.js';

/** What the state gauges show: the cluster's nodes, services and tasks as a manager reads them. */
export interface ClusterState {
  readonly nodes: readonly Node[];
  readonly services: readonly Service[];
  readonly tasks: readonly Task[];
}

/** The nodes, services and tasks in the store (a value that does not parse is left out, with a log line). */
export async function readClusterState(store: ClusterStore, log: (message: string) => void): Promise<ClusterState> {
  const [nodes, services, tasks] = await Promise.all([store.list('node'), store.list('service'), store.list('task')]);
  const decodeAll = <T>(items: readonly StoredObject[], decode: (item: StoredObject) => T | undefined): T[] =>
    items.map(decode).filter((object): object is T => object !== undefined);
  return {
    nodes: decodeAll(nodes.items, (item) => decodeObject(nodeSchema, item, log)),
    services: decodeAll(services.items, (item) => decodeObject(serviceSchema, item, log)),
    tasks: decodeAll(tasks.items, (item) => decodeObject(taskSchema, item, log)),
  };
}

export class ClusterMetrics {
  readonly registry = new Registry();
  /** For the store's etcd client: each call's time, by operation. */
  readonly etcdTiming: EtcdCallTiming;
  readonly #leader: Gauge;
  readonly #leaderChanges: Counter;
  readonly #scheduling: Histogram;
  #read: (() => Promise<ClusterState>) | undefined;
  #reading: Promise<ClusterState | undefined> | undefined;
  #failing = false;

  constructor(private readonly log: (message: string) => void, now: () => number = () => performance.now()) {
    const registers = [this.registry];
    const nodes = new Gauge({
      name: 'berth_cluster_nodes', help: 'Nodes of the cluster by role, status and availability (managers only)',
      labelNames: ['role', 'status', 'availability'], registers,
      collect: async () => {
        const state = await this.#state();
        nodes.reset();
        if (state === undefined) return;
        for (const { count, ...labels } of countNodes(state.nodes)) nodes.set(labels, count);
      },
    });
    const desired = new Gauge({
      name: 'berth_cluster_service_desired_tasks', help: 'Tasks each service wants, as `service ls` counts them (managers only)',
      labelNames: ['service'], registers,
      collect: async () => { await this.#serviceGauge(desired, 'desired'); },
    });
    const running = new Gauge({
      name: 'berth_cluster_service_running_tasks', help: 'Tasks of each service whose current state is running (managers only)',
      labelNames: ['service'], registers,
      collect: async () => { await this.#serviceGauge(running, 'running'); },
    });
    this.#scheduling = new Histogram({
      name: 'berth_cluster_scheduling_duration_seconds', help: 'Time from a task\'s creation to its assignment to a node (observed on the leader)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers,
    });
    this.#leader = new Gauge({ name: 'berth_cluster_leader', help: 'Whether this node leads the control plane (1) or not (0)', registers });
    this.#leaderChanges = new Counter({ name: 'berth_cluster_leader_changes_total', help: 'Times this node gained or lost the leadership of the control plane', registers });
    const etcd = new Histogram({
      name: 'berth_cluster_etcd_request_duration_seconds', help: 'This node\'s etcd calls (streams excepted) by operation, retries included',
      labelNames: ['operation'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers,
    });
    this.etcdTiming = { now, observe: (operation, seconds) => { etcd.observe({ operation }, seconds); } };
  }

  /** While this node is a manager: how a scrape reads the cluster's state; undefined once it is not (no state series then). */
  readFrom(read: (() => Promise<ClusterState>) | undefined): void {
    this.#read = read;
  }

  /** This node gained (true) or lost (false) the leadership of the control plane. */
  leadership(leading: boolean): void {
    this.#leader.set(leading ? 1 : 0);
    this.#leaderChanges.inc();
  }

  /** A task's assignment landed `seconds` after the task was made. */
  scheduled(seconds: number): void {
    this.#scheduling.observe(seconds);
  }

  async #serviceGauge(gauge: Gauge<'service'>, which: 'desired' | 'running'): Promise<void> {
    const state = await this.#state();
    gauge.reset();
    if (state === undefined) return;
    for (const counts of countServiceTasks(state.services, state.tasks)) gauge.set({ service: counts.service }, counts[which]);
  }

  /** The state for the gauges of one scrape: one read shared by the gauges that ask while it runs; undefined when not a manager or the read failed. */
  #state(): Promise<ClusterState | undefined> {
    const read = this.#read;
    if (read === undefined) return Promise.resolve(undefined);
    this.#reading ??= read().then((state) => {
      if (this.#failing) this.log('cluster: metrics: reading the cluster state works again');
      this.#failing = false;
      return state;
    }, (err: unknown) => {
      // A scrape goes on without the state series; the failure is logged once per run of failures.
      if (!this.#failing) this.log(`cluster: metrics: reading the cluster state failed (its series are left out until it works): ${messageOf(err)}`);
      this.#failing = true;
      return undefined;
    }).finally(() => { this.#reading = undefined; });
    return this.#reading;
  }
}
