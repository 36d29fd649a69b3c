import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SwarmService, SwarmTask } from '../../wire/swarm.js';
import { ConvergeJudge, convergeView, progressLines } from './service-progress.js';
import { ProgressBlock } from './service-progress-block.js';
import { waitForConvergence } from './service-converge.js';

const meta = { Version: { Index: 1 }, CreatedAt: '2026-01-02T03:04:05Z', UpdatedAt: '2026-01-02T03:04:05Z' };

function service(mode: SwarmService['Spec']['Mode'], condition = 'any'): SwarmService {
  return {
    ID: 'svc1', ...meta, Endpoint: { Spec: { Mode: 'vip' } },
    Spec: {
      Name: 'web', Labels: {}, Mode: mode, EndpointSpec: { Mode: 'vip' },
      TaskTemplate: {
        ContainerSpec: { Image: 'nginx' }, Resources: { Limits: {}, Reservations: {} },
        RestartPolicy: { Condition: condition, Delay: 5e9, MaxAttempts: 0, Window: 0 }, Placement: {}, ForceUpdate: 0, Runtime: 'container',
      },
    },
  };
}

function task(fields: { slot?: number; node?: string; state: string; err?: string; message?: string; desired?: string; version?: number }): SwarmTask {
  const base = service({ Replicated: { Replicas: 1 } });
  return {
    ID: `t-${fields.slot ?? fields.node ?? ''}-${fields.version ?? 1}`, ...meta, Version: { Index: fields.version ?? 1 }, Labels: {}, Spec: base.Spec.TaskTemplate, ServiceID: 'svc1',
    ...(fields.slot === undefined ? {} : { Slot: fields.slot }), ...(fields.node === undefined ? {} : { NodeID: fields.node }),
    Status: { Timestamp: meta.CreatedAt, State: fields.state, PortStatus: {}, ...(fields.err === undefined ? {} : { Err: fields.err }), ...(fields.message === undefined ? {} : { Message: fields.message }) },
    DesiredState: fields.desired ?? 'running',
  };
}

const replicated3 = service({ Replicated: { Replicas: 3 } });
const noFit = 'no suitable node (insufficient memory on 3 nodes)';

test('progress per slot: the newest task meant to run stands for its slot; a pending task shows the scheduler\'s reason', () => {
  const view = convergeView(replicated3, [
    task({ slot: 1, state: 'failed', err: 'exit 1', desired: 'shutdown', version: 1 }),
    task({ slot: 1, state: 'running', version: 4 }),
    task({ slot: 2, state: 'pending', err: noFit }),
  ]);
  assert.equal(view.running, 1);
  assert.equal(view.desired, 3);
  assert.deepEqual(progressLines(view).map((l) => l.text), [
    'overall progress: 1 out of 3 tasks',
    '1/3: running',
    `2/3: pending   ${noFit}`,
    '3/3: new',
  ]);
});

test('a global service has one line per node', () => {
  const view = convergeView(service({ Global: {} }), [task({ node: 'nodeaaaaaaaaaaaaaaa', state: 'running' }), task({ node: 'nodebbbbbbbbbbbbbbb', state: 'starting' })]);
  assert.deepEqual(progressLines(view).map((l) => l.text), ['overall progress: 1 out of 2 tasks', 'nodeaaaaaaaa: running', 'nodebbbbbbbb: starting']);
});

test('the judge: converged when all run; stalled once every unready slot has been blocked for the grace period', () => {
  const judge = new ConvergeJudge(10_000);
  const stuck = convergeView(replicated3, [task({ slot: 1, state: 'running' }), task({ slot: 2, state: 'pending', err: noFit }), task({ slot: 3, state: 'pending', message: 'pending task scheduling' })]);
  assert.deepEqual(judge.judge(stuck, 0), { kind: 'waiting' });
  assert.deepEqual(judge.judge(stuck, 9_999), { kind: 'waiting' });
  const moving = convergeView(replicated3, [task({ slot: 1, state: 'running' }), task({ slot: 2, state: 'pending', err: noFit }), task({ slot: 3, state: 'starting' })]);
  assert.deepEqual(judge.judge(moving, 10_000), { kind: 'waiting' }, 'a slot making progress resets the grace period');
  assert.deepEqual(judge.judge(stuck, 11_000), { kind: 'waiting' });
  assert.deepEqual(judge.judge(stuck, 21_000), { kind: 'stalled', reasons: [`2/3: pending: ${noFit}`, '3/3: pending: pending task scheduling'] });
  const done = convergeView(replicated3, [1, 2, 3].map((slot) => task({ slot, state: 'running' })));
  assert.deepEqual(new ConvergeJudge(10_000).judge(done, 0), { kind: 'converged' });
  const failedForGood = convergeView(service({ Replicated: { Replicas: 1 } }, 'none'), [task({ slot: 1, state: 'failed', err: 'exit 1' })]);
  const judgeNone = new ConvergeJudge(0);
  assert.deepEqual(judgeNone.judge(failedForGood, 0), { kind: 'stalled', reasons: ['1/1: failed: exit 1'] });
});

test('the progress block redraws in place on a terminal, and writes changed lines otherwise', () => {
  const tty: string[] = [];
  const onTerminal = new ProgressBlock({ write: (t: string) => tty.push(t) }, true);
  onTerminal.render([{ key: 'a', text: 'one' }, { key: 'b', text: 'two' }]);
  onTerminal.render([{ key: 'a', text: 'one' }, { key: 'b', text: 'three' }]);
  assert.deepEqual(tty, ['\r\x1b[2Kone\n\r\x1b[2Ktwo\n', '\x1b[2A\r\x1b[2Kone\n\r\x1b[2Kthree\n']);
  const plain: string[] = [];
  const inLog = new ProgressBlock({ write: (t: string) => plain.push(t) }, false);
  inLog.render([{ key: 'a', text: 'one' }, { key: 'b', text: 'two' }]);
  inLog.render([{ key: 'a', text: 'one' }, { key: 'b', text: 'two' }]);
  inLog.render([{ key: 'a', text: 'one' }, { key: 'b', text: 'three' }]);
  assert.deepEqual(plain, ['one\ntwo\n', 'three\n']);
});

test('waiting: polls until every task runs, or gives up with the reasons after the grace period', async () => {
  let clock = 0;
  const rounds = [[task({ slot: 1, state: 'pending', message: 'pending task scheduling' })], [task({ slot: 1, state: 'starting' })], [task({ slot: 1, state: 'running' })]];
  const one = service({ Replicated: { Replicas: 1 } });
  const out: string[] = [];
  const options = { out: { write: (t: string) => out.push(t) }, tty: false, now: () => clock, sleep: (ms: number) => { clock += ms; return Promise.resolve(); } };
  let round = 0;
  await waitForConvergence({ listServices: () => Promise.resolve([one]), listTasks: () => Promise.resolve(rounds[Math.min(round++, 2)] ?? []) }, 'svc1', options);
  assert.equal(out.join(''), 'overall progress: 0 out of 1 tasks\n1/1: pending   pending task scheduling\n1/1: starting\noverall progress: 1 out of 1 tasks\n1/1: running\nverify: Service web converged\n');
  const stuck = { listServices: () => Promise.resolve([one]), listTasks: () => Promise.resolve([task({ slot: 1, state: 'pending', err: noFit })]) };
  await assert.rejects(waitForConvergence(stuck, 'svc1', options), (err: Error) => err.message.includes(`1/1: pending: ${noFit}`) && clock >= 10_000);
  clock = 0;
  const slow = { listServices: () => Promise.resolve([one]), listTasks: () => Promise.resolve([task({ slot: 1, state: 'preparing' })]) };
  await assert.rejects(waitForConvergence(slow, 'svc1', { ...options, timeoutMs: 3_000 }), /0 of 1 tasks running after the timeout/);
});
