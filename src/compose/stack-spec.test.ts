import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import type { SwarmServiceSpec } from '../wire/swarm.js';
import { loadProject } from './project-loader.js';
import { checkStackName, planStack, taggedImage, type StackPlan } from './stack-spec.js';
import { specChanges } from './stack-spec-changes.js';

const FILE = `
services:
  web:
    image: busybox
    command: httpd -f -p 80
    environment: { B: "2", A: "1" }
    labels: [tier=front]
    ports: ["8080:80", { target: 81, published: 8081, mode: host }]
    networks:
      front: { aliases: [www] }
    configs: [{ source: site, target: /srv/index.html }]
    deploy:
      replicas: 2
      labels: { team: web }
      placement: { constraints: ["node.role==worker"], preferences: [{ spread: node.id }], max_replicas_per_node: 1 }
      update_config: { parallelism: 2, delay: 1s, order: start-first }
      rollback_config: { failure_action: continue }
      restart_policy: { condition: on-failure, delay: 2s, max_attempts: 3 }
      resources: { limits: { cpus: "0.5", memory: 64M }, reservations: { memory: 8M } }
  db:
    image: registry.example:5000/db:1.2
    build: .
    container_name: db
    depends_on: [web]
    expose: ["5432"]
    secrets: [pass, { source: token, target: api-token, mode: 0o400 }]
    healthcheck: { test: pg_isready, interval: 5s, retries: 3 }
    volumes: [data:/var/lib/db]
    deploy: { mode: global }
networks:
  front: { driver: overlay, labels: { owner: me } }
  unused: {}
volumes:
  data: {}
secrets:
  pass: { file: ./pass.txt }
  token: { external: true, name: shared-token }
configs:
  site: { file: ./index.html, labels: { v: "1" } }
`;

async function plan(text: string, stack = 'shop'): Promise<StackPlan> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-stack-spec-'));
  try {
    await writeFile(join(dir, 'stack.yaml'), text);
    const { project } = await loadProject({ files: ['stack.yaml'], projectName: stack, envFiles: [], profiles: [], env: {}, cwd: dir });
    return planStack(project, stack);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const NS = 'com.docker.stack.namespace';

test('a stack\'s services, networks, secrets and configs are named and labelled as docker stack deploy makes them', async () => {
  const stack = await plan(FILE);
  assert.deepEqual(stack.networks.map((n) => n.name), ['shop_default', 'shop_front'], 'only the networks services use, default included');
  assert.deepEqual(stack.networks[1]?.create, { Name: 'shop_front', Driver: 'overlay', Labels: { owner: 'me', [NS]: 'shop' } });
  assert.equal(stack.networks[0]?.create.Driver, 'overlay', 'a network without a driver is an overlay');
  assert.deepEqual(stack.secrets.map((s) => [s.name, s.labels]), [['shop_pass', { [NS]: 'shop' }]]);
  assert.deepEqual(stack.externalSecrets, ['shared-token']);
  assert.deepEqual(stack.configs.map((c) => [c.name, c.labels]), [['shop_site', { v: '1', [NS]: 'shop' }]]);

  const web = stack.services.find((s) => s.key === 'web');
  assert.ok(web);
  assert.equal(web.name, 'shop_web');
  assert.ok(web.replicasGiven);
  assert.deepEqual(web.spec.Labels, { team: 'web', [NS]: 'shop', 'com.docker.stack.image': 'busybox' });
  assert.deepEqual(web.spec.Mode, { Replicated: { Replicas: 2 } });
  const template = web.spec.TaskTemplate;
  assert.ok(template?.ContainerSpec);
  const container = template.ContainerSpec;
  assert.deepEqual(container.Image, 'busybox:latest');
  assert.deepEqual(container.Args, ['httpd', '-f', '-p', '80']);
  assert.deepEqual(container.Env, ['A=1', 'B=2']);
  assert.deepEqual(container.Labels, { tier: 'front', [NS]: 'shop' });
  assert.deepEqual(container.Configs, [{ File: { Name: '/srv/index.html', UID: '0', GID: '0', Mode: 0o444 }, ConfigName: 'shop_site' }]);
  assert.deepEqual(template.Networks, [{ Target: 'shop_front', Aliases: ['www', 'web'] }]);
  assert.deepEqual(template.Placement, { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.id' } }], MaxReplicas: 1 });
  assert.deepEqual(template.Resources, { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 64 * 1024 ** 2 }, Reservations: { MemoryBytes: 8 * 1024 ** 2 } });
  assert.deepEqual(template.RestartPolicy, { Condition: 'on-failure', Delay: 2e9, MaxAttempts: 3 });
  assert.deepEqual(web.spec.UpdateConfig, { Parallelism: 2, Delay: 1e9, Order: 'start-first' });
  assert.deepEqual(web.spec.RollbackConfig, { Parallelism: 1, FailureAction: 'continue' });
  assert.deepEqual(web.spec.EndpointSpec, { Ports: [
    { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
    { Protocol: 'tcp', TargetPort: 81, PublishedPort: 8081, PublishMode: 'host' },
  ] });

  const db = stack.services.find((s) => s.key === 'db');
  assert.ok(db?.spec.TaskTemplate?.ContainerSpec);
  const dbContainer = db.spec.TaskTemplate.ContainerSpec;
  assert.deepEqual(db.spec.Mode, { Global: {} });
  assert.equal(dbContainer.Image, 'registry.example:5000/db:1.2');
  assert.deepEqual(db.spec.TaskTemplate.Networks, [{ Target: 'shop_default', Aliases: ['db'] }]);
  assert.deepEqual(dbContainer.Secrets, [
    { File: { Name: 'api-token', UID: '0', GID: '0', Mode: 0o400 }, SecretName: 'shared-token' },
    { File: { Name: 'pass', UID: '0', GID: '0', Mode: 0o444 }, SecretName: 'shop_pass' },
  ], 'sorted by name, as docker sends them');
  assert.deepEqual(dbContainer.Mounts, [{ Type: 'volume', Target: '/var/lib/db', Source: 'shop_data' }]);
  assert.deepEqual(dbContainer.Healthcheck, { Test: ['CMD-SHELL', 'pg_isready'], Interval: 5e9, Retries: 3 });

  assert.deepEqual(stack.warnings, [
    'Ignoring unsupported options: build, depends_on',
    'Ignoring deprecated options:\n\ncontainer_name: Setting the container name is not supported.\nexpose: Exposing ports is unnecessary - services on the same network can access each other\'s containers on any port.',
  ]);
});

test('replicas: absent is 1 and not given (an existing service keeps its own); global with replicas is refused naming the field', async () => {
  const stack = await plan('services:\n  a:\n    image: busybox\n');
  const [only] = stack.services;
  assert.ok(only);
  assert.deepEqual(only.spec.Mode, { Replicated: { Replicas: 1 } });
  assert.equal(only.replicasGiven, false);
  assert.deepEqual(stack.warnings, []);
  await assert.rejects(plan('services:\n  a:\n    image: busybox\n    deploy: { mode: global, replicas: 2 }\n'), (err) => isBerthError(err, 'invalid-argument') && /services\.a\.deploy\.replicas/.test(err.message));
  await assert.rejects(plan('services:\n  a:\n    build: .\n'), /a stack's service needs an image/);
});

test('stack names are project names; images get docker\'s :latest', () => {
  checkStackName('shop-2_a');
  for (const bad of ['', 'Shop', 'a.b', '-x', 'a b']) assert.throws(() => { checkStackName(bad); }, /invalid stack name/);
  assert.equal(taggedImage('busybox'), 'busybox:latest');
  assert.equal(taggedImage('me/app'), 'me/app:latest');
  assert.equal(taggedImage('host:5000/app:2'), 'host:5000/app:2');
});

/** The spec as berthd shows it after a create from `spec`: ids for names, the cluster's defaults filled in. */
function shownAs(spec: NonNullable<StackPlan['services'][number]['spec']>): SwarmServiceSpec {
  const template = spec.TaskTemplate ?? {};
  const container = template.ContainerSpec ?? {};
  return {
    Name: spec.Name ?? '',
    Labels: spec.Labels ?? {},
    TaskTemplate: {
      ContainerSpec: { Image: container.Image ?? '', Labels: container.Labels ?? {}, Args: container.Args ?? [], Env: container.Env ?? [], Isolation: 'default' },
      Resources: { Limits: {}, Reservations: {} },
      RestartPolicy: { Condition: 'any', Delay: 5e9, MaxAttempts: 0, Window: 0 },
      Placement: {},
      ForceUpdate: 0,
      Runtime: 'container',
      Networks: (template.Networks ?? []).map((n) => ({ Target: `id-of-${n.Target ?? ''}`, Aliases: n.Aliases ?? [] })),
    },
    Mode: { Replicated: { Replicas: 1 } },
    EndpointSpec: { Mode: 'vip' },
    UpdateConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
    RollbackConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
  };
}

test('specChanges: the spec berthd shows for the file\'s is unchanged; a new value is a change, in the template or not', async () => {
  const [service] = (await plan('services:\n  a:\n    image: busybox\n    command: [sleep, "9"]\n    stop_grace_period: 2s\n')).services;
  assert.ok(service);
  const desired = { ...service.spec, TaskTemplate: { ...service.spec.TaskTemplate, Networks: [{ Target: 'id-of-shop_default', Aliases: ['a'] }] } };
  const shown = shownAs(service.spec);
  assert.deepEqual(specChanges(desired, shown), { fields: [], rollsTasks: false }, 'defaults and fields berthd does not keep are no change');
  const relabelled = specChanges({ ...desired, Labels: { ...desired.Labels, extra: 'x' } }, shown);
  assert.deepEqual(relabelled, { fields: ['Labels.extra'], rollsTasks: false });
  const env = specChanges({ ...desired, TaskTemplate: { ...desired.TaskTemplate, ContainerSpec: { ...desired.TaskTemplate.ContainerSpec, Env: ['X=1'] } } }, shown);
  assert.deepEqual(env, { fields: ['TaskTemplate.ContainerSpec.Env[0]'], rollsTasks: true });
  const scaled = specChanges({ ...desired, Mode: { Replicated: { Replicas: 3 } } }, shown);
  assert.deepEqual(scaled, { fields: ['Mode.Replicated.Replicas'], rollsTasks: false });
  assert.deepEqual(specChanges({ ...desired, Mode: { Global: {} } }, shown).fields, ['Mode', 'Mode.Replicated.Replicas']);
  const parallel = specChanges({ ...desired, UpdateConfig: { Parallelism: 0 } }, shown);
  assert.deepEqual(parallel.fields, ['UpdateConfig.Parallelism'], 'parallelism 0 (all at once) is not the default 1');
});
