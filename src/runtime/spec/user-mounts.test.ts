import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SECCOMP_PROFILE } from '../seccomp/default-profile.js';
import { buildSpec, type BuildSpecInput } from './build-spec.js';
import type { ContainerOptions } from './container-options.js';
import type { RuntimeSpec } from './oci-runtime-spec.js';

const id = 'b'.repeat(64);

function build(options: ContainerOptions, extra: Partial<BuildSpecInput> = {}): RuntimeSpec {
  return buildSpec({
    id, image: { Cmd: ['sleep', '1'] }, options, rootfsPath: '/r',
    etcFiles: { hosts: '/c/hosts', hostname: '/c/hostname', resolvConf: '/c/resolv.conf' },
    cgroupsPath: `/berth/${id}`, hostLimits: { nofileHard: 20000, nprocHard: 32768 }, seccompProfile: DEFAULT_SECCOMP_PROFILE, ...extra,
  });
}

test('binds: rbind with ro/rw and propagation, parents before children, an etc file replaced; shared sets the root propagation', () => {
  const spec = build({}, {
    binds: [
      { source: '/v/db/_data', destination: '/data/db', readOnly: false, propagation: 'rprivate' },
      { source: '/srv', destination: '/data', readOnly: true, propagation: 'rshared' },
      { source: '/host/hosts', destination: '/etc/hosts', readOnly: true, propagation: 'rprivate' },
    ],
  });
  const user = spec.mounts.filter((m) => m.type === 'bind');
  assert.deepEqual(user.map((m) => [m.destination, m.source, m.options]), [
    ['/data', '/srv', ['rbind', 'ro', 'rshared']],
    ['/etc/resolv.conf', '/c/resolv.conf', ['rbind', 'rprivate']],
    ['/etc/hostname', '/c/hostname', ['rbind', 'rprivate']],
    ['/data/db', '/v/db/_data', ['rbind', 'rw', 'rprivate']],
    ['/etc/hosts', '/host/hosts', ['rbind', 'ro', 'rprivate']],
  ]);
  assert.equal(spec.linux.rootfsPropagation, 'rshared');
  assert.equal(build({}, { binds: [{ source: '/s', destination: '/s', readOnly: false, propagation: 'rslave' }] }).linux.rootfsPropagation, 'rslave');
  assert.equal(build({}).linux.rootfsPropagation, undefined);
});

test('--init: the init binary read-only at /sbin/docker-init, first in the args; none configured is refused', () => {
  const spec = build({ init: true }, { initPath: '/usr/bin/tini-static' });
  assert.deepEqual(spec.process.args, ['/sbin/docker-init', '--', 'sleep', '1']);
  assert.deepEqual(spec.mounts.find((m) => m.destination === '/sbin/docker-init'), {
    destination: '/sbin/docker-init', type: 'bind', source: '/usr/bin/tini-static', options: ['bind', 'ro', 'rprivate'],
  });
  assert.equal(build({}, { initPath: '/usr/bin/tini-static' }).mounts.some((m) => m.destination === '/sbin/docker-init'), false);
  assert.throws(() => build({ init: true }), /no init binary is configured/);
});
