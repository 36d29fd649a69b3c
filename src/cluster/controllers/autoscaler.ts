/**
 * The autoscaler (berth's; Kubernetes' HorizontalPodAutoscaler controller), which the leader runs
 * beside the control plane: every `periodMs` it reads the cluster, asks each node that runs tasks
 * of an autoscaled service what they use (`usageOf`, the nodes' `task-usage` route), and sets each
 * such service's replicas to the stabilized recommendation (scheduler/autoscale.ts) — a fenced,
 * revision-compared write of the service with its `autoscaleStatus`, the numbers behind the
 * change; the orchestrators then add or remove tasks, and the change is a `replicas` event in the
 * managers' event stream. The scale-down window's recommendations are kept in memory: a new
 * leader starts its window afresh, as Kubernetes' controller does. A node that does not answer
 * leaves its tasks unmeasured, which holds a scale-down back. A write that lost to another
 * (someone scaled meanwhile) is dropped; the next look decides again.
 */
import { isBerthError, messageOf } from '../../base/errors.js';
import { aborted, sleep } from '../../base/retry-backoff.js';
import type { Node } from '../objects/node.js';
import { serviceSchema, type Service } from '../objects/service.js';
import { decodeObject } from '../objects/stored-object.js';
import { recommendReplicas, stabilizedReplicas, type PastRecommendation, type TaskUsage } from '../scheduler/index.js';
import { putService } from './changes.js';
import { ClusterView } from './cluster-view.js';
import { ViewWriter } from './view-writer.js';
import type { ControlPlaneOptions } from './control-plane.js';

/** The leadership's context, as the control plane's. */
export interface AutoscalerOptions extends Pick<ControlPlaneOptions, 'store' | 'heartbeats' | 'fence' | 'signal' | 'clock' | 'timers'> {
  readonly log: (message: string) => void;
  /** What the running tasks of a node use now. */
  readonly usageOf: (node: Node) => Promise<readonly TaskUsage[]>;
  /** Between two looks (default 5 s; Kubernetes' is 15 s). */
  readonly periodMs?: number;
}

export const AUTOSCALE_PERIOD_MS = 5_000;

export async function runAutoscaler(options: AutoscalerOptions): Promise<void> {
  const history = new Map<string, PastRecommendation[]>();
  while (!aborted(options.signal)) {
    try {
      await autoscalePass(options, history);
    } catch (err) {
      if (aborted(options.signal)) return;
      if (!isBerthError(err, 'conflict')) options.log(`autoscaler: ${messageOf(err)}`);
    }
    await sleep(options.timers, options.periodMs ?? AUTOSCALE_PERIOD_MS, options.signal);
  }
}

/** One look: every autoscaled service decided, changed ones written (each its own commit). */
export async function autoscalePass(options: AutoscalerOptions, history: Map<string, PastRecommendation[]>): Promise<void> {
  const { store, heartbeats, fence, signal, clock, log } = options;
  // A quick look for autoscaled services: a value that does not parse is logged by ClusterView.read below (and by every control pass).
  const services = (await store.list('service')).items.map((item) => decodeObject(serviceSchema, item, () => undefined));
  if (!services.some((s) => s?.spec.autoscale !== undefined)) {
    history.clear();
    return;
  }
  const view = await ClusterView.read(store, heartbeats, log);
  const scaled = [...view.services.values()].filter((s) => s.spec.autoscale !== undefined && s.spec.mode.kind === 'replicated');
  for (const id of history.keys()) if (!scaled.some((s) => s.id === id)) history.delete(id);
  if (scaled.length === 0) return;
  const running = new Map(scaled.map((s) => [s.id, view.tasksOf(s.id).filter((t) => t.desiredState === 'running' && t.status.state === 'running')]));
  const usage = await measure(options, view, [...running.values()].flat().map((t) => t.nodeId ?? ''));
  const now = clock.now();
  const writer = new ViewWriter(store, fence, signal, view);
  for (const service of scaled) {
    const recommendation = recommendReplicas(service, running.get(service.id) ?? [], usage);
    if (recommendation === undefined || service.spec.mode.kind !== 'replicated') continue;
    const windowMs = (service.spec.autoscale?.scaleDownDelayNs ?? 0) / 1e6;
    const past = (history.get(service.id) ?? []).filter((h) => now.getTime() - h.atMs <= windowMs);
    const current = service.spec.mode.replicas;
    const replicas = stabilizedReplicas(current, recommendation.replicas, past, windowMs, now.getTime());
    history.set(service.id, [...past, { atMs: now.getTime(), replicas: recommendation.replicas }]);
    if (replicas === current) continue;
    const message = `${current} → ${replicas} replicas: ${recommendation.reason}`;
    log(`autoscaler: service ${service.spec.name}: ${message}`);
    await writer.commit([{ guard: [], units: [[putService(scaledTo(service, replicas, message, now))]] }]);
  }
}

function scaledTo(service: Service, replicas: number, message: string, now: Date): Service {
  return {
    ...service,
    updatedAt: now.toISOString(),
    spec: { ...service.spec, mode: { kind: 'replicated', replicas } },
    autoscaleStatus: { message, at: now.toISOString() },
  };
}

/** The usage of the tasks on the given nodes, by task id; a node that fails is logged and left out. */
async function measure(options: AutoscalerOptions, view: ClusterView, nodeIds: readonly string[]): Promise<Map<string, TaskUsage>> {
  const nodes = [...new Set(nodeIds)].flatMap((id) => { const node = view.nodes.get(id); return node === undefined ? [] : [node]; });
  const answers = await Promise.all(nodes.map(async (node) => {
    try {
      return await options.usageOf(node);
    } catch (err) {
      options.log(`autoscaler: node ${node.description.hostname}: ${messageOf(err)}`);
      return [];
    }
  }));
  return new Map(answers.flat().map((u) => [u.taskId, u]));
}
