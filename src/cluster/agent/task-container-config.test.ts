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

test('the ingress network comes last and is never the gateway network: alone, the engine\'s default bridge comes first', () => {
  const ingress = 'e'.repeat(64);
  const front = 'f'.repeat(64);
  const published = makeService('svc-2', { name: 'pub', taskTemplate: { containerSpec: { image: 'busybox' }, networks: [{ target: ingress, ingress: true }] } });
  const alone = { ...makeTask('t2', published, { slot: 1, nodeId: 'n1' }), networks: [{ networkId: ingress, address: '10.0.0.5/24' }] };
  const config = taskContainerConfig(alone, 'pub', 'n1');
  assert.equal(config.HostConfig?.NetworkMode, 'bridge');
  assert.deepEqual(config.NetworkingConfig?.EndpointsConfig, { bridge: {}, [ingress]: { IPAMConfig: { IPv4Address: '10.0.0.5' }, Aliases: [] } });
  const both = makeService('svc-3', { name: 'both', taskTemplate: { containerSpec: { image: 'busybox' }, networks: [{ target: ingress, ingress: true }, { target: front }] } });
  const task = { ...makeTask('t3', both, { slot: 1, nodeId: 'n1' }), networks: [{ networkId: ingress, address: '10.0.0.6/24' }, { networkId: front, address: '10.0.1.6/24' }] };
  const withFront = taskContainerConfig(task, 'both', 'n1');
  assert.equal(withFront.HostConfig?.NetworkMode, front);
  assert.deepEqual(Object.keys(withFront.NetworkingConfig?.EndpointsConfig ?? {}), [front, ingress]);
});

test('a task\'s secret and config files are read-only bind mounts after the spec\'s mounts', () => {
  const file = { Type: 'bind', Source: '/root/cluster-task-files/t1/secret-0', Target: '/run/secrets/db', ReadOnly: true };
  const config = taskContainerConfig(makeTask('t1', service, { slot: 1, nodeId: 'n1' }), 'web', 'n1', [file]);
  const mounts = config.HostConfig?.Mounts ?? [];
  assert.deepEqual(mounts.at(-1), file);
  assert.equal(mounts.length, 3);
});
