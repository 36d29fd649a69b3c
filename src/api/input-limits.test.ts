import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCreateLimits, checkVolumeNames } from './container-create-limits.js';
import { checkExecLimits, checkLabels, checkName, INPUT_LIMITS, quoted } from './input-limits.js';

const KiB = 1024;
const refusal = (check: () => void): string => {
  try {
    check();
  } catch (err) {
    assert.ok(err instanceof Error && 'reason' in err && err.reason === 'input-too-large');
    return err.message;
  }
  return 'accepted';
};

test('labels: each key, each value and all of them together, named with their sizes and the limit', () => {
  assert.equal(refusal(() => { checkLabels({ x: 'v'.repeat(10 * 1024 * KiB) }); }), 'label "x" value is 10485760 bytes, the limit is 65536');
  assert.equal(refusal(() => { checkLabels({ x: 'é'.repeat(32 * KiB + 1) }); }), 'label "x" value is 65538 bytes, the limit is 65536');
  assert.equal(refusal(() => { checkLabels({ ['k'.repeat(2000)]: 'v' }); }), `label key ${quoted('k'.repeat(2000))} is 2000 bytes, the limit is 1024`);
  const many = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`l${i}`, 'v'.repeat(60 * KiB)]));
  assert.equal(refusal(() => { checkLabels(many); }), 'labels are 307210 bytes in all, the limit is 262144');
  assert.equal(refusal(() => { checkLabels({ a: 'v'.repeat(60 * KiB), b: 'w'.repeat(60 * KiB), c: '' }); }), 'accepted');
  assert.equal(refusal(() => { checkLabels(null); }), 'accepted');
  assert.equal(refusal(() => { checkLabels({ x: 'v'.repeat(70 * KiB) }, 'HostConfig.Mounts[0] label'); }), 'HostConfig.Mounts[0] label "x" value is 71680 bytes, the limit is 65536');
});

test('names, and quoted long strings cut after 40 characters', () => {
  assert.equal(refusal(() => { checkName('network', 'n'.repeat(256)); }), `network name "${'n'.repeat(40)}…" is 256 bytes, the limit is 255`);
  assert.equal(refusal(() => { checkName('volume', 'v'.repeat(255)); }), 'accepted');
  assert.equal(refusal(() => { checkName('container', undefined); }), 'accepted');
  assert.equal(quoted('a"b'), '"a\\"b"');
});

test('a create body: strings, env, arguments, labels, DNS and extra hosts, mounts', () => {
  const create = (body: Parameters<typeof checkCreateLimits>[0], name?: string) => refusal(() => { checkCreateLimits(body, name); });
  assert.equal(create({ Hostname: 'h'.repeat(65) }), 'Hostname is 65 bytes, the limit is 64');
  assert.equal(create({ Hostname: 'h'.repeat(64), Domainname: 'd'.repeat(255), User: 'u'.repeat(256), WorkingDir: `/${'w'.repeat(4095)}` }), 'accepted');
  assert.equal(create({ Domainname: 'd'.repeat(256) }), 'Domainname is 256 bytes, the limit is 255');
  assert.equal(create({ User: 'u'.repeat(257) }), 'User is 257 bytes, the limit is 256');
  assert.equal(create({ WorkingDir: 'w'.repeat(4097) }), 'WorkingDir is 4097 bytes, the limit is 4096');
  assert.equal(create({}, 'c'.repeat(300)), `container name "${'c'.repeat(40)}…" is 300 bytes, the limit is 255`);
  assert.equal(create({ Env: ['A=1', `B=${'b'.repeat(128 * KiB)}`] }), `Env[1] "B=${'b'.repeat(38)}…" is 131074 bytes, the limit is 131072`);
  assert.equal(create({ Env: Array.from({ length: 9 }, () => `X=${'x'.repeat(120 * KiB)}`) }), 'Env is 1105938 bytes in all, the limit is 1048576');
  assert.equal(create({ Cmd: 'x'.repeat(128 * KiB + 1) }), `Cmd[0] "${'x'.repeat(40)}…" is 131073 bytes, the limit is 131072`);
  const half = Array.from({ length: 5 }, () => 'a'.repeat(120 * KiB));
  assert.equal(create({ Cmd: half, Entrypoint: half }), 'Cmd and Entrypoint are 1228800 bytes in all, the limit is 1048576');
  assert.equal(create({ Cmd: half.slice(0, 4), Entrypoint: half.slice(0, 4) }), 'accepted');
  assert.equal(create({ Labels: { x: 'v'.repeat(64 * KiB + 1) } }), 'label "x" value is 65537 bytes, the limit is 65536');
  assert.equal(create({ HostConfig: { Dns: Array.from({ length: 65 }, () => '10.0.0.1') } }), 'HostConfig.Dns: 65 entries, the limit is 64');
  assert.equal(create({ HostConfig: { DnsSearch: ['d'.repeat(256)] } }), `HostConfig.DnsSearch[0] "${'d'.repeat(40)}…" is 256 bytes, the limit is 255`);
  assert.equal(create({ HostConfig: { ExtraHosts: Array.from({ length: 4097 }, () => 'h:10.0.0.1') } }), 'HostConfig.ExtraHosts: 4097 entries, the limit is 4096');
  assert.equal(create({ HostConfig: { ExtraHosts: [`${'h'.repeat(1024)}:10.0.0.1`] } }), `HostConfig.ExtraHosts[0] "${'h'.repeat(40)}…" is 1033 bytes, the limit is 1024`);
  const binds = Array.from({ length: 1000 }, (_, i) => `v${i}:/v${i}`);
  assert.equal(create({ HostConfig: { Binds: binds, Tmpfs: Object.fromEntries(binds.map((b) => [b, ''])) } }), 'Binds, Mounts, Tmpfs and Volumes: 2000 entries, the limit is 1024');
  assert.equal(create({ HostConfig: { Mounts: [{ VolumeOptions: { Labels: { l: 'v'.repeat(65 * KiB) } } }] } }), 'HostConfig.Mounts[0] label "l" value is 66560 bytes, the limit is 65536');
  assert.equal(refusal(() => { checkVolumeNames([{ type: 'volume', source: 'v'.repeat(256), target: '/v', readOnly: false, noCopy: false }]); }), `volume name "${'v'.repeat(40)}…" is 256 bytes, the limit is 255`);
});

test('an exec: its command, environment, user and working directory', () => {
  assert.equal(refusal(() => { checkExecLimits({ Cmd: ['sh', 'c'.repeat(128 * KiB + 1)] }); }), `Cmd[1] "${'c'.repeat(40)}…" is 131073 bytes, the limit is 131072`);
  assert.equal(refusal(() => { checkExecLimits({ Cmd: ['true'], Env: [`A=${'a'.repeat(128 * KiB)}`] }); }), `Env[0] "A=${'a'.repeat(38)}…" is 131074 bytes, the limit is 131072`);
  assert.equal(refusal(() => { checkExecLimits({ Cmd: ['true'], Env: ['A=1'], User: 'root', WorkingDir: '/' }); }), 'accepted');
  assert.ok(INPUT_LIMITS.jsonBodyBytes > INPUT_LIMITS.envTotalBytes + INPUT_LIMITS.argumentsTotalBytes + INPUT_LIMITS.labelsTotalBytes);
});
