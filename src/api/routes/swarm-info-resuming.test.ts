import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, systemTimers } from '../../base/clock.js';
import { isBerthError } from '../../base/errors.js';
import { ClusterNode } from '../../cluster/control/cluster-node.js';
import { clusterPaths, writeMembership } from '../../cluster/control/membership.js';
import { clusterSwarmInfo } from './swarm.js';

// A manager whose parts are not running (before resume, or while it changes role) answers /info
// with its Swarm section, and its manager calls reject rather than throw.
test('/info of a manager whose parts are not running', async () => {
  const root = await mkdtemp(join(tmpdir(), 'berth-swarm-info-'));
  try {
    await writeMembership(clusterPaths(root), {
      clusterId: 'c1', nodeId: 'n1', role: 'manager', addr: '10.0.0.1', port: 2377, listenHost: '0.0.0.0',
      managers: [{ nodeId: 'n1', addr: '10.0.0.1:2377' }], etcd: { mode: 'external', endpoints: ['http://10.0.0.9:2379'] },
    });
    const node = await ClusterNode.open({ root, socketPath: join(root, 'berth.sock'), hostname: 'alpha', clock: systemClock, timers: systemTimers, log: () => undefined });
    const info = await clusterSwarmInfo(node)();
    assert.deepEqual([info.LocalNodeState, info.ControlAvailable, info.NodeID], ['active', true, 'n1']);
    const pending = node.inspect();
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, (err) => isBerthError(err, 'unavailable') && err.reason === 'not-a-manager');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
