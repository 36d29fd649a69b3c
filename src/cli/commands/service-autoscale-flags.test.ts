import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROGRAM } from '../main.js';
import { parseArgs } from '../args/parse-args.js';
import { argOf, argsOf, flagsOf } from '../args/command-spec.js';
import type { SwarmService } from '../../wire/swarm.js';
import { autoscaleLabels, autoscaleLines } from './service-autoscale-flags.js';
import { canaryLabels } from './service-rollout-flags.js';
import { serviceSpecFromFlags, type ServiceCreateFlags } from './service-flags.js';
import { prettyLines } from './cluster-pretty.js';

function specOf(...argv: string[]): ReturnType<typeof serviceSpecFromFlags> {
  const parsed = parseArgs(PROGRAM, ['service', 'create', ...argv]);
  if (parsed.kind !== 'run') throw new Error('not a run');
  const { args, options } = parsed.invocation;
  return serviceSpecFromFlags(argOf(args, 'image'), argsOf(args, 'command'), flagsOf<ServiceCreateFlags>(options), {});
}

test('service create --autoscale-*: the berth.autoscale labels; the service starts at its fewest replicas', () => {
  const spec = specOf('--autoscale-min', '2', '--autoscale-max', '8', '--autoscale-cpu', '60', '--autoscale-scale-down-delay', '30s', '-l', 'team=a', 'busybox');
  assert.deepEqual(spec.Labels, { team: 'a', 'berth.autoscale.min': '2', 'berth.autoscale.max': '8', 'berth.autoscale.cpu': '60', 'berth.autoscale.scale-down-delay': '30s' });
  assert.deepEqual(spec.Mode, { Replicated: { Replicas: 2 } });
  assert.deepEqual(specOf('--replicas', '3', '--autoscale-max', '8', '--autoscale-memory', '70', 'busybox').Mode, { Replicated: { Replicas: 3 } });
});

test('wrong autoscaling flags are refused naming the flag', () => {
  assert.throws(() => specOf('--autoscale-cpu', '50', 'busybox'), /--autoscale-cpu 50: autoscaling needs --autoscale-max/);
  assert.throws(() => specOf('--autoscale-max', '5', 'busybox'), /--autoscale-max 5: autoscaling needs a target: --autoscale-cpu or --autoscale-memory/);
  assert.throws(() => specOf('--autoscale-max', '0', '--autoscale-cpu', '50', 'busybox'), /--autoscale-max 0: want at least 1/);
  assert.throws(() => specOf('--autoscale-max', '5', '--autoscale-cpu', 'half', 'busybox'), /--autoscale-cpu half: want a whole number/);
  assert.throws(() => specOf('--autoscale-max', '5', '--autoscale-cpu', '50', '--autoscale-scale-down-delay', 'later', 'busybox'), /--autoscale-scale-down-delay later: want a duration/);
  assert.throws(() => specOf('--mode', 'global', '--autoscale-max', '5', '--autoscale-cpu', '50', 'busybox'), /--autoscale-max 5: only a replicated service is autoscaled/);
});

test('service update: flags change the labels they name; --autoscale-rm removes them all', () => {
  const current = { team: 'a', 'berth.autoscale.max': '8', 'berth.autoscale.cpu': '60' };
  assert.deepEqual(autoscaleLabels(current, true, { autoscaleMax: '4' }), { ...current, 'berth.autoscale.max': '4' });
  assert.deepEqual(autoscaleLabels(current, true, { autoscaleRm: true }), { team: 'a' });
  assert.throws(() => autoscaleLabels(current, true, { autoscaleRm: true, autoscaleMax: '3' }), /--autoscale-max : cannot be given with --autoscale-rm/);
  assert.deepEqual(autoscaleLabels(current, true, {}), current);
});

test('inspect --pretty: the range, the targets and the last change', () => {
  const service = {
    Spec: { Labels: { 'berth.autoscale.max': '8', 'berth.autoscale.cpu': '60' } },
    AutoscaleStatus: { Message: '1 → 3 replicas: cpu 150% of a 60% target over 1 task', Timestamp: '2026-01-01T00:00:00Z' },
  } as unknown as SwarmService;
  assert.equal(prettyLines(autoscaleLines(service, new Date('2026-01-01T00:00:05Z'))), [
    'Autoscale:',
    ' Replicas:     1 to 8',
    ' CPU Target:   60%',
    ' Last Change:  1 → 3 replicas: cpu 150% of a 60% target over 1 task (5 seconds ago)',
  ].join('\n'));
});

test('--update-canary: a count or a share as the berth.update.canary label; 0 removes it; jobs have none', () => {
  assert.deepEqual(specOf('--update-canary', '25%', '--update-canary-auto-promote', 'busybox').Labels, { 'berth.update.canary': '25%', 'berth.update.canary-auto-promote': 'true' });
  assert.deepEqual(canaryLabels({ 'berth.update.canary': '2', team: 'a' }, { updateCanary: '0' }), { team: 'a' });
  assert.throws(() => specOf('--update-canary', '150%', 'busybox'), /--update-canary 150%: want a number of tasks \(2\) or a share of them \(25%\)/);
  assert.throws(() => specOf('--update-canary-auto-promote', 'busybox'), /--update-canary-auto-promote : only a canary update/);
  assert.throws(() => specOf('--mode', 'replicated-job', '--update-canary', '1', 'busybox'), /--update-canary 1: update and rollback configuration is not supported for jobs/);
});
