import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SwarmService, SwarmTask } from '../../wire/swarm.js';
import { renderTable } from '../format.js';
import { parseScaleArgs } from './service-scale.js';
import { SERVICE_HEADERS, servicePretty, serviceRows, TASK_HEADERS, taskRows } from './service-output.js';

const meta = { Version: { Index: 1 }, CreatedAt: '2026-01-02T03:04:05Z', UpdatedAt: '2026-01-02T03:04:05Z' };
const template: SwarmTask['Spec'] = {
  ContainerSpec: { Image: `nginx:1.27@sha256:${'a'.repeat(64)}` }, Resources: { Limits: {}, Reservations: {} },
  RestartPolicy: { Condition: 'any', Delay: 5e9, MaxAttempts: 0, Window: 0 }, Placement: {}, ForceUpdate: 0, Runtime: 'container',
};

function service(id: string, name: string, mode: SwarmService['Spec']['Mode'], status: SwarmService['ServiceStatus'], maxReplicas?: number): SwarmService {
  const placement = maxReplicas === undefined ? {} : { MaxReplicas: maxReplicas };
  return {
    ID: id, ...meta, Endpoint: { Spec: { Mode: 'vip' } }, ...(status === undefined ? {} : { ServiceStatus: status }),
    Spec: { Name: name, Labels: {}, Mode: mode, EndpointSpec: { Mode: 'vip' }, TaskTemplate: { ...template, Placement: placement } },
  };
}

test('service ls: by name, running/desired, image without its digest, ports published through the mesh (not host-mode ones)', () => {
  const web = service('b'.repeat(25), 'web', { Replicated: { Replicas: 3 } }, { RunningTasks: 2, DesiredTasks: 3, CompletedTasks: 0 }, 1);
  web.Endpoint.Ports = [
    { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
    { Protocol: 'udp', TargetPort: 53, PublishedPort: 30000, PublishMode: 'ingress' },
    { Protocol: 'tcp', TargetPort: 443, PublishedPort: 443, PublishMode: 'host' },
  ];
  const services = [web, service('c'.repeat(25), 'agent', { Global: {} }, { RunningTasks: 4, DesiredTasks: 4, CompletedTasks: 0 })];
  assert.equal(renderTable(SERVICE_HEADERS, serviceRows(services)), [
    'ID             NAME    MODE         REPLICAS               IMAGE        PORTS',
    'cccccccccccc   agent   global       4/4                    nginx:1.27',
    'bbbbbbbbbbbb   web     replicated   2/3 (max 1 per node)   nginx:1.27   *:8080->80/tcp, *:30000->53/udp',
  ].join('\n'));
});

function task(id: string, slot: number, state: string, timestamp: string, fields: Partial<SwarmTask> = {}): SwarmTask {
  return {
    ID: id, ...meta, Labels: {}, Spec: template, ServiceID: 'svc', Slot: slot, ...(state === 'pending' ? {} : { NodeID: 'n1' }),
    Status: { Timestamp: timestamp, State: state, PortStatus: {} }, DesiredState: 'running', ...fields,
  };
}

test('service ps: <service>.<slot>, a slot\'s history under it, node hostnames, relative state times, quoted errors', () => {
  const tasks = [
    task('t1old0000000000000000000', 1, 'failed', '2026-01-02T03:00:00Z', { DesiredState: 'shutdown', Status: { Timestamp: '2026-01-02T03:00:00Z', State: 'failed', Err: 'task: non-zero exit (1): the container exited badly', PortStatus: {} } }),
    task('t2000000000000000000000000', 2, 'pending', '2026-01-02T03:04:00Z'),
    task('t1new0000000000000000000', 1, 'running', '2026-01-02T03:04:00Z'),
  ];
  const context = { services: new Map([['svc', 'web']]), nodes: new Map([['n1', 'm1']]), now: new Date('2026-01-02T03:04:05Z'), trunc: true };
  assert.equal(renderTable(TASK_HEADERS, taskRows(tasks, context)), [
    'ID             NAME        IMAGE        NODE   DESIRED STATE   CURRENT STATE           ERROR',
    't1new0000000   web.1       nginx:1.27   m1     Running         Running 5 seconds ago',
    't1old0000000    \\_ web.1   nginx:1.27   m1     Shutdown        Failed 4 minutes ago    "task: non-zero exit (1): the …"',
    't20000000000   web.2       nginx:1.27          Running         Pending 5 seconds ago',
  ].join('\n'));
});

test('service scale arguments are checked before any is applied', () => {
  assert.deepEqual(parseScaleArgs(['web=3', 'api=0']), [{ service: 'web', replicas: 3 }, { service: 'api', replicas: 0 }]);
  assert.throws(() => parseScaleArgs(['web=3', 'api']), /invalid scale specifier 'api': want SERVICE=REPLICAS/);
  assert.throws(() => parseScaleArgs(['web=-1']), /invalid scale specifier 'web=-1'/);
});

test('service ls: jobs in the docker CLI\'s words, with their completions (a global job\'s total: still to finish and done)', () => {
  const services = [
    service('d'.repeat(25), 'batch', { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 4 } }, { RunningTasks: 2, DesiredTasks: 2, CompletedTasks: 1 }, 1),
    service('e'.repeat(25), 'sweep', { GlobalJob: {} }, { RunningTasks: 1, DesiredTasks: 2, CompletedTasks: 3 }),
    service('f'.repeat(25), 'later', { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 3 } }, undefined),
  ];
  assert.equal(renderTable(SERVICE_HEADERS, serviceRows(services)), [
    'ID             NAME    MODE             REPLICAS              IMAGE        PORTS',
    'dddddddddddd   batch   replicated job   2/2 (1/4 completed)   nginx:1.27',
    'ffffffffffff   later   replicated job   0/1 (0/3 completed)   nginx:1.27',
    'eeeeeeeeeeee   sweep   global job       1/2 (3/5 completed)   nginx:1.27',
  ].join('\n'));
});

test('service inspect --pretty: a job\'s mode, concurrency and completions, schedule and runs', () => {
  const job = service('a'.repeat(25), 'batch', { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 4 } }, undefined);
  job.Spec.Labels = { 'berth.job.schedule': '*/5 * * * *', 'berth.job.concurrency': 'forbid', 'berth.job.history-limit': '3' };
  job.JobStatus = { JobIteration: { Index: 3 }, LastExecution: '2026-01-02T03:02:05Z', Message: 'run due at 2026-01-02T03:05:00.000Z skipped: run 3 is still going (concurrency forbid)' };
  const text = servicePretty(job, new Date('2026-01-02T03:04:05Z'));
  const block = text.slice(text.indexOf('Service Mode:'), text.indexOf('RestartPolicy:'));
  assert.equal(block, [
    'Service Mode:        Replicated job',
    ' Max Concurrent:     2',
    ' Total Completions:  4',
    'Schedule:',
    ' Cron:               */5 * * * * (UTC)',
    ' Concurrency:        forbid',
    ' History Limit:      3',
    'JobStatus:',
    ' Iteration:          3',
    ' Last Execution:     2 minutes ago',
    ' Message:            run due at 2026-01-02T03:05:00.000Z skipped: run 3 is still going (concurrency forbid)',
    '',
  ].join('\n'));
  const global = servicePretty(service('b'.repeat(25), 'sweep', { GlobalJob: {} }, undefined), new Date());
  assert.match(global, /Service Mode: +Global job\nJobStatus:\n Iteration: +0 \(not run yet\)\nRestartPolicy:/);
  assert.doesNotMatch(servicePretty(service('c'.repeat(25), 'web', { Replicated: { Replicas: 2 } }, undefined)), /JobStatus|Max Concurrent/);
});
