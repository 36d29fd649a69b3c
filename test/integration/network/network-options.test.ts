// Driver options of a bridge network on the real kernel: the MTU of the containers' interfaces,
// a net.* sysctl set in their namespace (CNI tuning), and rate limits shaped with tc (CNI
// bandwidth: a tbf qdisc on the host side for ingress, an ifb device for egress) that go away
// with the container. No traffic leaves the machine. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { EngineFixture, skipReason } from '../engine/engine-fixture.js';
import { runOn, startOn } from './network-fixture.js';

const sh = (command: string, args: string[]): string => execFileSync(command, args, { encoding: 'utf8' });

describe('bridge network options', { skip: skipReason() }, () => {
  let f: EngineFixture;
  before(async () => { f = await EngineFixture.create(); });
  // The fixture's cleanup removes the containers and networks the tests leave.
  after(async () => { await f.cleanup(); });

  test('mtu and a net.* sysctl reach the container\'s namespace', async () => {
    await f.services.networks.create({ name: 'tuned', options: { 'com.docker.network.driver.mtu': '1400', 'berth.sysctl.net.core.somaxconn': '321' } });
    const r = await runOn(f, { mode: 'tuned' }, 'cat /sys/class/net/eth0/mtu /proc/sys/net/core/somaxconn');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, '1400\n321\n');
  });

  test('rate limits put a tbf qdisc on the host side and an ifb for egress; rm removes both', async () => {
    const network = await f.services.networks.create({ name: 'shaped', options: { 'berth.bandwidth.ingress': '10mbit', 'berth.bandwidth.egress': '5mbit' } });
    const ifbsBefore = sh('ip', ['-o', 'link', 'show', 'type', 'ifb']);
    const id = await startOn(f, 'shaped1', { mode: 'shaped' }, ['sleep', '3600']);
    const veth = /^\d+: ([^@:]+)/.exec(sh('ip', ['-o', 'link', 'show', 'master', network.bridge]))?.[1] ?? '';
    assert.notEqual(veth, '');
    assert.match(sh('tc', ['qdisc', 'show', 'dev', veth]), /tbf .*rate 10Mbit/);
    const ifbs = sh('ip', ['-o', 'link', 'show', 'type', 'ifb']).split('\n').filter((l) => l !== '' && !ifbsBefore.includes(l));
    assert.equal(ifbs.length, 1, ifbs.join('\n'));
    const ifb = /^\d+: ([^@:]+)/.exec(ifbs[0] ?? '')?.[1] ?? '';
    assert.match(sh('tc', ['qdisc', 'show', 'dev', ifb]), /tbf .*rate 5Mbit/);
    await f.engine.remove(id, { force: true });
    assert.doesNotMatch(sh('ip', ['-o', 'link', 'show', 'type', 'ifb']), new RegExp(`: ${ifb}[:@]`));
  });

  test('a bad option is refused at create, naming it, and no network is left', async () => {
    await assert.rejects(f.services.networks.create({ name: 'bad', options: { 'berth.bandwidth.ingress': 'fast' } }), /berth\.bandwidth\.ingress: "fast" is not a rate/);
    assert.equal(f.services.networks.list().some((n) => n.name === 'bad'), false);
  });
});
