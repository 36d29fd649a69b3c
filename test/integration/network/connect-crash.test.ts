// `network connect` of a running container cut short by a daemon crash (failpoint
// `connect-after-attach`: the interface, its address and the veth exist, the container's record
// does not name the network yet). The next berthd takes the unrecorded interface away, so the
// connect did not happen: the container runs on as before, neither it nor the network shows the
// other, no veth, address lease or CNI cache entry is left; the connect, redone, works. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { needsRoot } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';
import { leftovers, linksOn } from '../../support/crash-leftovers.js';

interface InspectedContainer {
  Id: string;
  State: { Running: boolean };
  NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
}

describe('network connect and a daemon crash', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  before(async () => {
    lab = await CrashLab.create('berth-connect-crash-');
  });
  after(async () => {
    await lab.close();
  });

  const inspect = async (name: string): Promise<InspectedContainer> => {
    const [inspected] = JSON.parse(await lab.ok(['inspect', name])) as InspectedContainer[];
    assert.ok(inspected !== undefined);
    return inspected;
  };
  const bridgeOf = async (network: string): Promise<string> => {
    const [inspected] = JSON.parse(await lab.ok(['network', 'inspect', network])) as { Id: string }[];
    return `bn-${(inspected?.Id ?? '').slice(0, 12)}`;
  };
  const membersOf = async (network: string): Promise<string[]> => {
    const [inspected] = JSON.parse(await lab.ok(['network', 'inspect', network])) as { Containers?: Record<string, unknown> }[];
    return Object.keys(inspected?.Containers ?? {});
  };
  const interfaces = async (name: string): Promise<string[]> =>
    (await lab.ok(['exec', name, 'ls', '/sys/class/net'])).split(/\s+/).filter(Boolean).sort();

  test('the next berthd takes the unrecorded interface away; the connect, redone, works', async () => {
    await lab.start('connect-after-attach');
    await lab.ok(['network', 'create', 'first']);
    await lab.ok(['network', 'create', 'second']);
    await lab.ok(['run', '-d', '--name', 'app', '--network', 'first', 'busybox', 'sleep', '1000']);
    const { Id: id } = await inspect('app');
    const second = await bridgeOf('second');
    const before_ = await leftovers(lab);

    const connect = await lab.cli(['network', 'connect', 'second', 'app']);
    assert.notEqual(connect.code, 0, 'berthd died under the connect');
    await lab.crash();
    assert.equal(linksOn(second).length, 1, 'the crash left the veth on the second network');

    await lab.start();
    const after_ = await inspect('app');
    assert.equal(after_.State.Running, true, 'the container runs on');
    assert.deepEqual(Object.keys(after_.NetworkSettings.Networks), ['first']);
    assert.deepEqual(await membersOf('second'), []);
    assert.deepEqual(await membersOf('first'), [id]);
    assert.deepEqual(linksOn(second), []);
    assert.deepEqual(await interfaces('app'), ['eth0', 'lo']);
    assert.deepEqual(await leftovers(lab), before_, 'only what the running container had before the connect');

    await lab.ok(['network', 'connect', 'second', 'app']);
    assert.deepEqual(Object.keys((await inspect('app')).NetworkSettings.Networks).sort(), ['first', 'second']);
    assert.deepEqual(await membersOf('second'), [id]);
    assert.equal(linksOn(second).length, 1);
    assert.deepEqual(await interfaces('app'), ['eth0', 'eth1', 'lo']);

    await lab.ok(['rm', '-f', 'app']);
    await lab.ok(['network', 'rm', 'first', 'second']);
  });
});
