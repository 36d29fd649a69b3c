import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerLabels, LABELS, serviceConfigHash } from './compose-labels.js';
import { containerPlan } from './container-config.js';
import type { ComposeProject, ServiceConfig } from './project-model.js';
import { dependencyLevels, dependencyOrder, planUp, type ObservedContainer, type UpOptions } from './up-planner.js';

function service(name: string, more: Partial<ServiceConfig> = {}): ServiceConfig {
  return {
    name, image: 'busybox', environment: {}, labels: {}, ports: [], expose: [], volumes: [], tmpfs: [], networks: { default: {} }, depends_on: {},
    profiles: [], secrets: [], configs: [], cap_add: [], cap_drop: [], dns: [], extra_hosts: [], sysctls: {}, ...more,
  };
}

function project(services: ServiceConfig[]): ComposeProject {
  return {
    name: 'app', workingDir: '/srv/app', configFiles: ['/srv/app/compose.yaml'], services, disabledServices: [],
    networks: { default: { name: 'app_default', external: false, internal: false, driver_opts: {}, labels: {} } },
    volumes: { data: { name: 'app_data', external: false, driver_opts: {}, labels: {} } }, secrets: {}, configs: {}, environment: {},
  };
}

const OPTIONS: UpOptions = { services: [], scale: {}, forceRecreate: false, noRecreate: false, removeOrphans: false };

function running(p: ComposeProject, s: ServiceConfig, n: number, state = 'running'): ObservedContainer {
  return { id: `${s.name}${n}`, name: `app-${s.name}-${n}`, labels: containerLabels(p, s, n), state };
}

test('labels are docker compose v2\'s, and the hash ignores what does not change a container', () => {
  const web = service('web', { depends_on: { db: { condition: 'service_healthy', required: true, restart: false } } });
  const labels = containerLabels(project([web]), web, 2);
  assert.equal(labels[LABELS.project], 'app');
  assert.equal(labels[LABELS.service], 'web');
  assert.equal(labels[LABELS.containerNumber], '2');
  assert.equal(labels[LABELS.oneoff], 'False');
  assert.equal(labels[LABELS.workingDir], '/srv/app');
  assert.equal(labels[LABELS.configFiles], '/srv/app/compose.yaml');
  assert.equal(labels[LABELS.dependsOn], 'db:service_healthy:false');
  assert.match(labels[LABELS.configHash] ?? '', /^[0-9a-f]{64}$/);
  const hash = serviceConfigHash(web);
  assert.equal(serviceConfigHash({ ...web, depends_on: {}, profiles: ['x'], scale: 3, deploy: { replicas: 4 } }), hash);
  assert.equal(serviceConfigHash({ ...web, environment: { A: '1', B: '2' } }), serviceConfigHash({ ...web, environment: { B: '2', A: '1' } }));
  assert.notEqual(serviceConfigHash({ ...web, command: ['true'] }), hash);
});

test('services come after what they depend on; a cycle is an error', () => {
  const dep = (condition: 'service_started') => ({ condition, required: true, restart: false });
  const order = dependencyOrder([service('web', { depends_on: { api: dep('service_started'), db: dep('service_started') } }), service('api', { depends_on: { db: dep('service_started') } }), service('db')]);
  assert.deepEqual(order.map((s) => s.name), ['db', 'api', 'web']);
  assert.deepEqual(dependencyLevels([service('web', { depends_on: { db: dep('service_started') } }), service('cache'), service('db')]), [['cache', 'db'], ['web']]);
  assert.throws(() => dependencyOrder([service('a', { depends_on: { b: dep('service_started') } }), service('b', { depends_on: { a: dep('service_started') } })]), /cycle among services a, b/);
});

test('a first up creates networks, volumes and every container', () => {
  const p = project([service('web', { volumes: [{ type: 'volume', source: 'data', target: '/d' }] }), service('db', { deploy: { replicas: 2 } })]);
  const plan = planUp(p, { containers: [], networks: ['bridge'], volumes: [] }, OPTIONS);
  assert.deepEqual(plan.networks, [{ key: 'default', name: 'app_default' }]);
  assert.deepEqual(plan.volumes, [{ key: 'data', name: 'app_data' }]);
  assert.deepEqual(plan.services.map((s) => [s.service.name, s.create]), [['web', [1]], ['db', [1, 2]]]);
});

test('a second up keeps what is current, starts what stopped, recreates only the changed service', () => {
  const web = service('web');
  const db = service('db');
  const before = project([web, db]);
  const observed = { containers: [running(before, web, 1), running(before, db, 1, 'exited')], networks: ['app_default'], volumes: ['app_data'] };
  const same = planUp(before, observed, OPTIONS);
  assert.deepEqual(same.networks, []);
  const step = (plan: typeof same, name: string) => plan.services.find((s) => s.service.name === name);
  assert.deepEqual(step(same, 'web')?.keep.map((c) => c.id), ['web1']);
  assert.deepEqual(step(same, 'db')?.start.map((c) => c.id), ['db1']);
  const changed = planUp(project([service('web', { environment: { NEW: '1' } }), db]), observed, OPTIONS);
  assert.deepEqual(step(changed, 'web')?.recreate.map((c) => c.id), ['web1']);
  assert.deepEqual(step(changed, 'db')?.recreate, []);
  assert.deepEqual(step(planUp(before, observed, { ...OPTIONS, forceRecreate: true }), 'db')?.recreate.map((c) => c.id), ['db1']);
});

test('scale up and down by container number; orphans only with removeOrphans', () => {
  const web = service('web');
  const p = project([web]);
  const gone = { id: 'old1', name: 'app-old-1', labels: { ...containerLabels(p, service('old'), 1) }, state: 'running' };
  const observed = { containers: [running(p, web, 1), running(p, web, 3), gone], networks: [], volumes: [] };
  const up = planUp(p, observed, { ...OPTIONS, scale: { web: 4 } });
  assert.deepEqual(up.services[0]?.create, [2, 4]);
  assert.deepEqual(up.orphans, []);
  const down = planUp(p, observed, { ...OPTIONS, scale: { web: 1 }, removeOrphans: true });
  assert.deepEqual(down.services[0]?.remove.map((c) => c.id), ['web3']);
  assert.deepEqual(down.orphans.map((c) => c.id), ['old1']);
});

test('the create body: names, ports, mounts, secrets, healthcheck, resources, networks', () => {
  const web = service('web', {
    command: 'httpd -f -p "8 0"', ports: [{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp' }],
    volumes: [{ type: 'volume', source: 'data', target: '/d' }, { type: 'tmpfs', target: '/t' }], secrets: [{ source: 'token' }],
    healthcheck: { test: 'true', interval: '1m30s', retries: 3 }, restart: 'on-failure:2',
    deploy: { resources: { limits: { cpus: '0.5', memory: '64m', pids: 100 } } }, networks: { back: { aliases: ['w'] }, default: {} },
  });
  const p = project([web]);
  p.secrets.token = { name: 'token', file: '/srv/app/token.txt', external: false };
  p.networks.back = { name: 'app_back', external: false, internal: true, driver_opts: {}, labels: {} };
  const plan = containerPlan(p, web, 1);
  const host = plan.config.HostConfig;
  assert.ok(host);
  assert.equal(plan.name, 'app-web-1');
  assert.deepEqual(plan.config.Cmd, ['httpd', '-f', '-p', '8 0']);
  assert.deepEqual(host.PortBindings, { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] });
  assert.deepEqual((host.Mounts ?? []).map((m) => [m.Type, m.Source, m.Target]), [['volume', 'app_data', '/d'], ['tmpfs', undefined, '/t'], ['bind', '/srv/app/token.txt', '/run/secrets/token']]);
  assert.deepEqual(plan.config.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 90e9, Retries: 3 });
  assert.deepEqual(host.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
  assert.equal(host.NanoCpus, 5e8);
  assert.equal(host.Memory, 64 * 1024 * 1024);
  assert.equal(host.NetworkMode, 'app_default');
  // Created on the network that is not internal (it carries the ports), the internal one connected after.
  assert.deepEqual(plan.moreNetworks, [{ network: 'app_back', aliases: ['web', 'w'] }]);
  const first = containerPlan(p, { ...web, networks: { back: { priority: 10 }, default: {} } }, 1);
  assert.equal(first.config.HostConfig?.NetworkMode, 'app_back');
});

test('an external network or volume must exist already', () => {
  const p = project([service('web')]);
  p.networks.default = { name: 'shared', external: true, internal: false, driver_opts: {}, labels: {} };
  assert.throws(() => planUp(p, { containers: [], networks: [], volumes: [] }, OPTIONS), /network shared declared as external, but could not be found/);
  assert.deepEqual(planUp(p, { containers: [], networks: ['shared'], volumes: [] }, OPTIONS).networks, []);
});
