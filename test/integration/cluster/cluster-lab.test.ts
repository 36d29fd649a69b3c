// A real cluster on the lab: 3 managers and 2 workers, each a berthd in its own network namespace
// (managers with a supervised etcd member), joined over mutual TLS. Services are made with the
// berth CLI; their tasks run as containers of the nodes' engines. Traffic only between the lab's
// namespaces and the host's side of its bridge. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { BerthClient } from '../../../src/client/berth-client.js';
import type { LabNodeStatus } from '../../../src/lab/lab.js';
import type { SwarmNode, SwarmTask } from '../../../src/wire/swarm.js';
import { berthAt } from '../../support/berth-cli.js';
import { labSkipReason, removeBusyboxTar, TestLab } from '../../support/lab.js';
import { eventually } from './etcd-fixtures.js';

const runner = new ChildProcessRunner();
/** Placement, restarts and a node's loss take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 90_000;

describe('a cluster on the lab', { skip: labSkipReason() }, () => {
  let lab: TestLab | undefined;
  const labNode = (index: number): LabNodeStatus => {
    assert.ok(lab);
    return lab.node(index);
  };
  const client = (index: number): BerthClient => new BerthClient(labNode(index).socket);
  const cli = async (index: number, args: string[]): Promise<string> => {
    const result = await berthAt(labNode(index).socket, args);
    assert.equal(result.code, 0, `berth ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  const nodes = (via = 0): Promise<SwarmNode[]> => client(via).cluster.listNodes();
  const nodeNamed = async (suffix: string): Promise<SwarmNode> => {
    const node = (await nodes()).find((n) => (n.Description.Hostname ?? '').endsWith(suffix));
    assert.ok(node, `a node named *${suffix}`);
    return node;
  };
  const labIndexOf = (hostname: string): number => (lab?.nodes ?? []).findIndex((n) => n.name === hostname);
  const running = async (service: string, via = 0): Promise<SwarmTask[]> =>
    (await client(via).cluster.listTasks({ service: [service], 'desired-state': ['running'] })).filter((t) => t.Status.State === 'running');

  before(async () => {
    lab = await TestLab.start(3, 2);
    for (const node of lab.nodes) await lab.loadBusybox(node);
  });
  after(async () => {
    await lab?.close();
    await removeBusyboxTar();
  });

  test('init and joins: five nodes, three managers of which one leads, all ready; a worker serves no cluster objects', async () => {
    await eventually('every node ready', async () => (await nodes()).filter((n) => n.Status.State === 'ready').length === 5, CONVERGE_MS);
    const list = await nodes(1);
    assert.equal(list.filter((n) => n.Spec.Role === 'manager').length, 3);
    assert.equal(list.filter((n) => n.ManagerStatus?.Leader === true).length, 1);
    const info = await client(3).info();
    assert.equal(info.Swarm.LocalNodeState, 'active');
    assert.equal(info.Swarm.ControlAvailable, false);
    const refused = await berthAt(labNode(3).socket, ['service', 'ls']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /not a swarm manager/);
  });

  test('a service of 6 replicas spreads over the nodes; scale to 10 and back to 3', async () => {
    await cli(0, ['service', 'create', '--name', 'web', '--replicas', '6', '--detach', 'busybox', 'sleep', '100000']);
    await eventually('6 running', async () => (await running('web')).length === 6, CONVERGE_MS);
    const perNode = new Map<string, number>();
    for (const task of await running('web')) perNode.set(task.NodeID ?? '', (perNode.get(task.NodeID ?? '') ?? 0) + 1);
    assert.ok(perNode.size >= 3 && Math.max(...perNode.values()) <= 2, `spread: ${JSON.stringify([...perNode])}`);
    await cli(1, ['service', 'scale', '--detach', 'web=10']);
    await eventually('10 running', async () => (await running('web')).length === 10, CONVERGE_MS);
    await cli(2, ['service', 'scale', '--detach', 'web=3']);
    await eventually('3 running, and the others\' containers gone from their nodes', async () => {
      if ((await running('web')).length !== 3) return false;
      let containers = 0;
      for (const node of lab?.nodes ?? []) containers += (await new BerthClient(node.socket).containers.list({ all: false })).length;
      return containers === 3;
    }, CONVERGE_MS);
  });

  test('a constraint is honoured; an impossible service says why; a bad constraint is refused naming it', async () => {
    await cli(0, ['service', 'create', '--name', 'onworkers', '--replicas', '4', '--constraint', 'node.role==worker', '--detach', 'busybox', 'sleep', '100000']);
    await eventually('4 running', async () => (await running('onworkers')).length === 4, CONVERGE_MS);
    const workers = new Set((await nodes()).filter((n) => n.Spec.Role === 'worker').map((n) => n.ID));
    for (const task of await running('onworkers')) assert.ok(workers.has(task.NodeID ?? ''), `task ${task.ID} on a worker`);
    await cli(0, ['service', 'create', '--name', 'huge', '--reserve-memory', '100000g', '--detach', 'busybox', 'true']);
    await eventually('the scheduler\'s reason on the task', async () => (await client(0).cluster.listTasks({ service: ['huge'] }))
      .some((t) => t.Status.State === 'pending' && /no suitable node.*insufficient memory/.test(t.Status.Message ?? '')), CONVERGE_MS);
    const bad = await berthAt(labNode(0).socket, ['service', 'create', '--name', 'bad', '--constraint', 'node.zone=eu', '--detach', 'busybox']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /node\.zone=eu/);
  });

  test('a global service runs once on every node', async () => {
    await cli(0, ['service', 'create', '--name', 'everywhere', '--mode', 'global', '--detach', 'busybox', 'sleep', '100000']);
    await eventually('5 running, one per node', async () => {
      const tasks = await running('everywhere');
      return tasks.length === 5 && new Set(tasks.map((t) => t.NodeID)).size === 5;
    }, CONVERGE_MS);
  });

  test('a killed task container is replaced in its slot', async () => {
    const [task] = await running('web');
    const containerId = task?.Status.ContainerStatus?.ContainerID;
    assert.ok(task !== undefined && containerId !== undefined);
    const host = (await nodes()).find((n) => n.ID === task.NodeID)?.Description.Hostname ?? '';
    await cli(labIndexOf(host), ['kill', containerId]);
    await eventually('the old task failed and a successor runs in its slot', async () => {
      const tasks = await client(0).cluster.listTasks({ service: ['web'] });
      return tasks.find((t) => t.ID === task.ID)?.Status.State === 'failed'
        && tasks.some((t) => t.Slot === task.Slot && t.ID !== task.ID && t.Status.State === 'running');
    }, CONVERGE_MS);
  });

  test('drain a node: its tasks move and it takes no new ones', async () => {
    const worker = await nodeNamed('-w1');
    await cli(0, ['node', 'update', '--availability', 'drain', worker.ID]);
    await eventually('nothing wanted on the drained node, and 4 onworkers tasks run elsewhere', async () =>
      (await client(0).cluster.listTasks({ node: [worker.ID], 'desired-state': ['running'] })).length === 0
      && (await running('onworkers')).filter((t) => t.NodeID !== worker.ID).length === 4, CONVERGE_MS);
    await cli(0, ['node', 'update', '--availability', 'active', worker.ID]);
  });

  test('a lost worker (its berthd and containers killed): once it is down, its tasks run elsewhere', async () => {
    const worker = await nodeNamed('-w2');
    const index = labIndexOf(worker.Description.Hostname ?? '');
    const engine = client(index);
    const pids = await Promise.all((await engine.containers.list({ all: false })).map(async (c) => (await engine.containers.inspect(c.Id)).State.Pid));
    await runner.run('kill', ['-9', String(labNode(index).pid), ...pids.filter((pid) => pid > 0).map(String)]);
    await eventually('the node is down', async () => (await nodes()).find((n) => n.ID === worker.ID)?.Status.State === 'down', CONVERGE_MS);
    await eventually('4 onworkers tasks run, none on the lost node', async () => {
      const tasks = await running('onworkers');
      return tasks.length === 4 && tasks.every((t) => t.NodeID !== worker.ID);
    }, CONVERGE_MS);
  });

  test('kill the leading manager: another leads and work goes on', async () => {
    const leader = (await nodes(1)).find((n) => n.ManagerStatus?.Leader === true);
    assert.ok(leader);
    const index = labIndexOf(leader.Description.Hostname ?? '');
    const survivor = [0, 1, 2].find((i) => i !== index) ?? 1;
    await runner.run('kill', ['-9', String(labNode(index).pid)]);
    await eventually('another manager leads', async () =>
      (await nodes(survivor).catch(() => [])).some((n) => n.ManagerStatus?.Leader === true && n.ID !== leader.ID), CONVERGE_MS);
    await cli(survivor, ['service', 'scale', '--detach', 'web=5']);
    await eventually('5 web running', async () => (await running('web', survivor)).length === 5, CONVERGE_MS);
  });
});
