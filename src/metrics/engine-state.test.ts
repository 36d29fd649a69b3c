import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { ContainerRecord } from '../engine/container-record.js';
import { initialState } from '../engine/container-record.js';
import { EngineState } from './engine-state.js';

function record(id: string, status: ContainerRecord['state']['status'], restartCount: number, healthcheck = false): ContainerRecord {
  const config = { image: 'busybox', options: {}, ...(healthcheck ? { healthcheck: {} } : {}) } as unknown as ContainerRecord['config'];
  return { id, name: id, imageId: 'sha256:0', createdAt: '', config, state: { ...initialState(), status, restartCount } };
}

test('containers by state and health; policy restarts are the growth of restart counts', async () => {
  let records = [record('a', 'running', 0, true), record('b', 'exited', 2), record('c', 'running', 0)];
  const health = new Map([['a', { status: 'unhealthy' }]]);
  const registry = new Registry();
  const state = new EngineState({ list: () => records, health: { state: (id) => health.get(id) } }, registry);
  assert.equal(state.update(), 0, 'the first look only learns the counts');
  const text = await registry.metrics();
  assert.match(text, /^berth_containers\{state="running"\} 2$/m);
  assert.match(text, /^berth_containers\{state="exited"\} 1$/m);
  assert.match(text, /^berth_containers\{state="paused"\} 0$/m);
  assert.match(text, /^berth_containers_health\{status="unhealthy"\} 1$/m);
  assert.match(text, /^berth_containers_health\{status="healthy"\} 0$/m);
  records = [record('a', 'running', 3, true), record('b', 'running', 0), record('d', 'running', 5)];
  assert.equal(state.update(), 3, 'a grew by 3; b was reset by a start someone asked for; d is new');
  records = [record('b', 'running', 1)];
  assert.equal(state.update(), 1);
});
