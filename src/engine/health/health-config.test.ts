import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEALTH_DEFAULTS, HEALTH_ON_FAILURE_LABEL, resolveHealthcheck } from './health-config.js';
import { applyProbe, healthSuffix, initialHealth, nextProbeDelayMs, type ProbeResult } from './health-state.js';

const S = 1e9;

test('container settings win field by field, the image fills the rest, then the defaults', () => {
  const image = { Test: ['CMD-SHELL', 'wget -q localhost'], Interval: 10 * S, Retries: 5 };
  const resolved = resolveHealthcheck({ Interval: 2 * S }, image);
  assert.ok(resolved !== undefined);
  assert.deepEqual(resolved.command, ['/bin/sh', '-c', 'wget -q localhost']);
  assert.equal(resolved.intervalNs, 2 * S);
  assert.equal(resolved.retries, 5);
  assert.equal(resolved.timeoutNs, HEALTH_DEFAULTS.timeoutNs);
  assert.equal(resolved.onFailure, 'none');
  assert.deepEqual(resolveHealthcheck({ Test: ['CMD', 'true'] }, image)?.command, ['true']);
  assert.equal(resolveHealthcheck({ Test: ['NONE'] }, image), undefined);
  assert.equal(resolveHealthcheck(undefined, undefined), undefined);
  assert.equal(resolveHealthcheck({ Test: ['CMD', 'true'] }, undefined, { [HEALTH_ON_FAILURE_LABEL]: 'restart' })?.onFailure, 'restart');
  assert.throws(() => resolveHealthcheck({ Test: ['CMD', 'true'] }, undefined, { [HEALTH_ON_FAILURE_LABEL]: 'explode' }), /none, restart, stop, kill/);
  assert.throws(() => resolveHealthcheck({ Test: ['SHELL', 'x'] }, undefined), /Healthcheck.Test/);
  assert.throws(() => resolveHealthcheck({ Test: ['CMD', 'true'], Interval: 5 }, undefined), /Interval: cannot be less than 1ms/);
});

const config = resolveHealthcheck({ Test: ['CMD', 'true'], Retries: 2, StartPeriod: 10 * S, StartInterval: 1 * S, Interval: 30 * S }, undefined);
const startedAt = '2026-01-01T00:00:00.000Z';
const at = (seconds: number, exitCode: number): ProbeResult => {
  const t = new Date(Date.parse(startedAt) + seconds * 1000).toISOString();
  return { start: t, end: t, exitCode, output: '' };
};

test('failures in the start period do not count until the first success; retries in a row make it unhealthy', () => {
  assert.ok(config !== undefined);
  let state = initialHealth();
  state = applyProbe(state, at(1, 1), config, startedAt);
  assert.deepEqual([state.status, state.failingStreak], ['starting', 0]);
  state = applyProbe(state, at(12, 1), config, startedAt);
  assert.deepEqual([state.status, state.failingStreak], ['starting', 1]);
  state = applyProbe(state, at(13, 1), config, startedAt);
  assert.deepEqual([state.status, state.failingStreak], ['unhealthy', 2]);
  state = applyProbe(state, at(14, 0), config, startedAt);
  assert.deepEqual([state.status, state.failingStreak], ['healthy', 0]);
  for (let i = 0; i < 8; i++) state = applyProbe(state, at(20 + i, 0), config, startedAt);
  assert.equal(state.log.length, 5);
  assert.equal(healthSuffix('starting'), '(health: starting)');
  assert.equal(healthSuffix('unhealthy'), '(unhealthy)');
});

test('probes come at the start interval during the start period, then at the interval', () => {
  assert.ok(config !== undefined);
  assert.equal(nextProbeDelayMs(initialHealth(), config, startedAt, new Date(Date.parse(startedAt) + 2000)), 1000);
  assert.equal(nextProbeDelayMs(initialHealth(), config, startedAt, new Date(Date.parse(startedAt) + 20_000)), 30_000);
  assert.equal(nextProbeDelayMs({ status: 'healthy', failingStreak: 0, log: [] }, config, startedAt, new Date(Date.parse(startedAt) + 2000)), 30_000);
});
