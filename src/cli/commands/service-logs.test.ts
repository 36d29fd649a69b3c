import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { parseLogDetails, splitLogLine } from './service-logs.js';

test('a line of the manager\'s stream splits into its time, its details and its message', () => {
  const details = 'com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1';
  const line = splitLogLine(`2026-01-01T00:00:00.000000001Z ${details} hello  world\n`, true);
  assert.equal(line.timestamp, '2026-01-01T00:00:00.000000001Z');
  assert.deepEqual([...line.details], [['com.docker.swarm.node.id', 'n1'], ['com.docker.swarm.service.id', 's1'], ['com.docker.swarm.task.id', 't1']]);
  assert.equal(line.message, 'hello  world\n');
  assert.equal(splitLogLine(`${details} x\n`, false).message, 'x\n');
});

test('details are query-escaped pairs; anything else is refused', () => {
  assert.deepEqual([...parseLogDetails('a%3Db=c%2Cd')], [['a=b', 'c,d']]);
  assert.throws(() => parseLogDetails('hello'), (err) => isBerthError(err, 'invalid-argument'));
});
