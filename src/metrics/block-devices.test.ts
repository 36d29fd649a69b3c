import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockDevices, devnameOf, splitDeviceNumber } from './block-devices.js';

test('device numbers split as glibc does', () => {
  assert.deepEqual(splitDeviceNumber(0x801), { major: 8, minor: 1 });
  assert.deepEqual(splitDeviceNumber(0xfe00), { major: 254, minor: 0 });
  // major 259 (NVMe) needs the high bits: (259 & 0xfff) << 8 | minor 3
  assert.deepEqual(splitDeviceNumber((259 << 8) | 3), { major: 259, minor: 3 });
  assert.deepEqual(splitDeviceNumber(0x100003), { major: 0, minor: 0x103 });
});

test('names come from sysfs uevent files; unknown devices keep their numbers', async (t) => {
  assert.equal(devnameOf('MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n'), 'sda');
  assert.equal(devnameOf('MAJOR=0\n'), undefined);
  const sys = await mkdtemp(join(tmpdir(), 'berth-metrics-sys-'));
  t.after(() => rm(sys, { recursive: true, force: true }));
  await mkdir(join(sys, '254:1'));
  await writeFile(join(sys, '254:1', 'uevent'), 'MAJOR=254\nMINOR=1\nDEVNAME=vda1\n');
  const devices = new BlockDevices(sys);
  assert.equal(devices.name(254, 1), '/dev/vda1');
  assert.equal(devices.name(0, 50), '0:50');
});
