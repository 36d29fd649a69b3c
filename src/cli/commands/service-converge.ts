/**
 * Waits until every task of a service runs, as `docker service create` (without `--detach`) and
 * `docker service scale` do: polls the service (`GET /services?status=true`) and its tasks
 * (`GET /tasks?filters={"service":[id]}`), showing progress per slot.
 *
 * It gives up — failed-precondition, the service left as it is — when every slot that is not
 * running has been blocked for `graceMs` (default 10 s) without a break: its task pending with
 * the scheduler's reason ("no suitable node …"), or stopped for good under restart condition
 * none. The reasons are in the error's message. With `timeoutMs` it also gives up when the
 * service has not converged by then. A job is waited for until its current run ends instead
 * (service-job-wait.ts). Clock and sleep are injected for tests.
 */
import { errors } from '../../base/errors.js';
import type { ClusterClient } from '../../client/cluster-client.js';
import type { TextSink } from '../progress-renderer.js';
import { ProgressBlock } from './service-progress-block.js';
import { waitForJobRun } from './service-job-wait.js';
import { isJob } from './service-job-mode.js';
import { ConvergeJudge, convergeView, progressLines } from './service-progress.js';

export interface ConvergeOptions {
  /** Where progress goes (the CLI: stderr). */
  out: TextSink;
  /** Redraw in place (a terminal) or write changed lines. */
  tty: boolean;
  /** Milliseconds since some origin (default Date.now). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Between two looks (default 500 ms). */
  intervalMs?: number;
  /** How long every unready slot must stay blocked before giving up (default 10 s). */
  graceMs?: number;
  /** Give up after this long whatever the tasks do (default: no limit). */
  timeoutMs?: number;
}

export const DEFAULT_STALL_GRACE_MS = 10_000;

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when every task of service `id` runs (a job: when its run is complete); see the module comment for when it gives up. */
export async function waitForConvergence(cluster: Pick<ClusterClient, 'listServices' | 'listTasks'>, id: string, options: ConvergeOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? pause;
  const judge = new ConvergeJudge(options.graceMs ?? DEFAULT_STALL_GRACE_MS);
  const block = new ProgressBlock(options.out, options.tty);
  const started = now();
  for (;;) {
    const [services, tasks] = await Promise.all([cluster.listServices({ id: [id] }, true), cluster.listTasks({ service: [id] })]);
    const service = services.find((s) => s.ID === id);
    if (service === undefined) throw errors.notFound('service-not-found', `service ${id} was removed while waiting for its tasks`);
    if (isJob(service.Spec.Mode)) return waitForJobRun(cluster, id, { ...options, graceMs: options.graceMs ?? DEFAULT_STALL_GRACE_MS });
    const view = convergeView(service, tasks);
    block.render(progressLines(view));
    const outcome = judge.judge(view, now());
    const name = service.Spec.Name;
    if (outcome.kind === 'converged') {
      options.out.write(`verify: Service ${name} converged\n`);
      return;
    }
    if (outcome.kind === 'stalled') {
      throw errors.failedPrecondition('service-not-converging', `service ${name} cannot run all its tasks (it stays; see 'berth service ps ${name}'):\n  ${outcome.reasons.join('\n  ')}`);
    }
    if (options.timeoutMs !== undefined && now() - started >= options.timeoutMs) {
      throw errors.failedPrecondition('converge-timeout', `service ${name}: ${view.running} of ${view.desired} tasks running after the timeout (it stays; see 'berth service ps ${name}')`);
    }
    await sleep(options.intervalMs ?? 500);
  }
}
