// Bridge networks on the real kernel with the CNI reference plugins: name-based discovery through
// berth's DNS, segmentation between networks, a port published on 127.0.0.1, an internal network
// without a route out, a container on two networks, a restart of the engine, and that removing
// containers and networks leaves no bridge, veth, namespace, lease or rule behind. Traffic goes only
// to loopback and to the containers the test starts. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { EngineFixture, eventually, skipReason } from '../engine/engine-fixture.js';
import { freeLoopbackPort, networkLeftovers, runOn, startOn, WEB_CMD } from './network-fixture.js';

async function httpGet(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return response.text();
}

describe('bridge networks', { skip: skipReason() }, () => {
  let f: EngineFixture;
  const bridges: string[] = [];
  const subnets: string[] = [];
  before(async () => { f = await EngineFixture.create(); });
  // The fixture's cleanup removes the containers and networks the tests leave.
  after(async () => { await f.cleanup(); });

  test('containers on one network reach each other by name; another network reaches neither by name nor by address', async () => {
    for (const name of ['front', 'back']) {
      const n = await f.services.networks.create({ name });
      bridges.push(n.bridge);
      subnets.push(n.subnet);
    }
    assert.notEqual(subnets[0], subnets[1]);
    const web = await startOn(f, 'web', { mode: 'front' }, WEB_CMD('hello-front'));
    await startOn(f, 'backweb', { mode: 'back' }, WEB_CMD('hello-back'));
    const ip = f.services.networks.store.endpointsOfContainer(web)[0]?.ip ?? '';
    assert.match(ip, /^10\./);
    const client = await runOn(f, { mode: 'front' }, 'for i in 1 2 3 4 5; do timeout 3 wget -qO- http://web/ && exit 0; sleep 1; done; exit 1');
    assert.equal(client.exitCode, 0, client.stderr);
    assert.equal(client.stdout, 'hello-front\n');
    const outsider = await runOn(f, { mode: 'back' }, `timeout 3 wget -qO- http://web/; echo "name=$?"; timeout 3 wget -qO- http://${ip}/; echo "ip=$?"`);
    assert.doesNotMatch(outsider.stdout, /hello-front/);
    assert.match(outsider.stdout, /name=[1-9]/);
    assert.match(outsider.stdout, /ip=[1-9]/);
  });

  test('a container on two networks reaches both', async () => {
    const r = await runOn(f, { mode: 'front', endpoints: { back: {} } }, 'timeout 3 wget -qO- http://web/ && timeout 3 wget -qO- http://backweb/');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'hello-front\nhello-back\n');
  });

  test('a port published on 127.0.0.1 answers from the host; inspect data shows the address', async () => {
    const port = await freeLoopbackPort();
    const id = await startOn(f, 'published', { mode: 'bridge', ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port }] }, WEB_CMD('hello-published'));
    const defaultNet = f.services.networks.resolve('bridge');
    bridges.push(defaultNet.bridge);
    subnets.push(defaultNet.subnet);
    let body = '';
    await eventually('the published port to answer', async () => {
      body = await httpGet(`http://127.0.0.1:${port}/`).catch(() => '');
      return body !== '';
    });
    assert.equal(body, 'hello-published\n');
    const [endpoint] = f.services.networks.store.endpointsOfContainer(id);
    assert.equal(endpoint?.networkId, defaultNet.id);
    assert.deepEqual(endpoint.ports, [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port }]);
  });

  test('a published port is reachable from a container of another network through the host address', async () => {
    const back = f.services.networks.resolve('back');
    const port = await freeLoopbackPort();
    await startOn(f, 'published2', { mode: 'bridge', ports: [{ containerPort: 80, protocol: 'tcp', hostIp: back.gateway, hostPort: port }] }, WEB_CMD('hello-across'));
    const r = await runOn(f, { mode: 'back' }, `for i in 1 2 3 4 5; do timeout 3 wget -qO- http://${back.gateway}:${port}/ && exit 0; sleep 1; done; exit 1`);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'hello-across\n');
  });

  test('an internal network has no default route and no masquerade', async () => {
    const n = await f.services.networks.create({ name: 'sealed', internal: true });
    bridges.push(n.bridge);
    subnets.push(n.subnet);
    const r = await runOn(f, { mode: 'sealed' }, 'ip route');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /default/);
    assert.match(r.stdout, new RegExp(n.subnet.replace(/\./g, '\\.')));
    const nat = execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' });
    assert.doesNotMatch(nat, new RegExp(n.subnet.split('/')[0]?.replace(/\.0$/, '').replace(/\./g, '\\.') ?? 'x'));
  });

  test('a routed network has one masquerade rule and its forwarding accepts, however many containers run on it', () => {
    const front = f.services.networks.resolve('front');
    const nat = execFileSync('iptables', ['-w', '-t', 'nat', '-S', 'POSTROUTING'], { encoding: 'utf8' }).split('\n');
    assert.deepEqual(nat.filter((l) => l.includes(front.subnet)), [`-A POSTROUTING -s ${front.subnet} ! -o ${front.bridge} -j MASQUERADE`]);
    const forward = execFileSync('iptables', ['-w', '-S', 'BERTH-FORWARD'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(front.bridge));
    assert.deepEqual(forward.sort(), [`-A BERTH-FORWARD -i ${front.bridge} -j ACCEPT`, `-A BERTH-FORWARD -o ${front.bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`]);
    const jumps = execFileSync('iptables', ['-w', '-S', 'FORWARD'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A '));
    assert.equal(jumps[0], '-A FORWARD -j BERTH-ISOLATION');
    assert.ok(jumps.includes('-A FORWARD -j BERTH-FORWARD'));
  });

  test('after an engine restart running containers keep their network and names still resolve', async () => {
    await f.reopen();
    const r = await runOn(f, { mode: 'front' }, 'timeout 3 wget -qO- http://web/');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'hello-front\n');
  });

  test('removing containers and networks leaves no bridge, namespace, lease or rule', async () => {
    for (const record of f.engine.list()) await f.engine.remove(record.id, { force: true });
    const pruned = await f.services.networks.prune();
    assert.deepEqual(pruned.sort(), ['back', 'front', 'sealed']);
    await f.services.networks.remove('bridge');
    assert.deepEqual(await networkLeftovers(f, bridges, subnets), { links: [], rules: [], netns: [], leases: [] });
  });
});
