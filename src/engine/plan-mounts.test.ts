import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planMounts, tmpfsData } from './plan-mounts.js';

test('image VOLUMEs become anonymous volumes unless a mount or tmpfs covers them', async () => {
  const plan = await planMounts(
    [{ type: 'volume', source: 'db', target: '/db/', readOnly: true, noCopy: true, driverOptions: { uid: '1' } }, { type: 'tmpfs', target: '/t', readOnly: false, sizeBytes: 1024, mode: 0o1777 }],
    { '/db': {}, '/cache': {}, '/run': {} },
    { '/run': 'size=1m' },
  );
  assert.deepEqual(plan.tmpfs, { '/run': 'size=1m', '/t': 'size=1024,mode=1777' });
  assert.deepEqual(plan.mounts.slice(0, 2), [
    { type: 'volume', name: 'db', target: '/db', readOnly: true, noCopy: true, anonymous: false },
    { type: 'tmpfs', target: '/t', readOnly: false },
  ]);
  const cache = plan.mounts[2];
  assert.equal(plan.mounts.length, 3);
  assert.ok(cache?.type === 'volume' && cache.anonymous && cache.target === '/cache' && /^[0-9a-f]{64}$/.test(cache.name));
  assert.deepEqual(plan.volumes.map((v) => [v.name === 'db' ? 'db' : 'anon', v.anonymous, v.options]), [['db', false, { uid: '1' }], ['anon', true, undefined]]);
});

test('two mounts on one target, or a --mount bind of a missing path, are refused', async () => {
  await assert.rejects(planMounts([{ type: 'volume', target: '/a', readOnly: false, noCopy: false }, { type: 'bind', source: '/', target: '/a', readOnly: false, propagation: 'rprivate', createHostPath: true }], undefined, undefined), /Duplicate mount point: \/a/);
  await assert.rejects(planMounts([{ type: 'volume', target: '/run', readOnly: false, noCopy: false }], undefined, { '/run': '' }), /Duplicate mount point: \/run/);
  await assert.rejects(planMounts([{ type: 'bind', source: '/no/such/path/here', target: '/a', readOnly: false, propagation: 'rprivate', createHostPath: false }], undefined, undefined), /bind source path does not exist/);
  assert.equal(tmpfsData({ readOnly: true }), 'ro');
});

test('--volumes-from mounts come after the requests (a request for the same target wins) and before the image VOLUMEs', async () => {
  const inherited = [
    { type: 'volume' as const, name: 'shared', target: '/data', readOnly: true, noCopy: true, anonymous: false },
    { type: 'bind' as const, source: '/srv', target: '/srv', readOnly: false, propagation: 'rprivate' as const, createHostPath: true },
  ];
  const plan = await planMounts([{ type: 'bind', source: '/', target: '/srv', readOnly: true, propagation: 'rprivate', createHostPath: true }], { '/data': {} }, undefined, { inherited });
  assert.deepEqual(plan.mounts, [
    { type: 'bind', source: '/', target: '/srv', readOnly: true, propagation: 'rprivate', createHostPath: true },
    inherited[0],
  ]);
  assert.deepEqual(plan.volumes, []);
});

test('a volume driver other than local is refused with the name of the volume it would create', async () => {
  await assert.rejects(planMounts([{ type: 'volume', source: 'db', target: '/db', readOnly: false, noCopy: false, driver: 'nfs' }], undefined, undefined),
    { kind: 'not-found', message: 'create db: error looking up volume plugin nfs: plugin "nfs" not found' });
  await assert.rejects(planMounts([], { '/cache': {} }, undefined, { volumeDriver: 'nfs' }), /^BerthError: create [0-9a-f]{64}: error looking up volume plugin nfs/);
  const plan = await planMounts([], { '/cache': {} }, undefined, { volumeDriver: 'local' });
  assert.equal(plan.volumes[0]?.driver, 'local');
  assert.equal((await planMounts([], undefined, undefined, { volumeDriver: 'nfs' })).volumes.length, 0);
});
