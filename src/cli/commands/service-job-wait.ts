/**
 * Waits until a job's current run ends, as `docker service create` (without `--detach`) does for
 * a job: polls the service and its tasks, showing the run's progress (service-job-progress.ts),
 * and resolves when every completion is done. It rejects (failed-precondition; the job stays and
 * its other tasks go on) when a task of the run failed for good, when every task still going has
 * been blocked for the grace period, when the run is superseded by another (someone updated the
 * job), or after `timeoutMs`. A scheduled job is not waited for: creating or updating one starts
 * no run, so it says so and returns. Clock and sleep are injected for tests.
 */
import { errors } from '../../base/errors.js';
import type { ClusterClient } from '../../client/cluster-client.js';
import type { SwarmService } from '../../wire/swarm.js';
import type { TextSink } from '../progress-renderer.js';
import { ProgressBlock } from './service-progress-block.js';
import { scheduleOf } from './service-job-mode.js';
import { JobRunJudge, jobProgressLines, jobRunView } from './service-job-progress.js';

/** As service-converge.ts's options (it hands them on). */
export interface JobWaitOptions {
  out: TextSink;
  tty: boolean;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Between two looks (default 500 ms). */
  intervalMs?: number;
  /** How long a task may stay ended past its restart delay, or every task going stay blocked, before giving up. */
  graceMs: number;
  timeoutMs?: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The line said instead of waiting for a scheduled job; undefined for one that runs now. */
export function scheduledNote(service: SwarmService): string | undefined {
  const schedule = scheduleOf(service.Spec.Labels);
  if (schedule === undefined) return undefined;
  const name = service.Spec.Name;
  return `job ${name} is scheduled ("${schedule.cron}", UTC): its runs start on the schedule (see 'berth service ps ${name}')\n`;
}

/** Resolves when the current run of job `id` is complete; see the module comment for when it gives up. */
export async function waitForJobRun(cluster: Pick<ClusterClient, 'listServices' | 'listTasks'>, id: string, options: JobWaitOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? pause;
  const judge = new JobRunJudge(options.graceMs);
  const block = new ProgressBlock(options.out, options.tty);
  const started = now();
  let iteration: number | undefined;
  for (;;) {
    const [services, tasks] = await Promise.all([cluster.listServices({ id: [id] }, true), cluster.listTasks({ service: [id] })]);
    const service = services.find((s) => s.ID === id);
    if (service === undefined) throw errors.notFound('service-not-found', `job ${id} was removed while waiting for its run`);
    const name = service.Spec.Name;
    const note = scheduledNote(service);
    if (note !== undefined) {
      options.out.write(note);
      return;
    }
    const view = jobRunView(service, tasks);
    if (iteration !== undefined && view.iteration !== iteration) {
      throw errors.failedPrecondition('job-run-superseded', `job ${name}: run ${iteration} was superseded by run ${view.iteration} (the job was updated meanwhile; see 'berth service ps ${name}')`);
    }
    if (view.iteration > 0) iteration = view.iteration;
    block.render(jobProgressLines(view));
    const outcome = judge.judge(view, now());
    switch (outcome.kind) {
      case 'complete':
        options.out.write(`job complete: ${name} (run ${view.iteration})\n`);
        return;
      case 'failed':
        throw errors.failedPrecondition('job-failed', `job ${name}: run ${view.iteration} failed: ${outcome.reasons.length === 1 ? 'a task' : `${outcome.reasons.length} tasks`} ended without completing and will not run again (the job stays; see 'berth service ps ${name}'):\n  ${outcome.reasons.join('\n  ')}`);
      case 'stalled':
        throw errors.failedPrecondition('job-not-progressing', `job ${name}: run ${view.iteration} cannot go on (the job stays; see 'berth service ps ${name}'):\n  ${outcome.reasons.join('\n  ')}`);
      case 'waiting':
        break;
    }
    if (options.timeoutMs !== undefined && now() - started >= options.timeoutMs) {
      throw errors.failedPrecondition('converge-timeout', `job ${name}: ${view.completed} of ${view.total} tasks complete after the timeout (it stays; see 'berth service ps ${name}')`);
    }
    await sleep(options.intervalMs ?? 500);
  }
}
