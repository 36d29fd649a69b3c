// A service as the cluster benchmarks follow it over the manager's unix socket (dockerd's and
// berthd's alike, through bench/docker-api-socket.ts): its replica count and its rolling update's
// state, polled every 50 ms until a condition holds, with the same code on both sides.
import { setTimeout as delay } from 'node:timers/promises';
import { getJson, serviceTasks, type ApiTask } from './docker-api-socket.js';

export const POLL_MS = 50;

/** A service as `GET /services/{name}` shows it (the fields the benchmarks read). */
export interface ApiService {
  ID: string;
  Spec: { Mode?: { Replicated?: { Replicas?: number } } };
  UpdateStatus?: { State?: string; StartedAt?: string; Message?: string };
}

/** The service's update state (`updating`, `completed`, `rollback_started`…), or `none`. */
export const updateState = (service: ApiService): string => service.UpdateStatus?.State ?? 'none';

/** The replicas its spec asks for (0 for a service that is not replicated). */
export const specReplicas = (service: ApiService): number => service.Spec.Mode?.Replicated?.Replicas ?? 0;

export const runningTasks = (tasks: readonly ApiTask[]): ApiTask[] => tasks.filter((t) => t.Status.State === 'running');

/** A condition on the service: true when reached, a string when it can no longer be (why), else false. */
export type ServiceCondition = (service: ApiService, tasks: readonly ApiTask[]) => boolean | string;

/**
 * Polls the service and its tasks (desired state running) on `socket` every 50 ms until `done`
 * holds; returns them then. Throws when `done` says why it cannot hold, or after `timeoutMs`
 * (naming the service's update state and its running tasks).
 */
export async function pollService(socket: string, name: string, done: ServiceCondition, timeoutMs: number): Promise<{ service: ApiService; tasks: ApiTask[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [service, tasks] = await Promise.all([getJson<ApiService>(socket, `/services/${encodeURIComponent(name)}`), serviceTasks(socket, name)]);
    const reached = done(service, tasks);
    if (reached === true) return { service, tasks };
    const state = `update ${updateState(service)}${service.UpdateStatus?.Message === undefined ? '' : ` (${service.UpdateStatus.Message})`}, ${runningTasks(tasks).length}/${specReplicas(service)} running`;
    if (typeof reached === 'string') throw new Error(`service ${name}: ${reached}: ${state}`);
    if (Date.now() > deadline) throw new Error(`service ${name}: not there after ${timeoutMs / 1000} s: ${state}`);
    await delay(POLL_MS);
  }
}
