import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequestFromBody } from './container-create-body.js';
import { containerCreateBodySchema } from '../wire/containers.js';

const create = (host: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  createRequestFromBody(containerCreateBodySchema.parse({ Image: 'busybox', ...extra, HostConfig: { NetworkMode: 'none', ...host } }), undefined);

test('the fields reach the engine request as given; unset values stay unset', () => {
  const request = create({
    GroupAdd: ['audio', '1234'], DeviceCgroupRules: ['c 1:3 rwm'], MemorySwappiness: 0, CpuRealtimePeriod: 1_000_000, CpuRealtimeRuntime: 950_000,
    VolumesFrom: ['data:ro'], Links: ['web:db'], VolumeDriver: 'local', Isolation: 'default', Binds: ['named:/n'],
  }, { Volumes: { '/anon': {} } });
  assert.deepEqual(request.options.groupAdd, ['audio', '1234']);
  assert.deepEqual(request.options.deviceCgroupRules, ['c 1:3 rwm']);
  assert.equal(request.options.memorySwappiness, 0);
  assert.equal(request.options.cpuRealtimePeriod, 1_000_000);
  assert.equal(request.options.cpuRealtimeRuntime, 950_000);
  assert.deepEqual(request.volumesFrom, [{ spec: 'data:ro', container: 'data', readOnly: true }]);
  assert.deepEqual(request.links, [{ name: 'web', alias: 'db' }]);
  assert.equal(request.volumeDriver, 'local');
  assert.equal(request.isolation, 'default');
  assert.deepEqual(request.mounts?.map((m) => (m.type === 'volume' ? m.driver : m.type)), ['local', 'local']);
  const plain = create({ MemorySwappiness: -1, VolumeDriver: '', Isolation: '', CpuRealtimePeriod: 0, GroupAdd: null, Links: [] });
  for (const key of ['memorySwappiness', 'cpuRealtimePeriod', 'groupAdd'] as const) assert.equal(plain.options[key], undefined);
  for (const key of ['volumeDriver', 'isolation', 'links', 'volumesFrom'] as const) assert.equal(plain[key], undefined);
  assert.deepEqual(create({ VolumesFrom: [] }).volumesFrom, []);
});

test("bad values get dockerd's messages, prefixed with the field", () => {
  const refuses = (host: Record<string, unknown>, message: string) => { assert.throws(() => create(host), { kind: 'invalid-argument', message }); };
  // MemorySwappiness's range: resource-ranges.test.ts, with the other resources.
  refuses({ Isolation: 'hyperv' }, `HostConfig.Isolation: Invalid isolation: "hyperv" - linux only supports 'default'`);
  refuses({ DeviceCgroupRules: ['c 1:3 rwm', 'c 1:3'] }, "HostConfig.DeviceCgroupRules[1]: invalid device cgroup rule format: 'c 1:3'");
  refuses({ CpuRealtimePeriod: 1000, CpuRealtimeRuntime: 2000 }, 'HostConfig.CpuRealtimeRuntime: cpu real-time runtime cannot be higher than cpu real-time period');
  refuses({ VolumesFrom: ['data:rx'] }, 'HostConfig.VolumesFrom[0]: invalid mode: rx');
  refuses({ Links: ['a:b:c'] }, 'HostConfig.Links[0]: bad format for links: a:b:c');
  assert.throws(() => containerCreateBodySchema.parse({ Image: 'x', HostConfig: { MemorySwappiness: 50.5 } }));
});
