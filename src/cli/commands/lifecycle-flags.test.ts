import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lifecycleFields, type LifecycleFlags } from './lifecycle-flags.js';

const fields = (flags: LifecycleFlags, labels?: Record<string, string>) => lifecycleFields({ healthcheck: true, ...flags }, labels);

test('--restart becomes HostConfig.RestartPolicy', () => {
  assert.deepEqual(fields({ restart: 'on-failure:3' }).RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.deepEqual(fields({ restart: 'always' }).RestartPolicy, { Name: 'always', MaximumRetryCount: 0 });
  assert.throws(() => fields({ restart: 'on-failure:x' }), /--restart on-failure:x/);
  assert.equal(fields({}).RestartPolicy, undefined);
});

test('--health-* become Config.Healthcheck in nanoseconds; --no-healthcheck is NONE', () => {
  assert.deepEqual(fields({ healthCmd: 'curl -f localhost', healthInterval: '1s', healthTimeout: '500ms', healthRetries: '2', healthStartPeriod: '1m', healthStartInterval: '2s' }).Healthcheck, {
    Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 1e9, Timeout: 5e8, Retries: 2, StartPeriod: 60e9, StartInterval: 2e9,
  });
  assert.deepEqual(fields({ healthcheck: false }).Healthcheck, { Test: ['NONE'] });
  assert.throws(() => fields({ healthcheck: false, healthCmd: 'true' }), /conflicts/);
  assert.throws(() => fields({ healthInterval: '1 second' }), /--health-interval 1 second/);
  assert.throws(() => fields({ healthStartPeriod: 'x' }), /--health-start-period x/);
  assert.equal(fields({}).Healthcheck, undefined);
});

test('--health-on-failure is sent as the berth label, next to the others', () => {
  assert.deepEqual(fields({ healthOnFailure: 'restart' }, { a: 'b' }).Labels, { a: 'b', 'io.berth.health-on-failure': 'restart' });
  assert.throws(() => fields({ healthOnFailure: 'explode' }), /none, restart, stop or kill/);
});
