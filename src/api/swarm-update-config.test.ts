import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServiceSpecBody, serviceSpecFromBody } from './swarm-service-spec.js';
import { serviceSpecView } from './swarm-spec-views.js';
import { updateStatusView } from './swarm-update-views.js';
import { refusal } from '../../test/support/refusal.js';

/** What `docker service update --update-parallelism 2 --update-order start-first --update-failure-action rollback --force web` (docker CLI 20.10) sends. */
const BODY = {
  Name: 'web',
  TaskTemplate: { ContainerSpec: { Image: 'busybox', Args: ['sleep', '1000'] }, ForceUpdate: 1, Runtime: 'container' },
  Mode: { Replicated: { Replicas: 3 } },
  UpdateConfig: { Parallelism: 2, Delay: 10_000_000_000, FailureAction: 'rollback', Monitor: 5_000_000_000, MaxFailureRatio: 0.25, Order: 'start-first' },
  RollbackConfig: { Parallelism: 0, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' },
  EndpointSpec: { Mode: 'vip' },
};

const convert = (body: unknown): ReturnType<typeof serviceSpecFromBody> => serviceSpecFromBody(parseServiceSpecBody(body), 'web');

test('UpdateConfig, RollbackConfig and TaskTemplate.ForceUpdate are kept, and shown back as sent', () => {
  const spec = convert(BODY);
  assert.deepEqual(spec.updateConfig, { parallelism: 2, delayNs: 10_000_000_000, failureAction: 'rollback', monitorNs: 5_000_000_000, maxFailureRatio: 0.25, order: 'start-first' });
  assert.deepEqual(spec.rollbackConfig, { parallelism: 0, delayNs: 0, failureAction: 'pause', monitorNs: 5_000_000_000, maxFailureRatio: 0, order: 'stop-first' });
  assert.equal(spec.taskTemplate.forceUpdate, 1);
  const view = serviceSpecView(spec);
  assert.deepEqual(view.UpdateConfig, BODY.UpdateConfig);
  assert.deepEqual(view.RollbackConfig, BODY.RollbackConfig);
  assert.equal(view.TaskTemplate.ForceUpdate, 1);
  assert.deepEqual(convert(JSON.parse(JSON.stringify(view))), spec, 'what the docker CLI reads back and sends again is the same spec');
});

test('no UpdateConfig (an API client) is Swarm\'s defaults; Monitor 0 too, as dockerd', () => {
  const { UpdateConfig: _u, RollbackConfig: _r, ...bare } = BODY;
  const defaults = { parallelism: 1, delayNs: 0, failureAction: 'pause', monitorNs: 5_000_000_000, maxFailureRatio: 0, order: 'stop-first' };
  assert.deepEqual(convert(bare).updateConfig, defaults);
  assert.deepEqual(convert({ ...bare, UpdateConfig: { Parallelism: 1, Monitor: 0, FailureAction: '', Order: '' } }).updateConfig, defaults);
});

test('a bad update setting is refused naming Docker\'s field', () => {
  assert.match(refusal(() => convert({ ...BODY, UpdateConfig: { ...BODY.UpdateConfig, FailureAction: 'explode' } })), /UpdateConfig\.FailureAction/);
  assert.match(refusal(() => convert({ ...BODY, RollbackConfig: { ...BODY.RollbackConfig, Order: 'sideways' } })), /RollbackConfig\.Order/);
  assert.match(refusal(() => convert({ ...BODY, UpdateConfig: { ...BODY.UpdateConfig, MaxFailureRatio: 2 } })), /UpdateConfig\.MaxFailureRatio/);
  assert.match(refusal(() => convert({ ...BODY, UpdateConfig: { ...BODY.UpdateConfig, Delay: -1 } })), /UpdateConfig\.Delay/);
  assert.match(refusal(() => convert({ ...BODY, TaskTemplate: { ...BODY.TaskTemplate, ForceUpdate: -1 } })), /TaskTemplate\.ForceUpdate/);
});

test('an update status is shown as Docker\'s UpdateStatus', () => {
  assert.deepEqual(updateStatusView({ state: 'rollback_completed', startedAt: '2026-01-01T00:00:00.000Z', completedAt: '2026-01-01T00:00:09.000Z', message: 'rollback completed' }), {
    State: 'rollback_completed', StartedAt: '2026-01-01T00:00:00.000Z', CompletedAt: '2026-01-01T00:00:09.000Z', Message: 'rollback completed',
  });
  assert.deepEqual(updateStatusView({ state: 'updating', message: '' }), { State: 'updating' });
});
