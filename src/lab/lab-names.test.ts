import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../base/errors.js';
import { LabNames, nodeNames } from './lab-names.js';
import { chooseLabSubnet } from './lab-subnet.js';

test('lab names: letters, digits and inner dashes, at most 32', () => {
  for (const good of ['berth', 'a', 't123-x9', 'a'.repeat(32)]) assert.doesNotThrow(() => new LabNames(good, '/labs'));
  for (const bad of ['', 'A', '-a', 'a-', 'a_b', 'a/b', 'a'.repeat(33)]) {
    assert.throws(() => new LabNames(bad, '/labs'), (err) => isBerthError(err, 'invalid-argument'), bad);
  }
});

test('interface names fit in 15 bytes and carry the lab name in their alias', () => {
  const names = new LabNames('a-rather-long-lab-name-for-tests', '/labs');
  const node = names.node('w12', 63);
  assert.ok(names.bridge.length <= 15 && node.veth.length <= 15, `${names.bridge} ${node.veth}`);
  assert.equal(names.alias, 'berth-lab:a-rather-long-lab-name-for-tests');
  assert.equal(node.netns, 'berth-lab-a-rather-long-lab-name-for-tests-w12');
  assert.equal(node.cgroupParent, '/berth-lab-a-rather-long-lab-name-for-tests/w12');
  assert.equal(node.socket, '/labs/a-rather-long-lab-name-for-tests/w12/berth.sock');
  assert.notEqual(new LabNames('b', '/labs').bridge, new LabNames('c', '/labs').bridge);
});

test('a lab owns only its own namespaces, not those of a lab whose name extends its own', () => {
  const names = new LabNames('a', '/labs');
  assert.ok(names.ownsNetns('berth-lab-a-m1'));
  assert.ok(names.ownsNetns('berth-lab-a-w10'));
  assert.ok(!names.ownsNetns('berth-lab-a-m1-m1'));
  assert.ok(!names.ownsNetns('berth-lab-ab-m1'));
  assert.ok(!names.ownsNetns('berth-lab-a-x1'));
});

test('nodes: managers first, then workers; counts checked', () => {
  assert.deepEqual(nodeNames(2, 1), [{ node: 'm1', role: 'manager' }, { node: 'm2', role: 'manager' }, { node: 'w1', role: 'worker' }]);
  for (const [m, w] of [[0, 0], [-1, 2], [1.5, 0], [40, 40]] as const) assert.throws(() => nodeNames(m, w), (err) => isBerthError(err, 'invalid-argument'));
});

test('lab subnet: first free /24 of 10.250.0.0/16; host first, nodes after', () => {
  const chosen = chooseLabSubnet(3, ['default', '10.89.0.0/24', '10.250.0.0/24', '10.250.1.1']);
  assert.deepEqual(chosen, { subnet: '10.250.2.0/24', hostAddress: '10.250.2.1', nodeAddresses: ['10.250.2.2', '10.250.2.3', '10.250.2.4'], prefix: 24 });
});

test('lab subnet: a requested one is checked against the routes and its size', () => {
  assert.equal(chooseLabSubnet(2, [], '192.168.77.0/29').hostAddress, '192.168.77.1');
  assert.throws(() => chooseLabSubnet(2, ['192.168.0.0/16'], '192.168.77.0/24'), (err) => isBerthError(err, 'conflict'));
  assert.throws(() => chooseLabSubnet(6, [], '192.168.77.0/29'), (err) => isBerthError(err, 'invalid-argument'));
  assert.throws(() => chooseLabSubnet(1, [], 'nonsense'), (err) => isBerthError(err, 'invalid-argument'));
  assert.throws(() => chooseLabSubnet(1, ['10.250.0.0/16']), (err) => isBerthError(err, 'resource-exhausted'));
});
