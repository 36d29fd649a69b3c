import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { StdioFrameReader } from '../../stdio/stdio-frames.js';
import { startClusterPortServer, type ClusterPortServer } from './cluster-port-server.js';
import { makeTestCluster, MemoryNodeBackend, type TestCluster } from './cluster-port-test-kit.js';
import { TaskLogClient } from './task-log-client.js';
import type { TaskLog, TaskLogQuery } from './protocol.js';

const QUERY: TaskLogQuery = { follow: false, timestamps: true, stdout: true, stderr: false, tail: 10, since: '1700000000.5' };

async function linesOf(log: TaskLog): Promise<string[]> {
  const reader = new StdioFrameReader();
  const lines: string[] = [];
  for await (const chunk of log.body) for (const frame of reader.push(chunk)) lines.push(frame.payload.toString());
  return lines;
}

describe('the task-logs route every member serves', () => {
  let cluster: TestCluster;
  let node: MemoryNodeBackend;
  let server: ClusterPortServer | undefined;
  const clients: TaskLogClient[] = [];
  let addr = '';

  before(async () => {
    cluster = await makeTestCluster('cluster1');
    node = new MemoryNodeBackend({ task1: ['first', 'second'] });
    // A worker's port: no manager routes, only its tasks' logs.
    server = await startClusterPortServer({ host: '127.0.0.1', port: 0, tls: await cluster.node('worker1', 'worker'), node, clusterId: cluster.clusterId });
    addr = `127.0.0.1:${server.port}`;
  });
  after(async () => {
    for (const client of clients) client.close();
    await server?.close();
  });

  async function client(nodeId: string, role: 'manager' | 'worker'): Promise<TaskLogClient> {
    const made = new TaskLogClient(await cluster.node(nodeId, role));
    clients.push(made);
    return made;
  }

  it('streams a task\'s log to a manager, with the query as it was asked', async () => {
    const manager = await client('manager1', 'manager');
    const log = await manager.open(addr, 'task1', QUERY, new AbortController().signal);
    assert.equal(log.tty, false);
    assert.deepEqual(await linesOf(log), ['first\n', 'second\n']);
    assert.deepEqual(node.queries, [{ taskId: 'task1', query: QUERY }]);
  });

  it('answers not-found for a task without a container on the node', async () => {
    const manager = await client('manager2', 'manager');
    await assert.rejects(manager.open(addr, 'task9', QUERY, new AbortController().signal), (err) => isBerthError(err, 'not-found') && err.reason === 'task-container-not-found');
  });

  it('refuses a worker, before the node reads anything', async () => {
    const worker = await client('worker2', 'worker');
    const before = node.queries.length;
    await assert.rejects(worker.open(addr, 'task1', QUERY, new AbortController().signal), (err) => isBerthError(err, 'permission-denied') && err.reason === 'manager-route');
    assert.equal(node.queries.length, before);
  });

  it('does not serve the manager routes on a worker', async () => {
    const manager = await client('manager3', 'manager');
    await assert.rejects(manager.open(addr, 'bad id!', QUERY, new AbortController().signal), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'invalid-task-log-query');
  });
});
