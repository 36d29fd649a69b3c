// Rolling updates on the lab: one manager (node A) and one worker (B), each a berthd in its own
// network namespace. An update to a good image rolls over start-first one task at a time and the
// service never has fewer running tasks than replicas (the update's states are events in the
// manager's event stream); an update whose health check fails rolls back by itself, the old tasks
// are the ones still running, `service inspect` says so and `berth service update --wait` exits
// non-zero; a canary update holds at its share of the tasks until `service promote`; with a
// disruption limit a drain hands tasks over without the service dropping below it. Needs root.
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

  test('a canary update holds at its share of the tasks until promoted, then rolls the rest', async () => {
    await cli(0, ['service', 'create', '--name', 'bird', '--replicas', '4', '--detach', 'busybox', 'sleep', '100000']);
    await eventually('4 bird tasks running', async () => (await running('bird')).length === 4, CONVERGE_MS);
    const update = await berthAt(labNode(0).socket, [
      'service', 'update', '--image', 'busybox:v2', '--update-canary', '25%', '--update-parallelism', '0', '--update-monitor', '1s', '--wait', 'bird',
    ], { timeoutMs: CONVERGE_MS });
    assert.equal(update.code, 0, update.stderr);
    assert.match(update.stderr, /canary: Service bird 1 of 4 tasks updated; waiting for "berth service promote bird"/);
    const images = async (): Promise<string[]> => (await running('bird')).map((t) => t.Spec.ContainerSpec.Image).sort();
    assert.deepEqual(await images(), ['busybox', 'busybox', 'busybox', 'busybox:v2'], 'one of four on the new image');
    const held = await client(0).cluster.inspectService('bird');
    assert.equal(held.UpdateStatus?.State, 'paused');
    assert.equal(held.UpdateStatus.Canary, 'holding');
    assert.equal(held.Spec.Labels['berth.update.canary'], '25%');

    const promote = await berthAt(labNode(0).socket, ['service', 'promote', '--wait', 'bird'], { timeoutMs: CONVERGE_MS });
    assert.equal(promote.code, 0, promote.stderr);
    assert.match(promote.stderr, /verify: Service bird converged/);
    assert.deepEqual(await images(), ['busybox:v2', 'busybox:v2', 'busybox:v2', 'busybox:v2']);
    assert.equal((await client(0).cluster.inspectService('bird')).UpdateStatus?.State, 'completed');
    const again = await berthAt(labNode(0).socket, ['service', 'promote', 'bird']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /service bird has no canary waiting for promotion: its update is completed \(its canary was promoted\)/);
  });

  test('with --min-available a drain hands each task over: the service never has fewer running tasks', async () => {
    const [manager, worker] = [labNode(0).name, labNode(1).name];
    // The manager paused: both tasks go to the worker, and its drain's successors have nowhere to go.
    await cli(0, ['node', 'update', '--availability', 'pause', manager]);
    await cli(0, ['service', 'create', '--name', 'steady', '--replicas', '2', '--min-available', '2', '--detach', 'busybox', 'sleep', '100000']);
    await eventually('2 steady tasks running on the worker', async () => (await running('steady')).length === 2, CONVERGE_MS);
    const [node] = (await client(0).cluster.listNodes()).filter((n) => n.Description.Hostname === worker);
    assert.ok(node);
    await cli(0, ['node', 'update', '--availability', 'drain', worker]);
    let fewest = Number.POSITIVE_INFINITY;
    await eventually('the successors wait for a node', async () => {
      fewest = Math.min(fewest, (await running('steady')).length);
      const tasks = await client(0).cluster.listTasks({ service: ['steady'], 'desired-state': ['running'] });
      return tasks.filter((t) => t.Status.State === 'pending').length === 2;
    }, CONVERGE_MS);
    assert.equal((await running('steady')).filter((t) => t.NodeID === node.ID).length, 2, 'the drained node\'s tasks still run');
    assert.match((await client(0).cluster.inspectNode(worker)).Status.Message ?? '', /^drain waits for steady \(2 tasks\): its tasks stop once their successors run elsewhere$/);
    await cli(0, ['node', 'update', '--availability', 'active', manager]);
    await eventually('both tasks handed over to the manager', async () => {
      const tasks = await running('steady');
      fewest = Math.min(fewest, tasks.length);
      return tasks.length === 2 && tasks.every((t) => t.NodeID !== node.ID);
    }, CONVERGE_MS);
    assert.ok(fewest >= 2, `never fewer than 2 running (lowest seen: ${fewest})`);
    await cli(0, ['node', 'update', '--availability', 'active', worker]);
    await cli(0, ['service', 'rm', 'steady']);
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
