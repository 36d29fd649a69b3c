// Swarm's objects as dockerd shapes them, with dockerd's answers as the expected ones: the same
// service is made with the docker CLI on a private dockerd in swarm mode (in a network namespace of
// its own) and on a berth cluster of one manager (a lab node); every key of dockerd's JSON must be
// in berth's, with the same JSON type, except the fields listed below with why berth leaves them
// out; the docker CLI's tables have dockerd's columns. Needs root, docker.io and the lab.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ChildProcessRunner } from '../../src/base/process-runner.js';
import { DOCKER_CLI, dockerCliSkip } from '../support/docker-cli-session.js';
import { busyboxTar, labSkipReason, removeBusyboxTar, TestLab } from '../support/lab.js';
import { PrivateDockerd } from '../support/private-dockerd.js';
import { http } from '../support/side-by-side.js';
import { existsSync } from 'node:fs';

const runner = new ChildProcessRunner();
const NETNS = 'berth-e2e-swarm-shape';
const BRIDGE = 'bbshape0';
const CONVERGE_MS = 120_000;

/**
 * Keys of dockerd's answers berth does not have yet, by the object they are in, with why. Each is
 * a path as `shapeOf` writes it; a key below a listed one is left out with it.
 */
const KNOWN_GAPS: Readonly<Record<'service' | 'task' | 'node' | 'swarm' | 'network', Readonly<Record<string, string>>>> = {
  service: {
    'Spec.TaskTemplate.ContainerSpec.Init': 'no --init for tasks yet',
    'Spec.TaskTemplate.ContainerSpec.DNSConfig': 'no DNS options for tasks yet (cluster networking)',
  },
  task: {
    'Spec.ContainerSpec.Init': 'no --init for tasks yet',
    'Spec.ContainerSpec.DNSConfig': 'no DNS options for tasks yet (cluster networking)',
    'Status.ContainerStatus.PID': 'the agent reports the container id only',
    'Status.ContainerStatus.ExitCode': 'the agent reports the container id only',
  },
  node: {},
  swarm: {},
  network: {
    'Containers.lb-shapenet': 'no load-balancer endpoint: berth balances a VIP in each client\'s own namespace',
  },
};

/** Headings of `service inspect --pretty` berth does not print yet, with why. */
const KNOWN_PRETTY_GAPS: Readonly<Record<string, string>> = {
  UpdateConfig: 'no rolling updates yet (deployments)', RollbackConfig: 'no rollbacks yet (deployments)',
  Parallelism: 'under UpdateConfig', 'On failure': 'under UpdateConfig', 'Monitoring Period': 'under UpdateConfig',
  'Max failure ratio': 'under UpdateConfig', 'Update order': 'under UpdateConfig', 'Rollback order': 'under RollbackConfig',
  Init: 'no --init for tasks yet',
};

type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** Every key path of a JSON value with the type found there (`a.b`, `a.list[].c`). */
export function shapeOf(value: unknown, path = '', out = new Map<string, Set<JsonType>>()): Map<string, Set<JsonType>> {
  const type: JsonType = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value as JsonType;
  if (path !== '') out.set(path, (out.get(path) ?? new Set()).add(type));
  if (Array.isArray(value)) for (const item of value) shapeOf(item, `${path}[]`, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) shapeOf(item, path === '' ? key : `${path}.${key}`, out);
  }
  return out;
}

/** dockerd's paths berth lacks (or types it answers differently), leaving out the known gaps. */
function differences(expected: unknown, actual: unknown, gaps: Readonly<Record<string, string>>): string[] {
  const want = shapeOf(expected);
  const have = shapeOf(actual);
  const gap = (path: string): boolean => Object.keys(gaps).some((g) => path === g || path.startsWith(`${g}.`) || path.startsWith(`${g}[]`));
  const out: string[] = [];
  for (const [path, types] of want) {
    if (gap(path)) continue;
    const got = have.get(path);
    if (got === undefined) out.push(`missing ${path}`);
    else if (![...types].filter((t) => t !== 'null').every((t) => got.has(t) || got.has('null'))) out.push(`${path}: ${[...got].join('|')} instead of ${[...types].join('|')}`);
  }
  return out;
}

/** The gaps of an object, for a list of them. */
function inList(gaps: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(gaps).map(([path, why]) => [`[].${path}`, why]));
}

/** The header row of a docker CLI table: its column names. */
function columns(output: string): string[] {
  return (output.split('\n')[0] ?? '').trim().split(/\s{2,}/);
}

describe('Swarm objects as dockerd shapes them', { skip: labSkipReason() || dockerCliSkip() || (!existsSync('/usr/sbin/dockerd') && 'needs dockerd (apt-get install docker.io)') }, () => {
  let lab: TestLab | undefined;
  let dockerd: PrivateDockerd | undefined;
  const sockets = { dockerd: '', berthd: '' };
  const docker = (daemon: 'dockerd' | 'berthd', ...args: string[]): string => {
    const result = spawnSync(DOCKER_CLI, args, { env: { ...process.env, DOCKER_HOST: `unix://${sockets[daemon]}` }, encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, `docker ${args.join(' ')} on ${daemon}: ${result.stderr}`);
    return result.stdout;
  };
  const json = async (daemon: 'dockerd' | 'berthd', path: string): Promise<unknown> => {
    const answer = await http(sockets[daemon], 'GET', path);
    assert.equal(answer.status, 200, `${daemon} GET ${path}: ${answer.body}`);
    return JSON.parse(answer.body);
  };
  const running = async (daemon: 'dockerd' | 'berthd'): Promise<number> =>
    ((await json(daemon, '/tasks?filters={"service":["shape"],"desired-state":["running"]}')) as { Status: { State: string } }[]).filter((t) => t.Status.State === 'running').length;

  before(async () => {
    lab = await TestLab.start(1, 0);
    const node = lab.node(0);
    await lab.loadBusybox(node);
    sockets.berthd = node.socket;
    await runner.run('ip', ['netns', 'del', NETNS], { okCodes: [0, 1] });
    await runner.run('ip', ['netns', 'add', NETNS]);
    await runner.run('ip', ['-n', NETNS, 'link', 'set', 'lo', 'up']);
    await runner.run('ip', ['-n', NETNS, 'link', 'add', BRIDGE, 'type', 'bridge']);
    await runner.run('ip', ['-n', NETNS, 'addr', 'add', '172.30.98.1/24', 'dev', BRIDGE]);
    await runner.run('ip', ['-n', NETNS, 'link', 'set', BRIDGE, 'up']);
    dockerd = await PrivateDockerd.start({ netns: NETNS, bridge: BRIDGE });
    sockets.dockerd = dockerd.socketPath;
    await dockerd.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    await dockerd.docker(['load', '-i', await busyboxTar()]);
    // The same service on both; dockerd by image id, so that its agent does not look for a registry.
    const image = (await dockerd.docker(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).stdout.trim();
    const flags = ['--detach', '--no-resolve-image', '--name', 'shape', '--replicas', '2', '--label', 'team=a', '--container-label', 'tier=web',
      '--env', 'MODE=test', '--restart-condition', 'on-failure', '--restart-max-attempts', '3', '--constraint', 'node.role==manager'];
    docker('dockerd', 'service', 'create', ...flags, image, 'sleep', '1d');
    docker('berthd', 'service', 'create', ...flags, 'busybox', 'sleep', '1d');
    const deadline = Date.now() + CONVERGE_MS;
    while ((await running('dockerd')) < 2 || (await running('berthd')) < 2) {
      if (Date.now() > deadline) throw new Error('the services did not run their 2 tasks in time');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  after(async () => {
    if (dockerd !== undefined) {
      await dockerd.docker(['swarm', 'leave', '--force']).catch(() => undefined);
      await dockerd.stop();
    }
    await runner.run('ip', ['netns', 'del', NETNS], { okCodes: [0, 1] });
    await lab?.close();
    await removeBusyboxTar();
  });

  test('a service: every key of dockerd\'s inspect, with its type', async () => {
    const [expected, actual] = await Promise.all([json('dockerd', '/services/shape'), json('berthd', '/services/shape')]);
    const [list, berthList] = await Promise.all([json('dockerd', '/services?status=true'), json('berthd', '/services?status=true')]);
    assert.deepEqual({ inspect: differences(expected, actual, KNOWN_GAPS.service), list: differences(list, berthList, inList(KNOWN_GAPS.service)) }, { inspect: [], list: [] });
  });

  test('its tasks, a node and the swarm: every key of dockerd\'s, with its type', async () => {
    const path = '/tasks?filters={"service":["shape"]}';
    const [tasks, berthTasks] = await Promise.all([json('dockerd', path), json('berthd', path)]);
    const [nodes, berthNodes] = await Promise.all([json('dockerd', '/nodes'), json('berthd', '/nodes')]);
    const [swarm, berthSwarm] = await Promise.all([json('dockerd', '/swarm'), json('berthd', '/swarm')]);
    assert.deepEqual({
      tasks: differences(tasks, berthTasks, inList(KNOWN_GAPS.task)),
      nodes: differences(nodes, berthNodes, inList(KNOWN_GAPS.node)),
      swarm: differences(swarm, berthSwarm, KNOWN_GAPS.swarm),
    }, { tasks: [], nodes: [], swarm: [] });
  });

  test('an overlay network, a service on it and its tasks: every key of dockerd\'s, with its type', async () => {
    // dnsrr: dockerd's virtual IPs need IPVS, which this kernel lacks.
    for (const daemon of ['dockerd', 'berthd'] as const) {
      docker(daemon, 'network', 'create', '-d', 'overlay', '--label', 'team=a', 'shapenet');
      const image = daemon === 'dockerd' ? (await dockerd?.docker(['image', 'inspect', '--format', '{{.Id}}', 'busybox']))?.stdout.trim() ?? '' : 'busybox';
      docker(daemon, 'service', 'create', '--detach', '--no-resolve-image', '--name', 'netshape', '--network', 'name=shapenet,alias=ns', '--endpoint-mode', 'dnsrr', image, 'sleep', '1d');
    }
    const deadline = Date.now() + CONVERGE_MS;
    const up = async (daemon: 'dockerd' | 'berthd'): Promise<boolean> =>
      ((await json(daemon, '/tasks?filters={"service":["netshape"]}')) as { Status: { State: string } }[]).some((t) => t.Status.State === 'running');
    while (!(await up('dockerd')) || !(await up('berthd'))) {
      if (Date.now() > deadline) throw new Error('the netshape services did not run in time');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const pair = (path: string): Promise<[unknown, unknown]> => Promise.all([json('dockerd', path), json('berthd', path)]);
    // Containers are keyed by their ids, which differ: compare them under one key.
    const byRole = (view: unknown): unknown => {
      const { Containers: containers, ...rest } = view as { Containers?: Record<string, unknown> | null };
      return { ...rest, Containers: Object.fromEntries(Object.entries(containers ?? {}).map(([id, c]) => [id.startsWith('lb-') ? id : 'task', c])) };
    };
    const [network, berthNetwork] = (await pair('/networks/shapenet')).map(byRole);
    const [service, berthService] = await pair('/services/netshape');
    const [tasks, berthTasks] = await pair('/tasks?filters={"service":["netshape"]}');
    assert.deepEqual({
      network: differences(network, berthNetwork, KNOWN_GAPS.network),
      service: differences(service, berthService, KNOWN_GAPS.service),
      tasks: differences(tasks, berthTasks, inList(KNOWN_GAPS.task)),
    }, { network: [], service: [], tasks: [] });
  });

  test('the docker CLI\'s tables have the same columns', () => {
    for (const args of [['service', 'ls'], ['service', 'ps', 'shape'], ['node', 'ls']]) {
      assert.deepEqual(columns(docker('berthd', ...args)), columns(docker('dockerd', ...args)), args.join(' '));
    }
    // `service inspect --pretty` has dockerd's headings, line for line (their values differ).
    const headings = (text: string): string[] => text.split('\n').map((line) => line.split(':')[0]?.trim() ?? '').filter((h) => h !== '' && !h.startsWith('ID') && !/^\d/.test(h));
    const pretty = headings(docker('dockerd', 'service', 'inspect', '--pretty', 'shape'));
    const berthPretty = headings(docker('berthd', 'service', 'inspect', '--pretty', 'shape'));
    assert.deepEqual(pretty.filter((h) => !berthPretty.includes(h) && KNOWN_PRETTY_GAPS[h] === undefined), []);
  });
});
