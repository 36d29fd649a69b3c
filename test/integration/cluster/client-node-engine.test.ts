// ClientNodeEngine against a berthd of its own: a task container runs with Swarm's name and labels,
// shows in listTaskContainers, its exit comes from `exits` (and shows in the listing), it is
// removed; an image that cannot be had fails as the agent reports it. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../../../src/base/errors.js';
import { BerthClient } from '../../../src/client/berth-client.js';
import { ClientNodeEngine } from '../../../src/cluster/agent/client-node-engine.js';
import { makeService, makeTask } from '../../support/cluster-fixtures.js';
import { berthOk, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { eventually, sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

describe('ClientNodeEngine on berthd', { skip: needsRoot() }, () => {
  let work: string;
  let daemon: BerthdProcess | undefined;
  let client: BerthClient;
  let engine: ClientNodeEngine;

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-agent-engine-'));
    const root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    daemon = await BerthdProcess.start(root, join(work, 'berth.sock'), ['--cgroup-parent', `/${testCgroupName()}`]);
    client = new BerthClient(daemon.socketPath);
    engine = new ClientNodeEngine(client);
  });
  after(async () => {
    if (daemon !== undefined) {
      for (const c of await client.containers.list({ all: true }).catch(() => [])) await client.containers.remove(c.Id, { force: true }).catch(() => undefined);
      await daemon.stop();
    }
    await sweepLeftovers();
    await rm(work, { recursive: true, force: true });
  });

  test('runs a task container, lists it with its labels, sees its exit, removes it', async () => {
    const signalDir = join(work, 'signal');
    await mkdir(signalDir);
    const service = makeService('svc-1', {
      name: 'web',
      taskTemplate: {
        containerSpec: {
          image: 'busybox', command: ['sh', '-c'], args: ['while [ ! -e /signal/go ]; do sleep 0.05; done; exit 3'],
          env: ['ROLE=web'], labels: { team: 'core' }, mounts: [{ type: 'bind', source: signalDir, target: '/signal', readOnly: true }],
        },
        resources: { limits: { nanoCpus: 0, memoryBytes: 64 * 1024 * 1024, pids: 64 } },
      },
    });
    const task = makeTask('task-1', service, { slot: 2, nodeId: 'node-1', state: 'assigned' });
    const aborter = new AbortController();
    try {
      await engine.ensureImage('busybox', aborter.signal);
      const exits = await engine.followEvents(aborter.signal);
      const id = await engine.run(task, 'web', 'node-1');

      assert.deepEqual(await engine.listTaskContainers(), [{ containerId: id, taskId: 'task-1', running: true }]);
      const inspected = await client.containers.inspect(id);
      assert.equal(inspected.Name, '/web.2.task-1');
      assert.deepEqual(
        Object.fromEntries(Object.entries(inspected.Config.Labels).filter(([key]) => key === 'team' || key.startsWith('com.docker.swarm.'))),
        {
          team: 'core', 'com.docker.swarm.task': '', 'com.docker.swarm.task.id': 'task-1', 'com.docker.swarm.task.name': 'web.2.task-1',
          'com.docker.swarm.service.id': 'svc-1', 'com.docker.swarm.service.name': 'web', 'com.docker.swarm.node.id': 'node-1',
        },
      );
      assert.deepEqual([inspected.HostConfig.Memory, inspected.HostConfig.PidsLimit, inspected.HostConfig.RestartPolicy.Name], [64 * 1024 * 1024, 64, 'no']);
      assert.ok(inspected.Config.Env.includes('ROLE=web'));

      await writeFile(join(signalDir, 'go'), '');
      const exit = await exits.next();
      assert.deepEqual(exit.value, { kind: 'exit', containerId: id, taskId: 'task-1', exitCode: 3 });
      await eventually('the listing to show the exit', async () => (await engine.listTaskContainers())[0]?.running === false);
      assert.deepEqual(await engine.listTaskContainers(), [{ containerId: id, taskId: 'task-1', running: false, exitCode: 3 }]);

      await engine.remove(id, 1);
      await engine.remove(id, 1); // idempotent
      assert.deepEqual(await engine.listTaskContainers(), []);
    } finally {
      aborter.abort();
    }
  });

  test('an image that cannot be had fails with a message for the task', async () => {
    // Port 9 on loopback: nothing listens, the pull fails at once.
    const err = await engine.ensureImage('127.0.0.1:9/nope:1', new AbortController().signal).then(() => undefined, (e: unknown) => e);
    assert.ok(isBerthError(err, 'unavailable') || isBerthError(err, 'not-found'), String(err));
    assert.match(err.message, /image 127\.0\.0\.1:9\/nope:1 is not on this node and cannot be pulled: /);
  });
});
