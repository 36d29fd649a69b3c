import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthOf, overviewOf, type ContainerFacts, type OverviewSources } from './overview-model.js';

const container = (name: string, state: string, status: string, created: number): ContainerFacts => ({ Id: `${name}-id`, Names: [`/${name}`], Image: 'busybox', State: state, Status: status, Created: created });

const sources: OverviewSources = {
  containers: [
    container('old', 'exited', 'Exited (0) 5 minutes ago', 1),
    container('web', 'running', 'Up 3 minutes (healthy)', 3),
    container('db', 'running', 'Up 1 minute (unhealthy)', 2),
    container('new', 'created', 'Created', 4),
  ],
  images: [{ Id: 'sha256:a', RepoTags: ['small:1'], Size: 10, Created: 5 }, { Id: 'sha256:b', RepoTags: [], Size: 300, Created: 6 }],
  volumes: [{ Name: 'data', Driver: 'local' }, { Name: 'logs', Driver: 'local' }],
  networks: [{ Id: 'n1', Name: 'bridge', Driver: 'bridge', Scope: 'local' }],
  disk: {
    LayersSize: 310, Containers: [{ SizeRw: 7 }, {}, { SizeRw: -1 }],
    Volumes: [{ Name: 'data', Driver: 'local', UsageData: { Size: 100, RefCount: 2 } }, { Name: 'logs', Driver: 'local', UsageData: { Size: -1, RefCount: -1 } }],
    BuildCache: [{ Size: 50 }],
  },
};

test('counts containers by state and health, newest first', () => {
  const { containers } = overviewOf(sources);
  assert.deepEqual({ ...containers, rows: undefined }, { total: 4, running: 2, stopped: 2, healthy: 1, unhealthy: 1, rows: undefined });
  assert.deepEqual(containers.rows.map((row) => `${row.name}:${row.health}`), ['new:none', 'web:healthy', 'db:unhealthy', 'old:none']);
});

test('images largest first with their total; volumes with what df knows of them; disk use summed', () => {
  const overview = overviewOf(sources);
  assert.equal(overview.images.totalBytes, 310);
  assert.deepEqual(overview.images.rows.map((row) => row.id), ['sha256:b', 'sha256:a']);
  assert.deepEqual(overview.volumes.rows, [{ name: 'data', driver: 'local', bytes: 100, refCount: 2 }, { name: 'logs', driver: 'local', bytes: null, refCount: null }]);
  assert.deepEqual(overview.disk, { imagesBytes: 310, containersBytes: 7, volumesBytes: 100, buildCacheBytes: 50, totalBytes: 467 });
  assert.equal(overview.cluster, undefined, 'no cluster part outside a cluster');
});

test('a manager\'s nodes and services, with desired against running tasks', () => {
  const overview = overviewOf({
    ...sources,
    cluster: {
      nodes: [
        { ID: 'n1', Spec: { Role: 'manager', Availability: 'active' }, Description: { Hostname: 'one' }, Status: { State: 'ready' }, ManagerStatus: { Leader: true } },
        { ID: 'n2xxxxxxxxxxxxxxxx', Spec: {}, Description: {}, Status: { State: 'down' } },
      ],
      services: [
        { ID: 's1', Spec: { Name: 'web', Mode: { Replicated: { Replicas: 3 } } }, ServiceStatus: { RunningTasks: 2, DesiredTasks: 3 } },
        { ID: 's2', Spec: { Name: 'agent', Mode: { Global: {} } } },
      ],
    },
  });
  assert.deepEqual(overview.cluster?.nodes, [
    { id: 'n1', hostname: 'one', role: 'manager', state: 'ready', availability: 'active', leader: true },
    { id: 'n2xxxxxxxxxxxxxxxx', hostname: 'n2xxxxxxxxxx', role: 'worker', state: 'down', availability: 'active', leader: false },
  ]);
  assert.deepEqual(overview.cluster.services, [
    { id: 's1', name: 'web', mode: 'replicated', desired: 3, running: 2 },
    { id: 's2', name: 'agent', mode: 'global', desired: 0, running: 0 },
  ]);
});

test('a manager\'s jobs: the docker CLI\'s mode names, berthd\'s desired count, and their completions', () => {
  const overview = overviewOf({
    ...sources,
    cluster: {
      nodes: [],
      services: [
        { ID: 'j1', Spec: { Name: 'batch', Mode: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } } }, ServiceStatus: { RunningTasks: 2, DesiredTasks: 2, CompletedTasks: 1 } },
        { ID: 'j2', Spec: { Name: 'sweep', Mode: { GlobalJob: {} } }, ServiceStatus: { RunningTasks: 0, DesiredTasks: 1, CompletedTasks: 3 } },
        { ID: 'j3', Spec: { Name: 'later', Mode: { ReplicatedJob: { MaxConcurrent: 4, TotalCompletions: 3 } } } },
      ],
    },
  });
  assert.deepEqual(overview.cluster?.services, [
    { id: 'j1', name: 'batch', mode: 'replicated job', desired: 2, running: 2, completions: { completed: 1, total: 5 } },
    { id: 'j2', name: 'sweep', mode: 'global job', desired: 1, running: 0, completions: { completed: 3, total: 4 } },
    { id: 'j3', name: 'later', mode: 'replicated job', desired: 3, running: 0, completions: { completed: 0, total: 3 } },
  ]);
});

test('health from Docker\'s status line', () => {
  assert.equal(healthOf('Up 2 seconds (health: starting)'), 'starting');
  assert.equal(healthOf('Up 2 hours (unhealthy)'), 'unhealthy');
  assert.equal(healthOf('Up 2 hours (healthy)'), 'healthy');
  assert.equal(healthOf('Up 2 hours'), 'none');
});
