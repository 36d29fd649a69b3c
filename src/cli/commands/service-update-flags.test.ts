import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import type { SwarmService, SwarmServiceSpec, SwarmTask } from '../../wire/swarm.js';
import { applyUpdateFlags, type ServiceUpdateFlags } from './service-update-flags.js';
import { waitForUpdate } from './service-update-wait.js';

const CURRENT: SwarmServiceSpec = {
  Name: 'web',
  Labels: {},
  TaskTemplate: {
    ContainerSpec: { Image: 'busybox', Env: ['A=1', 'B=2'], Isolation: 'default' },
    Resources: { Limits: {}, Reservations: {} },
    RestartPolicy: { Condition: 'any', Delay: 5e9, MaxAttempts: 0, Window: 0 },
    Placement: {},
    ForceUpdate: 0,
    Runtime: 'container',
  },
  Mode: { Replicated: { Replicas: 3 } },
  EndpointSpec: { Mode: 'vip' },
  UpdateConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
  RollbackConfig: { Parallelism: 1, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
};

const flags = (over: Partial<ServiceUpdateFlags> = {}): ServiceUpdateFlags => ({ envAdd: [], envRm: [], publishAdd: [], publishRm: [], ...over });

test('only what a flag names changes; the update settings alone do not roll the tasks', () => {
  assert.equal(applyUpdateFlags(CURRENT, flags(), {}).changed, false, 'nothing to update');
  const settings = applyUpdateFlags(CURRENT, flags({ updateParallelism: '2', updateOrder: 'start-first', updateDelay: '10s', rollbackFailureAction: 'continue' }), {});
  assert.equal(settings.changed, true);
  assert.equal(settings.rollsTasks, false);
  assert.deepEqual(settings.spec.UpdateConfig, { Parallelism: 2, Delay: 10e9, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'start-first' });
  assert.equal(settings.spec.RollbackConfig?.FailureAction, 'continue');
  const image = applyUpdateFlags(CURRENT, flags({ image: 'busybox:v2', envAdd: ['B=3', 'C=4'], envRm: ['A'] }), {});
  assert.equal(image.rollsTasks, true);
  const container = image.spec.TaskTemplate?.ContainerSpec;
  assert.deepEqual([container?.Image, container?.Env], ['busybox:v2', ['B=3', 'C=4']]);
  const forced = applyUpdateFlags(CURRENT, flags({ force: true }), {});
  assert.equal(forced.rollsTasks, true);
  assert.equal(forced.spec.TaskTemplate?.ForceUpdate, 1);
  const scaled = applyUpdateFlags(CURRENT, flags({ replicas: '5' }), {});
  assert.deepEqual([scaled.changed, scaled.rollsTasks, scaled.spec.Mode], [true, false, { Replicated: { Replicas: 5 } }]);
  const health = applyUpdateFlags(CURRENT, flags({ healthCmd: 'false', healthInterval: '1s' }), {});
  assert.deepEqual(health.spec.TaskTemplate?.ContainerSpec?.Healthcheck, { Test: ['CMD-SHELL', 'false'], Interval: 1e9 });
});

test('bad values are refused naming the flag', () => {
  const refused = (over: Partial<ServiceUpdateFlags>): string => {
    try {
      applyUpdateFlags(CURRENT, flags(over), {});
    } catch (err) {
      assert.ok(isBerthError(err, 'invalid-argument'));
      return err.message;
    }
    return assert.fail('expected a refusal');
  };
  assert.match(refused({ updateOrder: 'sideways' }), /^--update-order sideways: want stop-first, start-first/);
  assert.match(refused({ updateFailureAction: 'explode' }), /^--update-failure-action/);
  assert.match(refused({ rollbackFailureAction: 'rollback' }), /^--rollback-failure-action rollback: want pause, continue/);
  assert.match(refused({ updateMaxFailureRatio: '1.5' }), /^--update-max-failure-ratio/);
  assert.match(refused({ updateDelay: 'soon' }), /^--update-delay/);
});

/** A fake cluster whose service shows the given update states, one per look. */
function looks(states: (SwarmService['UpdateStatus'])[]): { listServices: () => Promise<SwarmService[]>; listTasks: () => Promise<SwarmTask[]> } {
  let look = 0;
  return {
    listServices: () => {
      const status = states[Math.min(look++, states.length - 1)];
      return Promise.resolve([{ ID: 's1', Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '', Spec: CURRENT, Endpoint: { Spec: { Mode: 'vip' } }, ...(status === undefined ? {} : { UpdateStatus: status }) }]);
    },
    listTasks: () => Promise.resolve([]),
  };
}

test('waiting for an update: completed resolves; paused and rolled back reject with the reason', async () => {
  const out = { text: '', write(s: string) { this.text += s; } };
  const options = { out, tty: false, rollback: false, sleep: () => Promise.resolve() };
  await waitForUpdate(looks([undefined, { State: 'updating' }, { State: 'completed', Message: 'update completed' }]), 's1', options);
  assert.match(out.text, /verify: Service web converged/);
  await assert.rejects(waitForUpdate(looks([{ State: 'updating' }, { State: 'paused', Message: 'update paused: task t1 failed: boom' }]), 's1', options), (err: unknown) => isBerthError(err, 'failed-precondition') && /update paused: update paused: task t1 failed: boom/.test(err.message));
  await assert.rejects(waitForUpdate(looks([{ State: 'rollback_started' }, { State: 'rollback_completed', Message: 'update rolled back: task t1 failed: x; rollback completed' }]), 's1', options), /rolled back: update rolled back/);
  await waitForUpdate(looks([{ State: 'rollback_started' }, { State: 'rollback_completed' }]), 's1', { ...options, rollback: true });
  assert.match(out.text, /rollback: Service web rolled back/);
});

test('--publish-add adds or replaces a port (by its published port), --publish-rm removes by target port; a bad --publish-rm is refused', () => {
  const withPorts = { ...CURRENT, EndpointSpec: { Mode: 'vip' as const, Ports: [{ Protocol: 'tcp' as const, TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' as const }] } };
  const added = applyUpdateFlags(withPorts, flags({ publishAdd: ['8080:81', '53/udp'] }), {});
  assert.deepEqual(added.spec.EndpointSpec?.Ports, [
    { Protocol: 'tcp', TargetPort: 81, PublishedPort: 8080, PublishMode: 'ingress' },
    { Protocol: 'udp', TargetPort: 53, PublishMode: 'ingress' },
  ]);
  assert.equal(added.changed, true);
  assert.deepEqual(applyUpdateFlags(withPorts, flags({ publishRm: ['80'] }), {}).spec.EndpointSpec, { Mode: 'vip' });
  assert.equal(applyUpdateFlags(withPorts, flags({ publishRm: ['80/udp'] }), {}).changed, false, 'another protocol: nothing removed');
  assert.throws(() => applyUpdateFlags(withPorts, flags({ publishRm: ['8080:80'] }), {}), /--publish-rm 8080:80: want TARGET\[\/tcp\|udp\]/);
});

test('--network-add|rm, --secret-add|rm and --config-add|rm change the task template (so the tasks roll); a removal of nothing is refused', () => {
  const withFiles: SwarmServiceSpec = {
    ...CURRENT,
    TaskTemplate: {
      ...CURRENT.TaskTemplate,
      Networks: [{ Target: 'n1id' }],
      ContainerSpec: { ...CURRENT.TaskTemplate.ContainerSpec, Secrets: [{ File: { Name: 'db', UID: '0', GID: '0', Mode: 0o444 }, SecretID: 's1', SecretName: 'db' }] },
    },
  };
  const update = applyUpdateFlags(withFiles, flags({ networkRm: ['front'], networkAdd: ['name=back,alias=api'], secretRm: ['db'], secretAdd: ['source=token,target=tok,mode=0400'], configAdd: ['app.conf'] }), {}, new Map([['front', 'n1id']]));
  assert.equal(update.rollsTasks, true);
  const template = update.spec.TaskTemplate;
  assert.deepEqual(template?.Networks, [{ Target: 'back', Aliases: ['api'] }]);
  const container = template.ContainerSpec;
  assert.ok(container);
  assert.deepEqual(container.Secrets, [{ File: { Name: 'tok', UID: '0', GID: '0', Mode: 0o400 }, SecretName: 'token' }]);
  assert.deepEqual(container.Configs, [{ File: { Name: 'app.conf', UID: '0', GID: '0', Mode: 0o444 }, ConfigName: 'app.conf' }]);
  assert.throws(() => applyUpdateFlags(withFiles, flags({ networkRm: ['other'] }), {}), /--network-rm other: the service is not on this network/);
  assert.throws(() => applyUpdateFlags(withFiles, flags({ configRm: ['x'] }), {}), /--config-rm x: the service has no such config/);
});
