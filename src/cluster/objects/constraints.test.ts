import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { makeNode } from '../../../test/support/cluster-fixtures.js';
import { constraintHolds, firstUnmetConstraint, parseConstraint, parseConstraints } from './constraints.js';

const node = makeNode('n1', { role: 'manager', hostname: 'alpha', labels: { zone: 'eu', disk: 'ssd' }, engineLabels: { os: 'debian' }, arch: 'x86_64' });

test('parses every key Swarm knows, with == and !=', () => {
  assert.deepEqual(parseConstraint('node.labels.zone == eu'), { expression: 'node.labels.zone == eu', attribute: { kind: 'node-label', label: 'zone' }, operator: '==', value: 'eu' });
  assert.equal(parseConstraint('engine.labels.os!=debian').attribute.kind, 'engine-label');
  for (const key of ['node.id', 'node.hostname', 'node.role', 'node.platform.os', 'node.platform.arch']) {
    assert.equal(parseConstraint(`${key}==x`).operator, '==');
  }
});

test('matches node attributes, labels and engine labels', () => {
  const holds = (expression: string): boolean => constraintHolds(parseConstraint(expression), node);
  assert.equal(holds('node.id==n1'), true);
  assert.equal(holds('node.hostname!=alpha'), false);
  assert.equal(holds('node.role==manager'), true);
  assert.equal(holds('node.role==worker'), false);
  assert.equal(holds('node.platform.os==linux'), true);
  assert.equal(holds('node.platform.arch==amd64'), true, 'x86_64 and amd64 are one architecture');
  assert.equal(holds('node.labels.zone==EU'), true, 'values compare case-insensitively');
  assert.equal(holds('node.labels.zone!=eu'), false);
  assert.equal(holds('engine.labels.os==debian'), true);
  assert.equal(holds('node.labels.rack==r1'), false, 'a missing label equals nothing');
  assert.equal(holds('node.labels.rack!=r1'), true, 'so != holds for it');
});

test('all constraints must hold; the first unmet one is named', () => {
  const list = parseConstraints(['node.labels.zone==eu', 'node.labels.disk==hdd', 'node.role==worker']);
  assert.equal(firstUnmetConstraint(list, node)?.expression, 'node.labels.disk==hdd');
  assert.equal(firstUnmetConstraint(list.slice(0, 1), node), undefined);
});

test('a malformed or unknown constraint is refused with the expression and field named', () => {
  const refused = (expression: string, pattern: RegExp): void => {
    assert.throws(() => parseConstraints(['node.role==worker', expression], 'placement.constraints'), (err: unknown) => {
      assert.ok(isBerthError(err, 'invalid-argument'));
      assert.equal(err.reason, 'invalid-constraint');
      assert.match(err.message, /^placement\.constraints\[1\]: invalid constraint/);
      assert.ok(err.message.includes(`"${expression}"`));
      assert.match(err.message, pattern);
      return true;
    });
  };
  refused('node.labels.zone=eu', /expected <key>==<value>/);
  refused('node.labels.zone', /expected/);
  refused('node.colour==red', /unknown key "node.colour"/);
  refused('node.labels.==x', /unknown key/);
  refused('node.role==', /expected/);
  refused('node.role==a"b', /malformed value/);
});
