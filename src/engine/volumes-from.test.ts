import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../base/errors.js';
import type { ContainerMount } from './container-mount.js';
import { initialState, type ContainerRecord } from './container-record.js';
import { inheritedMounts, parseVolumesFrom } from './volumes-from.js';

test('container[:mode] with the modes dockerd accepts', () => {
  assert.deepEqual(parseVolumesFrom('data', 'f'), { spec: 'data', container: 'data', readOnly: false });
  assert.deepEqual(parseVolumesFrom('data:ro', 'f'), { spec: 'data:ro', container: 'data', readOnly: true });
  for (const ok of ['data:', 'data:rw', 'data:ro,z', 'data:cached', 'data:delegated,ro,Z']) assert.equal(parseVolumesFrom(ok, 'f').container, 'data');
  for (const mode of ['rx', 'rshared', 'nocopy', 'ro,rw', 'Z,z', 'RO', 'rw,', 'ro:x']) {
    assert.throws(() => parseVolumesFrom(`data:${mode}`, 'HostConfig.VolumesFrom[0]'), { kind: 'invalid-argument', message: `HostConfig.VolumesFrom[0]: invalid mode: ${mode}` });
  }
  assert.throws(() => parseVolumesFrom('', 'f'), /f: volumes-from specification cannot be an empty string/);
  assert.throws(() => parseVolumesFrom(':ro', 'f'), /f: invalid name or ID supplied: ""/);
});

function record(mounts: ContainerMount[]): ContainerRecord {
  return {
    id: 'a'.repeat(64), name: 'src', imageId: 'i', createdAt: '', state: initialState(),
    config: { image: 'busybox', options: {}, autoRemove: false, stdinOnce: false, attachStdin: false, attachStdout: true, attachStderr: true, log: { maxSize: -1 }, mounts },
  };
}

test('volumes and binds are taken (read-only with ro, never seeded), tmpfs mounts are not; a later source wins a target', () => {
  const first = record([
    { type: 'volume', name: 'v', target: '/v', readOnly: false, noCopy: false, anonymous: true },
    { type: 'bind', source: '/srv', target: '/b', readOnly: true, propagation: 'rprivate', createHostPath: true },
    { type: 'tmpfs', target: '/t', readOnly: false },
  ]);
  const second = record([{ type: 'bind', source: '/other', target: '/v', readOnly: false, propagation: 'rslave', createHostPath: false }]);
  const byName = new Map([['first', first], ['second', second]]);
  const resolve = (ref: string): ContainerRecord => byName.get(ref) ?? (() => { throw errors.notFound('no-such-container', `No such container: ${ref}`); })();
  assert.deepEqual(inheritedMounts([{ spec: 'first', container: 'first', readOnly: false }], resolve), [
    { type: 'volume', name: 'v', target: '/v', readOnly: false, noCopy: true, anonymous: true },
    { type: 'bind', source: '/srv', target: '/b', readOnly: true, propagation: 'rprivate', createHostPath: true },
  ]);
  const both = inheritedMounts([{ spec: 'first:ro', container: 'first', readOnly: true }, { spec: 'second', container: 'second', readOnly: false }], resolve);
  assert.deepEqual(both.map((m) => [m.target, m.type, m.readOnly]), [['/v', 'bind', false], ['/b', 'bind', true]]);
  assert.throws(() => inheritedMounts([{ spec: 'x', container: 'x', readOnly: false }], resolve), { kind: 'invalid-argument', message: 'No such container: x' });
});
