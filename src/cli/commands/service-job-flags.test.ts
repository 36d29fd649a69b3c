import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import type { SwarmServiceSpec } from '../../wire/swarm.js';
import { PROGRAM } from '../main.js';
import { parseArgs } from '../args/parse-args.js';
import { argOf, argsOf, flagsOf } from '../args/command-spec.js';
import { serviceSpecFromFlags, type ServiceCreateFlags } from './service-flags.js';
import { applyUpdateFlags, type ServiceUpdateFlags } from './service-update-flags.js';
import { scaledMode } from './service-scale.js';
import { CONCURRENCY_LABEL, HISTORY_LABEL, SCHEDULE_LABEL } from '../../wire/swarm-labels.js';
import { modeName, slotCount } from './service-job-mode.js';

/** `berth service create …` parsed as the CLI parses it, then converted. */
function specOf(...argv: string[]): ReturnType<typeof serviceSpecFromFlags> {
  const parsed = parseArgs(PROGRAM, ['service', 'create', ...argv]);
  if (parsed.kind !== 'run') throw new Error('not a run');
  const { args, options } = parsed.invocation;
  return serviceSpecFromFlags(argOf(args, 'image'), argsOf(args, 'command'), flagsOf<ServiceCreateFlags>(options), {});
}

/** The message of the invalid-argument error `work` throws. */
function refusal(work: () => unknown): string {
  try {
    work();
  } catch (err) {
    assert.ok(isBerthError(err, 'invalid-argument'), String(err));
    return err.message;
  }
  return assert.fail('expected a refusal');
}

test('--mode replicated-job: --replicas is TotalCompletions, --max-concurrent defaults to it (as the docker CLI); global-job has neither', () => {
  assert.deepEqual(specOf('--mode', 'replicated-job', '--replicas', '4', 'busybox').Mode, { ReplicatedJob: { MaxConcurrent: 4, TotalCompletions: 4 } });
  assert.deepEqual(specOf('--mode', 'replicated-job', '--replicas', '4', '--max-concurrent', '2', 'busybox').Mode, { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 4 } });
  assert.deepEqual(specOf('--mode', 'replicated-job', '--max-concurrent', '3', 'busybox').Mode, { ReplicatedJob: { MaxConcurrent: 3, TotalCompletions: 3 } }, 'berthd\'s default: completions as the concurrency');
  assert.deepEqual(specOf('--mode', 'replicated-job', 'busybox').Mode, { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } });
  assert.deepEqual(specOf('--mode', 'global-job', 'busybox').Mode, { GlobalJob: {} });
  assert.deepEqual(specOf('--mode', 'replicated-job', '--replicas-max-per-node', '1', 'busybox').TaskTemplate?.Placement, { MaxReplicas: 1 });
});

test('wrong mode combinations are refused naming the flag', () => {
  const refused: [string[], RegExp][] = [
    [['--max-concurrent', '2'], /^--max-concurrent 2: only a replicated job \(--mode replicated-job\)/],
    [['--mode', 'global', '--max-concurrent', '2'], /^--max-concurrent 2: only a replicated job/],
    [['--mode', 'global-job', '--max-concurrent', '2'], /^--max-concurrent 2: only a replicated job/],
    [['--mode', 'global-job', '--replicas', '2'], /^--replicas 2: only a replicated service or job has replicas/],
    [['--mode', 'global-job', '--replicas-max-per-node', '1'], /^--replicas-max-per-node 1: only a replicated service or job/],
    [['--mode', 'replicated-job', '--replicas', '0'], /^--replicas 0: a replicated job needs at least 1/],
    [['--mode', 'replicated-job', '--max-concurrent', '0'], /^--max-concurrent 0: a replicated job needs at least 1/],
    [['--mode', 'replicated-job', '--max-concurrent', 'two'], /^--max-concurrent two: want a whole number/],
    [['--mode', 'replicated-job', '--update-parallelism', '2'], /^--update-parallelism 2: update and rollback configuration is not supported for jobs/],
    [['--mode', 'global-job', '--rollback-failure-action', 'continue'], /^--rollback-failure-action continue: update and rollback configuration is not supported for jobs/],
  ];
  for (const [flags, message] of refused) assert.match(refusal(() => specOf(...flags, 'busybox')), message, flags.join(' '));
});

test('--schedule, --schedule-concurrency and --schedule-history become the job\'s schedule labels, beside its own', () => {
  const spec = specOf('--mode', 'replicated-job', '-l', 'team=a', '--schedule', '*/5 * * * *', '--schedule-concurrency', 'replace', '--schedule-history', '5', 'busybox');
  assert.deepEqual(spec.Labels, { team: 'a', [SCHEDULE_LABEL]: '*/5 * * * *', [CONCURRENCY_LABEL]: 'replace', [HISTORY_LABEL]: '5' });
  assert.deepEqual(specOf('--mode', 'global-job', '--schedule', '@hourly', 'busybox').Labels, { [SCHEDULE_LABEL]: '@hourly' });
  assert.deepEqual(specOf('--mode', 'global-job', '--schedule', '0 30 2 * * 1', 'busybox').Labels, { [SCHEDULE_LABEL]: '0 30 2 * * 1' }, 'six fields: seconds first');
  const refused: [string[], RegExp][] = [
    [['--schedule', '@hourly'], /^--schedule @hourly: only a job \(--mode replicated-job or global-job\) runs on a schedule/],
    [['--mode', 'global', '--schedule-history', '2'], /^--schedule-history 2: only a job/],
    [['--mode', 'global-job', '--schedule-concurrency', 'allow'], /^--schedule-concurrency allow: only a scheduled job takes it \(give --schedule too\)/],
    [['--mode', 'global-job', '--schedule', '* * *'], /^--schedule "\* \* \*": want a cron expression of 5 fields .* not 3 fields/],
    [['--mode', 'global-job', '--schedule', '@hourly', '--schedule-concurrency', 'queue'], /^--schedule-concurrency queue: want forbid, replace, allow/],
    [['--mode', 'global-job', '--schedule', '@hourly', '--schedule-history', '101'], /^--schedule-history 101: want at most 100/],
  ];
  for (const [flags, message] of refused) assert.match(refusal(() => specOf(...flags, 'busybox')), message, flags.join(' '));
});

const JOB: SwarmServiceSpec = {
  Name: 'batch',
  Labels: {},
  TaskTemplate: {
    ContainerSpec: { Image: 'busybox' }, Resources: { Limits: {}, Reservations: {} },
    RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 0, Window: 0 }, Placement: {}, ForceUpdate: 0, Runtime: 'container',
  },
  Mode: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 4 } },
  EndpointSpec: { Mode: 'vip' },
  UpdateConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
  RollbackConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
};

const update = (spec: SwarmServiceSpec, over: Partial<ServiceUpdateFlags>): ReturnType<typeof applyUpdateFlags> =>
  applyUpdateFlags(spec, { envAdd: [], envRm: [], publishAdd: [], publishRm: [], ...over }, {});

test('service update of a job: --replicas sets its completions, --max-concurrent its concurrency, the schedule flags its labels', () => {
  assert.deepEqual(update(JOB, { replicas: '6' }).spec.Mode, { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 6 } });
  assert.deepEqual(update(JOB, { maxConcurrent: '3' }).spec.Mode, { ReplicatedJob: { MaxConcurrent: 3, TotalCompletions: 4 } });
  const scheduled = update(JOB, { schedule: '0 3 * * *' });
  assert.deepEqual([scheduled.changed, scheduled.spec.Labels], [true, { [SCHEDULE_LABEL]: '0 3 * * *' }]);
  const history = update({ ...JOB, Labels: { [SCHEDULE_LABEL]: '@daily' } }, { scheduleHistory: '0' });
  assert.deepEqual(history.spec.Labels, { [SCHEDULE_LABEL]: '@daily', [HISTORY_LABEL]: '0' }, 'a scheduled job\'s history alone');
  const global = { ...JOB, Mode: { GlobalJob: {} } } satisfies SwarmServiceSpec;
  const service = { ...JOB, Mode: { Replicated: { Replicas: 2 } } } satisfies SwarmServiceSpec;
  assert.match(refusal(() => update(global, { replicas: '2' })), /^--replicas 2: only a replicated service or job has replicas/);
  assert.match(refusal(() => update(global, { maxConcurrent: '2' })), /^--max-concurrent 2: only a replicated job/);
  assert.match(refusal(() => update(service, { maxConcurrent: '2' })), /^--max-concurrent 2: only a replicated job/);
  assert.match(refusal(() => update(JOB, { replicas: '0' })), /^--replicas 0: a replicated job needs at least 1/);
  assert.match(refusal(() => update(JOB, { scheduleConcurrency: 'allow' })), /^--schedule-concurrency allow: only a scheduled job takes it/);
  assert.match(refusal(() => update(service, { schedule: '@daily' })), /^--schedule @daily: only a job/);
  assert.match(refusal(() => update(JOB, { updateDelay: '5s' })), /^--update-delay 5s: update and rollback configuration is not supported for jobs/);
  assert.deepEqual(update(service, { replicas: '3' }).spec.Mode, { Replicated: { Replicas: 3 } });
});

test('service scale: a replicated job\'s completions (at least 1); the global modes are refused', () => {
  assert.deepEqual(scaledMode({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 4 } }, 10, 'batch'), { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 10 } });
  assert.deepEqual(scaledMode({ Replicated: { Replicas: 1 } }, 0, 'web'), { Replicated: { Replicas: 0 } });
  assert.match(refusal(() => scaledMode({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } }, 0, 'batch')), /batch: a replicated job needs at least 1 completion/);
  assert.match(refusal(() => scaledMode({ GlobalJob: {} }, 2, 'sweep')), /sweep: scale can only be used with replicated or replicated-job mode \(a global job runs one task per node\)/);
  assert.match(refusal(() => scaledMode({ Global: {} }, 2, 'agent')), /agent: scale can only be used with replicated or replicated-job mode/);
});

test('mode names as the docker CLI prints them; slots of the replicated modes', () => {
  assert.deepEqual([{ Replicated: { Replicas: 3 } }, { Global: {} }, { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 12 } }, { GlobalJob: {} }].map((m) => [modeName(m), slotCount(m)]),
    [['replicated', 3], ['global', undefined], ['replicated job', 12], ['global job', undefined]]);
});
