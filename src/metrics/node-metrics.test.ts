import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Gauge, Registry } from 'prom-client';
import { systemClock } from '../base/clock.js';
import { NodeMetrics, type MeteredEngine } from './node-metrics.js';

/** An engine with no containers and no events. */
const idleEngine: MeteredEngine = {
  list: () => [],
  writableLayers: { size: () => Promise.resolve(0) },
  host: { cgroups: { mode: 'v2-unified', v1: new Map(), v1Named: new Map(), unified: '/nonexistent' } },
  paths: { root: '/nonexistent' },
  health: { state: () => undefined },
  eventLog: { read: () => [], lastSeq: () => 0 },
};

test('registries that come later (a cluster joined after berthd started) are served from the next scrape on, and go when they go', async () => {
  const fixed = new Registry();
  new Gauge({ name: 'berth_fixed_thing', help: 'always there', registers: [fixed] }).set(1);
  const later = new Registry();
  new Gauge({ name: 'berth_cluster_thing', help: 'while a member', registers: [later] }).set(2);
  let current: readonly Registry[] = [];
  const metrics = new NodeMetrics({ engine: idleEngine, cgroupParent: '/berth-test', clock: systemClock, registries: [fixed], currentRegistries: () => current });

  const before = await metrics.text();
  assert.match(before, /^berth_fixed_thing 1$/m);
  assert.doesNotMatch(before, /berth_cluster_thing/);
  assert.match(before, /^berth_containers\{/m, 'its own series are there');

  current = [later];
  assert.match(await metrics.text(), /^berth_cluster_thing 2$/m);
  current = [];
  assert.doesNotMatch(await metrics.text(), /berth_cluster_thing/);
});
