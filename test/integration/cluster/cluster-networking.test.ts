// Cluster networks on the lab: one manager (node A) and two workers (B and C), each a berthd in its
// own network namespace. An overlay network spans them (VXLAN between the nodes' namespaces); a
// 3-replica web service runs on the workers and a client task on A reaches it by name (its
// virtual IP, balanced by the kernel in the client's namespace), by VIP and through tasks.NAME.
// Traffic only between the lab's namespaces and containers. Needs root.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { berthAt } from '../../support/berth-cli.js';
import { DOCKER_CLI, dockerCliSkip } from '../../support/docker-cli-session.js';
import { labSkipReason } from '../../support/lab.js';
import { labSuite } from '../../support/lab-session.js';
import type { SwarmTask } from '../../../src/wire/swarm.js';
import { eventually } from './etcd-fixtures.js';

const runner = new ChildProcessRunner();
/** Placement and starts take seconds; this bound only ends a run that is stuck. */
const CONVERGE_MS = 90_000;
/** Each web task answers with its container's hostname (its short id). */
const WEB = ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'];
const SUBNET = '10.0.9.0/24';
const ANY_CODE = { okCodes: Array.from({ length: 256 }, (_, code) => code) };

describe('cluster networks on the lab', { skip: labSkipReason() }, () => {
  const { node: labNode, client, cli, running, current } = labSuite(1, 2);
  /** Runs a shell line in the container of `service`'s task on lab node `index`. */
  const execIn = async (index: number, service: string, line: string): Promise<string> => {
    const [container] = await client(index).containers.list({ filters: { label: [`com.docker.swarm.service.name=${service}`] } });
    assert.ok(container, `a ${service} container on lab node ${index}`);
    const result = await berthAt(labNode(index).socket, ['exec', container.Id, 'sh', '-c', line]);
    return `${result.stdout}${result.stderr}`;
  };
  /** Links and nftables tables of a lab node's namespace whose names are berth's overlay ones. */
  const overlayLeftovers = async (index: number): Promise<string[]> => {
    const netns = `--net=/run/netns/${labNode(index).netns}`;
    const links = await runner.run('nsenter', [netns, 'ip', '-o', 'link', 'show'], ANY_CODE);
    const tables = await runner.run('nsenter', [netns, 'nft', 'list', 'tables'], ANY_CODE);
    return [...links.stdout.split('\n').filter((l) => / vx-/.test(l)), ...tables.stdout.split('\n').filter((l) => /berth-overlay/.test(l))];
  };


  test('an overlay network is created on the manager; an overlapping subnet and a name in use are refused naming the other network; an encrypted one is refused', async () => {
    const id = (await cli(0, ['network', 'create', '-d', 'overlay', '--subnet', SUBNET, '--attachable', '--label', 'tier=front', 'front'])).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const listed = await cli(0, ['network', 'ls']);
    assert.match(listed, /front\s+overlay\s+swarm/);
    const overlap = await berthAt(labNode(0).socket, ['network', 'create', '-d', 'overlay', '--subnet', '10.0.9.128/25', 'clash']);
    assert.notEqual(overlap.code, 0);
    assert.match(overlap.stderr, /subnet 10\.0\.9\.128\/25 overlaps network front \(10\.0\.9\.0\/24\)/);
    const taken = await berthAt(labNode(0).socket, ['network', 'create', '-d', 'overlay', 'front']);
    assert.match(taken.stderr, /network with name front already exists/);
    const encrypted = await berthAt(labNode(0).socket, ['network', 'create', '-d', 'overlay', '--opt', 'encrypted', 'secret-net']);
    assert.notEqual(encrypted.code, 0);
    assert.match(encrypted.stderr, /--opt encrypted: berth cannot encrypt overlay traffic yet/);
    const onWorker = await berthAt(labNode(1).socket, ['network', 'create', '-d', 'overlay', 'elsewhere']);
    assert.match(onWorker.stderr, /not a swarm manager/);
    const unknown = await berthAt(labNode(0).socket, ['service', 'create', '--name', 'lost', '--network', 'nosuch', '--detach', 'busybox', 'true']);
    assert.match(unknown.stderr, /network nosuch not found/);
  });

  test('a client on node A reaches a 3-replica service on B and C by name (its VIP), by VIP and through tasks.NAME; every task answers', async () => {
    await cli(0, ['service', 'create', '--name', 'web', '--replicas', '3', '--network', 'name=front,alias=www', '--constraint', 'node.role==worker', '--detach', 'busybox', ...WEB]);
    await cli(0, ['service', 'create', '--name', 'client', '--network', 'front', '--constraint', 'node.role==manager', '--detach', 'busybox', 'sleep', '100000']);
    await eventually('3 web tasks and the client running', async () => (await running('web')).length === 3 && (await running('client')).length === 1, CONVERGE_MS);

    const web = await client(0).cluster.inspectService('web');
    const vip = web.Endpoint.VirtualIPs?.[0]?.Addr.split('/')[0] ?? '';
    assert.match(vip, /^10\.0\.9\.\d+$/);
    const tasks = await running('web');
    const taskAddresses = tasks.map((t) => t.NetworksAttachments?.[0]?.Addresses[0]?.split('/')[0] ?? '').sort();
    assert.equal(new Set(taskAddresses).size, 3);
    const workers = new Set([labNode(1), labNode(2)].map((n) => n.name));
    const nodeNames = new Map((await client(0).cluster.listNodes()).map((n) => [n.ID, n.Description.Hostname ?? '']));
    for (const task of tasks) assert.ok(workers.has(nodeNames.get(task.NodeID ?? '') ?? ''), `task ${task.ID} on a worker`);

    // Names: the service and its alias are the VIP; tasks.web every running task's address.
    assert.match(await execIn(0, 'client', 'nslookup web'), new RegExp(`Address: ${vip.replace(/\./g, '\\.')}`));
    assert.match(await execIn(0, 'client', 'nslookup www'), new RegExp(`Address: ${vip.replace(/\./g, '\\.')}`));
    const listedTasks = [...(await execIn(0, 'client', 'nslookup tasks.web')).matchAll(/Address: (10\.0\.9\.\d+)/g)].map((m) => m[1] ?? '').sort();
    assert.deepEqual(listedTasks, taskAddresses);

    // The VIP spreads new connections over the tasks (by name and by address); each task answers directly too.
    const hostnames = new Set<string>();
    for (let i = 0; i < 6; i++) hostnames.add((await execIn(0, 'client', 'timeout 5 wget -qO- http://web/')).trim());
    for (let i = 0; i < 3; i++) hostnames.add((await execIn(0, 'client', `timeout 5 wget -qO- http://${vip}/`)).trim());
    const containerIds = tasks.map((t) => (t.Status.ContainerStatus?.ContainerID ?? '').slice(0, 12)).sort();
    assert.deepEqual([...hostnames].sort(), containerIds);
    for (const address of taskAddresses) assert.match(await execIn(0, 'client', `timeout 5 wget -qO- http://${address}/`), /^[0-9a-f]{12}/);
  });

  /** The lab index of the node a task runs on. */
  const labIndexOfTask = async (task: SwarmTask): Promise<number> => {
    const node = (await client(0).cluster.listNodes()).find((n) => n.ID === task.NodeID);
    return (current()?.nodes ?? []).findIndex((n) => n.name === node?.Description.Hostname);
  };
  /** `count` requests to `url` from the client task: the answers (`FAILED: …` for a request that failed). */
  const requests = async (url: string, count: number): Promise<string[]> => {
    const out = await execIn(0, 'client', `for i in $(seq ${count}); do timeout 5 wget -qO- ${url} || echo FAILED; done`);
    return out.trim().split('\n');
  };

  test('a killed task is replaced; once its replacement runs, every request succeeds and the VIP reaches all three tasks', async () => {
    const [victim] = await running('web');
    assert.ok(victim);
    const index = await labIndexOfTask(victim);
    await client(index).containers.kill(victim.Status.ContainerStatus?.ContainerID ?? '');
    await eventually('3 web tasks running again, the killed one replaced', async () => {
      const tasks = await running('web');
      return tasks.length === 3 && !tasks.some((t) => t.ID === victim.ID);
    }, CONVERGE_MS);
    const containerIds = (await running('web')).map((t) => (t.Status.ContainerStatus?.ContainerID ?? '').slice(0, 12)).sort();
    const answers = await requests('http://web/', 9);
    assert.deepEqual(answers.filter((a) => !/^[0-9a-f]{12}$/.test(a)), [], 'no request failed');
    assert.deepEqual([...new Set(answers)].sort(), containerIds);
  });

  test('with a health check a task gets connections only once healthy: requests while the service scales up never fail', async () => {
    const slowWeb = ['sh', '-c', 'sleep 3 && mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'];
    await cli(0, ['service', 'create', '--name', 'slow', '--network', 'front', '--constraint', 'node.role==worker', '--health-cmd', 'wget -qO- http://127.0.0.1/ >/dev/null',
      '--health-interval', '1s', '--health-start-period', '60s', '--detach', 'busybox', ...slowWeb]);
    await eventually('the first slow task healthy and running', async () => (await running('slow')).length === 1, CONVERGE_MS);
    await cli(0, ['service', 'scale', '--detach', 'slow=3']);
    const answers: string[] = [];
    await eventually('3 slow tasks running, requests going on meanwhile', async () => {
      answers.push(...await requests('http://slow/', 3));
      return (await running('slow')).length === 3;
    }, CONVERGE_MS);
    assert.ok(answers.length >= 3);
    assert.deepEqual(answers.filter((a) => !/^[0-9a-f]{12}$/.test(a)), [], 'no request failed while tasks were starting');
    const containerIds = (await running('slow')).map((t) => (t.Status.ContainerStatus?.ContainerID ?? '').slice(0, 12)).sort();
    const after = await requests('http://slow/', 6);
    assert.deepEqual([...new Set(after)].sort(), containerIds);
  });

  test('the docker CLI creates an overlay network and a service on it', { skip: dockerCliSkip() }, async () => {
    const docker = async (args: string[]): Promise<string> => {
      const result = await runner.run(DOCKER_CLI, ['-H', `unix://${labNode(0).socket}`, ...args], ANY_CODE);
      assert.equal(result.code, 0, `docker ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    await docker(['network', 'create', '-d', 'overlay', 'dnet']);
    assert.match(await docker(['network', 'ls', '--filter', 'driver=overlay', '--format', '{{.Name}} {{.Driver}} {{.Scope}}']), /dnet overlay swarm/);
    const [inspected] = JSON.parse(await docker(['network', 'inspect', 'dnet'])) as { Driver: string; Scope: string; IPAM: { Config: { Subnet: string }[] } }[];
    assert.ok(inspected);
    assert.equal(inspected.Driver, 'overlay');
    assert.equal(inspected.Scope, 'swarm');
    assert.match(inspected.IPAM.Config.map((c) => c.Subnet).join(), /^10\.0\.\d+\.0\/24$/);
    await docker(['service', 'create', '--detach', '--name', 'dweb', '--network', 'dnet', '--replicas', '2', 'busybox', ...WEB]);
    await eventually('2 dweb tasks running', async () => (await running('dweb')).length === 2, CONVERGE_MS);
    const [task] = await running('dweb');
    assert.equal(task?.NetworksAttachments?.[0]?.Network.Spec.Name, 'dnet');
    const refused = await runner.run(DOCKER_CLI, ['-H', `unix://${labNode(0).socket}`, 'network', 'rm', 'dnet'], ANY_CODE);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /in use by service dweb/);
    await docker(['service', 'rm', 'dweb']);
    await eventually('dnet removable once dweb is gone', async () => (await runner.run(DOCKER_CLI, ['-H', `unix://${labNode(0).socket}`, 'network', 'rm', 'dnet'], ANY_CODE)).code === 0, CONVERGE_MS);
  });

  test('once the services are gone, every node removes its share of the network; the network is removed', async () => {
    await cli(0, ['service', 'rm', 'web', 'client', 'slow']);
    await eventually('no overlay device or guard left on any node', async () => {
      for (let index = 0; index < 3; index++) if ((await overlayLeftovers(index)).length > 0) return false;
      return true;
    }, CONVERGE_MS);
    await cli(0, ['network', 'rm', 'front']);
    assert.doesNotMatch(await cli(0, ['network', 'ls']), /front/);
  });
});
