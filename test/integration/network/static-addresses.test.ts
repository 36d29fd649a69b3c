// Static endpoint settings and exposed ports on the real kernel with the CNI reference plugins: a
// container with a requested address gets exactly it and is reachable there, a requested MAC shows
// in `ip link` inside the container, refused addresses (outside the subnet, taken, on a network
// without a user subnet) leave no namespace, lease or link behind, `-P` publishes `--expose`d
// ports on the network's binding address (127.0.0.1), and a published port keeps answering after
// the container is connected to a second network. Traffic goes only to loopback and to the
// containers the test starts. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isBerthError } from '../../../src/base/errors.js';
import { cniNetworkName } from '../../../src/network/cni-config.js';
import { HOST_BINDING_OPTION } from '../../../src/network/network-options.js';
import { chooseSubnet, routeDestinations } from '../../../src/network/subnet-choice.js';
import { EngineFixture, eventually, skipReason } from '../engine/engine-fixture.js';
import { networkLeftovers, runOn, startOn, WEB_CMD } from './network-fixture.js';

async function httpGet(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return response.text();
}

/** A /24 free on the host and among this root's networks, given as a user subnet. */
function freeSubnet(f: EngineFixture): string {
  const routes = routeDestinations(execFileSync('ip', ['-j', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }));
  return chooseSubnet([...routes, ...f.services.networks.list().map((n) => n.subnet)]).subnet;
}

/** The veths plugged into a bridge. */
function portsOf(bridge: string): string[] {
  return execFileSync('ip', ['-o', 'link', 'show', 'master', bridge], { encoding: 'utf8' }).split('\n').filter((l) => l !== '').map((l) => l.split(':')[1]?.trim() ?? '');
}

describe('static addresses and exposed ports', { skip: skipReason() }, () => {
  let f: EngineFixture;
  let prefix = '';
  before(async () => {
    f = await EngineFixture.create();
    const subnet = freeSubnet(f);
    prefix = subnet.replace(/\.0\/24$/, '.');
    await f.services.networks.create({ name: 'fixed', subnet });
  });
  // The fixture's cleanup removes the containers and networks the tests leave.
  after(async () => { await f.cleanup(); });

  test('a container with --ip gets exactly that address and is reachable at it; --mac-address shows in ip link', async () => {
    const ip = `${prefix}77`;
    const mac = '02:42:0a:59:00:77';
    const id = await startOn(f, 'pinned', { mode: 'fixed', endpoints: { fixed: { ipv4Address: ip } }, macAddress: mac }, WEB_CMD('hello-pinned'));
    const [endpoint] = f.services.networks.store.endpointsOfContainer(id);
    assert.equal(endpoint?.ip, ip);
    assert.equal(endpoint.mac, mac);
    const client = await runOn(f, { mode: 'fixed' }, `for i in 1 2 3 4 5; do timeout 3 wget -qO- http://${ip}/ && exit 0; sleep 1; done; exit 1`);
    assert.equal(client.exitCode, 0, client.stderr);
    assert.equal(client.stdout, 'hello-pinned\n');
    const link = await runOn(f, { mode: 'fixed', macAddress: '02:42:0a:59:00:78' }, 'ip link show eth0');
    assert.equal(link.exitCode, 0, link.stderr);
    assert.match(link.stdout, /link\/ether 02:42:0a:59:00:78 /);
    // Config.MacAddress is the container's (it applies to the first network); the endpoint keeps what it was given.
    assert.deepEqual(f.engine.inspect(id).config.network?.networks[0], { id: f.services.networks.resolve('fixed').id, aliases: [], ipv4Address: ip });
    assert.equal(f.engine.inspect(id).config.network?.macAddress, mac);
  });

  test('an address that is taken fails the start and leaves no namespace, lease or link behind', async () => {
    const bridge = f.services.networks.resolve('fixed').bridge;
    const before = { ...(await networkLeftovers(f, [], [])), veths: portsOf(bridge) };
    assert.equal(before.veths.length, 1);
    const id = await f.create({ cmd: ['true'] }, { name: 'clash', network: { mode: 'fixed', endpoints: { fixed: { ipv4Address: `${prefix}77` } } } });
    await assert.rejects(f.engine.start(id), (err: unknown) => isBerthError(err, 'conflict') && /already in use/.test(err.message));
    const after = { ...(await networkLeftovers(f, [], [])), veths: portsOf(bridge) };
    assert.deepEqual(after.veths, before.veths);
    assert.deepEqual(after.netns, before.netns);
    assert.deepEqual(after.leases, before.leases);
    assert.deepEqual(f.services.networks.store.endpointsOfContainer(id), []);
    await f.engine.remove(id, { force: true });
  });

  test('an address host-local holds for something berth does not know fails in CNI; the veth the bridge plugin made is removed', async () => {
    const subnet = freeSubnet(f);
    const network = await f.services.networks.create({ name: 'second', subnet });
    const held = subnet.replace(/0\/24$/, '90');
    const lease = join(f.services.networks.attachments.ipamDir, cniNetworkName(network), held);
    await mkdir(dirname(lease), { recursive: true });
    await writeFile(lease, 'not-a-berth-container\r\neth0');
    const pinned = f.engine.inspect('pinned').id;
    await assert.rejects(f.engine.connect(pinned, 'second', { ipv4Address: held }), /not available/);
    assert.deepEqual(portsOf(network.bridge), []);
    assert.deepEqual(f.services.networks.store.endpointsOfContainer(pinned).map((e) => e.ifname), ['eth0']);
    const inside = execFileSync('nsenter', [`--net=${f.services.networks.attachments.netnsPath(pinned)}`, 'ip', '-o', 'link', 'show'], { encoding: 'utf8' });
    assert.doesNotMatch(inside, /eth1/);
    assert.equal(await readFile(lease, 'utf8'), 'not-a-berth-container\r\neth0');
    assert.equal(f.engine.inspect(pinned).config.network?.networks.length, 1);
    await rm(lease);
  });

  test('an address outside the subnet, reserved, or on a network without a user subnet is refused at create', async () => {
    await f.services.networks.create({ name: 'auto' });
    const count = f.engine.list().length;
    for (const [mode, ip] of [['fixed', '192.0.2.9'], ['fixed', `${prefix}1`], ['fixed', `${prefix}255`], ['auto', '10.89.250.9']] as const) {
      await assert.rejects(f.create({ cmd: ['true'] }, { network: { mode, endpoints: { [mode]: { ipv4Address: ip } } } }), (err: unknown) => isBerthError(err, 'invalid-argument'), `${mode} ${ip}`);
    }
    await assert.rejects(f.create({ cmd: ['true'] }, { network: { mode: 'auto', endpoints: { auto: { ipv4Address: '10.89.250.9' } } } }), /user configured subnets/);
    await assert.rejects(f.create({ cmd: ['true'] }, { network: { mode: 'fixed', macAddress: '01:00:5e:00:00:01' } }), (err: unknown) => isBerthError(err, 'invalid-argument'));
    assert.equal(f.engine.list().length, count);
    const left = await networkLeftovers(f, [], []);
    assert.equal(left.leases.filter((l) => l.endsWith(`${prefix}77`)).length, 1);
  });

  test('--ip-range: dynamic addresses come from the range; a static one outside it is refused; a range needs a subnet', async () => {
    const subnet = freeSubnet(f);
    const base = subnet.replace(/\.0\/24$/, '.');
    const network = await f.services.networks.create({ name: 'ranged', subnet, ipRange: `${base}192/26` });
    assert.equal(network.ipRange, `${base}192/26`);
    const r = await runOn(f, { mode: 'ranged' }, 'ip -4 -o addr show eth0');
    assert.equal(r.exitCode, 0, r.stderr);
    const last = Number(new RegExp(`inet ${base.replace(/\./g, '\\.')}(\\d+)/24`).exec(r.stdout)?.[1]);
    assert.ok(last >= 192 && last <= 254, r.stdout);
    await assert.rejects(f.create({ cmd: ['true'] }, { network: { mode: 'ranged', endpoints: { ranged: { ipv4Address: `${base}10` } } } }), /outside the IP range/);
    await assert.rejects(f.services.networks.create({ name: 'norange', ipRange: '10.89.250.0/25' }), /needs a subnet/);
    await assert.rejects(f.services.networks.create({ name: 'badrange', subnet: freeSubnet(f), ipRange: '192.0.2.0/25' }), /not inside the subnet/);
    assert.deepEqual(f.services.networks.list().filter((n) => n.name === 'norange' || n.name === 'badrange'), []);
  });

  test('-P publishes an --expose\'d port on the network\'s binding address 127.0.0.1, and it answers', async () => {
    await f.services.networks.create({ name: 'local', options: { [HOST_BINDING_OPTION]: '127.0.0.1' } });
    const cmd = ['sh', '-c', 'mkdir -p /www && echo hello-exposed > /www/index.html && exec httpd -f -p 8081 -h /www'];
    const id = await startOn(f, 'exposed', { mode: 'local', exposedPorts: ['8081/tcp'], publishAll: true }, cmd);
    const [endpoint] = f.services.networks.store.endpointsOfContainer(id);
    const binding = endpoint?.ports[0];
    assert.equal(binding?.hostIp, '127.0.0.1');
    assert.equal(binding.containerPort, 8081);
    assert.ok(binding.hostPort > 0);
    let body = '';
    await eventually('the exposed port to answer', async () => {
      body = await httpGet(`http://127.0.0.1:${binding.hostPort}/`).catch(() => '');
      return body !== '';
    });
    assert.equal(body, 'hello-exposed\n');
  });

  test('a published port still answers after the container is connected to a second network', async () => {
    const id = f.engine.inspect('exposed').id;
    const port = f.services.networks.store.endpointsOfContainer(id)[0]?.ports[0]?.hostPort ?? 0;
    await f.engine.connect(id, 'fixed', { ipv4Address: `${prefix}80` });
    const endpoints = f.services.networks.store.endpointsOfContainer(id);
    assert.deepEqual(endpoints.map((e) => [e.ifname, e.ports.length]), [['eth0', 1], ['eth1', 0]]);
    assert.equal(endpoints[1]?.ip, `${prefix}80`);
    assert.equal(await httpGet(`http://127.0.0.1:${port}/`), 'hello-exposed\n');
    const peer = await runOn(f, { mode: 'fixed' }, `timeout 3 wget -qO- http://${prefix}80:8081/`);
    assert.equal(peer.stdout, 'hello-exposed\n', peer.stderr);
  });
});
