// Jobs on the lab: one manager (node A) and one worker (B), each a berthd in its own network
// namespace. A replicated job of 5 completions runs at most 2 tasks at a time and finishes; a
// global job runs once on each node and again when updated (the new run an event in the
// manager's event stream); a job whose task fails makes
// `berth service create` exit non-zero; a scheduled job runs on its cron schedule without two
// runs going at once and keeps only its history limit of runs; the docker CLI creates and waits
// for a job (test/e2e/api-fidelity-swarm-objects.test.ts compares a job with dockerd's). Needs root.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import type { SwarmTask } from '../../../src/wire/swarm.js';
import { berthAt } from '../../support/berth-cli.js';
import { DOCKER_CLI, dockerCliSkip } from '../../support/docker-cli-session.js';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import { eventually } from './etcd-fixtures.js';

/** Placement and starts take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 120_000;
const runner = new ChildProcessRunner();
const ANY_CODE = { okCodes: Array.from({ length: 256 }, (_, code) => code) };
const ENDED = new Set(['complete', 'failed', 'shutdown', 'rejected', 'orphaned', 'remove']);

describe('jobs on the lab', { skip: labSkipReason() }, () => {
  const { node: labNode, client, cli } = labSuite(1, 1);
  const tasksOf = (service: string): Promise<SwarmTask[]> => client(0).cluster.listTasks({ service: [service] });
  const iterationOf = (task: SwarmTask): number => task.JobIteration?.Index ?? 0;


  test('a replicated job of 5 completions with parallelism 2 finishes, never more than 2 tasks going', async () => {
    await cli(0, ['service', 'create', '--name', 'batch', '--mode', 'replicated-job', '--replicas', '5', '--max-concurrent', '2', '--detach', 'busybox', 'sh', '-c', 'sleep 1']);
    let most = 0;
    await eventually('5 completed tasks', async () => {
      const tasks = await tasksOf('batch');
      most = Math.max(most, tasks.filter((t) => !ENDED.has(t.Status.State)).length);
      return tasks.filter((t) => t.Status.State === 'complete').length === 5;
    }, CONVERGE_MS);
    assert.ok(most <= 2, `at most 2 tasks going at once (seen ${most})`);
    const tasks = await tasksOf('batch');
    assert.deepEqual(tasks.map((t) => t.Slot ?? 0).sort(), [0, 1, 2, 3, 4], 'one completion per slot (from 0, as Swarm\'s), none run twice');
    assert.ok(tasks.every((t) => t.DesiredState === 'complete' && iterationOf(t) === 1));
    const [listed] = await client(0).cluster.listServices({ name: ['batch'] }, true);
    assert.deepEqual(listed?.ServiceStatus, { RunningTasks: 0, DesiredTasks: 2, CompletedTasks: 5 });
    assert.deepEqual(listed.Spec.Mode, { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } });
    assert.equal(listed.JobStatus?.JobIteration.Index, 1);
  });

  test('a global job runs once on every node; an update runs it again, keeping the first run as history', async () => {
    await cli(0, ['service', 'create', '--name', 'sweep', '--mode', 'global-job', '--detach', 'busybox', 'true']);
    const completedIn = async (run: number): Promise<string[]> =>
      (await tasksOf('sweep')).filter((t) => iterationOf(t) === run && t.Status.State === 'complete').map((t) => t.NodeID ?? '').sort();
    const nodes = (await client(0).cluster.listNodes()).map((n) => n.ID).sort();
    await eventually('a completed task on each node', async () => (await completedIn(1)).join() === nodes.join(), CONVERGE_MS);
    await cli(0, ['service', 'update', '--force', '--detach', 'sweep']);
    await eventually('the second run completed on each node', async () => (await completedIn(2)).join() === nodes.join(), CONVERGE_MS);
    assert.deepEqual(await completedIn(1), nodes, 'the first run stays as history');
    const service = await client(0).cluster.inspectService('sweep');
    assert.equal(service.JobStatus?.JobIteration.Index, 2);
    // The manager's event stream has the service's events, swarm-scoped, the new run among them.
    const events = [];
    for await (const event of client(0).events.stream({ since: '0', until: String(Date.now() / 1000), filters: { type: ['service'], service: ['sweep'] } })) events.push(event);
    assert.equal(events[0]?.Action, 'create');
    assert.ok(events.every((e) => e.scope === 'swarm' && e.Actor.ID === service.ID && e.Actor.Attributes['name'] === 'sweep'));
    assert.ok(events.some((e) => e.Action === 'update' && e.Actor.Attributes['jobiteration.old'] === '1' && e.Actor.Attributes['jobiteration.new'] === '2'), JSON.stringify(events));
  });

  test('a job whose task fails makes service create exit non-zero, naming the failure', async () => {
    const created = await berthAt(labNode(0).socket, ['service', 'create', '--name', 'broken', '--mode', 'replicated-job', '--restart-condition', 'none', 'busybox', 'sh', '-c', 'exit 3'], { timeoutMs: CONVERGE_MS });
    assert.notEqual(created.code, 0, `create should fail: ${created.stdout}${created.stderr}`);
    assert.match(created.stderr, /exit(ed)? (code )?\(?3\)?|exit status 3/);
    const [task] = await tasksOf('broken');
    assert.equal(task?.Status.State, 'failed');
  });

  test('a scheduled job runs on its cron schedule, one run at a time (forbid), keeping its history limit of runs', async () => {
    await cli(0, [
      'service', 'create', '--name', 'tick', '--mode', 'replicated-job', '--schedule', '* * * * * *', '--schedule-concurrency', 'forbid',
      '--schedule-history', '1', '--detach', 'busybox', 'sh', '-c', 'sleep 2',
    ]);
    const service = await client(0).cluster.inspectService('tick');
    assert.equal(service.Spec.Labels['berth.job.schedule'], '* * * * * *');
    let overlapping = 0;
    await eventually('4 runs started', async () => {
      const going = new Set((await tasksOf('tick')).filter((t) => !ENDED.has(t.Status.State)).map(iterationOf));
      overlapping = Math.max(overlapping, going.size);
      return ((await client(0).cluster.inspectService('tick')).JobStatus?.JobIteration.Index ?? 0) >= 4;
    }, CONVERGE_MS);
    assert.ok(overlapping <= 1, `no two runs going at once (seen ${overlapping})`);
    await eventually('only the current run and one before it keep tasks', async () => {
      const current = (await client(0).cluster.inspectService('tick')).JobStatus?.JobIteration.Index ?? 0;
      return (await tasksOf('tick')).every((t) => iterationOf(t) >= current - 1);
    }, CONVERGE_MS);
    await cli(0, ['service', 'rm', 'tick']);
  });

  test('the docker CLI creates a replicated job and waits for it', { skip: dockerCliSkip() }, async () => {
    const docker = async (args: string[]): Promise<string> => {
      const result = await runner.run(DOCKER_CLI, ['-H', `unix://${labNode(0).socket}`, ...args], { ...ANY_CODE, signal: AbortSignal.timeout(CONVERGE_MS) });
      assert.equal(result.code, 0, `docker ${args.join(' ')}: ${result.stdout}${result.stderr}`);
      return result.stdout;
    };
    await docker(['service', 'create', '--detach=false', '--name', 'djob', '--mode', 'replicated-job', '--replicas', '3', '--max-concurrent', '2', 'busybox', 'true']);
    assert.equal((await tasksOf('djob')).filter((t) => t.Status.State === 'complete').length, 3, 'the CLI returned once the job completed');
    const ps = await docker(['service', 'ps', '--format', '{{.DesiredState}} {{.CurrentState}}', 'djob']);
    assert.ok(ps.trim().split('\n').every((line) => /^Complete Complete /.test(line)), ps);
  });
});
