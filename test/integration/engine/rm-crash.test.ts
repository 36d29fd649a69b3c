// `rm -f -v` of a running container (restart policy always, a named and an anonymous volume, a
// user network) cut short by a daemon crash (failpoints, a SIGKILL as kill -9 would): after the
// kill, after its run was cleaned up, and right before its record goes. The next berthd finishes
// the removal, as the user asked: the container is gone (never restarted), its anonymous volume
// too, the named one and the network stay, and nothing of its run is left (mounts, cgroup, conmon,
// veth, namespace, address lease, CNI cache, lease, temp file). Its name is free again. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { needsRoot } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';
import { leftovers, linksOn, NOTHING } from '../../support/crash-leftovers.js';

interface Inspected {
  Id: string;
  Mounts: { Name?: string; Destination: string }[];
}

describe('rm of a running container and a daemon crash', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  before(async () => {
    lab = await CrashLab.create('berth-rm-crash-');
  });
  after(async () => {
    await lab.close();
  });

  const runDoomed = async (name: string, network: string, volume: string): Promise<Inspected> => {
    await lab.ok(['run', '-d', '--name', name, '--network', network, '--restart', 'always', '-v', `${volume}:/named`, '-v', '/anon', 'busybox', 'sleep', '1000']);
    const [inspected] = JSON.parse(await lab.ok(['inspect', name])) as Inspected[];
    assert.ok(inspected !== undefined);
    return inspected;
  };

  for (const point of ['rm-after-kill', 'rm-after-cleanup', 'rm-before-delete-record']) {
    test(`killed at ${point}: the next berthd finishes the removal; the name can be used again`, async () => {
      // Whatever an earlier test of this file left (when it failed) goes first.
      await lab.daemon?.stop();
      await lab.start();
      for (const id of (await lab.ok(['ps', '-a', '-q'])).split('\n').filter(Boolean)) await lab.ok(['rm', '-f', '-v', id]);
      await lab.daemon?.stop();
      await lab.start(point);
      const [name, network, volume] = [`doomed-${point}`, `net-${point}`, `keep-${point}`];
      await lab.ok(['network', 'create', network]);
      await lab.ok(['volume', 'create', volume]);
      const [networkInfo] = JSON.parse(await lab.ok(['network', 'inspect', network])) as { Id: string }[];
      const bridge = `bn-${(networkInfo?.Id ?? '').slice(0, 12)}`;
      const doomed = await runDoomed(name, network, volume);
      const anonymous = doomed.Mounts.find((m) => m.Destination === '/anon')?.Name ?? '';
      assert.match(anonymous, /^[0-9a-f]{64}$/);
      assert.equal(linksOn(bridge).length, 1, 'the container has its veth on the bridge');
      const running = await leftovers(lab);
      assert.deepEqual(running.conmons, [doomed.Id]);
      assert.deepEqual(running.netns, [doomed.Id]);
      assert.equal(running.addressLeases.length, 1);
      assert.ok(running.mounts.length > 0 && running.cgroups.length > 0 && running.cniCache.length > 0, 'what the checks look for is there while it runs');

      const removal = await lab.cli(['rm', '-f', '-v', name]);
      assert.notEqual(removal.code, 0, 'berthd died under the rm');
      await lab.crash();

      await lab.start();
      assert.equal(await lab.ok(['ps', '-a', '-q']), '', 'the container is gone, not restarted');
      assert.match((await lab.cli(['inspect', name])).stderr, /No such/);
      const volumes = (await lab.ok(['volume', 'ls', '-q'])).split('\n');
      assert.ok(volumes.includes(volume), 'the named volume stays');
      assert.ok(!volumes.includes(anonymous), 'the anonymous volume went with the container (rm -v)');
      assert.deepEqual(await leftovers(lab), NOTHING);
      assert.deepEqual(linksOn(bridge), []);

      // The rm, redone, finds nothing; the name, the network and the volume serve a new container.
      assert.match((await lab.cli(['rm', '-f', '-v', name])).stderr, /No such container/);
      const again = await runDoomed(name, network, volume);
      assert.notEqual(again.Id, doomed.Id);
      assert.equal(linksOn(bridge).length, 1);
      await lab.ok(['rm', '-f', '-v', name]);
      assert.deepEqual(await leftovers(lab), NOTHING);
      await lab.ok(['volume', 'rm', volume]);
      await lab.ok(['network', 'rm', network]);
    });
  }
});
