import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOsRelease, type HostInfo } from './host-info.js';
import { infoView } from './info-view.js';
import { inactiveSwarmInfo } from './routes/swarm-inactive.js';

const host: HostInfo = {
  operatingSystem: 'Debian GNU/Linux 12 (bookworm)', osVersion: '12', ipv4Forwarding: true, bridgeNfIptables: false, bridgeNfIp6tables: false,
  cgroups: { memoryLimit: true, swapLimit: false, cpuCfsPeriod: true, cpuCfsQuota: true, cpuShares: true, cpuSet: true, pidsLimit: true },
  backingFilesystem: 'extfs', openFiles: 12, threads: 7,
};

test('os-release fields, quoted or not', () => {
  const fields = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nID=debian\n# comment\n');
  assert.equal(fields.get('PRETTY_NAME'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(fields.get('VERSION_ID'), '12');
  assert.equal(fields.get('ID'), 'debian');
});

test('/info: the host\'s facts, insecure registries, the swarm object given', () => {
  const info = infoView({
    id: 'id', name: 'node', serverVersion: '1', containers: { total: 3, running: 1, paused: 0, stopped: 2 }, images: 4, rootDir: '/var/lib/berth', host,
    cgroupVersion: '1', osType: 'linux', architecture: 'x86_64', kernelVersion: '6.1', ncpu: 2, memTotal: 1024, defaultRuntime: 'runc',
    runtimes: [{ name: 'runc', path: '/usr/sbin/runc' }], securityOptions: ['name=seccomp,profile=builtin'], insecureRegistries: ['registry.lan:5000'],
    swarm: inactiveSwarmInfo(), eventListeners: 1, initBinary: 'tini-static', env: { https_proxy: 'http://proxy:3128' }, now: new Date(0),
  });
  assert.equal(info.OperatingSystem, 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(info.SwapLimit, false);
  assert.equal(info.NGoroutines, 7);
  assert.equal(info.HttpsProxy, 'http://proxy:3128');
  assert.deepEqual(info.Swarm, inactiveSwarmInfo());
  const registries = info.RegistryConfig;
  assert.equal(registries.IndexConfigs['registry.lan:5000']?.Secure, false);
  assert.equal(registries.IndexConfigs['docker.io']?.Secure, true);
  assert.deepEqual(info.Runtimes, { runc: { path: '/usr/sbin/runc' } });
});
