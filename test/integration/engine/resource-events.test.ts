// Volumes and networks record Docker's events in the node's event log: volume create, mount,
// destroy; network create, connect, disconnect, destroy; and a container commit. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineFixture, skipReason } from './engine-fixture.js';

describe('volume, network and commit events', { skip: skipReason() }, () => {
  let f: EngineFixture;
  before(async () => { f = await EngineFixture.create(); });
  // The fixture's cleanup removes the containers and networks the tests leave.
  after(async () => { await f.cleanup(); });

  const eventsAfter = (seq: number): string[] =>
    f.engine.eventLog.read({ afterSeq: seq }).filter((e) => e.type !== 'image').map((e) => `${e.type} ${e.action} ${e.actor.attributes.name ?? ''}`.trim());

  test('a volume and a network in a container\'s life, in order', async () => {
    const seq = f.engine.eventLog.lastSeq();
    await f.services.volumes.create({ name: 'evvol' });
    const network = await f.services.networks.create({ name: 'evnet' });
    const r = await f.run({ cmd: ['true'] }, { name: 'evbox', network: { mode: 'evnet' }, mounts: [{ type: 'volume', source: 'evvol', target: '/v', readOnly: false, noCopy: false }] });
    assert.equal(r.exitCode, 0, r.stderr);
    await f.engine.remove(r.id);
    await f.services.networks.remove(network.id);
    await f.services.volumes.remove('evvol');
    const seen = eventsAfter(seq);
    const expected = [
      'volume create', 'network create evnet', 'container create evbox', 'volume mount', 'network connect evnet',
      'container start evbox', 'network disconnect evnet', 'container die evbox', 'container destroy evbox', 'network destroy evnet', 'volume destroy',
    ];
    const positions = expected.map((e) => seen.indexOf(e));
    assert.ok(positions.every((p) => p >= 0), `missing ${expected.filter((_e, i) => positions[i] === -1).join(', ')} in ${seen.join(' | ')}`);
    for (const name of ['volume create', 'volume mount', 'volume destroy']) {
      const event = f.engine.eventLog.read({ afterSeq: seq }).find((e) => `${e.type} ${e.action}` === name);
      assert.equal(event?.actor.id, 'evvol');
    }
    const ordered = ['volume create', 'network create evnet', 'container create evbox', 'container start evbox', 'container destroy evbox', 'network destroy evnet', 'volume destroy'].map((e) => seen.indexOf(e));
    assert.deepEqual(ordered, [...ordered].sort((a, b) => a - b), `in order: ${seen.join(' | ')}`);
  });

  test('commit is a container event naming the new image', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'echo x > /made'] }, { name: 'tocommit' });
    const seq = f.engine.eventLog.lastSeq();
    const image = await f.engine.commit(r.id, { names: ['docker.io/library/committed:latest'] });
    const commit = f.engine.eventLog.read({ afterSeq: seq }).find((e) => e.type === 'container' && e.action === 'commit');
    assert.equal(commit?.actor.id, r.id);
    assert.equal(commit.actor.attributes.imageID, image.id);
  });
});
