import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import type { SwarmService, SwarmTask } from '../../wire/swarm.js';
import { waitForConvergence } from './service-converge.js';
import { JobRunJudge, jobProgressLines, jobRunView } from './service-job-progress.js';
import { waitForJobRun } from './service-job-wait.js';

const meta = { Version: { Index: 1 }, CreatedAt: '2026-01-02T03:04:05Z', UpdatedAt: '2026-01-02T03:04:05Z' };

function job(mode: SwarmService['Spec']['Mode'], iteration: number | undefined, policy: Partial<SwarmService['Spec']['TaskTemplate']['RestartPolicy']> = {}): SwarmService {
  return {
    ID: 'job1', ...meta, Endpoint: { Spec: { Mode: 'vip' } },
    ...(iteration === undefined ? {} : { JobStatus: { JobIteration: { Index: iteration } } }),
    Spec: {
      Name: 'batch', Labels: {}, Mode: mode, EndpointSpec: { Mode: 'vip' },
      TaskTemplate: {
        ContainerSpec: { Image: 'busybox' }, Resources: { Limits: {}, Reservations: {} },
        RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 0, Window: 0, ...policy }, Placement: {}, ForceUpdate: 0, Runtime: 'container',
      },
    },
  };
}

interface TaskFields { slot?: number; node?: string; state: string; err?: string; message?: string; desired?: string; run?: number; created?: string; id?: string }

function task(fields: TaskFields): SwarmTask {
  const created = fields.created ?? meta.CreatedAt;
  return {
    ID: fields.id ?? `t-${fields.slot ?? fields.node ?? ''}-${created}`, ...meta, CreatedAt: created, Labels: {}, Spec: job({ GlobalJob: {} }, 1).Spec.TaskTemplate, ServiceID: 'job1',
    // A job's slots count from 0; the API leaves Slot 0 out, as dockerd does.
    ...(fields.slot === undefined || fields.slot === 0 ? {} : { Slot: fields.slot }), ...(fields.node === undefined ? {} : { NodeID: fields.node }),
    Status: { Timestamp: created, State: fields.state, PortStatus: {}, ...(fields.err === undefined ? {} : { Err: fields.err }), ...(fields.message === undefined ? {} : { Message: fields.message }) },
    DesiredState: fields.desired ?? 'complete', JobIteration: { Index: fields.run ?? 2 },
  };
}

const four = job({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 4 } }, 2);
const later = '2026-01-02T03:04:09Z';
const noFit = 'no suitable node (insufficient memory on 3 nodes)';

test('a replicated job\'s run: only its current run\'s tasks count; one line per completion, the newest task standing for its slot', () => {
  const view = jobRunView(four, [
    task({ slot: 0, state: 'failed', err: 'exit 1', run: 1 }),
    task({ slot: 0, state: 'complete', message: 'finished' }),
    task({ slot: 1, state: 'failed', err: 'exit 1', desired: 'shutdown' }),
    task({ slot: 1, state: 'running', created: later }),
    task({ slot: 2, state: 'failed', err: 'task: non-zero exit (1)' }),
  ]);
  assert.deepEqual([view.iteration, view.total, view.completed, view.active, view.concurrent], [2, 4, 1, 1, 2]);
  assert.deepEqual(jobProgressLines(view).map((l) => l.text), [
    'job progress: 1 out of 4 complete',
    'active tasks: 1 out of 2 tasks',
    '1/4: complete  finished',
    '2/4: running',
    '3/4: failed    task: non-zero exit (1)',
    '4/4: new',
  ]);
  assert.deepEqual(view.slots.map((s) => [s.ended, s.final]), [[false, false], [false, false], [true, false], [false, false]]);
});

test('a global job\'s run: one line per node; more than 20 completions show only the slots going or ended', () => {
  const sweep = job({ GlobalJob: {} }, 2);
  const view = jobRunView(sweep, [task({ node: 'nodeaaaaaaaaaaaaaaa', state: 'complete' }), task({ node: 'nodebbbbbbbbbbbbbbb', state: 'starting' })]);
  assert.deepEqual(jobProgressLines(view).map((l) => l.text), ['job progress: 1 out of 2 complete', 'nodeaaaaaaaa: complete', 'nodebbbbbbbb: starting']);
  assert.deepEqual(jobProgressLines(jobRunView(sweep, [])).map((l) => l.text), ['job progress: waiting for tasks']);
  const many = jobRunView(job({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 50 } }, 2), [
    task({ slot: 0, state: 'complete' }), task({ slot: 1, state: 'running' }), task({ slot: 2, state: 'failed', err: 'exit 2' }),
  ]);
  assert.deepEqual(jobProgressLines(many).map((l) => l.text), ['job progress: 1 out of 50 complete', 'active tasks: 1 out of 2 tasks', '2/50: running', '3/50: failed    exit 2']);
});

test('the judge: complete when every completion is done; a task failed for good fails the run at once under restart condition none or with its attempts used up', () => {
  const done = jobRunView(four, [0, 1, 2, 3].map((slot) => task({ slot, state: 'complete' })));
  assert.deepEqual(new JobRunJudge(10_000).judge(done, 0), { kind: 'complete' });
  const none = job({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 2 } }, 2, { Condition: 'none' });
  assert.deepEqual(new JobRunJudge(10_000).judge(jobRunView(none, [task({ slot: 0, state: 'complete' }), task({ slot: 1, state: 'failed', err: 'exit 3' })]), 0),
    { kind: 'failed', reasons: ['2/2: failed: exit 3'] });
  const twice = job({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } }, 2, { MaxAttempts: 2 });
  const attempts = (n: number): SwarmTask[] => Array.from({ length: n }, (_, i) => task({ slot: 0, state: 'failed', err: 'exit 1', created: `2026-01-02T03:04:0${i}Z`, desired: i === n - 1 ? 'complete' : 'shutdown' }));
  assert.deepEqual(new JobRunJudge(10_000).judge(jobRunView(twice, attempts(2)), 0), { kind: 'waiting' }, 'a second attempt is due');
  assert.deepEqual(new JobRunJudge(10_000).judge(jobRunView(twice, attempts(3)), 0), { kind: 'failed', reasons: ['1/1: failed: exit 1'] });
});

test('the judge: an ended task that gets no successor for the restart delay and the grace period fails the run; a successor starts the wait afresh', () => {
  const judge = new JobRunJudge(10_000);
  const failed = jobRunView(four, [task({ slot: 0, state: 'running' }), task({ slot: 1, state: 'failed', err: 'exit 1', id: 'first' })]);
  assert.deepEqual(judge.judge(failed, 0), { kind: 'waiting' });
  assert.deepEqual(judge.judge(failed, 14_999), { kind: 'waiting' }, '5 s restart delay + 10 s grace');
  const replaced = jobRunView(four, [task({ slot: 0, state: 'running' }), task({ slot: 1, state: 'failed', err: 'exit 1', id: 'second', created: later })]);
  assert.deepEqual(judge.judge(replaced, 15_000), { kind: 'waiting' }, 'another task of the slot: its own wait');
  assert.deepEqual(judge.judge(replaced, 29_999), { kind: 'waiting' });
  assert.deepEqual(judge.judge(replaced, 30_000), { kind: 'failed', reasons: ['2/4: failed: exit 1'] });
});

test('the judge: stalled once every task going has been pending with a reason for the grace period; a global job\'s run without tasks likewise', () => {
  const judge = new JobRunJudge(10_000);
  const stuck = jobRunView(four, [task({ slot: 0, state: 'pending', err: noFit }), task({ slot: 1, state: 'pending', err: noFit })]);
  assert.deepEqual(judge.judge(stuck, 0), { kind: 'waiting' });
  const moving = jobRunView(four, [task({ slot: 0, state: 'pending', err: noFit }), task({ slot: 1, state: 'running' })]);
  assert.deepEqual(judge.judge(moving, 5_000), { kind: 'waiting' });
  assert.deepEqual(judge.judge(stuck, 6_000), { kind: 'waiting' });
  assert.deepEqual(judge.judge(stuck, 16_000), { kind: 'stalled', reasons: [`1/4: pending: ${noFit}`, `2/4: pending: ${noFit}`] });
  const empty = new JobRunJudge(10_000);
  const none = jobRunView(job({ GlobalJob: {} }, 1), []);
  assert.deepEqual(empty.judge(none, 0), { kind: 'waiting' });
  assert.deepEqual(empty.judge(none, 10_000), { kind: 'stalled', reasons: ['run 1 has no task: no node was eligible when it started'] });
});

/** A fake cluster showing `service` and one list of tasks per look (the last one repeated). */
function looks(service: SwarmService | SwarmService[], rounds: SwarmTask[][]): { listServices: () => Promise<SwarmService[]>; listTasks: () => Promise<SwarmTask[]> } {
  let look = 0;
  let serviceLook = 0;
  const services = Array.isArray(service) ? service : [service];
  return {
    listServices: () => Promise.resolve([services[Math.min(serviceLook++, services.length - 1)] ?? services[0] as SwarmService]),
    listTasks: () => Promise.resolve(rounds[Math.min(look++, rounds.length - 1)] ?? []),
  };
}

test('waiting for a job: create and scale wait until the run is complete, or fail with the failed tasks\' errors', async () => {
  let clock = 0;
  const out: string[] = [];
  const options = { out: { write: (t: string) => out.push(t) }, tty: false, now: () => clock, sleep: (ms: number) => { clock += ms; return Promise.resolve(); } };
  const two = job({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 2 } }, 1);
  const run = (fields: TaskFields): SwarmTask => task({ ...fields, run: 1 });
  // The first look is waitForConvergence's, which hands a job on to waitForJobRun.
  await waitForConvergence(looks(two, [[], [run({ slot: 0, state: 'running' })], [run({ slot: 0, state: 'complete' }), run({ slot: 1, state: 'running' })], [run({ slot: 0, state: 'complete' }), run({ slot: 1, state: 'complete' })]]), 'job1', options);
  assert.equal(out.join(''), [
    'job progress: 0 out of 2 complete', 'active tasks: 1 out of 1 tasks', '1/2: running', '2/2: new',
    'job progress: 1 out of 2 complete', '1/2: complete', '2/2: running',
    'job progress: 2 out of 2 complete', 'active tasks: 0 out of 0 tasks', '2/2: complete',
    'job complete: batch (run 1)', '',
  ].join('\n'));
  const none = job({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } }, 1, { Condition: 'none' });
  await assert.rejects(waitForJobRun(looks(none, [[run({ slot: 0, state: 'failed', err: 'task: non-zero exit (3)' })]]), 'job1', { ...options, graceMs: 10_000 }),
    (err: unknown) => isBerthError(err, 'failed-precondition') && err.reason === 'job-failed' && err.message.includes('run 1 failed: a task ended without completing') && err.message.includes('1/1: failed: task: non-zero exit (3)'));
  clock = 0;
  const slow = looks(none, [[run({ slot: 0, state: 'running' })]]);
  await assert.rejects(waitForJobRun(slow, 'job1', { ...options, graceMs: 10_000, timeoutMs: 3_000 }), /0 of 1 tasks complete after the timeout/);
});

test('waiting for a job: a scheduled one is not waited for; a run superseded meanwhile fails the wait', async () => {
  const out: string[] = [];
  const options = { out: { write: (t: string) => out.push(t) }, tty: false, sleep: () => Promise.resolve(), graceMs: 10_000 };
  const scheduled = job({ GlobalJob: {} }, 0);
  scheduled.Spec.Labels = { 'berth.job.schedule': '*/5 * * * *' };
  await waitForJobRun(looks(scheduled, [[]]), 'job1', options);
  assert.equal(out.join(''), 'job batch is scheduled ("*/5 * * * *", UTC): its runs start on the schedule (see \'berth service ps batch\')\n');
  const first = job({ GlobalJob: {} }, 1);
  await assert.rejects(waitForJobRun(looks([first, job({ GlobalJob: {} }, 2)], [[task({ node: 'n1', state: 'running', run: 1 })]]), 'job1', options),
    (err: unknown) => isBerthError(err, 'failed-precondition') && /run 1 was superseded by run 2/.test(err.message));
});
