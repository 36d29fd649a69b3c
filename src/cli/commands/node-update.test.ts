import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeNodeSpec } from './node-update.js';

const current = { Name: 'n1', Labels: { zone: 'a', disk: 'ssd' }, Role: 'worker', Availability: 'active' };
const none = { labelAdd: [], labelRm: [] };

test('node update merges the flags into the whole current spec', () => {
  assert.deepEqual(mergeNodeSpec(current, { labelAdd: ['zone=b', 'gpu'], labelRm: ['disk'], availability: 'drain' }), {
    Name: 'n1', Labels: { zone: 'b', gpu: '' }, Role: 'worker', Availability: 'drain',
  });
  assert.deepEqual(mergeNodeSpec(current, { ...none, role: 'manager' }), { Name: 'n1', Labels: { zone: 'a', disk: 'ssd' }, Role: 'manager', Availability: 'active' });
  assert.deepEqual(mergeNodeSpec({ Labels: {} }, none), { Labels: {}, Role: 'worker', Availability: 'active' });
});

test('node update refuses what Docker refuses, naming the flag', () => {
  assert.throws(() => mergeNodeSpec(current, { ...none, labelRm: ['gpu'] }), /--label-rm gpu: the node has no label gpu/);
  assert.throws(() => mergeNodeSpec(current, { ...none, availability: 'off' }), /--availability off: want active, pause, drain/);
  assert.throws(() => mergeNodeSpec(current, { ...none, role: 'leader' }), /--role leader: want worker, manager/);
  assert.throws(() => mergeNodeSpec(current, { ...none, labelAdd: ['=x'] }), /--label-add =x/);
});
