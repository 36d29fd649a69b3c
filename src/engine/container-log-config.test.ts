import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logConfigView, logFileOf, logInfoOf, logPathOf, recordLogConfig, shippedFormatOf } from './container-log-config.js';
import { ContainerPaths } from './container-paths.js';
import { initialState, type ContainerRecord, type LogConfig } from './container-record.js';

const paths = new ContainerPaths('/var/lib/berth');
const id = 'c'.repeat(64);

function record(log: LogConfig, started = false): ContainerRecord {
  return {
    id, name: 'web', imageId: 'sha256:i', createdAt: '2026-01-01T00:00:00Z',
    state: { ...initialState(), ...(started ? { startedAt: '2026-01-01T00:00:01Z' } : {}) },
    config: {
      image: 'busybox', options: { env: ['A=own'], labels: { l: 'own' }, cmd: ['echo', 'hi'] }, autoRemove: false, stdinOnce: false,
      attachStdin: false, attachStdout: true, attachStderr: true, log,
    },
  };
}

test('a record from before log drivers is k8s-file with its cap, as inspect showed it', () => {
  const old = record({ maxSize: 20 * 1024 * 1024 });
  assert.deepEqual(logConfigView(old), { Type: 'k8s-file', Config: { 'max-size': '20971520' } });
  assert.deepEqual(logConfigView(record({ maxSize: -1 })), { Type: 'k8s-file', Config: {} });
  assert.equal(logPathOf(old, paths), `/var/lib/berth/containers/${id}/container.log`);
  assert.equal(shippedFormatOf(old), undefined);
});

test('json-file: options as given, LogPath once started (as dockerd), conmon writes its spool uncapped', () => {
  const config = recordLogConfig({ driver: 'json-file', options: { 'max-size': '10m' } });
  assert.deepEqual(config, { driver: 'json-file', options: { 'max-size': '10m' }, maxSize: -1 });
  assert.deepEqual(logConfigView(record(config)), { Type: 'json-file', Config: { 'max-size': '10m' } });
  assert.equal(logPathOf(record(config), paths), '');
  assert.equal(logPathOf(record(config, true), paths), `/var/lib/berth/containers/${id}/${id}-json.log`);
  assert.equal(shippedFormatOf(record(config)), 'json-file');
});

test('local keeps its files in local-logs/ with no LogPath; none has no file; k8s-file keeps its cap', () => {
  const local = record(recordLogConfig({ driver: 'local', options: {} }), true);
  assert.equal(logFileOf(local, paths), `/var/lib/berth/containers/${id}/local-logs/container.log`);
  assert.equal(logPathOf(local, paths), '');
  const none = record(recordLogConfig({ driver: 'none', options: { foo: 'bar' } }), true);
  assert.equal(logFileOf(none, paths), undefined);
  assert.deepEqual(logConfigView(none), { Type: 'none', Config: { foo: 'bar' } });
  assert.equal(recordLogConfig({ driver: 'k8s-file', options: { 'max-size': '4k' } }).maxSize, 4096);
});

test("attributes see the image's and the container's labels and environment, the container's winning", () => {
  const info = logInfoOf(record({ maxSize: -1 }), { Env: ['A=image', 'B=image'], Labels: { l: 'image', m: 'image' }, Entrypoint: ['/init'] }, 'node1');
  assert.deepEqual(info.env, ['A=own', 'B=image']);
  assert.deepEqual(info.labels, { l: 'own', m: 'image' });
  assert.deepEqual(info.command, ['/init', 'echo', 'hi']);
  assert.equal(info.containerName, 'web');
});
