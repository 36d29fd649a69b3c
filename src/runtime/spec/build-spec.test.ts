import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { DEFAULT_SECCOMP_PROFILE } from '../seccomp/default-profile.js';
import { buildSpec, type BuildSpecInput } from './build-spec.js';
import type { ContainerOptions } from './container-options.js';
import type { RuntimeSpec } from './oci-runtime-spec.js';

const id = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2';

function build(options: ContainerOptions = {}, extra: Partial<BuildSpecInput> = {}): RuntimeSpec {
  return buildSpec({
    id,
    image: { Cmd: ['sh'], Env: ['PATH=/usr/bin:/bin'], WorkingDir: '/srv' },
    options,
    rootfsPath: '/var/lib/berth/containers/x/rootfs',
    etcFiles: { hosts: '/c/hosts', hostname: '/c/hostname', resolvConf: '/c/resolv.conf' },
    cgroupsPath: `/berth/${id}`,
    hostLimits: { nofileHard: 20000, nprocHard: 32768 },
    seccompProfile: DEFAULT_SECCOMP_PROFILE,
    ...extra,
  });
}

function allowed(spec: RuntimeSpec, name: string): boolean {
  return (spec.linux.seccomp?.syscalls ?? []).some((rule) => rule.action === 'SCMP_ACT_ALLOW' && rule.args === undefined && rule.names.includes(name));
}

test('defaults look like Docker\'s', () => {
  const spec = build();
  assert.equal(spec.hostname, id.slice(0, 12));
  assert.deepEqual(spec.process.args, ['sh']);
  assert.deepEqual(spec.process.env, ['PATH=/usr/bin:/bin', `HOSTNAME=${id.slice(0, 12)}`]);
  assert.equal(spec.process.cwd, '/srv');
  assert.deepEqual(spec.process.user, { uid: 0, gid: 0, additionalGids: [0] });
  assert.equal(spec.process.capabilities?.bounding?.length, 14);
  assert.equal(spec.process.capabilities.inheritable, undefined);
  assert.equal(spec.process.capabilities.ambient, undefined);
  assert.equal(spec.process.noNewPrivileges, false);
  assert.deepEqual(spec.process.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }]);
  assert.deepEqual(spec.linux.namespaces.map((ns) => ns.type).sort(), ['cgroup', 'ipc', 'mount', 'network', 'pid', 'uts']);
  assert.equal(spec.linux.cgroupsPath, `/berth/${id}`);
  assert.ok(spec.linux.maskedPaths?.includes('/proc/kcore'));
  assert.ok(spec.linux.readonlyPaths?.includes('/proc/sys'));
  assert.equal(spec.root.readonly, false);
  assert.deepEqual(
    spec.mounts.map((m) => m.destination),
    ['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm', '/etc/resolv.conf', '/etc/hostname', '/etc/hosts'],
  );
  assert.ok(spec.mounts.find((m) => m.destination === '/dev/shm')?.options?.includes('size=67108864'));
  assert.ok(spec.mounts.find((m) => m.destination === '/sys')?.options?.includes('ro'));
  assert.equal(spec.linux.seccomp?.defaultAction, 'SCMP_ACT_ERRNO');
  assert.ok(!allowed(spec, 'mount'));
  const json = JSON.stringify(spec);
  for (const absent of ['apparmorProfile', 'selinuxLabel', 'mountLabel']) assert.ok(!json.includes(absent));
});

test('network none has its own namespace; host has none and no net sysctls', () => {
  const none = build({ networkMode: 'none' });
  assert.ok(none.linux.namespaces.some((ns) => ns.type === 'network' && ns.path === undefined));
  assert.equal(none.linux.sysctl?.['net.ipv4.ip_unprivileged_port_start'], '0');
  const host = build({ networkMode: 'host', hostname: 'h' });
  assert.ok(!host.linux.namespaces.some((ns) => ns.type === 'network'));
  assert.deepEqual(host.linux.sysctl, {});
  assert.throws(() => build({ networkMode: 'host', sysctls: { 'net.ipv4.ip_forward': '1' } }), (err: unknown) => isBerthError(err, 'invalid-argument'));
});

test('host ipc/pid/uts drop their namespaces', () => {
  const spec = build({ ipcMode: 'host', pidMode: 'host', utsMode: 'host' });
  assert.deepEqual(spec.linux.namespaces.map((ns) => ns.type).sort(), ['cgroup', 'mount', 'network']);
  assert.equal(spec.hostname, undefined);
  assert.equal(spec.mounts.find((m) => m.destination === '/dev/shm')?.source, '/dev/shm');
});

test('read-only rootfs keeps tmpfs mounts writable and makes the etc files read-only', () => {
  const spec = build({ readOnly: true, tmpfs: { '/run': 'size=1m,exec' }, shmSize: 1024 * 1024 });
  assert.equal(spec.root.readonly, true);
  assert.deepEqual(spec.mounts.find((m) => m.destination === '/etc/hosts')?.options, ['rbind', 'ro', 'rprivate']);
  assert.deepEqual(spec.mounts.find((m) => m.destination === '/run')?.options, ['nosuid', 'nodev', 'rprivate', 'size=1m', 'exec']);
  assert.ok(spec.mounts.find((m) => m.destination === '/dev/shm')?.options?.includes('size=1048576'));
});

test('privileged: all caps, all devices, no seccomp, no masked paths, writable /sys', () => {
  const spec = build({ privileged: true });
  assert.equal(spec.process.capabilities?.bounding?.length, 41);
  assert.equal(spec.linux.seccomp, undefined);
  assert.equal(spec.linux.maskedPaths, undefined);
  assert.equal(spec.linux.readonlyPaths, undefined);
  assert.deepEqual(spec.linux.resources?.devices, [{ allow: true, access: 'rwm' }]);
  assert.ok(!spec.mounts.find((m) => m.destination === '/sys')?.options?.includes('ro'));
  assert.ok(!spec.mounts.find((m) => m.destination === '/sys/fs/cgroup')?.options?.includes('ro'));
});

test('capAdd SYS_ADMIN allows mount in the seccomp filter; seccomp=unconfined removes it', () => {
  assert.ok(allowed(build({ capAdd: ['SYS_ADMIN'] }), 'mount'));
  assert.equal(build({ securityOpt: ['seccomp=unconfined'] }).linux.seccomp, undefined);
});

test('security options: no-new-privileges forms and a custom profile', () => {
  assert.equal(build({ securityOpt: ['no-new-privileges'] }).process.noNewPrivileges, true);
  assert.equal(build({ securityOpt: ['no-new-privileges=true'] }).process.noNewPrivileges, true);
  assert.equal(build({ securityOpt: ['no-new-privileges=false'] }).process.noNewPrivileges, false);
  const custom = JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['chmod'], action: 'SCMP_ACT_ERRNO' }] });
  assert.deepEqual(build({ securityOpt: [`seccomp=${custom}`] }).linux.seccomp, {
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [{ names: ['chmod'], action: 'SCMP_ACT_ERRNO' }],
  });
  for (const bad of ['apparmor=unconfined', 'no-new-privileges=maybe', 'seccomp=/etc/profile.json', 'seccomp={"defaultAction":1}']) {
    assert.throws(() => build({ securityOpt: [bad] }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.includes('securityOpt'));
  }
});

test('user, env, tty, oomScoreAdj and resources flow into the spec', () => {
  const spec = build(
    { user: 'app', env: ['A=1'], tty: true, oomScoreAdj: 500, memory: 64 * 1024 * 1024, nanoCpus: 500_000_000, pidsLimit: 50, domainname: 'd.example' },
    { passwd: 'app:x:1000:1000::/home/app:/bin/sh\n', group: 'wheel:x:10:app\n' },
  );
  assert.deepEqual(spec.process.user, { uid: 1000, gid: 1000, additionalGids: [1000, 10] });
  assert.equal(spec.process.terminal, true);
  assert.ok(spec.process.env?.includes('TERM=xterm') && spec.process.env.includes('A=1'));
  assert.equal(spec.process.oomScoreAdj, 500);
  assert.deepEqual(spec.linux.resources?.memory, { limit: 64 * 1024 * 1024, swap: 128 * 1024 * 1024 });
  assert.deepEqual(spec.linux.resources.cpu, { period: 100_000, quota: 50_000 });
  assert.deepEqual(spec.linux.resources.pids, { limit: 50 });
  assert.equal(spec.linux.sysctl?.['kernel.domainname'], 'd.example');
  assert.throws(() => build({ user: 'ghost' }), (err: unknown) => isBerthError(err, 'invalid-argument'));
  assert.throws(() => build({ oomScoreAdj: 2000 }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.startsWith('oomScoreAdj'));
  assert.throws(() => build({}, { cgroupsPath: 'berth/x' }), (err: unknown) => isBerthError(err, 'invalid-argument'));
});

test('labels stay out of the spec', () => {
  const spec = build({ labels: { 'com.example': 'secret-label' } });
  assert.ok(!JSON.stringify(spec).includes('secret-label'));
  assert.equal(spec.annotations, undefined);
});

test('groupAdd adds groups after the user\'s own; link variables come after the defaults, Env replaces them', () => {
  const spec = build(
    { user: 'app', groupAdd: ['audio', '1000', '4321'], env: ['DB_NAME=mine', 'A=1'] },
    { passwd: 'app:x:1000:1000::/home/app:/bin/sh\n', group: 'audio:x:29:\n', linkEnv: ['DB_PORT=tcp://10.0.0.2:80', 'DB_NAME=/web/db'] },
  );
  assert.deepEqual(spec.process.user, { uid: 1000, gid: 1000, additionalGids: [1000, 29, 4321] });
  assert.deepEqual(spec.process.env, ['PATH=/usr/bin:/bin', `HOSTNAME=${id.slice(0, 12)}`, 'DB_PORT=tcp://10.0.0.2:80', 'DB_NAME=mine', 'A=1']);
  assert.throws(() => build({ groupAdd: ['video'] }, { group: 'audio:x:29:\n' }), /groupAdd: Unable to find group video: no matching entries in group file/);
});
