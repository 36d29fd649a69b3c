import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, makeTask } from '../../../test/support/cluster-fixtures.js';
import { taskContainerConfig, taskContainerName } from './task-container-config.js';

const service = makeService('svc-1', {
  name: 'web',
  taskTemplate: {
    containerSpec: {
      image: 'busybox:1.36', command: ['sh', '-c'], args: ['exec httpd -f'], env: ['A=1'],
      labels: { team: 'core', 'com.docker.swarm.task.id': 'forged' },
      mounts: [{ type: 'volume', source: 'data', target: '/data' }, { type: 'tmpfs', target: '/tmp', readOnly: true }],
    },
    resources: { limits: { nanoCpus: 500_000_000, memoryBytes: 64 * 1024 * 1024, pids: 0 } },
  },
});

test('names: the slot for replicated tasks, the node for global ones', () => {
  assert.equal(taskContainerName(makeTask('t1', service, { slot: 2, nodeId: 'n1' }), 'web', 'n1'), 'web.2.t1');
  assert.equal(taskContainerName(makeTask('t2', service, { nodeId: 'n1' }), 'web', 'n1'), 'web.n1.t2');
});

test('the create body: entrypoint from command, cmd from args, Swarm\'s labels over the spec\'s, limits set, no restarts', () => {
  const config = taskContainerConfig(makeTask('t1', service, { slot: 2, nodeId: 'n1' }), 'web', 'n1');
  assert.deepEqual(config, {
    Image: 'busybox:1.36',
    Entrypoint: ['sh', '-c'],
    Cmd: ['exec httpd -f'],
    Env: ['A=1'],
    Labels: {
      team: 'core',
      'com.docker.swarm.task': '',
      'com.docker.swarm.task.id': 't1',
      'com.docker.swarm.task.name': 'web.2.t1',
      'com.docker.swarm.service.id': 'svc-1',
      'com.docker.swarm.service.name': 'web',
      'com.docker.swarm.node.id': 'n1',
    },
    HostConfig: {
      Mounts: [{ Type: 'volume', Source: 'data', Target: '/data', ReadOnly: false }, { Type: 'tmpfs', Target: '/tmp', ReadOnly: true }],
      NanoCpus: 500_000_000,
      Memory: 64 * 1024 * 1024,
      RestartPolicy: { Name: 'no' },
    },
  });
});

test('without command or args the image\'s entrypoint and cmd stay', () => {
  const config = taskContainerConfig(makeTask('t1', makeService('svc-2'), { slot: 1, nodeId: 'n1' }), 'svc-2', 'n1');
  assert.equal('Entrypoint' in config, false);
  assert.equal('Cmd' in config, false);
});
