import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { parseServiceSpec } from './service-spec-validation.js';

const base = { name: 'web', taskTemplate: { containerSpec: { image: 'nginx' } } };

function refused(spec: unknown, reason: string, field: string): void {
  assert.throws(() => parseServiceSpec(spec), (err: unknown) => {
    assert.ok(isBerthError(err, 'invalid-argument'), String(err));
    assert.equal(err.reason, reason);
    assert.ok(err.message.includes(field), `${err.message} names ${field}`);
    return true;
  });
}

test('fills Swarm-like defaults', () => {
  const spec = parseServiceSpec(base);
  assert.deepEqual(spec.mode, { kind: 'replicated', replicas: 1 });
  assert.equal(spec.taskTemplate.restartPolicy.condition, 'any');
  assert.deepEqual(spec.taskTemplate.placement, { constraints: [], preferences: [], maxReplicas: 0 });
  assert.deepEqual(spec.taskTemplate.resources.reservations, { nanoCpus: 0, memoryBytes: 0 });
});

test('accepts a full spec', () => {
  const spec = parseServiceSpec({
    ...base,
    mode: { kind: 'global' },
    taskTemplate: {
      containerSpec: { image: 'nginx', command: ['nginx'], args: ['-g', 'daemon off;'], env: ['A=1'], mounts: [{ type: 'tmpfs', target: '/tmp' }] },
      resources: { limits: { memoryBytes: 64 * 1024 * 1024 }, reservations: { memoryBytes: 32 * 1024 * 1024, nanoCpus: 500_000_000 } },
      placement: { constraints: ['node.labels.zone==eu'], preferences: [{ spread: 'node.labels.rack' }], maxReplicas: 2 },
    },
  });
  assert.equal(spec.mode.kind, 'global');
  assert.equal(spec.taskTemplate.placement.maxReplicas, 2);
});

test('refuses bad specs naming the field', () => {
  refused({ ...base, name: '-web' }, 'invalid-service-spec', 'field name');
  refused({ name: 'web', taskTemplate: { containerSpec: { image: '' } } }, 'invalid-service-spec', 'taskTemplate.containerSpec.image');
  refused({ ...base, mode: { kind: 'replicated', replicas: -1 } }, 'invalid-service-spec', 'mode.replicas');
  refused({ name: 'web', taskTemplate: { containerSpec: { image: 'x', env: ['NOVALUE'] } } }, 'invalid-service-spec', 'taskTemplate.containerSpec.env[0]');
  refused({ name: 'web', taskTemplate: { containerSpec: { image: 'x' }, placement: { constraints: ['node.role=worker'] } } }, 'invalid-constraint', 'taskTemplate.placement.constraints[0]');
  refused({ name: 'web', taskTemplate: { containerSpec: { image: 'x' }, placement: { constraints: [7] } } }, 'invalid-constraint', 'taskTemplate.placement.constraints[0]');
  refused({ name: 'web', taskTemplate: { containerSpec: { image: 'x' }, placement: { preferences: [{ spread: 'zone' }] } } }, 'invalid-placement-preference', 'taskTemplate.placement.preferences[0].spread');
});

test('refuses impossible resources', () => {
  const withResources = (resources: unknown): unknown => ({ name: 'web', taskTemplate: { containerSpec: { image: 'x' }, resources } });
  refused(withResources({ reservations: { memoryBytes: -1 } }), 'invalid-resources', 'taskTemplate.resources.reservations.memoryBytes');
  refused(withResources({ reservations: { nanoCpus: 1.5 } }), 'invalid-resources', 'taskTemplate.resources.reservations.nanoCpus');
  refused(withResources({ limits: { memoryBytes: 1024 } }), 'invalid-resources', 'limits.memoryBytes');
  refused(withResources({ limits: { memoryBytes: 64 * 1024 * 1024 }, reservations: { memoryBytes: 128 * 1024 * 1024 } }), 'invalid-resources', 'reservations.memoryBytes');
  refused(withResources({ limits: { nanoCpus: 1 }, reservations: { nanoCpus: 2 } }), 'invalid-resources', 'reservations.nanoCpus');
});
