import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, makeTask } from '../../test/support/cluster-fixtures.js';
import { drainHoldMessage } from './swarm-drain-status.js';

test('a drained node names the services whose tasks still run on it; none: no message', () => {
  const web = makeService('s1', { name: 'web' });
  const api = makeService('s2', { name: 'api' });
  const tasks = [
    makeTask('t1', web, { slot: 1, nodeId: 'n1' }), makeTask('t2', web, { slot: 2, nodeId: 'n1' }),
    makeTask('t3', api, { slot: 1, nodeId: 'n1' }), makeTask('t4', api, { slot: 2, nodeId: 'n1', state: 'shutdown', desiredState: 'shutdown' }),
  ];
  assert.equal(drainHoldMessage(tasks, [web, api]), 'drain waits for api (1 task), web (2 tasks): its tasks stop once their successors run elsewhere');
  assert.equal(drainHoldMessage([tasks[3]!], [web, api]), undefined);
});
