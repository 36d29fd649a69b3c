// A node's share of an overlay network on the real kernel: two berthds, each in its own network
// namespace, get PUT of the same overlay (each its own underlay address, the other as peer). A
// container on each node, with the address the cluster gave it, reaches the other over VXLAN; each
// resolves the gateway to its own node's bridge (the gateway's ARP never crosses the tunnel); the
// overlay's names resolve on both nodes; a virtual IP spreads connections over backends on both
// nodes. The same body again changes nothing; a changed body is applied as a diff; a restarted
// berthd brings the overlay back; DELETE leaves nothing in either namespace. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError } from '../../../src/base/errors.js';
import { BerthClient } from '../../../src/client/berth-client.js';
import type { OverlayState } from '../../../src/wire/overlays.js';
import { labSkipReason, removeBusyboxTar } from '../../support/lab.js';
import { OverlayNodes, type OverlayNode } from './overlay-fixture.js';

const ID = 'c0ffee'.padEnd(64, '5');
const SHORT = ID.slice(0, 12);
const GATEWAY = '10.252.7.1';
const IP_A = '10.252.7.10';
const IP_B = '10.252.7.20';
const VIP = '10.252.7.100';
const EMPTY_VIP = '10.252.7.101';
const WEB = (text: string): string[] => ['sh', '-c', `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`];

function stateFor(self: OverlayNode, peers: OverlayNode[], change: Partial<OverlayState> = {}): OverlayState {
  return {
    Id: ID, Name: 'backend', Subnet: '10.252.7.0/24', Gateway: GATEWAY, Vni: 4242, Internal: false, Attachable: true,
    Labels: { tier: 'back' }, Options: {}, LocalAddress: self.address, Peers: peers.map((p) => p.address),
    Names: [{ Name: 'api', Addresses: [VIP] }, { Name: 'tasks.api', Addresses: [IP_A, IP_B] }],
    Balancers: [{ Vip: VIP, Backends: [IP_A, IP_B] }], ...change,
  };
}

describe('overlay networks: the node data path', { skip: labSkipReason() }, () => {
  let lab: OverlayNodes | undefined;
  const ids: Record<string, string> = {};
  const nodes = (): [OverlayNode, OverlayNode, OverlayNodes] => {
    assert.ok(lab);
    return [lab.node(0), lab.node(1), lab];
  };
  const client = (node: OverlayNode): BerthClient => new BerthClient(node.socket);
  const putBoth = async (change: Partial<OverlayState> = {}): Promise<void> => {
    const [a, b] = nodes();
    await client(a).overlays.put(stateFor(a, [b], change));
    await client(b).overlays.put(stateFor(b, [a], change));
  };
  const exec = async (node: OverlayNode, container: string, script: string): Promise<string> => {
    const [, , l] = nodes();
    const result = await l.cli(node, ['exec', container, 'sh', '-c', script]);
    return `${result.stdout}${result.stderr}`;
  };
  const bridgeMac = async (node: OverlayNode): Promise<string> => {
    const [, , l] = nodes();
    const links = JSON.parse(await l.inNode(node, ['ip', '-j', 'link', 'show', 'dev', `bn-${SHORT}`]) || '[]') as { address?: string }[];
    return links[0]?.address ?? '';
  };
  /** What the host side of a node holds for the overlay: links, flood entries, rules (node and container namespaces). */
  const hostState = async (node: OverlayNode, whole = true): Promise<string> => {
    const [, , l] = nodes();
    const links = (await l.inNode(node, ['ip', '-o', 'link', 'show'])).split('\n').filter((s) => s.includes(SHORT)).map((s) => s.replace(/^\d+: /, '')).sort();
    const vxlan = JSON.parse(await l.inNode(node, ['ip', '-j', '-d', 'link', 'show', 'dev', `vx-${SHORT}`]) || '[]') as { linkinfo?: { info_data?: unknown } }[];
    const fdb = (await l.inNode(node, ['bridge', 'fdb', 'show', 'dev', `vx-${SHORT}`])).split('\n').filter((s) => s.startsWith('00:00:00:00:00:00'));
    // Counters move with traffic: only the rules count.
    const ruleset = (await l.inNode(node, whole ? ['nft', 'list', 'ruleset'] : ['nft', 'list', 'table', 'bridge', 'berth-overlay'])).replace(/counter packets \d+ bytes \d+ /g, '');
    const container = ids[node.node] === undefined ? '' : await l.inContainerNetns(node, ids[node.node] ?? '', ['nft', 'list', 'ruleset']);
    return JSON.stringify({ links, vxlan: vxlan.map((v) => v.linkinfo?.info_data), fdb, ruleset, container }, null, 1);
  };

  before(async () => { lab = await OverlayNodes.start(2); });
  after(async () => {
    await lab?.close();
    await removeBusyboxTar();
  });

  test('PUT makes the overlay on each node; GET answers it; network inspect shows an overlay network of swarm scope', async () => {
    const [a, b, l] = nodes();
    const applied = await client(a).overlays.put(stateFor(a, [b, a, b]));
    assert.deepEqual(applied, stateFor(a, [b]));
    await client(b).overlays.put(stateFor(b, [a]));
    assert.deepEqual(await client(a).overlays.get(ID), stateFor(a, [b]));
    assert.deepEqual((await client(b).overlays.list()).map((s) => s.Id), [ID]);
    const [view] = JSON.parse(await l.cliOk(a, ['network', 'inspect', 'backend'])) as { Driver: string; Scope: string; Attachable: boolean; Labels: Record<string, string>; IPAM: { Config: unknown[] } }[];
    assert.deepEqual([view?.Driver, view?.Scope, view?.Attachable, view?.Labels, view?.IPAM.Config], ['overlay', 'swarm', true, { tier: 'back' }, [{ Subnet: '10.252.7.0/24', Gateway: GATEWAY }]]);
    const mismatch = await client(a).overlays.put({ ...stateFor(a, [b]), Id: 'f'.repeat(64) }).then(() => undefined, (err: unknown) => err);
    assert.ok(mismatch instanceof BerthError);
    await assert.rejects(client(a).transport.call('PUT', `/berth/v1/overlays/${ID}`, { body: { ...stateFor(a, [b]), Id: 'e'.repeat(64) } }), /Id/);
  });

  test('containers with the cluster-given address reach each other over VXLAN; one without an address is refused', async () => {
    const [a, b, l] = nodes();
    const refused = await l.cli(a, ['run', '-d', '--network', 'backend', 'busybox', 'sleep', '60']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /backend.*overlay|overlay.*backend/);
    ids[a.node] = (await l.cliOk(a, ['run', '-d', '--name', 'ca', '--network', 'backend', '--ip', IP_A, 'busybox', ...WEB('node-a')])).trim();
    ids[b.node] = (await l.cliOk(b, ['run', '-d', '--name', 'cb', '--network', ID, '--ip', IP_B, 'busybox', ...WEB('node-b')])).trim();
    assert.match(await exec(a, 'ca', `timeout 5 wget -qO- http://${IP_B}/`), /node-b/);
    assert.match(await exec(b, 'cb', `timeout 5 wget -qO- http://${IP_A}/`), /node-a/);
    assert.equal((await exec(a, 'ca', 'cat /sys/class/net/eth0/mtu')).trim(), '1450');
  });

  test('each container resolves the gateway to its own node\'s bridge; the gateway\'s ARP never crosses the tunnel', async () => {
    const [a, b, l] = nodes();
    const macA = await bridgeMac(a);
    const macB = await bridgeMac(b);
    assert.notEqual(macA, macB);
    const arpOf = async (node: OverlayNode, container: string): Promise<string> => {
      // A fresh ARP request for the gateway (broadcast: without the guard it reaches the other node's bridge too).
      await l.inContainerNetns(node, ids[node.node] ?? '', ['ip', 'neigh', 'flush', 'dev', 'eth0']);
      await exec(node, container, `ping -c 1 -W 2 ${GATEWAY} >/dev/null 2>&1; true`);
      const line = (await exec(node, container, 'cat /proc/net/arp')).split('\n').find((s) => s.startsWith(`${GATEWAY} `)) ?? '';
      return line.split(/\s+/)[3] ?? '';
    };
    assert.equal(await arpOf(a, 'ca'), macA);
    assert.equal(await arpOf(b, 'cb'), macB);
    // The other node's bridge never heard the request (it would have learnt the asker's address).
    assert.doesNotMatch(await l.inNode(b, ['ip', 'neigh', 'show', 'dev', `bn-${SHORT}`]), new RegExp(`^${IP_A} `, 'm'));
    assert.doesNotMatch(await l.inNode(a, ['ip', 'neigh', 'show', 'dev', `bn-${SHORT}`]), new RegExp(`^${IP_B} `, 'm'));
    // Node A's own ARP (sender: the gateway) for B's container stays on node A.
    await l.inNode(a, ['busybox', 'ping', '-c', '1', '-W', '2', IP_B]);
    assert.doesNotMatch(await exec(b, 'cb', 'cat /proc/net/arp'), new RegExp(macA));
    assert.match(await l.inNode(a, ['nft', 'list', 'table', 'bridge', 'berth-overlay']), new RegExp(`oifname "vx-${SHORT}" arp saddr ip ${GATEWAY} drop`));
  });

  test('the overlay\'s names resolve on both nodes', async () => {
    const [a, b] = nodes();
    assert.match(await exec(a, 'ca', 'nslookup api'), new RegExp(VIP.replace(/\./g, '\\.')));
    const tasks = await exec(b, 'cb', 'nslookup TASKS.api');
    assert.ok(tasks.includes(IP_A) && tasks.includes(IP_B), tasks);
  });

  test('a virtual IP spreads connections over backends on both nodes', async () => {
    const [a] = nodes();
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add((await exec(a, 'ca', `timeout 5 wget -qO- http://${VIP}/`)).trim());
    assert.deepEqual([...seen].sort(), ['node-a', 'node-b']);
  });

  test('the same body again changes nothing on the host; a changed body is applied as a diff', async () => {
    const [a, b] = nodes();
    const before = [await hostState(a), await hostState(b)];
    await putBoth();
    assert.deepEqual([await hostState(a), await hostState(b)], before);
    // A peer more, an empty virtual IP: flood entry added, connections to it refused at once.
    await client(a).overlays.put(stateFor(a, [b], { Peers: [b.address, '10.252.99.9'], Balancers: [{ Vip: VIP, Backends: [IP_B] }, { Vip: EMPTY_VIP, Backends: [] }] }));
    assert.match(await hostState(a), /dst 10\.252\.99\.9/);
    assert.match(await exec(a, 'ca', `timeout 5 wget -qO- http://${EMPTY_VIP}/`), /refused/i);
    assert.match(await exec(a, 'ca', `timeout 5 wget -qO- http://${VIP}/`), /node-b/);
    // A fixed field cannot change while containers are attached (failed-precondition: 409 on the wire).
    const changed = await client(a).overlays.put(stateFor(a, [b], { Vni: 4243 })).then(() => undefined, (err: unknown) => err);
    assert.ok(changed instanceof BerthError && ['failed-precondition', 'conflict'].includes(changed.kind) && /Vni/.test(changed.message), String(changed));
    await putBoth();
    assert.deepEqual(await hostState(a), before[0]);
  });

  test('a restarted berthd brings the overlay back; an idle overlay goes down with the clean stop and comes back', async () => {
    const [a, b, l] = nodes();
    const idle = { ...stateFor(b, [a]), Id: 'd'.repeat(64), Name: 'idle', Subnet: '10.252.8.0/24', Gateway: '10.252.8.1', Vni: 4300, Names: [], Balancers: [] };
    await client(b).overlays.put(idle);
    // Restarted, berthd brings the networks back in its own order: the overlay's own state counts.
    const before = await hostState(b, false);
    await l.stopNode(b);
    assert.equal(await l.inNode(b, ['ip', 'link', 'show', 'dev', 'vx-dddddddddddd']), '');
    await l.startNode(b);
    assert.notEqual(await l.inNode(b, ['ip', 'link', 'show', 'dev', 'vx-dddddddddddd']), '');
    assert.equal(await hostState(b, false), before);
    assert.match(await exec(a, 'ca', `timeout 5 wget -qO- http://${IP_B}/`), /node-b/);
    assert.match(await exec(b, 'cb', 'nslookup api'), new RegExp(VIP.replace(/\./g, '\\.')));
    // A fixed field of an overlay without containers: made anew.
    await client(b).overlays.put({ ...idle, Vni: 4301 });
    assert.match(await l.inNode(b, ['ip', '-d', 'link', 'show', 'dev', 'vx-dddddddddddd']), /vxlan id 4301 /);
    await client(b).overlays.remove(idle.Id);
  });

  test('a berthd killed and started again re-applies the overlay without duplicating anything', async () => {
    const [a, b, l] = nodes();
    const before = await hostState(a, false);
    await l.killNode(a);
    await l.startNode(a);
    assert.equal(await hostState(a, false), before);
    assert.match(await exec(b, 'cb', `timeout 5 wget -qO- http://${IP_A}/`), /node-a/);
  });

  test('a running container connected to the overlay gets the balancer table; disconnected, it goes', async () => {
    const [a, , l] = nodes();
    const cd = (await l.cliOk(a, ['run', '-d', '--name', 'cd', '--network', 'bridge', 'busybox', 'sleep', '600'])).trim();
    const refused = await l.cli(a, ['network', 'connect', 'backend', 'cd']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /backend.*overlay/);
    await l.cliOk(a, ['network', 'connect', '--ip', '10.252.7.30', 'backend', 'cd']);
    assert.match(await l.inContainerNetns(a, cd, ['nft', 'list', 'tables']), new RegExp(`berth-lb-${SHORT}`));
    assert.match(await exec(a, 'cd', `timeout 5 wget -qO- http://${IP_B}/`), /node-b/);
    await l.cliOk(a, ['network', 'disconnect', 'backend', 'cd']);
    assert.doesNotMatch(await l.inContainerNetns(a, cd, ['nft', 'list', 'tables']), /berth-lb/);
    await l.cliOk(a, ['rm', '-f', 'cd']);
  });

  test('DELETE is refused while containers are attached, then leaves nothing in either namespace', async () => {
    const [a, b, l] = nodes();
    const busy = await client(a).overlays.remove(ID).then(() => undefined, (err: unknown) => err);
    assert.ok(busy instanceof BerthError && busy.kind === 'conflict' && /ca/.test(busy.message), String(busy));
    await l.cliOk(a, ['rm', '-f', 'ca']);
    await l.cliOk(b, ['rm', '-f', 'cb']);
    for (const node of [a, b]) {
      await client(node).overlays.remove(ID);
      const missing = await client(node).overlays.get(ID).then(() => undefined, (err: unknown) => err);
      assert.ok(missing instanceof BerthError && missing.kind === 'not-found');
      const links = await l.inNode(node, ['ip', '-o', 'link', 'show']);
      assert.doesNotMatch(links, /vx-|bn-c0ffee/);
      assert.doesNotMatch(await l.inNode(node, ['nft', 'list', 'ruleset']), /berth-overlay|berth-lb/);
      assert.doesNotMatch(await l.inNode(node, ['iptables-save']), new RegExp(`bn-${SHORT}|10\\.252\\.7\\.`));
    }
  });
});
