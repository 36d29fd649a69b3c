import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ClusterControl, ClusterInfo, ClusterLogLine, ClusterNode, LocalClusterInfo, NodeUpdate, TaskLogQuery } from '../../cluster/control/cluster-control.js';
import { parseServiceSpec, type ClusterNetwork, type Service, type ServiceSpecInput, type Task } from '../../cluster/objects/index.js';
import { createClusterCa } from '../../cluster/trust/index.js';
import { sendError } from '../errors.js';
import { NOT_A_MANAGER_MESSAGE } from './swarm-inactive.js';
import { clusterSwarmInfo, swarmRoutes } from './swarm.js';

const T = '2024-01-01T00:00:00.000Z';
const CA = await createClusterCa('cluster1', new Date(T));

/** An in-memory cluster of one node, for the routes' tests: as the interface's doc says it throws. */
class MemoryCluster implements ClusterControl {
  state: 'inactive' | 'active' = 'inactive';
  manager = true;
  version = 1;
  tokens = { worker: 'SWMTKN-1-w-0', manager: 'SWMTKN-1-m-0' };
  nodes: ClusterNode[] = [];
  services: Service[] = [];
  tasks: Task[] = [];
  private ids = 0;

  // Secrets and configs: the manager's side is tested in cluster/control/file-object-control.test.ts.
  createFileObject(): Promise<never> { return Promise.reject(new Error('not used here')); }
  listFileObjects(): Promise<never> { return Promise.reject(new Error('not used here')); }
  getFileObject(): Promise<never> { return Promise.reject(new Error('not used here')); }
  updateFileObject(): Promise<never> { return Promise.reject(new Error('not used here')); }
  removeFileObject(): Promise<never> { return Promise.reject(new Error('not used here')); }
  rotateDataKey(): Promise<never> { return Promise.reject(new Error('not used here')); }
  // Network policies: the manager's side is tested on the lab (test/integration/cluster/network-policies.test.ts).
  createNetworkPolicy(): Promise<never> { return Promise.reject(new Error('not used here')); }
  listNetworkPolicies(): Promise<never> { return Promise.reject(new Error('not used here')); }
  getNetworkPolicy(): Promise<never> { return Promise.reject(new Error('not used here')); }
  removeNetworkPolicy(): Promise<never> { return Promise.reject(new Error('not used here')); }

  local(): LocalClusterInfo {
    const active = this.state === 'active';
    return {
      state: this.state, nodeId: active ? 'node1' : '', nodeAddr: active ? '10.0.0.1' : '', controlAvailable: active && this.manager, error: '',
      remoteManagers: active ? [{ nodeId: 'node1', addr: '10.0.0.1:2377' }] : [],
      ...(active && this.manager ? { clusterId: 'cluster1', nodes: 1, managers: 1 } : {}),
    };
  }
  private managerOnly(): void {
    if (this.state !== 'active' || !this.manager) throw errors.unavailable('not-a-manager', 'not a manager');
  }
  init(): Promise<string> {
    if (this.state === 'active') return Promise.reject(errors.conflict('already-in-cluster', 'already in a cluster'));
    this.state = 'active';
    this.nodes = [{
      node: {
        id: 'node1', version: 1, createdAt: T, updatedAt: T,
        spec: { role: 'manager', availability: 'active', labels: {} },
        description: { hostname: 'alpha', platform: { os: 'linux', arch: 'x86_64' }, resources: { nanoCpus: 4e9, memoryBytes: 8e9 }, engineLabels: {} },
        status: { state: 'ready', message: '', addr: '10.0.0.1' },
      },
      manager: { leader: true, reachability: 'reachable', addr: '10.0.0.1:2377' },
    }];
    return Promise.resolve('node1');
  }
  join(): Promise<void> {
    return Promise.reject(this.state === 'active' ? errors.conflict('already-in-cluster', 'already') : errors.invalidArgument('invalid-join-token', 'invalid join token'));
  }
  leave(): Promise<void> {
    if (this.state !== 'active') return Promise.reject(errors.unavailable('not-in-cluster', 'not in a cluster'));
    this.state = 'inactive';
    return Promise.resolve();
  }
  inspect(): Promise<ClusterInfo> {
    this.managerOnly();
    return Promise.resolve({ id: 'cluster1', version: this.version, createdAt: T, updatedAt: T, joinTokens: this.tokens, caCertPem: CA.certPem, caDigest: 'd' });
  }
  rotateJoinToken(role: 'manager' | 'worker'): Promise<void> {
    this.managerOnly();
    this.tokens = { ...this.tokens, [role]: `${this.tokens[role]}x` };
    this.version++;
    return Promise.resolve();
  }
  listNodes(): Promise<readonly ClusterNode[]> {
    this.managerOnly();
    return Promise.resolve(this.nodes);
  }
  getNode(ref: string): Promise<ClusterNode> {
    this.managerOnly();
    const found = this.nodes.find((n) => n.node.id.startsWith(ref) || n.node.description.hostname === ref);
    return found ? Promise.resolve(found) : Promise.reject(errors.notFound('node-not-found', `node ${ref} not found`));
  }
  updateNode(id: string, version: number, update: NodeUpdate): Promise<void> {
    const entry = this.nodes.find((n) => n.node.id === id);
    if (entry === undefined) return Promise.reject(errors.notFound('node-not-found', 'gone'));
    if (entry.node.version !== version) return Promise.reject(errors.conflict('stale-version', 'stale'));
    entry.node.spec = { ...update };
    entry.node.version++;
    return Promise.resolve();
  }
  removeNode(): Promise<void> {
    return Promise.reject(errors.failedPrecondition('node-not-down', 'node node1 is not down and can\'t be removed'));
  }
  createService(input: ServiceSpecInput): Promise<Service> {
    this.managerOnly();
    const spec = parseServiceSpec(input);
    if (this.services.some((s) => s.spec.name === spec.name)) return Promise.reject(errors.conflict('service-name-in-use', 'name in use'));
    const service: Service = { id: `svc${++this.ids}`, version: 1, createdAt: T, updatedAt: T, spec, virtualIps: [], endpointPorts: [] };
    this.services.push(service);
    this.tasks.push({
      id: `task${this.ids}`, version: 1, createdAt: T, updatedAt: T, serviceId: service.id, slot: 1, nodeId: 'node1', spec: spec.taskTemplate,
      serviceVersion: 1, desiredState: 'running', status: { state: 'running', message: 'started', timestamp: T, containerId: 'c1' }, networks: [],
    });
    return Promise.resolve(service);
  }
  listServices(): Promise<readonly Service[]> {
    this.managerOnly();
    return Promise.resolve(this.services);
  }
  getService(ref: string): Promise<Service> {
    this.managerOnly();
    const found = this.services.find((s) => s.id === ref || s.spec.name === ref);
    return found ? Promise.resolve(found) : Promise.reject(errors.notFound('service-not-found', `service ${ref} not found`));
  }
  updateService(id: string, version: number, input: ServiceSpecInput): Promise<Service> {
    const service = this.services.find((s) => s.id === id);
    if (service === undefined) return Promise.reject(errors.notFound('service-not-found', 'gone'));
    if (service.version !== version) return Promise.reject(errors.conflict('stale-version', 'stale'));
    service.spec = parseServiceSpec(input);
    service.version++;
    return Promise.resolve(service);
  }
  removeService(ref: string): Promise<void> {
    this.services = this.services.filter((s) => s.id !== ref && s.spec.name !== ref);
    return Promise.resolve();
  }
  promoteService(): Promise<Service> {
    return Promise.reject(errors.invalidArgument('not-modelled', 'no canaries here'));
  }
  createNetwork(): Promise<ClusterNetwork> {
    return Promise.reject(errors.invalidArgument('not-modelled', 'no networks here'));
  }
  listNetworks(): Promise<readonly ClusterNetwork[]> {
    this.managerOnly();
    return Promise.resolve([]);
  }
  getNetwork(ref: string): Promise<ClusterNetwork> {
    return Promise.reject(errors.notFound('network-not-found', `network ${ref} not found`));
  }
  removeNetwork(ref: string): Promise<void> {
    return Promise.reject(errors.notFound('network-not-found', `network ${ref} not found`));
  }
  listTasks(): Promise<readonly Task[]> {
    this.managerOnly();
    return Promise.resolve(this.tasks);
  }
  getTask(id: string): Promise<Task> {
    const found = this.tasks.find((t) => t.id === id);
    return found ? Promise.resolve(found) : Promise.reject(errors.notFound('task-not-found', `task ${id} not found`));
  }
  /** Each task logs `hello from <task>` on stdout (with a fixed time first when asked) and one line on stderr. */
  serviceLogs(ref: string, query: TaskLogQuery): Promise<AsyncIterable<ClusterLogLine>> {
    this.managerOnly();
    const service = this.services.find((s) => s.id === ref || s.spec.name === ref);
    if (service === undefined) return Promise.reject(errors.notFound('service-not-found', `service ${ref} not found`));
    return Promise.resolve(this.logsOf(this.tasks.filter((t) => t.serviceId === service.id), query));
  }
  async taskLogs(ref: string, query: TaskLogQuery): Promise<AsyncIterable<ClusterLogLine>> {
    return this.logsOf([await this.getTask(ref)], query);
  }
  private async *logsOf(tasks: readonly Task[], query: TaskLogQuery): AsyncGenerator<ClusterLogLine> {
    const time = query.timestamps ? '2024-01-01T00:00:00.000000000Z ' : '';
    for (const task of tasks) {
      const tag = { nodeId: task.nodeId ?? '', serviceId: task.serviceId, taskId: task.id };
      if (query.stdout) yield { ...tag, stream: 'stdout', payload: Buffer.from(`${time}hello from ${task.id}\n`) };
      if (query.stderr) yield { ...tag, stream: 'stderr', payload: Buffer.from(`${time}warning\n`) };
    }
    await Promise.resolve();
  }
}

/** The frames of a multiplexed answer as [stream id, text]. */
function framesOf(body: Buffer): [number, string][] {
  const frames: [number, string][] = [];
  for (let at = 0; at + 8 <= body.length;) {
    const size = body.readUInt32BE(at + 4);
    frames.push([body.readUInt8(at), body.subarray(at + 8, at + 8 + size).toString()]);
    at += 8 + size;
  }
  return frames;
}

function server(cluster: ClusterControl): FastifyInstance {
  const app = Fastify();
  app.setErrorHandler(sendError);
  swarmRoutes(app, cluster);
  return app;
}

const CREATE_BODY = {
  Name: 'web',
  TaskTemplate: { ContainerSpec: { Image: 'busybox', Args: ['sleep', '1000'], Init: false, DNSConfig: {} }, Resources: { Limits: {}, Reservations: {} }, Placement: {}, ForceUpdate: 0, Runtime: 'container' },
  Mode: { Replicated: {} },
  UpdateConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5000000000, MaxFailureRatio: 0, Order: 'stop-first' },
  EndpointSpec: { Mode: 'vip' },
};

test('a node in no swarm: 503 with dockerd\'s messages; init answers the node id as a JSON string', async () => {
  const cluster = new MemoryCluster();
  const app = server(cluster);
  const nodes = await app.inject({ method: 'GET', url: '/nodes' });
  assert.equal(nodes.statusCode, 503);
  assert.equal(nodes.json<{ message: string }>().message, NOT_A_MANAGER_MESSAGE);
  const leave = await app.inject({ method: 'POST', url: '/swarm/leave' });
  assert.deepEqual([leave.statusCode, leave.json<{ message: string }>().message], [503, 'This node is not part of a swarm']);
  const init = await app.inject({ method: 'POST', url: '/swarm/init', payload: { ListenAddr: '0.0.0.0:2377', AdvertiseAddr: '', ForceNewCluster: false, Spec: { Orchestration: {}, Raft: {}, Dispatcher: {}, CAConfig: {}, EncryptionConfig: { AutoLockManagers: false } } } });
  assert.equal(init.statusCode, 200);
  assert.match(String(init.headers['content-type']), /^application\/json/);
  assert.equal(init.json(), 'node1');
  const again = await app.inject({ method: 'POST', url: '/swarm/init', payload: {} });
  assert.deepEqual([again.statusCode, again.json<{ message: string }>().message], [503, 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.']);
  const join = await app.inject({ method: 'POST', url: '/swarm/join', payload: { RemoteAddrs: [], JoinToken: 't' } });
  assert.equal(join.statusCode, 400);
});

test('GET /swarm, token rotation and refused settings', async () => {
  const cluster = new MemoryCluster();
  await cluster.init();
  const app = server(cluster);
  const swarm = (await app.inject({ method: 'GET', url: '/swarm' })).json<{ Version: { Index: number }; Spec: Record<string, unknown>; JoinTokens: { Worker: string }; DataPathPort: number; TLSInfo: { TrustRoot: string } }>();
  assert.equal(swarm.Spec['Name'], 'default');
  assert.equal(swarm.DataPathPort, 4789);
  assert.equal(swarm.TLSInfo.TrustRoot, CA.certPem);
  const rotate = await app.inject({ method: 'POST', url: `/swarm/update?version=${swarm.Version.Index}&rotateWorkerToken=true`, payload: swarm.Spec });
  assert.equal(rotate.statusCode, 200);
  assert.equal(cluster.tokens.worker, 'SWMTKN-1-w-0x');
  const stale = await app.inject({ method: 'POST', url: `/swarm/update?version=${swarm.Version.Index}&rotateWorkerToken=true`, payload: swarm.Spec });
  assert.deepEqual([stale.statusCode, stale.json<{ message: string }>().message], [500, 'rpc error: code = Unknown desc = update out of sequence']);
  const change = await app.inject({ method: 'POST', url: `/swarm/update?version=${cluster.version}`, payload: { ...swarm.Spec, Orchestration: { TaskHistoryRetentionLimit: 10 } } });
  assert.equal(change.statusCode, 400);
  assert.match(change.json<{ message: string }>().message, /Spec\.Orchestration\.TaskHistoryRetentionLimit/);
  const badVersion = await app.inject({ method: 'POST', url: '/swarm/update?version=x', payload: {} });
  assert.deepEqual([badVersion.statusCode, badVersion.json<{ message: string }>().message], [400, 'invalid swarm version \'x\': strconv.ParseUint: parsing "x": invalid syntax']);
});

test('nodes: list with filters, inspect with ManagerStatus, update, refused removal', async () => {
  const cluster = new MemoryCluster();
  await cluster.init();
  const app = server(cluster);
  const list = (await app.inject({ method: 'GET', url: '/nodes?filters={"role":["manager"],"name":["al"]}' })).json<{ ID: string; ManagerStatus: { Leader: boolean; Addr: string }; Spec: Record<string, unknown> }[]>();
  const [first] = list;
  assert.ok(first !== undefined && list.length === 1);
  assert.deepEqual(first.ManagerStatus, { Leader: true, Reachability: 'reachable', Addr: '10.0.0.1:2377' });
  assert.equal('Name' in first.Spec, false, 'NodeSpec.Name is not stored: left out');
  assert.equal((await app.inject({ method: 'GET', url: '/nodes?filters={"role":["worker"]}' })).json<unknown[]>().length, 0);
  assert.equal((await app.inject({ method: 'GET', url: '/nodes?filters={"colour":["red"]}' })).statusCode, 400);
  assert.equal((await app.inject({ method: 'GET', url: '/nodes/alpha' })).json<{ ID: string }>().ID, 'node1');
  assert.equal((await app.inject({ method: 'GET', url: '/nodes/nope' })).statusCode, 404);
  const update = await app.inject({ method: 'POST', url: '/nodes/node1/update?version=1', payload: { Role: 'manager', Availability: 'drain', Labels: { zone: 'a' } } });
  assert.equal(update.statusCode, 200);
  assert.deepEqual(cluster.nodes[0]?.node.spec, { role: 'manager', availability: 'drain', labels: { zone: 'a' } });
  assert.equal((await app.inject({ method: 'GET', url: '/nodes?filters={"node.label":["zone=a"]}' })).json<unknown[]>().length, 1);
  const stale = await app.inject({ method: 'POST', url: '/nodes/node1/update?version=1', payload: { Role: 'manager', Availability: 'active' } });
  assert.deepEqual([stale.statusCode, stale.json<{ message: string }>().message], [500, 'rpc error: code = Unknown desc = update out of sequence']);
  assert.equal((await app.inject({ method: 'POST', url: '/nodes/node1/update?version=2', payload: { Role: 'boss', Availability: 'active' } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'DELETE', url: '/nodes/node1' })).statusCode, 409);
});

test('services and tasks: create, list with status, inspect, update, remove, refusals', async () => {
  const cluster = new MemoryCluster();
  await cluster.init();
  const app = server(cluster);
  const created = await app.inject({ method: 'POST', url: '/services/create', payload: CREATE_BODY });
  assert.equal(created.statusCode, 201);
  assert.deepEqual(created.json(), { ID: 'svc1', Warnings: null });
  const unnamed = await app.inject({ method: 'POST', url: '/services/create', payload: { ...CREATE_BODY, Name: '' } });
  assert.match(cluster.services.find((s) => s.id === unnamed.json<{ ID: string }>().ID)?.spec.name ?? '', /^[a-z]+_[a-z]+\d*$/);
  const dup = await app.inject({ method: 'POST', url: '/services/create', payload: CREATE_BODY });
  assert.equal(dup.statusCode, 409);
  const ports = await app.inject({ method: 'POST', url: '/services/create', payload: { ...CREATE_BODY, Name: 'p', EndpointSpec: { Ports: [{ Protocol: 'sctp', TargetPort: 80 }] } } });
  assert.equal(ports.statusCode, 400);
  assert.match(ports.json<{ message: string }>().message, /^EndpointSpec\.Ports\[0\]\.Protocol: /);
  const constraint = await app.inject({ method: 'POST', url: '/services/create', payload: { ...CREATE_BODY, Name: 'c', TaskTemplate: { ...CREATE_BODY.TaskTemplate, Placement: { Constraints: ['node.colour==red'] } } } });
  assert.equal(constraint.statusCode, 400);
  assert.match(constraint.json<{ message: string }>().message, /TaskTemplate\.Placement\.Constraints\[0\]/);

  const listed = (await app.inject({ method: 'GET', url: '/services?status=true&filters={"name":["we"]}' })).json<{ ID: string; ServiceStatus: unknown; Spec: { Mode: unknown } }[]>();
  assert.equal(listed.length, 1);
  assert.deepEqual(listed[0]?.ServiceStatus, { RunningTasks: 1, DesiredTasks: 1, CompletedTasks: 0 });
  assert.equal((await app.inject({ method: 'GET', url: '/services?filters={"mode":["global"]}' })).json<unknown[]>().length, 0);

  const inspected = (await app.inject({ method: 'GET', url: '/services/web' })).json<{ Version: { Index: number }; Spec: Record<string, unknown>; Endpoint: unknown }>();
  assert.deepEqual(inspected.Endpoint, { Spec: { Mode: 'vip' } });
  const spec = { ...inspected.Spec, Mode: { Replicated: { Replicas: 3 } } };
  const updated = await app.inject({ method: 'POST', url: `/services/svc1/update?version=${inspected.Version.Index}`, payload: spec });
  assert.deepEqual([updated.statusCode, updated.json()], [200, { Warnings: null }]);
  assert.deepEqual(cluster.services[0]?.spec.mode, { kind: 'replicated', replicas: 3 });
  const stale = await app.inject({ method: 'POST', url: `/services/svc1/update?version=${inspected.Version.Index}`, payload: spec });
  assert.deepEqual([stale.statusCode, stale.json<{ message: string }>().message], [500, 'rpc error: code = Unknown desc = update out of sequence']);
  const rename = await app.inject({ method: 'POST', url: '/services/svc1/update?version=2', payload: { ...spec, Name: 'other' } });
  assert.equal(rename.statusCode, 400);

  const tasks = (await app.inject({ method: 'GET', url: '/tasks?filters={"service":["web"],"desired-state":["running"]}' })).json<{ ID: string; Status: { State: string; ContainerStatus: unknown }; Slot: number }[]>();
  assert.equal(tasks.length, 1);
  assert.deepEqual(tasks[0]?.Status.ContainerStatus, { ContainerID: 'c1' });
  assert.equal((await app.inject({ method: 'GET', url: '/tasks?filters={"desired-state":["gone"]}' })).statusCode, 400);
  // The docker CLI's progress filter: a scale leaves the task template, so the task is up to date.
  const all = (await app.inject({ method: 'GET', url: '/tasks?filters={"service":["web"]}' })).json<unknown[]>().length;
  assert.equal((await app.inject({ method: 'GET', url: '/tasks?filters={"service":["web"],"_up-to-date":["true"]}' })).json<unknown[]>().length, all);
  assert.equal((await app.inject({ method: 'GET', url: '/tasks?filters={"service":["web"],"runtime":["container"]}' })).json<unknown[]>().length, all);
  // A new image changes the template: the tasks made from the old one are no longer up to date.
  const current = (await app.inject({ method: 'GET', url: '/services/web' })).json<{ Version: { Index: number }; Spec: { TaskTemplate: { ContainerSpec: Record<string, unknown> } } }>();
  const newImage = { ...current.Spec, TaskTemplate: { ...current.Spec.TaskTemplate, ContainerSpec: { ...current.Spec.TaskTemplate.ContainerSpec, Image: 'busybox:1.36' } } };
  assert.equal((await app.inject({ method: 'POST', url: `/services/svc1/update?version=${current.Version.Index}`, payload: newImage })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/tasks?filters={"service":["web"],"_up-to-date":["true"]}' })).json<unknown[]>().length, 0);
  assert.equal((await app.inject({ method: 'GET', url: '/tasks?filters={"runtime":["plugin"]}' })).json<unknown[]>().length, 0);
  assert.equal((await app.inject({ method: 'GET', url: '/tasks/task1' })).json<{ Slot: number }>().Slot, 1);
  assert.equal((await app.inject({ method: 'GET', url: '/tasks/nope' })).statusCode, 404);

  // Logs: one frame a line; details (sorted, as dockerd's) after the timestamp, before the message.
  const logs = await app.inject({ method: 'GET', url: '/services/web/logs?stdout=1&stderr=1&details=1&timestamps=1' });
  assert.equal(logs.statusCode, 200);
  assert.equal(logs.headers['content-type'], 'application/vnd.docker.multiplexed-stream');
  const details = 'com.docker.swarm.node.id=node1,com.docker.swarm.service.id=svc1,com.docker.swarm.task.id=task1';
  assert.deepEqual(framesOf(logs.rawPayload), [
    [1, `2024-01-01T00:00:00.000000000Z ${details} hello from task1\n`], [2, `2024-01-01T00:00:00.000000000Z ${details} warning\n`],
  ]);
  assert.deepEqual(framesOf((await app.inject({ method: 'GET', url: '/tasks/task1/logs?stdout=1' })).rawPayload), [[1, 'hello from task1\n']]);
  assert.equal((await app.inject({ method: 'GET', url: '/services/web/logs' })).statusCode, 400);
  assert.equal((await app.inject({ method: 'GET', url: '/services/web/logs?stdout=1&since=yesterday' })).statusCode, 400);
  assert.equal((await app.inject({ method: 'GET', url: '/services/nope/logs?stdout=1' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'GET', url: '/swarm/unlockkey' })).statusCode, 501);
  assert.equal((await app.inject({ method: 'DELETE', url: '/services/web' })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/services/web' })).statusCode, 404);

  // A task's labels in filters are its service's (Swarm's ServiceAnnotations): how `docker stack ps` finds a stack's tasks.
  const stacked = await app.inject({ method: 'POST', url: '/services/create', payload: { ...CREATE_BODY, Name: 'demo_web', Labels: { 'com.docker.stack.namespace': 'demo' } } });
  const stackedId = stacked.json<{ ID: string }>().ID;
  const byLabel = async (label: string): Promise<string[]> =>
    (await app.inject({ method: 'GET', url: `/tasks?filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}` })).json<{ ServiceID: string }[]>().map((t) => t.ServiceID);
  assert.deepEqual(await byLabel('com.docker.stack.namespace=demo'), [stackedId]);
  assert.deepEqual(await byLabel('com.docker.stack.namespace'), [stackedId]);
  assert.deepEqual(await byLabel('com.docker.stack.namespace=other'), []);
});

test('a worker: 503 not a manager on manager routes, secrets included; /info has no Cluster', async () => {
  const cluster = new MemoryCluster();
  await cluster.init();
  cluster.manager = false;
  const app = server(cluster);
  for (const url of ['/services', '/tasks', '/secrets', '/swarm']) {
    const answer = await app.inject({ method: 'GET', url });
    assert.deepEqual([answer.statusCode, answer.json<{ message: string }>().message], [503, NOT_A_MANAGER_MESSAGE], url);
  }
  const info = await clusterSwarmInfo(cluster)();
  assert.equal(info.LocalNodeState, 'active');
  assert.equal(info.Cluster, undefined);
  cluster.manager = true;
  const managerInfo = await clusterSwarmInfo(cluster)();
  assert.deepEqual([managerInfo.Nodes, managerInfo.Managers, managerInfo.Cluster?.ID], [1, 1, 'cluster1']);
  assert.deepEqual(managerInfo.RemoteManagers, [{ NodeID: 'node1', Addr: '10.0.0.1:2377' }]);
});
