import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDeviceCgroupRule, parseDeviceCgroupRules } from './device-cgroup-rules.js';

test('rules as dockerd reads them: numbers or *, any of r, w, m', () => {
  assert.deepEqual(parseDeviceCgroupRule('c 1:3 rwm', 'f'), { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' });
  assert.deepEqual(parseDeviceCgroupRule('a *:* rwm', 'f'), { allow: true, type: 'a', access: 'rwm' });
  assert.deepEqual(parseDeviceCgroupRule('b 8:* r', 'f'), { allow: true, type: 'b', major: 8, access: 'r' });
  assert.deepEqual(parseDeviceCgroupRule('c 01:03 mmm', 'f'), { allow: true, type: 'c', major: 1, minor: 3, access: 'mmm' });
});

test("anything else is dockerd's format error, naming the field", () => {
  for (const rule of ['c 1:3', 'x 1:3 rwm', 'c 1:3 rwx', 'c a:3 rw', '', 'c 1:3 rwm extra', 'c  1:3 rwm', 'c 1:3 ', 'a', 'c 1:3 rwmr', 'c 99999999999999999999:1 r']) {
    assert.throws(() => parseDeviceCgroupRule(rule, 'HostConfig.DeviceCgroupRules[0]'), {
      kind: 'invalid-argument', reason: 'invalid-device-cgroup-rule', message: `HostConfig.DeviceCgroupRules[0]: invalid device cgroup rule format: '${rule}'`,
    });
  }
  assert.throws(() => parseDeviceCgroupRules(['c 1:3 r', 'bad'], 'rules'), { message: "rules[1]: invalid device cgroup rule format: 'bad'" });
});
