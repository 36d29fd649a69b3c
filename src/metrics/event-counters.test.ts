import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { EventType, NodeEvent } from '../events/event-types.js';
import { actionKind, EventCounters, healthStatusOf } from './event-counters.js';

class FakeLog {
  readonly events: NodeEvent[] = [];

  add(type: EventType, action: string, attributes: Record<string, string> = {}): void {
    this.events.push({ seq: this.events.length + 1, type, action, actor: { id: 'x', attributes }, scope: 'local', timeNano: 0n });
  }

  read(query: { afterSeq: number; limit: number }): NodeEvent[] {
    return this.events.filter((e) => e.seq > query.afterSeq).slice(0, query.limit);
  }

  lastSeq(): number {
    return this.events.length;
  }
}

test('actions lose what follows their colon', () => {
  assert.equal(actionKind('exec_create: sh -c true'), 'exec_create');
  assert.equal(actionKind('start'), 'start');
  assert.equal(healthStatusOf('health_status: unhealthy'), 'unhealthy');
  assert.equal(healthStatusOf('start'), undefined);
});

test('counts only events recorded after it was made, each once, across batches', async () => {
  const log = new FakeLog();
  log.add('container', 'start');
  const registry = new Registry();
  const counters = new EventCounters(log, registry);
  for (let i = 0; i < 1500; i++) log.add('container', `exec_create: echo ${i}`);
  log.add('container', 'start');
  log.add('container', 'oom');
  log.add('container', 'die', { exitCode: '137' });
  log.add('container', 'die', { exitCode: '0' });
  log.add('container', 'health_status: unhealthy');
  log.add('container', 'restart');
  log.add('image', 'pull');
  counters.catchUp();
  counters.catchUp();
  counters.policyRestarts(2);
  const text = await registry.metrics();
  assert.match(text, /^berth_events_total\{type="container",action="exec_create"\} 1500$/m);
  assert.match(text, /^berth_container_starts_total 1$/m);
  assert.match(text, /^berth_container_exits_total\{code="137"\} 1$/m);
  assert.match(text, /^berth_container_exits_total\{code="0"\} 1$/m);
  assert.match(text, /^berth_container_oom_kills_total 1$/m);
  assert.match(text, /^berth_container_health_status_changes_total\{status="unhealthy"\} 1$/m);
  assert.match(text, /^berth_container_restarts_total\{reason="manual"\} 1$/m);
  assert.match(text, /^berth_container_restarts_total\{reason="policy"\} 2$/m);
  assert.match(text, /^berth_image_operations_total\{action="pull"\} 1$/m);
});
