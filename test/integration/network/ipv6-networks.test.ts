// IPv6 on bridge networks on the real kernel with the CNI reference plugins: containers of a
// network with IPv6 get an address of its IPv6 subnet (chosen, or the one asked for), reach each
// other over IPv6 by address and by name (AAAA from berth's DNS), see their IPv6 address in
// /etc/hosts, and cannot reach a container of another IPv6 network (ip6tables rules in berth's own
// chains); endpoint aliases and link aliases resolve in berth's DNS. Removing containers and
// networks leaves no bridge, lease or rule (IPv4 or IPv6). Traffic goes only between the containers
// the test starts, on random ULA subnets (fdXX:…/64). Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EngineFixture, skipReason } from '../engine/engine-fixture.js';
import { keepIpv6Forwarding, networkLeftovers, runOn, startOn, WEB_CMD } from './network-fixture.js';

/** A random ULA /64 (never fd00::/64, which hosts like this one may use themselves). */
function randomUla(): string {
  const [a = 0, b = 0, c = 0] = [...randomBytes(3)];
  return `fd${(a | 1).toString(16).padStart(2, '0')}:${((b << 8) | c | 1).toString(16)}:6::/64`;
}

function ipv6Skip(): string | undefined {
  try {
    execFileSync('ip6tables', ['-w', '-S', 'FORWARD'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'needs ip6tables';
  }
}

const FETCH = (url: string): string => `(for i in 1 2 3 4 5; do timeout 3 wget -qO- ${url} && exit 0; sleep 1; done; exit 1)`;

describe('IPv6 on bridge networks', { skip: skipReason() ?? ipv6Skip() }, () => {
  let f: EngineFixture;
  let restoreForwarding: () => Promise<void> = () => Promise.resolve();
  const bridges: string[] = [];
  const subnets: string[] = [];
  const six = randomUla();
  const other = randomUla().replace(':6::/64', ':7::/64');
  before(async () => {
    restoreForwarding = await keepIpv6Forwarding();
    f = await EngineFixture.create();
    for (const [name, subnet] of [['six', six], ['six-other', other]] as const) {
      const n = await f.services.networks.create({ name, enableIPv6: true, ipam: { config: [{ subnet }] } });
      bridges.push(n.bridge);
      subnets.push(n.subnet, subnet);
    }
  });
  // The fixture's cleanup removes the containers and networks the tests leave.
  after(async () => {
    try {
      await f.cleanup();
    } finally {
      await restoreForwarding();
    }
  });

  test('the bridge holds the IPv6 gateway; a container gets an address of the subnet and the other reaches it by address and by name', async () => {
    const network = f.services.networks.resolve('six');
    const prefix = six.replace('::/64', '::');
    assert.equal(network.ipv6?.gateway, `${prefix}1`);
    assert.match(execFileSync('ip', ['-6', 'addr', 'show', 'dev', network.bridge], { encoding: 'utf8' }), new RegExp(`inet6 ${prefix}1/64`));
    const web = await startOn(f, 'web6', { mode: 'six' }, WEB_CMD('hello-six'));
    const [endpoint] = f.services.networks.store.endpointsOfContainer(web);
    const ip6 = endpoint?.ip6 ?? '';
    assert.ok(ip6.startsWith(prefix), ip6);
    assert.equal(endpoint?.prefixLen6, 64);
    const client = await runOn(f, { mode: 'six' }, `${FETCH(`http://[${ip6}]/`)} && ping -6 -c 1 -W 3 ${ip6} >/dev/null && nslookup -type=AAAA web6 && cat /etc/hosts`);
    assert.equal(client.exitCode, 0, client.stderr);
    assert.match(client.stdout, /^hello-six\n/);
    assert.match(client.stdout, new RegExp(`Address:\\s+${ip6}\\n`));
    assert.match(client.stdout, new RegExp(`^${prefix}[0-9a-f]+\\t`, 'm'));
  });

  test('a static IPv6 address is the container\'s; another IPv6 network reaches it neither by address nor by name', async () => {
    const prefix = six.replace('::/64', '::');
    const id = await startOn(f, 'fixed6', { mode: 'six', endpoints: { six: { ipv6Address: `${prefix}0:0:0:99` } } }, WEB_CMD('hello-fixed'));
    assert.equal(f.services.networks.store.endpointsOfContainer(id)[0]?.ip6, `${prefix}99`);
    const inside = await runOn(f, { mode: 'six' }, FETCH(`http://[${prefix}99]/`));
    assert.equal(inside.exitCode, 0, inside.stderr);
    assert.equal(inside.stdout, 'hello-fixed\n');
    const outsider = await runOn(f, { mode: 'six-other' }, `ping -6 -c 1 -W 2 ${prefix}99; echo "addr=$?"; timeout 3 wget -qO- http://fixed6/; echo "name=$?"`);
    assert.doesNotMatch(outsider.stdout, /hello-fixed/);
    assert.match(outsider.stdout, /addr=[1-9]/);
    assert.match(outsider.stdout, /name=[1-9]/);
    const rules = execFileSync('ip6tables', ['-w', '-S', 'BERTH-ISOLATION'], { encoding: 'utf8' });
    const bridge = f.services.networks.resolve('six').bridge;
    assert.match(rules, new RegExp(`-A BERTH-ISOLATION -i ${bridge} -o ${bridge} -j RETURN\\n(.*\\n)*-A BERTH-ISOLATION -i bn-\\+ -o ${bridge} -j DROP`));
  });

  test('aliases given at connect and link aliases resolve in berth\'s DNS', async () => {
    const target = await startOn(f, 'target6', { mode: 'six' }, ['sleep', '1000']);
    await f.engine.connect(target, 'six-other', { aliases: ['late-alias'] });
    const alias = await runOn(f, { mode: 'six-other' }, 'nslookup late-alias');
    assert.equal(alias.exitCode, 0, alias.stderr);
    const ip = f.services.networks.store.endpointsOfContainer(target).find((e) => e.ifname === 'eth1')?.ip ?? '';
    assert.match(alias.stdout, new RegExp(`Address:\\s+${ip.replace(/\./g, '\\.')}`));
    const linked = await runOn(f, { mode: 'six', endpoints: { six: { links: ['target6:tgt'] } } }, 'nslookup tgt');
    assert.equal(linked.exitCode, 0, linked.stderr);
    const unlinked = await runOn(f, { mode: 'six' }, 'nslookup tgt');
    assert.notEqual(unlinked.exitCode, 0);
  });

  test('removing containers and networks leaves no bridge, lease or rule, IPv4 or IPv6', async () => {
    for (const record of f.engine.list()) await f.engine.remove(record.id, { force: true });
    for (const name of ['six', 'six-other']) await f.services.networks.remove(name);
    const defaultNet = f.services.networks.list().find((n) => n.name === 'bridge');
    if (defaultNet !== undefined) await f.services.networks.remove(defaultNet.id);
    assert.deepEqual(await networkLeftovers(f, bridges, subnets), { links: [], rules: [], netns: [], leases: [] });
  });
});
