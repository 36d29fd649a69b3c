// Networks as dockerd answers them, berthd beside a private dockerd in the same test: network
// inspect shows exactly the options, IPAM and flags asked for (raw API, the docker CLI and the
// Python SDK); names may be anything but blank; refused creates get dockerd's message; endpoint
// settings (aliases, links, driver options, IPv4/IPv6/link-local addresses, MAC) given at create
// or connect are kept and shown before a start, after it and after a stop; docker-compose 1.29
// runs `up -d` twice without recreating a network with options or its containers. Each daemon
// gets subnets of its own (they share the host's routes); answers are compared with those
// subnets, ids and times replaced by placeholders. Needs root, runc, conmon, dockerd,
// docker-compose and python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIpv4, overlaps, parseCidr, type Ipv4Block } from '../../src/network/ipv4.js';
import { routeDestinations } from '../../src/network/subnet-choice.js';
import { keepIpv6Forwarding } from '../integration/network/network-fixture.js';
import { http, pythonOk, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';

const COMPOSE = '/usr/bin/docker-compose';
const skip = sideBySideSkip() || (!existsSync(COMPOSE) && 'needs docker-compose');
type Side = Daemon['name'];

/** Per daemon: three free IPv4 /24s (`A.B.C`) and four random ULA /64 prefixes (`fdXX:YYYY:N`). */
interface Subnets { v4: string[]; v6: string[] }

/** The first /24 from 10.200.0.0 up (away from the subnets berthd chooses itself) that overlaps nothing taken. */
function freeV4(taken: Ipv4Block[]): string {
  for (let base = (parseCidr('10.200.0.0/24') as Ipv4Block).base; base < (parseCidr('10.250.0.0/24') as Ipv4Block).base; base += 256) {
    const candidate = { base, prefix: 24 };
    if (taken.some((t) => overlaps(t, candidate))) continue;
    taken.push(candidate);
    return formatIpv4(base).replace(/\.0$/, '');
  }
  throw new Error('no free /24 in 10.200.0.0 – 10.249.255.0');
}

function pickSubnets(): Record<Side, Subnets> {
  const routes = routeDestinations(spawnSync('ip', ['-j', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }).stdout);
  const taken = routes.map((r) => parseCidr(r.includes('/') ? r : `${r}/32`)).filter((b): b is Ipv4Block => b !== undefined);
  const sides = {} as Record<Side, Subnets>;
  for (const side of ['dockerd', 'berthd'] as const) {
    const v4 = [0, 1, 2].map(() => freeV4(taken));
    const [a = 0, b = 0, c = 0] = [...randomBytes(3)];
    const v6 = [1, 2, 3, 4].map((n) => `fd${(a | 1).toString(16).padStart(2, '0')}:${((b << 8) | c | 1).toString(16)}:${n}`);
    sides[side] = { v4, v6 };
  }
  return sides;
}

async function api(d: Daemon, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const answer = await http(d.socketPath, method, `/v1.41${path}`, body === undefined ? undefined : JSON.stringify(body), { 'Content-Type': 'application/json' });
  return { status: answer.status, json: answer.body === '' ? {} : JSON.parse(answer.body) as Record<string, unknown> };
}

describe('networks answer as dockerd answers them', { skip }, () => {
  let pair: SideBySide;
  let subnets: Record<Side, Subnets>;
  const networks: string[] = [];
  let restoreForwarding: () => Promise<void> = () => Promise.resolve();
  before(async () => {
    restoreForwarding = await keepIpv6Forwarding();
    pair = await SideBySide.start('berth-e2e-networks-');
    subnets = pickSubnets();
  });
  after(async () => {
    // dockerd's networks are host bridges: removed before it stops (berthd's go with its root).
    await pair.close(async () => {
      const dockerd = pair.daemon('dockerd');
      const ids = dockerd.docker(['ps', '-aq']).out.split('\n').filter(Boolean);
      if (ids.length > 0) dockerd.docker(['rm', '-f', ...ids]);
      for (const name of networks) dockerd.docker(['network', 'rm', name]);
      await Promise.resolve();
    }).finally(restoreForwarding);
  });

  /** The daemon's own subnets, ids, short ids and times replaced by placeholders; auto-chosen IPv4 pools as `<auto>`. */
  function normalize(side: Side, value: unknown, ids: Record<string, string> = {}): unknown {
    let text = JSON.stringify(value);
    subnets[side].v4.forEach((s, i) => { text = text.split(`${s}.`).join(`V4-${i}.`); });
    subnets[side].v6.forEach((s, i) => { text = text.split(`${s}:`).join(`V6-${i}:`); });
    for (const [id, name] of Object.entries(ids)) text = text.split(id).join(`<${name}>`);
    return JSON.parse(text, (key, v: unknown) => {
      if (key === 'Created' && typeof v === 'string') return Number.isNaN(Date.parse(v)) ? v : '<time>';
      if ((key === 'Subnet' || key === 'Gateway') && typeof v === 'string' && !v.startsWith('V')) return '<auto>';
      return v;
    }) as unknown;
  }

  /** The same request to both daemons (built per daemon from its subnets); dockerd's answer, then berthd's. */
  async function onBoth<T>(make: (s: Subnets, d: Daemon) => Promise<T>): Promise<[T, T]> {
    return [await make(subnets.dockerd, pair.daemon('dockerd')), await make(subnets.berthd, pair.daemon('berthd'))];
  }

  async function createAndInspect(d: Daemon, body: Record<string, unknown>): Promise<unknown> {
    const created = await api(d, 'POST', '/networks/create', body);
    assert.equal(created.status, 201, `${d.name}: ${JSON.stringify(created.json)}`);
    const id = String(created.json.Id);
    if (d.name === 'dockerd') networks.push(id);
    return normalize(d.name, (await api(d, 'GET', `/networks/${id}`)).json, { [id]: 'id' });
  }

  test('network inspect shows what was asked for and nothing else, field by field', async () => {
    const bodies = (s: Subnets): Record<string, unknown>[] => [
      { Name: 'nf-plain' },
      { Name: 'nf-opts', Options: { 'com.docker.network.driver.mtu': '1400', foo: 'bar' }, Labels: { a: 'b' }, Internal: true, Attachable: true },
      {
        Name: 'nf-ipam',
        IPAM: { Driver: 'default', Options: { k: 'v' }, Config: [{ Subnet: `${s.v4[0]}.0/24`, IPRange: `${s.v4[0]}.128/25`, Gateway: `${s.v4[0]}.254`, AuxiliaryAddresses: { r: `${s.v4[0]}.5` } }] },
      },
      { Name: 'nf-dual', EnableIPv6: true, IPAM: { Config: [{ Subnet: `${s.v4[1]}.0/24` }, { Subnet: `${s.v6[0]}::/64`, Gateway: `${s.v6[0]}::fe` }] } },
      { Name: 'nf-v6', EnableIPv6: true, IPAM: { Config: [{ Subnet: `${s.v6[1]}::/64` }] } },
      { Name: 'nf-v6-off', IPAM: { Config: [{ Subnet: `${s.v6[2]}::/64` }] } },
      // A pool kept on a network without IPv6 is not taken.
      { Name: 'nf-v6-again', EnableIPv6: true, IPAM: { Config: [{ Subnet: `${s.v6[2]}::/64` }] } },
      { Name: 'nf with space' }, { Name: 'nf:ünï' },
    ];
    const [dockerd, berthd] = await onBoth(async (s, d) => {
      const views = [];
      for (const body of bodies(s)) views.push(await createAndInspect(d, body));
      return views;
    });
    for (const [i, expected] of dockerd.entries()) assert.deepEqual(berthd[i], expected, JSON.stringify(bodies(subnets.berthd)[i]));
    // The docker CLI sends IPAM.Options {}; the Python SDK sends none.
    const [cliD, cliB] = await onBoth((_s, d) => {
      const r = d.docker(['network', 'create', '-o', 'com.docker.network.bridge.enable_icc=false', '--label', 'x=y', 'nf-cli']);
      assert.equal(r.code, 0, r.err);
      if (d.name === 'dockerd') networks.push('nf-cli');
      return Promise.resolve(normalize(d.name, JSON.parse(d.docker(['network', 'inspect', 'nf-cli']).out), { [r.out.trim()]: 'id' }));
    });
    assert.deepEqual(cliB, cliD);
    const script = 'n = client.networks.create("nf-py", driver="bridge", options={"k": "v"}, labels={"l": "1"}, attachable=True)\nprint(json.dumps(n.attrs))';
    const [pyD, pyB] = await onBoth((_s, d) => {
      const attrs = JSON.parse(pythonOk(d.socketPath, script)) as Record<string, unknown>;
      if (d.name === 'dockerd') networks.push('nf-py');
      return Promise.resolve(normalize(d.name, attrs, { [String(attrs.Id)]: 'id' }));
    });
    assert.deepEqual(pyB, pyD);
  });

  test('refused creates get dockerd\'s message (400 where dockerd answers 403 or 500 for a bad request)', async () => {
    const cases = (s: Subnets): Record<string, unknown>[] => [
      { Name: '' }, { Name: '   ' }, { Name: 'host' }, { Name: 'bridge' }, { Name: 'default' }, { Name: 'nf-x', EnableIPv6: true },
      { Name: 'nf-x', IPAM: { Config: [{ Subnet: `${s.v4[2]}.0/25` }, { Subnet: `${s.v4[2]}.128/25` }] } }, { Name: 'nf-x', Scope: 'swarm' },
      // (An IPAM driver other than `default`: dockerd looks for the plugin 15 s; the unit test of planIpam has its message.)
      { Name: 'nf-x', Ingress: true },
    ];
    const [dockerd, berthd] = await onBoth(async (s, d) => {
      const answers = [];
      for (const body of cases(s)) answers.push(await api(d, 'POST', '/networks/create', body));
      return answers;
    });
    for (const [i, expected] of dockerd.entries()) {
      const actual = berthd[i] ?? assert.fail(`no answer ${i}`);
      const what = JSON.stringify(cases(subnets.berthd)[i]);
      assert.ok(expected.status >= 400, `dockerd accepted ${what}`);
      assert.equal(actual.json.message, expected.json.message, what);
      assert.equal(actual.status, expected.status === 500 || (expected.status === 403 && !/predefined/.test(String(expected.json.message))) ? 400 : expected.status, what);
    }
  });

  test('endpoint settings are kept and shown as dockerd shows them: created, started, stopped', async () => {
    const containers = (s: Subnets): [string, Record<string, unknown>][] => [
      ['nf-full', {
        MacAddress: '02:42:0a:00:00:09', HostConfig: { NetworkMode: 'nf-dual' },
        NetworkingConfig: {
          EndpointsConfig: {
            'nf-dual': {
              Aliases: ['al1', 'al2'], Links: ['nf-plain-c:tg'], DriverOpts: { k1: 'v1' },
              IPAMConfig: { IPv4Address: `${s.v4[1]}.9`, IPv6Address: `${s.v6[0]}::9`, LinkLocalIPs: ['169.254.1.1', 'fe80::99'] },
            },
          },
        },
      }],
      ['nf-epmac', { HostConfig: { NetworkMode: 'nf-dual' }, NetworkingConfig: { EndpointsConfig: { 'nf-dual': { MacAddress: '02:42:0a:00:00:33' } } } }],
      ['nf-plain-c', { HostConfig: { NetworkMode: 'nf-plain' } }],
    ];
    const view = async (d: Daemon, name: string, ids: Record<string, string>): Promise<unknown> => {
      const inspect = (await api(d, 'GET', `/containers/${name}/json`)).json as { Id: string; Config: Record<string, unknown>; NetworkSettings: Record<string, unknown> };
      const all = { ...ids, [inspect.Id.slice(0, 12)]: 'short' };
      const normal = normalize(d.name, { MacAddress: inspect.Config.MacAddress ?? '<none>', NetworkSettings: inspect.NetworkSettings }, all);
      // Set or not is what compares: ids and paths are each daemon's own (berth has no sandbox id).
      const set = (key: string, v: unknown): unknown => ((key === 'EndpointID' || key === 'SandboxKey') && v !== '' ? '<set>' : key === 'SandboxID' ? '<sandbox>' : v);
      return JSON.parse(JSON.stringify(normal), set) as unknown;
    };
    const [dockerd, berthd] = await onBoth(async (s, d) => {
      const ids: Record<string, string> = {};
      for (const name of ['nf-dual', 'nf-plain']) ids[String((await api(d, 'GET', `/networks/${name}`)).json.Id)] = name;
      const states: unknown[] = [];
      for (const [name, body] of containers(s)) {
        const created = await api(d, 'POST', `/containers/create?name=${name}`, { Image: 'busybox:latest', Cmd: ['sleep', '1000'], ...body });
        assert.equal(created.status, 201, `${d.name} ${name}: ${JSON.stringify(created.json)}`);
        states.push(await view(d, name, ids));
      }
      // The docker CLI's connect (IPAMConfig and DriverOpts sent empty) to a created container.
      const connected = d.docker(['network', 'connect', '--alias', 'z', 'nf-dual', 'nf-plain-c']);
      assert.equal(connected.code, 0, connected.err);
      states.push(await view(d, 'nf-plain-c', ids));
      assert.equal((await api(d, 'POST', '/containers/nf-full/start')).status, 204);
      states.push(await view(d, 'nf-full', ids));
      const full = String((await api(d, 'GET', '/containers/nf-full/json')).json.Id);
      const attached = (await api(d, 'GET', '/networks/nf-dual')).json.Containers as Record<string, Record<string, unknown>>;
      states.push(normalize(d.name, Object.values(attached).map((c) => ({ ...c, EndpointID: c.EndpointID === '' ? '' : '<set>' })), { [full]: 'full' }));
      if (d.name === 'berthd') {
        // Link-local addresses are on the interface, as dockerd puts them.
        const addresses = d.docker(['exec', 'nf-full', 'ip', 'addr', 'show', 'eth0']).out;
        assert.match(addresses, /inet 169\.254\.1\.1\/16 /);
        assert.match(addresses, /inet6 fe80::99\/64 /);
      }
      assert.equal((await api(d, 'POST', '/containers/nf-full/stop?t=0')).status, 204);
      states.push(await view(d, 'nf-full', ids));
      return states;
    });
    const labels = ['created with every setting', 'created with an endpoint MAC', 'created plain', 'connected while created', 'started', 'network Containers', 'stopped'];
    // A MAC no one asked for is each daemon's choice (dockerd derives it from the address, berth lets the kernel pick).
    const chosenMac = (key: string, v: unknown): unknown => (key === 'MacAddress' && typeof v === 'string' && /^[0-9a-f:]{17}$/.test(v) && !v.startsWith('02:42:0a:00:00') ? '<chosen>' : v);
    for (const [i, expected] of dockerd.entries()) {
      assert.deepEqual(JSON.parse(JSON.stringify(berthd[i]), chosenMac), JSON.parse(JSON.stringify(expected), chosenMac), labels[i]);
    }
  });

  test('docker-compose up -d twice: the network with options and the containers stay', async () => {
    const outcomes: unknown[] = [];
    for (const d of pair.daemons) {
      const s = subnets[d.name];
      const dir = join(pair.berth.work, `compose-${d.name}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'docker-compose.yml'), [
        'version: "2.4"', 'services:', '  app:', '    image: busybox:latest', '    pull_policy: never', '    command: ["sleep", "1000"]',
        '    networks:', '      back:', '        aliases: [api]', '      six:', `        ipv6_address: ${s.v6[3]}::77`,
        'networks:', '  back:', '    driver: bridge', '    driver_opts:', '      com.docker.network.driver.mtu: "1400"', '    labels:', '      tier: back',
        '    ipam:', '      config:', `        - subnet: ${s.v4[2]}.0/24`, '          aux_addresses:', `            reserved: ${s.v4[2]}.5`,
        // compose 1.29 compares aux_addresses with sorted(): a pool without any makes it fail on the second `up`.
        '  six:', '    enable_ipv6: true', '    ipam:', '      config:', `        - subnet: ${s.v6[3]}::/64`, '          aux_addresses:', `            r6: ${s.v6[3]}::5`,
      ].join('\n'));
      const compose = (...args: string[]) => spawnSync(COMPOSE, ['-H', `unix://${d.socketPath}`, '-p', 'nfc', ...args], {
        cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, COMPOSE_INTERACTIVE_NO_CLI: '1' },
      });
      const state = (): string[] => ['nfc_back', 'nfc_six'].map((n) => d.docker(['network', 'inspect', '-f', '{{.Id}}', n]).out.trim()).concat(compose('ps', '-q').stdout.trim());
      try {
        const first = compose('up', '-d');
        assert.equal(first.status, 0, `${d.name}: ${first.stderr}`);
        const before = state();
        const second = compose('up', '-d');
        assert.equal(second.status, 0, `${d.name}: ${second.stderr}`);
        outcomes.push({ same: JSON.stringify(state()) === JSON.stringify(before), said: second.stderr.replace(/\s+/g, ' ').trim() });
      } finally {
        compose('down', '-t', '1');
      }
    }
    assert.deepEqual(outcomes[0], { same: true, said: 'nfc_app_1 is up-to-date' });
    assert.deepEqual(outcomes[1], outcomes[0]);
  });
});
