// Three real etcd members: losing one (a minority) loses nothing and stops nothing, a member is
// replaced through the membership API, and leader election hands over and fences the deposed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isBerthError } from '../../../src/base/errors.js';
import { EtcdClusterStore } from '../../../src/cluster/store/etcd-cluster-store.js';
import { EtcdLeaderElection, type Leadership } from '../../../src/cluster/store/etcd-leader-election.js';
import type { EtcdMember } from '../../../src/cluster/store/etcd-member.js';
import { addMember, listMembers, removeMember } from '../../../src/cluster/store/etcd-membership.js';
import { EtcdLab, eventually, skipReason } from './etcd-fixtures.js';

const skip = skipReason();

describe('etcd cluster of three members', { skip }, () => {
  let lab: EtcdLab;
  let members: EtcdMember[];

  before(async () => {
    lab = await EtcdLab.create();
    members = await lab.startCluster(3);
  });
  after(async () => { await lab.cleanup(); });

  it('goes on reading and writing without a minority, loses nothing, and takes a replacement member', async () => {
    const store = new EtcdClusterStore(lab.client(), { prefix: '/minority/' });
    for (let i = 0; i < 20; i++) await store.create('task', `before-${i}`, { i });
    const [lost, ...rest] = members as [EtcdMember, EtcdMember, EtcdMember];
    await lost.stop(0);
    for (let i = 0; i < 20; i++) await store.create('task', `after-${i}`, { i });
    const listing = await store.list('task');
    assert.equal(listing.items.length, 40);

    // Replace the lost member: remove it, add the new one BEFORE it starts, start it joining.
    const admin = lab.client(rest);
    await removeMember(admin, lost.options.name);
    const planned = await lab.plan();
    const initialCluster = await addMember(admin, planned.name, planned.peerUrl);
    const joined = await lab.start(planned, initialCluster, 'existing');
    assert.deepEqual((await listMembers(admin)).map((m) => m.name).sort(), ['m1', 'm2', planned.name].sort());
    // The newcomer has every object (read through it alone).
    const onNew = new EtcdClusterStore(lab.client([joined]), { prefix: '/minority/' });
    await eventually('the new member to catch up', async () => (await onNew.list('task')).items.length === 40);
    members = [...rest, joined];
  });

  it('elects exactly one leader, hands over when it is cut off, and fences the deposed leader', async () => {
    const clients = members.map((m) => lab.client([m]));
    const elections = clients.map((c) => new EtcdLeaderElection(c, { ttlSeconds: 2, prefix: '/test-election/' }));
    const campaigns = elections.map((e, i) => e.campaign('managers', `candidate-${i}`));
    const won = new Map<number, Leadership>();
    campaigns.forEach((c, i) => { void c.elected().then((l) => { won.set(i, l); }, () => undefined); });

    await eventually('a first leader', () => won.size >= 1);
    assert.equal(won.size, 1);
    const [[firstAt, first]] = [...won] as [[number, Leadership]];
    assert.equal(await elections[(firstAt + 1) % 3]?.leader('managers'), first.value);

    // Leader-only writes carry the fence: this one holds.
    const store = new EtcdClusterStore(lab.client(), { prefix: '/fenced/' });
    const state = await store.create('cluster', 'state', { by: first.value }, { fence: first.fence });

    // Cut the leader off from etcd: it learns it no longer leads, and its writes are fenced off
    // (the guarantee that holds whatever the timing; when it stops is a matter of clocks).
    clients[firstAt]?.close();
    await eventually('a second leader', () => won.size === 2, 30_000);
    const [secondAt, second] = [...won].find(([i]) => i !== firstAt) as [number, Leadership];
    assert.ok(first.signal.aborted, 'the deposed leader knows it no longer leads');
    await assert.rejects(store.update('cluster', 'state', { by: first.value }, state.version, { fence: first.fence }),
      (err: unknown) => isBerthError(err, 'failed-precondition') && err.reason === 'leadership-lost');
    await store.update('cluster', 'state', { by: second.value }, state.version, { fence: second.fence });

    // Resigning hands over at once to the last candidate.
    await campaigns[secondAt]?.resign();
    assert.ok(second.signal.aborted);
    await eventually('a third leader', () => won.size === 3, 30_000);
    const third = [...won].find(([i]) => i !== firstAt && i !== secondAt)?.[1];
    assert.equal(await elections[secondAt]?.leader('managers'), third?.value);
    await Promise.all(campaigns.map((c, i) => (i === firstAt ? Promise.resolve() : c.resign())));
  });
});
