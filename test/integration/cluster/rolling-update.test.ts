// Rolling updates on the lab: one manager (node A) and one worker (B), each a berthd in its own
// network namespace. An update to a good image rolls over start-first one task at a time and the
// service never has fewer running tasks than replicas (the update's states are events in the
// manager's event stream); an update whose health check fails rolls
// back by itself, the old tasks are the ones still running, `service inspect` says so and
// `berth service update --wait` exits non-zero. Needs root.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { berthAt } from '../../support/berth-cli.js';
import { DOCKER_CLI, dockerCliSkip } from '../../support/docker-cli-session.js';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import { eventually } from './etcd-fixtures.js';

/** Placement, starts and the monitor windows take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 120_000;
const REPLICAS = 3;
const runner = new ChildProcessRunner();
const ANY_CODE = { okCodes: Array.from({ length: 256 }, (_, code) => code) };

describe('rolling service updates on the lab', { skip: labSkipReason() }, () => {
  const { node: labNode, client, cli, running, current } = labSuite(1, 1);

  before(async () => {
    for (const node of current()?.nodes ?? []) {
      const tagged = await berthAt(node.socket, ['tag', 'busybox', 'busybox:v2']);
      assert.equal(tagged.code, 0, tagged.stderr);
    }
  });

  test('an update to a good image rolls over start-first, one task at a time, never below the replica count', async () => {
    await cli(0, ['service', 'create', '--name', 'web', '--replicas', String(REPLICAS), '--detach', 'busybox', 'sleep', '100000']);
    await eventually('3 web tasks running', async () => (await running('web')).length === REPLICAS, CONVERGE_MS);
    const before = new Set((await running('web')).map((t) => t.ID));

    await cli(0, ['service', 'update', '--image', 'busybox:v2', '--update-parallelism', '1', '--update-order', 'start-first', '--update-monitor', '1s', '--detach', 'web']);
    let fewest = Number.POSITIVE_INFINITY;
    let mostNew = 0;
    await eventually('the update completed', async () => {
      const tasks = await running('web');
      fewest = Math.min(fewest, tasks.length);
      const fresh = tasks.filter((t) => t.Spec.ContainerSpec.Image === 'busybox:v2' && !before.has(t.ID));
      const inFlight = (await client(0).cluster.listTasks({ service: ['web'], 'desired-state': ['running'] })).filter((t) => t.Status.State !== 'running');
      mostNew = Math.max(mostNew, inFlight.length);
      return (await client(0).cluster.inspectService('web')).UpdateStatus?.State === 'completed' && fresh.length === REPLICAS;
    }, CONVERGE_MS);
    assert.ok(fewest >= REPLICAS, `running tasks never fell below ${REPLICAS} (lowest seen: ${fewest})`);
    assert.ok(mostNew <= 1, `at most one new task starting at a time (seen ${mostNew})`);
    const service = await client(0).cluster.inspectService('web');
    assert.equal(service.Spec.TaskTemplate.ContainerSpec.Image, 'busybox:v2');
    assert.equal(service.PreviousSpec?.TaskTemplate.ContainerSpec.Image, 'busybox');
    assert.deepEqual(service.Spec.UpdateConfig, { Parallelism: 1, FailureAction: 'pause', Monitor: 1_000_000_000, MaxFailureRatio: 0, Order: 'start-first' });
    assert.equal(service.UpdateStatus?.Message, 'update completed');
    assert.ok((await running('web')).every((t) => !before.has(t.ID)), 'every task was replaced');
    // The update is in the manager's event stream, as dockerd's managers report it.
    const states = [];
    for await (const event of client(0).events.stream({ since: '0', until: String(Date.now() / 1000), filters: { type: ['service'], service: ['web'], scope: ['swarm'] } })) {
      if (event.Actor.Attributes['image.new'] === 'busybox:v2') assert.equal(event.Actor.Attributes['image.old'], 'busybox');
      const state = event.Actor.Attributes['updatestate.new'];
      if (state !== undefined) states.push(`${event.Actor.Attributes['updatestate.old'] ?? ''}>${state}`);
    }
    assert.deepEqual(states, ['>updating', 'updating>completed']);
  });

  test('an update whose health check fails rolls back by itself; the old tasks still run; --wait exits non-zero', async () => {
    const old = (await running('web')).map((t) => t.ID).sort();
    assert.equal(old.length, REPLICAS);
    const update = await berthAt(labNode(0).socket, [
      'service', 'update', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '1',
      '--update-failure-action', 'rollback', '--update-order', 'start-first', '--update-monitor', '1s', '--wait', 'web',
    ], { timeoutMs: CONVERGE_MS });
    assert.notEqual(update.code, 0, `update --wait should fail: ${update.stdout}${update.stderr}`);
    assert.match(update.stderr, /rolled back: update rolled back: task \w+ failed/);

    const service = await client(0).cluster.inspectService('web');
    assert.equal(service.UpdateStatus?.State, 'rollback_completed');
    assert.match(service.UpdateStatus.Message ?? '', /rollback completed/);
    assert.equal(service.Spec.TaskTemplate.ContainerSpec.Healthcheck, undefined, 'the spec before the update is back');
    await eventually('the old tasks alone running', async () => (await running('web')).map((t) => t.ID).sort().join() === old.join(), CONVERGE_MS);

    const rollback = await berthAt(labNode(0).socket, ['service', 'rollback', '--detach', 'web']);
    assert.notEqual(rollback.code, 0);
    assert.match(rollback.stderr, /does not have a previous spec/);
    const same = await berthAt(labNode(0).socket, ['service', 'update', '--detach', 'web']);
    assert.notEqual(same.code, 0);
    assert.match(same.stderr, /nothing to update/);
  });

  test('the docker CLI updates a service (image, parallelism), waits for it, and rolls it back', { skip: dockerCliSkip() }, async () => {
    const docker = async (args: string[]): Promise<string> => {
      const result = await runner.run(DOCKER_CLI, ['-H', `unix://${labNode(0).socket}`, ...args], { ...ANY_CODE, signal: AbortSignal.timeout(CONVERGE_MS) });
      assert.equal(result.code, 0, `docker ${args.join(' ')}: ${result.stdout}${result.stderr}`);
      return result.stdout;
    };
    await docker(['service', 'create', '--detach', '--name', 'dweb', '--replicas', '2', 'busybox', 'sleep', '100000']);
    await eventually('2 dweb tasks running', async () => (await running('dweb')).length === 2, CONVERGE_MS);
    const nothing = await runner.run(DOCKER_CLI, ['-H', `unix://${labNode(0).socket}`, 'service', 'rollback', '--detach', 'dweb'], ANY_CODE);
    assert.notEqual(nothing.code, 0);
    assert.match(nothing.stderr, /rpc error: code = FailedPrecondition desc = service \w+ does not have a previous spec/, 'as dockerd words it');
    await docker(['service', 'update', '--detach=false', '--image', 'busybox:v2', '--update-parallelism', '2', '--update-monitor', '1s', 'dweb']);
    const [updated] = JSON.parse(await docker(['service', 'inspect', 'dweb'])) as { Spec: { TaskTemplate: { ContainerSpec: { Image: string } }; UpdateConfig: { Parallelism: number } }; UpdateStatus: { State: string } }[];
    assert.ok(updated);
    assert.equal(updated.Spec.TaskTemplate.ContainerSpec.Image, 'busybox:v2');
    assert.equal(updated.Spec.UpdateConfig.Parallelism, 2);
    assert.equal(updated.UpdateStatus.State, 'completed');
    assert.ok((await running('dweb')).every((t) => t.Spec.ContainerSpec.Image === 'busybox:v2'));

    await docker(['service', 'rollback', '--detach=false', 'dweb']);
    // The docker CLI names the image as it resolved it at create (busybox:latest).
    assert.match((await docker(['service', 'inspect', '--format', '{{.UpdateStatus.State}} {{.Spec.TaskTemplate.ContainerSpec.Image}}', 'dweb'])).trim(), /^rollback_completed busybox(:latest)?$/);
    await eventually('dweb back on busybox', async () => {
      const tasks = await running('dweb');
      return tasks.length === 2 && tasks.every((t) => /^busybox(:latest)?$/.test(t.Spec.ContainerSpec.Image));
    }, CONVERGE_MS);
  });
});
