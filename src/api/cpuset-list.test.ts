import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpusetProblem } from './cpuset-list.js';

test('lists dockerd takes: numbers (a sign allowed), ascending ranges, repeats, the empty list', () => {
  for (const list of ['', '0', '1', '0,1', '0-1', '1-1', '+1', '01', '1,1', '0-1,1']) assert.equal(cpusetProblem(list, '0-1'), undefined, list);
});

test('bad syntax, out of range and unavailable', () => {
  for (const list of ['abc', '1-0', '0-1,', '0, 1', '-1', '0-1-2', '99999999999999999999', ' 1']) {
    assert.deepEqual(cpusetProblem(list, '0-1'), { invalid: `invalid format: ${list}` }, list);
  }
  assert.deepEqual(cpusetProblem('9000', '0-1'), { invalid: 'value of out range, maximum is 8192' });
  assert.deepEqual(cpusetProblem('0-8193', '0-1'), { invalid: 'value of out range, maximum is 8192' });
  assert.equal(cpusetProblem('8192', '0-1'), 'unavailable');
  assert.equal(cpusetProblem('2', '0-1'), 'unavailable');
  assert.equal(cpusetProblem('9000', '0-8191,9000'), undefined);
  assert.equal(cpusetProblem('3', '0-1,3'), undefined);
});
