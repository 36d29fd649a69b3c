import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import type { OciSeccomp } from '../spec/oci-runtime-spec.js';
import { DEFAULT_CAPABILITIES } from '../spec/capabilities.js';
import { DEFAULT_SECCOMP_PROFILE } from './default-profile.js';
import { seccompForCapabilities } from './seccomp-for-capabilities.js';
import { parseSeccompProfile } from './seccomp-profile.js';

function rules(seccomp: OciSeccomp, name: string) {
  return (seccomp.syscalls ?? []).filter((rule) => rule.names.includes(name));
}
function unconditionallyAllowed(seccomp: OciSeccomp, name: string): boolean {
  return rules(seccomp, name).some((rule) => rule.action === 'SCMP_ACT_ALLOW' && rule.args === undefined);
}

test('default profile for the default caps on amd64', () => {
  const seccomp = seccompForCapabilities(DEFAULT_CAPABILITIES);
  assert.equal(seccomp.defaultAction, 'SCMP_ACT_ERRNO');
  assert.equal(seccomp.defaultErrnoRet, 1);
  assert.deepEqual(seccomp.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  for (const name of ['read', 'openat', 'arch_prctl', 'modify_ldt', 'chroot', 'ptrace']) assert.ok(unconditionallyAllowed(seccomp, name), name);
  for (const name of ['mount', 'umount2', 'unshare', 'setns', 'bpf', 'reboot', 'open_by_handle_at', 'kexec_load']) {
    assert.ok(!unconditionallyAllowed(seccomp, name), name);
  }
  assert.ok(!unconditionallyAllowed(seccomp, 'cacheflush'), 'arm-only syscall on amd64');
  assert.deepEqual(rules(seccomp, 'clone'), [{ names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 2114060288, op: 'SCMP_CMP_MASKED_EQ' }] }]);
  assert.deepEqual(rules(seccomp, 'clone3'), [{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]);
});

test('CAP_SYS_ADMIN allows mount, umount2, unshare, clone unrestricted', () => {
  const seccomp = seccompForCapabilities([...DEFAULT_CAPABILITIES, 'CAP_SYS_ADMIN']);
  for (const name of ['mount', 'umount2', 'unshare', 'setns', 'clone', 'clone3']) assert.ok(unconditionallyAllowed(seccomp, name), name);
  assert.ok(!rules(seccomp, 'clone').some((rule) => rule.args !== undefined), 'masked clone rule excluded');
  assert.ok(!rules(seccomp, 'clone3').some((rule) => rule.action === 'SCMP_ACT_ERRNO'));
});

test('ptrace: allowed on kernels >= 4.8, else only with CAP_SYS_PTRACE', () => {
  const old = { kernel: { kernel: 4, major: 4 } };
  assert.ok(!unconditionallyAllowed(seccompForCapabilities(DEFAULT_CAPABILITIES, old), 'ptrace'));
  assert.ok(unconditionallyAllowed(seccompForCapabilities([...DEFAULT_CAPABILITIES, 'CAP_SYS_PTRACE'], old), 'ptrace'));
  assert.ok(unconditionallyAllowed(seccompForCapabilities(DEFAULT_CAPABILITIES, { kernel: { kernel: 6, major: 18 } }), 'ptrace'));
});

test('arch conditions follow the host arch', () => {
  const arm = seccompForCapabilities(DEFAULT_CAPABILITIES, { arch: 'arm64' });
  assert.deepEqual(arm.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  assert.ok(unconditionallyAllowed(arm, 'cacheflush'));
  assert.ok(!unconditionallyAllowed(arm, 'arch_prctl'));
});

test('the data is Docker\'s profile and the evaluation never mutates it', () => {
  const before = JSON.stringify(DEFAULT_SECCOMP_PROFILE);
  seccompForCapabilities(['CAP_SYS_ADMIN']).syscalls?.[0]?.names.push('mutated');
  assert.equal(JSON.stringify(DEFAULT_SECCOMP_PROFILE), before);
  assert.equal(DEFAULT_SECCOMP_PROFILE.syscalls?.[0]?.names?.length, 361);
  assert.doesNotThrow(() => parseSeccompProfile(before));
});

test('malformed profiles are invalid-argument', () => {
  assert.throws(() => parseSeccompProfile('{'), (err: unknown) => isBerthError(err, 'invalid-argument'));
  assert.throws(() => parseSeccompProfile('{"defaultAction":"SCMP_ACT_NOPE"}'), (err: unknown) => isBerthError(err, 'invalid-argument'));
  const both = parseSeccompProfile('{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"name":"a","names":["b"],"action":"SCMP_ACT_ALLOW"}]}');
  assert.throws(() => seccompForCapabilities([], { profile: both }), (err: unknown) => isBerthError(err, 'invalid-argument'));
});
