// A real cluster on the lab: 3 managers and 2 workers, each a berthd in its own network namespace
// (managers with a supervised etcd member), joined over mutual TLS. Services are made with the
// berth CLI and the docker CLI; their tasks run as containers of the nodes' engines. Traffic only between the lab's
// namespaces and the host's side of its bridge. Needs root.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { BerthClient } from '../../../src/client/berth-client.js';
import { connectEtcd } from '../../../src/cluster/store/etcd-client.js';
import type { NodeTlsMaterial } from '../../../src/cluster/trust/index.js';
import type { SwarmNode } from '../../../src/wire/swarm.js';
import { BERTH_BIN, berthAt } from '../../support/berth-cli.js';
import { DOCKER_CLI, dockerCliSkip } from '../../support/docker-cli-session.js';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import { eventually } from './etcd-fixtures.js';

const runner = new ChildProcessRunner();
/** Placement, restarts and a node's loss take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 90_000;

describe('a cluster on the lab', { skip: labSkipReason() }, () => {
  const { node: labNode, client, cli, running, current } = labSuite(3, 2);
  const nodes = (via = 0): Promise<SwarmNode[]> => client(via).cluster.listNodes();
  const nodeNamed = async (suffix: string): Promise<SwarmNode> => {
    const node = (await nodes()).find((n) => (n.Description.Hostname ?? '').endsWith(suffix));
    assert.ok(node, `a node named *${suffix}`);
    return node;
  };
  const labIndexOf = (hostname: string): number => (current()?.nodes ?? []).findIndex((n) => n.name === hostname);
  /** The worker running most of the onworkers service's tasks. */
  const busiestWorker = async (): Promise<SwarmNode> => {
    const tasks = await running('onworkers');
    const count = (node: SwarmNode): number => tasks.filter((t) => t.NodeID === node.ID).length;
    const busiest = (await nodes()).filter((n) => n.Spec.Role === 'worker').sort((a, b) => count(b) - count(a))[0];
    assert.ok(busiest !== undefined && count(busiest) > 0, 'a worker runs onworkers tasks');
    return busiest;
  };


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

  const material = async (dir: string): Promise<NodeTlsMaterial> => {
    const [keyPem, certPem, caCertPem] = await Promise.all(['node.key', 'node.crt', 'ca.crt'].map((file) => readFile(join(dir, file), 'utf8')));
    return { keyPem: keyPem ?? '', certPem: certPem ?? '', caCertPem: caCertPem ?? '' };
  };

  test('the store opens to a manager\'s etcd certificate only: a worker\'s node certificate is refused', async () => {
    const endpoint = `https://${labNode(0).address}:2379`;
    const manager = connectEtcd([endpoint], { tls: await material(join(labNode(1).root, 'cluster', 'tls', 'etcd')), callTimeoutMs: 10_000 });
    const worker = await material(join(labNode(3).root, 'cluster', 'tls'));
    // The worker trusts the etcd CA (as an attacker would) but holds only its cluster-CA certificate.
    const intruder = connectEtcd([endpoint], { tls: { ...worker, caCertPem: (await material(join(labNode(1).root, 'cluster', 'tls', 'etcd'))).caCertPem }, callTimeoutMs: 10_000 });
    try {
      assert.ok((await manager.getAll().prefix('/berth/node/').keys()).length >= 5);
      await assert.rejects(intruder.getAll().prefix('/berth/').keys());
    } finally {
      manager.close();
      intruder.close();
    }
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
      for (const node of current()?.nodes ?? []) containers += (await new BerthClient(node.socket).containers.list({ all: false })).length;
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

  test('a worker that leaves takes its task containers with it; a rotated token cannot bring it back; rejoined with the new one, it is a new node and the global service lands on it', async () => {
    const old = await nodeNamed('-w1');
    const index = labIndexOf(old.Description.Hostname ?? '');
    await cli(index, ['cluster', 'leave']);
    assert.equal((await client(index).containers.list({ all: true, filters: { label: ['com.docker.swarm.task'] } })).length, 0);
    await eventually('the node that left is down', async () => (await nodes()).find((n) => n.ID === old.ID)?.Status.State === 'down', CONVERGE_MS);
    await cli(0, ['node', 'rm', old.ID]);
    // A rotated token admits nobody: refused, and nothing changes on either side.
    const stale = (await cli(0, ['cluster', 'join-token', '-q', 'worker'])).trim();
    await cli(1, ['cluster', 'join-token', '--rotate', 'worker']);
    const nodesBefore = (await nodes()).length;
    const refused = await berthAt(labNode(index).socket, ['cluster', 'join', '--token', stale, `${labNode(0).address}:2377`]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /join token is not valid/);
    assert.equal((await client(index).info()).Swarm.LocalNodeState, 'inactive');
    assert.equal((await nodes()).length, nodesBefore);
    const token = (await cli(0, ['cluster', 'join-token', '-q', 'worker'])).trim();
    assert.notEqual(token, stale);
    await cli(index, ['cluster', 'join', '--token', token, `${labNode(0).address}:2377`]);
    const rejoined = await nodeNamed('-w1');
    assert.notEqual(rejoined.ID, old.ID);
    await eventually('5 everywhere tasks, one on the rejoined node', async () => {
      const tasks = await running('everywhere');
      return tasks.length === 5 && tasks.some((t) => t.NodeID === rejoined.ID);
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
    const worker = await busiestWorker();
    await cli(0, ['node', 'update', '--availability', 'drain', worker.ID]);
    await eventually('nothing wanted on the drained node, and 4 onworkers tasks run elsewhere', async () =>
      (await client(0).cluster.listTasks({ node: [worker.ID], 'desired-state': ['running'] })).length === 0
      && (await running('onworkers')).filter((t) => t.NodeID !== worker.ID).length === 4, CONVERGE_MS);
    await cli(0, ['node', 'update', '--availability', 'active', worker.ID]);
  });

  test('the docker CLI drives the cluster: node ls/update/inspect, service create/ls/ps/scale/rm, swarm join-token', { skip: dockerCliSkip() }, async () => {
    const config = await mkdtemp(join(tmpdir(), 'berth-docker-config-'));
    const docker = (...args: string[]): string => {
      const result = spawnSync(DOCKER_CLI, args, { env: { ...process.env, DOCKER_HOST: `unix://${labNode(1).socket}`, DOCKER_CONFIG: config }, encoding: 'utf8', timeout: 120_000 });
      assert.equal(result.status, 0, `docker ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    try {
      assert.equal(docker('node', 'ls', '-q').trim().split('\n').length, 5);
      // Without --detach the docker CLI follows the tasks until they run (it reads /tasks with _up-to-date).
      docker('service', 'create', '--name', 'dcli', '--replicas', '2', 'busybox', 'sleep', '100000');
      assert.match(docker('service', 'ls', '--filter', 'name=dcli'), /dcli\s+replicated\s+2\/2/);
      assert.equal(docker('service', 'ps', '-q', '--filter', 'desired-state=running', 'dcli').trim().split('\n').length, 2);
      docker('service', 'scale', 'dcli=3');
      await eventually('3 dcli running', async () => (await running('dcli')).length === 3, CONVERGE_MS);
      const worker = await nodeNamed('-w1');
      docker('node', 'update', '--label-add', 'zone=eu', worker.ID);
      assert.equal(docker('node', 'inspect', '--format', '{{ index .Spec.Labels "zone" }}', worker.ID).trim(), 'eu');
      assert.match(docker('swarm', 'join-token', '-q', 'worker'), /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}\s*$/);
      docker('service', 'rm', 'dcli');
      await eventually('dcli gone', async () => (await client(0).cluster.listServices()).every((svc) => svc.Spec.Name !== 'dcli'), CONVERGE_MS);
    } finally {
      await rm(config, { recursive: true, force: true });
    }
  });

  test('service logs: each task\'s lines come from its node, prefixed with its slot, task and node (docker CLI and berth CLI)', { skip: dockerCliSkip() }, async () => {
    await cli(0, ['service', 'create', '--name', 'greet', '--replicas', '4', '--detach', 'busybox', 'sh', '-c', 'echo hello; echo oops >&2; sleep 100000']);
    await eventually('4 greet running', async () => (await running('greet')).length === 4, CONVERGE_MS);
    const hosts = new Map((await nodes()).map((n) => [n.ID, n.Description.Hostname ?? '']));
    const expected = (await running('greet')).map((t) => `greet.${t.Slot ?? 0}.${t.ID.slice(0, 12)}@${hosts.get(t.NodeID ?? '') ?? ''}`).sort();
    assert.ok(new Set((await running('greet')).map((t) => t.NodeID)).size >= 2, 'the tasks run on several nodes');
    const config = await mkdtemp(join(tmpdir(), 'berth-docker-config-'));
    const docker = (...args: string[]): { stdout: string; stderr: string; status: number | null } =>
      spawnSync(DOCKER_CLI, args, { env: { ...process.env, DOCKER_HOST: `unix://${labNode(1).socket}`, DOCKER_CONFIG: config }, encoding: 'utf8', timeout: 120_000 });
    const prefixes = (text: string, line: string): string[] =>
      text.split('\n').filter((l) => l.endsWith(`| ${line}`)).map((l) => l.split(/\s+\|/)[0] ?? '').sort();
    try {
      // Any manager answers; the containers echo right after they start.
      await eventually('every task\'s line in docker service logs', () => {
        const result = docker('service', 'logs', 'greet');
        return Promise.resolve(result.status === 0 && prefixes(result.stdout, 'hello').length === 4);
      }, CONVERGE_MS);
      const all = docker('service', 'logs', 'greet');
      assert.deepEqual(prefixes(all.stdout, 'hello'), expected);
      assert.deepEqual(prefixes(all.stderr, 'oops'), expected);
      const [first] = await running('greet');
      assert.ok(first);
      const one = docker('service', 'logs', '--timestamps', first.ID);
      assert.equal(one.status, 0, one.stderr);
      assert.match(one.stdout.trim(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z greet\.\d\.[0-9a-z]{12}@\S+\s+\| hello$/);
      const missing = docker('service', 'logs', 'nosuch');
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /no such task or service: nosuch/);
      // berth's own CLI prints the same prefixes; --raw only the lines.
      assert.deepEqual(prefixes(await cli(2, ['service', 'logs', 'greet']), 'hello'), expected);
      assert.deepEqual((await cli(0, ['service', 'logs', '--raw', 'greet'])).trim().split('\n'), ['hello', 'hello', 'hello', 'hello']);
      // Following, the replacement of a task that ends joins the stream (as with docker service logs -f).
      const follower = spawn(process.execPath, [BERTH_BIN, '--host', `unix://${labNode(0).socket}`, 'service', 'logs', '-f', 'greet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let followed = '';
      follower.stdout.on('data', (chunk: Buffer) => { followed += chunk.toString(); });
      try {
        await eventually('the 4 tasks\' lines in the followed stream', () => Promise.resolve(prefixes(followed, 'hello').length === 4), CONVERGE_MS);
        const [victim] = await running('greet');
        assert.ok(victim);
        const victimNode = labIndexOf(hosts.get(victim.NodeID ?? '') ?? '');
        await client(victimNode).containers.kill(victim.Status.ContainerStatus?.ContainerID ?? '');
        await eventually('the replacement\'s line in the followed stream', () => Promise.resolve(prefixes(followed, 'hello').length === 5), CONVERGE_MS);
        const replacement = (await running('greet')).find((t) => !expected.some((e) => e.includes(t.ID.slice(0, 12))));
        assert.ok(replacement, 'a replacement runs');
        assert.ok(prefixes(followed, 'hello').some((p) => p.includes(replacement.ID.slice(0, 12))), `the replacement ${replacement.ID} in ${followed}`);
      } finally {
        follower.kill();
      }
      // A worker serves no service logs (as dockerd's worker: not a manager).
      const worker = await berthAt(labNode(3).socket, ['service', 'logs', 'greet']);
      assert.notEqual(worker.code, 0);
      assert.match(worker.stderr, /not a swarm manager/);
    } finally {
      await rm(config, { recursive: true, force: true });
      await cli(0, ['service', 'rm', 'greet']);
    }
  });

  test('promote a worker, then demote it: while a manager it votes in etcd and serves the cluster\'s objects; demoted, it holds no etcd credentials; its tasks run on', async () => {
    const worker = await nodeNamed('-w2');
    const index = labIndexOf(worker.Description.Hostname ?? '');
    const root = labNode(index).root;
    await cli(0, ['service', 'create', '--name', 'stay', '--mode', 'global', '--detach', 'busybox', 'sleep', '100000']);
    await eventually('stay on every node', async () => (await running('stay')).length === 5, CONVERGE_MS);
    const taskOnIt = (await running('stay')).find((t) => t.NodeID === worker.ID)?.Status.ContainerStatus?.ContainerID;
    const etcd = connectEtcd([`https://${labNode(0).address}:2379`], { tls: await material(join(labNode(0).root, 'cluster', 'tls', 'etcd')), callTimeoutMs: 10_000 });
    const members = async (): Promise<{ name: string; isLearner: boolean }[]> => (await etcd.cluster.memberList({})).members.map((m) => ({ name: m.name, isLearner: m.isLearner }));
    const servesObjects = async (): Promise<boolean> => (await berthAt(labNode(index).socket, ['service', 'ls'])).code === 0;
    let step = 'promote';
    try {
      await cli(0, ['node', 'promote', worker.ID]);
      await eventually('the promoted node votes in etcd and serves the cluster\'s objects', async () =>
        (await members()).some((m) => m.name === worker.ID && !m.isLearner) && await servesObjects(), CONVERGE_MS);
      step = 'manager in node ls';
      await eventually('node ls shows it a reachable manager', async () => {
        const node = (await nodes()).find((n) => n.ID === worker.ID);
        return node?.Spec.Role === 'manager' && node.ManagerStatus?.Reachability === 'reachable';
      }, CONVERGE_MS);
      step = 'demote';
      await cli(1, ['node', 'demote', worker.ID]);
      // /info's ControlAvailable turns false once the node has written its worker membership.
      await eventually('the demoted node left etcd and is a worker', async () => {
        const { Swarm: swarm } = await client(index).info();
        return (await members()).every((m) => m.name !== worker.ID) && swarm.LocalNodeState === 'active' && !swarm.ControlAvailable;
      }, CONVERGE_MS);
      step = 'demoted';
      assert.equal(await servesObjects(), false);
      await assert.rejects(readFile(join(root, 'cluster', 'tls', 'etcd', 'node.key')));
      step = 'worker in node ls';
      await eventually('it is a ready worker again', async () => {
        const node = (await nodes()).find((n) => n.ID === worker.ID);
        return node?.Spec.Role === 'worker' && node.ManagerStatus === undefined && node.Status.State === 'ready';
      }, CONVERGE_MS);
      step = 'its task';
      // The same task container ran throughout.
      assert.equal((await running('stay')).find((t) => t.NodeID === worker.ID)?.Status.ContainerStatus?.ContainerID, taskOnIt);
    } catch (err) {
      // What the nodes said about their roles, for the failure's report.
      for (const node of current()?.nodes ?? []) {
        const lines = (await readFile(join(node.root, '..', 'berthd.log'), 'utf8').catch(() => '')).split('\n').filter((line) => /cluster:|agent:|etcd|service stay/.test(line));
        process.stderr.write(`--- ${node.name}\n${lines.slice(-20).join('\n')}\n`);
      }
      const history = (await client(0).cluster.listTasks({ service: ['stay'] }).catch(() => [])).filter((t) => t.NodeID === worker.ID);
      process.stderr.write(`--- stay on ${worker.ID}\n${history.map((t) => `${t.ID} ${t.DesiredState} ${t.Status.State} ${t.Status.Message ?? ''} ${t.Status.Err ?? ''} ${t.UpdatedAt}`).join('\n')}\n`);
      throw new Error(`at step "${step}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    } finally {
      etcd.close();
      await cli(0, ['service', 'rm', 'stay']);
    }
  });

  /** Running containers of a service on every node (by the task label), as node name → container ids. */
  const containersOf = async (service: string): Promise<Map<string, string[]>> => {
    const byNode = new Map<string, string[]>();
    for (const node of current()?.nodes ?? []) {
      if (node.state !== 'running') continue;
      const list = await new BerthClient(node.socket).containers.list({ filters: { label: [`com.docker.swarm.service.name=${service}`] } }).catch(() => []);
      byNode.set(node.name, list.map((c) => c.Id));
    }
    return byNode;
  };
  const total = (byNode: Map<string, string[]>): number => [...byNode.values()].reduce((sum, ids) => sum + ids.length, 0);

  test('a worker cut off (link down) keeps its containers running; when the link returns, no slot runs twice', async () => {
    const lab = current();
    assert.ok(lab);
    const worker = await busiestWorker();
    const node = labNode(labIndexOf(worker.Description.Hostname ?? ''));
    const before = [...((await containersOf('everywhere')).get(node.name) ?? []), ...((await containersOf('onworkers')).get(node.name) ?? [])].sort();
    assert.ok(before.length >= 2);
    await runner.run('ip', ['link', 'set', 'dev', node.veth, 'down']);
    try {
      await eventually('the cut-off node is down', async () => (await nodes()).find((n) => n.ID === worker.ID)?.Status.State === 'down', CONVERGE_MS);
      await eventually('its onworkers tasks run on the other worker', async () => {
        const tasks = await running('onworkers');
        return tasks.length === 4 && tasks.every((t) => t.NodeID !== worker.ID);
      }, CONVERGE_MS);
      // Cut off, the node keeps what it runs (its socket is a file on this machine, not on the link).
      assert.deepEqual([...((await containersOf('everywhere')).get(node.name) ?? []), ...((await containersOf('onworkers')).get(node.name) ?? [])].sort(), before);
    } finally {
      await runner.run('ip', ['link', 'set', 'dev', node.veth, 'up']);
    }
    await eventually('back: ready, and every slot runs once across the nodes', async () => {
      if ((await nodes()).find((n) => n.ID === worker.ID)?.Status.State !== 'ready') return false;
      const onworkers = await containersOf('onworkers');
      return total(onworkers) === 4 && (onworkers.get(node.name) ?? []).length === 0 && total(await containersOf('everywhere')) === 5;
    }, CONVERGE_MS);
  });

  test('a lost worker (its berthd and containers killed): once it is down its tasks run elsewhere, and when it is back they are not run twice', async () => {
    const lab = current();
    assert.ok(lab);
    const busiest = await busiestWorker();
    const index = labIndexOf(busiest.Description.Hostname ?? '');
    const engine = client(index);
    const pids = await Promise.all((await engine.containers.list({ all: false })).map(async (c) => (await engine.containers.inspect(c.Id)).State.Pid));
    await runner.run('kill', ['-9', String(labNode(index).pid), ...pids.filter((pid) => pid > 0).map(String)]);
    await eventually('the node is down', async () => (await nodes()).find((n) => n.ID === busiest.ID)?.Status.State === 'down', CONVERGE_MS);
    await eventually('4 onworkers tasks run, none on the lost node', async () => {
      const tasks = await running('onworkers');
      return tasks.length === 4 && tasks.every((t) => t.NodeID !== busiest.ID);
    }, CONVERGE_MS);
    await lab.restartNode(labNode(index));
    await eventually('back: ready; its old task containers are gone; every slot runs once', async () => {
      if ((await nodes()).find((n) => n.ID === busiest.ID)?.Status.State !== 'ready') return false;
      const all = await new BerthClient(labNode(index).socket).containers.list({ all: true, filters: { label: ['com.docker.swarm.service.name=onworkers'] } });
      return all.length === 0 && total(await containersOf('onworkers')) === 4 && total(await containersOf('everywhere')) === 5;
    }, CONVERGE_MS);
  });

  test('kill the leading manager and its etcd member (a minority): another leads within seconds, nothing is lost, work goes on', async () => {
    const leader = (await nodes(1)).find((n) => n.ManagerStatus?.Leader === true);
    assert.ok(leader);
    const index = labIndexOf(leader.Description.Hostname ?? '');
    const survivor = [0, 1, 2].find((i) => i !== index) ?? 1;
    const servicesBefore = (await client(survivor).cluster.listServices()).map((svc) => svc.Spec.Name).sort();
    await runner.run('kill', ['-9', String(labNode(index).pid)]);
    await runner.run('pkill', ['-9', '-f', '--', `--data-dir ${labNode(index).root}/cluster/etcd`]);
    await eventually('another manager leads', async () =>
      (await nodes(survivor).catch(() => [])).some((n) => n.ManagerStatus?.Leader === true && n.ID !== leader.ID), CONVERGE_MS);
    assert.deepEqual((await client(survivor).cluster.listServices()).map((svc) => svc.Spec.Name).sort(), servicesBefore);
    await cli(survivor, ['service', 'scale', '--detach', 'web=5']);
    await eventually('5 web running', async () => (await running('web', survivor)).length === 5, CONVERGE_MS);
  });
});
