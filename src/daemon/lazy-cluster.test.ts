import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, systemTimers } from '../base/clock.js';
import { isBerthError } from '../base/errors.js';
import { LazyClusterNode } from './lazy-cluster.js';

const options = (root: string) => ({ root, socketPath: join(root, 'berth.sock'), hostname: 'node-1', clock: systemClock, timers: systemTimers, log: () => undefined });

test('a node in no cluster answers as ClusterNode does: inactive, not-a-manager, not-in-cluster', async () => {
  const root = await mkdtemp(join(tmpdir(), 'berth-lazy-cluster-'));
  try {
    const cluster = await LazyClusterNode.open(options(root));
    await cluster.resume();
    assert.deepEqual(cluster.local(), { state: 'inactive', nodeId: '', nodeAddr: '', controlAvailable: false, error: '', remoteManagers: [] });
    await assert.rejects(cluster.listServices(), (err: unknown) => isBerthError(err, 'unavailable') && err.reason === 'not-a-manager');
    await assert.rejects(cluster.taskLogs('t1', { follow: false, timestamps: false, stdout: true, stderr: true }, new AbortController().signal), (err: unknown) => isBerthError(err, 'unavailable') && err.reason === 'not-a-manager');
    await assert.rejects(cluster.leave(true), (err: unknown) => isBerthError(err, 'unavailable') && err.reason === 'not-in-cluster');
    await cluster.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a member\'s membership is read at open: a damaged file stops berthd at start, as before', async () => {
  const root = await mkdtemp(join(tmpdir(), 'berth-lazy-cluster-'));
  try {
    await mkdir(join(root, 'cluster'));
    await writeFile(join(root, 'cluster', 'membership.json'), '{ not json');
    await assert.rejects(LazyClusterNode.open(options(root)), (err: unknown) => isBerthError(err, 'data-loss') && err.reason === 'membership-corrupt');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
