// The filters of every list route (/containers/json, /images/json, /networks, /volumes) against a
// private dockerd holding the same objects: the same query must select the same objects, and a
// refused filter must get dockerd's message. docker-compose 1.29 (which ANDs label filters for
// `ps` and `exec`), dockerode and the Python SDK are the clients. Needs root, runc, conmon,
// docker.io, docker-compose and python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { python, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

const COMPOSE = '/usr/bin/docker-compose';
const skip = sideBySideSkip() || (!existsSync(COMPOSE) && 'needs docker-compose');

type Kind = 'containers' | 'images' | 'networks' | 'volumes';
type Filters = Record<string, string[]>;
interface Answer { status: number; selected?: string[]; message?: string }

/** What a list answer selected: container names, images' tags, network or volume names. */
function selected(kind: Kind, items: Record<string, unknown>[]): string[] {
  const names = items.map((item) => {
    if (kind === 'containers') return ((item.Names as string[])[0] ?? '').slice(1);
    if (kind === 'images') return [...((item.RepoTags as string[] | null) ?? [])].sort().join(',');
    return String(item.Name);
  });
  // Networks and volumes each side has besides the test's (dockerd's host/none, berth's bridge) are not compared.
  return names.filter((n) => (kind === 'networks' ? n.startsWith('probe-') : kind === 'volumes' ? n.startsWith('vol') : true)).sort();
}

async function list(daemon: Daemon, kind: Kind, filters: Filters, all = true): Promise<Answer> {
  const c = daemon.client;
  const options = { filters: JSON.stringify(filters) };
  try {
    const items = kind === 'containers' ? await c.listContainers({ all, ...options })
      : kind === 'images' ? await c.listImages({ all: false, ...options })
      : kind === 'networks' ? await c.listNetworks(options)
      : (await c.listVolumes(options)).Volumes;
    return { status: 200, selected: selected(kind, items as unknown as Record<string, unknown>[]) };
  } catch (err) {
    const failure = err as { statusCode?: number; json?: { message?: string } };
    return { status: failure.statusCode ?? 0, message: failure.json?.message ?? String(err) };
  }
}

/** Containers, images, volumes and networks made the same way on both daemons. */
function populate(d: Daemon): void {
  const run = (args: string[], input?: string): void => {
    const r = d.docker(args, input === undefined ? {} : { input });
    assert.equal(r.code, 0, `${d.name}: docker ${args.join(' ')}: ${r.err}`);
  };
  const ok = (...args: string[]): void => { run(args); };
  run(['build', '-q', '-t', 'child:1', '-'], 'FROM busybox\nLABEL team=a tier=x\n');
  run(['build', '-q', '-t', 'other:2', '-'], 'FROM busybox\nLABEL team=b\n');
  ok('tag', 'busybox', 'busybox:second');
  ok('tag', 'child:1', 'reg.example/ns/child:3');
  ok('volume', 'create', '--label', 'team=a', 'vol-a');
  ok('volume', 'create', '--label', 'team=b', '--label', 'x=1', 'vol-b');
  ok('network', 'create', '--label', 'team=a', 'probe-a');
  ok('network', 'create', '--label', 'team=a', '--label', 'x=1', 'probe-b');
  ok('create', '--network', 'none', '--name', 'web-1', '--label', 'app=web', '--label', 'tier=front', 'busybox', 'sleep', '1000');
  ok('create', '--network', 'none', '--name', 'web-2', '--label', 'app=web', '--label', 'tier=back', '-v', 'vol1:/data', 'busybox', 'sleep', '1000');
  ok('create', '--network', 'none', '--name', 'db-1', '--label', 'app=db', '--label', 'tier=back', 'busybox', 'sh', '-c', 'exit 3');
  ok('create', '--network', 'none', '--name', 'cr-1', '--label', 'app', 'busybox', 'true');
  ok('create', '--network', 'none', '--name', 'kid-1', 'child:1', 'true');
  ok('start', 'web-1', 'db-1');
  ok('wait', 'db-1');
  ok('run', '--network', 'none', '--name', 'ok-1', '--label', 'other=x', 'busybox', 'true');
}

const SAME: [Kind, Filters][] = [
  ['containers', { label: ['app=web', 'tier=back'] }], ['containers', { label: ['app', 'tier'] }], ['containers', { label: ['app=web', 'app=db'] }],
  ['containers', { label: ['app='] }], ['containers', { label: ['team=a'] }], ['containers', { label: ['app=web'], name: ['web-1'] }],
  ['containers', { name: ['^web'] }], ['containers', { name: ['^/web'] }], ['containers', { name: ['b-', 'ok'] }], ['containers', { name: ['[bad'] }],
  ['containers', { status: ['exited', 'created'] }], ['containers', { exited: ['0', '3'] }], ['containers', { exited: ['3'], status: ['exited'] }],
  ['containers', { health: ['none'] }], ['containers', { ancestor: ['busybox:latest'] }], ['containers', { ancestor: ['child'] }], ['containers', { ancestor: ['nosuch'] }],
  ['containers', { volume: ['vol1'] }], ['containers', { volume: ['/data'] }], ['containers', { network: ['none'] }], ['containers', { network: ['probe-a'] }],
  ['containers', { before: ['db-1'] }], ['containers', { since: ['web-2'], before: ['ok-1'] }], ['containers', { 'is-task': ['false'] }], ['containers', { 'is-task': ['true'] }],
  ['containers', { isolation: ['default'] }], ['containers', { publish: ['80'] }], ['containers', { expose: ['80/udp'] }],
  ['images', {}], ['images', { label: ['team'] }], ['images', { label: ['team=a', 'tier=x'] }], ['images', { label: ['team=a', 'team=b'] }],
  ['images', { dangling: ['false'] }], ['images', { reference: ['busybox:second'] }], ['images', { reference: ['busybox:s*'] }], ['images', { reference: ['child'] }],
  ['images', { reference: ['*/*/child'] }], ['images', { reference: ['busybox', 'child'] }], ['images', { reference: ['busybox:[ls]*'] }], ['images', { reference: ['busy?ox'] }],
  ['images', { dangling: ['false'], reference: ['child'] }], ['images', { reference: ['busybox'], label: ['team'] }],
  ['volumes', {}], ['volumes', { name: ['^vol-'] }], ['volumes', { name: ['vol-a', 'vol-b'] }], ['volumes', { label: ['team=b', 'x=1'] }], ['volumes', { label: ['team=a', 'x=1'] }],
  ['volumes', { dangling: ['true'] }], ['volumes', { dangling: ['0'] }], ['volumes', { dangling: ['true', 'false'] }], ['volumes', { driver: ['local', 'other'] }],
  ['networks', {}], ['networks', { name: ['^probe-a'] }], ['networks', { label: ['team=a', 'x=1'] }], ['networks', { label: ['team=a', 'x=2'] }],
  ['networks', { driver: ['bridge'] }], ['networks', { type: ['custom'] }], ['networks', { scope: ['local'] }], ['networks', { scope: ['swarm'] }], ['networks', { dangling: ['1'] }],
];

const REFUSED: [Kind, Filters][] = [
  ['containers', { colour: ['red'] }], ['containers', { 'label!': ['app'] }], ['containers', { status: ['bogus'] }], ['containers', { health: ['bogus'] }],
  ['containers', { 'is-task': ['maybe'] }], ['containers', { exited: ['x'] }], ['containers', { publish: ['a:1'] }], ['containers', { expose: ['x'] }],
  ['images', { colour: ['x'] }], ['images', { dangling: ['maybe'] }], ['images', { dangling: ['1'] }], ['images', { reference: ['[bad'] }], ['images', { 'label!': ['team'] }],
  ['volumes', { colour: ['x'] }], ['volumes', { dangling: ['bogus'] }], ['volumes', { 'label!': ['team'] }], ['volumes', { all: ['true'] }],
  ['networks', { colour: ['x'] }], ['networks', { type: ['bogus'] }], ['networks', { dangling: ['bogus'] }], ['networks', { dangling: ['true', 'false'] }],
];

describe('list filters select what dockerd selects', { skip }, () => {
  let pair: SideBySide;
  let work: string;

  before(async () => {
    pair = await SideBySide.start('berth-e2e-filters-');
    work = pair.berth.work;
    for (const daemon of pair.daemons) populate(daemon);
  });
  after(async () => {
    // dockerd's networks are host bridges: removed before it stops.
    await pair.close(() => {
      const dockerd = pair.daemon('dockerd');
      dockerd.docker(['rm', '-f', 'web-1', 'web-2', 'db-1', 'cr-1', 'kid-1', 'ok-1']);
      dockerd.docker(['network', 'rm', 'probe-a', 'probe-b']);
      return Promise.resolve();
    });
  });

  test('the same filters select the same objects (dockerode)', async () => {
    const [dockerd, berthd] = pair.daemons;
    for (const [kind, filters] of SAME) {
      const expected = await list(dockerd, kind, filters);
      assert.equal(expected.status, 200, `dockerd ${kind} ${JSON.stringify(filters)}: ${expected.message ?? ''}`);
      assert.deepEqual(await list(berthd, kind, filters), expected, `${kind} ${JSON.stringify(filters)}`);
    }
    // `status` lists stopped containers without `all`; `exited` does not.
    for (const filters of [{ status: ['exited'] }, { exited: ['3'] }] as Filters[]) {
      assert.deepEqual(await list(berthd, 'containers', filters, false), await list(dockerd, 'containers', filters, false), JSON.stringify(filters));
    }
  });

  test('id prefixes select; before/since take a full id, not a prefix', async () => {
    const answers = [];
    for (const daemon of pair.daemons) {
      const id = (await daemon.client.getContainer('db-1').inspect()).Id;
      const prefix = await list(daemon, 'containers', { since: [id.slice(0, 12)] });
      answers.push([await list(daemon, 'containers', { id: [id.slice(0, 8)] }), await list(daemon, 'containers', { since: [id] }), await list(daemon, 'containers', { before: [id] }), prefix.status >= 400]);
    }
    assert.deepEqual(answers[1], answers[0]);
  });

  test('refused filters get dockerd\'s message (400, where dockerd answers 500 for a bad value too)', async () => {
    const [dockerd, berthd] = pair.daemons;
    for (const [kind, filters] of REFUSED) {
      const expected = await list(dockerd, kind, filters);
      const actual = await list(berthd, kind, filters);
      assert.ok(expected.status >= 400, `dockerd accepted ${kind} ${JSON.stringify(filters)}`);
      assert.equal(actual.message, expected.message, `${kind} ${JSON.stringify(filters)}`);
      assert.equal(actual.status, expected.status >= 500 ? 400 : expected.status, `${kind} ${JSON.stringify(filters)}`);
    }
    const unknown = await list(berthd, 'containers', { since: ['nosuch'] });
    assert.equal(unknown.status, 404);
  });

  test('the Python SDK: several label filters are ANDed', () => {
    const script = 'print(json.dumps(sorted(c.name for c in client.containers.list(all=True, filters={"label": ["app=web", "tier=back"]}))))';
    const answers = pair.daemons.map((daemon) => python(daemon.socketPath, script));
    for (const answer of answers) assert.equal(answer.code, 0, answer.err);
    assert.deepEqual(JSON.parse(answers[1]?.out ?? ''), ['web-2']);
    assert.equal(answers[1]?.out, answers[0]?.out);
  });

  test('docker-compose lists each container once and execs in the service asked for', async () => {
    const dir = join(work, 'compose');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'docker-compose.yml'), [
      'version: "2.4"',
      'services:',
      ...['a', 'b'].flatMap((s) => [`  ${s}:`, '    image: busybox', '    command: ["sleep", "1000"]', '    network_mode: none', `    hostname: host-${s}`]),
    ].join('\n'));
    const outcomes = [];
    for (const daemon of pair.daemons) {
      const compose = (...args: string[]) => spawnSync(COMPOSE, ['-p', 'fidelity', ...args], {
        cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOCKER_HOST: `unix://${daemon.socketPath}`, COMPOSE_INTERACTIVE_NO_CLI: '1' },
      });
      try {
        const up = compose('up', '-d');
        assert.equal(up.status, 0, up.stderr);
        const ids = compose('ps', '-q').stdout.split('\n').filter(Boolean);
        const execB = compose('exec', '-T', 'b', 'hostname');
        const execA = compose('exec', '-T', 'a', 'hostname');
        outcomes.push({ ids: ids.length, distinct: new Set(ids).size, b: execB.stdout.trim(), a: execA.stdout.trim() });
      } finally {
        compose('down', '-t', '1');
      }
    }
    assert.deepEqual(outcomes[1], { ids: 2, distinct: 2, b: 'host-b', a: 'host-a' });
    assert.deepEqual(outcomes[1], outcomes[0]);
  });
});
