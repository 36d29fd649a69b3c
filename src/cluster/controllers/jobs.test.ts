import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService, T0 } from '../../../test/support/cluster-fixtures.js';
import type { Service, ServiceSpecInput } from '../objects/service.js';
import type { Task } from '../objects/task.js';
import { PlaneHarness } from './control-plane.test-support.js';

function job(id: string, mode: ServiceSpecInput['mode'], iteration: number, extra: Partial<ServiceSpecInput> = {}): Service {
  return { ...makeService(id, { mode, ...extra }), jobStatus: { iteration, ...(iteration > 0 ? { lastExecution: T0.toISOString() } : {}), message: '' } };
}

const going = (tasks: readonly Task[]): Task[] => tasks.filter((t) => t.desiredState === 'complete' && !['complete', 'failed'].includes(t.status.state));

test('a replicated job of 3 completions, one at a time: each completion starts the next slot, then nothing more', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [job('batch', { kind: 'replicated-job', maxConcurrent: 1, totalCompletions: 3 }, 1)] });
  for (let done = 0; done < 3; done++) {
    const [task, ...more] = going(await plane.tasks('batch'));
    assert.ok(task && more.length === 0, `one task going at a time (${String(more.length + (task ? 1 : 0))})`);
    assert.equal(task.slot, done);
    assert.equal(task.jobIteration, 1);
    await plane.report(task.id, 'complete');
    await plane.settle();
  }
  const tasks = await plane.tasks('batch');
  assert.equal(tasks.length, 3);
  assert.ok(tasks.every((t) => t.status.state === 'complete' && t.desiredState === 'complete'));
  await plane.stop();
});

test('a scheduled job fires on time: a run on each firing, a skip while the run goes on (forbid), old runs trimmed to the history limit', async () => {
  const schedule = { cron: '* * * * *', concurrency: 'forbid' as const, historyLimit: 1 };
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [job('tick', { kind: 'replicated-job' }, 0, { schedule })] });
  assert.deepEqual(await plane.tasks('tick'), [], 'nothing runs before the schedule fires');

  await plane.time.advance(60_000);
  await plane.settle();
  assert.equal((await plane.service('tick')).jobStatus?.iteration, 1);
  const [first] = going(await plane.tasks('tick'));
  assert.ok(first);

  await plane.time.advance(60_000);
  await plane.settle();
  const skipped = await plane.service('tick');
  assert.equal(skipped.jobStatus?.iteration, 1, 'the run still going: the firing is skipped');
  assert.match(skipped.jobStatus.message, /skipped: run 1 is still going/);

  for (let minute = 0; minute < 3; minute++) {
    for (const task of going(await plane.tasks('tick'))) await plane.report(task.id, 'complete');
    await plane.time.advance(60_000);
    await plane.settle();
  }
  const service = await plane.service('tick');
  assert.equal(service.jobStatus?.iteration, 4);
  assert.equal(service.jobStatus.message, '');
  const runs = [...new Set((await plane.tasks('tick')).map((t) => t.jobIteration))].sort();
  assert.deepEqual(runs, [3, 4], 'the current run and one before it (history limit 1)');
  await plane.stop();
});
