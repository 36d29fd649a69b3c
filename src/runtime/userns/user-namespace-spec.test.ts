import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SECCOMP_PROFILE } from '../seccomp/default-profile.js';
import { buildSpec } from '../spec/build-spec.js';
import type { ContainerOptions } from '../spec/container-options.js';
import type { RuntimeSpec } from '../spec/oci-runtime-spec.js';
import { withUserNamespace } from './user-namespace-spec.js';

const userns = { mode: 'auto' as const, uid: 1_048_576, gid: 2_097_152, size: 65536 };

function spec(options: ContainerOptions = {}, networkNamespacePath?: string): RuntimeSpec {
  return buildSpec({
    id: 'c'.repeat(64), image: { Cmd: ['sh'] }, options, rootfsPath: '/r',
    etcFiles: { hosts: '/c/hosts', hostname: '/c/hostname', resolvConf: '/c/resolv.conf' },
    cgroupsPath: '/berth/c', hostLimits: { nofileHard: 20000, nprocHard: 32768 }, seccompProfile: DEFAULT_SECCOMP_PROFILE,
    ...(networkNamespacePath === undefined ? {} : { networkNamespacePath }),
  });
}

const mountAt = (s: RuntimeSpec, destination: string): RuntimeSpec['mounts'][number] | undefined => s.mounts.find((m) => m.destination === destination);

test('a user namespace with the range as mappings; its own network namespace keeps sysfs', () => {
  const { spec: s, netnsSysctls } = withUserNamespace(spec(), userns);
  assert.deepEqual(s.linux.namespaces[0], { type: 'user' });
  assert.deepEqual(s.linux.uidMappings, [{ containerID: 0, hostID: 1_048_576, size: 65536 }]);
  assert.deepEqual(s.linux.gidMappings, [{ containerID: 0, hostID: 2_097_152, size: 65536 }]);
  assert.equal(mountAt(s, '/sys')?.type, 'sysfs');
  assert.equal(mountAt(s, '/dev/mqueue')?.type, 'mqueue');
  assert.equal(s.linux.sysctl?.['net.ipv4.ping_group_range'], '0 65535');
  assert.deepEqual(netnsSysctls, {});
});

test('a joined network namespace: /sys is a read-only bind, its net sysctls are the caller\'s to write', () => {
  const joined = withUserNamespace(spec({ sysctls: { 'kernel.shmmax': '1000' } }, '/run/netns/x'), userns);
  assert.deepEqual(mountAt(joined.spec, '/sys'), { destination: '/sys', type: 'bind', source: '/sys', options: ['rbind', 'rprivate', 'nosuid', 'noexec', 'nodev', 'ro'] });
  assert.deepEqual(joined.netnsSysctls, { 'net.ipv4.ping_group_range': '0 65535', 'net.ipv4.ip_unprivileged_port_start': '0' });
  assert.deepEqual(joined.spec.linux.sysctl, { 'kernel.shmmax': '1000' });
});

test('the host network and IPC namespaces: /sys is a bind, no /dev/mqueue', () => {
  const host = withUserNamespace(spec({ networkMode: 'host', ipcMode: 'host' }), userns).spec;
  assert.equal(mountAt(host, '/sys')?.type, 'bind');
  assert.equal(mountAt(host, '/dev/mqueue'), undefined);
});

test('a ping_group_range the user set is kept; the spec it was given is not changed', () => {
  const original = spec({ sysctls: { 'net.ipv4.ping_group_range': '0 10' } });
  const s = withUserNamespace(original, userns).spec;
  assert.equal(s.linux.sysctl?.['net.ipv4.ping_group_range'], '0 10');
  assert.equal(original.linux.uidMappings, undefined);
  assert.equal(original.linux.namespaces.some((ns) => ns.type === 'user'), false);
});
