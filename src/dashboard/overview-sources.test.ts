import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISK_USAGE_TTL_MS, OverviewGatherer, type OverviewClient } from './overview-sources.js';

type Info = Awaited<ReturnType<OverviewClient['info']>>;
type Disk = Awaited<ReturnType<OverviewClient['diskUsage']>>;

function fakeClient(swarm: Partial<Info['Swarm']>): OverviewClient & { diskCalls: number; failDisk: boolean } {
  const client = {
    diskCalls: 0,
    failDisk: false,
    containers: { list: () => Promise.resolve([]) },
    images: { list: () => Promise.resolve([]) },
    volumes: { list: () => Promise.resolve([]) },
    networks: { list: () => Promise.resolve([]) },
    cluster: { listNodes: () => Promise.resolve([]), listServices: () => Promise.resolve([]) },
    diskUsage: (): Promise<Disk> => {
      client.diskCalls++;
      if (client.failDisk) return Promise.reject(new Error('df failed'));
      return Promise.resolve({ LayersSize: client.diskCalls, Images: [], Containers: [], Volumes: null, BuildCache: null });
    },
    info: () => Promise.resolve({ Swarm: { LocalNodeState: 'inactive', ControlAvailable: false, ...swarm } } as unknown as Info),
  };
  return client;
}

test('disk use is asked for once per period however often the overview refreshes', async () => {
  let now = 1_000_000;
  const client = fakeClient({});
  const gatherer = new OverviewGatherer(client, () => now);
  assert.equal((await gatherer.gather()).disk.imagesBytes, 1);
  now += DISK_USAGE_TTL_MS - 1;
  assert.equal((await gatherer.gather()).disk.imagesBytes, 1);
  now += 1;
  assert.equal((await gatherer.gather()).disk.imagesBytes, 2);
  assert.equal(client.diskCalls, 2);
});

test('a failed disk use answer is not kept', async () => {
  const client = fakeClient({});
  client.failDisk = true;
  const gatherer = new OverviewGatherer(client, () => 0);
  await assert.rejects(gatherer.gather(), /df failed/);
  client.failDisk = false;
  assert.equal((await gatherer.gather()).disk.imagesBytes, 2);
});

test('the cluster part only on an active manager', async () => {
  assert.equal((await new OverviewGatherer(fakeClient({})).gather()).cluster, undefined);
  assert.equal((await new OverviewGatherer(fakeClient({ LocalNodeState: 'active', ControlAvailable: false })).gather()).cluster, undefined);
  assert.deepEqual((await new OverviewGatherer(fakeClient({ LocalNodeState: 'active', ControlAvailable: true })).gather()).cluster, { nodes: [], services: [] });
});

test('a manager\'s jobs reach the overview with berthd\'s counts', async () => {
  const client = fakeClient({ LocalNodeState: 'active', ControlAvailable: true });
  type Service = Awaited<ReturnType<OverviewClient['cluster']['listServices']>>[number];
  const job = {
    ID: 'j1', Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '', Endpoint: { Spec: { Mode: 'vip' } },
    Spec: { Name: 'batch', Labels: {}, Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 2 } }, EndpointSpec: { Mode: 'vip' } },
    ServiceStatus: { RunningTasks: 1, DesiredTasks: 1, CompletedTasks: 1 },
  } as unknown as Service;
  client.cluster.listServices = () => Promise.resolve([job]);
  assert.deepEqual((await new OverviewGatherer(client).gather()).cluster?.services, [
    { id: 'j1', name: 'batch', mode: 'replicated job', desired: 1, running: 1, completions: { completed: 1, total: 2 } },
  ]);
});
