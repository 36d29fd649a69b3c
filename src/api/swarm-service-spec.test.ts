import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerFieldName, parseServiceSpecBody, serviceSpecFromBody } from './swarm-service-spec.js';
import { serviceSpecView } from './swarm-spec-views.js';
import { refusal } from '../../test/support/refusal.js';

/** What `docker service create busybox sleep 1000` (docker CLI 20.10) sends. */
const CLI_CREATE_BODY = {
  Labels: {},
  TaskTemplate: {
    ContainerSpec: {
      Image: 'busybox:latest@sha256:3fbc632167424a6d997e74f52b878d7cc478225cffac6bc977eedfe51c7f4e79',
      Args: ['sleep', '1000'],
      Init: false,
      DNSConfig: {},
      Isolation: 'default',
    },
    Resources: { Limits: {}, Reservations: {} },
    Placement: { Platforms: [{ Architecture: 'amd64', OS: 'linux' }] },
    ForceUpdate: 0,
    Runtime: 'container',
  },
  Mode: { Replicated: {} },
  UpdateConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5000000000, MaxFailureRatio: 0, Order: 'stop-first' },
  RollbackConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5000000000, MaxFailureRatio: 0, Order: 'stop-first' },
  EndpointSpec: { Mode: 'vip' },
};

const convert = (body: unknown, name = 'web'): ReturnType<typeof serviceSpecFromBody> => serviceSpecFromBody(parseServiceSpecBody(body), name);

test('the docker CLI\'s create body converts with Swarm\'s defaults', () => {
  const spec = convert(CLI_CREATE_BODY, 'quirky_babbage');
  assert.equal(spec.name, 'quirky_babbage');
  assert.deepEqual(spec.mode, { kind: 'replicated', replicas: 1 });
  assert.deepEqual(spec.taskTemplate.containerSpec, { image: CLI_CREATE_BODY.TaskTemplate.ContainerSpec.Image, args: ['sleep', '1000'], env: [], labels: {}, mounts: [] });
  assert.deepEqual(spec.taskTemplate.restartPolicy, { condition: 'any', delayNs: 5_000_000_000, maxAttempts: 0, windowNs: 0 });
  assert.deepEqual(spec.taskTemplate.resources, { limits: { nanoCpus: 0, memoryBytes: 0, pids: 0 }, reservations: { nanoCpus: 0, memoryBytes: 0 } });
  assert.deepEqual(spec.taskTemplate.placement, { constraints: [], preferences: [], maxReplicas: 0 });
});

test('every modelled field converts', () => {
  const spec = convert({
    Name: 'api',
    Labels: { tier: 'web' },
    TaskTemplate: {
      ContainerSpec: {
        Image: 'nginx', Command: ['nginx'], Args: ['-g', 'daemon off;'], Env: ['A=1'], Labels: { c: 'd' },
        Mounts: [{ Type: 'bind', Source: '/srv', Target: '/usr/share/nginx/html', ReadOnly: true }, { Type: 'tmpfs', Target: '/tmp' }],
      },
      Resources: { Limits: { NanoCPUs: 2_000_000_000, MemoryBytes: 268435456, Pids: 100 }, Reservations: { NanoCPUs: 500_000_000, MemoryBytes: 67108864 } },
      RestartPolicy: { Condition: 'on-failure', Delay: 1_000_000_000, MaxAttempts: 3, Window: 60_000_000_000 },
      Placement: { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 2 },
    },
    Mode: { Global: {} },
  });
  assert.deepEqual(spec.mode, { kind: 'global' });
  assert.deepEqual(spec.labels, { tier: 'web' });
  assert.deepEqual(spec.taskTemplate.containerSpec.mounts, [
    { type: 'bind', source: '/srv', target: '/usr/share/nginx/html', readOnly: true },
    { type: 'tmpfs', target: '/tmp', readOnly: false },
  ]);
  assert.deepEqual(spec.taskTemplate.restartPolicy, { condition: 'on-failure', delayNs: 1_000_000_000, maxAttempts: 3, windowNs: 60_000_000_000 });
  assert.deepEqual(spec.taskTemplate.placement, { constraints: ['node.role==worker'], preferences: [{ spread: 'node.labels.zone' }], maxReplicas: 2 });
  assert.deepEqual(spec.taskTemplate.resources.limits, { nanoCpus: 2_000_000_000, memoryBytes: 268435456, pids: 100 });
});

test('the view of a converted spec converts back to the same spec (what `docker service update` sends)', () => {
  const spec = convert({ ...CLI_CREATE_BODY, Name: 'web', Mode: { Replicated: { Replicas: 3 } } });
  const view = serviceSpecView(spec);
  assert.deepEqual(view.Mode, { Replicated: { Replicas: 3 } });
  assert.deepEqual(view.TaskTemplate.Resources, { Limits: {}, Reservations: {} });
  assert.deepEqual(view.TaskTemplate.RestartPolicy, { Condition: 'any', Delay: 5_000_000_000, MaxAttempts: 0, Window: 0 });
  assert.equal(view.TaskTemplate.ContainerSpec.Env, undefined, 'empty lists are left out, as Go\'s omitempty');
  assert.deepEqual(convert(JSON.parse(JSON.stringify(view))), spec);
});

test('a bad constraint is refused naming Docker\'s field and the expression', () => {
  const body = { ...CLI_CREATE_BODY, TaskTemplate: { ...CLI_CREATE_BODY.TaskTemplate, Placement: { Constraints: ['node.role==manager', 'node.colour==red'] } } };
  const message = refusal(() => convert(body));
  assert.match(message, /TaskTemplate\.Placement\.Constraints\[1\]/);
  assert.match(message, /node\.colour==red/);
});

test('other invalid fields are refused with Docker\'s field names', () => {
  assert.match(refusal(() => convert({ TaskTemplate: { ContainerSpec: {} } })), /TaskTemplate\.ContainerSpec\.Image/);
  assert.match(refusal(() => convert({ TaskTemplate: { ContainerSpec: { Image: 'x' }, Resources: { Limits: { MemoryBytes: 1024 } } } })), /TaskTemplate\.Resources\.Limits\.MemoryBytes/);
  assert.match(refusal(() => convert({ TaskTemplate: { ContainerSpec: { Image: 'x' }, RestartPolicy: { Condition: 'always' } } })), /TaskTemplate\.RestartPolicy\.Condition/);
  assert.match(refusal(() => convert({ TaskTemplate: { ContainerSpec: { Image: 'x', Mounts: [{ Type: 'npipe', Target: '/x' }] } } })), /TaskTemplate\.ContainerSpec\.Mounts\[0\]\.Type/);
  assert.match(refusal(() => convert({ TaskTemplate: { ContainerSpec: { Image: 'x' } }, Mode: { Replicated: { Replicas: -1 } } })), /Mode\.Replicated\.Replicas|field Replicas/);
});

test('what would silently not work is refused naming the field', () => {
  const withTemplate = (extra: Record<string, unknown>, container: Record<string, unknown> = {}): unknown =>
    ({ ...CLI_CREATE_BODY, TaskTemplate: { ...CLI_CREATE_BODY.TaskTemplate, ...extra, ContainerSpec: { ...CLI_CREATE_BODY.TaskTemplate.ContainerSpec, ...container } } });
  assert.match(refusal(() => convert(withTemplate({ Networks: [{ Target: 'overlay1', DriverOpts: { a: 'b' } }] }))), /^TaskTemplate\.Networks\.DriverOpts: /);
  assert.match(refusal(() => convert(withTemplate({ Networks: [{ Aliases: ['x'] }] }))), /^TaskTemplate\.Networks\[0\]\.Target: /);
  assert.match(refusal(() => convert({ ...CLI_CREATE_BODY, EndpointSpec: { Mode: 'rr' } })), /^EndpointSpec\.Mode: invalid endpoint mode "rr"/);
  assert.match(refusal(() => convert(withTemplate({}, { Secrets: [{ File: { Name: 'x' } }] }))), /^TaskTemplate\.ContainerSpec\.Secrets\[0\]\.SecretName: /);
  assert.match(refusal(() => convert(withTemplate({}, { Configs: [{ ConfigName: 'c', Runtime: {} }] }))), /^TaskTemplate\.ContainerSpec\.Configs\[0\]\.Runtime: /);
  assert.match(refusal(() => convert(withTemplate({}, { User: 'nobody' }))), /^TaskTemplate\.ContainerSpec\.User: /);
  assert.match(refusal(() => convert({ ...CLI_CREATE_BODY, Mode: { Replicated: {}, GlobalJob: {} } })), /^Mode: a service has one mode, not Replicated and GlobalJob/);
});

test('autoscaling travels as labels: read into the spec, shown back as labels, refused naming the label', () => {
  const labels = { 'berth.autoscale.min': '2', 'berth.autoscale.max': '6', 'berth.autoscale.cpu': '60', 'berth.autoscale.scale-down-delay': '30s' };
  const spec = convert({ ...CLI_CREATE_BODY, Labels: { team: 'a', ...labels } });
  assert.deepEqual(spec.labels, { team: 'a' });
  assert.deepEqual(spec.autoscale, { minReplicas: 2, maxReplicas: 6, cpuPercent: 60, scaleDownDelayNs: 30_000_000_000 });
  assert.deepEqual(serviceSpecView(spec).Labels, { team: 'a', ...labels });
  const body = (extra: Record<string, string>): Record<string, unknown> => ({ ...CLI_CREATE_BODY, Labels: extra });
  assert.match(refusal(() => convert(body({ 'berth.autoscale.cpu': '50' }))), /^Labels\.berth\.autoscale\.max: an autoscaled service needs its most replicas/);
  assert.match(refusal(() => convert(body({ 'berth.autoscale.max': 'lots' }))), /^Labels\.berth\.autoscale\.max: "lots": want a whole number/);
  assert.match(refusal(() => convert(body({ 'berth.autoscale.max': '3' }))), /field Labels\.berth\.autoscale\.max: a CPU or memory target is required/);
  assert.match(refusal(() => convert(body({ 'berth.autoscale.max': '3', 'berth.autoscale.min': '5', 'berth.autoscale.cpu': '50' }))), /field Labels\.berth\.autoscale\.min: the minimum \(5\) is above the maximum \(3\)/);
  assert.match(refusal(() => convert(body({ 'berth.autoscale.max': '3', 'berth.autoscale.memory': '50' }))), /Labels\.berth\.autoscale\.memory: a memory target is a share of the tasks' memory limit or reservation/);
  assert.match(refusal(() => convert(body({ 'berth.autoscale.max': '3', 'berth.autoscale.cpu': '50', 'berth.autoscale.scale-down-delay': 'soon' }))), /scale-down-delay: "soon": want a duration/);
  assert.match(refusal(() => convert({ ...body({ 'berth.autoscale.max': '3', 'berth.autoscale.cpu': '50' }), Mode: { Global: {} } })), /only a replicated service is autoscaled, not a global one/);
});

test('a canary travels as labels into the update config and back; bad values are refused naming the label', () => {
  const spec = convert({ ...CLI_CREATE_BODY, Labels: { 'berth.update.canary': '25%', 'berth.update.canary-auto-promote': 'true' } });
  assert.deepEqual(spec.labels, {});
  assert.deepEqual(spec.updateConfig.canary, { percent: 25, autoPromote: true });
  assert.deepEqual(serviceSpecView(spec).Labels, { 'berth.update.canary': '25%', 'berth.update.canary-auto-promote': 'true' });
  assert.deepEqual(convert({ ...CLI_CREATE_BODY, Labels: { 'berth.update.canary': '2' } }).updateConfig.canary, { count: 2, autoPromote: false });
  assert.match(refusal(() => convert({ ...CLI_CREATE_BODY, Labels: { 'berth.update.canary': 'some' } })), /^Labels\.berth\.update\.canary: "some": want a number of tasks/);
  assert.match(refusal(() => convert({ ...CLI_CREATE_BODY, Labels: { 'berth.update.canary-auto-promote': 'true' } })), /^Labels\.berth\.update\.canary-auto-promote: only a canary update/);
});

test('job modes convert with Docker\'s defaults (MaxConcurrent 1, TotalCompletions as MaxConcurrent) and read back the same', () => {
  assert.deepEqual(convert({ ...CLI_CREATE_BODY, Mode: { ReplicatedJob: {} } }).mode, { kind: 'replicated-job', maxConcurrent: 1, totalCompletions: 1 });
  assert.deepEqual(convert({ ...CLI_CREATE_BODY, Mode: { ReplicatedJob: { MaxConcurrent: 2 } } }).mode, { kind: 'replicated-job', maxConcurrent: 2, totalCompletions: 2 });
  const spec = convert({ ...CLI_CREATE_BODY, Mode: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } } });
  assert.deepEqual(serviceSpecView(spec).Mode, { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } });
  assert.deepEqual(convert({ ...CLI_CREATE_BODY, Mode: { GlobalJob: {} } }).mode, { kind: 'global-job' });
  assert.match(refusal(() => convert({ ...CLI_CREATE_BODY, Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 20_000 } } })), /Mode\.ReplicatedJob\.TotalCompletions/);
});

test('a job\'s schedule travels as labels: read into the spec, shown back as the same labels, refused naming the label', () => {
  const labels = { team: 'data', 'berth.job.schedule': '*/5 * * * *', 'berth.job.concurrency': 'replace', 'berth.job.history-limit': '2' };
  const spec = convert({ ...CLI_CREATE_BODY, Labels: labels, Mode: { ReplicatedJob: {} } });
  assert.deepEqual(spec.labels, { team: 'data' });
  assert.deepEqual(spec.schedule, { cron: '*/5 * * * *', concurrency: 'replace', historyLimit: 2 });
  assert.deepEqual(serviceSpecView(spec).Labels, labels);
  const job = (extra: Record<string, string>): unknown => ({ ...CLI_CREATE_BODY, Labels: extra, Mode: { GlobalJob: {} } });
  assert.match(refusal(() => convert(job({ 'berth.job.schedule': '61 * * * *' }))), /^service spec: field Labels\.berth\.job\.schedule: "61 \* \* \* \*": .*minute/);
  assert.match(refusal(() => convert(job({ 'berth.job.schedule': '@daily', 'berth.job.concurrency': 'sometimes' }))), /Labels\.berth\.job\.concurrency/);
  assert.match(refusal(() => convert(job({ 'berth.job.schedule': '@daily', 'berth.job.history-limit': 'many' }))), /^Labels\.berth\.job\.history-limit: "many"/);
  assert.match(refusal(() => convert(job({ 'berth.job.concurrency': 'allow' }))), /^Labels\.berth\.job\.concurrency: only a scheduled job/);
  assert.match(refusal(() => convert({ ...CLI_CREATE_BODY, Labels: { 'berth.job.schedule': '@daily' } })), /Labels\.berth\.job\.schedule: only a job .* not a replicated service/);
});

test('EndpointSpec.Ports become published ports (PublishedPort 0: the cluster picks one); a protocol or mode berth does not take is refused naming the field', () => {
  const ports = (list: unknown[]): unknown => ({ ...CLI_CREATE_BODY, EndpointSpec: { Mode: 'vip', Ports: list } });
  assert.deepEqual(convert(ports([{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }, { Protocol: 'udp', TargetPort: 53, PublishedPort: 0 }, { TargetPort: 443, PublishedPort: 443, PublishMode: 'host' }])).ports, [
    { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
    { protocol: 'udp', targetPort: 53, publishMode: 'ingress' },
    { protocol: 'tcp', targetPort: 443, publishedPort: 443, publishMode: 'host' },
  ]);
  assert.match(refusal(() => convert(ports([{ Protocol: 'sctp', TargetPort: 80 }]))), /^EndpointSpec\.Ports\[0\]\.Protocol: protocol "sctp" is not supported/);
  assert.match(refusal(() => convert(ports([{ TargetPort: 80, PublishMode: 'routed' }]))), /^EndpointSpec\.Ports\[0\]\.PublishMode: /);
  assert.match(refusal(() => convert(ports([{ PublishedPort: 80 }]))), /^EndpointSpec\.Ports\[0\]\.TargetPort: /);
});

test('networks (TaskTemplate.Networks, else the older top-level Networks) and the endpoint mode are kept', () => {
  const spec = convert({ ...CLI_CREATE_BODY, TaskTemplate: { ...CLI_CREATE_BODY.TaskTemplate, Networks: [{ Target: 'front', Aliases: ['www'] }] }, EndpointSpec: { Mode: 'dnsrr' } });
  assert.deepEqual(spec.taskTemplate.networks, [{ target: 'front', aliases: ['www'] }]);
  assert.equal(spec.endpointMode, 'dnsrr');
  assert.deepEqual(convert({ ...CLI_CREATE_BODY, Networks: [{ Target: 'back' }] }).taskTemplate.networks, [{ target: 'back', aliases: [] }]);
  assert.equal(convert(CLI_CREATE_BODY).endpointMode, 'vip');
});

test('a health check is kept (durations in nanoseconds); one without its test is refused', () => {
  const body = { ...CLI_CREATE_BODY, TaskTemplate: { ...CLI_CREATE_BODY.TaskTemplate, ContainerSpec: { ...CLI_CREATE_BODY.TaskTemplate.ContainerSpec, Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 1e9, Retries: 2 } } } };
  const spec = convert(body);
  assert.deepEqual(spec.taskTemplate.containerSpec.healthcheck, { test: ['CMD-SHELL', 'true'], intervalNs: 1e9, timeoutNs: 0, startPeriodNs: 0, retries: 2 });
  assert.deepEqual(serviceSpecView(spec).TaskTemplate.ContainerSpec.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 1e9, Retries: 2 });
  const withoutTest = { ...CLI_CREATE_BODY, TaskTemplate: { ...CLI_CREATE_BODY.TaskTemplate, ContainerSpec: { ...CLI_CREATE_BODY.TaskTemplate.ContainerSpec, Healthcheck: { Interval: 1e9 } } } };
  assert.match(refusal(() => convert(withoutTest)), /^TaskTemplate\.ContainerSpec\.Healthcheck\.Test: /);
});

test('Docker field names of the cluster\'s spec paths', () => {
  assert.equal(dockerFieldName('taskTemplate.resources.limits.nanoCpus'), 'TaskTemplate.Resources.Limits.NanoCPUs');
  assert.equal(dockerFieldName('taskTemplate.placement.preferences[0].spread'), 'TaskTemplate.Placement.Preferences[0].Spread.SpreadDescriptor');
  assert.equal(dockerFieldName('labels.image'), 'Labels.image');
  assert.equal(dockerFieldName('mode.replicas'), 'Mode.Replicated.Replicas');
});

test('secrets and configs convert with Docker\'s defaults (file name = the name, 0:0, 0444) and read back as the docker CLI sent them', () => {
  const container = {
    ...CLI_CREATE_BODY.TaskTemplate.ContainerSpec,
    Secrets: [
      { File: { Name: 'db-password', UID: '0', GID: '0', Mode: 0o444 }, SecretID: 'abc123', SecretName: 'db-password' },
      { File: { Name: 'key.pem', UID: '1000', GID: '1000', Mode: 0o400 }, SecretName: 'tls-key' },
    ],
    Configs: [{ ConfigName: 'nginx.conf' }],
  };
  const spec = convert({ ...CLI_CREATE_BODY, TaskTemplate: { ...CLI_CREATE_BODY.TaskTemplate, ContainerSpec: container } });
  assert.deepEqual(spec.taskTemplate.containerSpec.secrets, [
    { id: 'abc123', name: 'db-password', target: 'db-password', uid: '0', gid: '0', mode: 0o444 },
    { id: '', name: 'tls-key', target: 'key.pem', uid: '1000', gid: '1000', mode: 0o400 },
  ]);
  assert.deepEqual(spec.taskTemplate.containerSpec.configs, [{ id: '', name: 'nginx.conf', target: 'nginx.conf', uid: '0', gid: '0', mode: 0o444 }]);
  const view = serviceSpecView(spec).TaskTemplate.ContainerSpec;
  assert.deepEqual(view.Secrets?.[1], { File: { Name: 'key.pem', UID: '1000', GID: '1000', Mode: 0o400 }, SecretID: '', SecretName: 'tls-key' });
  assert.deepEqual(view.Configs, [{ File: { Name: 'nginx.conf', UID: '0', GID: '0', Mode: 0o444 }, ConfigID: '', ConfigName: 'nginx.conf' }]);
  assert.equal(convert(CLI_CREATE_BODY).taskTemplate.containerSpec.secrets, undefined);
  assert.match(refusal(() => convert({ ...CLI_CREATE_BODY, TaskTemplate: { ...CLI_CREATE_BODY.TaskTemplate, ContainerSpec: { ...container, Secrets: [{ SecretName: 'x', File: { Name: '../etc/passwd' } }] } } })), /Secrets\[0\]\.Target|target/i);
});
