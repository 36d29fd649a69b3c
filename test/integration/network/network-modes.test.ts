// More of bridge networking on the real kernel: a network with inter-container traffic turned off
// (com.docker.network.bridge.enable_icc=false), `container:<id>` sharing a namespace, --dns and
// --hostname in the files berth writes, and a run whose monitor died while the engine was down
// releasing its namespace, veth and lease at the next open. Traffic goes only to the containers
// the test starts. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { EngineFixture, skipReason } from '../engine/engine-fixture.js';
import { networkLeftovers, runOn, startOn, WEB_CMD } from './network-fixture.js';

describe('network modes', { skip: skipReason() }, () => {
  let f: EngineFixture;
  before(async () => { f = await EngineFixture.create(); });
  // The fixture's cleanup removes the containers and networks the tests leave.
  after(async () => { await f.cleanup(); });

  test('the first containers on the default bridge, started at once, all start: they share one creation of the network', async () => {
    const ids = await Promise.all(['first-a', 'first-b', 'first-c'].map((name) => startOn(f, name, { mode: 'bridge' }, ['sleep', '600'])));
    assert.equal(ids.length, 3);
    assert.equal(f.services.networks.list().filter((n) => n.name === 'bridge').length, 1);
    for (const id of ids) await f.engine.remove(id, { force: true });
  });

  test('with enable_icc=false containers of the network cannot reach each other', async () => {
    await f.services.networks.create({ name: 'noicc', options: { 'com.docker.network.bridge.enable_icc': 'false' } });
    const web = await startOn(f, 'iccweb', { mode: 'noicc' }, WEB_CMD('icc'));
    const ip = f.services.networks.store.endpointsOfContainer(web)[0]?.ip ?? '';
    const r = await runOn(f, { mode: 'noicc' }, `timeout 3 wget -qO- http://${ip}/; echo "rc=$?"`);
    assert.match(r.stdout, /rc=[1-9]/);
    assert.doesNotMatch(r.stdout, /^icc$/m);
  });

  test('container:<id> joins the other container\'s namespace and files', async () => {
    await f.services.networks.create({ name: 'shared' });
    const web = await startOn(f, 'sharedweb', { mode: 'shared' }, WEB_CMD('same-netns'));
    const ip = f.services.networks.store.endpointsOfContainer(web)[0]?.ip ?? '';
    const r = await runOn(f, { mode: `container:${web}` }, `for i in 1 2 3 4 5; do timeout 3 wget -qO- http://127.0.0.1/ && break; sleep 1; done; grep -c '^${ip}	' /etc/hosts`);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'same-netns\n1\n');
    const inspect = f.engine.inspect(r.id);
    assert.equal(inspect.config.network?.container, web);
  });

  test('--dns and --hostname end up in resolv.conf and hosts', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'cat /etc/resolv.conf; grep -w box7 /etc/hosts | cut -f2'], hostname: 'box7' },
      { network: { mode: 'shared', dns: ['192.0.2.53'] } });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^nameserver 192\.0\.2\.53$/m);
    assert.match(r.stdout, /^box7$/m);
  });

  test('containers started at once on one network get distinct addresses and one jump to berth\'s chain', async () => {
    await f.services.networks.create({ name: 'busy' });
    const ids = await Promise.all([1, 2, 3, 4, 5].map((i) => startOn(f, `busy${i}`, { mode: 'busy' }, ['sleep', '3600'])));
    const ips = ids.map((id) => f.services.networks.store.endpointsOfContainer(id)[0]?.ip ?? '');
    assert.equal(new Set(ips).size, 5, ips.join(' '));
    const jumps = execFileSync('iptables', ['-w', '-S', 'FORWARD'], { encoding: 'utf8' }).split('\n').filter((l) => l === '-A FORWARD -j BERTH-ISOLATION');
    assert.equal(jumps.length, 1);
    await Promise.all(ids.map((id) => f.engine.remove(id, { force: true })));
    assert.deepEqual(f.services.networks.store.endpointsOfNetwork(f.services.networks.resolve('busy').id), []);
  });

  test('opening the engine removes berth rules that name a bridge which no longer exists', async () => {
    const ghost = 'bn-feedfacecafe';
    const nat = ['POSTROUTING', '-s', '198.51.100.0/24', '!', '-o', ghost, '-j', 'MASQUERADE'];
    const forward = ['BERTH-FORWARD', '-i', ghost, '-j', 'ACCEPT'];
    execFileSync('iptables', ['-w', '-t', 'nat', '-A', ...nat]);
    execFileSync('iptables', ['-w', '-A', ...forward]);
    try {
      await f.reopen();
      const left = execFileSync('iptables-save', [], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(ghost));
      assert.deepEqual(left, []);
    } finally {
      for (const [table, rule] of [['nat', nat], ['filter', forward]] as const) {
        try { execFileSync('iptables', ['-w', '-t', table, '-D', ...rule], { stdio: 'ignore' }); } catch { /* already gone */ }
      }
    }
  });

  test('a run lost while the engine was down gives back its namespace, veth and lease at the next open', async () => {
    const net = await f.services.networks.create({ name: 'crashy' });
    const id = await startOn(f, 'victim', { mode: 'crashy' }, ['sleep', '3600']);
    const { pid, conmonPid } = f.engine.inspect(id).state;
    f.engine.close();
    process.kill(conmonPid, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    await f.reopen();
    assert.equal(f.engine.inspect(id).state.status, 'exited');
    const left = await networkLeftovers(f, [], [net.subnet]);
    assert.deepEqual(left.leases.filter((l) => l.startsWith(`berth-${net.id.slice(0, 12)}`)), []);
    assert.ok(!left.netns.includes(id));
    // The network's own masquerade rule stays while the network does; nothing of the container's run does.
    assert.deepEqual(left.rules.filter((r) => !r.endsWith(`-s ${net.subnet} ! -o ${net.bridge} -j MASQUERADE`)), []);
  });
});
